"""The Report tab (issue 15): the preview is the printed pages, the client variant says
what it leaves out (and that names in free text stay), export writes what the extension
names and a cancel writes nothing, and printing goes through QPrinter (here to a PDF file,
read back with pdfinfo)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from rca_desk.render.report_content import Variant
from rca_desk.ui.incident import report_tab as report_tab_module
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.incident.report_tab import CLIENT_NOTICE

needs_poppler = pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is not installed"
)


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)


@pytest.fixture
def tab(show_sample: Callable[[int, int], IncidentTab]) -> IncidentTab:
    tab = show_sample(1400, 950)
    tab.views.setCurrentWidget(tab.report)
    return tab


def test_the_preview_is_the_printed_pages_and_the_client_notice_shows(
    qtbot, tab: IncidentTab
) -> None:
    report = tab.report
    qtbot.waitUntil(lambda: report.pages > 0)
    assert len(report.preview.labels) == report.pages
    first = report.preview.images[0]
    assert first.width() < first.height()  # a portrait page first
    assert report.preview.images[1].width() > report.preview.images[1].height()  # fishbone
    assert re.fullmatch(r"\d+ pages on A4, for the team, as of 2026-11-23\.", report.status.text())
    assert not report.notice.isVisible()
    team_pages = report.pages
    report.variant.setCurrentIndex(report.variant.findData(Variant.CLIENT))
    qtbot.waitUntil(lambda: "for the client" in report.status.text())
    assert report.notice.isVisible()
    assert report.notice.label.text() == CLIENT_NOTICE
    assert "Names written inside free text" in CLIENT_NOTICE
    assert report.pages <= team_pages  # the client's report leaves things out


def test_an_edit_shows_in_the_preview(qtbot, tab: IncidentTab) -> None:
    report = tab.report
    qtbot.waitUntil(lambda: report.pages > 0)
    before = report.preview.images[0]
    tab.document.update_incident(title="Quarter-end report lost a day (reworded)")
    qtbot.waitUntil(lambda: report.preview.images[0] is not before)
    assert report.preview.images[0] != before  # the new title is drawn


@needs_poppler
@pytest.mark.parametrize(
    ("name", "start"), [("r.pdf", b"%PDF"), ("r.md", b"# "), ("r.html", b"<!")]
)
def test_export_writes_the_format_the_name_says(
    qtbot, tab: IncidentTab, tmp_path: Path, name: str, start: bytes
) -> None:
    path = tmp_path / name
    assert tab.report.export_to(path)
    assert path.read_bytes().lstrip().startswith(start)
    assert tab.report.status.text() == f"Wrote the report for team to {path}."
    if name.endswith(".pdf"):
        assert pdfinfo(path)["Page size"].strip().startswith("595")  # A4 wide


def test_a_cancelled_report_export_writes_nothing(
    qtbot, tab: IncidentTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = report_tab_module.report_bytes

    def slow(*args: Any, **kwargs: Any) -> bytes:
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_tab_module, "report_bytes", slow)

    def cancel() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
        shown = [d for d in dialogs if d.isVisible()]
        if not shown:
            QTimer.singleShot(20, cancel)
            return
        button = shown[0].findChild(QPushButton)
        assert button is not None
        button.click()

    QTimer.singleShot(20, cancel)
    folder = tmp_path / "out"
    folder.mkdir()
    assert not tab.report.export_to(folder / "report.pdf")
    assert tab.report.status.text() == "Report cancelled; nothing was written."
    time.sleep(1.2)
    QApplication.processEvents()
    assert list(folder.iterdir()) == []


@needs_poppler
def test_printing_sends_the_previewed_pages(qtbot, tab: IncidentTab, tmp_path: Path) -> None:
    report = tab.report
    qtbot.waitUntil(lambda: report.pages > 0)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert report.print_to(printer)
    assert int(pdfinfo(out)["Pages"]) == report.pages
    assert report.status.text() == f"Sent {report.pages} pages to the printer."


class _NativePrinter(QPrinter):
    """A printer that says it is the platform's own (the test machine has none)."""

    def __init__(self) -> None:
        super().__init__(QPrinter.PrinterMode.HighResolution)
        self.aborted = 0

    def outputFormat(self) -> QPrinter.OutputFormat:
        return QPrinter.OutputFormat.NativeFormat

    def abort(self) -> bool:
        self.aborted += 1
        return True


@pytest.mark.parametrize("native", [True, False])
def test_a_native_printer_is_painted_on_the_gui_thread(
    qtbot, tab: IncidentTab, monkeypatch: pytest.MonkeyPatch, native: bool
) -> None:
    """Platform print drivers are not known to be safe off the GUI thread; Qt's own PDF
    printer is, and keeps the work off it."""
    import threading

    painted_on: list[threading.Thread] = []

    def paint(printer: Any, content: Any, *, page: Any, cancelled: Callable[[], bool]) -> int:
        painted_on.append(threading.current_thread())
        for _ in range(3):
            if cancelled():
                return 0
        return 3

    monkeypatch.setattr(report_tab_module, "paint_report", paint)
    printer = _NativePrinter() if native else QPrinter(QPrinter.PrinterMode.HighResolution)
    if not native:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    assert tab.report.print_to(printer)
    assert (painted_on[0] is threading.main_thread()) is native
    assert tab.report.status.text() == "Sent 3 pages to the printer."


def test_cancel_stops_a_native_print_between_pages(
    qtbot, tab: IncidentTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages: list[int] = []
    before = set(QApplication.topLevelWidgets())  # (earlier tests' dialogs, going away)

    def click_cancel() -> None:
        (dialog,) = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w not in before
        ]
        dialog.findChild(QPushButton).click()

    def paint(printer: Any, content: Any, *, page: Any, cancelled: Callable[[], bool]) -> int:
        for number in range(200):
            if cancelled():  # (Qt's events are handled here: the click comes in)
                return len(pages)
            pages.append(number)
            if number == 4:
                QTimer.singleShot(0, click_cancel)  # a person presses Cancel
        return len(pages)

    monkeypatch.setattr(report_tab_module, "paint_report", paint)
    printer = _NativePrinter()
    assert not tab.report.print_to(printer)
    assert tab.report.status.text() == "Printing cancelled."
    assert printer.aborted == 1  # the job dropped, not sent half-printed
    assert pages == [0, 1, 2, 3, 4]  # stopped at the next page
