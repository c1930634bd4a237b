"""The app's diagram export asks for the page and the legend first, the same page modes
as ``rca-desk export --page`` (issue 13), and writes what was asked."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from rca_desk.render.pages import Page
from rca_desk.store import Workspace
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.export_options import PAGE_NAMES, ExportOptions, ExportOptionsDialog
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.conftest import TODAY


@pytest.fixture
def tab(qtbot, sample_workspace: Workspace) -> Iterator[IncidentTab]:  # type: ignore[no-untyped-def]
    incident_id = sample_workspace.incidents()[0].id
    document = IncidentDocument(sample_workspace, sample_workspace.load(incident_id))
    widget = IncidentTab(document, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    yield widget


def test_the_dialog_offers_every_page_mode_and_keeps_a_legend_choice(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ExportOptionsDialog(page=Page.SLIDE)
    qtbot.addWidget(dialog)
    assert [dialog.page.itemData(i) for i in range(dialog.page.count())] == list(PAGE_NAMES)
    assert dialog.options() == ExportOptions(Page.SLIDE, True)
    dialog.legend.click()  # the person's own choice
    dialog.page.setCurrentIndex(list(PAGE_NAMES).index(Page.A4))
    assert dialog.options() == ExportOptions(Page.A4, False)  # kept across page changes


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs Poppler's pdfinfo")
def test_exporting_on_an_a4_page_writes_one_a4_pdf_page(
    tab: IncidentTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.pdf"
    asked: list[str] = []
    monkeypatch.setattr(tab, "ask_export_options", lambda: ExportOptions(Page.A4, True))

    def ask_path(suggested: str) -> tuple[Path, str]:
        asked.append(suggested)
        return out, "PDF document (*.pdf)"

    monkeypatch.setattr(tab, "ask_export_path", ask_path)
    said: list[str] = []
    tab.message.connect(said.append)
    tab.export_action.trigger()
    assert asked == [f"incident-{tab.document.incident.id}-fishbone.pdf"]  # paper: a PDF
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Page size:\s+842 x 595 pts", info, re.M)
    assert said == [f"Exported the fishbone to {out}."]
    # The next export offers the page used last.
    assert tab._last_page is Page.A4


def test_as_on_screen_exports_the_canvas_s_own_diagram(
    tab: IncidentTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "shown.png"
    monkeypatch.setattr(tab, "ask_export_options", lambda: ExportOptions(Page.NONE, True))
    monkeypatch.setattr(tab, "ask_export_path", lambda suggested: (out, "PNG image (*.png)"))
    tab.export_action.trigger()
    image = QImage(str(out))
    bounds = tab.fishbone.diagram.bounds
    assert (image.width(), image.height()) == (round(bounds.w * 2), round(bounds.h * 2))


def test_cancelling_the_options_asks_for_no_file(
    tab: IncidentTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tab, "ask_export_options", lambda: None)

    def no_path(suggested: str) -> None:
        raise AssertionError("no file dialog after a cancel")

    monkeypatch.setattr(tab, "ask_export_path", no_path)
    tab.export_action.trigger()
