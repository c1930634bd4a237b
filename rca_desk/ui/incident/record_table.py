"""One table for one kind of the incident's records, edited in place by keyboard.

The timeline, the participants and the check-ins are short lists of small records; the
three tables differ only in their columns, so one widget shows them all. A cell commits
when its editor closes (Enter, Tab, a click elsewhere) through :class:`PutRecord`, so
every change is one undoable step, written through. Insert adds a record, Delete removes
the selected one. Text typed into a date cell that is not a date is refused in one line
(the document's ``refused`` signal) and the cell shows the stored value again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import RcaError, RuleError
from rca_desk.model.incident import Record
from rca_desk.ui.common.tones import Tone, tone
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.document.record_commands import DropRecord, PutRecord

#: The tables' keys, for the shortcut list (F1).
RECORD_KEYS: tuple[tuple[str, str], ...] = (
    ("Ins", "Record, Follow-up and Recovery tables: add a row, its first cell open for typing"),
    ("F2", "in those tables: edit the cell (Enter keeps it, Esc cancels)"),
    ("Del", "in those tables: remove the row (undoable); in the check-in grid, clear the cell"),
    ("Ctrl+P", "Report tab: print the report"),
)

__all__ = [
    "RECORD_KEYS",
    "Column",
    "OpenCell",
    "RecordTable",
    "edit_cell",
    "typed_date",
    "typed_moment",
    "typed_optional_date",
]

_ID = Qt.ItemDataRole.UserRole


def edit_cell(table: QTableWidget, row: int, column: int) -> None:
    """Select a cell and open its editor, the keyboard in it (a new row, ready to type)."""
    table.setCurrentCell(row, column)
    table.setFocus(Qt.FocusReason.OtherFocusReason)
    item = table.item(row, column)
    if item is not None:
        table.editItem(item)


def typed_optional_date(text: str, what: str) -> date | None:
    """A date typed as ``2026-11-30``, or blank for none."""
    return typed_date(text, what) if text.strip() else None


def typed_date(text: str, what: str) -> date:
    """A date typed as ``2026-11-30``."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RuleError(f"{what} must be a date like 2026-11-30, not {text!r}.") from None


def typed_moment(text: str, what: str) -> datetime:
    """A date and time typed as ``2026-11-30 14:05`` (a date alone means midnight); the
    timeline is in the incident's local time, so a time zone is refused (one event with a
    zone could not be ordered among the others)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is not None:
        raise RuleError(
            f"{what} must be a date and time like 2026-11-30 14:05, not {text.strip()!r}."
        )
    return moment


@dataclass(frozen=True)
class Column:
    """How one column shows a record, and how typed text changes it (None: read-only)."""

    header: str
    show: Callable[[Record], str]
    edit: Callable[[Record, str], Record] | None = None
    #: (text shown) choices for a cell picked from a list instead of typed; or, when they
    #: depend on the record (where an offer may go next), a function of the record.
    choices: tuple[str, ...] | Callable[[Record], tuple[str, ...]] = ()
    #: The column takes the room left (else it is as wide as its contents).
    stretch: bool = False
    #: A meaningful colour for the cell's text (a check-in that is due or missed).
    tone: Callable[[Record], Tone | None] | None = field(default=None)


class _ChoiceDelegate(QStyledItemDelegate):
    """A cell picked from a short list (a check-in's channel, an offer's next status)."""

    def __init__(
        self,
        choices: Callable[[QModelIndex | QPersistentModelIndex], Sequence[str]],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(list(self.choices(index)))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data()))

    def setModelData(
        self,
        editor: QWidget,
        model: object,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText())  # type: ignore[attr-defined]


class OpenCell(QObject):
    """What a table typed in place owes an open cell (the record tables and the check-in
    grid share it):

    * an edit is committed only after the view has closed its editor (:meth:`commit_later`):
      the command reloads the table, and an editor still open on a replaced row would
      commit a second time;
    * a change from elsewhere while a cell is open waits until it closes
      (:meth:`reload`): rows rebuilt under the editor would let its text land on
      whichever record now sits in its row;
    * :meth:`finish` keeps what is being typed when the table goes away.
    """

    def __init__(self, table: QTableWidget, load: Callable[[], None]) -> None:
        super().__init__(table)
        self.table = table
        self.load = load
        self._pending: Callable[[], None] | None = None
        self._stale = False
        self.watch(table.itemDelegate())

    def watch(self, delegate: QAbstractItemDelegate) -> None:
        """Follow one more delegate's editors (a column's own)."""
        delegate.closeEditor.connect(self._editor_closed)

    def commit_later(self, commit: Callable[[], None]) -> None:
        self._pending = commit
        QTimer.singleShot(0, self.commit_now)

    def commit_now(self) -> None:
        if self._pending is not None:
            commit, self._pending = self._pending, None
            commit()

    def finish(self) -> None:
        if self.table.state() == QAbstractItemView.State.EditingState:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)  # the editor commits
        self.commit_now()

    def reload(self) -> None:
        """Show the rows again, now or, while a cell is open, once it closes."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            self._stale = True
            return
        self.load()

    def _editor_closed(self, *_args: object) -> None:
        if self._stale:
            self._stale = False
            QTimer.singleShot(0, self.load)


class RecordTable(QWidget):
    """The records of ``kind`` in a table with Add and Remove; ``new_record`` makes the
    record that Add (or Insert) appends, ``order`` sorts what is shown (the timeline by
    time, the check-ins by date; the list keeps the order they were added in)."""

    #: The record now selected (its id), or "" for none.
    selected = Signal(str)

    def __init__(
        self,
        document: IncidentDocument,
        kind: str,
        columns: Sequence[Column],
        new_record: Callable[[], Record],
        *,
        title: str,
        add_text: str,
        order: Callable[[Record], Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.kind = kind
        self.columns = list(columns)
        self.new_record = new_record
        self.order = order
        self._loading = False
        self.table = QTableWidget(0, len(self.columns))
        self.table.setObjectName(f"{kind}Table")
        self.table.setHorizontalHeaderLabels([c.header for c in self.columns])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(140)
        header = self.table.horizontalHeader()
        for number, column in enumerate(self.columns):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column.stretch
                else (QHeaderView.ResizeMode.ResizeToContents)
            )
            header.setSectionResizeMode(number, mode)
            if column.choices:
                self.table.setItemDelegateForColumn(
                    number,
                    _ChoiceDelegate(functools.partial(self._choices, column), self.table),
                )
        self.table.itemChanged.connect(self._item_changed)
        self.cell = OpenCell(self.table, self.load)
        for number, column in enumerate(self.columns):
            if column.choices:
                self.cell.watch(self.table.itemDelegateForColumn(number))
        self.table.currentCellChanged.connect(lambda *_: self.selected.emit(self.current_id()))
        self.table.installEventFilter(self)

        heading = QLabel(title)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.add_button = QPushButton(add_text)
        self.add_button.setToolTip(f"{add_text} (Insert in the table)")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected row (Delete in the table; undoable)")
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(heading)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.remove_button)
        #: The heading and buttons, the table, and room for what a tab adds below it.
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.addLayout(self.buttons)
        self.body.addWidget(self.table)
        document.changed.connect(self._document_changed)
        self.load()

    def _choices(
        self, column: Column, index: QModelIndex | QPersistentModelIndex
    ) -> tuple[str, ...]:
        if not callable(column.choices):
            return column.choices
        record_id = str(index.data(_ID))
        record = next((r for r in self.records() if r.id == record_id), None)
        return column.choices(record) if record is not None else ()

    # ------------------------------------------------------------- reading
    def records(self) -> list[Record]:
        kept = list(self.document.incident.records(self.kind))
        return sorted(kept, key=self.order) if self.order is not None else kept

    def current_id(self) -> str:
        item = self.table.item(self.table.currentRow(), 0)
        return str(item.data(_ID)) if item is not None else ""

    def current(self) -> Record | None:
        record_id = self.current_id()
        for record in self.document.incident.records(self.kind):
            if record.id == record_id:
                return record
        return None

    def _document_changed(self, changes: Changes) -> None:
        if changes.touches(self.kind):
            self.reload()

    def reload(self) -> None:
        """Show the records again, now or, while a cell is open, once it closes."""
        self.cell.reload()

    def load(self, select: str | None = None) -> None:
        """Show the records; keep the selection (or select ``select``)."""
        keep = select or self.current_id()
        column = max(self.table.currentColumn(), 0)
        records = self.records()
        self._loading = True
        try:
            self.table.setRowCount(len(records))
            for row, record in enumerate(records):
                for number, spec in enumerate(self.columns):
                    item = QTableWidgetItem(spec.show(record))
                    item.setData(_ID, record.id)
                    if spec.edit is None:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    if spec.tone is not None and (which := spec.tone(record)) is not None:
                        item.setForeground(tone(which))
                    self.table.setItem(row, number, item)
        finally:
            self._loading = False
        rows = [r.id for r in records]
        if keep in rows:
            self.table.setCurrentCell(rows.index(keep), column)
        self.remove_button.setEnabled(bool(records))

    # ------------------------------------------------------------- editing
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        spec = self.columns[item.column()]
        record_id = str(item.data(_ID))
        record = next((r for r in self.records() if r.id == record_id), None)
        if record is None or spec.edit is None:
            return
        try:
            changed = spec.edit(record, item.text())
        except RcaError as error:
            self.document.refused.emit(str(error))
            self.load()
            return
        self.cell.commit_later(lambda: self._put(record, changed))

    def finish_editing(self) -> None:
        """Keep what is being typed before the table goes away (the tab or the window
        closes): the open cell's text is committed and written now, not later."""
        self.cell.finish()

    def _put(self, record: Record, changed: Record) -> None:
        if changed == record:
            self.load()  # the text as kept (trimmed), not as typed
        elif not self.document.execute(PutRecord(self.document, self.kind, changed)):
            self.load()

    def add(self) -> None:
        """A new record, selected, its first editable cell open for typing."""
        record = self.new_record()
        if not self.document.execute(PutRecord(self.document, self.kind, record)):
            return
        self.load(select=record.id)
        first = next((n for n, c in enumerate(self.columns) if c.edit is not None), 0)
        edit_cell(self.table, self.table.currentRow(), first)

    def remove(self) -> None:
        record_id = self.current_id()
        if record_id:
            self.document.execute(DropRecord(self.document, self.kind, record_id))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and self.table.state() != QAbstractItemView.State.EditingState
        ):
            if event.key() == Qt.Key.Key_Insert:
                self.add()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.remove()
                return True
        return super().eventFilter(watched, event)
