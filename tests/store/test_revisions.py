"""Two copies of one incident, written by two connections: stale writes are refused.

Each test opens the workspace twice (as two windows or processes would), loads the same
incident into both, lets the first copy write, and then lets the second, stale, copy try
a write that collides with it. The second is refused with a plain message, the file keeps
the first write, and the incident still loads.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from rca_desk.model import HEAD, ActionStatus, Incident, PreventiveAction
from rca_desk.store import StaleWriteError, Workspace, open_workspace
from rca_desk.store.revisions import EDITED, changed_rows, find_cycle
from tests.store.backends import assert_sound

AT = datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def other(sample_workspace: Workspace) -> Iterator[Workspace]:
    """A second connection to the same file: another window, another process."""
    with open_workspace(sample_workspace.location, create=False) as second:
        yield second


def two_copies(a: Workspace, b: Workspace) -> tuple[Incident, Incident]:
    incident_id = a.incidents()[0].id
    return a.load(incident_id), b.load(incident_id)


def assert_loads_and_is_sound(workspace: Workspace) -> Incident:
    for summary in workspace.incidents():
        workspace.load(summary.id)
    assert_sound(workspace)
    return workspace.load(workspace.incidents()[0].id)


def test_editing_a_cause_someone_else_just_edited_is_refused(
    sample_workspace: Workspace, other: Workspace
) -> None:
    mine, theirs = two_copies(sample_workspace, other)
    theirs.update_cause("tech-2", text="Their wording")
    other.save_cause(theirs, "tech-2")
    before = sample_workspace.content()

    mine.update_cause("tech-2", text="My wording")
    with pytest.raises(StaleWriteError, match="This cause was changed in another window"):
        sample_workspace.save_cause(mine, "tech-2")

    assert sample_workspace.content() == before
    assert assert_loads_and_is_sound(sample_workspace).graph.cause("tech-2").text == (
        "Their wording"
    )
    # Read again, the same edit goes through.
    fresh = sample_workspace.load(mine.id)  # type: ignore[arg-type]
    fresh.update_cause("tech-2", text="My wording")
    sample_workspace.save_cause(fresh, "tech-2")
    assert other.load(mine.id).graph.cause("tech-2").text == "My wording"  # type: ignore[arg-type]


def test_two_people_adding_causes_under_one_effect_keep_both(
    sample_workspace: Workspace, other: Workspace
) -> None:
    mine, theirs = two_copies(sample_workspace, other)
    first = mine.graph.add_cause("sop-1", text="Mine")
    sample_workspace.save_cause(mine, first)
    second = theirs.graph.add_cause("sop-1", text="Theirs")
    other.save_cause(theirs, second)
    children = assert_loads_and_is_sound(sample_workspace).graph.children("sop-1")
    assert {first, second} <= set(children)


def test_the_cycle_race_leaves_no_cycle(sample_workspace: Workspace, other: Workspace) -> None:
    """A hangs sop-4 under sop-5 while B hangs sop-5 under sop-4: each fine alone."""
    mine, theirs = two_copies(sample_workspace, other)
    mine.graph.move_cause("sop-4", "sop-5")
    sample_workspace.save_cause(mine, "sop-4")
    theirs.graph.move_cause("sop-5", "sop-4")
    with pytest.raises(StaleWriteError, match="would explain themselves"):
        other.save_cause(theirs, "sop-5")
    assert assert_loads_and_is_sound(other).graph.parent("sop-4") == "sop-5"


def test_a_cycle_made_of_a_move_and_a_link_is_refused_too(
    sample_workspace: Workspace, other: Workspace
) -> None:
    """The rows differ (a cause and a link), so only the stored-graph check sees it."""
    mine, theirs = two_copies(sample_workspace, other)
    mine.graph.move_cause("sop-4", "sop-5")
    sample_workspace.save_cause(mine, "sop-4")
    theirs.graph.add_link("sop-4", "sop-5")  # sop-5 also contributes to sop-4
    with pytest.raises(StaleWriteError, match="a cycle"):
        other.save_link(theirs, "sop-4", "sop-5", present=True)
    stored = assert_loads_and_is_sound(other)
    assert ("sop-4", "sop-5") not in stored.graph.links()


@pytest.mark.parametrize("first", ["unmark", "add action"])
def test_unmarking_a_root_cause_races_adding_an_action_for_it(
    sample_workspace: Workspace, other: Workspace, first: str
) -> None:
    setup = sample_workspace.load(sample_workspace.incidents()[0].id)
    for existing in list(setup.actions_for("com-3")):  # a root cause nobody addresses yet
        setup.remove_action(existing.uid)
        sample_workspace.delete_action(setup, existing)
    mine, theirs = two_copies(sample_workspace, other)
    action = PreventiveAction(title="Second fix for the runbook", root_causes=["com-3"])

    def unmark(ws: Workspace, copy: Incident) -> None:
        copy.update_cause("com-3", root_cause=False)
        ws.save_cause(copy, "com-3")

    def add(ws: Workspace, copy: Incident) -> None:
        copy.add_action(action)
        ws.save_action(copy, action)

    if first == "unmark":
        unmark(sample_workspace, mine)
        with pytest.raises(StaleWriteError, match="root cause of this action"):
            add(other, theirs)
    else:
        add(other, theirs)
        with pytest.raises(StaleWriteError, match="action was added for this root cause"):
            unmark(sample_workspace, mine)
    stored = assert_loads_and_is_sound(sample_workspace)
    assert all(stored.graph.cause(c).root_cause for a in stored.actions for c in a.root_causes)


def test_cancel_races_retitle_and_the_cancel_is_kept(
    sample_workspace: Workspace, other: Workspace
) -> None:
    mine, theirs = two_copies(sample_workspace, other)
    uid = mine.actions[0].uid
    mine.action(uid).change_status(ActionStatus.CANCELLED, at=AT, note="Replaced by a check")
    sample_workspace.save_action(mine, mine.action(uid))
    retitled = theirs.action(uid).with_changes(title="Retitled in the other window")
    theirs.replace_action(retitled)
    with pytest.raises(StaleWriteError, match="This action was changed in another window"):
        other.save_action(theirs, retitled)
    kept = assert_loads_and_is_sound(other).action(uid)
    assert kept.status is ActionStatus.CANCELLED
    assert kept.history[-1].note == "Replaced by a check"


def test_deleting_a_cause_refuses_to_take_a_sub_cause_it_never_saw(
    sample_workspace: Workspace, other: Workspace
) -> None:
    mine, theirs = two_copies(sample_workspace, other)
    added = theirs.graph.add_cause("sop-5", text="Added in the other window")
    other.save_cause(theirs, added)
    mine.remove_cause("sop-5")
    with pytest.raises(StaleWriteError, match="sub-causes was changed"):
        sample_workspace.delete_cause(mine, "sop-5")
    assert assert_loads_and_is_sound(sample_workspace).graph.parent(added) == "sop-5"


def test_answering_a_cause_someone_removed_is_refused_without_a_foreign_key_message(
    sample_workspace: Workspace, other: Workspace
) -> None:
    mine, theirs = two_copies(sample_workspace, other)
    theirs.remove_cause("sop-5")
    other.delete_cause(theirs, "sop-5")
    new = mine.graph.add_cause("sop-5", text="Why was it brought forward?")
    with pytest.raises(StaleWriteError) as caught:
        sample_workspace.save_cause(mine, new)
    assert "FOREIGN KEY" not in str(caught.value)
    assert "removed in another window" in str(caught.value)
    assert_loads_and_is_sound(sample_workspace)


def test_a_stale_action_delete_and_a_stale_link_are_refused(
    sample_workspace: Workspace, other: Workspace
) -> None:
    mine, theirs = two_copies(sample_workspace, other)
    uid = theirs.actions[1].uid
    edited = theirs.action(uid).with_changes(owner="Dana")
    theirs.replace_action(edited)
    other.save_action(theirs, edited)
    _, action = mine.remove_action(uid)
    with pytest.raises(StaleWriteError, match="changed or deleted in another window"):
        sample_workspace.delete_action(mine, action)
    assert other.load(mine.id).action(uid).owner == "Dana"  # type: ignore[arg-type]

    stale = sample_workspace.load(mine.id)  # type: ignore[arg-type]
    theirs.remove_cause("com-4")
    other.delete_cause(theirs, "com-4")
    stale.graph.add_link("com-4", "qc-3")
    with pytest.raises(StaleWriteError, match="removed in another window"):
        sample_workspace.save_link(stale, "com-4", "qc-3", present=True)
    assert_loads_and_is_sound(sample_workspace)


def test_the_title_is_refused_when_someone_retitled_but_the_severity_is_not(
    sample_workspace: Workspace, other: Workspace
) -> None:
    mine, theirs = two_copies(sample_workspace, other)
    theirs.update_fields(title="Their title")
    other.save_incident_fields(theirs, ["title"])
    mine.update_fields(severity="low")
    sample_workspace.save_incident_fields(mine, ["severity"])  # another field: fine
    mine.update_fields(title="My title")
    with pytest.raises(StaleWriteError, match="incident's title was changed"):
        sample_workspace.save_incident_fields(mine, ["title"])
    stored = assert_loads_and_is_sound(other)
    assert (stored.title, stored.severity.value) == ("Their title", "low")


def test_each_transaction_draws_a_larger_revision_and_stamps_the_incident(
    sample_workspace: Workspace, other: Workspace
) -> None:
    mine, _ = two_copies(sample_workspace, other)
    before = dict(mine.revisions)
    mine.update_cause("qc-2", text="Row counts only")
    sample_workspace.save_cause(mine, "qc-2")
    after = sample_workspace.load(mine.id)  # type: ignore[arg-type]
    assert after.revisions[("cause", "qc-2")] > before[("cause", "qc-2")]
    assert after.revisions[EDITED] == after.revisions[("cause", "qc-2")]
    assert sample_workspace.edited()[mine.id] == after.revisions[EDITED]  # type: ignore[index]
    assert changed_rows(before, after.revisions) == {("cause", "qc-2")}
    assert mine.revisions == after.revisions  # the writer's copy knows its own write


def test_a_failed_savepoint_does_not_reuse_the_revision_number(
    sample_workspace: Workspace, sample: Incident
) -> None:
    """A refused change inside a batch gives its number back; the next one is fresh."""
    with sample_workspace.transaction():
        sample.update_cause("qc-2", text="First")
        sample_workspace.save_cause(sample, "qc-2")
        first = sample.revisions[("cause", "qc-2")]
    with sample_workspace.transaction():
        stale = dict(sample.revisions)
        sample.revisions[("cause", "qc-3")] = -1
        with pytest.raises(StaleWriteError):
            sample_workspace.save_cause(sample, "qc-3")
        sample.revisions = stale
        sample.update_cause("qc-2", text="Second")
        sample_workspace.save_cause(sample, "qc-2")
    assert sample.revisions[("cause", "qc-2")] == first + 1


@pytest.mark.parametrize(
    ("edges", "cyclic"),
    [
        ([], False),
        ([("a", "b"), ("b", "c"), ("a", "c")], False),
        ([("a", "b"), ("b", "a")], True),
        ([("p", "a"), ("a", "b"), ("b", "c"), ("c", "a")], True),
        ([("a", "a")], True),
    ],
)
def test_find_cycle(edges: list[tuple[str, str]], cyclic: bool) -> None:
    assert find_cycle(edges) is cyclic


def test_a_new_incident_reads_back_at_the_revisions_it_was_written_at(
    tmp_path: Path, sample: Incident
) -> None:
    with Workspace.open(tmp_path / "a.rcadesk") as ws:
        ws.add_incident(sample)
        written = dict(sample.revisions)
        assert ws.load(sample.id).revisions == written  # type: ignore[arg-type]
        assert len(set(written.values())) == 1  # one transaction, one number


def test_a_link_that_repeats_a_move_made_elsewhere_is_refused(
    sample_workspace: Workspace, other: Workspace
) -> None:
    """Found by the two-window state machine: A hangs tech-1 under sop-5 while B links
    tech-1 to sop-5 ("also contributes"): each fine alone, together a doubled edge."""
    mine, theirs = two_copies(sample_workspace, other)
    mine.graph.move_cause("tech-1", "sop-5")
    sample_workspace.save_cause(mine, "tech-1")
    theirs.graph.add_link("sop-5", "tech-1")
    with pytest.raises(StaleWriteError, match="linked to the very cause it hangs under"):
        other.save_link(theirs, "sop-5", "tech-1", present=True)
    assert_loads_and_is_sound(other)
    # ...and the other order: the link first, then the move.
    mine, theirs = two_copies(sample_workspace, other)
    mine.graph.add_link("qc-1", "com-4")
    sample_workspace.save_link(mine, "qc-1", "com-4", present=True)
    theirs.graph.move_cause("com-4", "qc-1")
    with pytest.raises(StaleWriteError, match="linked to the very cause it hangs under"):
        other.save_cause(theirs, "com-4")
    assert_loads_and_is_sound(other)


@pytest.mark.parametrize("first", ["remove the category", "add a cause in it"])
def test_removing_a_category_races_adding_a_cause_in_it(
    sample_workspace: Workspace, other: Workspace, first: str
) -> None:
    setup = sample_workspace.load(sample_workspace.incidents()[0].id)
    setup.graph.set_categories([*setup.graph.categories, "Suppliers"])
    sample_workspace.save_incident_fields(setup, ["categories"])
    mine, theirs = two_copies(sample_workspace, other)

    def remove() -> None:
        mine.graph.set_categories([c for c in mine.graph.categories if c != "Suppliers"])
        sample_workspace.save_incident_fields(mine, ["categories"])

    def add() -> None:
        new = theirs.graph.add_cause(HEAD, text="The courier lost the tapes", category="Suppliers")
        other.save_cause(theirs, new)

    if first == "remove the category":
        remove()
        with pytest.raises(StaleWriteError, match="left without its category"):
            add()
    else:
        add()
        with pytest.raises(StaleWriteError, match="left without its category"):
            remove()
    assert_loads_and_is_sound(sample_workspace)


def test_a_rename_is_whole_at_commit_and_refused_over_a_new_cause_in_the_old_name(
    sample_workspace: Workspace, other: Workspace
) -> None:
    mine, theirs = two_copies(sample_workspace, other)
    new = theirs.graph.add_cause(HEAD, text="Added as SOPs elsewhere", category="SOPs")
    other.save_cause(theirs, new)
    users = [c.id for c in mine.graph.causes() if c.category == "SOPs"]
    mine.graph.rename_category("SOPs", "Procedures")
    with (
        pytest.raises(StaleWriteError, match="left without its category"),
        sample_workspace.transaction(),
    ):
        sample_workspace.save_incident_fields(mine, ["categories"])
        for cause_id in users:
            sample_workspace.save_cause(mine, cause_id)
    stored = assert_loads_and_is_sound(sample_workspace)
    assert "SOPs" in stored.graph.categories and "Procedures" not in stored.graph.categories
    # Read again, the rename (with every cause in it) goes through whole.
    fresh = sample_workspace.load(mine.id)  # type: ignore[arg-type]
    users = [c.id for c in fresh.graph.causes() if c.category == "SOPs"]
    fresh.graph.rename_category("SOPs", "Procedures")
    with sample_workspace.transaction():
        sample_workspace.save_incident_fields(fresh, ["categories"])
        for cause_id in users:
            sample_workspace.save_cause(fresh, cause_id)
    assert other.load(mine.id).graph.cause(new).category == "Procedures"  # type: ignore[arg-type]


def test_a_copy_behind_stays_behind_through_a_transaction_of_several_writes(
    sample_workspace: Workspace, other: Workspace
) -> None:
    """Found by the state machine: the second write of a rename found the stamp its own
    first write had set and took the copy for current, though it never saw B's cause."""
    mine, theirs = two_copies(sample_workspace, other)
    added = theirs.graph.add_cause(HEAD, text="Added elsewhere", category="SOPs")
    other.save_cause(theirs, added)
    users = [c.id for c in mine.graph.causes() if c.category == "Training"]
    mine.graph.rename_category("Training", "Skills")
    with sample_workspace.transaction():
        sample_workspace.save_incident_fields(mine, ["categories"])
        for cause_id in users:
            sample_workspace.save_cause(mine, cause_id)
    stored_edited = sample_workspace.edited()[mine.id]  # type: ignore[index]
    assert mine.revisions[EDITED] != stored_edited  # still behind: it lacks "Added elsewhere"
