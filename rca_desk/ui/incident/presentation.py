"""Presentation mode (F11): the diagram as the room sees it, and nothing else.

Full screen, it shows the diagram exactly as the 16:9 slide shows it (the canvas in its
slide frame, so the text is as large as ``--page slide`` makes it) under a thin header:
the incident's title, the agenda's current step with its countdown, the parking lot's
count and the capture box. When a step's time is up the countdown turns amber and the
header says so once: a quiet signal, no sound, and the room decides whether to move on.

Focus rules, said in the shortcut list too: the diagram has the keyboard, with every
key of the canvas (arrows along the outline, Enter, Tab, E, C ...). ``I`` (for idea) or
``/`` puts the cursor in the capture box; there Enter parks the idea and keeps the box
ready for the next one, and Esc goes back to the diagram. Esc on the diagram leaves
presentation mode. Nothing is lost on the way out: every edit was written when it was
made, and the incident tab gets the selection back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from rca_desk.render.diagram import View
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.common.info_bar import BAR_COLOURS
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.document.parking_commands import ParkIdea
from rca_desk.ui.incident.agenda_clock import AgendaClock, agenda_key, step_end_hint

__all__ = ["PRESENTATION_KEYS", "Presentation"]

#: The keys presentation mode adds to the canvas's (for the shortcut list).
PRESENTATION_KEYS: tuple[tuple[str, str], ...] = (
    ("F11", "enter or leave presentation mode (the incident's diagram, full screen)"),
    ("I", "presentation: put the cursor in the capture box (so does /)"),
    ("Return", "in the capture box: park the idea; the box stays ready for the next"),
    ("Esc", "in the capture box: back to the diagram; on the diagram: leave presentation"),
    ("Ctrl+R", "presentation: mark or unmark the selected root cause (Ctrl+Z undoes)"),
)

#: The header's height in pixels: thin, so the slide keeps the screen.
HEADER_HEIGHT = 40


def _countdown_style(over: bool) -> str:
    """The countdown's look: the header's own, or the warning bar's amber once time is up
    (its colours are fixed together, so they read on a light or dark palette alike)."""
    if not over:
        return "QLabel { padding: 2px 8px; }"
    background, border, text = BAR_COLOURS["warning"]
    return (
        f"QLabel {{ padding: 2px 8px; background: {background}; color: {text}; "
        f"border: 1px solid {border}; border-radius: 3px; }}"
    )


class Presentation(QWidget):
    """One incident's diagram full screen, over the same document as its tab."""

    #: Presentation mode ended (Esc or F11); carries the node selected at the end.
    left = Signal(str)

    def __init__(
        self,
        document: IncidentDocument,
        view: View,
        agenda: AgendaClock,
        *,
        today: Callable[[], date] = date.today,
        selected: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        # Gone when it closes: a canvas left behind would go on laying out every edit.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.document = document
        self.setObjectName("presentation")
        self.setWindowTitle(f"{document.incident.title} (presentation)")
        self.title = QLabel(document.incident.title)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.parked = QLabel()
        self.parked.setTextFormat(Qt.TextFormat.PlainText)
        #: The agenda's current step and its countdown.
        self.agenda = agenda
        self.countdown = QLabel()
        self.countdown.setObjectName("presentationCountdown")
        self.countdown.setTextFormat(Qt.TextFormat.PlainText)
        self.countdown.setFont(font)  # as large as the title: read from the back row
        self._over: bool | None = None
        #: What the diagram says back (what to select first, a refused edit).
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.capture = QLineEdit()
        self.capture.setObjectName("presentationCapture")
        self.capture.setPlaceholderText("I: type an idea, Enter parks it, Esc back")
        self.capture.setMinimumWidth(420)
        self.capture.returnPressed.connect(self._park)
        self.capture.installEventFilter(self)
        header = QWidget()
        header.setFixedHeight(HEADER_HEIGHT)
        row = QHBoxLayout(header)
        row.setContentsMargins(12, 4, 12, 4)
        row.addWidget(self.title, 1)
        row.addWidget(self.hint)
        row.addWidget(self.countdown)
        row.addWidget(self.parked)
        row.addWidget(self.capture)
        self.canvas = DiagramCanvas(document, view, today=today)
        self.canvas.set_slide_frame(True)
        # The slide is the whole picture: no scroll bars eating its width.
        self.canvas.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.canvas.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.canvas.setFrameShape(QFrame.Shape.NoFrame)
        self.canvas.installEventFilter(self)
        self.canvas.message.connect(self.hint.setText)
        document.refused.connect(self.hint.setText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.canvas, 1)
        self._add_actions()
        document.changed.connect(self._document_changed)
        agenda.changed.connect(self._show_countdown)
        agenda.stepEnded.connect(self._step_ended)
        self._count_parked()
        self._show_countdown()
        if selected:
            self.canvas.set_current(selected, ensure_visible=False)
        self._leaving = False

    def _add_actions(self) -> None:
        """The incident tab's keys that edit the diagram, for this window: its toolbar's
        actions belong to the tab's window and would act on the tab's canvas."""
        stack = self.document.undo_stack
        keyed: list[tuple[list[QKeySequence], Callable[[], object]]] = [
            ([QKeySequence(QKeySequence.StandardKey.Undo)], stack.undo),
            ([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")], stack.redo),
            ([QKeySequence("Ctrl+R")], self.canvas.toggle_root_cause),
            ([QKeySequence("Ctrl+0")], self.canvas.fit),
            # F11 leaves from anywhere here (the capture box, the in-place editor too).
            ([QKeySequence("F11")], self.leave),
        ]
        for keys, slot in keyed:
            act = QAction(self)
            act.setShortcuts(keys)
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)

    def present(self) -> None:
        """Full screen, the keyboard on the diagram."""
        self.showFullScreen()
        self.activateWindow()
        self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        self.canvas.fit()

    def leave(self) -> None:
        """Back to the tab; what is typed in place is kept, as leaving a field does."""
        if self._leaving:
            return
        self._leaving = True
        self.canvas.commit_editor()
        self.document.changed.disconnect(self._document_changed)
        self.document.refused.disconnect(self.hint.setText)
        self.agenda.changed.disconnect(self._show_countdown)
        self.agenda.stepEnded.disconnect(self._step_ended)
        self.left.emit(self.canvas.current or "")
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._leaving:  # closed by the window manager: leave the same way
            self.leave()
        super().closeEvent(event)

    # -------------------------------------------------------------- capture
    def _park(self) -> None:
        text = self.capture.text().strip()
        if text and self.document.execute(ParkIdea(self.document, text), initiator=self):
            self.capture.clear()

    def _document_changed(self, changes: Changes) -> None:
        if changes.ideas or changes.everything:
            self._count_parked()
        if changes.everything or "title" in changes.incident:
            self.title.setText(self.document.incident.title)

    def _show_countdown(self) -> None:
        self.countdown.setText(self.agenda.describe())
        over = self.agenda.over
        if over != self._over:  # a style sheet costs a relayout: only on a change
            self._over = over
            self.countdown.setStyleSheet(_countdown_style(over))

    def _step_ended(self, name: str) -> None:
        self.hint.setText(step_end_hint(self.agenda, name))

    def _count_parked(self) -> None:
        count = len(self.document.incident.parking)
        self.parked.setText(f"Parking lot: {count}")

    # ------------------------------------------------------------------ keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        self.hint.clear()  # said once, gone at the next key
        key, mods = event.key(), event.modifiers()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if watched is self.capture and key == Qt.Key.Key_Escape:
            self.canvas.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        if watched is self.canvas and self.canvas.editor is None:
            if agenda_key(self.agenda, event):
                return True
            if key in (Qt.Key.Key_I, Qt.Key.Key_Slash) and plain:
                self.capture.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
            if key == Qt.Key.Key_Escape and plain:
                self.leave()
                return True
        return super().eventFilter(watched, event)
