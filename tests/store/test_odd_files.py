"""Files that are not workspaces are refused at once and left exactly as they were."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from rca_desk.store import Workspace, WorkspaceError
from rca_desk.store import workspace as workspace_module
from rca_desk.store.schema import APPLICATION_ID, Migration, SchemaVersion


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.rcadesk"
    os.mkfifo(fifo)
    # Before, opening blocked forever waiting for a writer; now it is refused outright.
    with pytest.raises(WorkspaceError, match="is not a regular file"):
        Workspace.open(fifo)


def test_a_device_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="is not a regular file"):
        Workspace.open(Path("/dev/null"))


def test_our_id_at_version_0_with_clashing_tables_keeps_its_header(tmp_path: Path) -> None:
    """A version-0 file marked ours that already holds tables is refused before any
    migration runs (nothing at version 0 has tables), and not one byte of it changes."""
    path = tmp_path / "odd.rcadesk"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE incidents (something TEXT)")  # clashes with our schema
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    # Our id only in the header bytes, as a half-made file by an older rca-desk had it.
    raw = bytearray(path.read_bytes())
    raw[68:72] = APPLICATION_ID.to_bytes(4, "big")
    path.write_bytes(bytes(raw))
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match=r"modified outside rca-desk \(unexpected table"):
        Workspace.open(path)
    assert path.read_bytes() == before


def test_a_failing_first_migration_keeps_every_header_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version-0 file marked ours whose first migration fails is refused, and not one
    byte of it changes (the id used to be written before the migration's transaction)."""
    path = tmp_path / "odd.rcadesk"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("CREATE TABLE scratch (x)")  # something on disk: a real first page
    conn.execute("DROP TABLE scratch")
    conn.commit()
    conn.close()
    raw = bytearray(path.read_bytes())
    raw[68:72] = APPLICATION_ID.to_bytes(4, "big")
    path.write_bytes(bytes(raw))
    before = path.read_bytes()
    failing = Migration(SchemaVersion(0, 1), "CREATE TABLE twice (x); CREATE TABLE twice (x);")
    monkeypatch.setattr(workspace_module, "MIGRATIONS", (failing,))
    with pytest.raises(WorkspaceError, match="cannot be migrated"):
        Workspace.open(path)
    assert path.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_link_to_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "team.rcadesk"
    link.symlink_to(fifo)
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(link)
    assert str(caught.value) == f"{link}: is not a regular file, not an rca-desk workspace."


def test_a_folder_is_refused_by_name_and_left_empty(tmp_path: Path) -> None:
    folder = tmp_path / "team.rcadesk"
    folder.mkdir()
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(folder)
    assert str(caught.value) == f"{folder}: is a folder, not an rca-desk workspace file."
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.rcadesk"]
