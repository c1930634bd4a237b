"""The five whys on slides and portrait paper pages, as many as they need (issue 13).

Checked on the files with real readers: Poppler for the PDF's pages, sizes and words,
``xml.etree`` for the SVG's own font sizes and transform, QImage for the PNG; and the
files the command and the app write, and what they say about them.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from rca_desk.cli.main import main
from rca_desk.interchange.files import ExportError
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import HEAD, CauseGraph, Evidence, Incident
from rca_desk.render.diagram import View
from rca_desk.render.export import Format, export_bytes, export_pages
from rca_desk.render.pages import Page
from rca_desk.store import Workspace
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.shapes import cause_text

TODAY = date(2026, 11, 30)
SVG = "{http://www.w3.org/2000/svg}"
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs Poppler")


def big_whys(chains: int = 24, seed: int = 7) -> Incident:
    """A realistic big five whys: ``chains`` chains 2 to 5 whys deep under categories,
    some branching, with evidence, root causes and one link from the last chain to the
    first (so it crosses pages)."""
    rng = random.Random(seed)
    graph = CauseGraph(problem="Checkout failed for 40 minutes during the Black Friday peak")
    for chain in range(chains):
        category = graph.categories[chain % len(graph.categories)]
        parent = HEAD
        depth = rng.randint(2, 5)
        for step in range(depth):
            parent = graph.add_cause(
                parent,
                text=f"{cause_text(rng)} [{chain}.{step}]",
                category=category if step == 0 else None,
                evidence=rng.choice(list(Evidence)),
                root_cause=step == depth - 1,
                cause_id=f"c{chain}-{step}",
            )
            if step == 1 and rng.random() < 0.3:
                graph.add_cause(
                    parent, text=f"{cause_text(rng)} [{chain}.b]", cause_id=f"c{chain}-b"
                )
    graph.add_link(f"c{chains - 1}-0", "c0-1")
    return Incident(title="Black Friday checkout outage", graph=graph, affected="Shop team")


def _svg_pages(files: list[bytes]) -> list[ET.Element]:
    return [ET.fromstring(data) for data in files]


def _scale(root: ET.Element) -> float:
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "page"]
    return float(re.findall(r"-?[\d.]+", group.get("transform", ""))[0])


def _words_sizes(root: ET.Element) -> list[float]:
    """The font size of every text of words in the page's diagram (badge numerals aside)."""
    [group] = [g for g in root.iter(f"{SVG}g") if g.get("class") == "page"]
    badges = {id(t) for g in group.iter(f"{SVG}g") if g.get("class") == "badge" for t in g}
    return [float(t.get("font-size", "0")) for t in group.iter(f"{SVG}text") if id(t) not in badges]


def _causes(root: ET.Element) -> list[str]:
    return [g.get("data-node", "") for g in root.iter(f"{SVG}g") if g.get("class") == "cause"]


def test_big_whys_take_several_slides_with_every_word_at_16_px_or_more(qapp: object) -> None:
    incident = big_whys()
    made = export_pages(incident, View.WHYS, Format.SVG, today=TODAY, page=Page.SLIDE)
    assert made.warnings == []
    assert made.pages == len(made.files) >= 2
    pages = _svg_pages(made.files)
    for number, root in enumerate(pages, 1):
        assert root.get("viewBox") == "0 0 1920 1080"
        sizes = _words_sizes(root)
        assert len(sizes) > 20
        # From the file's own numbers: font size times the page's scale.
        assert min(sizes) * _scale(root) >= 16 - 1e-3
        footer = [t.text for t in root.iter(f"{SVG}text") if t.text == f"{number} / {len(pages)}"]
        assert footer, "each slide says which of how many it is"
    # Every page draws at one scale, so text stays one size from slide to slide.
    assert len({round(_scale(root), 4) for root in pages}) == 1
    # Every cause on exactly one slide.
    seen = Counter(node for root in pages for node in _causes(root))
    assert set(seen) == set(incident.graph.cause_ids())
    assert set(seen.values()) == {1}


def test_the_sample_stays_one_slide_at_16_px(qapp: object) -> None:
    incident = sample_incidents(TODAY)[0]
    root = ET.fromstring(
        export_bytes(incident, View.WHYS, Format.SVG, today=TODAY, page=Page.SLIDE)
    )
    assert min(_words_sizes(root)) * _scale(root) >= 16
    assert sorted(_causes(root)) == sorted(incident.graph.cause_ids())


@needs_poppler
def test_the_slide_pdf_has_one_1440_by_810_pt_page_per_slide(qapp: object, tmp_path: Path) -> None:
    incident = big_whys()
    slides = export_pages(incident, View.WHYS, Format.SVG, today=TODAY, page=Page.SLIDE).pages
    made = export_pages(incident, View.WHYS, Format.PDF, today=TODAY, page=Page.SLIDE)
    assert len(made.files) == 1
    out = tmp_path / "whys.pdf"
    out.write_bytes(made.files[0])
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Pages:\s+{slides}$", info, re.M)
    assert re.search(r"^Page size:\s+1440 x 810 pts", info, re.M)
    for number in range(1, slides + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(out), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert re.search(rf"\b{number} ?/ ?{slides}\b", text)  # Poppler may eat the spaces
        assert "Checkout failed" in " ".join(text.split())  # the problem on every slide


def test_slide_pngs_are_1920_by_1080_each(qapp: object) -> None:
    made = export_pages(big_whys(), View.WHYS, Format.PNG, today=TODAY, page=Page.SLIDE, scale=1)
    assert len(made.files) >= 2
    for data in made.files:
        image = QImage.fromData(data, "PNG")
        assert (image.width(), image.height()) == (1920, 1080)


@needs_poppler
@pytest.mark.parametrize(("page", "points"), [(Page.A4, "595 x 842"), (Page.LETTER, "612 x 792")])
def test_paper_pages_are_portrait_numbered_with_the_title_block(
    qapp: object, tmp_path: Path, page: Page, points: str
) -> None:
    incident = big_whys()
    made = export_pages(incident, View.WHYS, Format.PDF, today=TODAY, page=page)
    assert made.warnings == [] and made.pages >= 2
    out = tmp_path / "whys.pdf"
    out.write_bytes(made.files[0])
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Pages:\s+{made.pages}$", info, re.M)
    assert re.search(rf"^Page size:\s+{points} pts", info, re.M)
    for number in range(1, made.pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(out), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        words = " ".join(text.split())
        assert "Black Friday checkout outage" in words
        assert "Client: Shop team" in words
        assert f"Page {number} of {made.pages}" in words
        assert "also contributes to" in words  # the legend on every page
    # Each cause's tag ([chain.step]) is printed once, across all the pages.
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    tags = Counter(re.findall(r"\[\d+\.[\db]+\]", text))
    assert len(tags) == len(incident.graph) and set(tags.values()) == {1}


def test_paper_svg_and_png_pages_keep_8_pt_and_the_page_size(qapp: object) -> None:
    incident = big_whys()
    svgs = export_pages(incident, View.WHYS, Format.SVG, today=TODAY, page=Page.A4)
    for root in _svg_pages(svgs.files):
        assert root.get("viewBox") == "0 0 793.7 1122.52"
        assert min(_words_sizes(root)) * _scale(root) * 0.75 >= 8 - 1e-3  # px to pt
    pngs = export_pages(incident, View.WHYS, Format.PNG, today=TODAY, page=Page.A4)
    assert len(pngs.files) == len(svgs.files)
    image = QImage.fromData(pngs.files[0], "PNG")
    assert (image.width(), image.height()) == (1240, 1754)  # 210 x 297 mm at 150 dpi


def test_the_fishbone_stays_one_landscape_page(qapp: object) -> None:
    made = export_pages(big_whys(), View.FISHBONE, Format.SVG, today=TODAY, page=Page.A4)
    assert len(made.files) == 1
    assert ET.fromstring(made.files[0]).get("viewBox") == "0 0 1122.52 793.7"


def test_a_chain_too_deep_for_the_page_is_fitted_smaller_with_a_warning(qapp: object) -> None:
    graph = CauseGraph(problem="The export failed")
    parent = HEAD
    for step in range(14):
        parent = graph.add_cause(parent, text=f"Because step {step} of the job was skipped")
    incident = Incident(title="Deep", graph=graph)
    made = export_pages(incident, View.WHYS, Format.SVG, today=TODAY, page=Page.SLIDE)
    assert made.pages == 1
    [warning] = made.warnings
    assert warning.startswith("page 1 of 1: its chain is too deep to fit across")
    assert "px (a slide keeps 16 px)" in warning
    with pytest.raises(ExportError, match="one SVG file each"):
        export_bytes(big_whys(), View.WHYS, Format.SVG, today=TODAY, page=Page.SLIDE)


# ------------------------------------------------------------ the command and the app
@pytest.fixture
def big_workspace(tmp_path: Path) -> Path:
    path = tmp_path / "w.rcadesk"
    with Workspace.open(path) as workspace:
        workspace.add_incident(big_whys())
    return path


def test_the_command_writes_numbered_files_and_lists_them(
    qapp: object, big_workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "whys.svg"
    argv = ["--workspace", str(big_workspace), "export", "--incident", "1", "--view", "whys"]
    assert main([*argv, "--page", "slide", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    written = sorted(tmp_path.glob("whys-*.svg"))
    assert len(written) >= 2 and not out.exists()
    assert f"to {len(written)} files, one per page:" in err
    for path in written:
        assert f"  {path}\n" in err
    assert [p.name for p in written] == [f"whys-{n}.svg" for n in range(1, len(written) + 1)]
    # To standard output only one file can go: refused with a way out.
    assert main([*argv, "--page", "slide", "--format", "svg", "-o", "-"]) != 0
    assert "name a file with -o" in capsys.readouterr().err
    # A PDF is one file with every page.
    pdf = tmp_path / "whys.pdf"
    assert main([*argv, "--page", "a4", "-o", str(pdf)]) == 0
    assert f"pages) to {pdf}" in capsys.readouterr().err
    assert not list(tmp_path.glob("whys-*.pdf"))


@pytest.fixture
def tab(qtbot, big_workspace: Path) -> Iterator[IncidentTab]:  # type: ignore[no-untyped-def]
    with Workspace.open(big_workspace) as workspace:
        incident_id = workspace.incidents()[0].id
        document = IncidentDocument(workspace, workspace.load(incident_id))
        widget = IncidentTab(document, today=lambda: TODAY)
        qtbot.addWidget(widget)
        yield widget


def test_the_app_writes_the_same_files_and_says_which(tab: IncidentTab, tmp_path: Path) -> None:
    tab.views.setCurrentWidget(tab.whys)
    assert tab.view().kind is View.WHYS
    said: list[str] = []
    tab.message.connect(said.append)
    out = tmp_path / "app" / "whys.png"
    out.parent.mkdir()
    assert tab.export_to(out, Format.PNG, page=Page.SLIDE, scale=1)
    written = sorted(out.parent.iterdir())
    expected = export_pages(
        tab.document.incident, View.WHYS, Format.PNG, today=TODAY, page=Page.SLIDE, scale=1
    )
    assert [p.name for p in written] == [f"whys-{n}.png" for n in range(1, expected.pages + 1)]
    assert [p.read_bytes() for p in written] == expected.files
    [message] = said
    assert message.startswith(f"Exported the whys to {expected.pages} files in {out.parent}:")
    assert "whys-1.png, whys-2.png" in message
