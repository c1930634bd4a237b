"""The action lifecycle as a reviewer meets it: the refusals they read, the edits a committed
action still allows, and the history that undo takes back."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from rca_desk.model import ActionStatus, PreventiveAction, RuleError

S = ActionStatus
AT = datetime(2026, 11, 23, 10, 0)


def action(status: ActionStatus = S.PROPOSED, **over: object) -> PreventiveAction:
    fields: dict[str, object] = {
        "title": "Automate the check",
        "root_causes": ["r1"],
        "owner": "Ann",
        "due": date(2026, 12, 1),
        "metric": "misses",
        "target": "0",
        "verify_on": date(2026, 12, 31),
        "status": status,
    }
    fields.update(over)
    return PreventiveAction(**fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the refusals people read
def test_a_final_status_says_there_is_no_way_on() -> None:
    done = action(S.VERIFIED_EFFECTIVE)
    with pytest.raises(RuleError) as caught:
        done.change_status(S.IN_PROGRESS, at=AT)
    assert str(caught.value) == (
        "Action 'Automate the check' cannot go from verified effective to in progress; "
        "allowed: none (it is final)."
    )


def test_a_refused_move_lists_the_moves_that_are_allowed() -> None:
    with pytest.raises(RuleError) as caught:
        action(S.PROPOSED).change_status(S.IMPLEMENTED, at=AT)
    assert str(caught.value) == (
        "Action 'Automate the check' cannot go from proposed to implemented; "
        "allowed: committed, cancelled."
    )


def test_committing_names_everything_that_is_missing() -> None:
    bare = action(owner="", due=None, metric="", target="", verify_on=None)
    with pytest.raises(RuleError) as caught:
        bare.change_status(S.COMMITTED, at=AT)
    assert str(caught.value) == (
        "Action 'Automate the check' cannot be committed without an owner, a due date, "
        "a success measure (metric and target), a verification date."
    )
    assert bare.status == S.PROPOSED and bare.history == []


def test_a_metric_without_a_target_is_no_success_measure() -> None:
    with pytest.raises(RuleError) as caught:
        action(target="").change_status(S.COMMITTED, at=AT)
    assert str(caught.value) == (
        "Action 'Automate the check' cannot be committed without "
        "a success measure (metric and target)."
    )


def test_an_action_built_in_progress_names_its_status() -> None:
    with pytest.raises(RuleError) as caught:
        action(S.IN_PROGRESS, verify_on=None)
    assert str(caught.value) == (
        "Action 'Automate the check' cannot be in progress without a verification date."
    )


def test_cancelling_without_saying_why_is_refused() -> None:
    proposal = action()
    with pytest.raises(RuleError) as caught:
        proposal.change_status(S.CANCELLED, at=AT)
    assert str(caught.value) == "Marking an action cancelled needs a note: a reason for cancelling."
    assert proposal.status == S.PROPOSED


def test_a_move_without_a_note_records_an_empty_note() -> None:
    proposal = action()
    change = proposal.change_status(S.COMMITTED, at=AT)
    assert change.note == ""
    assert proposal.history[-1].note == ""


def test_a_note_is_kept_without_surrounding_blanks() -> None:
    started = action(S.IN_PROGRESS)
    change = started.change_status(S.IMPLEMENTED, at=AT, note="  shipped in 4.2  ")
    assert change.note == "shipped in 4.2"


def test_a_proposal_made_without_a_note_opens_its_history_with_an_empty_one() -> None:
    proposal = PreventiveAction.propose(at=AT, title="Add a second reviewer", root_causes=["r1"])
    assert len(proposal.history) == 1
    first = proposal.history[0]
    assert (first.at, first.from_status, first.to_status, first.note) == (
        AT,
        None,
        S.PROPOSED,
        "",
    )


def test_a_blank_title_is_refused_as_an_action() -> None:
    with pytest.raises(RuleError) as caught:
        action(title="   ")
    assert str(caught.value) == "An action needs text; it cannot be empty."


@pytest.mark.parametrize("name", ["owner", "metric", "target", "notes"])
def test_text_fields_hold_up_to_2000_characters(name: str) -> None:
    assert len(getattr(action(**{name: "x" * 2000}), name)) == 2000
    with pytest.raises(RuleError) as caught:
        action(**{name: "x" * 2001})
    assert str(caught.value) == f"The action's {name} is longer than 2000 characters."


# ------------------------------------------------------------ editing a committed action
def test_a_committed_action_may_move_its_due_date_alone() -> None:
    committed = action(S.COMMITTED)
    moved = committed.with_changes(due=date(2026, 12, 10))
    assert (moved.due, moved.verify_on) == (date(2026, 12, 10), date(2026, 12, 31))


def test_a_committed_action_may_move_its_verification_date_alone() -> None:
    committed = action(S.COMMITTED)
    moved = committed.with_changes(verify_on=date(2027, 1, 31))
    assert (moved.due, moved.verify_on) == (date(2026, 12, 1), date(2027, 1, 31))


def test_a_due_date_moved_past_the_check_is_refused() -> None:
    committed = action(S.COMMITTED)
    with pytest.raises(RuleError) as caught:
        committed.with_changes(due=date(2027, 1, 5))
    assert str(caught.value) == (
        "The verification date 2026-12-31 is before the due date 2027-01-05; "
        "effectiveness is checked after the action is done."
    )
    assert committed.due == date(2026, 12, 1)


@pytest.mark.parametrize("field", ["due", "verify_on"])
def test_work_under_way_keeps_both_dates(field: str) -> None:
    started = action(S.IN_PROGRESS)
    with pytest.raises(RuleError) as caught:
        started.with_changes(**{field: None})
    assert str(caught.value) == (
        "Action 'Automate the check' is in progress: it keeps a due date and a verification date."
    )
    assert (started.due, started.verify_on) == (date(2026, 12, 1), date(2026, 12, 31))


def test_a_proposal_may_drop_its_dates() -> None:
    proposal = action(S.PROPOSED)
    loose = proposal.with_changes(due=None, verify_on=None)
    assert (loose.due, loose.verify_on) == (None, None)


# ------------------------------------------------------------------------------- undo
def test_undo_takes_back_the_latest_move_of_a_long_history() -> None:
    tracked = PreventiveAction.propose(
        at=AT,
        title="Automate the check",
        root_causes=["r1"],
        owner="Ann",
        due=date(2026, 12, 1),
        metric="misses",
        target="0",
        verify_on=date(2026, 12, 31),
    )
    tracked.change_status(S.COMMITTED, at=AT)
    started = tracked.change_status(S.IN_PROGRESS, at=AT)
    tracked.undo_status(started)
    assert tracked.status == S.COMMITTED
    assert [c.to_status for c in tracked.history] == [S.PROPOSED, S.COMMITTED]


def test_only_the_latest_move_can_be_undone_and_never_the_creation() -> None:
    tracked = PreventiveAction.propose(at=AT, title="Automate the check", root_causes=["r1"])
    with pytest.raises(RuleError) as caught:
        tracked.undo_status(tracked.history[0])
    assert str(caught.value) == "Only the latest status change can be undone."
    assert tracked.status == S.PROPOSED and len(tracked.history) == 1
