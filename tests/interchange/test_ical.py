"""iCalendar export of action dates, read back with the ``icalendar`` package."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rca_desk.cli.main import main
from rca_desk.interchange.files import ExportError
from rca_desk.interchange.ical import (
    MAX_OCTETS,
    action_events,
    actions_to_ics,
    escape_text,
    fold,
    incident_rows,
    write_ics,
)
from rca_desk.model import ActionStatus, CauseGraph, Incident, PreventiveAction
from rca_desk.store import Workspace
from tests.conftest import TODAY
from tests.typeable import has_text, without_bidi

NOW = datetime(2026, 11, 23, 9, 30, 5, tzinfo=UTC)

NASTY = ["\\", ";", ",", ":", '"', "\n", "\r\n", "\t", "\x01", "é", "データ移行",
         "🙂", "\\n", "\\;", "x" * 90, "é" * 50, "BEGIN:VEVENT", "END:VCALENDAR"]  # fmt: skip

nasty_text = (
    st.lists(
        st.one_of(
            st.sampled_from(NASTY),
            st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30),
        ),
        min_size=1,
        max_size=6,
    )
    .map("".join)
    .map(without_bidi)
    .filter(has_text)
)


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def events_of(text: str) -> dict[str, icalendar.Component]:
    return {str(event["UID"]): event for event in parse(text).walk("VEVENT")}


def shown(text: str) -> str:
    """What a TEXT value reads as: line breaks unified, control characters as U+FFFD."""
    text = re.sub(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", "\n", text)
    return re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", "\ufffd", text)


def physical_lines(text: str) -> list[bytes]:
    data = text.encode("utf-8")
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    return lines


def test_sample_gives_due_and_verify_events_of_open_actions(sample: Incident) -> None:
    """Due events for actions still worked on (not implemented, issue 15), verification
    events for open ones; settled actions give none. The sample's follow-up comes along:
    its check-ins not yet held and its review meeting."""
    text = actions_to_ics(sample, today=TODAY, now=NOW)
    events = events_of(text)
    client = "Northwind Retail (key account) - quarter-end sales reporting"
    expected: dict[str, tuple[date, str]] = {
        f"{c.id}-check-in@rca-desk": (c.planned, f"Check-in: {client} ({sample.title})")
        for c in sample.check_ins
        if c.held is None
    }
    assert len(expected) == 11  # twelve check-ins, the first held
    assert sample.review_meeting is not None
    expected[f"{sample.uid}-review@rca-desk"] = (
        sample.review_meeting,
        f"Review meeting: {sample.title}",
    )
    for action in sample.actions:
        if action.status in (ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.CANCELLED):
            continue
        if action.due is not None and action.status is not ActionStatus.IMPLEMENTED:
            expected[f"{action.uid}-due@rca-desk"] = (action.due, f"Due: {action.title}")
        if action.verify_on is not None:
            expected[f"{action.uid}-verify@rca-desk"] = (
                action.verify_on,
                f"Verify: {action.title}",
            )
    assert set(events) == set(expected)
    for uid, (day, summary) in expected.items():
        event = events[uid]
        assert event.decoded("DTSTART") == day
        assert event.decoded("DTEND") == day + timedelta(days=1)
        assert str(event["SUMMARY"]) == summary
        assert event.decoded("DTSTAMP") == NOW
    done = next(a for a in sample.actions if a.status is ActionStatus.VERIFIED_EFFECTIVE)
    assert not any(uid.startswith(done.uid) for uid in events)
    # Events come in date order.
    days = [event.decoded("DTSTART") for event in parse(text).walk("VEVENT")]
    assert days == sorted(days)


def test_description_names_incident_owner_status_and_success_measure(sample: Incident) -> None:
    sample.id = 7
    action = next(a for a in sample.actions if a.status is ActionStatus.COMMITTED)
    event = events_of(actions_to_ics(sample, today=TODAY, now=NOW))[f"{action.uid}-due@rca-desk"]
    description = str(event["DESCRIPTION"])
    lines = description.split("\n")
    assert lines[0] == f"Incident 7: {sample.title}"
    assert f"Owner: {action.owner}" in lines
    assert f"Status: {action.status.label}" in lines
    assert f"Success measure: {action.metric} (target: {action.target})" in lines
    for cause_id in action.root_causes:
        assert f"- {sample.graph.cause(cause_id).text}" in lines
    assert (f"OVERDUE as of {TODAY.isoformat()}" in lines) is action.is_overdue(TODAY)


def test_lines_end_in_crlf_and_fold_within_75_octets(sample: Incident) -> None:
    text = actions_to_ics(sample, today=TODAY, now=NOW)
    lines = physical_lines(text)
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-1] == b"END:VCALENDAR"
    assert max(len(line) for line in lines) <= MAX_OCTETS
    assert any(line.startswith(b" ") for line in lines)  # the sample's long text folds


def test_fold_is_utf8_safe_and_unfolds_to_the_original() -> None:
    for line in ["DESCRIPTION:" + "é" * 100, "SUMMARY:" + "データ" * 40, "X:" + "🙂" * 60]:
        folded = fold(line)
        parts = folded.encode("utf-8").split(b"\r\n")
        for part in parts:
            assert len(part) <= MAX_OCTETS
            part.decode("utf-8")  # no multi-byte character split across lines
        assert all(part.startswith(b" ") for part in parts[1:])
        assert folded.replace("\r\n ", "") == line


def test_fold_never_splits_an_escape() -> None:
    line = "DESCRIPTION:" + "a" * 62 + "\\n" + "\\;" * 40
    for part in fold(line).split("\r\n"):
        trailing = len(part) - len(part.rstrip("\\"))
        assert trailing % 2 == 0


def test_text_escaping() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    assert escape_text('colon: "quote"\ttab') == 'colon: "quote"\ttab'
    assert escape_text("bell\x07") == "bell\ufffd"


@settings(max_examples=60, deadline=None)
@given(
    title=nasty_text,
    owner=nasty_text,
    metric=nasty_text,
    target=nasty_text,
    incident_title=nasty_text,
    due=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    offset=st.integers(min_value=0, max_value=400),
)
def test_nasty_text_and_any_date_round_trip(
    title: str,
    owner: str,
    metric: str,
    target: str,
    incident_title: str,
    due: date,
    offset: int,
) -> None:
    verify_on = due + timedelta(days=min(offset, (date.max - due).days))
    graph = CauseGraph(problem="P", categories=["A"])
    cause = graph.add_cause("problem", text="Root", root_cause=True)
    action = PreventiveAction(
        title=title,
        root_causes=[cause],
        owner=owner,
        due=due,
        verify_on=verify_on,
        metric=metric,
        target=target,
        status=ActionStatus.COMMITTED,
    )
    incident = Incident(title=incident_title, graph=graph, actions=[action])
    text = actions_to_ics(incident, today=TODAY, now=NOW)
    assert max(len(line) for line in physical_lines(text)) <= MAX_OCTETS
    events = events_of(text)
    due_event = events[f"{action.uid}-due@rca-desk"]
    verify_event = events[f"{action.uid}-verify@rca-desk"]
    assert str(due_event["SUMMARY"]) == shown(f"Due: {action.title}")
    assert str(verify_event["SUMMARY"]) == shown(f"Verify: {action.title}")
    assert due_event.decoded("DTSTART") == due
    assert verify_event.decoded("DTSTART") == verify_on
    description = str(due_event["DESCRIPTION"])
    assert description.startswith(shown(f"Incident: {incident.title}\n"))
    assert shown(f"Owner: {action.owner}") in description
    assert shown(f"Success measure: {action.metric} (target: {action.target})") in description


def test_an_aware_now_is_stamped_in_utc() -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    cause = graph.add_cause("problem", text="Root", root_cause=True)
    action = PreventiveAction(title="T", root_causes=[cause], due=TODAY)
    incident = Incident(title="I", graph=graph, actions=[action])
    berlin = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    text = actions_to_ics(incident, today=TODAY, now=berlin)
    assert "DTSTAMP:20261123T090000Z\r\n" in text


def test_the_last_representable_day_has_no_end() -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    cause = graph.add_cause("problem", text="Root", root_cause=True)
    action = PreventiveAction(title="T", root_causes=[cause], due=date.max)
    incident = Incident(title="I", graph=graph, actions=[action])
    event = events_of(actions_to_ics(incident, today=TODAY, now=NOW))[f"{action.uid}-due@rca-desk"]
    assert event.decoded("DTSTART") == date.max
    assert "DTEND" not in event


def test_no_actions_is_an_empty_calendar() -> None:
    text = actions_to_ics([], today=TODAY, now=NOW)
    calendar = parse(text)
    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    assert calendar.walk("VEVENT") == []


def test_rows_from_an_incident_match_the_workspace_rows(sample_workspace: Workspace) -> None:
    incident = sample_workspace.load(sample_workspace.incidents()[0].id)
    from_store = {
        r.action.uid: (r.incident_title, r.root_cause_texts, r.categories)
        for r in sample_workspace.action_rows()
    }
    from_incident = {
        r.action.uid: (r.incident_title, r.root_cause_texts, r.categories)
        for r in incident_rows(incident)
    }
    assert from_incident == from_store
    # An incident's events are its actions' and its follow-up's, as the workspace's rows.
    by_store = action_events(
        sample_workspace.action_rows(),
        today=TODAY,
        follow_ups=sample_workspace.follow_up_rows(),
    )
    assert by_store == action_events(incident, today=TODAY)


def test_write_ics_is_atomic(sample: Incident, tmp_path: Path) -> None:
    out = tmp_path / "a.ics"
    write_ics(out, sample, today=TODAY, now=NOW)
    assert out.read_bytes() == actions_to_ics(sample, today=TODAY, now=NOW).encode("utf-8")
    with pytest.raises(ExportError):
        write_ics(tmp_path / "missing" / "a.ics", sample, today=TODAY, now=NOW)
    assert [p.name for p in tmp_path.iterdir()] == ["a.ics"]


# ---------------------------------------------------------------------------- CLI


def test_cli_actions_format_ics(
    sample_workspace: Workspace, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    args = ["--workspace", str(sample_workspace.path), "actions", "--today", TODAY.isoformat()]
    assert main([*args, "--format", "ics"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"BEGIN:VCALENDAR\r\n")
    events = events_of(out.decode("utf-8"))
    rows = sample_workspace.action_rows()
    follow_ups = sample_workspace.follow_up_rows()
    expected = {e.uid: e for e in action_events(rows, today=TODAY, follow_ups=follow_ups)}
    assert set(events) == set(expected)
    for uid, event in events.items():
        assert str(event["SUMMARY"]) == expected[uid].summary
        assert event.decoded("DTSTART") == expected[uid].day
        assert f"Incident {rows[0].incident_id}: " in str(event["DESCRIPTION"])
    # The sample's follow-up is there: its check-ins not yet held and its review meeting.
    (incident,) = [sample_workspace.load(s.id) for s in sample_workspace.incidents()]
    waiting = {f"{c.id}-check-in@rca-desk" for c in incident.check_ins if c.held is None}
    assert waiting and waiting <= set(events)
    assert f"{incident.uid}-review@rca-desk" in events

    # The command's filters apply: only committed actions.
    assert main([*args, "--format", "ics", "--status", "committed"]) == 0
    committed = events_of(capsysbinary.readouterr().out.decode("utf-8"))
    uids = {r.action.uid for r in rows if r.action.status is ActionStatus.COMMITTED}
    assert committed
    assert {uid.split("-")[0] for uid in committed} == uids  # no follow-up: a status asked
