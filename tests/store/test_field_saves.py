"""Saving some of an incident's fields: two people editing different fields of one
incident at once keep both edits, and a busy workspace says so and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from rca_desk.model import HEAD, CauseGraph, Impact, Incident
from rca_desk.store import Workspace, WorkspaceError, open_workspace
from tests.store.backends import hold_write_lock, release


@pytest.fixture
def added(workspace: Workspace) -> Incident:
    graph = CauseGraph(problem="Salaries paid a day late")
    graph.add_cause(HEAD, text="Cron moved to UTC", cause_id="a")
    incident = Incident(title="Payroll late", graph=graph, affected="Northwind")
    workspace.add_incident(incident)
    return incident


@pytest.fixture
def other_window(workspace: Workspace, added: Incident) -> Iterator[Workspace]:
    other = open_workspace(workspace.location, create=False)
    yield other
    other.close()


def test_edits_of_different_fields_by_two_people_are_both_kept(
    workspace: Workspace, other_window: Workspace, added: Incident
) -> None:
    assert added.id == 1
    stale = other_window.load(1)  # opened before the first person's edit
    added.update_fields(title="Payroll run late")
    added.graph.set_problem("Salaries were paid on the 26th instead of the 25th")
    workspace.save_incident_fields(added, ["title", "problem"])

    stale.update_fields(affected="Northwind Traders")
    other_window.save_incident_fields(stale, ["affected"])

    reread = workspace.load(1)
    assert reread.title == "Payroll run late"
    assert reread.graph.problem == "Salaries were paid on the 26th instead of the 25th"
    assert reread.affected == "Northwind Traders"


def test_saving_the_impact_writes_all_four_parts(workspace: Workspace, added: Incident) -> None:
    added.update_fields(
        impact=Impact(
            operational="one day of reporting lost",
            financial="EUR 12,000 credit",
            reputational="escalated to the CFO",
            compliance="none",
        )
    )
    workspace.save_incident_fields(added, ["impact"])
    impact = workspace.load(1).impact
    assert (impact.operational, impact.financial, impact.reputational, impact.compliance) == (
        "one day of reporting lost",
        "EUR 12,000 credit",
        "escalated to the CFO",
        "none",
    )


def test_any_saved_field_marks_the_incident_as_updated(
    workspace: Workspace, added: Incident
) -> None:
    workspace.conn.execute("UPDATE incidents SET updated_at = '2000-01-01T00:00:00'")
    added.update_fields(severity="high")
    workspace.save_incident_fields(added, ["severity"])
    (updated_at,) = workspace.conn.execute("SELECT updated_at FROM incidents").fetchone()
    assert updated_at != "2000-01-01T00:00:00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", updated_at)  # to the second
    assert workspace.load(1).severity == "high"


def test_a_workspace_held_by_another_writer_is_busy_and_unchanged(
    workspace: Workspace, added: Incident
) -> None:
    holder = hold_write_lock(workspace)  # (and do not wait 15 s for it in a test)
    try:
        added.update_fields(title="Payroll run late")
        with pytest.raises(WorkspaceError) as caught:
            workspace.save_incident_fields(added, ["title"])
    finally:
        release(holder)
    assert str(caught.value) == (
        f"{workspace.location}: is busy (another rca-desk kept it locked for more than 15 s); "
        "nothing was changed, try again."
    )
    assert workspace.load(1).title == "Payroll late"
