"""Problems in actions and their history, each named at its place."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rca_desk.interchange.json_format import ImportRefusedError, loads
from rca_desk.interchange.mermaid import to_mermaid
from rca_desk.model import HEAD, CauseGraph, Evidence
from tests.interchange.test_import_problem_places import action, document


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ImportRefusedError) as refused:
        loads(json.dumps(doc))
    return [str(problem) for problem in refused.value.problems]


PROPOSED = {"at": "2026-01-01T09:00:00", "from": None, "to": "proposed", "note": ""}


def test_a_cause_flag_must_be_true_or_false() -> None:
    causes = [{"id": "a", "parent": "problem", "text": "one", "category": "A", "root_cause": "yes"}]
    assert problems(document(causes=causes)) == [
        "incidents[0].causes[0].root_cause: must be true or false, not text"
    ]


def test_an_action_lacking_required_fields_names_each() -> None:
    assert problems(document(actions=[{"uid": "x"}])) == [
        "incidents[0].actions[0]: lacks the required field 'title'",
        "incidents[0].actions[0]: lacks the required field 'root_causes'",
        "incidents[0].actions[0]: lacks the required field 'strength'",
        "incidents[0].actions[0]: lacks the required field 'status'",
    ]


def test_an_action_uid_twice_in_the_file_is_named_at_the_second() -> None:
    doc = document(actions=[action()])
    second = {**doc["incidents"][0], "uid": "u2", "actions": [action()]}
    doc["incidents"].append(second)
    assert problems(doc) == ["incidents[1].actions[0].uid: action 'x' appears twice in the file"]


def test_history_must_be_a_list_of_complete_entries() -> None:
    assert problems(document(actions=[action(history="all of it")])) == [
        "incidents[0].actions[0].history: must be a list, not text"
    ]
    assert problems(document(actions=[action(history=[5, {"from": None}])])) == [
        "incidents[0].actions[0].history[0]: must be an object, not a number",
        "incidents[0].actions[0].history[1]: lacks the required field 'at'",
        "incidents[0].actions[0].history[1]: lacks the required field 'to'",
    ]
    assert problems(
        document(actions=[action(history=[{"at": "2026-01-01", "to": "proposed"}])])
    ) == [
        "incidents[0].actions[0].history[0]: lacks the required field 'from'",
    ]


def test_bad_history_values_are_named() -> None:
    bad_from = {"at": "2026-01-02T09:00:00", "from": "nowhere", "to": "committed"}
    bad_to = {"at": "2026-01-02T09:00:00", "from": None, "to": "nowhere", "note": 3}
    assert problems(document(actions=[action(history=[PROPOSED, bad_from])])) == [
        "incidents[0].actions[0].history[1].from: 'nowhere' is not one of: proposed, "
        "committed, in_progress, implemented, verified_effective, not_effective, cancelled",
    ]
    assert problems(document(actions=[action(history=[bad_to])])) == [
        "incidents[0].actions[0].history[0].to: 'nowhere' is not one of: proposed, "
        "committed, in_progress, implemented, verified_effective, not_effective, cancelled",
        "incidents[0].actions[0].history[0].note: must be text, not a number",
    ]


def test_the_status_must_be_where_the_history_ends() -> None:
    committed = {"at": "2026-01-02T09:00:00", "from": "proposed", "to": "cancelled", "note": "x"}
    assert problems(
        document(actions=[action(status="proposed", history=[PROPOSED, committed])])
    ) == [
        "incidents[0].actions[0].status: is proposed, but the history ends at cancelled; "
        "the last entry's 'to' must be the status"
    ]


def test_whys_mermaid_styles_categories_root_causes_and_hypotheses() -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    graph.add_cause(HEAD, text="one", cause_id="a", root_cause=True, evidence=Evidence.SUPPORTED)
    graph.add_cause(HEAD, text="two", cause_id="b")
    lines = to_mermaid(graph, view="whys").splitlines()
    assert "    classDef cat0 stroke:#0072B2,stroke-width:2px" in lines
    assert "    classDef root stroke-width:4px,font-weight:bold" in lines
    assert "    classDef hypothesis stroke-dasharray:6 4" in lines
