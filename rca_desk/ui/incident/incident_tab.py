"""One incident open for work: its fishbone and five-whys views side by side in tabs,
the cause inspector, and the toolbar (undo/redo, zoom, category, export)."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from rca_desk.interchange.files import ExportError, write_files
from rca_desk.model import FindingKind, RcaError, findings
from rca_desk.render.diagram import View
from rca_desk.render.export import Exported, Format, export_pages
from rca_desk.render.pages import Page
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.canvas.nodes import cause_id_of
from rca_desk.ui.common.info_bar import InfoBar
from rca_desk.ui.common.long_work import run_long_work
from rca_desk.ui.common.marks import finding_icon
from rca_desk.ui.common.plain import follow_text_direction
from rca_desk.ui.common.settings import last_folder, remember_folder
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.actions_panel import ActionsPanel
from rca_desk.ui.incident.agenda_clock import AgendaClock, agenda_key, step_end_hint
from rca_desk.ui.incident.cause_inspector import CauseInspector
from rca_desk.ui.incident.export_options import ExportOptions, ExportOptionsDialog
from rca_desk.ui.incident.incident_form import IncidentForm
from rca_desk.ui.incident.parking_lot import ParkingLot
from rca_desk.ui.incident.presentation import Presentation
from rca_desk.ui.incident.record_tab import FollowUpTab, RecordTab
from rca_desk.ui.incident.record_table import RecordTable
from rca_desk.ui.incident.recovery_tab import RecoveryTab
from rca_desk.ui.incident.report_tab import ReportTab

EXPORT_FILTERS = ";;".join(
    [
        "PNG image (*.png)",
        "SVG drawing (*.svg)",
        "PDF document (*.pdf)",
        "Graphviz DOT (*.dot)",
        "Mermaid (*.mmd)",
        "GraphML (*.graphml)",
    ]
)


#: Where a guidance item keeps its finding's code (its text is the message alone).
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
#: The client recovery's findings, and the Recovery tab's table their subject is in.
_RECOVERY_FINDINGS: dict[FindingKind, Callable[[RecoveryTab], RecordTable | None]] = {
    FindingKind.CONFIDENCE_FALLING: lambda tab: None,
    FindingKind.OFF_TARGET: lambda tab: tab.measures,
    FindingKind.NOT_DELIVERED: lambda tab: tab.restitution,
    FindingKind.NO_APOLOGY: lambda tab: None,
}


class IncidentTab(QWidget):
    """Everything about one open incident. Edits go through ``document``'s undo stack."""

    message = Signal(str)

    def __init__(
        self,
        document: IncidentDocument,
        *,
        today: Callable[[], date] = date.today,
        clock: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.today = today
        #: The workshop's timer: the form's controls and the presentation header share it.
        self.agenda = AgendaClock(document, clock=clock, parent=self)
        #: Presentation mode while it is on (F11), else None.
        self.presentation: Presentation | None = None
        #: The page the last export used, offered again next time.
        self._last_page = Page.NONE
        self.fishbone = DiagramCanvas(document, View.FISHBONE, today=today)
        self.whys = DiagramCanvas(document, View.WHYS, today=today)
        self.inspector = CauseInspector(document, today=today)
        self.views = QTabWidget()
        self.views.addTab(self.fishbone, "Fishbone")
        self.views.addTab(self.whys, "Five whys")
        self.actions_panel = ActionsPanel(document, today=today)
        self.views.addTab(self.actions_panel, "Actions")
        self.form = IncidentForm(document, self.agenda)
        self.views.addTab(self.form, "Incident")
        self.record = RecordTab(document, today=today)
        self.views.addTab(self.record, "Record")
        self.follow_up = FollowUpTab(document, today=today)
        self.views.addTab(self.follow_up, "Follow-up")
        self.recovery = RecoveryTab(document, today=today)
        self.views.addTab(self.recovery, "Recovery")
        self.report = ReportTab(document, today=today)
        self.views.addTab(self.report, "Report")
        self._last_view = self.fishbone
        self.views.currentChanged.connect(self._view_switched)
        for view in (self.fishbone, self.whys):
            view.currentChanged.connect(self._current_changed)
            view.message.connect(self.message)
            view.installEventFilter(self)  # the agenda timer's keys (T, Shift+T)
        self.agenda.stepEnded.connect(self._step_ended)
        document.refused.connect(self._refused)

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._build_actions()

        splitter = QSplitter()
        splitter.addWidget(self.views)
        self.parking = ParkingLot(document, self._place_idea)
        splitter.addWidget(self.parking)
        side = self.side_panels = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.inspector)
        side.addWidget(self._build_guidance())
        side.setSizes([520, 220])
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([900, 220, 300])
        # Why the incident cannot be edited (a read-only file, a broken rule), and the
        # one-click repair when there is one.
        self.notice = InfoBar("warning")
        self.notice.offer(None).clicked.connect(self._repair)
        document.readOnlyChanged.connect(self._show_read_only)
        self._show_read_only()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)

    def _show_read_only(self) -> None:
        self.notice.show_text(self.document.read_only)
        self.notice.offer("Repair" if self.document.problems else None)
        self._current_changed(self._node())

    def _repair(self) -> None:
        if self.document.repair():
            self.message.emit("The incident was repaired and can be edited again.")

    # ------------------------------------------------------------ guidance
    def _build_guidance(self) -> QWidget:
        """The facilitator's checklist: open chains, blame, uncovered and unproven root causes."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 0, 0, 0)
        self.guidance_label = QLabel()
        self.guidance_label.setTextFormat(Qt.TextFormat.PlainText)
        self.guidance = follow_text_direction(QListWidget())
        self.guidance.setWordWrap(True)
        self.guidance.setIconSize(QSize(16, 16))
        self.guidance.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.guidance.itemActivated.connect(self._guidance_activated)
        self.guidance.itemClicked.connect(self._guidance_activated)
        layout.addWidget(self.guidance_label)
        layout.addWidget(self.guidance, 1)
        self.document.changed.connect(
            lambda changes: None if changes.beside_the_diagram else self.refresh_guidance()
        )
        self.refresh_guidance()
        return box

    def _document_changed(self, changes: Changes) -> None:
        if changes.everything or changes.incident:
            self._fill_categories()
        if changes.graph:
            self._current_changed(self._node())

    def refresh_guidance(self) -> None:
        found = findings(self.document.incident, today=self.today())
        self.guidance.clear()
        self.guidance_label.setText(
            f"Guidance: {len(found)} finding{'s' if len(found) != 1 else ''}"
            if found
            else "Guidance: nothing open. Every chain is deep enough and covered."
        )
        for finding in found:
            # The room reads sentences, not codes: the kind shows as its icon and tooltip.
            item = QListWidgetItem(finding_icon(finding.kind), finding.message)
            item.setToolTip(finding.kind.info.name)
            item.setData(KIND_ROLE, finding.kind.value)
            item.setData(Qt.ItemDataRole.UserRole, finding.subject)
            self.guidance.addItem(item)

    def _guidance_activated(self, item: QListWidgetItem) -> None:
        subject = str(item.data(Qt.ItemDataRole.UserRole))
        kind = FindingKind(str(item.data(KIND_ROLE)))
        # A record's finding opens its tab on it: ids of records and causes may clash.
        if kind in (FindingKind.FOLLOW_UP_DUE, FindingKind.FOLLOW_UP_MISSED):
            self.views.setCurrentWidget(self.follow_up)
            self.follow_up.check_ins.load(select=subject)
            self.follow_up.check_ins.table.setFocus()
        elif kind in _RECOVERY_FINDINGS:
            self.views.setCurrentWidget(self.recovery)
            table = _RECOVERY_FINDINGS[kind](self.recovery)
            if table is not None:
                table.load(select=subject)
                table.table.setFocus()
            elif kind is FindingKind.NO_APOLOGY:
                self.recovery.apology_on.check.setFocus()
        elif subject in self.document.graph:
            if not isinstance(self.views.currentWidget(), DiagramCanvas):
                self.views.setCurrentWidget(self.view())
            self.view().set_current(subject)
            self.view().setFocus()
        elif any(action.uid == subject for action in self.document.incident.actions):
            self.views.setCurrentWidget(self.actions_panel)
            self.actions_panel.select(subject)

    # ------------------------------------------------------------- actions
    def _build_actions(self) -> None:
        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")]
        )

        def action(text: str, slot: Callable[[], object], *keys: str) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.ask_why_action = action("Ask &why", lambda: self.view().add_child())
        self.ask_why_action.setToolTip("Add a cause under the selected one (Tab)")
        self.add_sibling_action = action("Add &answer", lambda: self.view().add_sibling())
        self.add_sibling_action.setToolTip("Add another answer to the same why (Enter)")
        self.root_action = action("&Root cause", lambda: self.view().toggle_root_cause(), "Ctrl+R")
        self.start_action_action = action(
            "Start &action…", self.start_action_for_current, "Ctrl+Shift+A"
        )
        self.start_action_action.setToolTip(
            "Create a preventive action for the selected root cause (Ctrl+Shift+A)"
        )
        self.zoom_in_action = action(
            "Zoom in", lambda: self.view().zoom_by(1.25), "Ctrl+=", "Ctrl++"
        )
        self.zoom_out_action = action("Zoom out", lambda: self.view().zoom_by(0.8), "Ctrl+-")
        self.fit_action = action("Fit", lambda: self.view().fit(), "Ctrl+0")
        self.slide_frame_action = action("Slide frame", self._toggle_slide_frame, "Ctrl+Shift+F")
        self.slide_frame_action.setCheckable(True)
        self.slide_frame_action.setToolTip(
            "Lay out and fit the diagram as a 16:9 slide shows it (Ctrl+Shift+F)"
        )
        self.panels_action = action("Side panels", self._show_side_panels, "F9")
        self.panels_action.setCheckable(True)
        self.panels_action.setChecked(True)
        self.panels_action.setToolTip("Hide or show the inspector and the guidance (F9)")
        self.export_action = action("&Export…", self.export_dialog, "Ctrl+E")
        self.switch_action = action("Switch view", self._switch_view, "Ctrl+Tab")
        self.category_box = QComboBox()
        self.category_box.setToolTip("Category of the selected cause")
        self.category_box.activated.connect(
            lambda _i: self.view().set_category(self.category_box.currentText())
        )
        self.document.changed.connect(self._document_changed)
        self._fill_categories()

        for act in (
            self.undo_action,
            self.redo_action,
            None,
            self.ask_why_action,
            self.add_sibling_action,
            self.root_action,
            self.start_action_action,
        ):
            self.toolbar.addSeparator() if act is None else self.toolbar.addAction(act)
        label = QLabel(" Category ")
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.toolbar.addWidget(label)
        self.toolbar.addWidget(self.category_box)
        self.toolbar.addSeparator()
        for act in (
            self.zoom_out_action,
            self.zoom_in_action,
            self.fit_action,
            self.slide_frame_action,
            self.panels_action,
            None,
            self.export_action,
        ):
            self.toolbar.addSeparator() if act is None else self.toolbar.addAction(act)

    def present(self) -> Presentation:
        """F11 (the window's View ▸ Present): the diagram being worked on, full screen."""
        canvas = self.view()
        self.presentation = Presentation(
            self.document,
            canvas.kind,
            self.agenda,
            today=self.today,
            selected=canvas.current,
            parent=self,
        )
        self.presentation.left.connect(self._presentation_left)
        self.presentation.present()
        return self.presentation

    def _presentation_left(self, node: str) -> None:
        """Back from presentation mode: the selection it ended on, the keyboard here."""
        canvas = self.view()
        if node:
            canvas.set_current(node)
        canvas.setFocus()
        self.presentation = None

    def _place_idea(self, idea_id: str) -> bool:
        """The parking list's Enter: the idea placed at the diagram's selection, which
        stays, so the next Enter files the next idea on the same bone."""
        return self.view().interactions.place_idea(idea_id, self.view().current)

    def _show_side_panels(self) -> None:
        """F9: the inspector and the guidance out of the way (the diagram takes the room),
        or back; the keyboard stays where it was, or goes to the diagram."""
        shown = self.panels_action.isChecked()
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.side_panels.isAncestorOf(focus)
        self.side_panels.setVisible(shown)
        if not shown and had_focus:
            self.view().setFocus()

    def _toggle_slide_frame(self) -> None:
        """Both diagrams in or out of the slide frame (the action's check state)."""
        on = self.slide_frame_action.isChecked()
        for canvas in (self.fishbone, self.whys):
            canvas.set_slide_frame(on)

    def view(self) -> DiagramCanvas:
        """The diagram being worked on (the last one shown, when another tab is up)."""
        widget = self.views.currentWidget()
        if isinstance(widget, DiagramCanvas):
            self._last_view = widget
        return self._last_view

    def _node(self) -> str:
        return self.view().current or ""

    def _switch_view(self) -> None:
        self.views.setCurrentIndex((self.views.currentIndex() + 1) % self.views.count())

    def _view_switched(self, _index: int) -> None:
        """Keep the same cause selected when switching between fishbone and five whys."""
        before = self._last_view
        if not isinstance(self.views.currentWidget(), DiagramCanvas):
            return
        other = before if before is not self.view() else None
        node = other.current if other is not None else None
        if node is not None and node in self.view().labels:
            self.view().set_current(node)
        self.view().setFocus()
        self._current_changed(self._node())

    def _fill_categories(self) -> None:
        self.category_box.clear()
        self.category_box.addItems(self.document.graph.categories)
        self._current_changed(self._node())

    def _current_changed(self, node: str) -> None:
        self.inspector.show_node(node or None)
        cause_id = cause_id_of(node)
        editable = self.document.read_only is None  # else the bar above says why not
        self.ask_why_action.setEnabled(editable)
        self.add_sibling_action.setEnabled(editable)
        self.category_box.setEnabled(editable and cause_id is not None)
        self.root_action.setEnabled(editable and cause_id is not None)
        graph = self.document.graph
        if cause_id is not None and cause_id in graph:
            cause = graph.cause(cause_id)
            self.start_action_action.setEnabled(editable and cause.root_cause)
            self.category_box.setCurrentText(cause.category)
        else:
            self.start_action_action.setEnabled(False)

    def finish_editing(self) -> None:
        """Keep what is being typed (in-place editor, inspector) before the view goes away."""
        for view in (self.fishbone, self.whys):
            if view.editor is not None:
                view.commit_editor()
        inspector = self.inspector
        if inspector.node is not None:
            inspector.text_edit.committed.emit(inspector.text_edit.toPlainText())
            inspector.note.committed.emit(inspector.note.toPlainText())
        self.record.finish_editing()
        self.follow_up.finish_editing()
        self.recovery.finish_editing()
        self.report.finish_editing()

    def start_action_for_current(self) -> None:
        """Open the action editor for the selected root cause (from either diagram)."""
        cause_id = cause_id_of(self.view().current)
        graph = self.document.graph
        if cause_id is None or not graph.cause(cause_id).root_cause:
            self.message.emit("Select a root cause first (Ctrl+R marks one).")
            return
        self.actions_panel.start_action([cause_id])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The agenda timer's keys on either diagram (in place typing goes to the editor)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and watched in (self.fishbone, self.whys)
            and isinstance(event, QKeyEvent)
            and agenda_key(self.agenda, event)
        ):
            return True
        return super().eventFilter(watched, event)

    def _step_ended(self, name: str) -> None:
        """The quiet signal, here: one line in the status bar (the header says it when
        presenting)."""
        if self.presentation is None:
            self.message.emit(step_end_hint(self.agenda, name))

    def _refused(self, message: str) -> None:
        self.message.emit(message)

    # -------------------------------------------------------------- export
    def ask_export_path(self, suggested: str) -> tuple[Path, str] | None:
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export diagram", str(last_folder() / suggested), EXPORT_FILTERS
        )
        if not name:
            return None
        remember_folder(Path(name))
        return Path(name), chosen

    def ask_export_options(self) -> ExportOptions | None:
        """The page and legend of the export (the dialog), or None when cancelled."""
        dialog = ExportOptionsDialog(self, self._last_page)
        if dialog.exec() != ExportOptionsDialog.DialogCode.Accepted:
            return None
        return dialog.options()

    def export_dialog(self) -> None:
        view = self.view().kind
        options = self.ask_export_options()
        if options is None:
            return
        self._last_page = options.page
        suffix = "pdf" if options.page.is_paper else "png"
        answer = self.ask_export_path(f"incident-{self.document.incident.id}-{view.value}.{suffix}")
        if answer is None:
            return
        path, chosen = answer
        fmt = Format.from_path(path)
        if fmt is None:
            fmt = Format(chosen.split("(*.")[1].rstrip(")")) if "(*." in chosen else Format.PNG
            path = path.with_suffix(f".{fmt.value}")
        self.export_to(path, fmt, page=options.page, legend=options.legend)

    def export_to(
        self,
        path: Path,
        fmt: Format,
        *,
        scale: float = 2.0,
        page: Page = Page.NONE,
        legend: bool = True,
    ) -> bool:
        """Write the diagram to ``path``: as the canvas shows it (page none, legend as
        on screen), or laid out anew for the page; the message says where it went (the
        files, when the five whys took several SVG or PNG pages) and what to know about
        it (a page whose text had to go smaller)."""
        view = self.view()
        drawn = fmt in (Format.PNG, Format.SVG, Format.PDF)
        as_shown = page is Page.NONE and legend
        # A snapshot: the work runs on another thread while the window keeps painting.
        incident, diagram = copy.deepcopy(self.document.incident), view.diagram
        today = self.today()

        def make(_cancelled: Callable[[], bool]) -> Exported:
            return export_pages(
                incident,
                view.kind,
                fmt,
                today=today,
                scale=scale,
                page=page,
                legend=legend,
                diagram=diagram if drawn and as_shown else None,
            )

        try:
            made = run_long_work(self, f"Exporting the {view.kind.value}…", make)
            if made is None:
                self.message.emit("Export cancelled; nothing was written.")
                return False
            written, warnings = write_files(path, made.files), made.warnings
        except (ExportError, RcaError, OSError) as error:
            self.message.emit(f"Export failed: {error}")
            return False
        if len(written) == 1:
            said = f"Exported the {view.kind.value} to {path}."
        else:
            # One file per page (SVG, PNG): say which, so nobody looks for NAME.svg.
            names = ", ".join(p.name for p in written)
            said = (
                f"Exported the {view.kind.value} to {len(written)} files in {path.parent}: {names}."
            )
        if warnings:
            said += " Note: " + " ".join(warnings[:3]) + (" …" if len(warnings) > 3 else "")
        self.message.emit(said)
        return True
