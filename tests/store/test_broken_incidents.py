"""A stored incident that breaks a rule spanning rows opens anyway, and one call repairs it.

Such files come from an older rca-desk, a hand edit, or a restored copy; each test makes
one behind the app's back with plain ``sqlite3`` (foreign keys off, as a careless tool
would) and checks that loading names the problem and shows the incident with the repair
applied, that :meth:`Workspace.repair` writes exactly that, and that nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from rca_desk.interchange.json_format import dumps
from rca_desk.model import HEAD, Incident
from rca_desk.store import BrokenIncidentError, Workspace
from rca_desk.store.repair import PLACEHOLDER_TEXT, StoredAction, StoredCause, plan_repairs
from tests.store.backends import assert_sound, row_counts, tamper


def broken(workspace: Workspace, incident_id: int) -> BrokenIncidentError:
    with pytest.raises(BrokenIncidentError) as caught:
        workspace.load(incident_id)
    return caught.value


CYCLE = (
    "UPDATE causes SET parent_id = 'sop-5', rev = 10 WHERE id = 'sop-4'",
    "UPDATE causes SET parent_id = 'sop-4', rev = 20 WHERE id = 'sop-5'",
)


def test_a_stored_cycle_opens_with_the_newest_edge_broken(
    sample_workspace: Workspace, sample: Incident
) -> None:
    tamper(sample_workspace.location, *CYCLE)
    error = broken(sample_workspace, sample.id)  # type: ignore[arg-type]
    assert [r.kind for r in error.repairs] == ["rehang"]
    assert error.repairs[0].cause == "sop-5"  # written last: the newest edge
    assert "explain each other (a cycle)" in str(error)
    shown = error.incident
    assert shown.graph.parent("sop-5") == HEAD and shown.graph.parent("sop-4") == "sop-5"
    assert len(shown.graph) == len(sample.graph)  # nothing left out of the view

    before = row_counts(sample_workspace.location)
    assert [r.kind for r in sample_workspace.repair(sample.id)] == ["rehang"]  # type: ignore[arg-type]
    repaired = sample_workspace.load(sample.id)  # type: ignore[arg-type]
    assert dumps([repaired]) == dumps([shown])  # what was shown is what was written
    assert row_counts(sample_workspace.location) == before
    assert sample_workspace.repair(sample.id) == []  # type: ignore[arg-type]


def test_an_action_on_an_unmarked_cause_gets_its_cause_marked_again_or_is_unlinked(
    sample_workspace: Workspace, sample: Incident
) -> None:
    only = next(a for a in sample.actions if a.root_causes == ["com-3"])
    two = next(a for a in sample.actions if a.root_causes == ["qc-3"])
    tamper(
        sample_workspace.location,
        "UPDATE causes SET is_root = 0 WHERE id IN ('com-3', 'tech-5')",
        f"INSERT INTO action_causes (action_id, incident_id, cause_id, position) "
        f"VALUES ({two.number}, {sample.id}, 'tech-5', 1)",
    )
    error = broken(sample_workspace, sample.id)  # type: ignore[arg-type]
    kinds = {(r.kind, r.cause) for r in error.repairs}
    assert ("mark root", "com-3") in kinds  # its only root cause: marked again
    assert ("unlink", "tech-5") in kinds  # one of two: unlinked
    assert ("mark root", "tech-5") in kinds  # the bi-weekly audit's only root cause
    sample_workspace.repair(sample.id)  # type: ignore[arg-type]
    stored = sample_workspace.load(sample.id)  # type: ignore[arg-type]
    assert stored.action(only.uid).root_causes == ["com-3"]
    assert stored.graph.cause("com-3").root_cause


def test_an_orphan_a_link_cycle_and_a_lost_root_cause_are_repaired_too(
    sample_workspace: Workspace, sample: Incident
) -> None:
    action = sample.actions[0]
    tamper(
        sample_workspace.location,
        "UPDATE causes SET parent_id = 'gone' WHERE id = 'trn-2'",
        f"INSERT INTO cause_links (incident_id, effect_id, cause_id, rev) "
        f"VALUES ({sample.id}, 'tech-4', 'qc-2', 99)",
        f"UPDATE action_causes SET cause_id = 'lost-1' WHERE action_id = {action.number}",
    )
    error = broken(sample_workspace, sample.id)  # type: ignore[arg-type]
    assert {(r.kind, r.cause) for r in error.repairs} == {
        ("rehang", "trn-2"),
        ("drop link", "qc-2"),
        ("placeholder", "lost-1"),
    }
    assert len(error.problems) == 3 and all(error.problems)
    sample_workspace.repair(sample.id)  # type: ignore[arg-type]
    stored = sample_workspace.load(sample.id)  # type: ignore[arg-type]
    assert stored.graph.parent("trn-2") == HEAD
    assert ("tech-4", "qc-2") not in stored.graph.links()
    assert ("qc-2", "tech-4") in stored.graph.links()  # the older link stays
    assert stored.graph.cause("lost-1").text == PLACEHOLDER_TEXT
    assert stored.action(action.uid).root_causes == ["lost-1"]
    assert_sound(sample_workspace)


def test_the_rest_of_the_workspace_works_while_one_incident_is_broken(
    sample_workspace: Workspace, sample: Incident
) -> None:
    other = Incident(title="Unrelated and sound")
    other_id = sample_workspace.add_incident(other)
    tamper(sample_workspace.location, *CYCLE)
    assert [s.title for s in sample_workspace.incidents()] == [sample.title, other.title]
    assert sample_workspace.load(other_id).title == "Unrelated and sound"
    assert len(sample_workspace.action_rows()) == len(sample.actions)


Rows = Callable[[], tuple[list[StoredCause], list[tuple[str, str, int]], list[StoredAction]]]


def cause(cid: str, parent: str | None, rev: int = 1, root: bool = False) -> StoredCause:
    return StoredCause(cid, parent, rev, root, f"text of {cid}")


def test_a_sound_incident_needs_no_repair() -> None:
    causes = [
        cause("problem", None),
        cause("a", HEAD),
        cause("b", "a", root=True),
        cause("c", HEAD),
    ]
    assert plan_repairs(causes, [("c", "b", 1)], [StoredAction("u", "Fix", ("b",))]) == []


def test_a_cycle_hanging_off_another_is_broken_once_each() -> None:
    causes = [
        cause("problem", None),
        cause("a", "b", rev=5),
        cause("b", "a", rev=7),
        cause("c", "a", rev=9),  # hangs off the cycle, newest of all, but not in it
        cause("d", "d", rev=1),  # its own parent
    ]
    repairs = plan_repairs(causes, [], [])
    assert [(r.kind, r.cause) for r in repairs] == [("rehang", "b"), ("rehang", "d")]
    assert "explains itself" in repairs[1].problem


def test_the_command_line_checks_exports_and_repairs_a_broken_incident(
    sample_workspace: Workspace,
    sample: Incident,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from rca_desk.cli.main import main

    tamper(sample_workspace.location, *CYCLE)
    ws = ["--workspace", sample_workspace.location]
    assert main([*ws, "check", "--json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [f["kind"] for f in found].count("breaks-a-rule") == 1
    out = tmp_path / "out.json"
    assert main([*ws, "export-json", "-o", str(out)]) == 0
    assert "rca-desk repair --incident 1" in capsys.readouterr().err
    assert json.loads(out.read_text())["incidents"][0]["title"] == sample.title
    assert main([*ws, "repair"]) == 0
    assert "a cycle" in capsys.readouterr().out
    assert main([*ws, "repair"]) == 0
    assert capsys.readouterr().out.startswith("Nothing to repair")
    assert main([*ws, "check", "--json"]) in (0, 1)
    assert "breaks-a-rule" not in capsys.readouterr().out


def test_a_link_repeating_a_cause_s_own_place_is_dropped() -> None:
    causes = [cause("problem", None), cause("a", HEAD), cause("b", "a")]
    repairs = plan_repairs(causes, [("a", "b", 3)], [])
    assert [(r.kind, r.cause, r.other) for r in repairs] == [("drop link", "b", "a")]
    assert "repeats where the cause already hangs" in repairs[0].problem


def test_a_cause_in_a_category_the_incident_does_not_list_gets_it_added(
    sample_workspace: Workspace, sample: Incident
) -> None:
    tamper(sample_workspace.location, "UPDATE causes SET category = 'Suppliers' WHERE id = 'qc-1'")
    error = broken(sample_workspace, sample.id)  # type: ignore[arg-type]
    assert [(r.kind, r.cause) for r in error.repairs] == [("add category", "Suppliers")]
    assert error.incident.graph.categories[-1] == "Suppliers"
    sample_workspace.repair(sample.id)  # type: ignore[arg-type]
    stored = sample_workspace.load(sample.id)  # type: ignore[arg-type]
    assert stored.graph.categories == [*sample.graph.categories, "Suppliers"]
    assert stored.graph.cause("qc-1").category == "Suppliers"
