"""The incident's record in the JSON format (1.4): lessons, the day of resolution, the
review meeting, the cadence, the timeline, the participants and the check-ins. An export
carries them, a file from before them (1.3) imports with their defaults, an edited record
survives export and import into a workspace, and every bad value is refused at its own
place with the workspace untouched."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from rca_desk.interchange import json_format
from rca_desk.interchange.json_format import (
    FormatVersion,
    ImportRefusedError,
    dumps,
    import_incidents,
    parse_document,
)
from rca_desk.model import Cadence, Channel, CheckIn, Incident, Participant, TimelineEvent
from rca_desk.store import Workspace
from tests.interchange.conftest import Doc

#: A recorded incident as the exporter writes its record.
RECORD: dict[str, Any] = {
    "lessons": "Rehearse tenant restores.\nSay who tells key accounts.",
    "resolved_at": "2026-11-03",
    "review_meeting": "2026-12-15",
    "cadence": {"weekly": 2, "fortnightly": 3, "quarterly": 1},
    "timeline": [
        {
            "id": "t1",
            "at": "2026-11-02T08:05:00+01:00",
            "what": "First alert",
            "source": "PagerDuty alert",
        },
        {"id": "t2", "at": "2026-11-03T16:30:00", "what": "Reports back", "source": ""},
    ],
    "participants": [{"id": "p1", "name": "Dana Weiss", "role": "facilitator"}],
    "check_ins": [
        {
            "id": "k1",
            "planned": "2026-11-10",
            "held": "2026-11-10",
            "channel": "video",
            "ours": "Sam Whitfield",
            "theirs": "Northwind's controller",
            "summary": "Totals reconciled.",
        },
        {
            "id": "k2",
            "planned": "2026-11-17",
            "held": None,
            "channel": "call",
            "ours": "",
            "theirs": "",
            "summary": "",
        },
    ],
    # The sample's values and ratings hang on its own check-ins, which these replace.
    "measure_values": [],
    "confidence": [],
}


def recorded(incident: Incident) -> Incident:
    """``incident`` (one without a record of its own) with the record above."""
    incident.update_fields(
        lessons="Rehearse tenant restores.\nSay who tells key accounts.",
        resolved_at=date(2026, 11, 3),
        review_meeting=date(2026, 12, 15),
        cadence=Cadence(weekly=2, fortnightly=3, quarterly=1),
    )
    zone = timezone(timedelta(hours=1))
    at = datetime(2026, 11, 2, 8, 5, tzinfo=zone)
    incident.put_record("timeline", TimelineEvent("t1", at, "First alert", "PagerDuty alert"))
    incident.put_record(
        "timeline", TimelineEvent("t2", datetime(2026, 11, 3, 16, 30), "Reports back")
    )
    incident.put_record("participants", Participant("p1", "Dana Weiss", "facilitator"))
    first = CheckIn(
        "k1",
        date(2026, 11, 10),
        date(2026, 11, 10),
        Channel.VIDEO,
        "Sam Whitfield",
        "Northwind's controller",
        "Totals reconciled.",
    )
    incident.put_record("check_ins", first)
    incident.put_record("check_ins", CheckIn("k2", date(2026, 11, 17)))
    return incident


def test_an_export_carries_the_record() -> None:
    raw = json.loads(dumps([recorded(Incident(title="Payroll late"))]))["incidents"][0]
    assert {key: raw[key] for key in RECORD} == RECORD
    keys = list(raw)
    assert keys[keys.index("agenda") + 1 : keys.index("categories")] == [
        "lessons",
        "resolved_at",
        "review_meeting",
        "cadence",
        "apology",
        "restore_streak",
    ]
    assert keys[-7:-4] == ["timeline", "participants", "check_ins"]


def test_a_1_3_file_from_before_the_record_imports_with_its_defaults(
    doc: Doc, workspace: Workspace
) -> None:
    for incident in doc["incidents"]:
        for key in (*RECORD, "apology", "restore_streak", "restitution", "measures"):
            del incident[key]  # 1.4's keys, and 1.5's
    doc["version"] = "1.3"
    (older,) = parse_document(copy.deepcopy(doc))
    expected = ("", None, None, Cadence(4, 4, 4), [], [], [])
    assert (
        older.lessons,
        older.resolved_at,
        older.review_meeting,
        older.cadence,
        older.timeline,
        older.participants,
        older.check_ins,
    ) == expected
    (incident_id,) = import_incidents(workspace, [older], source="old.json")
    assert workspace.load(incident_id).cadence == Cadence(4, 4, 4)
    upgraded = json_format.upgrade(doc, FormatVersion(1, 3), now=datetime(2026, 11, 30, 9, 0))
    assert upgraded["version"] == json_format.VERSION
    assert {key: upgraded["incidents"][0][key] for key in RECORD} == {
        "lessons": "",
        "resolved_at": None,
        "review_meeting": None,
        "cadence": {"weekly": 4, "fortnightly": 4, "quarterly": 4},
        "timeline": [],
        "participants": [],
        "check_ins": [],
        "measure_values": [],
        "confidence": [],
    }
    assert "cadence" not in doc["incidents"][0], "the caller's document is not changed"


def test_a_file_with_only_the_required_keys_of_each_record_imports(doc: Doc) -> None:
    doc["incidents"][0].update(
        timeline=[{"id": "t1", "at": "2026-11-02T08:05:00.250", "what": "  First alert  "}],
        participants=[{"id": "p1", "name": "Dana   Weiss"}],
        check_ins=[{"id": "k1", "planned": "2026-11-10"}],
        measure_values=[],
        confidence=[],
    )
    (incident,) = parse_document(doc)
    assert incident.timeline == [TimelineEvent("t1", datetime(2026, 11, 2, 8, 5), "First alert")]
    assert incident.participants == [Participant("p1", "Dana Weiss", "")]
    assert incident.check_ins == [CheckIn("k1", date(2026, 11, 10), None, Channel.CALL)]


def test_an_edited_record_goes_out_and_comes_back(workspace: Workspace) -> None:
    edited = recorded(Incident(title="Payroll late"))
    (read,) = parse_document(json.loads(dumps([edited])))
    assert read.timeline[0].at.utcoffset() == timedelta(hours=1)
    assert [c.channel for c in read.check_ins] == [Channel.VIDEO, Channel.CALL]
    (incident_id,) = import_incidents(workspace, [read], source="edited.json")
    stored = workspace.load(incident_id)
    for name in ("lessons", "resolved_at", "review_meeting", "cadence"):
        assert getattr(stored, name) == getattr(read, name), name
    for kind in ("timeline", "participants", "check_ins"):
        assert stored.records(kind) == read.records(kind), kind
    assert dumps([stored]) == dumps([read])


AT = "incidents[0]"


@pytest.mark.parametrize(
    ("key", "value", "place", "message"),
    [
        ("lessons", 7, f"{AT}.lessons", "must be text, not a number"),
        ("lessons", "x" * 10001, f"{AT}.lessons", "is longer than 10000 characters (limit 10000)"),
        ("resolved_at", "3 Nov", f"{AT}.resolved_at", "'3 Nov' is not a date (YYYY-MM-DD)"),
        (
            "review_meeting",
            "2026-10-30",
            f"{AT}.review_meeting",
            "The review meeting (2026-10-30) cannot come before the service was restored "
            "(2026-11-03).",
        ),
        ("cadence", [4, 4, 4], f"{AT}.cadence", "must be an object, not a list"),
        (
            "cadence",
            {"weekly": 4, "fortnightly": 4},
            f"{AT}.cadence",
            "lacks the required field 'quarterly'",
        ),
        (
            "cadence",
            {"weekly": 4, "fortnightly": 13, "quarterly": 4},
            f"{AT}.cadence.fortnightly",
            "The cadence's fortnightly check-ins must be 0 to 12, not 13.",
        ),
        (
            "cadence",
            {"weekly": True, "fortnightly": 4, "quarterly": 4},
            f"{AT}.cadence.weekly",
            "must be a whole number, not true/false",
        ),
        ("timeline", {"id": "t1"}, f"{AT}.timeline", "must be a list, not an object"),
    ],
)
def test_a_bad_field_is_refused_at_its_place_and_nothing_is_written(
    doc: Doc, workspace: Workspace, key: str, value: object, place: str, message: str
) -> None:
    doc["incidents"][0].update(copy.deepcopy(RECORD))
    doc["incidents"][0][key] = value
    before = workspace.content()
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(doc)
    assert [(p.place, p.message) for p in caught.value.problems] == [(place, message)]
    assert workspace.content() == before


@pytest.mark.parametrize(
    ("kind", "index", "changes", "place", "message"),
    [
        (
            "timeline",
            0,
            {"at": "08:05"},
            "timeline[0].at",
            "'08:05' is not a date and time (ISO 8601)",
        ),
        ("timeline", 1, {"at": None}, "timeline[1].at", "A timeline event needs a date and time."),
        (
            "timeline",
            0,
            {"what": " \n "},
            "timeline[0].what",
            "A timeline event needs text; it cannot be empty.",
        ),
        (
            "timeline",
            0,
            {"source": "x" * 201},
            "timeline[0].source",
            "A timeline event's source is longer than 200 characters.",
        ),
        (
            "timeline",
            0,
            {"id": "t 1"},
            "timeline[0].id",
            "must be 1-64 letters, digits, '_', '.' or '-'",
        ),
        (
            "timeline",
            0,
            {"id": "problem"},
            "timeline[0].id",
            "'problem' is not a valid cause id (1-64 letters, digits, '_', '.', '-').",
        ),
        (
            "timeline",
            1,
            {"id": "t1"},
            "timeline[1].id",
            "'t1' is already the id of timeline[0]; each id appears once in the list",
        ),
        ("timeline", 0, {"when": "today"}, "timeline[0].when", "is not a field of this format"),
        (
            "participants",
            0,
            {"name": ""},
            "participants[0].name",
            "A participant's name needs text; it cannot be empty.",
        ),
        ("participants", 0, {"role": ["lead"]}, "participants[0].role", "must be text, not a list"),
        (
            "check_ins",
            0,
            {"planned": "next week"},
            "check_ins[0].planned",
            "'next week' is not a date (YYYY-MM-DD)",
        ),
        (
            "check_ins",
            1,
            {"planned": None},
            "check_ins[1].planned",
            "A check-in needs its planned date.",
        ),
        (
            "check_ins",
            0,
            {"held": "2026-11-10T10:00"},
            "check_ins[0].held",
            "'2026-11-10T10:00' is not a date (YYYY-MM-DD)",
        ),
        (
            "check_ins",
            0,
            {"channel": "fax"},
            "check_ins[0].channel",
            "'fax' is not one of: call, video, meeting, visit, email, other",
        ),
        (
            "check_ins",
            0,
            {"ours": "a\u202eb"},
            "check_ins[0].ours",
            "contains U+202E RIGHT-TO-LEFT OVERRIDE, which shows text in a different order "
            "than it is stored; remove it",
        ),
        (
            "check_ins",
            0,
            {"summary": "x" * 10001},
            "check_ins[0].summary",
            "A check-in's summary is longer than 10000 characters.",
        ),
        (
            "check_ins",
            1,
            {"id": "k1"},
            "check_ins[1].id",
            "'k1' is already the id of check_ins[0]; each id appears once in the list",
        ),
    ],
)
def test_a_bad_record_value_is_refused_at_its_place_and_nothing_is_written(
    doc: Doc,
    workspace: Workspace,
    kind: str,
    index: int,
    changes: dict[str, object],
    place: str,
    message: str,
) -> None:
    doc["incidents"][0].update(copy.deepcopy(RECORD))
    doc["incidents"][0][kind][index].update(changes)
    before = workspace.content()
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(doc)
    assert [(p.place, p.message) for p in caught.value.problems] == [(f"{AT}.{place}", message)]
    assert workspace.content() == before


def test_a_record_without_a_required_key_is_refused_once(doc: Doc) -> None:
    doc["incidents"][0].update(copy.deepcopy(RECORD))
    del doc["incidents"][0]["participants"][0]["name"]
    del doc["incidents"][0]["check_ins"][1]["planned"]
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(doc)
    assert [(p.place, p.message) for p in caught.value.problems] == [
        (f"{AT}.participants[0]", "lacks the required field 'name'"),
        (f"{AT}.check_ins[1]", "lacks the required field 'planned'"),
    ]
