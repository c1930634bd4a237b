"""Canvas and export benchmarks on the standard fishbone F2 (8 x 10 x 5, 489 nodes).

Run: ``.venv/bin/python -m pytest tests/benchmarks --benchmarks -k canvas``. Targets from
issue 3: the F2 edit round trip (command -> store commit -> relayout -> scene update)
under 16 ms, PNG 2x / SVG / PDF export of F2 under 300 ms each.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest

from rca_desk.model import HEAD, Incident
from rca_desk.render.diagram import View, build_diagram
from rca_desk.render.export import pdf_bytes, png_bytes
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.svg import to_svg
from rca_desk.store import Workspace
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.document.cause_commands import EditCause
from rca_desk.ui.document.incident_document import IncidentDocument
from tests.conftest import TODAY
from tests.shapes import standard_fishbone


@pytest.fixture
def f2_document(qapp, tmp_path: Path) -> Iterator[IncidentDocument]:
    workspace = Workspace.open(tmp_path / "f2.rcadesk")
    incident = Incident(title="F2", graph=standard_fishbone(8, 10, 5))
    workspace.add_incident(incident)
    yield IncidentDocument(workspace, incident)
    workspace.close()


@pytest.mark.parametrize("view", [View.FISHBONE, View.WHYS])
def test_canvas_scene_build_f2(benchmark, f2_document: IncidentDocument, view: View) -> None:
    def build() -> DiagramCanvas:
        canvas = DiagramCanvas(f2_document, view, today=lambda: TODAY)
        canvas.deleteLater()
        return canvas

    canvas = benchmark(build)
    assert len(canvas.labels) >= len(f2_document.graph) + 1


@pytest.mark.parametrize("view", [View.FISHBONE, View.WHYS])
def test_canvas_edit_round_trip_f2(benchmark, f2_document: IncidentDocument, view: View) -> None:
    """Rename one cause: command, write-through commit, relayout, in-place scene update."""
    canvas = DiagramCanvas(f2_document, view, today=lambda: TODAY)
    cause = f2_document.graph.children(HEAD)[3]
    n = count()

    def edit() -> None:
        f2_document.execute(
            EditCause(f2_document, cause, text=f"Renamed cause number {next(n)} after review")
        )

    benchmark(edit)
    assert canvas.labels[cause].label.block.lines[0].startswith("Renamed")
    canvas.deleteLater()


@pytest.fixture
def f2_diagram(qapp) -> object:
    incident = Incident(title="F2", graph=standard_fishbone(8, 10, 5))
    return build_diagram(incident, View.FISHBONE, QtMetrics(), today=TODAY)


def test_export_png_2x_f2(benchmark, f2_diagram) -> None:
    data = benchmark(png_bytes, f2_diagram, scale=2.0)
    assert data.startswith(b"\x89PNG")


def test_export_svg_f2(benchmark, f2_diagram) -> None:
    text = benchmark(to_svg, f2_diagram)
    assert text.startswith("<?xml")


def test_export_pdf_f2(benchmark, f2_diagram) -> None:
    data = benchmark(pdf_bytes, f2_diagram)
    assert data.startswith(b"%PDF")


@pytest.mark.parametrize("view", [View.FISHBONE])
def test_another_window_sees_an_edit_f2(
    benchmark, f2_document: IncidentDocument, view: View
) -> None:
    """The work a second window does once its watcher's poll (every ``POLL_MS``) finds a
    commit by another connection: notice it, re-read the incident, redraw its canvas. The
    time another window takes to show an edit is at most ``POLL_MS`` plus this."""
    from rca_desk.ui.document.watcher import WorkspaceWatcher

    other = Workspace.open(f2_document.workspace.path, create=False)
    second = IncidentDocument(other, other.load(f2_document.incident.id))  # type: ignore[arg-type]
    canvas = DiagramCanvas(second, view, today=lambda: TODAY)
    watcher = WorkspaceWatcher(other)
    watcher.changed.connect(
        lambda edited: (
            second.changed_elsewhere(edited.get(second.incident.id)) and second.follow_others()
        )
    )
    cause = f2_document.graph.children(HEAD)[3]
    n = count()

    def edit_there() -> None:
        f2_document.execute(EditCause(f2_document, cause, text=f"Renamed there {next(n)}"))

    def see_it_here() -> None:
        assert watcher.poll()

    benchmark.pedantic(see_it_here, setup=edit_there, rounds=30, iterations=1)
    assert canvas.labels[cause].label.block.lines[0].startswith("Renamed there")
    canvas.deleteLater()
    other.close()
