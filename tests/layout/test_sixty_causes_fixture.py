"""The committed 60-cause incident (tests/data/diagrams/sixty-causes.json) is what the
slide targets of issue 13 are measured on: keep it the realistic shape it claims."""

from __future__ import annotations

import json
from pathlib import Path

from rca_desk.interchange.json_format import parse_document
from rca_desk.model import HEAD, Incident

FIXTURE = Path(__file__).parents[1] / "data" / "diagrams" / "sixty-causes.json"


def sixty_causes() -> Incident:
    document = json.loads(FIXTURE.read_text("utf-8"))
    [incident] = parse_document(document, source=FIXTURE.name)
    return incident


def test_sixty_causes_in_six_categories_with_workshop_length_labels() -> None:
    graph = sixty_causes().graph
    causes = list(graph.cause_ids())
    assert len(causes) == 60
    assert len(graph.categories) == 6
    assert {graph.cause(c).category for c in graph.children(HEAD)} == set(graph.categories)
    assert all(40 <= len(graph.cause(c).text) <= 80 for c in causes)
    depth = {HEAD: 0}
    for c in causes:
        depth[c] = depth[graph.parent(c)] + 1
    assert max(depth.values()) == 3
