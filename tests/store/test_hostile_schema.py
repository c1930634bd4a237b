"""A workspace whose schema was changed outside rca-desk is refused before it runs anything.

A trigger or view planted in a file would run inside the app's own transactions. So the
file's schema objects must be exactly those the migrations up to its version make (built
by running them in memory), compared token by token; a newer-minor file may add tables,
indexes and columns, never triggers or views. A refused file keeps every byte, and no
``-wal``/``-shm`` is left beside it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import Workspace, WorkspaceError
from rca_desk.store import workspace as workspace_module
from rca_desk.store.integrity import expected_objects, sql_tokens
from rca_desk.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration, SchemaVersion


def small_incident(title: str = "Payroll late") -> Incident:
    graph = CauseGraph(problem=f"{title}: the problem")
    top = graph.add_cause(HEAD, text="Release checklist skipped", category="SOPs")
    graph.add_cause(top, text="Nobody owns the checklist", category="SOPs", root_cause=True)
    return Incident(title=title, graph=graph)


@pytest.fixture
def closed(tmp_path: Path) -> Path:
    path = tmp_path / "team.rcadesk"
    with Workspace.open(path) as workspace:
        workspace.add_incident(small_incident())
    return path


def behind_its_back(path: Path, *statements: str, version: SchemaVersion | None = None) -> None:
    """What another program does to the file: plain sqlite3, committed, closed."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    if version is not None:
        conn.execute(f"PRAGMA user_version = {version.to_int()}")
    conn.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(path: Path) -> str:
    """Open ``path``; it must be refused with the file untouched and nothing beside it."""
    before = sha256(path)
    listing = sorted(os.listdir(path.parent))
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path, create=False)
    assert sha256(path) == before
    assert sorted(os.listdir(path.parent)) == listing  # no -wal, no -shm
    message = str(caught.value)
    assert "\n" not in message
    return message


NEWER_MINOR = SchemaVersion(SCHEMA_VERSION.major, SCHEMA_VERSION.minor + 1)

CASES: list[tuple[str, tuple[str, ...], str]] = [
    (
        "an added trigger",
        ("CREATE TRIGGER wipe AFTER INSERT ON causes BEGIN DELETE FROM incidents; END",),
        "unexpected trigger 'wipe'",
    ),
    (
        "an added view",
        ("CREATE VIEW everything AS SELECT * FROM incidents",),
        "unexpected view 'everything'",
    ),
    (
        "a table replaced by a view",
        (
            "DROP TABLE action_history",
            "CREATE VIEW action_history AS SELECT 1 AS action_id",
        ),
        "changed table 'action_history' (now a view)",
    ),
    (
        "a table replaced by a different table",
        (
            "DROP TABLE action_history",
            "CREATE TABLE action_history (action_id INTEGER, seq INTEGER, at TEXT)",
        ),
        "changed table 'action_history'",
    ),
    (
        "a changed index",
        (
            "DROP INDEX causes_parent",
            "CREATE INDEX causes_parent ON causes(parent_id)",
        ),
        "changed index 'causes_parent'",
    ),
    (
        "a changed trigger",
        (
            "DROP TRIGGER causes_root_text_ad",
            "CREATE TRIGGER causes_root_text_ad AFTER DELETE ON causes BEGIN "
            "DELETE FROM actions; END",
        ),
        "changed trigger 'causes_root_text_ad'",
    ),
    (
        "a missing index",
        ("DROP INDEX actions_incident",),
        "missing index 'actions_incident'",
    ),
    (
        "an added table",
        ("CREATE TABLE notes (body TEXT)",),
        "unexpected table 'notes'",
    ),
    (
        "an added column",
        ("ALTER TABLE incidents ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'",),
        "changed table 'incidents'",
    ),
    (
        "SQLite's statistics, which only ANALYZE makes",
        ("ANALYZE",),
        "unexpected table 'sqlite_stat1'",
    ),
]


@pytest.mark.parametrize(("_what", "statements", "difference"), CASES, ids=[c[0] for c in CASES])
def test_a_schema_changed_outside_rca_desk_is_refused_untouched(
    closed: Path, _what: str, statements: tuple[str, ...], difference: str
) -> None:
    behind_its_back(closed, *statements)
    assert refused(closed) == (
        f"{closed}: was modified outside rca-desk ({difference}); it was not opened."
    )


def test_a_changed_fts5_shadow_table_is_refused(closed: Path) -> None:
    """SQLite's own objects come out of the in-memory run too, and are compared like ours."""
    conn = sqlite3.connect(closed)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'block BLOB', 'block BLOB, x') "
        "WHERE name = 'root_cause_texts_fts_data'"
    )
    conn.commit()
    conn.close()
    assert "(changed table 'root_cause_texts_fts_data')" in refused(closed)


def test_the_first_difference_named_is_planted_code(closed: Path) -> None:
    """With several differences, a trigger or view is named first: it is what matters."""
    behind_its_back(
        closed,
        "DROP INDEX actions_incident",
        "CREATE TABLE zzz (x)",
        "CREATE VIEW zz_view AS SELECT 1",
    )
    assert "(unexpected view 'zz_view')" in refused(closed)


def test_whitespace_and_comments_do_not_count(closed: Path) -> None:
    """The same SQL laid out differently (as another tool may store it) is the same."""
    conn = sqlite3.connect(closed)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'causes_parent'").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    relaid = sql.replace(" ON ", "\n   /* the parent */ ON\t").replace(",", " ,  -- two\n")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'causes_parent'", (relaid,))
    conn.commit()
    conn.close()
    assert sql_tokens(relaid) == sql_tokens(sql)
    with Workspace.open(closed, create=False) as workspace:
        assert [s.title for s in workspace.incidents()] == ["Payroll late"]


def test_a_changed_string_constant_counts(closed: Path) -> None:
    """Only layout is ignored: a default's text is part of the schema."""
    conn = sqlite3.connect(closed)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'DEFAULT ''hypothesis''', "
        "'DEFAULT ''verified''') WHERE name = 'causes'"
    )
    conn.commit()
    conn.close()
    assert "(changed table 'causes')" in refused(closed)


# ----------------------------------------------------------------- newer minor
def test_a_newer_minor_may_add_tables_indexes_and_columns(closed: Path) -> None:
    behind_its_back(
        closed,
        "CREATE TABLE review_notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT '')",
        "CREATE INDEX review_notes_body ON review_notes(body)",
        "CREATE INDEX causes_text ON causes(text)",
        "ALTER TABLE causes ADD COLUMN weight INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE causes ADD COLUMN colour TEXT COLLATE NOCASE",
        version=NEWER_MINOR,
    )
    with Workspace.open(closed, create=False) as workspace:
        workspace.add_incident(small_incident("Written by the older app"))
        assert len(workspace.incidents()) == 2


HISTORY_CHANGED = "changed table 'action_history'"


def history_as(
    note: str = "note TEXT NOT NULL DEFAULT '',", table_end: str = ")"
) -> tuple[str, ...]:
    """action_history made again with its note column or the end of its SQL changed."""
    return (
        "DROP TABLE action_history",
        "CREATE TABLE action_history (action_id INTEGER NOT NULL REFERENCES actions(id) "
        "ON DELETE CASCADE, seq INTEGER NOT NULL, at TEXT NOT NULL, from_status TEXT, "
        f"to_status TEXT NOT NULL, {note} PRIMARY KEY (action_id, seq){table_end}",
    )


@pytest.mark.parametrize(
    ("statements", "difference"),
    [
        (
            ("CREATE TRIGGER log AFTER INSERT ON causes BEGIN SELECT 1; END",),
            "unexpected trigger 'log'",
        ),
        (("CREATE VIEW recent AS SELECT * FROM incidents",), "unexpected view 'recent'"),
        (
            ("DROP INDEX causes_parent", "CREATE INDEX causes_parent ON causes(parent_id)"),
            "changed index 'causes_parent'",
        ),
        (("DROP INDEX cause_links_cause",), "missing index 'cause_links_cause'"),
        (
            ("ALTER TABLE causes ADD COLUMN weight INTEGER CHECK (weight > 0)",),
            "changed table 'causes'",
        ),
        (
            ("ALTER TABLE causes ADD COLUMN owner_id INTEGER REFERENCES incidents(id)",),
            "changed table 'causes'",
        ),
        (
            ("ALTER TABLE causes ADD COLUMN loud TEXT AS (upper(text))",),
            "changed table 'causes'",
        ),
        # Only a table may have columns added; an index that gained one is changed.
        (
            (
                "DROP INDEX causes_parent",
                "CREATE INDEX causes_parent ON causes(incident_id, parent_id, position)",
            ),
            "changed index 'causes_parent'",
        ),
        (history_as("note BLOB NOT NULL DEFAULT '', extra TEXT,"), HISTORY_CHANGED),
        (history_as("note TEXT NOT NULL DEFAULT '' COLLATE NOCASE,"), HISTORY_CHANGED),
        (history_as(table_end=") STRICT"), HISTORY_CHANGED),
    ],
    ids=[
        "trigger",
        "view",
        "changed index",
        "missing index",
        "column check",
        "column reference",
        "generated column",
        "index with a column added",
        "column type changed",
        "column collation changed",
        "table made strict",
    ],
)
def test_a_newer_minor_adds_no_code_and_changes_nothing_this_app_made(
    closed: Path, statements: tuple[str, ...], difference: str
) -> None:
    behind_its_back(closed, *statements, version=NEWER_MINOR)
    assert refused(closed) == (
        f"{closed}: was modified outside rca-desk ({difference}); it was not opened."
    )


# ----------------------------------------------------- derived from MIGRATIONS
def test_the_expected_schema_follows_the_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new migration is covered without touching the check: a file it made opens with
    the app that knows it; an app a minor step older refuses the step's trigger."""
    step = Migration(
        NEWER_MINOR,
        """
        CREATE TABLE cause_log (incident_id INTEGER, cause_id TEXT);
        CREATE TRIGGER cause_log_ai AFTER INSERT ON causes BEGIN
            INSERT INTO cause_log VALUES (new.incident_id, new.id);
        END;
        """,
    )
    path = tmp_path / "next.rcadesk"
    monkeypatch.setattr(workspace_module, "MIGRATIONS", (*MIGRATIONS, step))
    with Workspace.open(path) as workspace:
        workspace.add_incident(small_incident())
    with Workspace.open(path, create=False) as workspace:  # checked against 0.3: fine
        assert workspace.conn.execute("SELECT count(*) FROM cause_log").fetchone()[0] == 3
    monkeypatch.undo()
    assert "(unexpected trigger 'cause_log_ai')" in refused(path)


def test_the_expected_schema_is_built_once_per_version(closed: Path) -> None:
    from rca_desk.store.workspace import _statements

    expected_objects.cache_clear()
    for _ in range(3):
        Workspace.open(closed, create=False).close()
    info = expected_objects.cache_info()
    assert (info.misses, info.hits) == (1, 2)
    objects = expected_objects(MIGRATIONS, SCHEMA_VERSION, _statements)
    # SQLite's own objects are part of it: automatic indexes and FTS5 shadow tables.
    assert {"sqlite_autoindex_incidents_1", "root_cause_texts_fts_data"} <= set(objects)


def test_the_expected_schema_at_each_version_is_what_the_migrations_make() -> None:
    from rca_desk.store.workspace import _statements

    assert expected_objects(MIGRATIONS, SchemaVersion(0, 0), _statements) == {}
    first = expected_objects(MIGRATIONS, MIGRATIONS[0].version, _statements)
    assert "incidents" in first
    assert "root_cause_texts" not in first  # made by the second step
    assert set(first) < set(expected_objects(MIGRATIONS, SCHEMA_VERSION, _statements))


# ---------------------------------------------------------- trusted schema
def test_the_workspace_does_not_trust_its_schema_and_its_triggers_need_no_trust(
    tmp_path: Path,
) -> None:
    """``trusted_schema = OFF`` on every connection: since 1.0 no trigger of ours writes
    the FTS5 table (a queue does), so even a plain untrusting connection can edit causes."""
    path = tmp_path / "team.rcadesk"
    with Workspace.open(path) as workspace:
        workspace.add_incident(small_incident())
        assert workspace.conn.execute("PRAGMA trusted_schema").fetchone() == (0,)
        untrusting = sqlite3.connect(path, isolation_level=None)
        untrusting.execute("PRAGMA trusted_schema = OFF")
        try:
            untrusting.execute(
                "UPDATE causes SET is_root = 1 - is_root WHERE parent_id = ?", (HEAD,)
            )
        finally:
            untrusting.close()


def test_adding_a_root_cause_works_on_the_hardened_connection(tmp_path: Path) -> None:
    """Whatever hardening the connection gets, the app's own triggers keep working."""
    with Workspace.open(tmp_path / "team.rcadesk") as workspace:
        workspace.add_incident(small_incident())
        hits = workspace.conn.execute(
            "SELECT count(*) FROM root_cause_texts_fts WHERE root_cause_texts_fts MATCH 'owns'"
        ).fetchone()[0]
        assert hits == 1
