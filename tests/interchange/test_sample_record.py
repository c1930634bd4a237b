"""The sample incident's record (issue 15): the story from the failure to the service
restored, who took part, what was learned, and a follow-up that stands as the app would
show it whatever the day the sample is loaded: the check-ins the cadence proposes, the
first held, the second due, none missed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Channel, CheckInState, Incident
from rca_desk.model.follow_ups import check_in_state, planned_dates, proposed_review_meeting
from tests.conftest import TODAY


def test_the_timeline_runs_from_the_failure_to_the_service_restored(sample: Incident) -> None:
    timeline = sample.timeline
    assert len(timeline) == 10
    assert timeline[0].at == sample.occurred_at == datetime(2026, 11, 2, 6, 40)
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)
    assert timeline[-1].at == datetime(2026, 11, 5, 11, 0)
    assert timeline[-1].at.date() == sample.resolved_at
    assert {e.source for e in timeline} >= {"deploy log", "PagerDuty alert", "client email"}
    # What the causes' evidence says happened, where the timeline says it.
    first_alert = next(e for e in timeline if e.source == "PagerDuty alert")
    ticket = next(e for e in timeline if e.source == "support ticket")
    assert (ticket.at.time().isoformat(), first_alert.at.time().isoformat()) == (
        "07:25:00",
        "08:05:00",
    )
    restore = [e.at for e in timeline if e.source == "on-call notes"]
    assert restore[1] - restore[0] == timedelta(hours=9)


def test_five_people_took_part_each_in_their_role(sample: Incident) -> None:
    assert [(p.name, p.role) for p in sample.participants] == [
        ("Dana Weiss", "facilitator"),
        ("Priya Nair", "service owner, reporting platform"),
        ("Grace Kim", "on-call engineer"),
        ("Lena Ortiz", "QA lead"),
        ("Sam Whitfield", "account manager, Northwind"),
    ]


def test_the_lessons_are_three_lines(sample: Incident) -> None:
    lines = sample.lessons.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("A release that changes client data needs its own sign-off")


def test_the_review_meeting_is_six_weeks_after_the_service_was_restored(
    sample: Incident,
) -> None:
    assert sample.occurred_at is not None
    assert sample.resolved_at == date(2026, 11, 5)  # three days after the failure
    assert sample.resolved_at - sample.occurred_at.date() == timedelta(days=3)
    assert sample.review_meeting == date(2026, 12, 17)  # a Thursday, six weeks on


def test_the_check_ins_are_the_ones_the_cadence_proposes(sample: Incident) -> None:
    assert sample.resolved_at is not None
    assert [c.planned for c in sample.check_ins] == planned_dates(sample.resolved_at)
    assert [c.planned for c in sample.check_ins[:3]] == [
        date(2026, 11, 12),
        date(2026, 11, 19),
        date(2026, 11, 26),
    ]
    held = sample.check_ins[0]
    assert (held.held, held.channel, held.ours, held.theirs) == (
        date(2026, 11, 12),
        Channel.VIDEO,
        "Sam Whitfield, Priya Nair",
        "Northwind's controller",
    )
    assert held.summary.count(". ") == 1  # two sentences


@pytest.mark.parametrize("days_later", range(7))
def test_whatever_the_day_one_check_in_was_held_one_is_due_and_none_missed(
    days_later: int,
) -> None:
    today = TODAY + timedelta(days=days_later)  # every day of the week
    (incident,) = sample_incidents(today)
    assert incident.resolved_at is not None
    assert incident.review_meeting == proposed_review_meeting(incident.resolved_at)
    assert [c.planned for c in incident.check_ins] == planned_dates(incident.resolved_at)
    states = [check_in_state(c, today) for c in incident.check_ins]
    assert states == [CheckInState.HELD, CheckInState.DUE] + [CheckInState.PLANNED] * 10
    assert all(c.held is None or c.held < today for c in incident.check_ins)
