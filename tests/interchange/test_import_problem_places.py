"""More refusals named at their exact place, on a small hand-written document."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rca_desk.interchange.dot import to_dot
from rca_desk.interchange.json_format import ImportRefusedError, loads, to_document
from rca_desk.interchange.mermaid import to_mermaid
from rca_desk.model import HEAD, CauseGraph, Evidence, IncidentStatus


def document(**incident: Any) -> dict[str, Any]:
    header = {key: value for key, value in to_document([]).items() if key != "incidents"}
    raw: dict[str, Any] = {
        "uid": "u1",
        "title": "T",
        "problem": "P",
        "categories": ["A"],
        "causes": [
            {"id": "a", "parent": "problem", "text": "one", "category": "A", "root_cause": True}
        ],
    }
    raw.update(incident)
    return {**header, "incidents": [raw]}


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ImportRefusedError) as refused:
        loads(json.dumps(doc))
    return [str(problem) for problem in refused.value.problems]


def action(**fields: Any) -> dict[str, Any]:
    return {
        "uid": "x",
        "title": "Fix",
        "root_causes": ["a"],
        "strength": "weak",
        "status": "proposed",
        **fields,
    }


def test_an_incident_without_a_status_is_open() -> None:
    (incident,) = loads(json.dumps(document()))
    assert incident.status is IncidentStatus.OPEN


def test_a_link_end_that_is_not_text_is_named() -> None:
    assert problems(document(links=[{"effect": "a", "cause": 5}])) == [
        "incidents[0].links[0].cause: must be text, not a number"
    ]


def test_every_unreadable_cause_is_reported_not_just_the_first() -> None:
    causes = [7, {"id": "b"}, {"id": "a", "parent": "problem", "text": "one", "category": "A"}]
    assert problems(document(causes=causes)) == [
        "incidents[0].causes[0]: must be an object, not a number",
        "incidents[0].causes[1]: lacks the required field 'parent'",
        "incidents[0].causes[1]: lacks the required field 'text'",
        "incidents[0].causes[1]: lacks the required field 'category'",
    ]


def test_parents_in_a_cycle_are_refused_with_the_reason() -> None:
    causes = [
        {"id": "a", "parent": "b", "text": "one", "category": "A"},
        {"id": "b", "parent": "a", "text": "two", "category": "A"},
    ]
    assert problems(document(causes=causes)) == [
        "incidents[0].causes[0].parent: the causes' parents form a cycle; "
        "every chain must lead back to the problem"
    ]


def test_root_causes_must_be_a_list() -> None:
    assert problems(document(actions=[action(root_causes="a")])) == [
        "incidents[0].actions[0].root_causes: must be a list, not text"
    ]


def test_a_history_time_is_required_and_must_be_a_date_and_time() -> None:
    bad = action(history=[{"at": "yesterday", "from": None, "to": "proposed"}])
    assert problems(document(actions=[bad])) == [
        "incidents[0].actions[0].history[0].at: 'yesterday' is not a date and time"
    ]
    missing = action(history=[{"at": None, "from": None, "to": "proposed"}])
    assert problems(document(actions=[missing])) == [
        "incidents[0].actions[0].history[0].at: is required"
    ]


def drawn_graph() -> CauseGraph:
    graph = CauseGraph(problem="P", categories=["A"])
    graph.add_cause(HEAD, text="tab\there", cause_id="a", evidence=Evidence.RULED_OUT)
    return graph


def test_a_tab_in_a_label_is_drawn_as_a_space() -> None:
    assert 'label="tab here"' in to_dot(drawn_graph(), view="whys")


def test_without_clusters_causes_are_still_named_by_their_ids() -> None:
    assert '\tc_a [label="tab here"' in to_dot(drawn_graph(), clusters=False)


def test_mermaid_greys_out_a_ruled_out_cause_with_a_dotted_border() -> None:
    lines = to_mermaid(drawn_graph(), view="whys").splitlines()
    assert "    classDef ruledout stroke-dasharray:2 3,color:#7F7F7F" in lines
