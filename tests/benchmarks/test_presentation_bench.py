"""Presentation mode on the standard fishbone F2 (8 x 10 x 5, 489 nodes), issue 14:
switching in (the window, its canvas laid out in the slide frame, fitted) and out, and
one edit's round trip there (command, write-through commit, relayout of the slide,
in-place scene update). Reported, never asserted.

Run: ``.venv/bin/python -m pytest tests/benchmarks --benchmarks -k presentation``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest

from rca_desk.model import HEAD, Incident
from rca_desk.store import Workspace
from rca_desk.ui.document.cause_commands import EditCause
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.conftest import TODAY
from tests.shapes import standard_fishbone


@pytest.fixture
def f2_tab(qapp, qtbot, tmp_path: Path) -> Iterator[IncidentTab]:
    workspace = Workspace.open(tmp_path / "f2.rcadesk")
    incident = Incident(title="F2", graph=standard_fishbone(8, 10, 5))
    workspace.add_incident(incident)
    tab = IncidentTab(IncidentDocument(workspace, incident), today=lambda: TODAY)
    qtbot.addWidget(tab)
    tab.resize(1920, 1080)
    tab.show()
    yield tab
    if tab.presentation is not None:
        tab.presentation.leave()
    workspace.close()


def test_presentation_switch_in_and_out_f2(benchmark, f2_tab: IncidentTab) -> None:
    def switch() -> None:
        f2_tab.present()
        assert f2_tab.presentation is not None
        f2_tab.presentation.leave()

    benchmark(switch)
    assert f2_tab.presentation is None


def test_presentation_edit_round_trip_f2(benchmark, f2_tab: IncidentTab) -> None:
    shown = f2_tab.present()
    document = f2_tab.document
    cause = document.graph.children(HEAD)[3]
    n = count()

    def edit() -> None:
        document.execute(
            EditCause(document, cause, text=f"Renamed cause number {next(n)} after review")
        )

    benchmark(edit)
    assert shown.canvas.labels[cause].label.block.lines[0].startswith("Renamed")
    assert shown.canvas.frame is not None
