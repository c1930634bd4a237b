"""One incident's preventive actions: coverage of its root causes and the action list.

"A root cause with no committed action is a finding the tool shows, never hides": the
panel leads with the coverage line and lists every uncovered root cause with a button
that starts an action for it. Below, the incident's actions (double click edits).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model.review import Coverage, coverage
from rca_desk.ui.common.plain import follow_text_direction, tooltip
from rca_desk.ui.common.tones import Tone, set_tone
from rca_desk.ui.document.action_commands import DeleteAction
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.action_editor import ActionEditor
from rca_desk.ui.review.action_table import (
    INCIDENT_COLUMNS,
    ROW_ROLE,
    ActionFilterProxy,
    ActionTableModel,
    incident_rows,
)

#: The uncovered list shows up to this height before it scrolls (about six rows).
UNCOVERED_MAX_HEIGHT = 220
#: Rows it keeps in sight however small the window: the first "Start action" buttons.
UNCOVERED_MIN_ROWS = 2


class UncoveredList(QScrollArea):
    """The uncovered root causes, as tall as their rows up to about six, and never shorter
    than the first rows, so a "Start action" button is always in sight.

    Its size comes from the rows whenever the layout asks, not from a height fixed while
    they were added: rows added to a panel on screen are shown a moment later, and a
    height measured before that was 4 px (the workshop's collapsed strip).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = QWidget()
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(4)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(self.rows)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.rows.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.rows and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the rows changed: so does the height we ask for
        return super().eventFilter(watched, event)

    def _rows_height(self, count: int | None = None) -> int:
        layout = self.rows_layout
        items = [layout.itemAt(i) for i in range(layout.count())]
        if count is not None:
            items = items[:count]
        heights = [item.sizeHint().height() for item in items if item is not None]
        return sum(heights) + layout.spacing() * max(0, len(heights) - 1)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), min(self._rows_height() + 4, UNCOVERED_MAX_HEIGHT))

    def minimumSizeHint(self) -> QSize:
        height = self._rows_height(UNCOVERED_MIN_ROWS) + 4
        return QSize(super().minimumSizeHint().width(), min(height, UNCOVERED_MAX_HEIGHT))


class ActionsPanel(QWidget):
    """The "Actions" tab of an incident. Edits go through the document's undo stack."""

    def __init__(
        self,
        document: IncidentDocument,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.today = today
        self.editors: list[ActionEditor] = []
        self.start_buttons: dict[str, QPushButton] = {}
        self.coverage: Coverage = coverage(document.incident)

        self.coverage_label = QLabel()
        self.coverage_label.setTextFormat(Qt.TextFormat.PlainText)
        self.coverage_hint = QLabel(
            "A root cause counts as covered once an action for it is committed "
            "(owner, due date, measure and verification date agreed)."
        )
        self.coverage_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.coverage_hint.setWordWrap(True)
        set_tone(self.coverage_hint, Tone.HELP)

        self.uncovered_scroll = UncoveredList()
        self.uncovered_box = self.uncovered_scroll.rows
        self.uncovered_layout = self.uncovered_scroll.rows_layout

        self.model = ActionTableModel(columns=INCIDENT_COLUMNS, today=today, parent=self)
        self.proxy = ActionFilterProxy(today=today, parent=self)
        self.proxy.setSourceModel(self.model)
        self.table = follow_text_direction(QTableView())
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in range(self.model.columnCount()):
            key = self.model.column_key(column)
            header.resizeSection(column, {"action": 260, "root_cause": 240}.get(key, 96))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.new_button = QPushButton("New action…")
        self.new_button.clicked.connect(lambda: self.start_action([]))
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self._edit_selected)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        actions_title = QLabel("Preventive actions")
        bold = actions_title.font()
        bold.setBold(True)
        actions_title.setFont(bold)
        buttons.addWidget(actions_title)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.coverage_label)
        layout.addWidget(self.coverage_hint)
        layout.addWidget(self.uncovered_scroll)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        # Actions, root-cause marks and cause texts all show here.
        document.changed.connect(
            lambda changes: None if changes.beside_the_diagram else self.refresh()
        )
        self.refresh()

    # ------------------------------------------------------------- showing
    def refresh(self) -> None:
        incident = self.document.incident
        selected = self.selected_uid()
        self.coverage = coverage(incident)
        self.coverage_label.setText(self.coverage.text)
        set_tone(self.coverage_label, Tone.GOOD if self.coverage.complete else Tone.GAP, bold=True)
        self._fill_uncovered()
        self.model.set_rows(incident_rows(incident))
        if selected is not None:
            self.select(selected)
        self._update_buttons()

    def _fill_uncovered(self) -> None:
        while self.uncovered_layout.count():
            item = self.uncovered_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.start_buttons = {}
        graph = self.document.graph
        incident = self.document.incident
        if not self.coverage.root_causes:
            note = QLabel(
                "No cause is marked as a root cause yet: mark one in the diagrams.",
                self.uncovered_box,
            )
            note.setTextFormat(Qt.TextFormat.PlainText)
            set_tone(note, Tone.HELP)
            self.uncovered_layout.addWidget(note)
        for cause_id in self.coverage.uncovered:
            cause = graph.cause(cause_id)
            proposed = [a for a in incident.actions_for(cause_id) if a.is_open]
            row = QWidget(self.uncovered_box)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = QLabel(f"{cause.text}  ·  {cause.category}")
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            text.setToolTip(tooltip(cause.text))
            line.addWidget(text, 1)
            if proposed:
                waiting = QLabel(f"{len(proposed)} proposed, not committed")
                waiting.setTextFormat(Qt.TextFormat.PlainText)
                set_tone(waiting, Tone.HELP)
                line.addWidget(waiting)
            button = QPushButton("Start action")
            button.setToolTip("Create a preventive action for this root cause")
            button.clicked.connect(lambda _checked=False, c=cause_id: self.start_action([c]))
            line.addWidget(button)
            self.start_buttons[cause_id] = button
            self.uncovered_layout.addWidget(row)
        for i in range(self.uncovered_layout.count()):
            item = self.uncovered_layout.itemAt(i)
            shown = item.widget() if item is not None else None
            if shown is not None:
                # Shown now, not when the layout gets round to it: measured at once.
                shown.show()
        self.uncovered_scroll.setVisible(bool(self.uncovered_layout.count()))
        self.uncovered_scroll.updateGeometry()

    def selected_uid(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        row = index.data(ROW_ROLE)
        return row.action.uid if row is not None else None

    def select(self, uid: str) -> bool:
        incident_id = self.document.incident.id
        assert incident_id is not None
        source_row = self.model.table_row_of(incident_id, uid)
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        return True

    def _update_buttons(self, *_args: object) -> None:
        has = self.selected_uid() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # ------------------------------------------------------------- editing
    def _open(self, editor: ActionEditor) -> ActionEditor:
        self.editors.append(editor)
        editor.saved.connect(self.select)
        editor.finished.connect(lambda _result, e=editor: self._closed(e))
        editor.show()
        return editor

    def _closed(self, editor: ActionEditor) -> None:
        """A closed editor goes away, so it stops following the document."""
        if editor in self.editors:
            self.editors.remove(editor)
        editor.deleteLater()

    def edit_action(self, uid: str) -> ActionEditor:
        """Open the editor on one action of this incident (or bring its editor forward)."""
        for editor in self.editors:
            if editor.uid == uid:
                editor.show()
                editor.raise_()
                editor.activateWindow()
                return editor
        self.select(uid)
        return self._open(ActionEditor(self.document, uid=uid, today=self.today, parent=self))

    def start_action(self, root_cause_ids: Sequence[str]) -> ActionEditor:
        """Open the editor on a new action for ``root_cause_ids`` (checked already)."""
        return self._open(
            ActionEditor(
                self.document, root_causes=list(root_cause_ids), today=self.today, parent=self
            )
        )

    def _edit_selected(self) -> None:
        uid = self.selected_uid()
        if uid is not None:
            self.edit_action(uid)

    def _double_clicked(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.edit_action(row.action.uid)

    def delete_selected(self) -> bool:
        """Delete the selected action (undoable, so no confirmation is asked)."""
        uid = self.selected_uid()
        if uid is None:
            return False
        return self.document.execute(DeleteAction(self.document, uid))
