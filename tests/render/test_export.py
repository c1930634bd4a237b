"""Every export format of both views, checked with a real reader."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from PySide6.QtGui import QColor, QImage

from rca_desk.interchange.files import ExportError
from rca_desk.model import Incident
from rca_desk.render.diagram import View, build_diagram
from rca_desk.render.export import Format, export_file, png_bytes
from rca_desk.render.metrics import QtMetrics
from tests.conftest import TODAY

VIEWS = [View.FISHBONE, View.WHYS]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def nasty(sample: Incident) -> Incident:
    """The sample with labels full of characters that break naive writers."""
    graph = sample.graph
    for i, cause_id in enumerate(list(graph.cause_ids())[:6]):
        graph.update_cause(
            cause_id,
            text=[
                "Quote \" and apostrophe ' & ampersand",
                "<script>alert(1)</script>",
                "Back\\slash {braces} |pipe| ; semicolon",
                "Line one\nline two",
                "データ移行の手順書がない",
                "]]> --> <!-- %s %d",
            ][i],
        )
    return sample


def cause_texts(incident: Incident) -> list[str]:
    return [c.text for c in incident.graph.causes()]


@pytest.mark.parametrize("view", VIEWS)
def test_png_decodes_and_is_not_blank(qapp, sample: Incident, tmp_path: Path, view: View) -> None:
    out = tmp_path / "d.png"
    export_file(sample, view, Format.PNG, out, today=TODAY, scale=2)
    image = QImage(str(out))
    assert not image.isNull()
    diagram = build_diagram(sample, view, QtMetrics(), today=TODAY, legend=False)
    assert image.width() == round(diagram.bounds.w * 2)
    small = image.scaled(200, 200)
    colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
    assert len(colours) > 20  # drawn, not a flat fill
    assert image.pixelColor(1, 1) == QColor("white")


def test_png_transparent_background_and_dpi(qapp, sample: Incident) -> None:
    diagram = build_diagram(sample, View.FISHBONE, QtMetrics(), today=TODAY)
    data = png_bytes(diagram, dpi=192, transparent=True)
    image = QImage.fromData(data, "PNG")
    assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0
    assert image.width() == round(diagram.bounds.w * 2)
    assert round(image.dotsPerMeterX() * 0.0254) == 192


def test_too_large_png_is_refused_and_no_file_left(qapp, sample: Incident, tmp_path: Path) -> None:
    out = tmp_path / "huge.png"
    with pytest.raises(ExportError, match="scale"):
        export_file(sample, View.FISHBONE, Format.PNG, out, today=TODAY, scale=19)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("view", VIEWS)
def test_svg_parses_and_holds_every_cause_text(
    qapp, nasty: Incident, tmp_path: Path, view: View
) -> None:
    out = tmp_path / "d.svg"
    export_file(nasty, view, Format.SVG, out, today=TODAY)
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    assert len(root.get("viewBox", "").split()) == 4
    # Each label's lines are tspans of one text element; join them back per label.
    labels = [
        " ".join(t.text or "" for t in text.iter(f"{SVG}tspan")) for text in root.iter(f"{SVG}text")
    ]
    joined = "\n".join(labels)
    squashed = "".join(joined.split())
    for text in cause_texts(nasty):
        assert "".join(text.split()) in squashed, text
    assert not root.findall(f".//{SVG}script")


@pytest.mark.parametrize("view", VIEWS)
def test_pdf_is_one_vector_page(qapp, sample: Incident, tmp_path: Path, view: View) -> None:
    out = tmp_path / "d.pdf"
    export_file(sample, view, Format.PDF, out, today=TODAY)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
        assert re.search(r"^Pages:\s+1$", info.stdout, re.MULTILINE), info.stdout
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "30", str(out), str(tmp_path / "page")], check=True
        )
        pages = sorted(tmp_path.glob("page*.png"))
        assert len(pages) == 1
        assert not QImage(str(pages[0])).isNull()
    else:
        assert (
            data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page\n")
            >= 1
        )


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_dot_is_accepted_by_real_dot(nasty: Incident, tmp_path: Path, view: View) -> None:
    out = tmp_path / "d.dot"
    export_file(nasty, view, Format.DOT, out, today=TODAY)
    result = subprocess.run(["dot", "-Tsvg", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    ET.fromstring(result.stdout)


@pytest.mark.parametrize("view", VIEWS)
def test_graphml_reads_back_with_the_same_graph(
    nasty: Incident, tmp_path: Path, view: View
) -> None:
    out = tmp_path / "d.graphml"
    export_file(nasty, view, Format.GRAPHML, out, today=TODAY)
    back = nx.read_graphml(out)
    graph = nasty.graph.nx
    assert set(back.nodes) == set(graph.nodes)
    assert set(back.edges) == set(graph.edges)
    for node in nasty.graph.cause_ids():
        assert back.nodes[node]["text"] == nasty.graph.cause(node).text


@pytest.mark.parametrize("view", VIEWS)
def test_mermaid_text(nasty: Incident, tmp_path: Path, view: View) -> None:
    out = tmp_path / "d.mmd"
    export_file(nasty, view, Format.MMD, out, today=TODAY)
    text = out.read_text(encoding="utf-8")
    first = text.lstrip().splitlines()[0]
    assert first.startswith("ishikawa" if view is View.FISHBONE else "flowchart LR")
    assert "<script>" not in text


@pytest.mark.subprocess
def test_cli_exports_every_format(tmp_path: Path) -> None:
    workspace = tmp_path / "ws.rcadesk"
    run = [sys.executable, "-m", "rca_desk", "--workspace", str(workspace)]
    subprocess.run([*run, "demo"], check=True, capture_output=True)
    for view in ("fishbone", "whys"):
        for fmt in Format:
            out = tmp_path / f"{view}.{fmt.value}"
            result = subprocess.run(
                [*run, "export", "--incident", "1", "--view", view, "-o", str(out)],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert result.returncode == 0, result.stderr
            assert out.stat().st_size > 100
    bad = subprocess.run(
        [*run, "export", "--incident", "1", "-o", str(tmp_path / "x.doc")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.doc").exists()


def test_svg_survives_characters_xml_forbids(qapp, sample: Incident, tmp_path: Path) -> None:
    cause = next(iter(sample.graph.cause_ids()))
    sample.graph.update_cause(cause, text="bad \ufffe\uffff\x01 chars")
    out = tmp_path / "d.svg"
    export_file(sample, View.FISHBONE, Format.SVG, out, today=TODAY)
    ET.parse(out)
