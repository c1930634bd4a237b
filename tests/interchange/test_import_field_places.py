"""Every field a person can get wrong is named at its own place in the refusal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rca_desk.interchange.json_format import ImportRefusedError, loads
from tests.interchange.test_import_problem_places import action, document

CAUSE = {"id": "a", "parent": "problem", "text": "one", "category": "A", "root_cause": True}


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ImportRefusedError) as refused:
        loads(json.dumps(doc))
    return [str(problem) for problem in refused.value.problems]


@pytest.mark.parametrize(
    "key", ["uid", "title", "problem", "affected", "description", "containment"]
)
def test_an_incident_text_that_is_a_number(key: str) -> None:
    assert problems(document(**{key: 7})) == [f"incidents[0].{key}: must be text, not a number"]


@pytest.mark.parametrize("key", ["operational", "compliance"])
def test_an_impact_text_that_is_a_number(key: str) -> None:
    assert problems(document(impact={key: 7})) == [
        f"incidents[0].impact.{key}: must be text, not a number"
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("whys_depth", "five", "must be a whole number, not text"),
        ("categories", "A", "must be a list, not text"),
        ("links", {}, "must be a list, not an object"),
        ("actions", 1, "must be a list, not a number"),
        ("status", "done", "'done' is not one of: open, analysing, monitoring, closed"),
        ("occurred_at", "last week", "'last week' is not a date and time (ISO 8601)"),
        ("uid", "no spaces", "must be 1-64 letters, digits, '_', '.' or '-'"),
        ("title", "\ud800", "contains characters that are not valid Unicode"),
    ],
)
def test_an_incident_value_of_the_wrong_kind(key: str, value: Any, message: str) -> None:
    assert problems(document(**{key: value})) == [f"incidents[0].{key}: {message}"]


def test_categories_that_repeat_are_refused_at_the_second() -> None:
    assert problems(document(categories=["A", " A "])) == [
        "incidents[0].categories[1]: 'A' is already categories[0]; each appears once"
    ]


def test_whys_depth_defaults_to_five() -> None:
    (incident,) = loads(json.dumps(document()))
    assert incident.whys_depth == 5


@pytest.mark.parametrize("key", ["text", "evidence_note", "category"])
def test_a_cause_text_that_is_a_number(key: str) -> None:
    assert problems(document(causes=[{**CAUSE, key: 7}])) == [
        f"incidents[0].causes[0].{key}: must be text, not a number"
    ]


def test_every_bad_cause_is_reported() -> None:
    causes = [
        {**CAUSE, "id": "a", "text": "  "},
        {**CAUSE, "id": "b", "category": "Z"},
        {**CAUSE, "id": "c", "evidence": "maybe"},
        {**CAUSE, "id": "d", "text": "x" * 2001},
        {**CAUSE, "id": "e"},
    ]
    assert problems(document(causes=causes)) == [
        "incidents[0].causes[0].text: must not be empty",
        "incidents[0].causes[1].category: 'Z' is not one of the incident's categories (A)",
        "incidents[0].causes[2].evidence: 'maybe' is not one of: hypothesis, supported, "
        "verified, ruled_out",
        "incidents[0].causes[3].text: is longer than 2000 characters (limit 2000)",
    ]


@pytest.mark.parametrize("key", ["title", "owner", "metric", "target", "notes"])
def test_an_action_text_that_is_a_number(key: str) -> None:
    assert problems(document(actions=[action(**{key: 7})])) == [
        f"incidents[0].actions[0].{key}: must be text, not a number"
    ]


def test_an_action_date_that_is_not_a_date() -> None:
    assert problems(document(actions=[action(due="soon", verify_on="2026-13-01")])) == [
        "incidents[0].actions[0].due: 'soon' is not a date (YYYY-MM-DD)",
        "incidents[0].actions[0].verify_on: '2026-13-01' is not a date (YYYY-MM-DD)",
    ]
