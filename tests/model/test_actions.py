"""The preventive-action lifecycle: every allowed and refused move, notes, history."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from rca_desk.model import (
    NOTE_REQUIRED,
    TRANSITIONS,
    ActionStatus,
    PreventiveAction,
    RuleError,
    verification_choices,
)
from rca_desk.model.actions import COMMITTED_STATUSES, early_reason

S = ActionStatus
AT = datetime(2026, 11, 23, 10, 0)
TODAY = date(2026, 11, 23)


def ready(status: ActionStatus = S.PROPOSED, **over: object) -> PreventiveAction:
    fields: dict[str, object] = {
        "title": "Automate the check",
        "root_causes": ["r1"],
        "owner": "Ann",
        "due": TODAY,
        "metric": "misses",
        "target": "0",
        "verify_on": TODAY + timedelta(days=30),
        "measured_result": "0 in 30 days",
        "status": status,
    }
    fields.update(over)
    return PreventiveAction(**fields)  # type: ignore[arg-type]


ALL_PAIRS = [(a, b) for a in ActionStatus for b in ActionStatus]


@pytest.mark.parametrize(("start", "to"), ALL_PAIRS)
def test_every_transition_is_allowed_or_refused(start: ActionStatus, to: ActionStatus) -> None:
    action = ready(start, verify_on=TODAY)
    note = "because" if to in NOTE_REQUIRED else ""
    if to in TRANSITIONS[start]:
        change = action.change_status(to, at=AT, note=note)
        assert action.status == to
        assert action.history == [change]
        assert (change.from_status, change.to_status, change.at) == (start, to, AT)
    else:
        with pytest.raises(RuleError, match=f"cannot go from {start.label} to {to.label}"):
            action.change_status(to, at=AT, note=note)
        assert action.status == start
        assert action.history == []


def test_the_lifecycle_of_the_design() -> None:
    assert TRANSITIONS[S.PROPOSED] == (S.COMMITTED, S.CANCELLED)
    assert S.NOT_EFFECTIVE in TRANSITIONS[S.IMPLEMENTED]
    assert TRANSITIONS[S.NOT_EFFECTIVE][0] == S.IN_PROGRESS  # back to work
    assert TRANSITIONS[S.VERIFIED_EFFECTIVE] == () and TRANSITIONS[S.CANCELLED] == ()
    for status in (S.PROPOSED, S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_EFFECTIVE):
        assert S.CANCELLED in TRANSITIONS[status]


@pytest.mark.parametrize("status", sorted(NOTE_REQUIRED))
def test_notes_required_where_they_matter(status: ActionStatus) -> None:
    start = next(s for s, nxt in TRANSITIONS.items() if status in nxt)
    action = ready(start)
    with pytest.raises(RuleError, match="needs a note"):
        action.change_status(status, at=AT, note="   ")
    assert action.status == start and not action.history


def test_commit_needs_owner_due_measure_and_verification() -> None:
    action = ready(owner="", due=None, metric="", verify_on=None)
    with pytest.raises(RuleError) as caught:
        action.change_status(S.COMMITTED, at=AT)
    message = str(caught.value)
    for part in ("an owner", "a due date", "a success measure", "a verification date"):
        assert part in message
    assert action.status == S.PROPOSED


def test_committed_states_cannot_be_built_without_commitment() -> None:
    for status in COMMITTED_STATUSES:
        with pytest.raises(RuleError, match="without an owner"):
            ready(status, owner="")


def test_full_history_and_rework_loop() -> None:
    action = PreventiveAction.propose(at=AT, note="workshop", **_fields())
    for to, note in [
        (S.COMMITTED, ""),
        (S.IN_PROGRESS, ""),
        (S.IMPLEMENTED, "shipped"),
        (S.NOT_EFFECTIVE, "two misses in October"),
        (S.IN_PROGRESS, ""),
        (S.IMPLEMENTED, "v2"),
        (S.VERIFIED_EFFECTIVE, "zero misses for 60 days"),
    ]:
        action.change_status(to, at=AT, note=note)
    assert [c.to_status for c in action.history] == [
        S.PROPOSED, S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_EFFECTIVE,
        S.IN_PROGRESS, S.IMPLEMENTED, S.VERIFIED_EFFECTIVE,
    ]  # fmt: skip
    assert action.history[0].from_status is None and action.history[0].note == "workshop"
    assert action.history[-1].note == "zero misses for 60 days"
    assert not action.is_open


def _fields() -> dict[str, object]:
    return {
        "title": "Automate",
        "root_causes": ["r1"],
        "owner": "Ann",
        "due": TODAY,
        "metric": "m",
        "target": "t",
        "verify_on": TODAY,
        "measured_result": "0 misses",
    }


def test_undo_status_only_the_latest() -> None:
    action = ready()
    first = action.change_status(S.COMMITTED, at=AT)
    second = action.change_status(S.IN_PROGRESS, at=AT)
    with pytest.raises(RuleError, match="latest"):
        action.undo_status(first)
    action.undo_status(second)
    assert action.status == S.COMMITTED and action.history == [first]


def test_action_needs_a_root_cause_and_a_title() -> None:
    with pytest.raises(RuleError, match="at least one root cause"):
        ready(root_causes=[])
    with pytest.raises(RuleError, match="same root cause twice"):
        ready(root_causes=["r1", "r1"])
    with pytest.raises(RuleError, match="cannot be empty"):
        ready(title=" ")


def test_verification_is_after_due() -> None:
    with pytest.raises(RuleError, match="before the due date"):
        ready(verify_on=TODAY - timedelta(days=1))
    action = ready(S.COMMITTED)
    due_before = action.due
    with pytest.raises(RuleError, match="keeps a due date"):
        action.with_changes(due=None, verify_on=None)
    with pytest.raises(RuleError, match="before the due date"):
        action.with_changes(verify_on=TODAY - timedelta(days=400))
    moved = action.with_changes(due=TODAY + timedelta(days=1), verify_on=TODAY + timedelta(days=31))
    assert moved.due == TODAY + timedelta(days=1)
    assert moved.verify_on == TODAY + timedelta(days=31)
    assert action.due == due_before  # the original is untouched


def test_with_changes_is_a_checked_copy_that_shares_no_lists() -> None:
    action = ready(S.COMMITTED)
    copy = action.with_changes(title="  Lock the production console  ", owner=" Ana ")
    assert (copy.title, copy.owner) == ("Lock the production console", "Ana")
    assert (copy.uid, copy.status, copy.history) == (action.uid, action.status, action.history)
    copy.change_status(S.IN_PROGRESS, at=datetime(2026, 12, 1, 9, 0))
    copy.root_causes.append("r9")
    assert action.root_causes == ["r1"]
    assert action.history == [] and action.status == S.COMMITTED
    with pytest.raises(RuleError, match="cannot be empty"):
        action.with_changes(title="  ")
    with pytest.raises(RuleError, match="cannot be committed without an owner"):
        action.with_changes(owner="")
    with pytest.raises(RuleError, match="no editable field 'status'"):
        action.with_changes(status=S.CANCELLED)


def test_verification_choices_are_30_60_90_days() -> None:
    assert verification_choices(TODAY) == [
        date(2026, 12, 23),
        date(2027, 1, 22),
        date(2027, 2, 21),
    ]


@pytest.mark.parametrize(
    ("status", "due_offset", "overdue"),
    [
        (S.PROPOSED, -1, True),
        (S.COMMITTED, -1, True),
        (S.IN_PROGRESS, -1, True),
        (S.NOT_EFFECTIVE, -1, True),
        (S.IN_PROGRESS, 0, False),  # due today is not overdue yet
        (S.IN_PROGRESS, 1, False),
        (S.IMPLEMENTED, -1, False),
        (S.VERIFIED_EFFECTIVE, -1, False),
        (S.CANCELLED, -1, False),
    ],
)
def test_overdue_at_the_boundary(status: ActionStatus, due_offset: int, overdue: bool) -> None:
    due = TODAY + timedelta(days=due_offset)
    action = ready(status, due=due, verify_on=due + timedelta(days=30))
    assert action.is_overdue(TODAY) is overdue


def test_overdue_needs_a_due_date() -> None:
    assert not ready(S.PROPOSED, due=None).is_overdue(TODAY)


@pytest.mark.parametrize(("offset", "late"), [(-1, True), (0, False), (1, False)])
def test_verification_overdue_at_the_boundary(offset: int, late: bool) -> None:
    action = ready(S.IMPLEMENTED, due=TODAY - timedelta(days=60))
    action.verify_on = TODAY + timedelta(days=offset)
    assert action.is_awaiting_verification()
    assert action.is_verification_overdue(TODAY) is late
    assert not ready(S.VERIFIED_EFFECTIVE).is_verification_overdue(TODAY + timedelta(days=99))


def test_verifying_needs_the_measured_result() -> None:
    action = ready(S.IMPLEMENTED, measured_result="  ", verify_on=TODAY)
    with pytest.raises(RuleError) as caught:
        action.change_status(S.VERIFIED_EFFECTIVE, at=AT, note="no misses")
    assert str(caught.value) == (
        "Action 'Automate the check' cannot be verified effective without its measured "
        "result: the value of 'misses' when checked."
    )
    assert action.status == S.IMPLEMENTED and not action.history
    # Judging it not effective needs no measured value: a repeat failure is enough.
    action.change_status(S.NOT_EFFECTIVE, at=AT, note="it happened again")
    assert action.status == S.NOT_EFFECTIVE


def test_verifying_before_the_verification_date_needs_a_reason() -> None:
    action = ready(S.IMPLEMENTED)  # verify_on is TODAY + 30 days
    with pytest.raises(RuleError) as caught:
        action.change_status(S.VERIFIED_EFFECTIVE, at=AT, note="no misses")
    assert str(caught.value) == (
        f"Action 'Automate the check' is to be checked on {(TODAY + timedelta(days=30))}; "
        "verifying it before then needs a note saying why it is early."
    )
    assert action.status == S.IMPLEMENTED and not action.history
    change = action.change_status(
        S.VERIFIED_EFFECTIVE, at=AT, note="no misses", early=" the client's audit was moved "
    )
    assert change.note == "no misses\nEarly: the client's audit was moved"
    assert early_reason(change.note) == "the client's audit was moved"


@pytest.mark.parametrize(
    ("when", "refused"),
    [
        (datetime(2026, 12, 22, 23, 59), True),  # the day before verify_on
        (datetime(2026, 12, 23, 0, 0), False),  # on the day itself
        (datetime(2027, 1, 5, 9, 0), False),
    ],
)
def test_early_means_before_the_verification_day(when: datetime, refused: bool) -> None:
    action = ready(S.IMPLEMENTED, verify_on=date(2026, 12, 23))
    if refused:
        with pytest.raises(RuleError, match="why it is early"):
            action.change_status(S.VERIFIED_EFFECTIVE, at=when, note="ok")
    else:
        assert action.change_status(S.VERIFIED_EFFECTIVE, at=when, note="ok").note == "ok"


def test_a_note_that_already_says_why_is_enough() -> None:
    action = ready(S.IMPLEMENTED)
    change = action.change_status(
        S.VERIFIED_EFFECTIVE, at=AT, note="no misses\nEarly: audit moved", early="again"
    )
    assert change.note == "no misses\nEarly: audit moved"


@pytest.mark.parametrize(
    ("note", "reason"),
    [
        ("Early: audit moved", "audit moved"),
        ("evidence\n  Early:   audit moved  \nmore", "audit moved"),
        ("Early:", None),
        ("early: lowercase is not the marker", None),
        ("It was not Early: inside a line", None),
        ("", None),
    ],
)
def test_early_reason_reads_the_marked_line(note: str, reason: str | None) -> None:
    assert early_reason(note) == reason


def test_not_effective_before_the_date_needs_no_reason() -> None:
    action = ready(S.IMPLEMENTED)
    action.change_status(S.NOT_EFFECTIVE, at=AT, note="failed again on day 3")
    assert action.status == S.NOT_EFFECTIVE
