"""A PDF no viewer refuses: pages no side of which passes 14,400 pt (issue 13).

A diagram larger than that (a 5,000-cause fishbone was 110,309 x 206,989 pt on one page)
is tiled over equal pages, each holding what lies on it; Poppler reads every page.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from rca_desk.layout.geometry import Rect
from rca_desk.model import Incident
from rca_desk.render.diagram import View, build_diagram
from rca_desk.render.export import (
    MAX_PAGE_PT,
    PT_PER_PX,
    _near,
    _within,
    pdf_bytes,
    pdf_tiles,
)
from rca_desk.render.metrics import QtMetrics
from tests.synthetic import _graph

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("w", "h", "pages"),
    [(100, 80, 1), (19_200, 19_200, 1), (19_201, 100, 2), (50_000, 100, 3), (40_000, 60_000, 12)],
)
def test_pages_cover_the_diagram_and_none_is_too_large(w: float, h: float, pages: int) -> None:
    bounds = Rect(-w, -h / 2, w, h)
    tiles = pdf_tiles(bounds)
    assert len(tiles) == pages
    assert all(t.w * PT_PER_PX <= MAX_PAGE_PT and t.h * PT_PER_PX <= MAX_PAGE_PT for t in tiles)
    assert sum(t.w * t.h for t in tiles) == pytest.approx(w * h)
    assert min(t.x for t in tiles) == bounds.x and min(t.y for t in tiles) == bounds.y
    assert max(t.x + t.w for t in tiles) == pytest.approx(bounds.x + bounds.w, abs=1e-6)


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs Poppler's pdfinfo")
def test_a_5000_cause_fishbone_pdf_is_pages_every_viewer_opens(
    qapp: object, tmp_path: Path
) -> None:
    incident = Incident(title="Five thousand causes", graph=_graph(random.Random(5), 5_000))
    diagram = build_diagram(incident, View.FISHBONE, QtMetrics(), today=TODAY)
    tiles = pdf_tiles(diagram.bounds)
    assert len(tiles) > 1  # a real test of the tiling
    out = tmp_path / "big.pdf"
    out.write_bytes(pdf_bytes(diagram))
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(len(tiles)), str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1) == str(len(tiles))  # type: ignore[union-attr]
    sizes = [
        tuple(map(float, m)) for m in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    ]
    assert len(sizes) == len(tiles)
    assert all(w <= MAX_PAGE_PT + 0.5 and h <= MAX_PAGE_PT + 0.5 for w, h in sizes)
    # Each page draws only what lies on it (the clip would hide the rest, at a cost).
    first = _within(diagram, tiles[0])
    assert 0 < len(first.labels) < len(diagram.labels)
    assert all(_near(label.rect, tiles[0], 16.0) for label in first.labels.values())
    if shutil.which("pdftoppm"):
        image = tmp_path / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "2", "-f", "1", "-l", "1", str(out), str(image)],
            check=True,
        )
        assert list(tmp_path.glob("page*.png"))
