"""A key given twice in one JSON object is refused with its place, not silently resolved."""

from __future__ import annotations

import json

import pytest

from rca_desk.interchange.json_format import ImportRefusedError, dumps, loads
from rca_desk.model import Incident


def test_a_key_given_twice_is_refused_naming_its_place() -> None:
    text = dumps([Incident(title="Payroll late")])
    # A hand edit that says two things about one incident's title.
    doubled = text.replace('"title": "Payroll late"', '"title": "Payroll late", "title": "x"')
    assert doubled != text
    with pytest.raises(ImportRefusedError) as refused:
        loads(doubled)
    assert str(refused.value).count("appears twice") == 1
    assert "incidents[0].title: appears twice in one object; keep one" in str(refused.value)


def test_keys_twice_at_the_top_and_deep_inside_are_all_named() -> None:
    document = json.loads(dumps([Incident(title="A"), Incident(title="B")]))
    text = json.dumps(document)
    text = text.replace('"format": ', '"format": "rca-desk", "format": ', 1)
    text = text.replace('"severity": ', '"severity": "low", "severity": ')  # both incidents
    with pytest.raises(ImportRefusedError) as refused:
        loads(text)
    assert [str(problem) for problem in refused.value.problems] == [
        "format: appears twice in one object; keep one",
        "incidents[0].severity: appears twice in one object; keep one",
        "incidents[1].severity: appears twice in one object; keep one",
    ]


def test_the_same_key_in_two_objects_is_fine() -> None:
    [first, second] = loads(dumps([Incident(title="A"), Incident(title="B")]))
    assert (first.title, second.title) == ("A", "B")
