"""Check-ins and the review meeting in the calendar (issue 15), read back with the
icalendar package: one event per check-in not yet held, one for the review meeting,
with stable UIDs, beside the actions' events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar

from rca_desk.interchange.ical import actions_to_ics
from rca_desk.model import CheckIn, Incident
from tests.conftest import TODAY

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def without_follow_up(sample: Incident) -> Incident:
    sample.update_fields(review_meeting=None)
    for check_in in list(sample.check_ins):
        for kind, record in sample.dependents("check_ins", check_in.id):
            sample.drop_record(kind, record.id)
        sample.drop_record("check_ins", check_in.id)
    return sample


def with_follow_up(sample: Incident) -> Incident:
    without_follow_up(sample)
    sample.update_fields(resolved_at=date(2026, 11, 2), review_meeting=date(2026, 12, 14))
    for record in (
        CheckIn("k1", date(2026, 11, 9), held=date(2026, 11, 9), summary="Fine"),
        CheckIn("k2", date(2026, 11, 16)),  # missed by the 23rd
        CheckIn("k3", date(2026, 11, 23)),  # due today
        CheckIn("k4", date(2026, 11, 30)),
    ):
        sample.put_record("check_ins", record)
    return sample


def test_check_ins_not_held_and_the_review_meeting_are_events(sample: Incident) -> None:
    incident = with_follow_up(sample)
    calendar = icalendar.Calendar.from_ical(actions_to_ics(incident, today=TODAY, now=NOW))
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    client = incident.affected.splitlines()[0]
    check_ins = {uid: e for uid, e in events.items() if uid.endswith("-check-in@rca-desk")}
    assert sorted(check_ins) == [f"k{n}-check-in@rca-desk" for n in (2, 3, 4)]  # k1 was held
    for uid, day in (("k2", date(2026, 11, 16)), ("k3", date(2026, 11, 23))):
        event = check_ins[f"{uid}-check-in@rca-desk"]
        assert event.decoded("DTSTART") == day
        assert event.decoded("DTEND") == day + timedelta(days=1)
        assert str(event["SUMMARY"]) == f"Check-in: {client} ({incident.title})"
    description = str(check_ins["k2-check-in@rca-desk"]["DESCRIPTION"]).splitlines()
    assert "MISSED as of 2026-11-23" in description
    assert "DUE as of 2026-11-23" in str(check_ins["k3-check-in@rca-desk"]["DESCRIPTION"])
    assert "as of" not in str(check_ins["k4-check-in@rca-desk"]["DESCRIPTION"])
    review = events[f"{incident.uid}-review@rca-desk"]
    assert review.decoded("DTSTART") == date(2026, 12, 14)
    assert str(review["SUMMARY"]) == f"Review meeting: {incident.title}"
    # The actions' events are still there, and everything comes in date order.
    assert any(uid.endswith("-due@rca-desk") for uid in events)
    days = [e.decoded("DTSTART") for e in calendar.walk("VEVENT")]
    assert days == sorted(days)


def test_without_a_review_meeting_or_check_ins_only_actions_remain(sample: Incident) -> None:
    text = actions_to_ics(without_follow_up(sample), today=TODAY, now=NOW)
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(text).walk("VEVENT")]
    assert uids and all(uid.endswith(("-due@rca-desk", "-verify@rca-desk")) for uid in uids)
