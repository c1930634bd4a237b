"""Undoing a delete writes the causes back with every link that touched them, whichever
end of the link was deleted."""

from __future__ import annotations

from rca_desk.model import HEAD, CauseGraph, Incident, PreventiveAction
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


def _three_actions(workspace: Workspace) -> Incident:
    graph = CauseGraph(problem="Salaries paid a day late")
    graph.add_cause(HEAD, text="No timezone test", cause_id="r", root_cause=True)
    incident = Incident(
        title="Payroll late",
        graph=graph,
        actions=[
            PreventiveAction(title=title, root_causes=["r"])
            for title in ("Test timezones", "Rewrite the runbook", "Page the on-call")
        ],
    )
    workspace.add_incident(incident)
    return incident


def test_undoing_an_action_s_delete_gives_it_back_its_number(workspace: Workspace) -> None:
    incident = _three_actions(workspace)
    assert [a.number for a in incident.actions] == [1, 2, 3]
    index, action = incident.remove_action(incident.actions[1].uid)
    workspace.delete_action(incident, action)
    assert [a.number for a in workspace.load(1).actions] == [1, 3]

    incident.add_action(action, index=index)
    assert workspace.save_action(incident, action) == 2
    assert [(a.number, a.title) for a in workspace.load(1).actions] == [
        (1, "Test timezones"),
        (2, "Rewrite the runbook"),
        (3, "Page the on-call"),
    ]


def test_an_action_whose_number_is_taken_gets_the_next_free_one(workspace: Workspace) -> None:
    incident = _three_actions(workspace)
    stranger = PreventiveAction(title="Freeze cron changes", root_causes=["r"], number=1)
    incident.add_action(stranger)
    assert workspace.save_action(incident, stranger) == 4
    assert [(a.number, a.title) for a in workspace.load(1).actions] == [
        (1, "Test timezones"),
        (2, "Rewrite the runbook"),
        (3, "Page the on-call"),
        (4, "Freeze cron changes"),
    ]
