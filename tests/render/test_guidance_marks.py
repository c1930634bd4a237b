"""Diagrams without guidance marks (issue 15: the client's report): no "!" badge for blame
or for a root cause left uncovered, no open "Why?" after an unfinished chain, no "!" in
the legend; evidence marks and the action badges stay."""

from __future__ import annotations

import pytest

from rca_desk.interchange.sample import sample_incidents
from rca_desk.layout.whys import QUESTION_PREFIX
from rca_desk.render.diagram import View, build_diagram
from rca_desk.render.export import diagram_pages
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.pages import Page
from tests.conftest import TODAY

BLAME_OR_UNCOVERED = "root cause without a committed action, or blame"


@pytest.mark.parametrize("view", list(View))
def test_guidance_off_leaves_out_the_exclamation_badges_and_open_questions(
    qapp: object, view: View
) -> None:
    incident = sample_incidents(TODAY)[0]
    shown = build_diagram(incident, view, QtMetrics(), today=TODAY)
    plain = build_diagram(incident, view, QtMetrics(), today=TODAY, guidance=False)

    # The sample's "Release engineer forgot to snapshot ..." blames a person: a "!".
    assert [(b.node, b.text) for b in shown.badges() if b.text == "!"] == [("sop-4", "!")]
    # The action badges (counts) and every evidence mark stay.
    assert sorted(b.node for b in plain.badges()) == [
        "com-3", "qc-3", "sop-3", "tech-5", "tech-7", "trn-3"
    ]  # fmt: skip
    assert {b.text for b in plain.badges()} == {"1"}
    assert len(plain.evidence_marks()) == len(shown.evidence_marks()) == 22
    legend = [entry.name for entry in plain.legend]
    assert BLAME_OR_UNCOVERED in [entry.name for entry in shown.legend]
    assert BLAME_OR_UNCOVERED not in legend
    assert "actions: proposed only" in legend
    questions = [node for node in plain.labels if node.startswith(QUESTION_PREFIX)]
    assert questions == []
    if view is View.WHYS:
        assert sorted(n for n in shown.labels if n.startswith(QUESTION_PREFIX)) == [
            "?com-4", "?sop-4", "?sop-5"
        ]  # fmt: skip


def test_the_five_whys_on_paper_pages_without_guidance(qapp: object) -> None:
    incident = sample_incidents(TODAY)[0]
    for guidance in (True, False):
        parts = diagram_pages(incident, View.WHYS, Page.A4, today=TODAY, guidance=guidance)
        assert all(part.portrait for part in parts)
        labels = [node for part in parts for node in part.diagram.labels]
        marks = [b.text for part in parts for b in part.diagram.badges()]
        words = [entry.name for part in parts for entry in part.diagram.legend]
        assert any(n.startswith(QUESTION_PREFIX) for n in labels) is guidance
        assert ("!" in marks) is guidance
        assert (BLAME_OR_UNCOVERED in words) is guidance
