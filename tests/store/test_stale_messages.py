"""Every refused stale write says, in full, what happened in the other window.

The window shows the message as it is, so each one is pinned here word for word, with a
race that produces it: two connections load the same incident, the first writes, the
second's write collides and is refused, and the file is left exactly as the first write
left it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from rca_desk.model import Incident, PreventiveAction
from rca_desk.store import StaleWriteError, Workspace, open_workspace

# The race: (first window, its copy, second window, its copy) -> the second's stale write.
Race = Callable[[Workspace, Incident, Workspace, Incident], Callable[[], object]]


@pytest.fixture
def other(sample_workspace: Workspace) -> Iterator[Workspace]:
    with open_workspace(sample_workspace.location, create=False) as second:
        yield second


def without_actions(ws: Workspace, cause_id: str) -> None:
    """Take the actions off a root cause, so a race can add the first one."""
    copy = ws.load(ws.incidents()[0].id)
    for action in list(copy.actions_for(cause_id)):
        copy.remove_action(action.uid)
        ws.delete_action(copy, action)


def incident_deleted(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    a.delete_incident(ai.id)  # type: ignore[arg-type]
    bi.update_fields(title="Still here?")
    return lambda: b.save_incident_fields(bi, ["title"])


def field_changed(a: Workspace, ai: Incident, b: Workspace, bi: Incident) -> Callable[[], object]:
    ai.update_fields(whys_depth=7)
    a.save_incident_fields(ai, ["whys_depth"])
    bi.update_fields(whys_depth=3)
    return lambda: b.save_incident_fields(bi, ["whys_depth"])


def categories_changed(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    ai.graph.set_categories([*ai.graph.categories, "Suppliers"])
    a.save_incident_fields(ai, ["categories"])
    bi.update_fields(title="Saved with every field")
    return lambda: b.save_incident_fields(bi)


def problem_changed(a: Workspace, ai: Incident, b: Workspace, bi: Incident) -> Callable[[], object]:
    ai.graph.problem = "Their problem statement"
    a.save_incident_fields(ai, ["problem"])
    bi.graph.problem = "My problem statement"
    return lambda: b.save_incident_fields(bi, ["problem"])


def edited_cause_removed(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    ai.remove_cause("com-4")
    a.delete_cause(ai, "com-4")
    bi.update_cause("com-4", text="Reworded after it was removed")
    return lambda: b.save_cause(bi, "com-4")


def deleted_cause_removed(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    ai.remove_cause("com-4")
    a.delete_cause(ai, "com-4")
    bi.remove_cause("com-4")
    return lambda: b.delete_cause(bi, "com-4")


def deleted_cause_changed(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    ai.update_cause("com-4", text="Reworded in the first window")
    a.save_cause(ai, "com-4")
    bi.remove_cause("com-4")
    return lambda: b.delete_cause(bi, "com-4")


def deleted_cause_got_an_action(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    ai.add_action(PreventiveAction(title="Publish the plan", root_causes=["com-3"]))
    a.save_action(ai, ai.actions[-1])
    bi.remove_cause("com-3")
    return lambda: b.delete_cause(bi, "com-3")


def unmarked_root_got_an_action(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    ai.add_action(PreventiveAction(title="Publish the plan", root_causes=["com-3"]))
    a.save_action(ai, ai.actions[-1])
    bi.update_cause("com-3", root_cause=False)
    return lambda: b.save_cause(bi, "com-3")


def parent_removed(a: Workspace, ai: Incident, b: Workspace, bi: Incident) -> Callable[[], object]:
    ai.remove_cause("sop-5")
    a.delete_cause(ai, "sop-5")
    new = bi.graph.add_cause("sop-5", text="Why was it brought forward?")
    return lambda: b.save_cause(bi, new)


def link_end_removed(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    ai.remove_cause("com-4")
    a.delete_cause(ai, "com-4")
    bi.graph.add_link("com-4", "qc-3")
    return lambda: b.save_link(bi, "com-4", "qc-3", present=True)


def cycle(a: Workspace, ai: Incident, b: Workspace, bi: Incident) -> Callable[[], object]:
    ai.graph.move_cause("sop-4", "sop-5")
    a.save_cause(ai, "sop-4")
    bi.graph.move_cause("sop-5", "sop-4")
    return lambda: b.save_cause(bi, "sop-5")


def link_repeats_a_move(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    ai.graph.move_cause("tech-1", "sop-5")
    a.save_cause(ai, "tech-1")
    bi.graph.add_link("sop-5", "tech-1")
    return lambda: b.save_link(bi, "sop-5", "tech-1", present=True)


def root_cause_unmarked(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    ai.update_cause("com-3", root_cause=False)
    a.save_cause(ai, "com-3")
    action = PreventiveAction(title="Publish the plan", root_causes=["com-3"])
    bi.add_action(action)
    return lambda: b.save_action(bi, action)


def edited_action_deleted(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    uid = ai.actions[0].uid
    _, gone = ai.remove_action(uid)
    a.delete_action(ai, gone)
    edited = bi.action(uid).with_changes(owner="Dana")
    bi.replace_action(edited)
    return lambda: b.save_action(bi, edited)


def edited_action_changed(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    uid = ai.actions[0].uid
    ai.replace_action(ai.action(uid).with_changes(owner="Ana"))
    a.save_action(ai, ai.action(uid))
    edited = bi.action(uid).with_changes(owner="Dana")
    bi.replace_action(edited)
    return lambda: b.save_action(bi, edited)


def deleted_action_changed(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    uid = ai.actions[0].uid
    ai.replace_action(ai.action(uid).with_changes(owner="Ana"))
    a.save_action(ai, ai.action(uid))
    _, gone = bi.remove_action(uid)
    return lambda: b.delete_action(bi, gone)


def action_put_back_twice(
    a: Workspace, ai: Incident, b: Workspace, bi: Incident
) -> Callable[[], object]:
    """Both windows deleted the same action (the second reloaded after the first), and
    both undo: the first puts it back; the second's copy does not know that row."""
    uid = ai.actions[0].uid
    index, gone = ai.remove_action(uid)
    a.delete_action(ai, gone)
    reloaded = b.load(ai.id)  # type: ignore[arg-type]
    ai.add_action(gone, index=index)
    a.save_action(ai, gone)
    reloaded.add_action(gone, index=index)
    return lambda: b.save_action(reloaded, gone)


RACES: dict[str, tuple[Race, str]] = {
    "incident deleted": (incident_deleted, "This incident was deleted in another window."),
    "field changed": (
        field_changed,
        "The incident's whys depth was changed in another window a moment ago.",
    ),
    "categories changed": (
        categories_changed,
        "The incident's categories was changed in another window a moment ago.",
    ),
    "problem changed": (
        problem_changed,
        "This problem statement was changed in another window a moment ago.",
    ),
    "edited cause removed": (
        edited_cause_removed,
        "This cause was removed in another window a moment ago.",
    ),
    "deleted cause removed": (
        deleted_cause_removed,
        "This cause was removed in another window a moment ago.",
    ),
    "deleted cause changed": (
        deleted_cause_changed,
        "This cause or one of its sub-causes was changed in another window a moment ago.",
    ),
    "deleted cause got an action": (
        deleted_cause_got_an_action,
        "A preventive action was added for this cause in another window a moment ago.",
    ),
    "unmarked root got an action": (
        unmarked_root_got_an_action,
        "A preventive action was added for this root cause in another window a moment ago.",
    ),
    "parent removed": (
        parent_removed,
        "The cause this one hangs under was removed in another window a moment ago.",
    ),
    "link end removed": (
        link_end_removed,
        "A cause in this link was removed in another window a moment ago.",
    ),
    "cycle": (
        cycle,
        "Another window moved or linked these causes a moment ago; together with this "
        "change they would explain themselves (a cycle).",
    ),
    "link repeats a move": (
        link_repeats_a_move,
        "Another window moved or linked these causes a moment ago; with this change one "
        "cause would be linked to the very cause it hangs under.",
    ),
    "root cause unmarked": (
        root_cause_unmarked,
        "A root cause of this action was removed or unmarked in another window a moment ago.",
    ),
    "edited action deleted": (
        edited_action_deleted,
        "This action was deleted in another window a moment ago.",
    ),
    "edited action changed": (
        edited_action_changed,
        "This action was changed in another window a moment ago.",
    ),
    "deleted action changed": (
        deleted_action_changed,
        "This action was changed or deleted in another window a moment ago.",
    ),
    "action put back twice": (
        action_put_back_twice,
        "This action was put back in another window a moment ago.",
    ),
}


@pytest.mark.parametrize(("race", "message"), RACES.values(), ids=RACES.keys())
def test_a_stale_write_is_refused_with_its_own_message(
    sample_workspace: Workspace, other: Workspace, race: Race, message: str
) -> None:
    without_actions(sample_workspace, "com-3")  # a root cause nobody addresses yet
    incident_id = sample_workspace.incidents()[0].id
    mine, theirs = sample_workspace.load(incident_id), other.load(incident_id)
    stale_write = race(sample_workspace, mine, other, theirs)
    before = other.content()
    with pytest.raises(StaleWriteError) as caught:
        stale_write()
    assert str(caught.value) == message
    assert other.content() == before


def test_putting_back_a_subtree_whose_link_closes_a_cycle_made_elsewhere_is_refused(
    sample_workspace: Workspace, other: Workspace
) -> None:
    incident_id = sample_workspace.incidents()[0].id
    mine, theirs = sample_workspace.load(incident_id), other.load(incident_id)
    # Mine: a new branch under sop-4, whose leaf tech-1 also contributes to.
    mine.graph.add_cause("sop-4", text="The snapshot step is manual", cause_id="x1")
    mine.graph.add_cause("x1", text="No tool for snapshots", cause_id="x2")
    mine.graph.add_link("x2", "tech-1")
    # Theirs, first: the SOPs branch hangs under the last technical cause.
    theirs.graph.move_cause("sop-1", "tech-5")
    other.save_cause(theirs, "sop-1")
    before = sample_workspace.content()
    with pytest.raises(StaleWriteError, match="would explain themselves"):
        sample_workspace.save_subtree(mine, "x1")
    assert sample_workspace.content() == before


@pytest.mark.parametrize("save", ["save_cause", "save_subtree"])
def test_a_cause_put_first_among_its_siblings_stays_first(
    sample_workspace: Workspace, save: str
) -> None:
    incident_id = sample_workspace.incidents()[0].id
    mine = sample_workspace.load(incident_id)
    mine.graph.add_cause("sop-1", text="The release had no owner", cause_id="x-first", index=0)
    getattr(sample_workspace, save)(mine, "x-first")
    assert sample_workspace.load(incident_id).graph.children("sop-1") == mine.graph.children(
        "sop-1"
    )
    assert mine.graph.children("sop-1")[0] == "x-first"


def test_a_link_another_window_stored_first_is_not_taken_as_ours(
    sample_workspace: Workspace, other: Workspace
) -> None:
    incident_id = sample_workspace.incidents()[0].id
    mine, theirs = sample_workspace.load(incident_id), other.load(incident_id)
    for ws, copy in ((other, theirs), (sample_workspace, mine)):
        copy.graph.add_link("sop-4", "com-4")
        ws.save_link(copy, "sop-4", "com-4", present=True)
    key = ("link", "sop-4", "com-4")
    # The row is theirs, at their revision: this copy did not write it and so does not
    # claim to know it (a fresh read shows it as changed elsewhere, which it was).
    assert other.load(incident_id).revisions[key] == theirs.revisions[key]
    assert key not in mine.revisions
    # It can still take the link away again.
    mine.graph.remove_link("sop-4", "com-4")
    sample_workspace.save_link(mine, "sop-4", "com-4", present=False)
    assert ("sop-4", "com-4") not in other.load(incident_id).graph.links()


def test_a_batch_with_a_refused_step_does_not_share_its_number_with_the_next_one(
    sample_workspace: Workspace,
) -> None:
    incident_id = sample_workspace.incidents()[0].id
    mine = sample_workspace.load(incident_id)
    with sample_workspace.transaction():
        good = dict(mine.revisions)
        mine.revisions[("cause", "qc-3")] = -1  # a stale copy of qc-3
        mine.update_cause("qc-3", text="Refused")
        with pytest.raises(StaleWriteError):
            sample_workspace.save_cause(mine, "qc-3")
        mine.revisions = good
        mine.update_cause("qc-2", text="Kept")
        sample_workspace.save_cause(mine, "qc-2")
    batch = mine.revisions[("cause", "qc-2")]
    mine.update_cause("com-4", text="The next change")
    sample_workspace.save_cause(mine, "com-4")
    assert mine.revisions[("cause", "com-4")] > batch
    assert sample_workspace.load(incident_id).revisions == mine.revisions
