"""The incident's record in the store (issue 15, schema 1.4), on a file and on a server:
lessons, the day of resolution, the review meeting and the cadence as incident fields;
timeline events, participants and check-ins as rows of their own, each with its revision
and its place in its list. Written through and seen by another connection, refused when
stale (record by record), given their defaults when an older workspace is upgraded, and
a damaged value quarantines the incident with that value named."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from rca_desk.model import (
    Cadence,
    Channel,
    CheckIn,
    Incident,
    Participant,
    TimelineEvent,
)
from rca_desk.model.follow_ups import DEFAULT_CADENCE
from rca_desk.store import DamagedIncidentError, StaleWriteError, Workspace, open_workspace
from rca_desk.store.copying import copy_rows
from rca_desk.store.damage import salvage_incident
from rca_desk.store.revisions import record_row
from rca_desk.store.rows import CheckInRow
from rca_desk.store.schema import SCHEMA_VERSION, SchemaVersion
from tests.store.backends import assert_sound, raw, write_raw
from tests.store.older_files import closed_and_back_to, file_at, older_server, server_version

CET = timezone(timedelta(hours=1))
ALERT = TimelineEvent("t1", datetime(2026, 11, 2, 8, 5, tzinfo=CET), "First alert", "PagerDuty")
RESTORED = TimelineEvent("t2", datetime(2026, 11, 3, 16, 30), "Reports back", "client email")
DANA = Participant("p1", "Dana Weiss", "facilitator")
FIRST_CALL = CheckIn(
    "k1",
    date(2026, 11, 10),
    held=date(2026, 11, 10),
    channel=Channel.VIDEO,
    ours="Sam Whitfield",
    theirs="Northwind's controller",
    summary="Totals reconciled; they asked for the new checklist.",
)
SECOND_CALL = CheckIn("k2", date(2026, 11, 17))


def recorded(title: str = "Payroll late") -> Incident:
    """An incident with every part of its record set."""
    return Incident(
        title=title,
        affected="Contoso payroll",
        lessons="Rehearse tenant restores.\nSay who tells key accounts.",
        resolved_at=date(2026, 11, 3),
        review_meeting=date(2026, 12, 15),
        cadence=Cadence(weekly=2, fortnightly=3, quarterly=1),
        timeline=[ALERT, RESTORED],
        participants=[DANA],
        check_ins=[FIRST_CALL, SECOND_CALL],
    )


def record_of(incident: Incident) -> tuple[object, ...]:
    """Everything issue 15 added to the incident, to compare two reads."""
    return (
        incident.lessons,
        incident.resolved_at,
        incident.review_meeting,
        incident.cadence,
        incident.timeline,
        incident.participants,
        incident.check_ins,
    )


@pytest.fixture
def stored(workspace: Workspace) -> Incident:
    incident = recorded()
    workspace.add_incident(incident)
    return incident


@pytest.fixture
def other(workspace: Workspace) -> Iterator[Workspace]:
    with open_workspace(workspace.location, create=False) as second:
        yield second


# ------------------------------------------------------------------ writing through
def test_a_new_incident_is_written_with_its_whole_record(
    workspace: Workspace, stored: Incident, other: Workspace
) -> None:
    assert stored.id is not None
    read = other.load(stored.id)
    assert record_of(read) == record_of(recorded())
    assert read.timeline[0].at.utcoffset() == timedelta(hours=1)  # the zone is kept
    assert raw(
        workspace.location,
        "SELECT id, position, planned, held, channel FROM check_ins ORDER BY position",
    ) == [("k1", 0, "2026-11-10", "2026-11-10", "video"), ("k2", 1, "2026-11-17", None, "call")]
    assert raw(workspace.location, "SELECT resolved_at, cadence FROM incidents") == [
        ("2026-11-03", '{"weekly": 2, "fortnightly": 3, "quarterly": 1}')
    ]
    assert read.revisions == stored.revisions


def test_the_four_fields_are_written_through_like_the_others(
    workspace: Workspace, stored: Incident, other: Workspace
) -> None:
    assert stored.id is not None
    stored.update_fields(
        lessons="Own the staging refresh.",
        resolved_at=date(2026, 11, 4),
        review_meeting=None,
        cadence=DEFAULT_CADENCE,
    )
    workspace.save_incident_fields(stored, ["lessons", "resolved_at", "review_meeting"])
    read = other.load(stored.id)
    assert (read.lessons, read.resolved_at, read.review_meeting, read.cadence) == (
        "Own the staging refresh.",
        date(2026, 11, 4),
        None,
        Cadence(weekly=2, fortnightly=3, quarterly=1),  # not among the fields saved
    )
    workspace.save_incident_fields(stored)
    assert other.load(stored.id).cadence == DEFAULT_CADENCE


def test_each_kind_of_record_is_written_one_by_one_in_order(
    workspace: Workspace, stored: Incident, other: Workspace
) -> None:
    assert stored.id is not None
    call = TimelineEvent("t0", datetime(2026, 11, 2, 7, 25), "Client calls the help desk")
    stored.put_record("timeline", call, index=0)
    workspace.save_record(stored, "timeline", "t0")
    stored.put_record("participants", Participant("p2", "Grace Kim", "on-call engineer"))
    workspace.save_record(stored, "participants", "p2")
    held = CheckIn("k2", date(2026, 11, 17), date(2026, 11, 18), Channel.CALL, "Sam", "Ana")
    stored.put_record("check_ins", held)
    workspace.save_record(stored, "check_ins", "k2")
    read = other.load(stored.id)
    assert [e.id for e in read.timeline] == ["t0", "t1", "t2"]
    assert [p.name for p in read.participants] == ["Dana Weiss", "Grace Kim"]
    assert read.check_ins[1].held == date(2026, 11, 18)
    assert raw(workspace.location, "SELECT id, position FROM timeline_events ORDER BY id") == [
        ("t0", 0),
        ("t1", 1),
        ("t2", 2),
    ]
    # Dropped, then put back by undo at its place.
    index, event = stored.drop_record("timeline", "t1")
    workspace.delete_record(stored, "timeline", "t1")
    assert [e.id for e in other.load(stored.id).timeline] == ["t0", "t2"]
    stored.put_record("timeline", event, index=index)
    workspace.save_record(stored, "timeline", "t1")
    assert other.load(stored.id).timeline == stored.timeline
    assert stored.revisions == other.load(stored.id).revisions
    assert_sound(other)


def test_a_check_in_keeps_its_row_when_edited(workspace: Workspace, stored: Incident) -> None:
    """Updated in place: a later table may hang on the check-in's key."""
    assert stored.id is not None
    before = raw(workspace.location, "SELECT id, position FROM check_ins ORDER BY position")
    stored.put_record("check_ins", CheckIn("k1", date(2026, 11, 11), summary="Moved a day"))
    workspace.save_record(stored, "check_ins", "k1")
    after = raw(workspace.location, "SELECT id, position FROM check_ins ORDER BY position")
    assert after == before
    assert workspace.load(stored.id).check_ins[0].summary == "Moved a day"


def test_a_copy_between_backends_takes_the_record_along(
    workspace: Workspace, stored: Incident, tmp_path: Path
) -> None:
    assert stored.id is not None
    with Workspace.open(tmp_path / "copy.rcadesk") as copy:
        copy_rows(workspace, copy)
        assert copy.content() == workspace.content()
        assert record_of(copy.load(stored.id)) == record_of(recorded())


# ------------------------------------------------------------------ stale writes
def test_a_stale_copy_cannot_overwrite_a_record_but_may_edit_another(
    workspace: Workspace, stored: Incident, other: Workspace
) -> None:
    assert stored.id is not None
    a, b = workspace.load(stored.id), other.load(stored.id)
    a.put_record("timeline", TimelineEvent("t1", ALERT.at, "First alert, paged twice"))
    workspace.save_record(a, "timeline", "t1")
    b.put_record("timeline", TimelineEvent("t1", ALERT.at, "First alert (other window)"))
    with pytest.raises(StaleWriteError) as caught:
        other.save_record(b, "timeline", "t1")
    assert str(caught.value) == "This timeline event was changed in another window a moment ago."
    # Another record of the same list, and another list, were not touched: they go through.
    b.put_record("timeline", TimelineEvent("t2", RESTORED.at, "Reports back at 16:30"))
    other.save_record(b, "timeline", "t2")
    b.put_record("participants", Participant("p1", "Dana Weiss", "facilitator and scribe"))
    other.save_record(b, "participants", "p1")
    read = workspace.load(stored.id)
    assert [e.what for e in read.timeline] == ["First alert, paged twice", "Reports back at 16:30"]
    assert read.participants[0].role == "facilitator and scribe"


@pytest.mark.parametrize(
    ("kind", "record_id", "noun"),
    [("timeline", "t2", "timeline event"), ("participants", "p1", "participant")],
)
def test_a_record_removed_elsewhere_cannot_be_edited_or_removed_again(
    workspace: Workspace,
    stored: Incident,
    other: Workspace,
    kind: str,
    record_id: str,
    noun: str,
) -> None:
    assert stored.id is not None
    a, b = workspace.load(stored.id), other.load(stored.id)
    a.drop_record(kind, record_id)
    workspace.delete_record(a, kind, record_id)
    with pytest.raises(StaleWriteError, match=rf"^This {noun} was changed in another window"):
        other.save_record(b, kind, record_id)  # b's edit would bring it back unseen
    b.drop_record(kind, record_id)
    with pytest.raises(StaleWriteError) as caught:
        other.delete_record(b, kind, record_id)
    assert (
        str(caught.value) == f"This {noun} was changed or removed in another window a moment ago."
    )


def test_a_check_in_put_back_elsewhere_is_not_added_twice(
    workspace: Workspace, stored: Incident, other: Workspace
) -> None:
    assert stored.id is not None
    a = workspace.load(stored.id)
    a.drop_record("check_ins", "k2")
    workspace.delete_record(a, "check_ins", "k2")
    b = other.load(stored.id)
    a.put_record("check_ins", SECOND_CALL)
    workspace.save_record(a, "check_ins", "k2")  # undo in the first window
    b.put_record("check_ins", CheckIn("k2", date(2026, 11, 20)))  # a new one in the other
    with pytest.raises(StaleWriteError, match=r"^This check-in was changed in another window"):
        other.save_record(b, "check_ins", "k2")
    assert workspace.load(stored.id).check_ins == [FIRST_CALL, SECOND_CALL]


def test_a_stale_copy_cannot_overwrite_a_new_field(
    workspace: Workspace, stored: Incident, other: Workspace
) -> None:
    assert stored.id is not None
    a, b = workspace.load(stored.id), other.load(stored.id)
    a.update_fields(cadence=Cadence(weekly=6))
    workspace.save_incident_fields(a, ["cadence"])
    b.update_fields(cadence=Cadence(quarterly=8))
    with pytest.raises(StaleWriteError, match="cadence was changed in another window"):
        other.save_incident_fields(b, ["cadence"])
    b.update_fields(lessons="Written in the other window")
    other.save_incident_fields(b, ["lessons"])
    read = workspace.load(stored.id)
    assert (read.cadence, read.lessons) == (Cadence(weekly=6), "Written in the other window")


def test_the_revision_keys_name_each_record(stored: Incident) -> None:
    keys = set(stored.revisions)
    assert record_row("timeline", "t1") == ("record", "timeline", "t1")
    assert {record_row("timeline", "t1"), record_row("timeline", "t2")} <= keys
    assert {record_row("participants", "p1"), record_row("check_ins", "k2")} <= keys


# ------------------------------------------------------------------ the actions review
def test_check_in_rows_list_every_check_in_with_its_incident(
    workspace: Workspace, stored: Incident
) -> None:
    later = Incident(
        title="Invoices sent twice",
        affected="Fabrikam billing",
        check_ins=[CheckIn("b1", date(2027, 1, 4), channel=Channel.EMAIL)],
    )
    workspace.add_incident(later)
    workspace.add_incident(Incident(title="Nothing planned yet"))
    assert workspace.check_in_rows() == [
        CheckInRow(1, "Payroll late", "Contoso payroll", date(2026, 11, 3), FIRST_CALL),
        CheckInRow(1, "Payroll late", "Contoso payroll", date(2026, 11, 3), SECOND_CALL),
        CheckInRow(2, "Invoices sent twice", "Fabrikam billing", None, later.check_ins[0]),
    ]


def test_check_in_rows_leave_out_an_incident_whose_values_cannot_be_read(
    workspace: Workspace, stored: Incident
) -> None:
    later = Incident(title="Invoices sent twice", check_ins=[CheckIn("b1", date(2027, 1, 4))])
    workspace.add_incident(later)
    write_raw(workspace.location, "UPDATE check_ins SET channel = 'fax' WHERE id = 'k1'")
    assert [(row.incident_id, row.check_in.id) for row in workspace.check_in_rows()] == [(2, "b1")]
    write_raw(workspace.location, "UPDATE check_ins SET channel = 'call' WHERE id = 'k1'")
    write_raw(workspace.location, "UPDATE incidents SET status = 'lost' WHERE id = 2")
    assert [(row.incident_id, row.check_in.id) for row in workspace.check_in_rows()] == [
        (1, "k1"),
        (1, "k2"),
    ]


# ------------------------------------------------------------------ older workspaces
@pytest.mark.file_only
def test_a_1_3_file_gains_the_record_when_opened(sample_workspace: Workspace) -> None:
    path = closed_and_back_to(sample_workspace, SchemaVersion(1, 3))
    with Workspace.open(path, create=False) as workspace:
        incident = workspace.load(workspace.incidents()[0].id)
        assert record_of(incident) == ("", None, None, DEFAULT_CADENCE, [], [], [])
        incident.put_record("participants", DANA)
        workspace.save_record(incident, "participants", "p1")
        incident.update_fields(lessons="Learned after the upgrade")
        workspace.save_incident_fields(incident, ["lessons"])
    assert raw(path, "PRAGMA user_version")[0][0] == SCHEMA_VERSION.to_int()
    assert raw(path, "SELECT name, role FROM participants") == [("Dana Weiss", "facilitator")]
    assert raw(path, "SELECT lessons, resolved_at FROM incidents") == [
        ("Learned after the upgrade", None)
    ]


@pytest.mark.file_only
def test_a_1_3_file_read_as_it_is_has_the_defaults_without_a_note(
    sample_workspace: Workspace,
) -> None:
    """The salvage reads what is there: an older file lacks the columns and tables."""
    conn = sqlite3.connect(sample_workspace.location, isolation_level=None)
    file_at(Path(sample_workspace.location), SchemaVersion(1, 3))
    incident, problems = salvage_incident(conn, 1)
    conn.close()
    assert problems == []
    assert record_of(incident) == ("", None, None, DEFAULT_CADENCE, [], [], [])


@pytest.mark.subprocess  # a real server
def test_a_1_3_server_gains_the_record_when_opened(request: pytest.FixtureRequest) -> None:
    url = older_server(request, SchemaVersion(1, 3), "Before the record")
    with open_workspace(url) as workspace:
        (summary,) = workspace.incidents()
        incident = workspace.load(summary.id)
        assert record_of(incident) == ("", None, None, DEFAULT_CADENCE, [], [], [])
        incident.put_record("check_ins", FIRST_CALL)
        workspace.save_record(incident, "check_ins", "k1")
        assert workspace.load(summary.id).check_ins == [FIRST_CALL]
    assert server_version(url) == str(SCHEMA_VERSION)
    # The server's keys and revisions are as wide as the file's (64 bits).
    assert raw(
        url,
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_name IN ('timeline_events', 'participants', 'check_ins') "
        "AND data_type = 'bigint' ORDER BY 1, 2",
    ) == [
        ("check_ins", "incident_id"),
        ("check_ins", "rev"),
        ("participants", "incident_id"),
        ("participants", "rev"),
        ("timeline_events", "incident_id"),
        ("timeline_events", "rev"),
    ]


# ------------------------------------------------------------------ damaged values
def _check_in(incident: Incident) -> CheckIn:
    return incident.check_ins[0]


@pytest.mark.file_only
@pytest.mark.parametrize(
    ("statement", "said", "salvaged", "shown"),
    [
        (
            "UPDATE incidents SET resolved_at = 'last week'",
            "the resolved date 'last week' is not a date",
            lambda incident: incident.resolved_at,
            None,
        ),
        (
            "UPDATE incidents SET review_meeting = '2026-10-01'",
            "the review meeting date 2026-10-01 is before the resolved date 2026-11-03; "
            "it was left out",
            lambda incident: incident.review_meeting,
            None,
        ),
        (
            """UPDATE incidents SET cadence = '{"weekly": 40, "fortnightly": 4, "quarterly": 4}'""",
            "the follow-up cadence could not be read (The cadence's weekly check-ins must be "
            "0 to 12, not 40.); the default is shown",
            lambda incident: incident.cadence,
            DEFAULT_CADENCE,
        ),
        (
            "UPDATE incidents SET cadence = 'weekly'",
            "the follow-up cadence could not be read (Expecting value: line 1 column 1 "
            "(char 0)); the default is shown",
            lambda incident: incident.cadence,
            DEFAULT_CADENCE,
        ),
        (
            "UPDATE incidents SET lessons = CAST(X'4C6573736F6EFF' AS TEXT)",
            "the lessons learned is not valid UTF-8",
            lambda incident: incident.lessons,
            "Lesson\ufffd",
        ),
        (
            "UPDATE timeline_events SET at = 'at dawn' WHERE id = 't1'",
            "the timeline event's time 'at dawn' is not a date and time",
            lambda incident: incident.timeline,
            [RESTORED],
        ),
        (
            "UPDATE participants SET name = '   '",
            "the participant 'p1' was left out (A participant's name needs text; it cannot "
            "be empty.)",
            lambda incident: incident.participants,
            [],
        ),
        (
            "UPDATE check_ins SET channel = 'fax' WHERE id = 'k1'",
            "unknown check-in channel 'fax'",
            lambda incident: _check_in(incident).channel,
            Channel.CALL,
        ),
        (
            "UPDATE check_ins SET held = 'soon' WHERE id = 'k1'",
            "the check-in's held date 'soon' is not a date",
            lambda incident: (_check_in(incident).held, _check_in(incident).summary),
            (None, FIRST_CALL.summary),
        ),
    ],
)
def test_a_damaged_value_is_named_and_salvage_shows_what_it_can(
    workspace: Workspace,
    stored: Incident,
    statement: str,
    said: str,
    salvaged: Callable[[Incident], object],
    shown: object,
) -> None:
    assert stored.id is not None
    write_raw(workspace.location, statement)
    with pytest.raises(DamagedIncidentError) as caught:
        workspace.load(stored.id)
    assert caught.value.reason == said
    incident, problems = salvage_incident(workspace.conn, stored.id)  # type: ignore[arg-type]
    assert problems[0] == said
    assert salvaged(incident) == shown
    assert incident.title == "Payroll late"
    assert len(incident.check_ins) == 2
