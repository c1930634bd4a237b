"""The Report tab (issue 15): the RCA report previewed as it will print, exported, printed.

Two documents end the work: the team's analysis, and the account the client receives.
The preview is the printed pages themselves (the report's painter draws them as images
on a worker thread, so a long report never freezes the window), so what the facilitator
reads before sending is what the client gets. For the client variant the tab says what
is left out and, in the same breath, what it cannot leave out: names typed inside free
text.

Export and print run off the GUI thread behind a progress dialog with Cancel
(:func:`run_long_work`); a cancelled export writes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QImage,
    QKeySequence,
    QPalette,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rca_desk.interchange.files import ExportError, atomic_write_bytes
from rca_desk.model import Incident, RcaError
from rca_desk.render.pages import Page
from rca_desk.render.report import ReportFormat, report_bytes
from rca_desk.render.report_content import (
    FREE_TEXT_WARNING,
    ReportCancelled,
    Variant,
    report_content,
)
from rca_desk.render.report_pdf import paint_report, report_images
from rca_desk.ui.common.info_bar import InfoBar
from rca_desk.ui.common.long_work import Background, run_in_steps, run_long_work
from rca_desk.ui.common.settings import last_folder, remember_folder
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument

__all__ = ["CLIENT_NOTICE", "REPORT_FILTERS", "ReportTab"]

REPORT_FILTERS = ";;".join(
    ["PDF document (*.pdf)", "HTML page (*.html)", "Markdown (*.md)", "All files (*)"]
)

#: Said above the client variant's preview (docs/client-report.md has the whole table).
CLIENT_NOTICE = (
    "The client's report leaves out evidence notes, stop reasons, the timeline's sources, "
    "participants and roles, owners, action and history notes, who spoke at each check-in, "
    "hypothesis-only causes and internal findings (docs/client-report.md). " + FREE_TEXT_WARNING
)

#: Edits come in bursts while the tab is shown: the preview waits this long for quiet.
REFRESH_MS = 400


class PagePreview(QScrollArea):
    """The report's pages one under the other, as wide as the view (a page's own
    orientation kept: the fishbone's page is landscape)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportPreview")
        self.setWidgetResizable(True)
        self.setBackgroundRole(QPalette.ColorRole.Dark)
        self.images: list[QImage] = []
        self.labels: list[QLabel] = []
        body = QWidget()
        self.column = QVBoxLayout(body)
        self.column.setSpacing(16)
        self.column.setContentsMargins(16, 16, 16, 16)
        self.setWidget(body)

    def show_pages(self, images: list[QImage]) -> None:
        self.images = images
        while self.labels:
            label = self.labels.pop()
            self.column.removeWidget(label)
            label.deleteLater()
        for _ in images:
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setFrameShape(QFrame.Shape.Box)
            self.labels.append(label)
            self.column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        self._scale()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale()

    def _scale(self) -> None:
        width = max(200, self.viewport().width() - 40)
        for image, label in zip(self.images, self.labels, strict=True):
            shown = min(width, image.width())
            label.setPixmap(
                QPixmap.fromImage(image).scaledToWidth(
                    shown, Qt.TransformationMode.SmoothTransformation
                )
            )


class ReportTab(QWidget):
    """The report of one incident: variant, paper, preview, export, print."""

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
        self._stale = True
        self.variant = QComboBox()
        self.variant.addItem("the team (internal)", Variant.TEAM)
        self.variant.addItem("the client", Variant.CLIENT)
        self.paper = QComboBox()
        self.paper.addItem("A4", Page.A4)
        self.paper.addItem("Letter", Page.LETTER)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the report as PDF, HTML or Markdown")
        self.print_button = QPushButton("Print…")
        self.print_button.setToolTip("Print the report (Ctrl+P on this tab)")
        row = QHBoxLayout()
        row.addWidget(QLabel("Report for"))
        row.addWidget(self.variant)
        row.addWidget(QLabel("on"))
        row.addWidget(self.paper)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.print_button)
        self.notice = InfoBar("info")
        self.preview = PagePreview()
        self.pages = 0
        #: The preview's pages are drawn on a worker thread: a long report takes seconds,
        #: and the window must not freeze while the facilitator types.
        self.builder = Background(self)
        self.builder.done.connect(self._laid_out)
        self.builder.failed.connect(self._not_laid_out)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)

        self.print_action = QAction("Print report…", self)
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.print_action.triggered.connect(self.print_dialog)
        self.addAction(self.print_action)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.refresh)
        self.variant.currentIndexChanged.connect(lambda _i: self.refresh())
        self.paper.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button.clicked.connect(self.export_dialog)
        self.print_button.clicked.connect(self.print_dialog)
        document.changed.connect(self._document_changed)
        self._show_notice()

    def finish_editing(self) -> None:
        """The tab is going away: stop the preview's build and wait for its thread."""
        self.builder.stop()

    # ------------------------------------------------------------- choices
    def current_variant(self) -> Variant:
        return Variant(self.variant.currentData())

    def current_page(self) -> Page:
        return Page(self.paper.currentData())

    def _show_notice(self) -> None:
        client = self.current_variant() is Variant.CLIENT
        self.notice.show_text(CLIENT_NOTICE if client else None)

    # ------------------------------------------------------------- preview
    def _document_changed(self, _changes: Changes) -> None:
        self._stale = True
        if self.isVisible():
            self._refresh.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Lay the preview out again (the variant, the paper or the incident changed),
        on a worker thread; the preview shows the new pages when they are ready."""
        self._show_notice()
        self._stale = False
        incident = copy_of(self.document)
        variant, page, today = self.current_variant(), self.current_page(), self.today()

        def build(cancelled: Callable[[], bool]) -> tuple[Variant, Page, date, list[QImage]]:
            content = report_content(incident, variant=variant, today=today, cancelled=cancelled)
            images = report_images(content, page=page, cancelled=cancelled)
            return variant, page, today, images

        self.status.setText("Laying out the report…")
        self.builder.start(build)

    def _laid_out(self, result: object) -> None:
        assert isinstance(result, tuple)
        variant, page, today, images = cast(tuple[Variant, Page, date, list[QImage]], result)
        self.preview.show_pages(images)
        self.pages = len(images)
        who = "the client" if variant is Variant.CLIENT else "the team"
        paper = "A4" if page is Page.A4 else "Letter"
        self.status.setText(
            f"{self.pages} page{'s' if self.pages != 1 else ''} on {paper}, for {who}, "
            f"as of {today.isoformat()}."
        )

    def _not_laid_out(self, error: str) -> None:
        self.status.setText(f"The report could not be laid out: {error}")

    # -------------------------------------------------------------- export
    def ask_save_path(self) -> Path | None:
        suggested = str(last_folder() / f"incident-{self.document.incident.id}.pdf")
        name, _chosen = QFileDialog.getSaveFileName(
            self, "Export report", suggested, REPORT_FILTERS
        )
        return Path(name) if name else None

    def export_dialog(self) -> None:
        path = self.ask_save_path()
        if path is not None:
            remember_folder(path)
            self.export_to(path)

    def export_to(self, path: Path) -> bool:
        """Write the report to ``path`` in the format its extension names (PDF when it
        names none); say in the status line what happened."""
        fmt = ReportFormat.from_path(path)
        if fmt is None:
            fmt, path = ReportFormat.PDF, path.with_suffix(".pdf")
        incident = copy_of(self.document)
        variant, page, today = self.current_variant(), self.current_page(), self.today()

        def make(cancelled: Callable[[], bool]) -> bytes:
            return report_bytes(
                incident, fmt, variant=variant, today=today, page=page, cancelled=cancelled
            )

        try:
            data = run_long_work(self, "Writing the report…", make)
            if data is None:
                self.status.setText("Report cancelled; nothing was written.")
                return False
            atomic_write_bytes(path, data)
        except ReportCancelled:
            self.status.setText("Report cancelled; nothing was written.")
            return False
        except (ExportError, RcaError, OSError, ValueError) as error:
            self.status.setText(f"The report was not written: {error}")
            return False
        self.status.setText(f"Wrote the report for {variant.value} to {path}.")
        return True

    # --------------------------------------------------------------- print
    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print report")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Print on ``printer``; Cancel aborts the print job. Qt's own PDF printer is
        painted off the GUI thread; a native printer (the platform's drivers, not known
        to be safe on another thread) on the GUI thread, page by page, the window kept
        live between pages."""
        incident = copy_of(self.document)
        variant, page, today = self.current_variant(), self.current_page(), self.today()

        def work(cancelled: Callable[[], bool]) -> int:
            def stop() -> bool:
                if cancelled():
                    printer.abort()  # the job is dropped, not sent half-printed
                    return True
                return False

            content = report_content(incident, variant=variant, today=today, cancelled=stop)
            return paint_report(printer, content, page=page, cancelled=stop)

        native = printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
        run = run_in_steps if native else run_long_work
        try:
            pages = run(self, "Printing the report…", work)
        except (RcaError, RuntimeError, ValueError) as error:
            self.status.setText(f"The report was not printed: {error}")
            return False
        if pages is None:
            self.status.setText("Printing cancelled.")
            return False
        self.status.setText(f"Sent {pages} page{'s' if pages != 1 else ''} to the printer.")
        return True


def copy_of(document: IncidentDocument) -> Incident:
    """A snapshot of the incident for work on another thread (edits go on meanwhile)."""
    return copy.deepcopy(document.incident)
