"""An imported file may not carry control characters or bidi overrides: each is refused
at the field's own place, naming the character; Windows line ends are not a problem."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rca_desk.interchange.json_format import ImportRefusedError, loads, to_document

ESC = "contains the control character U+001B (escape); remove it"
RLO = (
    "contains U+202E RIGHT-TO-LEFT OVERRIDE, which shows text in a different order than it "
    "is stored; remove it"
)


def document(**incident: Any) -> dict[str, Any]:
    header = {key: value for key, value in to_document([]).items() if key != "incidents"}
    raw: dict[str, Any] = {
        "uid": "u1",
        "title": "Late reports",
        "problem": "Reports were a day late",
        "categories": ["Technology", "SOPs"],
        "causes": [
            {"id": "a", "parent": "problem", "text": "Backup failed", "category": "Technology"},
            {"id": "b", "parent": "a", "text": "Disk full", "category": "Technology"},
            {
                "id": "c",
                "parent": "b",
                "text": "No alert on disk use",
                "category": "SOPs",
                "root_cause": True,
            },
        ],
    }
    raw.update(incident)
    return {**header, "incidents": [raw]}


def action(**fields: Any) -> dict[str, Any]:
    return {
        "uid": "x1",
        "title": "Alert at 80 % disk use",
        "root_causes": ["c"],
        "strength": "strong",
        "status": "proposed",
        "history": [{"at": "2025-01-10T09:00:00", "from": None, "to": "proposed", "note": ""}],
        **fields,
    }


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ImportRefusedError) as refused:
        loads(json.dumps(doc))
    return [str(problem) for problem in refused.value.problems]


def with_cause_text(text: str) -> dict[str, Any]:
    doc = document()
    doc["incidents"][0]["causes"][2]["text"] = text
    return doc


def with_action_notes(text: str) -> dict[str, Any]:
    return document(actions=[action(notes=text)])


def with_category(text: str) -> dict[str, Any]:
    return document(categories=["Technology", text])


def with_history_note(text: str) -> dict[str, Any]:
    history = [{"at": "2025-01-10T09:00:00", "from": None, "to": "proposed", "note": text}]
    return document(actions=[action(history=history)])


FIELDS = {
    "cause text": (with_cause_text, "incidents[0].causes[2].text"),
    "action notes": (with_action_notes, "incidents[0].actions[0].notes"),
    "category name": (with_category, "incidents[0].categories[1]"),
    "history note": (with_history_note, "incidents[0].actions[0].history[0].note"),
}


@pytest.mark.parametrize(("build", "place"), FIELDS.values(), ids=FIELDS.keys())
def test_a_control_character_is_refused_at_its_place(build: Any, place: str) -> None:
    assert problems(build("Checks \x1b[31mred")) == [f"{place}: {ESC}"]


@pytest.mark.parametrize(("build", "place"), FIELDS.values(), ids=FIELDS.keys())
def test_a_bidi_override_is_refused_at_its_place(build: Any, place: str) -> None:
    assert problems(build("Run \u202efr- mr")) == [f"{place}: {RLO}"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\x00b", "contains the control character U+0000 (null); remove it"),
        ("a\x7fb", "contains the control character U+007F (delete); remove it"),
        (
            "a\x9b2Jb",
            "contains the control character U+009B (control sequence introducer); remove it",
        ),
        ("\x07a\x07b\x07", "contains 3 control characters, the first U+0007 (bell); remove them"),
        (
            "a\u2066b\u2069",
            "contains U+2066 LEFT-TO-RIGHT ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, which "
            "show text in a different order than it is stored; remove them",
        ),
    ],
)
def test_each_kind_is_named(text: str, message: str) -> None:
    assert problems(document(title=text)) == [f"incidents[0].title: {message}"]


def test_a_control_character_in_an_impact_is_refused_there() -> None:
    assert problems(document(impact={"financial": "one\x1bday"})) == [
        f"incidents[0].impact.financial: {ESC}"
    ]


def test_windows_line_ends_import_as_newlines() -> None:
    doc = document(description="First line\r\nsecond line\rthird\n\tindented")
    doc["incidents"][0]["causes"][2]["text"] = "No alert\r\non disk use"
    (incident,) = loads(json.dumps(doc))
    assert incident.description == "First line\nsecond line\nthird\n\tindented"
    assert incident.graph.cause("c").text == "No alert\non disk use"


def test_right_to_left_text_and_its_marks_import() -> None:
    doc = document(title="השרת נפל\u200f", description="تعطل الخادم 👩\u200d💻")
    (incident,) = loads(json.dumps(doc))
    assert incident.title == "השרת נפל\u200f"
    assert incident.description == "تعطل الخادم 👩\u200d💻"
