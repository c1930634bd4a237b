"""Every edit is committed when it is made, whole or not at all.

"A crash loses nothing that was on screen": after each kind of edit a *second* connection
(another :class:`Workspace` on the same file, and plain ``sqlite3``) sees the change at
once, and loading the incident there gives exactly the incident in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from rca_desk.interchange.json_format import dumps
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Incident,
    PreventiveAction,
    Severity,
    Strength,
)
from rca_desk.store import Workspace, WorkspaceError, open_workspace
from rca_desk.store.schema import TABLES
from tests.conftest import TODAY
from tests.store.backends import let_inserts_work, make_inserts_fail, raw

AT = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def second(sample_workspace: Workspace) -> Iterator[Workspace]:
    """Another workspace object on the same file, as a second window or process has."""
    other = open_workspace(sample_workspace.location, create=False)
    yield other
    other.close()


def seen_by(other: Workspace, incident: Incident) -> str:
    assert incident.id is not None
    return dumps([other.load(incident.id)])


def test_add_incident(sample_workspace: Workspace, second: Workspace) -> None:
    incident = Incident(
        title="Payroll run late",
        graph=CauseGraph(problem="Salaries were paid a day late"),
        severity=Severity.CRITICAL,
    )
    new_id = sample_workspace.add_incident(incident)
    assert [s.title for s in second.incidents()][-1] == "Payroll run late"
    assert seen_by(second, incident) == dumps([incident])
    assert raw(
        second.location, "SELECT title, severity FROM incidents WHERE id = ?", (new_id,)
    ) == [("Payroll run late", "critical")]


def test_save_cause_new(sample_workspace: Workspace, second: Workspace, sample: Incident) -> None:
    cid = sample.graph.add_cause("tech-1", text="A second answer", index=0, cause_id="new-1")
    sample_workspace.save_cause(sample, cid)
    assert second.load(sample.id).graph.children("tech-1")[0] == "new-1"  # type: ignore[arg-type]
    assert seen_by(second, sample) == dumps([sample])
    assert raw(second.location, "SELECT text, parent_id FROM causes WHERE id = 'new-1'") == [
        ("A second answer", "tech-1")
    ]


def test_save_cause_edited(
    sample_workspace: Workspace, second: Workspace, sample: Incident
) -> None:
    sample.update_cause("sop-4", text="No step makes the snapshot happen", evidence="verified")
    sample_workspace.save_cause(sample, "sop-4")
    assert second.load(sample.id).graph.cause("sop-4").text.startswith("No step")  # type: ignore[arg-type]
    assert seen_by(second, sample) == dumps([sample])
    assert raw(second.location, "SELECT evidence FROM causes WHERE id = 'sop-4'") == [("verified",)]


def test_save_cause_moved(sample_workspace: Workspace, second: Workspace, sample: Incident) -> None:
    sample.graph.move_cause("sop-5", "trn-1", index=0)
    sample_workspace.save_cause(sample, "sop-5")
    loaded = second.load(sample.id)  # type: ignore[arg-type]
    assert loaded.graph.parent("sop-5") == "trn-1"
    assert loaded.graph.children("trn-1") == ("sop-5", "trn-2")
    assert seen_by(second, sample) == dumps([sample])


def test_save_subtree_after_undo(
    sample_workspace: Workspace, second: Workspace, sample: Incident
) -> None:
    deep = sample.graph.add_cause("com-4", text="Release notes are written from tickets")
    sample.graph.add_link("sop-2", deep)
    sample_workspace.save_cause(sample, deep)
    sample_workspace.save_link(sample, "sop-2", deep, present=True)
    whole = dumps([sample])

    removed = sample.remove_cause("com-4")
    sample_workspace.delete_cause(sample, "com-4")
    assert seen_by(second, sample) == dumps([sample]) != whole
    sample.graph.restore(removed)
    sample_workspace.save_subtree(sample, "com-4")
    assert seen_by(second, sample) == dumps([sample]) == whole


def test_delete_cause_cascades_to_subtree_and_links(
    sample_workspace: Workspace, second: Workspace, sample: Incident
) -> None:
    deep = sample.graph.add_cause("com-4", text="Release notes are written from tickets")
    sample_workspace.save_cause(sample, deep)
    sample.graph.add_link("sop-2", deep)
    sample_workspace.save_link(sample, "sop-2", deep, present=True)
    assert raw(second.location, "SELECT count(*) FROM cause_links") == [(2,)]

    sample.remove_cause("com-4")
    sample_workspace.delete_cause(sample, "com-4")

    loaded = second.load(sample.id)  # type: ignore[arg-type]
    assert "com-4" not in loaded.graph
    assert deep not in loaded.graph
    assert raw(
        second.location, "SELECT count(*) FROM causes WHERE id IN ('com-4', ?)", (deep,)
    ) == [(0,)]
    assert raw(second.location, "SELECT effect_id, cause_id FROM cause_links") == [
        ("qc-2", "tech-4")
    ]
    assert seen_by(second, sample) == dumps([sample])


@pytest.mark.parametrize("present", [True, False])
def test_save_link(
    sample_workspace: Workspace, second: Workspace, sample: Incident, present: bool
) -> None:
    if present:
        sample.graph.add_link("com-2", "sop-5")
        sample_workspace.save_link(sample, "com-2", "sop-5", present=True)
        expected = [("com-2", "sop-5"), ("qc-2", "tech-4")]
    else:
        sample.graph.remove_link("qc-2", "tech-4")
        sample_workspace.save_link(sample, "qc-2", "tech-4", present=False)
        expected = []
    assert sorted(second.load(sample.id).graph.links()) == expected  # type: ignore[arg-type]
    assert (
        raw(second.location, "SELECT effect_id, cause_id FROM cause_links ORDER BY 1") == expected
    )


def test_save_action_new_then_status_change(
    sample_workspace: Workspace, second: Workspace, sample: Incident
) -> None:
    action = PreventiveAction.propose(
        at=AT,
        note="Workshop",
        title="Key-account contact list in the incident plan",
        root_causes=["com-3"],
        owner="Sam",
        due=date(2026, 12, 1),
        verify_on=date(2027, 1, 1),
        strength=Strength.WEAK,
        metric="accounts told first",
        target="all",
    )
    sample.add_action(action)
    number = sample_workspace.save_action(sample, action)
    assert action.number == number
    assert raw(second.location, "SELECT title, status FROM actions WHERE id = ?", (number,)) == [
        ("Key-account contact list in the incident plan", "proposed")
    ]
    assert seen_by(second, sample) == dumps([sample])

    action.change_status(ActionStatus.COMMITTED, at=AT, note="agreed")
    assert sample_workspace.save_action(sample, action) == number  # same row, updated
    reloaded = second.load(sample.id).action(action.uid)  # type: ignore[arg-type]
    assert reloaded.status is ActionStatus.COMMITTED
    assert [c.to_status for c in reloaded.history] == [
        ActionStatus.PROPOSED,
        ActionStatus.COMMITTED,
    ]
    assert raw(
        second.location, "SELECT seq, to_status FROM action_history WHERE action_id = ?", (number,)
    ) == [(0, "proposed"), (1, "committed")]
    assert seen_by(second, sample) == dumps([sample])


def test_save_action_root_causes_changed(
    sample_workspace: Workspace, second: Workspace, sample: Incident
) -> None:
    action = sample.actions[0].with_changes(root_causes=["qc-3", "tech-5"])
    sample.replace_action(action)
    sample_workspace.save_action(sample, action)
    assert second.load(sample.id).action(action.uid).root_causes == ["qc-3", "tech-5"]  # type: ignore[arg-type]
    assert seen_by(second, sample) == dumps([sample])


def test_delete_action(sample_workspace: Workspace, second: Workspace, sample: Incident) -> None:
    _, action = sample.remove_action(sample.actions[2].uid)
    sample_workspace.delete_action(sample, action)
    assert action.uid not in {a.uid for a in second.load(sample.id).actions}  # type: ignore[arg-type]
    for table in ("actions", "action_causes", "action_history"):
        column = "id" if table == "actions" else "action_id"
        rows = raw(
            second.location, f"SELECT count(*) FROM {table} WHERE {column} = ?", (action.number,)
        )
        assert rows == [(0,)], table
    assert seen_by(second, sample) == dumps([sample])


def test_save_incident_fields(
    sample_workspace: Workspace, second: Workspace, sample: Incident
) -> None:
    sample.update_fields(title="Northwind data loss", severity=Severity.CRITICAL, whys_depth=7)
    sample.graph.set_problem("Northwind lost a business day of reporting")
    sample.graph.set_categories([*sample.graph.categories, "Suppliers"])
    sample_workspace.save_incident_fields(sample)

    summary = second.incidents()[0]
    assert (summary.title, summary.severity) == ("Northwind data loss", Severity.CRITICAL)
    loaded = second.load(sample.id)  # type: ignore[arg-type]
    assert loaded.graph.problem == "Northwind lost a business day of reporting"
    assert loaded.graph.categories[-1] == "Suppliers"
    assert loaded.whys_depth == 7
    assert seen_by(second, sample) == dumps([sample])


def test_delete_incident_cascades_everywhere(
    sample_workspace: Workspace, second: Workspace, sample: Incident
) -> None:
    """Foreign keys are really on: one DELETE clears every table of the incident's rows."""
    other = sample_incidents(TODAY)[0]
    sample_workspace.add_incident(other)
    sample_workspace.delete_incident(sample.id)  # type: ignore[arg-type]

    assert [s.uid for s in second.incidents()] == [other.uid]
    for table in TABLES:
        if table == "incidents":
            continue
        column = "incident_id" if table not in ("action_history",) else None
        if column is None:
            orphans = raw(
                second.location,
                "SELECT count(*) FROM action_history h "
                "WHERE NOT EXISTS (SELECT 1 FROM actions a WHERE a.id = h.action_id)",
            )
        else:
            orphans = raw(
                second.location, f"SELECT count(*) FROM {table} WHERE {column} = ?", (sample.id,)
            )
        assert orphans == [(0,)], table
    # The other incident is whole.
    assert seen_by(second, other) == dumps([other])


def test_a_foreign_key_violation_is_refused_by_the_database(workspace: Workspace) -> None:
    """Not just a pragma that reads 1: the database itself refuses a dangling reference."""
    with pytest.raises(workspace.DRIVER_ERROR, match=r"(?i)foreign key"):
        workspace.conn.execute(
            "INSERT INTO causes (incident_id, id, parent_id, text) VALUES (999, 'x', NULL, 't')"
        )


# ------------------------------------------------------------------ transactions
def test_an_exception_rolls_back_the_whole_transaction(
    sample_workspace: Workspace, sample: Incident
) -> None:
    before = sample_workspace.content()
    extra = sample_incidents(TODAY)[0]
    with pytest.raises(RuntimeError, match="boom"), sample_workspace.transaction():
        sample_workspace.add_incident(extra)
        sample.update_cause("sop-4", text="Changed inside the failed transaction")
        sample_workspace.save_cause(sample, "sop-4")
        sample_workspace.delete_incident(sample.id)  # type: ignore[arg-type]
        raise RuntimeError("boom")
    assert sample_workspace.content() == before
    assert not sample_workspace.conn.in_transaction


def test_a_database_error_rolls_back_and_becomes_a_workspace_error(
    sample_workspace: Workspace, sample: Incident
) -> None:
    """The action row goes in first; then SQLite fails on its root causes (as a full disk
    would), and the action row must go too."""
    before = sample_workspace.content()
    root = sample.graph.root_causes()[0]
    action = PreventiveAction(title="Address it", root_causes=[root])
    sample.add_action(action)
    make_inserts_fail(sample_workspace, "action_causes", "database or disk is full")
    with pytest.raises(WorkspaceError, match="could not be saved") as caught:
        sample_workspace.save_action(sample, action)
    assert sample_workspace.location in str(caught.value)
    assert sample_workspace.content() == before
    # The workspace is still usable afterwards.
    let_inserts_work(sample_workspace, "action_causes")
    sample_workspace.save_action(sample, action)
    assert sample_workspace.load(sample.id).action(action.uid).root_causes == [root]  # type: ignore[arg-type]


def test_add_incidents_is_all_or_nothing(sample_workspace: Workspace, sample: Incident) -> None:
    before = sample_workspace.content()
    fresh = sample_incidents(TODAY)[0]
    duplicate = Incident(title="Same uid as the sample", uid=sample.uid)
    with pytest.raises(WorkspaceError, match="already in this workspace"):
        sample_workspace.add_incidents([fresh, duplicate])
    assert sample_workspace.content() == before


def test_a_failed_inner_step_rolls_back_only_itself(workspace: Workspace) -> None:
    """Nested transactions are savepoints: the outer action decides what is kept."""
    kept, dropped = sample_incidents(TODAY)[0], sample_incidents(TODAY)[0]
    with workspace.transaction():
        workspace.add_incident(kept)
        with pytest.raises(ValueError), workspace.transaction():
            workspace.add_incident(dropped)
            raise ValueError("inner")
    assert [s.uid for s in workspace.incidents()] == [kept.uid]


def test_writes_need_an_added_incident(workspace: Workspace) -> None:
    loose = Incident(title="Never added")
    cid = loose.graph.add_cause(HEAD, text="Some cause")
    with pytest.raises(WorkspaceError, match="has not been added"):
        workspace.save_cause(loose, cid)
    assert workspace.content() == {table: [] for table in TABLES}
