"""The workshop agenda on the Incident tab: its steps and minutes, and the timer's controls.

The facilitator sets the agenda before the room meets (or changes it when the room runs
long) and can run the facts step from here before going to presentation mode. Every edit
is one :class:`EditIncident` of the whole agenda, so it is undoable and written through
like the other fields; the timer is the tab's :class:`AgendaClock`, the one the
presentation header shows.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model.agenda import DEFAULT_AGENDA, MAX_MINUTES, MIN_MINUTES, Agenda, AgendaStep
from rca_desk.ui.document.cause_commands import EditIncident
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.agenda_clock import AgendaClock
from rca_desk.ui.incident.record_table import edit_cell

__all__ = ["AgendaEditor"]

NAME, MINUTES = 0, 1
#: A new step's minutes: a short one, easy to change.
NEW_STEP_MINUTES = 10


class _MinutesDelegate(QStyledItemDelegate):
    """Minutes are typed in a spin box that only takes 1 to 240."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        box = QSpinBox(parent)
        box.setRange(MIN_MINUTES, MAX_MINUTES)
        box.setSuffix(" min")
        return box


class AgendaEditor(QGroupBox):
    """The incident's agenda as a two-column table, with buttons to add, remove, move and
    reset steps, the total, and the timer's start/pause, next step and reset."""

    def __init__(
        self, document: IncidentDocument, clock: AgendaClock, parent: QWidget | None = None
    ) -> None:
        super().__init__("Workshop agenda", parent)
        self.document = document
        self.clock = clock
        self._loading = False
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("agendaTable")
        self.table.setHorizontalHeaderLabels(["Step", "Minutes"])
        self.table.verticalHeader().setVisible(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MINUTES, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setItemDelegateForColumn(MINUTES, _MinutesDelegate(self.table))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, as in the rest of the form
        self.table.setMinimumHeight(150)
        self.table.itemChanged.connect(self._item_changed)

        self.add_button = QPushButton("Add step")
        self.remove_button = QPushButton("Remove step")
        self.up_button = QPushButton("Earlier")
        self.down_button = QPushButton("Later")
        self.default_button = QPushButton("Default agenda")
        self.default_button.setToolTip(
            ", ".join(f"{s.name} {s.minutes} min" for s in DEFAULT_AGENDA)
        )
        edits = QHBoxLayout()
        for button in (
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            self.default_button,
        ):
            edits.addWidget(button)
        edits.addStretch(1)
        self.total = QLabel()
        self.total.setTextFormat(Qt.TextFormat.PlainText)
        edits.addWidget(self.total)

        self.timer_label = QLabel()
        self.timer_label.setObjectName("agendaTimer")
        self.timer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Start or pause the timer (T on the diagram)")
        self.next_button = QPushButton("Next step")
        self.next_button.setToolTip("The next step, from its full time (Shift+T on the diagram)")
        self.reset_button = QPushButton("Reset timer")
        timer_row = QHBoxLayout()
        timer_row.addWidget(QLabel("Timer:"))
        timer_row.addWidget(self.timer_label, 1)
        for button in (self.start_button, self.next_button, self.reset_button):
            timer_row.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(edits)
        layout.addLayout(timer_row)

        self.add_button.clicked.connect(self.add_step)
        self.remove_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        self.default_button.clicked.connect(lambda: self._commit(DEFAULT_AGENDA))
        self.start_button.clicked.connect(clock.toggle)
        self.next_button.clicked.connect(clock.next_step)
        self.reset_button.clicked.connect(clock.reset)
        clock.changed.connect(self._show_timer)
        document.changed.connect(self._document_changed)
        self.load()

    # ------------------------------------------------------------- loading
    def _document_changed(self, changes: Changes) -> None:
        if changes.everything or "agenda" in changes.incident:
            self.load()

    def load(self) -> None:
        agenda = self.document.incident.agenda
        row = self.table.currentRow()
        self._loading = True
        try:
            self.table.setRowCount(len(agenda))
            for number, step in enumerate(agenda):
                self.table.setItem(number, NAME, QTableWidgetItem(step.name))
                cell = QTableWidgetItem()
                cell.setData(Qt.ItemDataRole.EditRole, step.minutes)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(number, MINUTES, cell)
        finally:
            self._loading = False
        if row >= 0:
            self.table.setCurrentCell(min(row, len(agenda) - 1), self.table.currentColumn())
        total = sum(step.minutes for step in agenda)
        hours, minutes = divmod(total, 60)
        spelled = f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
        self.total.setText(f"Total {spelled}")
        self.remove_button.setEnabled(len(agenda) > 1)
        self._show_timer()

    def _show_timer(self) -> None:
        self.timer_label.setText(self.clock.describe())
        self.start_button.setText("Pause" if self.clock.timer.running else "Start")
        current = self.clock.timer.index
        for row in range(self.table.rowCount()):
            for column in (NAME, MINUTES):
                item = self.table.item(row, column)
                if item is not None and item.font().bold() != (row == current):
                    font = item.font()
                    font.setBold(row == current)  # the step the timer is on
                    self._loading = True  # a look, not an edit
                    try:
                        item.setFont(font)
                    finally:
                        self._loading = False

    # ------------------------------------------------------------- editing
    def steps(self) -> list[AgendaStep]:
        return list(self.document.incident.agenda)

    def _commit(self, agenda: Agenda | list[AgendaStep]) -> bool:
        if tuple(agenda) == self.document.incident.agenda:
            return True
        if not self.document.execute(EditIncident(self.document, agenda=tuple(agenda))):
            self.load()  # put the refused value back
            return False
        return True

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        steps = self.steps()
        row = item.row()
        if not 0 <= row < len(steps):
            return
        old = steps[row]
        if item.column() == NAME:
            steps[row] = AgendaStep(item.text(), old.minutes)
        else:
            value = item.data(Qt.ItemDataRole.EditRole)
            minutes = value if isinstance(value, int) else _whole_number(value)
            steps[row] = AgendaStep(old.name, minutes)
        self._commit(steps)

    def add_step(self) -> None:
        """A new step after the selected one (or at the end), its name ready to type."""
        steps = self.steps()
        row = self.table.currentRow()
        at = row + 1 if row >= 0 else len(steps)
        steps.insert(at, AgendaStep(f"Step {len(steps) + 1}", NEW_STEP_MINUTES))
        if self._commit(steps):
            edit_cell(self.table, at, NAME)

    def remove_step(self) -> None:
        steps = self.steps()
        row = self.table.currentRow()
        if 0 <= row < len(steps):
            del steps[row]
            self._commit(steps)

    def move_step(self, by: int) -> None:
        steps = self.steps()
        row = self.table.currentRow()
        if 0 <= row < len(steps) and 0 <= row + by < len(steps):
            steps[row], steps[row + by] = steps[row + by], steps[row]
            if self._commit(steps):
                self.table.setCurrentCell(row + by, self.table.currentColumn())


def _whole_number(value: object) -> int:
    """Minutes typed as text (no spin box, e.g. pasted): a whole number, else 0, which
    the agenda refuses with the step named."""
    try:
        return int(str(value).strip())
    except ValueError:
        return 0
