"""The incident's record after the workshop (issue 15): the cadence of check-ins from the
day the service was restored, where a check-in stands on a given day, the review
meeting's rule, and the record lists' add, replace and remove."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from rca_desk.model import (
    Cadence,
    Channel,
    CheckIn,
    CheckInState,
    Incident,
    Participant,
    RuleError,
    TimelineEvent,
)
from rca_desk.model.follow_ups import check_in_state, planned_dates, proposed_review_meeting

RESOLVED = date(2026, 11, 2)  # a Monday


def test_the_default_cadence_is_weekly_then_fortnightly_then_quarterly() -> None:
    assert planned_dates(RESOLVED) == [
        # weekly in the first month
        date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30),
        # every two weeks for the next two months
        date(2026, 12, 14), date(2026, 12, 28), date(2027, 1, 11), date(2027, 1, 25),
        # then quarterly (3, 6, 9, 12 months after the last; a Sunday moves to Monday)
        date(2027, 4, 26), date(2027, 7, 26), date(2027, 10, 25), date(2028, 1, 25),
    ]  # fmt: skip


def test_a_date_on_a_weekend_moves_to_the_monday_after() -> None:
    saturday = date(2026, 10, 31)
    dates = planned_dates(saturday, Cadence(weekly=2, fortnightly=0, quarterly=1))
    assert dates == [date(2026, 11, 9), date(2026, 11, 16), date(2027, 2, 15)]
    assert all(day.weekday() < 5 for day in planned_dates(saturday))


def test_quarterly_dates_keep_the_day_or_take_the_months_last() -> None:
    assert planned_dates(date(2026, 11, 30), Cadence(0, 0, 2)) == [
        date(2027, 3, 1),  # 28 February 2027 is a Sunday
        date(2027, 5, 31),
    ]


def test_an_edited_cadence_proposes_its_own_dates() -> None:
    assert planned_dates(RESOLVED, Cadence(weekly=1, fortnightly=1, quarterly=0)) == [
        date(2026, 11, 9),
        date(2026, 11, 23),
    ]
    assert planned_dates(RESOLVED, Cadence(0, 0, 0)) == []


@pytest.mark.parametrize("bad", [-1, 13, True, 2.0])
def test_a_cadence_outside_0_to_12_is_refused(bad: object) -> None:
    incident = Incident(title="T")
    with pytest.raises(RuleError, match="weekly check-ins must be"):
        incident.update_fields(cadence=Cadence(weekly=bad))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 11, 8), CheckInState.PLANNED),
        (date(2026, 11, 9), CheckInState.DUE),
        (date(2026, 11, 15), CheckInState.DUE),
        (date(2026, 11, 16), CheckInState.MISSED),
    ],
)
def test_a_check_in_is_due_for_a_week_then_missed(today: date, state: CheckInState) -> None:
    planned = CheckIn("k1", planned=date(2026, 11, 9))
    assert check_in_state(planned, today) is state
    held = CheckIn("k1", planned=date(2026, 11, 9), held=date(2026, 11, 10))
    assert check_in_state(held, today) is CheckInState.HELD


def test_the_review_meeting_is_proposed_six_weeks_on_and_never_before_resolution() -> None:
    assert proposed_review_meeting(RESOLVED) == date(2026, 12, 14)
    assert proposed_review_meeting(date(2026, 11, 7)) == date(2026, 12, 21)  # Sat -> Mon
    incident = Incident(title="T", resolved_at=RESOLVED)
    with pytest.raises(RuleError) as caught:
        incident.update_fields(review_meeting=date(2026, 11, 1))
    assert str(caught.value) == (
        "The review meeting (2026-11-01) cannot come before the service was restored (2026-11-02)."
    )
    incident.update_fields(review_meeting=date(2026, 12, 14))
    with pytest.raises(RuleError, match="cannot come before"):
        incident.update_fields(resolved_at=date(2027, 1, 1))
    assert incident.resolved_at == RESOLVED
    with pytest.raises(RuleError, match="must be a date"):
        incident.update_fields(resolved_at=datetime(2026, 11, 2, 9, 0))


def test_records_are_added_replaced_in_place_and_removed() -> None:
    incident = Incident(title="T")
    first = TimelineEvent("e1", datetime(2026, 11, 2, 8, 0, 30, 5), "  Alert fired  ", "pager")
    assert incident.put_record("timeline", first) == (0, None)
    assert incident.timeline[0] == TimelineEvent(
        "e1", datetime(2026, 11, 2, 8, 0, 30), "Alert fired", "pager"
    )
    incident.put_record("timeline", TimelineEvent("e2", datetime(2026, 11, 2, 9), "Paged"))
    index, old = incident.put_record(
        "timeline", TimelineEvent("e1", datetime(2026, 11, 2, 8), "Alert fired late")
    )
    assert index == 0 and old is not None and old.what == "Alert fired"
    assert [e.id for e in incident.timeline] == ["e1", "e2"]
    assert incident.drop_record("timeline", "e1")[0] == 0
    incident.put_record("timeline", old, index=0)  # undo puts it back at its place
    assert [e.id for e in incident.timeline] == ["e1", "e2"]
    with pytest.raises(RuleError, match="There is no participant 'm9'"):
        incident.drop_record("participants", "m9")


@pytest.mark.parametrize(
    ("kind", "record", "message"),
    [
        (
            "timeline",
            TimelineEvent("e1", datetime(2026, 1, 1), "  "),
            "A timeline event needs text",
        ),
        ("participants", Participant("m1", " "), "A participant's name needs text"),
        ("participants", Participant("m1", "Dana", "x" * 201), "role is longer than 200"),
        ("check_ins", CheckIn("k1", planned="soon"), "needs its planned date"),  # type: ignore[arg-type]
        ("check_ins", CheckIn("k 1", planned=RESOLVED), "id"),
        ("check_ins", CheckIn("k1", RESOLVED, channel="fax"), "fax"),  # type: ignore[arg-type]
    ],
)
def test_a_bad_record_is_refused_and_nothing_changes(
    kind: str, record: object, message: str
) -> None:
    incident = Incident(title="T")
    with pytest.raises((RuleError, ValueError), match=message):
        incident.put_record(kind, record)  # type: ignore[arg-type]
    assert incident.records(kind) == []


def test_a_check_in_keeps_its_channel_and_one_line_names() -> None:
    incident = Incident(title="T")
    incident.put_record(
        "check_ins",
        CheckIn("k1", RESOLVED, RESOLVED, Channel.VIDEO, " Priya\n Nair ", "Dana", " Fine.\n"),
    )
    kept = incident.check_ins[0]
    assert (kept.channel.label, kept.ours, kept.summary) == ("video call", "Priya Nair", "Fine.")


def test_due_and_missed_check_ins_are_findings_held_and_future_ones_not() -> None:
    from rca_desk.model import FindingKind, findings

    incident = Incident(title="T", resolved_at=RESOLVED)
    for record in (
        CheckIn("k1", date(2026, 11, 9), held=date(2026, 11, 9)),
        CheckIn("k2", date(2026, 11, 16)),
        CheckIn("k3", date(2026, 11, 27)),
        CheckIn("k4", date(2026, 12, 7)),
    ):
        incident.put_record("check_ins", record)
    found = [
        (f.kind, f.subject, f.message)
        for f in findings(incident, today=date(2026, 11, 30))
        if f.kind in (FindingKind.FOLLOW_UP_DUE, FindingKind.FOLLOW_UP_MISSED)
    ]
    assert found == [
        (
            FindingKind.FOLLOW_UP_MISSED,
            "k2",
            "the check-in with the client planned for 2026-11-16 was missed (14 days ago); "
            "hold it now, or record when it was held",
        ),
        (
            FindingKind.FOLLOW_UP_DUE,
            "k3",
            "the check-in with the client planned for 2026-11-27 is due; hold it and record "
            "what was said",
        ),
    ]
