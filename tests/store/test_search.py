"""Full-text search over root causes: schema v2, its triggers, and safe queries."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import Workspace, WorkspaceError
from rca_desk.store import workspace as workspace_module
from rca_desk.store.schema import MIGRATIONS, SCHEMA_VERSION, SchemaVersion
from rca_desk.store.search import (
    any_word_query,
    significant_words,
)
from tests.store.test_versions import legacy_workspace


def incident(title: str, roots: dict[str, str], *, others: tuple[str, ...] = ()) -> Incident:
    """An incident whose root causes are ``roots`` (text -> category)."""
    graph = CauseGraph(problem=title)
    for text, category in roots.items():
        top = graph.add_cause(HEAD, text=f"Why: {text[:20]}", category=category)
        graph.add_cause(top, text=text, category=category, root_cause=True)
    for text in others:
        graph.add_cause(HEAD, text=text, category="SOPs")
    return Incident(title=title, graph=graph, occurred_at=datetime(2026, 5, 1, 9, 0))


def indexed(ws: Workspace) -> set[tuple[int, str, str]]:
    """What the search index holds, read through FTS5 itself (not the mirror table)."""
    rows = ws.conn.execute(
        "SELECT t.incident_id, t.cause_id, t.text FROM root_cause_texts_fts f "
        "JOIN root_cause_texts t ON t.id = f.rowid"
    ).fetchall()
    return {tuple(r) for r in rows}  # type: ignore[misc]


def matches(ws: Workspace, word: str) -> set[str]:
    rows = ws.conn.execute(
        "SELECT t.cause_id FROM root_cause_texts_fts f JOIN root_cause_texts t "
        "ON t.id = f.rowid WHERE root_cause_texts_fts MATCH ?",
        (f'"{word}"',),
    ).fetchall()
    return {r[0] for r in rows}


@pytest.fixture
def three(workspace: Workspace) -> dict[str, int]:
    return {
        "staging": workspace.add_incident(
            incident(
                "Sales history lost",
                {
                    "Nobody owns refreshing staging data after schema changes": "SOPs",
                    "Backups skip the manual adjustments table": "Technology",
                },
                others=("Staging data is stale but this is not a root cause",),
            )
        ),
        "payroll": workspace.add_incident(
            incident(
                "Payroll file late",
                {
                    "Staging data is never refreshed, nobody owns it": "Technology",
                    "Release checklist has no step for data migrations": "SOPs",
                },
            )
        ),
        "invoices": workspace.add_incident(
            incident("Invoices duplicated", {"Retry logic resends whole batches": "Technology"})
        ),
    }


# -------------------------------------------------------------------- schema
@pytest.mark.file_only
def test_a_new_workspace_is_at_the_latest_version_with_the_index(workspace: Workspace) -> None:
    assert workspace.conn.execute("PRAGMA user_version").fetchone()[0] == 0x1_0006
    assert SchemaVersion(1, 6) == SCHEMA_VERSION
    names = {r[0] for r in workspace.conn.execute("SELECT name FROM sqlite_master")}
    assert {"root_cause_texts", "root_cause_texts_fts"} <= names
    # sqlite-utils recognises the index as belonging to the mirror table
    assert workspace.db.table("root_cause_texts").detect_fts() == "root_cause_texts_fts"


def test_a_version_1_workspace_is_migrated_and_indexed(tmp_path: Path) -> None:
    path = legacy_workspace(tmp_path, 1)
    with Workspace.open(path, create=False) as ws:
        assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION.to_int()
        incident = ws.load(1)
        roots = incident.graph.root_causes()
        assert indexed(ws) == {(1, c, incident.graph.cause(c).text) for c in roots}
        assert len(roots) == 6
        (staging,) = matches(ws, "staging")
        # the migrated file is a normal workspace: the store keeps the index from now on
        other = next(c for c in roots if c != staging)
        incident.update_cause(other, text="Staging refresh has no owner")
        ws.save_cause(incident, other)
        assert matches(ws, "staging") == {staging, other}


def test_each_migration_step_runs_alone_and_in_order(workspace_path: Path) -> None:
    """Statements split correctly even with trigger bodies (BEGIN ...; ...; END)."""
    conn = sqlite3.connect(workspace_path)
    for step in MIGRATIONS:
        for statement in workspace_module._statements(step.script):
            assert sqlite3.complete_statement(statement + ";")
            conn.execute(statement)
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    # 1.0 replaced the triggers that wrote the FTS5 index by ones that fill a queue.
    assert triggers == {
        "root_cause_texts_queue_ai",
        "root_cause_texts_queue_ad",
        "root_cause_texts_queue_au",
        "causes_root_text_ai",
        "causes_root_text_ad",
        "causes_root_text_au",
    }
    conn.close()


def test_a_newer_workspace_is_still_refused_and_left_alone(workspace_path: Path) -> None:
    with Workspace.open(workspace_path):
        pass
    conn = sqlite3.connect(workspace_path)
    conn.execute(f"PRAGMA user_version = {SchemaVersion(SCHEMA_VERSION.major + 1, 0).to_int()}")
    conn.close()
    before = workspace_path.read_bytes()
    with pytest.raises(WorkspaceError, match="newer rca-desk"):
        Workspace.open(workspace_path)
    assert workspace_path.read_bytes() == before


# ------------------------------------------------------------------ triggers
@pytest.mark.file_only
def test_triggers_follow_every_kind_of_change(workspace: Workspace, three: dict[str, int]) -> None:
    ws = workspace
    loaded = ws.load(three["staging"])
    graph = loaded.graph
    root = next(c for c in graph.root_causes() if "staging" in graph.cause(c).text)
    other = next(c for c in graph.cause_ids() if "not a root cause" in graph.cause(c).text)
    assert root in matches(ws, "staging") and other not in matches(ws, "staging")

    graph.update_cause(root, text="Staging copies are never refreshed on a schedule")
    ws.save_cause(loaded, root)  # an upsert: an UPDATE through ON CONFLICT
    assert matches(ws, "schedule") == {root}
    assert not matches(ws, "schema")

    graph.update_cause(other, root_cause=True)  # marking a cause makes it searchable
    ws.save_cause(loaded, other)
    assert other in matches(ws, "stale")
    graph.update_cause(other, root_cause=False)
    ws.save_cause(loaded, other)
    assert not matches(ws, "stale")

    parent = graph.parent(root)
    ws.delete_cause(loaded, parent)  # the root cause goes by cascade
    assert not matches(ws, "schedule")

    before = len(indexed(ws))
    ws.delete_incident(three["payroll"])
    after = indexed(ws)
    assert len(after) == before - 2 and all(i != three["payroll"] for i, _, _ in after)
    # the mirror and the FTS index agree row for row
    mirror = {
        tuple(r)
        for r in ws.conn.execute("SELECT incident_id, cause_id, text FROM root_cause_texts")
    }
    assert mirror == after


@pytest.mark.file_only
def test_position_updates_do_not_touch_the_index(
    workspace: Workspace, three: dict[str, int]
) -> None:
    ws = workspace
    before = ws.conn.execute("SELECT id, incident_id, cause_id FROM root_cause_texts").fetchall()
    ws.conn.execute("UPDATE causes SET position = position + 1")
    ws.conn.execute("UPDATE causes SET evidence = 'verified', evidence_note = 'x'")
    after = ws.conn.execute("SELECT id, incident_id, cause_id FROM root_cause_texts").fetchall()
    assert after == before  # same rowids: nothing was deleted and re-added


# -------------------------------------------------------------------- search
def test_similar_root_causes_come_from_other_incidents(
    workspace: Workspace, three: dict[str, int]
) -> None:
    ws = workspace
    source = ws.load(three["staging"])
    root = next(c for c in source.graph.root_causes() if "staging" in source.graph.cause(c).text)
    hits = ws.similar_root_causes(three["staging"], root)
    assert hits, "the payroll incident has the same weakness"
    assert hits[0].incident_id == three["payroll"]
    assert hits[0].text == "Staging data is never refreshed, nobody owns it"
    assert hits[0].incident_title == "Payroll file late"
    assert hits[0].category == "Technology"
    assert all(h.incident_id != three["staging"] for h in hits)  # never its own incident
    assert all(h.score > 0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # stemming: "refreshing" finds "refreshed"; non-root causes are never offered
    assert all("not a root cause" not in h.text for h in hits)
    assert ws.similar_root_causes(three["staging"], "no-such-cause") == []
    assert ws.similar_root_causes(three["staging"], root, limit=0) == []


def test_a_text_with_only_common_words_finds_nothing(
    workspace: Workspace, three: dict[str, int]
) -> None:
    assert workspace.similar_to_text("it was not there because of this") == []
    assert workspace.similar_to_text("") == []


HOSTILE = [
    '"',
    '""',
    '"staging',
    "staging*",
    "NEAR(staging data, 2)",
    "staging OR",
    "AND OR NOT",
    "text:staging",
    "^staging",
    "(staging",
    "staging) OR (",
    "{text}: staging",
    "- staging",
    "staging + data",
    "'; DROP TABLE causes; --",
    "\x00staging",
    "staging\u200bdata",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_fts_syntax_in_cause_text_is_only_words(
    workspace: Workspace, three: dict[str, int], text: str
) -> None:
    hits = workspace.similar_to_text(text)  # must not raise an FTS5 syntax error
    if "staging" in text.casefold():
        assert any("Staging" in h.text for h in hits)
    assert workspace.conn.execute("SELECT count(*) FROM causes").fetchone()[0] > 0


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=80))
def test_any_text_makes_a_valid_query(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    conn.execute("INSERT INTO t VALUES ('staging data refresh')")
    words = significant_words(text)
    if words:
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (any_word_query(words),)).fetchall()
    conn.close()


def test_significant_words() -> None:
    assert significant_words("The staging data is NOT refreshed; staging owners? 42 a") == [
        "staging",
        "data",
        "refreshed",
        "owners",
    ]
    assert any_word_query(["a", 'b"c']) == '"a" OR "b""c"'
    assert len(significant_words(" ".join(f"word{i}" for i in range(100)))) == 24


def test_root_cause_records(workspace: Workspace, three: dict[str, int]) -> None:
    records = workspace.root_cause_records()
    assert len(records) == 5
    assert {r.category for r in records} == {"SOPs", "Technology"}
    assert {r.incident_title for r in records} == {
        "Sales history lost",
        "Payroll file late",
        "Invoices duplicated",
    }
    assert all(r.occurred_at == datetime(2026, 5, 1, 9, 0) for r in records)


@pytest.mark.file_only
def test_a_missing_index_is_reported_not_crashed(
    workspace: Workspace, three: dict[str, int]
) -> None:
    workspace.conn.execute("DROP TABLE search_documents_fts")
    with pytest.raises(WorkspaceError, match="search index is damaged"):
        workspace.similar_to_text("staging data")


@pytest.mark.file_only
def test_the_files_own_triggers_cannot_write_the_index(workspace: Workspace) -> None:
    """``trusted_schema=OFF``: a trigger in the file may not use a virtual table."""
    workspace.conn.execute(
        "CREATE TRIGGER planted AFTER INSERT ON incidents BEGIN "
        "INSERT INTO root_cause_texts_fts (rowid, text) VALUES (999, 'planted'); END"
    )
    with pytest.raises(WorkspaceError, match="unsafe use of virtual table"):
        workspace.add_incident(Incident(title="Sets off the planted trigger"))
