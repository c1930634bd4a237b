"""The main window: the workspace's incidents, what each one found, and the File menu."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelection, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rca_desk.interchange import ImportRefusedError, import_file, write_json
from rca_desk.interchange.files import ExportError
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident, RcaError
from rca_desk.model.analysis import findings
from rca_desk.store import IncidentSummary, Workspace
from rca_desk.ui.common.plain import ask, tooltip
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.review.dashboard import Dashboard
from rca_desk.ui.workspace.incident_table import (
    SUMMARY_ROLE,
    IncidentFilterProxy,
    IncidentTableModel,
)
from rca_desk.ui.workspace.new_incident import NewIncidentDialog

JSON_FILTER = "rca_desk JSON (*.json);;All files (*)"
WORKSPACE_FILTER = "rca_desk workspace (*.rcadesk);;All files (*)"


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


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class MainWindow(QMainWindow):
    """Lists the incidents of one workspace; the File menu moves incidents in and out.

    Dialogs go through the ``ask_*``/``confirm``/``show_error`` methods so tests can answer
    them without a person.
    """

    workspaceChanged = Signal()

    def __init__(self, workspace: Workspace, *, today: date | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self._today = today
        self.setMinimumSize(720, 480)
        self.resize(1180, 760)

        self.table_model = IncidentTableModel(self)
        self.proxy = IncidentFilterProxy(self)
        self.proxy.setSourceModel(self.table_model)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter incidents (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = QTableView()
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
        self.table.activated.connect(lambda index: self.open_incident(self._id_at(index)))

        self.empty_label = QLabel(
            "No incidents yet.\nFile ▸ New incident (Ctrl+N) starts one; File ▸ Import JSON… "
            "brings some in; Help ▸ Add sample incident shows a worked example."
        )
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Select an incident to see what happened.")
        self.findings_list = QListWidget()
        self.findings_list.setWordWrap(True)
        self.findings_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        findings_label = QLabel("Findings")
        findings_label.setTextFormat(Qt.TextFormat.PlainText)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_edit)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty_label, 1)
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

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.addTab(splitter, "Incidents")
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.dashboard = Dashboard(self.workspace, today=lambda: self.today)
        self.dashboard.openAction.connect(self.open_action_in_incident)
        self.tabs.addTab(self.dashboard, "Actions review")
        self.tabs.tabBar().setTabButton(1, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.undo_group = QUndoGroup(self)
        self.open_views: dict[int, IncidentTab] = {}
        self.setCentralWidget(self.tabs)

        self._build_actions()
        self._restore_geometry()
        self.refresh()

    # ----------------------------------------------------------------- actions
    def _build_actions(self) -> None:
        def action(
            text: str,
            slot: object,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        ) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            return act

        self.new_action = action(
            "&New incident…", self.new_incident_dialog, QKeySequence.StandardKey.New
        )
        self.open_incident_action = action("Open &incident", self._open_selected)
        self.close_tab_action = action(
            "&Close incident", self._close_current_tab, QKeySequence.StandardKey.Close
        )
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.open_action = action(
            "&Open workspace…", self.open_workspace_dialog, QKeySequence.StandardKey.Open
        )
        self.import_action = action("&Import JSON…", self.import_dialog, "Ctrl+I")
        self.export_action = action("&Export incident as JSON…", self.export_dialog, "Ctrl+Shift+E")
        self.export_all_action = action("Export &all incidents as JSON…", self.export_all_dialog)
        self.delete_action = action(
            "&Delete incident…", self.delete_selected, QKeySequence.StandardKey.Delete
        )
        self.quit_action = action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.sample_action = action("Add &sample incident", self.add_sample)
        self.about_action = action("&About rca_desk", self._about)
        self.review_action = action("Actions &review", self.show_review, "Ctrl+Shift+R")
        self.find_action = action(
            "&Find incident", self._focus_filter, QKeySequence.StandardKey.Find
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table.addAction(self.delete_action)

        file_menu = self.menuBar().addMenu("&File")
        for act in (
            self.new_action,
            self.open_incident_action,
            self.close_tab_action,
            None,
            self.open_action,
            None,
            self.import_action,
            self.export_action,
            self.export_all_action,
            None,
            self.quit_action,
        ):
            file_menu.addSeparator() if act is None else file_menu.addAction(act)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.review_action)
        edit_menu.addAction(self.delete_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.sample_action)
        help_menu.addAction(self.about_action)

    def _focus_filter(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # -------------------------------------------------------------- incidents
    def _id_at(self, index: object) -> int:
        summary = index.data(SUMMARY_ROLE)  # type: ignore[attr-defined]
        assert isinstance(summary, IncidentSummary)
        return summary.id

    def _open_selected(self) -> None:
        incident_id = self.selected_id()
        if incident_id is not None:
            self.open_incident(incident_id)

    def open_incident(self, incident_id: int) -> IncidentTab:
        """Show the incident's diagrams in a tab (the existing one if it is open)."""
        view = self.open_views.get(incident_id)
        if view is None:
            document = IncidentDocument(self.workspace, self.workspace.load(incident_id), self)
            view = IncidentTab(document, today=lambda: self.today)
            view.message.connect(self._show_message)
            document.changed.connect(lambda changes, d=document: self._incident_changed(d, changes))
            self.undo_group.addStack(document.undo_stack)
            self.open_views[incident_id] = view
            title = document.incident.title
            index = self.tabs.addTab(view, title if len(title) <= 28 else title[:27] + "…")
            self.tabs.setTabToolTip(index, tooltip(title))
        self.tabs.setCurrentWidget(view)
        view.view().setFocus()
        return view

    def show_review(self) -> None:
        self.dashboard.refresh()
        self.tabs.setCurrentWidget(self.dashboard)

    def open_action_in_incident(self, incident_id: int, uid: str) -> None:
        """From the review table: the incident's Actions tab with that action's editor."""
        view = self.open_incident(incident_id)
        view.views.setCurrentWidget(view.actions_panel)
        view.actions_panel.edit_action(uid)

    def _incident_changed(self, document: IncidentDocument, changes: Changes) -> None:
        # Counts in the list are re-read when its tab is shown again (_tab_changed); only
        # a change of the incident's own facts refreshes it at once.
        if changes.everything or changes.incident:
            self._refresh_rows()
            self._retitle(document)
        if changes.everything or changes.actions:
            self._refresh_review()

    def _retitle(self, document: IncidentDocument) -> None:
        view = self.open_views.get(document.incident.id or -1)
        if view is not None:
            index = self.tabs.indexOf(view)
            title = document.incident.title
            self.tabs.setTabText(index, title if len(title) <= 28 else title[:27] + "…")
            self.tabs.setTabToolTip(index, tooltip(title))

    def _refresh_review(self) -> None:
        """Keep the review current while it is on screen (an action editor may be open)."""
        if self.tabs.currentWidget() is self.dashboard:
            self.dashboard.refresh()

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _refresh_rows(self) -> None:
        self.table_model.set_rows(self.workspace.incidents())

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, IncidentTab):
            self.undo_group.setActiveStack(widget.document.undo_stack)
        elif widget is getattr(self, "dashboard", None):
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
            self.dashboard.refresh()
        else:
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
            if hasattr(self, "table_model"):
                self.refresh()

    def _close_current_tab(self) -> None:
        if isinstance(self.tabs.currentWidget(), IncidentTab):
            self._close_tab(self.tabs.currentIndex())

    def _close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if not isinstance(widget, IncidentTab):
            return
        widget.finish_editing()
        incident_id = widget.document.incident.id
        self.open_views.pop(incident_id or -1, None)
        self.undo_group.removeStack(widget.document.undo_stack)
        self.tabs.removeTab(index)
        widget.deleteLater()

    def close_all_incidents(self) -> None:
        for index in range(self.tabs.count() - 1, 1, -1):
            self._close_tab(index)

    def new_incident_dialog(self) -> None:
        incident = self.ask_new_incident()
        if incident is None:
            return
        try:
            incident_id = self.workspace.add_incident(incident)
        except RcaError as error:
            self.show_error("Could not create the incident", str(error))
            return
        self.refresh(select=incident_id)
        self.open_incident(incident_id)

    def ask_new_incident(self) -> Incident | None:
        dialog = NewIncidentDialog(self)
        if dialog.exec() == NewIncidentDialog.DialogCode.Accepted:
            return dialog.result_incident
        return None

    # ---------------------------------------------------------- dialog hooks
    def ask_open_path(self, title: str, file_filter: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, title, str(self._last_dir()), file_filter)
        return self._remember(name)

    def ask_save_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, title, str(self._last_dir() / suggested), file_filter
        )
        return self._remember(name)

    def confirm(self, title: str, question: str) -> bool:
        return ask(self, title, question)

    def show_error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def _last_dir(self) -> Path:
        return Path(str(QSettings().value("last_dir", str(Path.home()))))

    def _remember(self, name: str) -> Path | None:
        if not name:
            return None
        path = Path(name)
        QSettings().setValue("last_dir", str(path.parent))
        return path

    # ------------------------------------------------------------------ state
    @property
    def today(self) -> date:
        return self._today or date.today()

    def refresh(self, select: int | None = None) -> None:
        """Re-read the incident list from the workspace, keeping (or moving) the selection."""
        current = select if select is not None else self.selected_id()
        self.table_model.set_rows(self.workspace.incidents())
        has_rows = self.table_model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.empty_label.setVisible(not has_rows)
        self.export_action.setEnabled(has_rows)
        self.export_all_action.setEnabled(has_rows)
        self.delete_action.setEnabled(has_rows)
        self.setWindowTitle(f"{self.workspace.path.name} — rca_desk")
        self.statusBar().showMessage(
            f"{plural(self.table_model.rowCount(), 'incident')} in {self.workspace.path}"
        )
        if current is not None:
            self.select_incident(current)
        elif has_rows:
            self.table.selectRow(0)  # show something useful at once
        self._show_details()
        self.workspaceChanged.emit()

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

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._show_details()

    def _show_details(self) -> None:
        self.findings_list.clear()
        incident_id = self.selected_id()
        if incident_id is None:
            self.details.setPlainText("")
            return
        incident = self.workspace.load(incident_id)
        self.details.setPlainText(describe(incident))
        found = findings(incident, today=self.today)
        for finding in found:
            self.findings_list.addItem(f"• {finding.message}")
        if not found:
            self.findings_list.addItem("No findings: every root cause has a committed action.")

    # ------------------------------------------------------------- commands
    def open_workspace_dialog(self) -> None:
        path = self.ask_open_path("Open workspace", WORKSPACE_FILTER)
        if path is not None:
            self.open_workspace(path)

    def open_workspace(self, path: Path) -> bool:
        """Switch to the workspace at ``path``; on refusal keep the current one open."""
        try:
            workspace = Workspace.open(path, create=False)
        except RcaError as error:
            self.show_error("Cannot open the workspace", str(error))
            return False
        self.close_all_incidents()
        self.workspace.close()
        self.workspace = workspace
        self.dashboard.workspace = workspace
        self.refresh()
        return True

    def import_dialog(self) -> None:
        path = self.ask_open_path("Import incidents", JSON_FILTER)
        if path is not None:
            self.import_path(path)

    def import_path(self, path: Path) -> list[int]:
        try:
            ids = import_file(self.workspace, path)
        except ImportRefusedError as error:
            self.show_error("Nothing was imported", str(error))
            return []
        except RcaError as error:
            self.show_error("Nothing was imported", str(error))
            return []
        self.refresh(select=ids[0] if ids else None)
        self.statusBar().showMessage(f"Imported {len(ids)} incidents from {path.name}.")
        return ids

    def export_dialog(self) -> None:
        incident_id = self.selected_id()
        if incident_id is None:
            self.show_error("Nothing to export", "Select the incident to export first.")
            return
        incident = self.workspace.load(incident_id)
        path = self.ask_save_path("Export incident", f"incident-{incident_id}.json", JSON_FILTER)
        if path is not None:
            self._export([incident], path)

    def export_all_dialog(self) -> None:
        path = self.ask_save_path("Export all incidents", "incidents.json", JSON_FILTER)
        if path is not None:
            incidents = [self.workspace.load(s.id) for s in self.workspace.incidents()]
            self._export(incidents, path)

    def _export(self, incidents: list[Incident], path: Path) -> bool:
        try:
            write_json(path, incidents)
        except (ExportError, OSError) as error:
            self.show_error("Export failed", str(error))
            return False
        self.statusBar().showMessage(f"Exported {len(incidents)} incidents to {path}.")
        return True

    def add_sample(self) -> None:
        incidents = sample_incidents(self.today)
        try:
            ids = self.workspace.add_incidents(incidents)
        except RcaError as error:
            self.show_error("Could not add the sample", str(error))
            return
        self.refresh(select=ids[0])

    def delete_selected(self) -> None:
        summary = self.selected_summary()
        if summary is None:
            return
        question = (
            f"Delete incident {summary.id} “{summary.title}” with its {summary.causes} causes "
            f"and {summary.actions} preventive actions? This cannot be undone; export it "
            "first if you may need it again."
        )
        if not self.confirm("Delete incident", question):
            return
        view = self.open_views.get(summary.id)
        if view is not None:
            self._close_tab(self.tabs.indexOf(view))
        try:
            self.workspace.delete_incident(summary.id)
        except RcaError as error:
            self.show_error("Could not delete the incident", str(error))
            return
        self.refresh()

    def _about(self) -> None:
        from rca_desk import __version__

        QMessageBox.about(
            self,
            "About rca_desk",
            f"rca_desk {__version__}\nRoot cause analysis: fishbone diagrams, five-whys chains "
            f"and preventive actions.\nWorkspace: {self.workspace.path}",
        )

    # --------------------------------------------------------------- window
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        for view in self.open_views.values():
            view.finish_editing()
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
