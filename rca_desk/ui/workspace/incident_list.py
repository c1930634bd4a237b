"""The Incidents tab: the workspace's incidents, filterable, with the selected one's story.

A widget of its own (qutebrowser keeps ``tabbedbrowser.py`` apart from ``mainwindow.py``
the same way) so the main window is only about menus and tabs: this module owns the table
and its filter from :mod:`~rca_desk.ui.workspace.incident_table`, the empty-workspace hint,
and the facts and findings of the selected incident.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import Incident, RcaError
from rca_desk.model.analysis import findings
from rca_desk.store import BrokenIncidentError, IncidentSummary, WorkspaceStore
from rca_desk.ui.common.marks import finding_icon
from rca_desk.ui.common.plain import PlainTextEdit, follow_text_direction
from rca_desk.ui.workspace.incident_table import (
    SUMMARY_ROLE,
    IncidentFilterProxy,
    IncidentTableModel,
)

#: How long typing must pause before the filter asks the search index.
SEARCH_PAUSE_MS = 200


def describe(incident: Incident) -> str:
    """The incident's facts as plain text (never rich text: titles are user input)."""
    lines = [incident.title, ""]
    facts = [
        ("Client / service", incident.affected),
        (
            "Occurred",
            incident.occurred_at.strftime("%Y-%m-%d %H:%M") if incident.occurred_at else "",
        ),
        ("Severity", incident.severity.label),
        ("Status", incident.status.label),
        ("Problem", incident.graph.problem),
    ]
    lines += [f"{name}: {value}" for name, value in facts if value]
    for heading, text in (
        ("Description", incident.description),
        ("Impact on operations", incident.impact.operational),
        ("Financial impact", incident.impact.financial),
        ("Reputational impact", incident.impact.reputational),
        ("Compliance impact", incident.impact.compliance),
        ("Containment", incident.containment),
    ):
        if text:
            lines += ["", f"{heading}:", text]
    graph = incident.graph
    lines += [
        "",
        f"{len(graph)} causes in {len(graph.categories)} categories, "
        f"{len(graph.root_causes())} root causes, {len(incident.actions)} preventive actions.",
    ]
    return "\n".join(lines)


class IncidentList(QWidget):
    """The incidents of one workspace in a sortable, filterable table, and the selected
    incident's facts and findings beside it, so a team sees what each one found before
    opening it.

    Signals: ``openRequested(int)`` with the incident id when a row is activated (double
    click or Enter), for the main window to open its tab; ``newRequested()`` and
    ``sampleRequested()`` from the empty workspace's two buttons; ``counted(int)`` with the number
    of incidents each time the rows are read again, so every count shown elsewhere (the
    status bar) follows the same reading.
    """

    openRequested = Signal(int)
    counted = Signal(int)
    #: The empty workspace's buttons: start an incident, or add and open the sample.
    newRequested = Signal()
    sampleRequested = Signal()

    def __init__(
        self, workspace: WorkspaceStore, *, today: Callable[[], date], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        #: The workspace the rows come from; the main window replaces it on a switch.
        self.workspace = workspace
        self.today = today

        self.table_model = IncidentTableModel(self)
        self.proxy = IncidentFilterProxy(self)
        self.proxy.setSourceModel(self.table_model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(
            "Filter incidents: title, client, or any word of their causes, actions, lessons "
            "(Ctrl+F)"
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)
        # The shown columns filter at once; the search index is asked once typing pauses,
        # so a fast typist never waits on a query per key.
        #: The incident the person chose last, brought back when a filter shows it again.
        self._wanted: int | None = None
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_PAUSE_MS)
        self.search_timer.timeout.connect(self._search_index)

        self.table = follow_text_direction(QTableView())
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((1, 300), (5, 180)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(self._activated)

        self.empty_label = QLabel(
            "No incidents yet.\nStart one, or open the worked sample to see what a finished "
            "analysis looks like.\nFile ▸ Import JSON… brings incidents in from a file."
        )
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        # A first start shows this screen: the way in is a button, not a menu to find.
        self.new_button = QPushButton("New incident…")
        self.new_button.setDefault(True)
        self.new_button.setToolTip("Start an incident (Ctrl+N)")
        self.new_button.clicked.connect(self.newRequested)
        self.sample_button = QPushButton("Open the sample")
        self.sample_button.setToolTip("Add the worked sample incident and open it")
        self.sample_button.clicked.connect(self.sampleRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        self.empty_screen = QWidget()
        empty_layout = QVBoxLayout(self.empty_screen)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addSpacing(12)
        empty_layout.addLayout(buttons)
        empty_layout.addStretch(1)

        self.details = PlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select an incident to see what happened.")
        self.findings_list = follow_text_direction(QListWidget())
        self.findings_list.setWordWrap(True)
        self.findings_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        findings_label = QLabel("Findings")
        findings_label.setTextFormat(Qt.TextFormat.PlainText)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_edit)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_screen, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.details, 3)
        right_layout.addWidget(findings_label)
        right_layout.addWidget(self.findings_list, 2)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # ------------------------------------------------------------------ rows
    def refresh(self, select: int | None = None) -> int:
        """Re-read the rows, keeping (or moving to ``select``) the selection; the row count."""
        current = select if select is not None else self.selected_id()
        self.table_model.set_rows(self.workspace.incidents())
        self._refilter()
        rows = self.table_model.rowCount()
        self.table.setVisible(rows > 0)
        self.empty_screen.setVisible(rows == 0)
        if current is not None:
            self.select_incident(current)
        elif rows:
            self.table.selectRow(0)  # show something useful at once
        self._show_details()
        self.counted.emit(rows)
        return rows

    def _filter_changed(self, text: str) -> None:
        # The incident chosen before the filter hid it comes back when the index (after
        # the pause) finds it again.
        self._wanted = self.selected_id() or self._wanted
        self.proxy.setFilterFixedString(text)
        if not text.strip():
            self.search_timer.stop()
            self.proxy.set_found(set())
            self._keep_selection()
            return
        self.search_timer.start()

    def _keep_selection(self) -> None:
        """After the rows shown changed: the wanted incident selected if it is shown, else
        the first row, so the details never go blank while rows are listed."""
        if self.selected_id() is not None:
            return
        if self._wanted is not None:
            self.select_incident(self._wanted)
        if self.selected_id() is None and self.proxy.rowCount():
            self.table.selectRow(0)

    def _refilter(self) -> None:
        """The rows were read again: what the index finds may have changed too."""
        if self.filter_edit.text().strip():
            self._search_index()

    def _search_index(self) -> None:
        """Also show the incidents whose causes, evidence, actions, lessons or timeline
        hold every word of the filter (the search index: stemmed, synonyms included)."""
        text = self.filter_edit.text()
        try:
            found = self.workspace.matching_incidents(text) if text.strip() else set()
        except RcaError:
            found = set()  # the title filter still works; the index says why elsewhere
        self.proxy.set_found(found)
        self._keep_selection()

    def refresh_rows(self) -> None:
        """Re-read the rows only (an open incident's own facts changed)."""
        self.table_model.set_rows(self.workspace.incidents())
        self._refilter()
        self.counted.emit(self.table_model.rowCount())

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # ------------------------------------------------------------- selection
    def selected_id(self) -> int | None:
        summary = self.selected_summary()
        return summary.id if summary else None

    def selected_summary(self) -> IncidentSummary | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        summary = rows[0].data(SUMMARY_ROLE)
        return summary if isinstance(summary, IncidentSummary) else None

    def select_incident(self, incident_id: int) -> None:
        row = self.table_model.row_of(incident_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.table_model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def _activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        summary = index.data(SUMMARY_ROLE)
        assert isinstance(summary, IncidentSummary)
        self.openRequested.emit(summary.id)

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_details()

    def _show_details(self) -> None:
        self.findings_list.clear()
        incident_id = self.selected_id()
        if incident_id is None:
            self.details.setPlainText("")
            return
        try:
            incident = self.workspace.load(incident_id)
        except BrokenIncidentError as broken:
            incident = broken.incident
            for problem in broken.problems:
                self.findings_list.addItem(f"• Breaks a rule (open it to repair): {problem}")
        except RcaError as error:
            self.details.setPlainText(str(error))
            return
        self.details.setPlainText(describe(incident))
        found = findings(incident, today=self.today())
        for finding in found:
            item = QListWidgetItem(finding_icon(finding.kind), finding.message)
            item.setToolTip(finding.kind.info.name)
            self.findings_list.addItem(item)
        if not found:
            self.findings_list.addItem("No findings: every root cause has a committed action.")
