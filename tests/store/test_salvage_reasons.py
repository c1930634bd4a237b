"""A damaged value is named by what it is to the user, whichever value it is.

When one stored value of an incident cannot be read, the incident is quarantined and the
reason shown is the first problem salvage found ("the action owner is not valid
UTF-8"). Every value the salvage reads is damaged here in turn, and the reason must name
that value in the app's words and say what is wrong with it; the rest of the incident is
still read.
"""

from __future__ import annotations

import sqlite3

import pytest

from rca_desk.model import ActionStatus, Incident
from rca_desk.store import DamagedIncidentError, Workspace
from rca_desk.store.damage import salvage_incident

#: About what only a workspace file has; the server's own are in test_server_workspace.py.
pytestmark = pytest.mark.file_only

NOT_UTF8 = "CAST(x'41ff42' AS TEXT)"  # "A", a byte that is not UTF-8, "B"


def first_action(sample: Incident) -> int:
    number = sample.actions[0].number
    assert number is not None
    return number


# (table, column, which row, stored value) -> the first problem salvage names
CASES: dict[str, tuple[str, str, str, str]] = {
    "title": ("incidents", "title", "", "the title is not valid UTF-8"),
    "affected": ("incidents", "affected", "", "the affected client is not valid UTF-8"),
    "description": ("incidents", "description", "", "the description is not valid UTF-8"),
    "operational": (
        "incidents",
        "impact_operational",
        "",
        "the operational impact is not valid UTF-8",
    ),
    "financial": ("incidents", "impact_financial", "", "the financial impact is not valid UTF-8"),
    "reputational": (
        "incidents",
        "impact_reputational",
        "",
        "the reputational impact is not valid UTF-8",
    ),
    "compliance": (
        "incidents",
        "impact_compliance",
        "",
        "the compliance impact is not valid UTF-8",
    ),
    "containment": ("incidents", "containment", "", "the containment is not valid UTF-8"),
    "incident uid": ("incidents", "uid", "", "the incident's uid is not valid UTF-8"),
    "cause text": ("causes", "text", "id = 'qc-2'", "the cause text is not valid UTF-8"),
    "evidence note": (
        "causes",
        "evidence_note",
        "id = 'qc-2'",
        "the evidence note is not valid UTF-8",
    ),
    "action title": ("actions", "title", "ACTION", "the action title is not valid UTF-8"),
    "action owner": ("actions", "owner", "ACTION", "the action owner is not valid UTF-8"),
    "metric": ("actions", "metric", "ACTION", "the success metric is not valid UTF-8"),
    "target": ("actions", "target", "ACTION", "the success target is not valid UTF-8"),
    "notes": ("actions", "notes", "ACTION", "the action notes is not valid UTF-8"),
    "action uid": ("actions", "uid", "ACTION", "the action's uid is not valid UTF-8"),
    "cause's parent": (
        "causes",
        "parent_id",
        "id = 'com-4'",
        "the cause's parent is not valid UTF-8",
    ),
    "cause id": ("causes", "id", "id = 'com-4'", "the cause id is not valid UTF-8"),
    "link": ("cause_links", "effect_id", "", "the link is not valid UTF-8"),
    "history note": (
        "action_history",
        "note",
        "HISTORY",
        "the status change note is not valid UTF-8",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_text_that_is_not_utf8_is_named_by_what_it_is(
    sample_workspace: Workspace, sample: Incident, case: str
) -> None:
    table, column, where, reason = CASES[case]
    number = first_action(sample)
    where = {
        "": f"incident_id = {sample.id}" if table == "cause_links" else f"id = {sample.id}",
        "ACTION": f"id = {number}",
        "HISTORY": f"action_id = {number}",
    }.get(where, where)
    conn = sqlite3.connect(sample_workspace.path, isolation_level=None)
    conn.execute(f"UPDATE {table} SET {column} = {NOT_UTF8} WHERE {where}")
    conn.close()

    with pytest.raises(DamagedIncidentError) as caught:
        sample_workspace.load(sample.id)  # type: ignore[arg-type]
    assert reason in str(caught.value)
    salvaged, problems = salvage_incident(sample_workspace.conn, sample.id)  # type: ignore[arg-type]
    assert problems[0] == reason
    assert len(salvaged.graph) == len(sample.graph)
    assert [a.number for a in salvaged.actions] == [a.number for a in sample.actions]


# (table, column, which row, stored value, the first problem salvage names)
VALUES: dict[str, tuple[str, str, str, str, str]] = {
    "evidence": (
        "causes",
        "evidence",
        "id = 'qc-2'",
        "'rumour'",
        "unknown evidence status 'rumour'",
    ),
    "root flag": (
        "causes",
        "is_root",
        "id = 'qc-2'",
        "'yes'",
        "the root-cause flag is text, not a whole number",
    ),
    "category": ("causes", "category", "id = 'qc-2'", "'   '", "the category '   ' is not usable"),
    "whys depth": (
        "incidents",
        "whys_depth",
        "",
        "'deep'",
        "the five-whys depth is text, not a whole number",
    ),
    "whys depth too deep": (
        "incidents",
        "whys_depth",
        "",
        "99",
        "the five-whys depth 99 is not between 1 and 20",
    ),
    "strength": ("actions", "strength", "ACTION", "'mighty'", "unknown strength 'mighty'"),
    "action status": ("actions", "status", "ACTION", "'paused'", "unknown action status 'paused'"),
    "due": ("actions", "due", "ACTION", "'soon'", "the due date 'soon' is not a date"),
    "verify on": (
        "actions",
        "verify_on",
        "ACTION",
        "'later'",
        "the verification date 'later' is not a date",
    ),
    "history from": (
        "action_history",
        "from_status",
        "HISTORY",
        "'bogus'",
        "unknown action status 'bogus'",
    ),
    "history to": (
        "action_history",
        "to_status",
        "HISTORY",
        "'bogus'",
        "unknown action status 'bogus'",
    ),
    "categories not JSON": (
        "incidents",
        "categories",
        "",
        "'[\"SOPs\"'",
        "the category list is not readable",
    ),
    "categories not a list": (
        "incidents",
        "categories",
        "",
        "'{}'",
        "the category list is not a list",
    ),
    "history time": (
        "action_history",
        "at",
        "HISTORY",
        "'then'",
        "the status change time 'then' is not a date and time",
    ),
}


@pytest.mark.parametrize("case", VALUES, ids=list(VALUES))
def test_an_unusable_value_is_named_by_what_it_is(
    sample_workspace: Workspace, sample: Incident, case: str
) -> None:
    table, column, where, value, reason = VALUES[case]
    number = first_action(sample)
    where = {
        "": f"id = {sample.id}",
        "ACTION": f"id = {number}",
        "HISTORY": f"action_id = {number} AND seq = (SELECT max(seq) FROM action_history "
        f"WHERE action_id = {number})",
    }.get(where, where)
    conn = sqlite3.connect(sample_workspace.path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(f"UPDATE {table} SET {column} = {value} WHERE {where}")
    conn.close()

    salvaged, problems = salvage_incident(sample_workspace.conn, sample.id)  # type: ignore[arg-type]
    assert problems[0] == reason
    assert len(salvaged.graph) == len(sample.graph)


def tamper(workspace: Workspace, *statements: str) -> None:
    conn = sqlite3.connect(workspace.path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        conn.execute(statement)
    conn.close()


@pytest.mark.parametrize(("depth", "kept"), [(1, True), (20, True), (0, False), (21, False)])
def test_the_five_whys_depth_is_kept_from_1_to_20(
    sample_workspace: Workspace, sample: Incident, depth: int, kept: bool
) -> None:
    tamper(sample_workspace, f"UPDATE incidents SET whys_depth = {depth}")
    salvaged, problems = salvage_incident(sample_workspace.conn, sample.id)  # type: ignore[arg-type]
    assert (salvaged.whys_depth == depth) is kept
    assert problems == ([] if kept else [f"the five-whys depth {depth} is not between 1 and 20"])


def test_without_a_problem_statement_the_causes_are_still_read(
    sample_workspace: Workspace, sample: Incident
) -> None:
    tamper(sample_workspace, "DELETE FROM causes WHERE parent_id IS NULL")
    salvaged, problems = salvage_incident(sample_workspace.conn, sample.id)  # type: ignore[arg-type]
    assert problems[0] == "the problem statement is missing"
    assert salvaged.graph.problem == "(problem statement missing)"
    assert len(salvaged.graph) == len(sample.graph)


def test_a_verification_date_before_the_due_date_is_dropped(
    sample_workspace: Workspace, sample: Incident
) -> None:
    action = sample.actions[0]
    tamper(
        sample_workspace,
        f"UPDATE actions SET due = '2026-12-10', verify_on = '2026-12-09' "
        f"WHERE id = {action.number}",
        f"UPDATE actions SET due = '2026-12-10', verify_on = '2026-12-10' "
        f"WHERE id = {sample.actions[1].number}",
    )
    salvaged, problems = salvage_incident(sample_workspace.conn, sample.id)  # type: ignore[arg-type]
    assert problems == [
        f"action {action.title!r}: the verification date is before the due date",
        # ...and without one an action in progress is not one: it is kept as a proposal.
        f"Action {action.title!r} cannot be in progress without a verification date.",
    ]
    assert salvaged.actions[0].verify_on is None
    assert salvaged.actions[0].status is ActionStatus.PROPOSED
    assert salvaged.actions[1].verify_on == salvaged.actions[1].due  # the same day is fine


def test_an_action_that_lost_its_root_causes_is_named(
    sample_workspace: Workspace, sample: Incident
) -> None:
    action = sample.actions[0]
    tamper(
        sample_workspace,
        f"UPDATE action_causes SET cause_id = 'gone' WHERE action_id = {action.number}",
    )
    salvaged, problems = salvage_incident(sample_workspace.conn, sample.id)  # type: ignore[arg-type]
    assert problems == [
        f"action {action.title!r} lost root causes it addressed",
        f"action {action.title!r} addresses no readable root cause and was left out",
    ]
    assert [a.uid for a in salvaged.actions] == [a.uid for a in sample.actions[1:]]
