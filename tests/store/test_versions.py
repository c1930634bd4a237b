"""Workspace versions a team can mix: major.minor in ``user_version``, legacy integers.

An app opens a workspace of a newer *minor* version as it is and refuses only a newer
*major* one; an older workspace, including one written before major.minor (a plain
``user_version`` of 1 or 2), is migrated one transaction per step.
"""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest

from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import Workspace, WorkspaceError, inspect_workspace_file
from rca_desk.store import workspace as workspace_module
from rca_desk.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration, SchemaVersion
from tests.store.test_open_refusals import FileState, make_workspace

DATA = Path(__file__).parent / "data"
SAMPLE_TITLE = "Northwind Retail quarter-end reporting disrupted after v4.2 update"


def legacy_workspace(tmp_path: Path, version: int) -> Path:
    """A workspace written by rca_desk before major.minor (see data/README.md)."""
    path = tmp_path / f"legacy-v{version}.rcadesk"
    path.write_bytes(gzip.decompress((DATA / f"legacy-v{version}.rcadesk.gz").read_bytes()))
    return path


def raw(path: Path, query: str) -> list[tuple[object, ...]]:
    """Read the file with plain sqlite3, as another program would, behind the app's back."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def user_version(path: Path) -> int:
    value = raw(path, "PRAGMA user_version")[0][0]
    assert isinstance(value, int)
    return value


def names(path: Path) -> set[object]:
    return {row[0] for row in raw(path, "SELECT name FROM sqlite_master")}


def small_incident(title: str) -> Incident:
    graph = CauseGraph(problem=f"{title}: the problem")
    top = graph.add_cause(HEAD, text="Release checklist skipped", category="SOPs")
    graph.add_cause(top, text="Nobody owns the checklist", category="SOPs", root_cause=True)
    return Incident(title=title, graph=graph)


# -------------------------------------------------------------------- packing
@pytest.mark.parametrize(
    ("number", "major", "minor"),
    [
        (0, 0, 0),
        (1, 0, 1),  # legacy integer 1
        (2, 0, 2),  # legacy integer 2, and today's version
        (0x0001_0000, 1, 0),
        (0x0001_0003, 1, 3),
        (0x7FFF_FFFF, 0x7FFF, 0xFFFF),
        (-1, 0xFFFF, 0xFFFF),  # what PRAGMA user_version says when every bit is set
    ],
)
def test_user_version_packs_major_high_and_minor_low(number: int, major: int, minor: int) -> None:
    version = SchemaVersion.from_int(number)
    assert (version.major, version.minor) == (major, minor)
    assert version.to_int() == number
    assert str(version) == f"{major}.{minor}"


def test_versions_compare_major_first() -> None:
    assert SchemaVersion(0, 9) < SchemaVersion(1, 0) < SchemaVersion(1, 1) < SchemaVersion(2, 0)
    with pytest.raises(ValueError, match="out of range"):
        SchemaVersion(0, 0x1_0000)


def test_migrations_climb_one_step_at_a_time_to_the_current_version() -> None:
    assert [step.version for step in MIGRATIONS] == [
        SchemaVersion(0, 1),
        SchemaVersion(0, 2),
        SchemaVersion(1, 0),
        SchemaVersion(1, 1),
        SchemaVersion(1, 2),
        SchemaVersion(1, 3),
        SchemaVersion(1, 4),
        SchemaVersion(1, 5),
        SchemaVersion(1, 6),
    ]
    assert SchemaVersion(1, 6) == SCHEMA_VERSION


# ------------------------------------------------------------ legacy integers
def test_a_legacy_version_1_workspace_opens_and_is_migrated(tmp_path: Path) -> None:
    path = legacy_workspace(tmp_path, 1)
    assert user_version(path) == 1
    assert "root_cause_texts" not in names(path)

    with Workspace.open(path, create=False) as workspace:
        (summary,) = workspace.incidents()
        assert (summary.uid, summary.title) == ("legacy-v1", SAMPLE_TITLE)
        assert (summary.causes, summary.root_causes, summary.actions) == (22, 6, 6)
        similar = workspace.conn.execute(
            "SELECT count(*) FROM root_cause_texts_fts WHERE root_cause_texts_fts MATCH 'staging'"
        ).fetchone()[0]
        assert similar == 1  # the version-2 step indexed the old root causes
        workspace.add_incident(small_incident("Written after the migration"))

    assert user_version(path) == SCHEMA_VERSION.to_int()
    assert {"root_cause_texts", "root_cause_texts_fts", "edit_counter"} <= names(path)


def test_a_legacy_version_2_workspace_is_migrated_to_1_1_after_a_backup(tmp_path: Path) -> None:
    """Version 2 *is* 0.2; 1.0 is a major step (revisions), so the file is migrated, and
    the copy taken first is the file as it was, for an app from before 1.0."""
    path = legacy_workspace(tmp_path, 2)
    before = path.read_bytes()
    with Workspace.open(path, create=False) as workspace:
        (summary,) = workspace.incidents()
        assert (summary.uid, summary.causes, summary.root_causes) == ("legacy-v2", 22, 6)
        incident = workspace.load(summary.id)
        assert incident.title == SAMPLE_TITLE
        # Rows from before revisions are at revision 0, and writable like any other.
        assert set(incident.revisions.values()) == {0}
        workspace.save_incident_fields(incident, ["title"])
    assert user_version(path) == SCHEMA_VERSION.to_int()
    (backup,) = (tmp_path / "backups").iterdir()
    assert user_version(backup) == 2
    assert raw(backup, "SELECT title FROM incidents") == [(SAMPLE_TITLE,)]
    assert "edit_counter" not in names(backup)
    assert path.read_bytes() != before


def test_each_migration_step_is_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step that fails half-way leaves the file whole at the version before it."""
    path = legacy_workspace(tmp_path, 1)
    current = SCHEMA_VERSION
    broken = Migration(
        SchemaVersion(current.major, current.minor + 1),
        "CREATE TABLE made_by_the_broken_step (x TEXT);"
        "INSERT INTO made_by_the_broken_step SELECT text FROM causes;"
        "INSERT INTO no_such_table VALUES (1);",
    )
    monkeypatch.setattr(workspace_module, "MIGRATIONS", (*MIGRATIONS, broken))

    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path, create=False)

    message = str(caught.value)
    assert message.startswith(
        f"{path}: cannot be migrated from workspace format {current} to {broken.version} ("
    )
    assert "no such table: no_such_table" in message
    assert message.endswith(f"it was left at {current}.")
    assert user_version(path) == current.to_int()  # the earlier steps committed on their own...
    assert "root_cause_texts" in names(path)
    assert "made_by_the_broken_step" not in names(path)  # ...the broken one not at all
    monkeypatch.undo()
    with Workspace.open(path, create=False) as workspace:
        assert [s.uid for s in workspace.incidents()] == ["legacy-v1"]


def test_a_failing_first_step_leaves_a_legacy_file_at_version_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = legacy_workspace(tmp_path, 1)
    broken = Migration(SchemaVersion(0, 2), MIGRATIONS[1].script + "SELECT no_such_function();")
    monkeypatch.setattr(workspace_module, "MIGRATIONS", (MIGRATIONS[0], broken))
    with pytest.raises(WorkspaceError, match=r"from workspace format 0\.1 to 0\.2"):
        Workspace.open(path, create=False)
    assert user_version(path) == 1
    assert "root_cause_texts" not in names(path)
    assert not {"causes_root_text_ai", "root_cause_texts_fts"} & names(path)


# ---------------------------------------------------------------- newer minor
def become_newer_minor(path: Path) -> None:
    """Do to the file what an app one minor version ahead would: additive changes only."""
    newer = SchemaVersion(SCHEMA_VERSION.major, SCHEMA_VERSION.minor + 1)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        f"""
        BEGIN;
        CREATE TABLE review_notes (id INTEGER PRIMARY KEY, incident_id INTEGER, body TEXT);
        INSERT INTO review_notes (incident_id, body) VALUES (1, 'Check again in March');
        ALTER TABLE incidents ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
        UPDATE incidents SET priority = 'urgent';
        ALTER TABLE causes ADD COLUMN weight INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX incidents_priority ON incidents(priority);
        CREATE TABLE cause_log (incident_id INTEGER, cause_id TEXT);
        CREATE INDEX cause_log_cause ON cause_log(incident_id, cause_id);
        PRAGMA user_version = {newer.to_int()};
        COMMIT;
        """
    )
    conn.close()


def test_a_newer_minor_workspace_is_used_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "newer-minor.rcadesk"
    make_workspace(path, copies=1)
    become_newer_minor(path)
    newer = SchemaVersion(SCHEMA_VERSION.major, SCHEMA_VERSION.minor + 1)
    assert user_version(path) == newer.to_int()  # one minor step ahead of this app
    inspect_workspace_file(path)  # the header check lets it through

    with Workspace.open(path, create=False) as workspace:
        (first,) = workspace.incidents()
        assert first.title == SAMPLE_TITLE
        incident = workspace.load(first.id)
        assert incident.graph.problem.startswith("Northwind Retail could not produce")
        added = workspace.add_incident(small_incident("Added by the older app"))
        cause = incident.graph.add_cause(HEAD, text="Edited by the older app", category="SOPs")
        workspace.save_cause(incident, cause)
        assert workspace.load(added).graph.cause_ids()  # what it wrote reads back
        assert "Edited by the older app" in [
            incident.graph.cause(c).text for c in workspace.load(first.id).graph.cause_ids()
        ]

    assert user_version(path) == newer.to_int(), "neither migrated down nor rewritten"
    assert raw(path, "SELECT body FROM review_notes") == [("Check again in March",)]
    assert raw(path, "SELECT title, priority FROM incidents ORDER BY id") == [
        (SAMPLE_TITLE, "urgent"),
        ("Added by the older app", "normal"),  # the newer column's default
    ]
    assert raw(path, "SELECT DISTINCT weight FROM causes") == [(1,)]
    # A minor step adds no triggers (they would run in the older app's writes); its
    # tables and indexes are kept as they were.
    assert raw(path, "SELECT count(*) FROM cause_log") == [(0,)]
    assert {"incidents_priority", "cause_log_cause"} <= names(path)
    with Workspace.open(path, create=False) as again:
        assert [s.title for s in again.incidents()] == [SAMPLE_TITLE, "Added by the older app"]


def test_only_reading_a_newer_minor_workspace_rewrites_nothing(tmp_path: Path) -> None:
    """The sound-file checks (quick_check, tables present) accept the additions, and
    opening writes nothing of its own: no migration, no version."""
    path = tmp_path / "newer-minor.rcadesk"
    make_workspace(path, copies=2)
    become_newer_minor(path)
    before = FileState.of(path)
    with Workspace.open(path, create=False) as workspace:
        assert len(workspace.incidents()) == 2
    assert FileState.of(path).data == before.data


# ---------------------------------------------------------------- newer major
@pytest.mark.parametrize("minor", [0, 5])
def test_a_newer_major_is_refused_naming_the_file_and_both_versions(
    tmp_path: Path, minor: int
) -> None:
    path = tmp_path / "newer-major.rcadesk"
    make_workspace(path, copies=1)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SchemaVersion(2, minor).to_int()}")
    conn.close()
    before = FileState.of(path)

    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path, create=False)

    assert str(caught.value) == (
        f"{path}: was written by a newer rca-desk (workspace format 2.{minor}; this version "
        f"is at {SCHEMA_VERSION} and opens format 1.x only). Update rca-desk to open it."
    )
    assert FileState.of(path) == before  # bytes, mtime, and no -wal/-shm beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newer-major.rcadesk"]
