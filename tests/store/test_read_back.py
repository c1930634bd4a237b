"""What the incident list, the review table and the importer read back from a workspace:
each field as it was written, counted and ordered as a person expects."""

from __future__ import annotations

from datetime import date, datetime

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Incident,
    IncidentStatus,
    PreventiveAction,
    Severity,
)
from rca_desk.store import Workspace
from rca_desk.store.search import significant_words


def committed(title: str, roots: list[str], uid: str, status: ActionStatus) -> PreventiveAction:
    return PreventiveAction(
        title=title,
        root_causes=roots,
        owner="Ann",
        due=date(2026, 12, 1),
        metric="misses",
        target="0",
        verify_on=date(2026, 12, 31),
        status=status,
        uid=uid,
    )


def payroll() -> Incident:
    graph = CauseGraph(problem="Salaries paid a day late")
    graph.add_cause(HEAD, text="Cron moved to UTC", category="Technology", cause_id="t1")
    graph.add_cause("t1", text="No timezone test", cause_id="t2", root_cause=True)
    graph.add_cause("t1", text="No DST alarm", cause_id="t3", root_cause=True)
    graph.add_cause(HEAD, text="No escalation list", category="Communication", cause_id="c2",
                    root_cause=True)  # fmt: skip
    graph.add_cause(HEAD, text="Runbook silent on DST", category="SOPs", cause_id="s1",
                    root_cause=True)  # fmt: skip
    graph.add_cause(HEAD, text="Nobody on call", category="Communication", cause_id="c1",
                    root_cause=True)  # fmt: skip
    return Incident(
        title="Payroll late",
        graph=graph,
        occurred_at=datetime(2026, 10, 26, 6, 15),
        affected="Northwind",
        severity=Severity.HIGH,
        status=IncidentStatus.MONITORING,
        actions=[
            committed("Test timezones", ["t2", "s1", "t3"], "a1", ActionStatus.IN_PROGRESS),
            committed("Rewrite the runbook", ["s1", "t2", "c1"], "a2", ActionStatus.IMPLEMENTED),
            committed("Page the on-call", ["c1"], "a3", ActionStatus.VERIFIED_EFFECTIVE),
            committed("Cancelled idea", ["c1"], "a4", ActionStatus.COMMITTED),
        ],
    )


def test_the_incident_list_shows_each_incident_s_facts_and_counts(workspace: Workspace) -> None:
    incident = payroll()
    incident.actions[3].change_status(ActionStatus.CANCELLED, at=datetime(2026, 11, 1), note="no")
    workspace.add_incident(incident)
    workspace.add_incident(Incident(title="Invoices doubled", uid="b" * 32))
    first, second = workspace.incidents()
    assert (
        first.id,
        first.title,
        first.status,
        first.severity,
        first.occurred_at,
        first.affected,
    ) == (
        1,
        "Payroll late",
        IncidentStatus.MONITORING,
        Severity.HIGH,
        datetime(2026, 10, 26, 6, 15),
        "Northwind",
    )
    assert (first.causes, first.root_causes, first.actions, first.open_actions) == (6, 5, 4, 2)
    assert (second.id, second.uid, second.title, second.occurred_at) == (
        2,
        "b" * 32,
        "Invoices doubled",
        None,
    )
    assert (second.causes, second.root_causes, second.actions, second.open_actions) == (0, 0, 0, 0)


def test_review_rows_name_the_incident_root_causes_and_categories(workspace: Workspace) -> None:
    workspace.add_incident(payroll())
    rows = {row.action.uid: row for row in workspace.action_rows()}
    assert sorted(rows) == ["a1", "a2", "a3", "a4"]
    runbook = rows["a2"]
    assert (runbook.incident_id, runbook.incident_title, runbook.action.number) == (
        1,
        "Payroll late",
        2,
    )
    assert runbook.root_cause_texts == (
        "Runbook silent on DST",
        "No timezone test",
        "Nobody on call",
    )
    assert runbook.categories == ("SOPs", "Technology", "Communication")
    # two root causes in one category give that category once
    assert rows["a1"].categories == ("Technology", "SOPs")
    assert rows["a1"].root_cause_texts == (
        "No timezone test",
        "Runbook silent on DST",
        "No DST alarm",
    )


def test_a_new_action_put_on_top_stays_on_top(workspace: Workspace) -> None:
    incident = payroll()
    workspace.add_incident(incident)
    urgent = committed("Freeze cron changes", ["t2"], "a0", ActionStatus.COMMITTED)
    incident.add_action(urgent, index=0)
    assert workspace.save_action(incident, urgent) == 5
    reread = workspace.load(1)
    assert [a.title for a in reread.actions] == [
        "Freeze cron changes",
        "Test timezones",
        "Rewrite the runbook",
        "Page the on-call",
        "Cancelled idea",
    ]


def test_known_action_uids_are_found_in_a_long_list(workspace: Workspace) -> None:
    workspace.add_incident(payroll())
    asked = [f"new{n:04d}" for n in range(1201)]
    asked[500] = "a2"
    asked[1200] = "a4"
    assert workspace.existing_action_uids(asked) == {"a2", "a4"}
    assert workspace.existing_action_uids([]) == set()


def test_search_words_drop_underscores_and_single_letters_but_keep_two_letter_words() -> None:
    assert significant_words("__init__ of the QA job x failed") == ["init", "qa", "job", "failed"]


def test_a_similar_root_cause_names_its_cause(workspace: Workspace) -> None:
    workspace.add_incident(payroll())
    hits = workspace.similar_to_text("timezone test missing")
    assert [(h.incident_id, h.cause_id, h.text, h.category) for h in hits] == [
        (1, "t2", "No timezone test", "Technology")
    ]


def test_a_workspace_of_501_actions_reads_back_every_one_with_its_root_cause(
    workspace: Workspace,
) -> None:
    """Actions are read in chunks of 500; the one after the first chunk is not lost."""
    graph = CauseGraph(problem="Many small misses")
    graph.add_cause(HEAD, text="No shared checklist", cause_id="r", root_cause=True)
    incident = Incident(
        title="A year of misses",
        graph=graph,
        actions=[
            PreventiveAction.propose(
                at=datetime(2026, 1, 5, 9, 0), title=f"Action {n}", root_causes=["r"]
            )
            for n in range(1, 502)
        ],
    )
    workspace.add_incident(incident)
    rows = workspace.action_rows()
    assert len(rows) == 501
    assert (rows[500].action.title, rows[500].root_cause_texts) == (
        "Action 501",
        ("No shared checklist",),
    )
    assert [(c.at, c.to_status) for c in rows[500].action.history] == [
        (datetime(2026, 1, 5, 9, 0), ActionStatus.PROPOSED)
    ]
