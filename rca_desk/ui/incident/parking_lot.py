"""The parking lot beside the diagram: ideas from the room, unsorted until placed.

A box to type an idea into (Enter parks it and keeps the box ready for the next one),
and the list of parked ideas in the order they came. In the list, Enter places the
selected idea on the diagram at the selection there (under a cause, or on a category's
bone), dragging it onto a cause or a category's title places it there, and Delete
discards it; both are undoable like every edit. See
:mod:`rca_desk.model.parking` for why ideas are parked rather than put on a bone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from rca_desk.ui.common.plain import follow_text_direction
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.document.parking_commands import IDEA_MIME, DiscardIdea, ParkIdea

__all__ = ["ParkingLot"]


class _IdeaList(QListWidget):
    """The parked ideas; an item dragged out carries its idea's id (:data:`IDEA_MIME`),
    which a diagram accepts on a cause or a category's title."""

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(IDEA_MIME, str(items[0].data(Qt.ItemDataRole.UserRole)).encode())
        return data

    def mimeTypes(self) -> list[str]:
        return [IDEA_MIME]


class ParkingLot(QWidget):
    """The capture box and the list of parked ideas of one incident."""

    def __init__(
        self,
        document: IncidentDocument,
        place: Callable[[str], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        #: Places an idea (by id) at the diagram's selection; the tab says where.
        self.place = place
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.capture = QLineEdit()
        self.capture.setObjectName("captureBox")
        self.capture.setPlaceholderText("Park an idea: type, Enter")
        self.capture.returnPressed.connect(self._park_typed)
        self.ideas = follow_text_direction(_IdeaList())
        self.ideas.setDragEnabled(True)
        self.ideas.setDragDropMode(QListWidget.DragDropMode.DragOnly)
        self.ideas.setObjectName("parkedIdeas")
        self.ideas.setWordWrap(True)
        self.ideas.setToolTip(
            "Enter: place on the diagram at its selection (a cause or a bone). "
            "Delete: discard. Both undoable."
        )
        self.ideas.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.capture)
        layout.addWidget(self.ideas, 1)
        document.changed.connect(self._document_changed)
        self.refresh()

    def _document_changed(self, changes: Changes) -> None:
        if changes.ideas or changes.everything:
            self.refresh()

    def refresh(self) -> None:
        """The list as the incident holds it, the selection kept where it can be."""
        current = self.current_id()
        self.ideas.clear()
        for kept in self.document.incident.parking:
            # A list item shows its text as plain text, never as rich text.
            item = QListWidgetItem(kept.text)
            item.setData(Qt.ItemDataRole.UserRole, kept.id)
            self.ideas.addItem(item)
            if kept.id == current:
                self.ideas.setCurrentItem(item)
        count = len(self.document.incident.parking)
        self.title.setText(f"Parking lot ({count})" if count else "Parking lot: empty")

    def current_id(self) -> str | None:
        item = self.ideas.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    # ------------------------------------------------------------- editing
    def _park_typed(self) -> None:
        text = self.capture.text().strip()
        if not text:
            return
        if self.document.execute(ParkIdea(self.document, text), initiator=self):
            self.capture.clear()  # ready for the next idea; refused text stays to fix

    def place_current(self) -> bool:
        """Enter in the list: the selected idea onto the diagram at its selection."""
        idea_id = self.current_id()
        if idea_id is None:
            return False
        row = self.ideas.currentRow()
        placed = self.place(idea_id)
        if placed and self.ideas.count():
            self.ideas.setCurrentRow(min(row, self.ideas.count() - 1))
        return placed

    def discard_current(self) -> bool:
        """Delete in the list: the selected idea discarded (undoable)."""
        idea_id = self.current_id()
        if idea_id is None:
            return False
        row = self.ideas.currentRow()
        done = self.document.execute(DiscardIdea(self.document, idea_id))
        if done and self.ideas.count():
            self.ideas.setCurrentRow(min(row, self.ideas.count() - 1))
        return done

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.ideas and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.place_current()
                return True
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.discard_current()
                return True
        return super().eventFilter(watched, event)
