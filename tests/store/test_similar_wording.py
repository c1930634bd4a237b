"""The review's "similar wording" list and its Pareto records, read from a workspace: how
many come back, in which order, and with which incident and category."""

from __future__ import annotations

from datetime import datetime

from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import Workspace


def add(
    ws: Workspace,
    title: str,
    root: str,
    *,
    category: str = "Technology",
    occurred_at: datetime | None = None,
) -> int:
    graph = CauseGraph(problem=title)
    graph.add_cause(HEAD, text=root, category=category, root_cause=True, cause_id="r1")
    return ws.add_incident(Incident(title=title, graph=graph, occurred_at=occurred_at))


def test_at_most_ten_similar_root_causes_are_offered(workspace: Workspace) -> None:
    source = add(workspace, "Incident 0", "Staging data never refreshed")
    for n in range(1, 13):
        add(workspace, f"Incident {n}", "Staging data never refreshed")
    assert len(workspace.similar_root_causes(source, "r1")) == 10
    assert len(workspace.similar_to_text("staging data")) == 10


def test_a_limit_of_one_gives_the_best_match(workspace: Workspace) -> None:
    add(workspace, "Payroll late", "Staging data never refreshed after schema changes")
    add(workspace, "Invoices doubled", "Retry logic resends staging batches")
    hits = workspace.similar_to_text("staging data refreshed", limit=1)
    assert [(h.incident_title, h.text) for h in hits] == [
        ("Payroll late", "Staging data never refreshed after schema changes")
    ]
    assert workspace.similar_to_text("staging data refreshed", limit=0) == []


def test_root_cause_records_carry_incident_cause_text_category_and_date(
    workspace: Workspace,
) -> None:
    dated = add(
        workspace,
        "Payroll late",
        "Release checklist lacks migrations",
        category="SOPs",
        occurred_at=datetime(2026, 5, 1, 9, 30),
    )
    undated = add(workspace, "Invoices doubled", "Retry logic resends batches")
    records = workspace.root_cause_records()
    assert [
        (r.incident_id, r.incident_title, r.occurred_at, r.cause_id, r.text, r.category)
        for r in records
    ] == [
        (
            dated,
            "Payroll late",
            datetime(2026, 5, 1, 9, 30),
            "r1",
            "Release checklist lacks migrations",
            "SOPs",
        ),
        (undated, "Invoices doubled", None, "r1", "Retry logic resends batches", "Technology"),
    ]
    assert (dated, undated) == (1, 2)
