"""Backups: a consistent copy on demand, one before every migration, and restore."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from rca_desk.cli.main import main
from rca_desk.model import Incident
from rca_desk.store import Workspace, WorkspaceError, open_workspace
from rca_desk.store.schema import SCHEMA_VERSION
from tests.store.test_versions import SAMPLE_TITLE, legacy_workspace

#: About what only a workspace file has; the server's own are in test_server_workspace.py.
pytestmark = pytest.mark.file_only


def user_version(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_a_backup_is_a_workspace_with_the_same_content(
    sample_workspace: Workspace, tmp_path: Path
) -> None:
    copy = sample_workspace.backup(tmp_path / "copy.rcadesk")
    assert copy == tmp_path / "copy.rcadesk"
    assert not Path(f"{copy}-wal").exists()  # a file to keep or mail, not a live database
    with Workspace.open(copy, create=False) as opened:
        assert opened.content() == sample_workspace.content()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_backup_without_a_target_goes_beside_the_workspace(
    sample_workspace: Workspace,
) -> None:
    copy = sample_workspace.backup()
    assert copy.parent == sample_workspace.path.parent / "backups"
    assert copy.name.startswith("test-") and copy.name.endswith("-manual.rcadesk")
    with Workspace.open(copy, create=False) as opened:
        assert [s.title for s in opened.incidents()] == [SAMPLE_TITLE]


def test_a_migration_keeps_a_copy_of_the_file_as_it_was(tmp_path: Path) -> None:
    path = legacy_workspace(tmp_path, 1)
    before = path.read_bytes()
    with Workspace.open(path) as workspace:
        assert [s.title for s in workspace.incidents()] == [SAMPLE_TITLE]
    [copy] = (tmp_path / "backups").iterdir()
    assert copy.name.endswith(f"-before-{SCHEMA_VERSION}.rcadesk")
    assert user_version(copy) == 1  # the old format, untouched by the migration
    assert user_version(path) == SCHEMA_VERSION.to_int()
    conn = sqlite3.connect(copy)
    try:
        titles = [row[0] for row in conn.execute("SELECT title FROM incidents")]
    finally:
        conn.close()
    assert titles == [SAMPLE_TITLE]
    assert len(before) > 0


def test_a_current_workspace_is_opened_without_a_backup(sample_workspace: Workspace) -> None:
    with open_workspace(sample_workspace.location, create=False):
        pass
    assert not (sample_workspace.path.parent / "backups").exists()


def test_restore_replaces_the_content_and_backs_up_what_was_there(
    sample_workspace: Workspace, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "other" / "other.rcadesk"
    with Workspace.open(elsewhere) as other:
        other.add_incident(Incident(title="Only in the backup"))
        kept = other.backup(tmp_path / "kept.rcadesk")
    before = sample_workspace.content()
    saved = sample_workspace.restore_from(kept)
    assert [s.title for s in sample_workspace.incidents()] == ["Only in the backup"]
    with Workspace.open(saved, create=False) as previous:
        assert previous.content() == before
    sample_workspace.add_incident(Incident(title="Written after the restore"))
    with open_workspace(sample_workspace.location, create=False) as again:
        titles = [s.title for s in again.incidents()]
    assert titles == ["Only in the backup", "Written after the restore"]


def test_restore_refuses_a_file_that_is_not_a_workspace(
    sample_workspace: Workspace, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.rcadesk"
    notes.write_text("not a database", encoding="utf-8")
    before = sample_workspace.content()
    with pytest.raises(WorkspaceError, match="not an rca-desk workspace"):
        sample_workspace.restore_from(notes)
    assert sample_workspace.content() == before
    assert notes.read_text(encoding="utf-8") == "not a database"


def test_the_commands_back_up_and_restore(
    sample_workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sample_workspace.path
    copy = tmp_path / "by-hand.rcadesk"
    assert main(["--workspace", str(path), "backup", "-o", str(copy)]) == 0
    assert capsys.readouterr().out == f"Backed up {path} to {copy}\n"
    sample_workspace.add_incident(Incident(title="Added after the backup"))
    assert main(["--workspace", str(path), "restore", str(copy)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Restored {path} from {copy}; it was backed up first to ")
    assert [s.title for s in sample_workspace.incidents()] == [SAMPLE_TITLE]
    assert main(["--workspace", str(path), "restore", str(tmp_path / "missing.rcadesk")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rca-desk: error: ") and err.count("\n") == 1


NOW = datetime(2026, 11, 30, 9, 0)  # a Monday


def test_the_daily_backup_is_taken_once_a_day(sample_workspace: Workspace) -> None:
    first = sample_workspace.daily_backup(NOW)
    assert first is not None and first.name == "test-20261130-090000-daily.rcadesk"
    assert sample_workspace.daily_backup(NOW + timedelta(hours=23)) is None
    second = sample_workspace.daily_backup(NOW + timedelta(hours=25))
    assert second is not None and second.name == "test-20261201-100000-daily.rcadesk"


def test_daily_backups_are_thinned_to_seven_days_and_four_weeks(
    sample_workspace: Workspace,
) -> None:
    folder = sample_workspace.path.parent / "backups"
    folder.mkdir()
    seed = sample_workspace.backup(folder / "seed.rcadesk")
    day = date(2026, 10, 10)
    while day <= date(2026, 11, 28):
        shutil.copy(seed, folder / f"test-{day:%Y%m%d}-080000-daily.rcadesk")
        day += timedelta(days=1)
    shutil.copy(seed, folder / "test-20260101-120000-manual.rcadesk")
    seed.unlink()
    made = sample_workspace.daily_backup(NOW)
    assert made == folder / "test-20261130-090000-daily.rcadesk"
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [
        "test-20260101-120000-manual.rcadesk",  # taken by hand: never thinned out
        "test-20261101-080000-daily.rcadesk",  # newest of week 44
        "test-20261108-080000-daily.rcadesk",  # week 45
        "test-20261115-080000-daily.rcadesk",  # week 46
        "test-20261122-080000-daily.rcadesk",  # week 47
        "test-20261123-080000-daily.rcadesk",  # the seven newest days from here down
        "test-20261124-080000-daily.rcadesk",
        "test-20261125-080000-daily.rcadesk",
        "test-20261126-080000-daily.rcadesk",
        "test-20261127-080000-daily.rcadesk",
        "test-20261128-080000-daily.rcadesk",
        "test-20261130-090000-daily.rcadesk",
    ]


def test_restoring_a_legacy_backup_migrates_it_and_keeps_the_index_working(
    sample_workspace: Workspace, tmp_path: Path
) -> None:
    """Steps before 1.0 fire FTS5 triggers, which the untrusted-schema setting refuses."""
    old = legacy_workspace(tmp_path, 1)
    sample_workspace.restore_from(old)
    (summary,) = sample_workspace.incidents()
    incident = sample_workspace.load(summary.id)
    root = incident.graph.root_causes()[0]
    incident.update_cause(root, text="Certificate renewal has no calendar entry")
    sample_workspace.save_cause(incident, root)
    found = sample_workspace.conn.execute(
        "SELECT count(*) FROM root_cause_texts_fts WHERE root_cause_texts_fts MATCH 'certificate'"
    ).fetchone()[0]
    assert found == 1
    assert sample_workspace.conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0


def hostile(path: Path) -> bytes:
    """Plant a trigger, as a tampered mail attachment would: the file is now refused."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TRIGGER planted AFTER INSERT ON causes BEGIN DELETE FROM actions; END")
    conn.close()
    return path.read_bytes()


def test_a_refused_workspace_is_replaced_from_a_backup_and_kept_aside(
    sample_workspace: Workspace, sample: Incident
) -> None:
    backup = sample_workspace.backup()
    path = sample_workspace.path
    sample_workspace.close()
    refused = hostile(path)
    with pytest.raises(WorkspaceError, match="modified outside rca-desk"):
        Workspace.open(path, create=False)

    workspace, aside = Workspace.replace_refused(path, backup)
    with workspace:
        assert [s.title for s in workspace.incidents()] == [sample.title]
    assert aside is not None and aside.read_bytes() == refused  # kept, byte for byte
    assert aside.name.startswith(f"{path.name}.refused-")


def test_replacing_refuses_a_backup_that_is_not_a_workspace_and_moves_nothing(
    sample_workspace: Workspace, tmp_path: Path
) -> None:
    path = sample_workspace.path
    sample_workspace.close()
    refused = hostile(path)
    notes = tmp_path / "notes.rcadesk"
    notes.write_text("not a database")
    with pytest.raises(WorkspaceError, match="not an rca-desk workspace"):
        Workspace.replace_refused(path, notes)
    assert path.read_bytes() == refused
    assert not list(tmp_path.glob("*.refused-*"))


def test_the_restore_command_replaces_a_refused_workspace(
    sample_workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = sample_workspace.backup()
    path = sample_workspace.path
    sample_workspace.close()
    hostile(path)
    assert main(["--workspace", str(path), "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Restored {path} from {backup}; the refused file was kept as ")
    with Workspace.open(path, create=False) as workspace:
        assert len(workspace.incidents()) == 1
