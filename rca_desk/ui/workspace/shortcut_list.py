"""The list of every keyboard shortcut (F1 or Ctrl+?), so the room can look one up.

It is built from what the app really has rather than from a hand-kept copy: the menu and
toolbar actions of the window and of the open incident (their text and shortcuts), the
keys the canvas handles itself (:data:`~rca_desk.ui.canvas.interactions.CANVAS_KEYS`) and
the in-place editor's. A shortcut added to an action shows up here without more work.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rca_desk.ui.canvas.interactions import CANVAS_KEYS
from rca_desk.ui.incident.agenda_clock import AGENDA_KEYS
from rca_desk.ui.incident.presentation import PRESENTATION_KEYS
from rca_desk.ui.incident.record_table import RECORD_KEYS

__all__ = ["EDITOR_KEYS", "ShortcutList", "action_rows"]

#: The in-place editor's keys (it is a text box: everything else types).
EDITOR_KEYS: tuple[tuple[str, str], ...] = (
    ("Return", "keep the text"),
    ("Shift+Return", "start a new line"),
    ("Esc", "cancel: the text is dropped and nothing changes"),
)

#: How the room reads a key sequence (the platform's own names, e.g. "Ctrl+Shift+F").
NATIVE = QKeySequence.SequenceFormat.NativeText


def action_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, what) for each action with a shortcut; its menu text without the "&"."""
    rows = []
    for action in actions:
        keys = list(
            dict.fromkeys(k.toString(NATIVE) for k in action.shortcuts() if not k.isEmpty())
        )
        if keys:
            what = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            rows.append((", ".join(keys), what.rstrip(".…")))
    return rows


def native(portable: str) -> str:
    """A key sequence written portably ("Ctrl+1") in the platform's own words."""
    return QKeySequence(portable).toString(NATIVE)


class ShortcutList(QDialog):
    """Sections of (keys, what it does), read-only, closed with Escape or Close."""

    def __init__(
        self,
        sections: list[tuple[str, list[tuple[str, str]]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "What it does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for title, rows in sections:
            self._add_row(title, "", heading=True)
            for keys, what in rows:
                self._add_row(keys, what)
        # The keys' column as wide as its widest keys (a heading spans both columns), the
        # words take the rest and wrap.
        metrics = self.table.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(keys) for title, rows in sections for keys, _ in rows),
            default=80,
        )
        self.table.setColumnWidth(0, widest + 24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.resizeRowsToContents()
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 640)

    def _add_row(self, keys: str, what: str, *, heading: bool = False) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((keys, what)):
            # Table items show their text as plain text (never rich text).
            item = QTableWidgetItem(text)
            if heading:
                self.table.setSpan(row, 0, 1, 2)
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, column, item)

    def rows(self) -> list[tuple[str, str]]:
        """Every row as shown (headings have no second column)."""
        out = []
        for row in range(self.table.rowCount()):
            keys, what = self.table.item(row, 0), self.table.item(row, 1)
            out.append((keys.text() if keys else "", what.text() if what else ""))
        return out


def sections(
    window: Iterable[QAction], incident: Iterable[QAction] | None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The list's sections: the window's actions, the open incident's, the canvas keys
    and the in-place editor's."""
    out = [("Window", action_rows(window))]
    if incident is not None:
        out.append(("Incident (toolbar)", action_rows(incident)))
    for title, keys in (
        ("Diagram (the canvas has the keyboard)", CANVAS_KEYS),
        ("Typing a cause in place", EDITOR_KEYS),
        ("Presentation mode (the diagram has the keyboard)", PRESENTATION_KEYS),
        ("Agenda timer (on the diagram, in the tab or presenting)", AGENDA_KEYS),
        ("Record, Follow-up, Recovery and Report tabs", RECORD_KEYS),
    ):
        out.append((title, [(native(k), what[:1].upper() + what[1:]) for k, what in keys]))
    return out
