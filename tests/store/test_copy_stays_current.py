"""A copy that writes stays as current as a fresh read of the file.

Every write method updates the copy's per-row revisions (``Incident.revisions``) with the
rows it wrote and drops the ones it deleted. A window relies on that: if the copy forgot
a row it wrote, its next edit of that row would be refused as stale; if it kept a row
that is gone, the document would see a change by "another window" that never happened.
So after each kind of write, in a sequence that touches causes, links, actions and the
incident's own fields, the copy must know exactly what a fresh read knows, and another
connection must see nothing it has not been told about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest

from rca_desk.model import (
    HEAD,
    Cadence,
    CheckIn,
    Incident,
    Participant,
    PreventiveAction,
    Severity,
    TimelineEvent,
)
from rca_desk.store import Workspace, open_workspace
from rca_desk.store.revisions import (
    action_row,
    cause_row,
    changed_rows,
    field_row,
    link_row,
    record_row,
)

Step = Callable[[Workspace, Incident], None]


def edit_cause(ws: Workspace, inc: Incident) -> None:
    inc.update_cause("tech-2", text="The date filter used local time")
    ws.save_cause(inc, "tech-2")


def add_cause(ws: Workspace, inc: Incident) -> None:
    inc.graph.add_cause("sop-4", text="No reminder in the release tool", cause_id="sop-4a")
    ws.save_cause(inc, "sop-4a")


def move_cause(ws: Workspace, inc: Incident) -> None:
    inc.graph.move_cause("sop-5", "trn-1")
    ws.save_cause(inc, "sop-5")


def add_link(ws: Workspace, inc: Incident) -> None:
    inc.graph.add_link("sop-4", "com-4")
    ws.save_link(inc, "sop-4", "com-4", present=True)


def remove_link(ws: Workspace, inc: Incident) -> None:
    inc.graph.remove_link("qc-2", "tech-4")
    ws.save_link(inc, "qc-2", "tech-4", present=False)


def delete_linked_cause(ws: Workspace, inc: Incident) -> None:
    inc.remove_cause("com-4")  # the link from sop-4 goes with it
    ws.delete_cause(inc, "com-4")


def add_subtree(ws: Workspace, inc: Incident) -> None:
    inc.graph.add_cause(HEAD, text="Vendor changed the export", cause_id="ven-1")
    inc.graph.add_cause("ven-1", text="No contract clause on formats", cause_id="ven-2")
    inc.graph.add_link("ven-2", "trn-2")
    ws.save_subtree(inc, "ven-1")


def add_action(ws: Workspace, inc: Incident) -> None:
    inc.add_action(PreventiveAction(title="Schedule restore drills", root_causes=["trn-3"]))
    ws.save_action(inc, inc.actions[-1])


def edit_action(ws: Workspace, inc: Incident) -> None:
    old = inc.actions[0]
    inc.replace_action(old.with_changes(owner="Ana"))
    ws.save_action(inc, inc.action(old.uid))


def delete_action(ws: Workspace, inc: Incident) -> None:
    _, action = inc.remove_action(inc.actions[-1].uid)
    ws.delete_action(inc, action)


def save_some_fields(ws: Workspace, inc: Incident) -> None:
    inc.update_fields(title="Tenant data lost in the v4.2 migration", severity=Severity.HIGH)
    ws.save_incident_fields(inc, ["title", "severity"])


def save_problem(ws: Workspace, inc: Incident) -> None:
    inc.graph.problem = "Client data lost after the release"
    ws.save_incident_fields(inc, ["problem"])


def add_event(ws: Workspace, inc: Incident) -> None:
    event = TimelineEvent("ev-1", datetime(2026, 11, 2, 7, 25), "The client calls")
    inc.put_record("timeline", event, index=0)
    ws.save_record(inc, "timeline", "ev-1")


def add_participant(ws: Workspace, inc: Incident) -> None:
    inc.put_record("participants", Participant("pp-1", "Ana Lima", "scribe"))
    ws.save_record(inc, "participants", "pp-1")


def edit_participant(ws: Workspace, inc: Incident) -> None:
    inc.put_record("participants", Participant("pp-1", "Ana Lima", "facilitator"))
    ws.save_record(inc, "participants", "pp-1")


def add_check_in(ws: Workspace, inc: Incident) -> None:
    inc.put_record("check_ins", CheckIn("ci-x", date(2026, 12, 1)))
    ws.save_record(inc, "check_ins", "ci-x")


def drop_event(ws: Workspace, inc: Incident) -> None:
    inc.drop_record("timeline", "ev-1")
    ws.delete_record(inc, "timeline", "ev-1")


def save_follow_up(ws: Workspace, inc: Incident) -> None:
    inc.update_fields(resolved_at=date(2026, 11, 3), cadence=Cadence(weekly=2))
    ws.save_incident_fields(inc, ["resolved_at", "cadence"])


def save_all_fields(ws: Workspace, inc: Incident) -> None:
    inc.update_fields(containment="Restored from the nightly backup")
    ws.save_incident_fields(inc)


STEPS: list[Step] = [
    edit_cause,
    add_cause,
    move_cause,
    add_link,
    remove_link,
    delete_linked_cause,
    add_subtree,
    add_action,
    edit_action,
    delete_action,
    save_some_fields,
    save_problem,
    add_event,
    add_participant,
    edit_participant,
    add_check_in,
    drop_event,
    save_follow_up,
    save_all_fields,
]


@pytest.fixture
def other(sample_workspace: Workspace) -> Iterator[Workspace]:
    with open_workspace(sample_workspace.location, create=False) as second:
        yield second


def test_after_every_kind_of_write_the_copy_knows_what_a_fresh_read_knows(
    sample_workspace: Workspace, other: Workspace
) -> None:
    incident_id = sample_workspace.incidents()[0].id
    mine = sample_workspace.load(incident_id)
    theirs = other.load(incident_id)
    for step in STEPS:
        before = dict(theirs.revisions)
        step(sample_workspace, mine)
        fresh = sample_workspace.load(incident_id)
        assert mine.revisions == fresh.revisions, step.__name__
        # Another window reading now sees the rows this step wrote as changed, and only
        # those (plus what earlier steps changed): nothing it must merge is hidden.
        theirs = other.load(incident_id)
        assert changed_rows(before, theirs.revisions), step.__name__
        assert theirs.revisions == fresh.revisions
    # Still current after all that: one more edit of each kind goes through.
    edit_cause(sample_workspace, mine)
    save_all_fields(sample_workspace, mine)


def test_deleting_a_cause_leaves_the_copy_free_to_edit_the_others(
    sample_workspace: Workspace,
) -> None:
    incident_id = sample_workspace.incidents()[0].id
    mine = sample_workspace.load(incident_id)
    mine.remove_cause("com-4")
    sample_workspace.delete_cause(mine, "com-4")
    for cause_id in ("tech-2", "com-1", "qc-3"):
        mine.update_cause(cause_id, text=f"Reworded {cause_id}")
        sample_workspace.save_cause(mine, cause_id)
    assert sample_workspace.load(incident_id).graph.cause("qc-3").text == "Reworded qc-3"


def test_rows_added_or_removed_elsewhere_count_as_changed(
    sample_workspace: Workspace, other: Workspace
) -> None:
    incident_id = sample_workspace.incidents()[0].id
    before = sample_workspace.load(incident_id).revisions
    theirs = other.load(incident_id)
    gone = theirs.actions[-1].uid
    add_cause(other, theirs)
    delete_action(other, theirs)
    after = sample_workspace.load(incident_id).revisions
    assert changed_rows(before, after) == {("cause", "sop-4a"), ("action", gone)}


def test_the_row_names_the_window_asks_about_are_the_ones_a_copy_holds(
    sample_workspace: Workspace,
) -> None:
    """The document asks a copy about rows by these names (to tell what another window
    changed); a name that matched no key would make every such row look untouched."""
    incident = sample_workspace.load(sample_workspace.incidents()[0].id)
    keys = set(incident.revisions)
    assert field_row("title") in keys and field_row("categories") in keys
    assert cause_row("qc-2") in keys and cause_row(HEAD) in keys
    assert link_row("qc-2", "tech-4") in keys
    assert {action_row(a.uid) for a in incident.actions} <= keys
    for kind in ("timeline", "participants", "check_ins"):
        assert {record_row(kind, record.id) for record in incident.records(kind)} <= keys
