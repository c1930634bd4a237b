"""The incident list's counts, the similar-root-cause limit, and one-line damage reports."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest

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
from rca_desk.store.workspace import _first_line


def counted_incident() -> Incident:
    graph = CauseGraph(problem="Report late", categories=["SOPs"])
    graph.add_cause(HEAD, text="No runbook", cause_id="a", root_cause=True)
    graph.add_cause("a", text="Nobody owns it", cause_id="a1")
    graph.add_cause(HEAD, text="Disk full", cause_id="b")
    graph.add_cause("b", text="No alert", cause_id="b1")
    incident = Incident(title="Late", graph=graph, uid="counted")
    done = PreventiveAction(
        title="Write it",
        root_causes=["a"],
        owner="Ann",
        due=date(2026, 1, 1),
        verify_on=date(2026, 2, 1),
        metric="m",
        target="t",
        measured_result="0",
        status=ActionStatus.IMPLEMENTED,
    )
    done.change_status(ActionStatus.VERIFIED_EFFECTIVE, at=datetime(2026, 2, 2), note="ok")
    incident.add_action(done)
    incident.add_action(PreventiveAction(title="Own it", root_causes=["a"]))
    return incident


def test_the_list_counts_causes_root_causes_and_open_actions(workspace: Workspace) -> None:
    workspace.add_incident(counted_incident())
    (summary,) = workspace.incidents()
    assert (summary.causes, summary.root_causes, summary.actions, summary.open_actions) == (
        4,
        1,
        2,
        1,
    )
    assert (summary.uid, summary.title) == ("counted", "Late")


def incident_with_root(n: int) -> Incident:
    graph = CauseGraph(problem="Backup lost", categories=["SOPs"])
    graph.add_cause(HEAD, text=f"Backup job failed silently ({n})", root_cause=True)
    return Incident(title=f"Incident {n}", graph=graph)


def test_similar_root_causes_stop_at_the_limit(workspace: Workspace) -> None:
    workspace.add_incidents([incident_with_root(n) for n in range(12)])
    assert len(workspace.similar_to_text("backup job failed")) == 10
    assert len(workspace.similar_to_text("backup job failed", limit=1)) == 1
    assert len(workspace.similar_to_text("backup job failed", limit=11)) == 11
    assert workspace.similar_to_text("backup job failed", limit=0) == []
    hit = workspace.similar_to_text("backup job failed", limit=1)[0]
    assert hit.text.startswith("Backup job failed silently (")
    assert hit.cause_id in workspace.load(hit.incident_id).graph


def test_a_damage_report_is_cut_to_its_first_useful_line() -> None:
    report = "*** in database main ***\nPage 3: btreeInitPage() returns error code 11\nmore"
    assert _first_line(report) == "Page 3: btreeInitPage() returns error code 11"
    assert _first_line("*** only a heading ***") == "*** only a heading ***"
    assert _first_line("  \n row 5 missing from index \n") == "row 5 missing from index"


@pytest.mark.file_only
def test_a_busy_workspace_says_how_long_it_waited(workspace: Workspace) -> None:
    error = workspace._write_error(sqlite3.OperationalError("database is locked"))
    assert str(error) == (
        f"{workspace.location}: is busy (another rca-desk kept it locked for more than 15 s); "
        "nothing was changed, try again."
    )


def test_the_list_shows_each_incident_s_own_fields(workspace: Workspace) -> None:
    incident = counted_incident()
    incident.update_fields(
        status=IncidentStatus.MONITORING,
        severity=Severity.HIGH,
        occurred_at=datetime(2026, 3, 4, 5, 6),
        affected="Northwind",
    )
    workspace.add_incident(incident)
    (summary,) = workspace.incidents()
    assert (summary.status, summary.severity, summary.occurred_at, summary.affected) == (
        IncidentStatus.MONITORING,
        Severity.HIGH,
        datetime(2026, 3, 4, 5, 6),
        "Northwind",
    )


def test_significant_words_drop_stop_words_single_letters_and_numbers() -> None:
    assert significant_words("The QA job_ failed 3 times, x2 _db_ and QA again") == [
        "qa",
        "job",
        "failed",
        "times",
        "x2",
        "db",
    ]
