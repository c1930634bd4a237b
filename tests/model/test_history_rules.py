"""The one statement of a valid action history, and its mechanical repair: each rule fires
on an example that breaks it, with its exact words, and stays quiet on the near miss."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from rca_desk.model import ActionStatus, PreventiveAction, StatusChange
from rca_desk.model.lifecycle import (
    CLOCK_SLACK,
    MIGRATED_NOTE,
    HistoryProblem,
    HistoryRule,
    history_problems,
    mend_history,
)

S = ActionStatus
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def entry(
    when: datetime, from_status: ActionStatus | None, to: ActionStatus, note: str = ""
) -> StatusChange:
    return StatusChange(at=when, from_status=from_status, to_status=to, note=note)


def action(status: ActionStatus, *history: StatusChange, **fields: object) -> PreventiveAction:
    base: dict[str, object] = {
        "title": "Add a dry run",
        "root_causes": ["r"],
        "owner": "Priya",
        "due": date(2026, 2, 1),
        "verify_on": date(2026, 3, 1),
        "metric": "Failed migrations",
        "target": "0",
        "measured_result": "0 in 60 days",
    }
    return PreventiveAction(status=status, history=list(history), **{**base, **fields})  # type: ignore[arg-type]


def messages(a: PreventiveAction, now: datetime = NOW) -> list[str]:
    return [str(problem) for problem in history_problems(a, now=now)]


DONE = (
    entry(at(0), None, S.PROPOSED, "Workshop"),
    entry(at(1), S.PROPOSED, S.COMMITTED),
    entry(at(2), S.COMMITTED, S.IN_PROGRESS),
    entry(at(3), S.IN_PROGRESS, S.IMPLEMENTED),
)


# ------------------------------------------------------------------ valid histories
def test_a_whole_lifecycle_keeps_every_rule() -> None:
    verified = entry(at(60), S.IMPLEMENTED, S.VERIFIED_EFFECTIVE, "Checked")
    assert messages(action(S.VERIFIED_EFFECTIVE, *DONE, verified)) == []


def test_a_proposal_without_history_keeps_the_rules() -> None:
    assert messages(action(S.PROPOSED)) == []


def test_creation_straight_to_committed_is_allowed() -> None:
    assert messages(action(S.COMMITTED, entry(at(0), None, S.COMMITTED))) == []


def test_a_cancelled_action_with_a_note_is_accepted() -> None:
    cancelled = entry(at(1), S.PROPOSED, S.CANCELLED, "Superseded by action 4")
    assert messages(action(S.CANCELLED, DONE[0], cancelled)) == []


def test_rework_after_not_effective_is_allowed() -> None:
    history = (
        *DONE,
        entry(at(40), S.IMPLEMENTED, S.NOT_EFFECTIVE, "Two repeats in May"),
        entry(at(41), S.NOT_EFFECTIVE, S.IN_PROGRESS),
    )
    assert messages(action(S.IN_PROGRESS, *history)) == []


def test_two_entries_at_the_same_moment_are_in_order() -> None:
    history = (entry(at(0), None, S.PROPOSED), entry(at(0), S.PROPOSED, S.COMMITTED))
    assert messages(action(S.COMMITTED, *history)) == []


# ------------------------------------------------------------------ each rule
def test_a_status_other_than_proposed_needs_a_history() -> None:
    assert messages(action(S.IMPLEMENTED)) == [
        "history: is empty, but the status is implemented: an action that is not proposed "
        "needs its history, from the creation entry (from null to one of: proposed, "
        "committed) to implemented"
    ]


def test_the_first_entry_is_the_creation_entry() -> None:
    assert messages(action(S.COMMITTED, entry(at(0), S.PROPOSED, S.COMMITTED))) == [
        "history[0].from: must be null: the first entry is the creation entry, but it is "
        "from proposed"
    ]


def test_creation_goes_to_proposed_or_committed() -> None:
    assert messages(action(S.IN_PROGRESS, entry(at(0), None, S.IN_PROGRESS))) == [
        "history[0].to: must be one of: proposed, committed (where an action starts), "
        "not in_progress"
    ]


def test_each_entry_starts_where_the_one_before_ended() -> None:
    history = (DONE[0], entry(at(1), S.COMMITTED, S.IN_PROGRESS))
    assert messages(action(S.IN_PROGRESS, *history)) == [
        "history[1].from: must be proposed, where the previous entry ended, not committed"
    ]


def test_a_move_the_lifecycle_does_not_allow_names_the_allowed_ones() -> None:
    history = (*DONE[:3], entry(at(60), S.IN_PROGRESS, S.VERIFIED_EFFECTIVE, "Fine"))
    assert messages(action(S.VERIFIED_EFFECTIVE, *history)) == [
        "history[3].to: must be one of: implemented, cancelled (allowed after in_progress), "
        "not verified_effective"
    ]


def test_nothing_follows_a_final_status() -> None:
    history = (
        DONE[0],
        entry(at(1), S.PROPOSED, S.CANCELLED, "Dropped"),
        entry(at(2), S.CANCELLED, S.COMMITTED),
    )
    assert messages(action(S.COMMITTED, *history)) == [
        "history[2].to: cannot follow cancelled: nothing is allowed after it (it is final)"
    ]


@pytest.mark.parametrize(
    ("to", "needs"),
    [
        (S.CANCELLED, "a reason for cancelling"),
        (S.NOT_EFFECTIVE, "what showed that it did not work"),
        (S.VERIFIED_EFFECTIVE, "the evidence that it worked"),
    ],
)
def test_a_note_of_only_spaces_is_refused_where_one_is_required(
    to: ActionStatus, needs: str
) -> None:
    history = (*DONE, entry(at(60), S.IMPLEMENTED, to, " \n\t "))
    assert messages(action(to, *history)) == [
        f"history[4].note: must not be blank: an entry to {to.value} needs {needs}"
    ]


def test_times_never_go_back() -> None:
    history = (DONE[0], entry(at(0) - timedelta(seconds=1), S.PROPOSED, S.COMMITTED))
    assert messages(action(S.COMMITTED, *history)) == [
        "history[1].at: 2026-01-05T08:59:59+00:00 is earlier than the entry before it "
        "(2026-01-05T09:00:00+00:00); times must never go back"
    ]


def test_zoned_times_compare_as_instants() -> None:
    """09:00 in UTC+2 is 07:00 UTC: after 08:00 on the wall clock, before it in time."""
    plus_two = timezone(timedelta(hours=2))
    history = (
        entry(datetime(2026, 1, 5, 8, 0, tzinfo=UTC), None, S.PROPOSED),
        entry(datetime(2026, 1, 5, 9, 0, tzinfo=plus_two), S.PROPOSED, S.COMMITTED),
    )
    assert [p.rule for p in history_problems(action(S.COMMITTED, *history), now=NOW)] == [
        HistoryRule.ORDER
    ]


def test_a_time_without_a_zone_may_seem_earlier_by_less_than_a_day() -> None:
    """Between a zoned and an unzoned time only the wall clocks compare: up to the slack."""
    zoned = entry(datetime(2026, 1, 5, 20, 0, tzinfo=UTC), None, S.PROPOSED)
    near = entry(datetime(2026, 1, 5, 9, 0), S.PROPOSED, S.COMMITTED)
    far = entry(datetime(2026, 1, 4, 19, 59), S.PROPOSED, S.COMMITTED)
    assert messages(action(S.COMMITTED, zoned, near)) == []
    assert messages(action(S.COMMITTED, zoned, far)) == [
        "history[1].at: 2026-01-04T19:59:00 is earlier than the entry before it "
        "(2026-01-05T20:00:00+00:00); times must never go back"
    ]


def test_a_time_up_to_a_day_ahead_of_the_clock_is_accepted() -> None:
    soon = action(S.PROPOSED, entry(NOW + timedelta(hours=23), None, S.PROPOSED))
    assert messages(soon) == []
    edge = action(S.PROPOSED, entry(NOW + CLOCK_SLACK, None, S.PROPOSED))
    assert messages(edge) == []


def test_a_time_two_days_ahead_of_the_clock_is_refused() -> None:
    later = action(S.PROPOSED, entry(NOW + timedelta(days=2), None, S.PROPOSED))
    assert messages(later) == [
        "history[0].at: 2026-06-03T12:00:00+00:00 is in the future: the latest allowed is "
        "2026-06-02T12:00:00+00:00 (now plus 1 day for clocks that disagree)"
    ]


def test_an_unzoned_time_is_compared_with_the_clock_on_the_wall() -> None:
    a_year_on = action(S.PROPOSED, entry(datetime(2027, 6, 1, 12, 0), None, S.PROPOSED))
    assert [p.rule for p in history_problems(a_year_on, now=NOW)] == [HistoryRule.FUTURE]
    same_day = action(S.PROPOSED, entry(datetime(2026, 6, 2, 11, 0), None, S.PROPOSED))
    assert messages(same_day) == []


def test_the_history_ends_at_the_status() -> None:
    short = action(S.IMPLEMENTED, *DONE[:3])
    assert [p.rule for p in history_problems(short, now=NOW)] == [HistoryRule.END]
    assert messages(short) == [
        "status: is implemented, but the history ends at in_progress; the last entry's 'to' "
        "must be the status"
    ]


def test_verified_effective_needs_the_measured_result() -> None:
    verified = entry(at(60), S.IMPLEMENTED, S.VERIFIED_EFFECTIVE, "Checked")
    assert messages(action(S.VERIFIED_EFFECTIVE, *DONE, verified, measured_result=" ")) == [
        "measured_result: must not be blank: history[4] verifies the action effective, "
        "which needs the measured result"
    ]


def test_verified_before_verify_on_needs_an_early_line() -> None:
    early = entry(at(30), S.IMPLEMENTED, S.VERIFIED_EFFECTIVE, "Checked")
    assert messages(action(S.VERIFIED_EFFECTIVE, *DONE, early)) == [
        "history[4].note: needs a line 'Early: <why>': the entry (2026-02-04) is before "
        "verify_on (2026-03-01)"
    ]


def test_an_early_line_or_the_day_itself_is_enough() -> None:
    reason = entry(at(30), S.IMPLEMENTED, S.VERIFIED_EFFECTIVE, "Checked\nEarly: audit came")
    assert messages(action(S.VERIFIED_EFFECTIVE, *DONE, reason)) == []
    on_the_day = entry(
        datetime(2026, 3, 1, 0, 5, tzinfo=UTC), S.IMPLEMENTED, S.VERIFIED_EFFECTIVE, "Checked"
    )
    assert messages(action(S.VERIFIED_EFFECTIVE, *DONE, on_the_day)) == []


def test_a_problem_reads_as_its_field_and_message() -> None:
    problem = HistoryProblem("history[2].note", "must not be blank", HistoryRule.NOTE)
    assert str(problem) == "history[2].note: must not be blank"


# ------------------------------------------------------------------ mending
MENDED_AT = datetime(2026, 6, 1, 8, 0)


def test_verified_with_no_note_and_no_history_gets_a_creation_entry() -> None:
    old = action(S.VERIFIED_EFFECTIVE)
    assert mend_history(*_of(old), at=MENDED_AT) == [
        entry(MENDED_AT, None, S.VERIFIED_EFFECTIVE, MIGRATED_NOTE)
    ]
    assert old.history == [], "the action itself is not changed"


def test_a_proposal_without_history_is_left_alone() -> None:
    assert mend_history(*_of(action(S.PROPOSED)), at=MENDED_AT) == []


def test_a_history_that_stops_short_gets_an_entry_to_the_status() -> None:
    mended = mend_history(*_of(action(S.VERIFIED_EFFECTIVE, *DONE)), at=MENDED_AT)
    assert mended == [*DONE, entry(MENDED_AT, S.IMPLEMENTED, S.VERIFIED_EFFECTIVE, MIGRATED_NOTE)]


def test_blank_required_notes_are_filled_and_nothing_else_changes() -> None:
    history = (
        *DONE,
        entry(at(40), S.IMPLEMENTED, S.NOT_EFFECTIVE, "  "),
        entry(at(41), S.NOT_EFFECTIVE, S.CANCELLED, ""),
    )
    mended = mend_history(*_of(action(S.CANCELLED, *history)), at=MENDED_AT)
    assert mended == [
        *DONE,
        entry(at(40), S.IMPLEMENTED, S.NOT_EFFECTIVE, MIGRATED_NOTE),
        entry(at(41), S.NOT_EFFECTIVE, S.CANCELLED, MIGRATED_NOTE),
    ]


def test_what_cannot_be_mended_stays_for_the_findings() -> None:
    """A forbidden move and times out of order are kept as they are, and still reported."""
    history = (
        entry(at(5), None, S.PROPOSED),
        entry(at(1), S.PROPOSED, S.IMPLEMENTED),
    )
    old = action(S.IMPLEMENTED, *history)
    mended = mend_history(*_of(old), at=MENDED_AT)
    assert mended == list(history)
    assert [p.rule for p in history_problems(old, now=NOW)] == [
        HistoryRule.TRANSITION,
        HistoryRule.ORDER,
    ]


def test_the_history_passed_in_is_not_changed() -> None:
    """The store mends rows before there is an action: a status and a list of changes."""
    history = [DONE[0], entry(at(1), S.PROPOSED, S.CANCELLED, " ")]
    assert mend_history(S.CANCELLED, history, at=MENDED_AT) == [
        DONE[0],
        entry(at(1), S.PROPOSED, S.CANCELLED, MIGRATED_NOTE),
    ]
    assert history[1].note == " "
    assert mend_history(S.IMPLEMENTED, [], at=MENDED_AT) == [
        entry(MENDED_AT, None, S.IMPLEMENTED, MIGRATED_NOTE)
    ]


def test_mending_twice_is_mending_once() -> None:
    once = action(S.CANCELLED, DONE[0], entry(at(1), S.PROPOSED, S.CANCELLED, ""))
    once.history = mend_history(*_of(once), at=MENDED_AT)
    assert mend_history(*_of(once), at=MENDED_AT) == once.history
    assert messages(once) == []


def _of(action: PreventiveAction) -> tuple[ActionStatus, list[StatusChange]]:
    """What :func:`mend_history` takes of an action."""
    return action.status, action.history
