"""The records the review reads: every root cause with its incident, date and category."""

from __future__ import annotations

from datetime import datetime

from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import Workspace, WorkspaceStore


def incident(title: str, text: str, occurred: datetime | None, category: str) -> Incident:
    graph = CauseGraph(problem="P", categories=["SOPs", "Tools"])
    graph.add_cause(HEAD, text="not a root cause", category="SOPs")
    graph.add_cause(HEAD, text=text, category=category, cause_id="r", root_cause=True)
    return Incident(title=title, graph=graph, occurred_at=occurred)


def test_each_root_cause_comes_with_its_incident(workspace: Workspace) -> None:
    first, second = workspace.add_incidents(
        [
            incident("Payroll late", "Backup job failed", datetime(2026, 3, 4, 5, 6), "Tools"),
            incident("Report lost", "No runbook", None, "SOPs"),
        ]
    )
    records = workspace.root_cause_records()
    assert [
        (r.incident_id, r.incident_title, r.occurred_at, r.cause_id, r.text, r.category)
        for r in records
    ] == [
        (first, "Payroll late", datetime(2026, 3, 4, 5, 6), "r", "Backup job failed", "Tools"),
        (second, "Report lost", None, "r", "No runbook", "SOPs"),
    ]


def test_similar_root_causes_name_their_incident_and_category(workspace: Workspace) -> None:
    first, second = workspace.add_incidents(
        [
            incident("Payroll late", "Backup job failed", None, "Tools"),
            incident("Report lost", "The backup job failed again", None, "SOPs"),
        ]
    )
    (hit,) = workspace.similar_to_text("backup failed", exclude_incident=first)
    assert (hit.incident_id, hit.incident_title, hit.cause_id, hit.category) == (
        second,
        "Report lost",
        "r",
        "SOPs",
    )
    assert hit.text == "The backup job failed again"
    assert hit.score > 0
    (other,) = workspace.similar_root_causes(second, "r")
    assert (other.incident_id, other.incident_title, other.category) == (
        first,
        "Payroll late",
        "Tools",
    )
    assert workspace.similar_root_causes(second, "no-such-cause") == []


def test_undoing_a_removal_writes_the_subtree_and_its_links_back(workspace: Workspace) -> None:
    graph = CauseGraph(problem="P", categories=["SOPs"])
    graph.add_cause(HEAD, text="one", cause_id="a")
    graph.add_cause("a", text="two", cause_id="a1")
    graph.add_cause(HEAD, text="three", cause_id="b")
    graph.add_link("b", "a1")
    (incident_id,) = workspace.add_incidents([Incident(title="T", graph=graph)])
    stored = workspace.load(incident_id)
    removed = stored.graph.remove_cause("a")
    workspace.delete_cause(stored, "a")
    assert workspace.load(incident_id).graph.links() == []

    stored.graph.restore(removed)
    workspace.save_subtree(stored, "a")
    again = workspace.load(incident_id)
    assert list(again.graph.cause_ids()) == ["a", "a1", "b"]
    assert again.graph.links() == [("b", "a1")]
    workspace.save_subtree(stored, "a")  # saving twice changes nothing
    assert workspace.load(incident_id).graph.links() == [("b", "a1")]


def test_the_workspace_answers_both_through_its_store_interface(workspace: Workspace) -> None:
    """The review asks the workspace (any backend), not the SQLite search module."""
    first, second = workspace.add_incidents(
        [
            incident("Payroll late", "Backup job failed", None, "Tools"),
            incident("Report lost", "The backup job failed again", None, "SOPs"),
        ]
    )
    store: WorkspaceStore = workspace
    assert store.root_cause_records() == workspace.root_cause_records()
    [hit] = store.similar_root_causes(second, "r")
    assert (hit.incident_id, hit.cause_id) == (first, "r")
    assert store.similar_root_causes(second, "r", limit=0) == []
