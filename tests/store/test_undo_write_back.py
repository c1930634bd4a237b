"""Undoing a delete writes the causes back with every link that touched them, whichever
end of the link was deleted."""

from __future__ import annotations

from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import Workspace


def test_undoing_a_delete_writes_back_links_from_and_to_the_subtree(workspace: Workspace) -> None:
    graph = CauseGraph(problem="Salaries paid a day late")
    graph.add_cause(HEAD, text="Cron moved to UTC", cause_id="a")
    graph.add_cause("a", text="No timezone test", cause_id="a1")
    graph.add_cause(HEAD, text="Runbook silent on DST", cause_id="b")
    graph.add_cause(HEAD, text="Nobody on call", cause_id="c")
    graph.add_link("a1", "b")  # b also explains a1: the deleted cause is the effect
    graph.add_link("c", "a1")  # a1 also explains c: the deleted cause is the cause
    incident = Incident(title="Payroll late", graph=graph)
    workspace.add_incident(incident)

    removed = incident.remove_cause("a")
    workspace.delete_cause(incident, "a")
    assert workspace.load(1).graph.links() == []

    incident.graph.restore(removed)
    workspace.save_subtree(incident, "a")
    reread = workspace.load(1).graph
    assert sorted(reread.links()) == [("a1", "b"), ("c", "a1")]
    assert reread.children("a") == ("a1",)
    assert reread.children(HEAD) == ("a", "b", "c")
