"""The main window: menus, the undo group and the tabs (incidents, review, open incidents).

What used to live here alongside the menus now has modules of its own: the Incidents tab
is :class:`~rca_desk.ui.workspace.incident_list.IncidentList`, and opening another
workspace, importing, exporting and the sample incident are
:class:`~rca_desk.ui.workspace.workspace_files.WorkspaceFiles`. The window wires them to
the menus and keeps the tabs and the Actions review in step with what changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import HEAD, Incident, RcaError
from rca_desk.store import SearchHit, WorkspaceStore
from rca_desk.store.search_index import ACTION, LESSONS, TIMELINE, TITLE
from rca_desk.ui.common.info_bar import InfoBar
from rca_desk.ui.common.plain import ask, tooltip
from rca_desk.ui.common.settings import (
    keep_open_incidents,
    last_folder,
    open_incidents,
    remember_folder,
)
from rca_desk.ui.common.tones import retone
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.document.watcher import WorkspaceWatcher
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.review.dashboard import Dashboard
from rca_desk.ui.workspace.incident_list import IncidentList
from rca_desk.ui.workspace.library_search import LibrarySearch
from rca_desk.ui.workspace.new_incident import NewIncidentDialog
from rca_desk.ui.workspace.notices import WorkspaceNotices
from rca_desk.ui.workspace.shortcut_list import ShortcutList, sections
from rca_desk.ui.workspace.workspace_files import WorkspaceFiles

#: Where the last server workspace's address is kept, to offer it again.
LAST_SERVER_KEY = "last_server_address"

#: Longest tab title before it is cut with an ellipsis (the full title is the tooltip).
TAB_TITLE_LENGTH = 28


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def tab_title(title: str) -> str:
    return title if len(title) <= TAB_TITLE_LENGTH else title[: TAB_TITLE_LENGTH - 1] + "…"


class MainWindow(QMainWindow):
    """One workspace on screen: the incident list, the Actions review, and a tab per open
    incident, with the menus that act on them and one undo group following the current tab.

    Dialogs go through the ``ask_*``/``confirm``/``show_error`` methods so tests can answer
    them without a person. No signals: nothing outside the window listens to it.

    ``clock`` (timezone-aware now) judges who else has the workspace open; tests pass a
    fake one.
    """

    def __init__(
        self,
        workspace: WorkspaceStore,
        *,
        today: date | None = None,
        clock: Callable[[], datetime] | None = None,
        timer_clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._today = today
        #: What the incidents' agenda timers read (seconds; tests pass a fake one).
        self.timer_clock = timer_clock
        self.setMinimumSize(720, 480)
        self.resize(1180, 760)

        self.files = WorkspaceFiles(workspace, self, today=lambda: self.today, parent=self)
        self.incident_list = IncidentList(workspace, today=lambda: self.today)
        self.incident_list.openRequested.connect(self.open_incident)
        self.incident_list.counted.connect(self._counted)
        self.incident_list.newRequested.connect(self.new_incident_dialog)
        self.incident_list.sampleRequested.connect(self.open_sample)
        #: The status bar's resting line ("3 incidents in …"), shown again whenever a
        #: passing message times out or is cleared.
        self._status_base = ""
        #: The last refusal shown in the status bar; cleared by the next edit that works.
        self._refusal: str | None = None
        self.statusBar().messageChanged.connect(self._status_message_changed)
        self.dashboard = Dashboard(workspace, today=lambda: self.today)
        self.dashboard.openAction.connect(self.open_action_in_incident)
        self.dashboard.openCheckIn.connect(self.open_check_in)
        self.dashboard.openRecovery.connect(self.open_recovery)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.addTab(self.incident_list, "Incidents")
        self.tabs.addTab(self.dashboard, "Actions review")
        for index in (0, 1):
            self.tabs.tabBar().setTabButton(
                index, self.tabs.tabBar().ButtonPosition.RightSide, None
            )
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.undo_group = QUndoGroup(self)
        self.open_views: dict[int, IncidentTab] = {}
        # Above the tabs: who else has the workspace open, and a network-drive warning.
        self.notices = WorkspaceNotices(clock or (lambda: datetime.now(UTC)))
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.notices)
        # A workspace that can be read but not written: say so once, above everything.
        self.read_only_bar = InfoBar("warning")
        self.read_only_bar.show_text(workspace.read_only)
        column.addWidget(self.read_only_bar)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.notices.follow(workspace)

        #: The library search dialog, made the first time it is asked for.
        self.library_search: LibrarySearch | None = None

        self.watcher = WorkspaceWatcher(workspace, self)
        self.watcher.changed.connect(self._changed_elsewhere)
        self.watcher.start()

        self._build_actions()
        self._observe_files(self.files)
        self._restore_geometry()
        self.refresh()
        self.restore_open_incidents()

    @property
    def workspace(self) -> WorkspaceStore:
        """The open workspace (replaced by File ▸ Open workspace or Open server workspace)."""
        return self.files.workspace

    @property
    def today(self) -> date:
        return self._today or date.today()

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

        files = self.files
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
            "&Open workspace…", files.open_workspace_dialog, QKeySequence.StandardKey.Open
        )
        self.new_workspace_action = action("New &workspace…", files.new_workspace_dialog)
        self.open_server_action = action(
            "Open Ser&ver Workspace…", files.open_server_dialog, "Ctrl+Shift+O"
        )
        self.import_action = action("&Import JSON…", files.import_dialog, "Ctrl+I")
        self.export_action = action(
            "&Export incident as JSON…",
            lambda: files.export_dialog(self.incident_list.selected_id()),
            "Ctrl+Shift+E",
        )
        self.export_all_action = action("Export &all incidents as JSON…", files.export_all_dialog)
        self.calendar_action = action("Export &calendar…", files.export_calendar_dialog)
        self.delete_action = action(
            "&Delete incident…", self.delete_selected, QKeySequence.StandardKey.Delete
        )
        self.quit_action = action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.sample_action = action("Add &sample incident", files.add_sample)
        self.about_action = action("&About rca_desk", self._about)
        self.shortcuts_action = action("&Keyboard shortcuts", self.show_shortcuts)
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+?")])
        self.review_action = action("Actions &review", self.show_review, "Ctrl+Shift+R")
        self.present_action = action("&Present", self.present, "F11")
        self.find_action = action(
            "&Find incident", self._focus_filter, QKeySequence.StandardKey.Find
        )
        self.search_library_action = action(
            "&Search past incidents…", self.show_library_search, "Ctrl+Shift+L"
        )
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.incident_list.table.addAction(self.delete_action)

        file_menu = self.menuBar().addMenu("&File")
        for act in (
            self.new_action,
            self.open_incident_action,
            self.close_tab_action,
            None,
            self.new_workspace_action,
            self.open_action,
            self.open_server_action,
            None,
            self.import_action,
            self.export_action,
            self.export_all_action,
            self.calendar_action,
            None,
            self.quit_action,
        ):
            file_menu.addSeparator() if act is None else file_menu.addAction(act)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.search_library_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.review_action)
        view_menu.addAction(self.present_action)
        edit_menu.addAction(self.delete_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.sample_action)
        help_menu.addAction(self.about_action)

    def show_library_search(self) -> LibrarySearch:
        """Ctrl+Shift+F: the search over every past incident (one dialog, kept)."""
        if self.library_search is None:
            self.library_search = LibrarySearch(self.workspace, self)
            self.library_search.openHit.connect(self.open_search_hit)
        self.library_search.workspace = self.workspace
        self.library_search.show()
        self.library_search.raise_()
        self.library_search.activateWindow()
        self.library_search.query_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.library_search.query_edit.selectAll()
        return self.library_search

    def open_search_hit(self, hit: SearchHit) -> IncidentTab | None:
        """Open a search hit's incident where the words were found: its cause selected on
        the diagram, its action, its timeline event, its lessons or its facts."""
        try:
            view = self.open_incident(hit.incident_id)
        except RcaError as error:
            self.show_error("Could not open the incident", str(error))
            return None
        cause_id = hit.cause_id
        if cause_id is not None and (cause_id == HEAD or cause_id in view.document.graph):
            view.views.setCurrentWidget(view.view())
            view.view().set_current(cause_id)
            view.view().setFocus()
        elif hit.kind == ACTION:
            view.views.setCurrentWidget(view.actions_panel)
            view.actions_panel.select(hit.ref)
        elif hit.kind == TIMELINE:
            view.views.setCurrentWidget(view.record)
            view.record.timeline.load(select=hit.ref)
        elif hit.kind == LESSONS:
            view.views.setCurrentWidget(view.record)
            view.record.lessons.setFocus()
        elif hit.kind == TITLE:
            view.views.setCurrentWidget(view.form)
        self.activateWindow()
        return view

    def _focus_filter(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.incident_list.focus_filter()

    # ------------------------------------------------------ workspace changes
    def _observe_files(self, files: WorkspaceFiles) -> None:
        """Follow workspace switches, imports and the sample (one place for these links)."""
        files.aboutToSwitch.connect(self.keep_open_incidents)
        files.aboutToSwitch.connect(self.close_all_incidents)
        files.switched.connect(self._workspace_switched)
        files.added.connect(self._incidents_added)
        files.message.connect(self._show_message)

    # --------------------------------------------------------- open incidents
    def keep_open_incidents(self) -> None:
        """Remember this workspace's open tabs (on closing, or before switching away)."""
        ids = []
        for index in range(self.tabs.count()):
            widget = self.tabs.widget(index)
            if isinstance(widget, IncidentTab) and widget.document.incident.id is not None:
                ids.append(widget.document.incident.id)
        front = self.tabs.currentWidget()
        current = front.document.incident.id if isinstance(front, IncidentTab) else None
        keep_open_incidents(self.workspace.location, ids, current)

    def restore_open_incidents(self) -> None:
        """Reopen the tabs that were open on this workspace last time; an incident deleted
        meanwhile (or one that cannot be read now) is skipped without a word."""
        ids, current = open_incidents(self.workspace.location)
        present = {summary.id for summary in self.workspace.incidents()}
        for incident_id in ids:
            if incident_id in present:
                try:
                    self.open_incident(incident_id)
                except RcaError:
                    continue
        front = self.open_views.get(current) if current is not None else None
        if front is not None:
            self.tabs.setCurrentWidget(front)
        elif ids:
            self.tabs.setCurrentWidget(self.incident_list)  # where the list was in front

    def _workspace_switched(self) -> None:
        self.watcher.watch(self.workspace)
        self.notices.follow(self.workspace)  # releases the one we left
        if self.workspace.file is None:
            # Offered again the next time; it never holds a password (those are refused).
            QSettings().setValue(LAST_SERVER_KEY, self.workspace.location)
        self.read_only_bar.show_text(self.workspace.read_only)
        self.incident_list.workspace = self.workspace
        self.dashboard.workspace = self.workspace
        if self.library_search is not None:
            self.library_search.workspace = self.workspace
            self.library_search.search_now()
        self.refresh()
        self._refresh_review()
        self.restore_open_incidents()

    def _incidents_added(self, ids: list[int]) -> None:
        self.refresh(select=ids[0] if ids else None)
        self._refresh_review()

    # -------------------------------------------------------------- incidents
    def _open_selected(self) -> None:
        incident_id = self.incident_list.selected_id()
        if incident_id is not None:
            self.open_incident(incident_id)

    def open_incident(self, incident_id: int) -> IncidentTab:
        """Show the incident's diagrams in a tab (the existing one if it is open)."""
        view = self.open_views.get(incident_id)
        if view is None:
            document = IncidentDocument.open(self.workspace, incident_id, self)
            view = IncidentTab(document, today=lambda: self.today, clock=self.timer_clock)
            view.message.connect(self._show_message)
            self._observe(document)
            self.undo_group.addStack(document.undo_stack)
            self.open_views[incident_id] = view
            title = document.incident.title
            index = self.tabs.addTab(view, tab_title(title))
            self.tabs.setTabToolTip(index, tooltip(title))
        self.tabs.setCurrentWidget(view)
        view.view().setFocus()
        return view

    def _observe(self, document: IncidentDocument) -> None:
        """Follow an open incident's changes (the only place the window connects to one)."""
        document.changed.connect(lambda changes, d=document: self._incident_changed(d, changes))
        document.refused.connect(self._refused)

    def show_review(self) -> None:
        self.dashboard.refresh()
        self.tabs.setCurrentWidget(self.dashboard)

    def open_action_in_incident(self, incident_id: int, uid: str) -> None:
        """From the review table: the incident's Actions tab with that action's editor."""
        view = self.open_incident(incident_id)
        view.views.setCurrentWidget(view.actions_panel)
        view.actions_panel.edit_action(uid)

    def open_check_in(self, incident_id: int, check_in_id: str) -> None:
        """From the review's follow-ups: the incident's Follow-up tab, that check-in."""
        view = self.open_incident(incident_id)
        view.views.setCurrentWidget(view.follow_up)
        view.follow_up.check_ins.load(select=check_in_id)
        view.follow_up.check_ins.table.setFocus()

    def open_recovery(self, incident_id: int) -> None:
        """From the review's clients at risk: the incident's Recovery tab."""
        view = self.open_incident(incident_id)
        view.views.setCurrentWidget(view.recovery)
        view.recovery.values.table.setFocus()

    def _changed_elsewhere(self, edited: dict[int, int]) -> None:
        """Another window or process wrote: follow it in the open incidents, the list and
        the review (each open incident is read again only if it changed)."""
        for incident_id, view in list(self.open_views.items()):
            document = view.document
            if not document.changed_elsewhere(edited.get(incident_id)):
                continue
            if incident_id not in edited:
                self._close_tab(self.tabs.indexOf(view))
                self._show_message(
                    f"“{document.incident.title}” was deleted in another window; its tab "
                    "was closed."
                )
                continue
            try:
                document.follow_others()
            except RcaError as error:
                self._show_message(str(error))
        self.incident_list.refresh()
        self._refresh_review()

    def _incident_changed(self, document: IncidentDocument, changes: Changes) -> None:
        if not changes.everything:
            self._clear_refusal()  # an edit went through: the refusal before it is old news
        # Counts in the list are re-read when its tab is shown again (_tab_changed); only
        # a change of the incident's own facts refreshes it at once.
        if changes.everything or changes.incident:
            self.incident_list.refresh_rows()
            self._retitle(document)
        if changes.everything or changes.actions:
            self._refresh_review()

    def _retitle(self, document: IncidentDocument) -> None:
        view = self.open_views.get(document.incident.id or -1)
        if view is not None:
            index = self.tabs.indexOf(view)
            title = document.incident.title
            self.tabs.setTabText(index, tab_title(title))
            self.tabs.setTabToolTip(index, tooltip(title))

    def _refresh_review(self) -> None:
        """Keep the review current while it is on screen (an action editor may be open)."""
        if self.tabs.currentWidget() is self.dashboard:
            self.dashboard.refresh()

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _refused(self, text: str) -> None:
        # The tab shows the message itself (``IncidentTab.message``); remember it as a
        # refusal, which must not outlive the next edit that works.
        self._refusal = text

    def _clear_refusal(self) -> None:
        if self._refusal is not None and self.statusBar().currentMessage() == self._refusal:
            self.statusBar().clearMessage()
        self._refusal = None

    def _counted(self, rows: int) -> None:
        """The incident list was read again: the actions and the status bar follow it."""
        self.export_action.setEnabled(rows > 0)
        self.export_all_action.setEnabled(rows > 0)
        self.delete_action.setEnabled(rows > 0)
        before = self._status_base
        self._status_base = f"{plural(rows, 'incident')} in {self.workspace.location}"
        if self.statusBar().currentMessage() in ("", before):
            self.statusBar().showMessage(self._status_base)

    def _status_message_changed(self, text: str) -> None:
        if not text and self._status_base:
            self.statusBar().showMessage(self._status_base)

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, IncidentTab):
            self.undo_group.setActiveStack(widget.document.undo_stack)
        elif widget is self.dashboard:
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
            self.dashboard.refresh()
        else:
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]
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

    def open_sample(self) -> None:
        """The empty screen's "Open the sample": add the worked example and open it."""
        ids = self.files.add_sample()
        if ids:
            self.open_incident(ids[0])

    def delete_selected(self) -> None:
        summary = self.incident_list.selected_summary()
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

    # ---------------------------------------------------------- dialog hooks
    def ask_open_path(self, title: str, file_filter: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, title, str(self._last_dir()), file_filter)
        return self._remember(name)

    def ask_server_address(self, title: str) -> str | None:
        """A ``postgresql://`` address typed by the person (the last one opened offered)."""
        text, accepted = QInputDialog.getText(
            self,
            title,
            "PostgreSQL address (postgresql://host/database; the password goes in your "
            "password file, ~/.pgpass, never in the address):",
            QLineEdit.EchoMode.Normal,
            str(QSettings().value(LAST_SERVER_KEY, "postgresql://")),
        )
        return text if accepted else None

    def ask_save_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, title, str(self._last_dir() / suggested), file_filter
        )
        return self._remember(name)

    def confirm(self, title: str, question: str) -> bool:
        return ask(self, title, question)

    def show_error(self, title: str, message: str, details: str = "") -> None:
        """A warning in plain text; ``details`` (say, every problem of a refused file)
        behind the box's Show Details button."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        if details:
            box.setDetailedText(details)
        box.exec()

    def _last_dir(self) -> Path:
        return last_folder()

    def _remember(self, name: str) -> Path | None:
        if not name:
            return None
        path = Path(name)
        remember_folder(path)
        return path

    # ------------------------------------------------------------------ state
    def refresh(self, select: int | None = None) -> None:
        """Re-read the incident list from the workspace, keeping (or moving) the selection."""
        self.setWindowTitle(f"{self.workspace.name} — rca_desk")
        self.incident_list.refresh(select)  # the status bar follows (``_counted``)

    def present(self) -> None:
        """F11: the open incident's diagram in presentation mode (else say what to open)."""
        tab = self.tabs.currentWidget()
        if isinstance(tab, IncidentTab):
            tab.present()
        else:
            self._show_message("Open an incident to present its diagram (F11).")

    def show_shortcuts(self) -> ShortcutList:
        """F1 / Ctrl+?: every shortcut of the window, the open incident and the canvas."""
        window = [a for menu in self.menuBar().findChildren(QMenu) for a in menu.actions()]
        tab = self.tabs.currentWidget()
        incident = tab.actions() if isinstance(tab, IncidentTab) else None
        dialog = ShortcutList(sections(window, incident), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _about(self) -> None:
        from rca_desk import __version__

        QMessageBox.about(
            self,
            "About rca_desk",
            f"rca_desk {__version__}\nRoot cause analysis: fishbone diagrams, five-whys chains "
            f"and preventive actions.\nWorkspace: {self.workspace.location}",
        )

    # --------------------------------------------------------------- window
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def changeEvent(self, event: QEvent) -> None:
        # The desktop switched between light and dark: our own text colours follow.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            retone(self)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.watcher.stop()
        for view in self.open_views.values():
            view.finish_editing()
        self.keep_open_incidents()
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        self.notices.release()
        super().closeEvent(event)
