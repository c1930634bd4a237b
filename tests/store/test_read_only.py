"""A workspace the user may read but not write opens read-only, says why, and changes nothing.

A read-only file, or a file in a folder that cannot be written, opens with
``Workspace.read_only`` set to the reason (for a banner); every write is refused with it;
open, read and close leave the folder exactly as it was (immutable reads create no
``-wal``/``-shm``). Only a folder that cannot be written and holds a ``-wal`` without its
``-shm`` is refused, with a message that says so and never "damaged".

The tests run as root in CI, and root may write anything: each case has a test that
really takes the permission away (skipped as root) and one that makes ``os.access`` say
no for the file or folder (always run); SQLite's read-only mode is real in both.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from rca_desk.cli.main import EXIT_ERROR, EXIT_OK, main
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import Workspace, WorkspaceError
from rca_desk.store.access import READ_ONLY_FILE, READ_ONLY_FOLDER
from rca_desk.store.schema import SCHEMA_VERSION
from tests.conftest import TODAY


def _permissions_bind() -> bool:
    """Whether taking write permission away stops this process (not so for root)."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        probe.write_bytes(b"")
        probe.chmod(stat.S_IRUSR)
        try:
            return not os.access(probe, os.W_OK)
        finally:
            probe.chmod(stat.S_IRUSR | stat.S_IWUSR)


needs_non_root = pytest.mark.skipif(
    not _permissions_bind(), reason="this process may write any file or folder (root)"
)


def small_incident(title: str) -> Incident:
    graph = CauseGraph(problem=f"{title}: the problem")
    graph.add_cause(HEAD, text="Release checklist skipped", category="SOPs", root_cause=True)
    return Incident(title=title, graph=graph)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "team.rcadesk"
    with Workspace.open(path) as workspace:
        workspace.add_incidents(sample_incidents(TODAY))
    return path


def deny_writes(monkeypatch: pytest.MonkeyPatch, *denied: Path) -> None:
    """``os.access`` says no to writing ``denied`` (as it would for a non-root user)."""
    real = os.access
    names = {str(p) for p in denied}

    def access(target: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        if mode & os.W_OK and str(target) in names:
            return False
        return real(target, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


@pytest.fixture
def restore_modes(path: Path) -> Iterator[None]:
    """Give write permission back, so pytest can clean the temporary folder up."""
    yield
    path.parent.chmod(0o755)
    path.chmod(0o644)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Every write the store offers, on a loaded incident.
WRITES: dict[str, Callable[[Workspace, Incident], object]] = {
    "add_incident": lambda ws, inc: ws.add_incident(small_incident("New")),
    "save_incident_fields": lambda ws, inc: ws.save_incident_fields(inc),
    "save_cause": lambda ws, inc: ws.save_cause(inc, next(iter(inc.graph.cause_ids()))),
    "delete_cause": lambda ws, inc: ws.delete_cause(inc, next(iter(inc.graph.cause_ids()))),
    "save_link": lambda ws, inc: ws.save_link(inc, HEAD, "x", present=False),
    "save_action": lambda ws, inc: ws.save_action(inc, inc.actions[0]),
    "delete_action": lambda ws, inc: ws.delete_action(inc, inc.actions[0]),
    "delete_incident": lambda ws, inc: ws.delete_incident(inc.id or 0),
}


def opens_read_only(path: Path, reason: str) -> None:
    """Open, read everything, try every write, close: the folder as it was, all refused."""
    listing = sorted(os.listdir(path.parent))
    before = sha256(path)
    with Workspace.open(path, create=False) as workspace:
        assert workspace.read_only == reason
        assert sorted(os.listdir(path.parent)) == listing, "nothing made beside it"
        (summary,) = workspace.incidents()
        incident = workspace.load(summary.id)
        assert len(workspace.action_rows()) == len(incident.actions) > 0
        for name, write in WRITES.items():
            with pytest.raises(WorkspaceError) as caught:
                write(workspace, incident)
            assert str(caught.value) == f"{path}: nothing was changed. {reason}", name
        with pytest.raises(WorkspaceError, match="nothing was changed"):
            workspace.restore_from(path)
        # Looking, exporting and copying are what it is open for.
        assert workspace.backup(path.parent.parent / "copy.rcadesk").exists()
    assert sorted(os.listdir(path.parent)) == listing
    assert sha256(path) == before


# ------------------------------------------------------------------ read-only file
@needs_non_root
def test_a_read_only_file_opens_read_only(path: Path, restore_modes: None) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # 0444
    opens_read_only(path, READ_ONLY_FILE)


def test_a_file_that_cannot_be_written_opens_read_only(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deny_writes(monkeypatch, path)
    opens_read_only(path, READ_ONLY_FILE)


def test_the_read_only_connection_cannot_write_even_past_the_store(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal is SQLite's too, not only the store's check (even for root)."""
    deny_writes(monkeypatch, path)
    with (
        Workspace.open(path, create=False) as workspace,
        pytest.raises(sqlite3.OperationalError, match="readonly"),
    ):
        workspace.conn.execute("DELETE FROM incidents")


# --------------------------------------------------------------- read-only folder
@needs_non_root
def test_a_file_in_a_read_only_folder_opens_read_only(path: Path, restore_modes: None) -> None:
    path.parent.chmod(0o555)
    opens_read_only(path, READ_ONLY_FOLDER)


def test_a_file_in_a_folder_that_cannot_be_written_opens_read_only(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deny_writes(monkeypatch, path.parent)
    opens_read_only(path, READ_ONLY_FOLDER)


def folder_message(path: Path) -> str:
    return (
        f"{path}: its folder {path.parent} cannot be written, and rca-desk needs to keep its "
        "journal files beside the workspace; copy it somewhere you can write, or ask for "
        "write access."
    )


def test_a_journal_that_cannot_be_read_in_that_folder_is_refused_truly(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``-wal`` without its ``-shm``, which cannot be made there: not called damaged."""
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"")
    deny_writes(monkeypatch, path.parent)
    before = sha256(path)
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path, create=False)
    assert str(caught.value) == folder_message(path)
    assert "damaged" not in str(caught.value)
    assert sha256(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, wal.name]


@needs_non_root
def test_a_journal_in_a_read_only_folder_is_refused_truly(path: Path, restore_modes: None) -> None:
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"")
    path.parent.chmod(0o555)
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path, create=False)
    assert str(caught.value) == folder_message(path)


# ------------------------------------------------------- a journal beside the file
def test_committed_changes_still_in_the_journal_are_seen(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a ``-wal`` beside it the file is not read as immutable: a change another app
    committed, still only in the journal, is seen."""
    with Workspace.open(path, create=False) as writer:
        writer.conn.execute("PRAGMA wal_autocheckpoint = 0")
        writer.add_incident(small_incident("Only in the journal"))
        assert path.with_name(path.name + "-wal").stat().st_size > 0
        deny_writes(monkeypatch, path)
        with Workspace.open(path, create=False) as reader:
            assert reader.read_only == READ_ONLY_FILE
            assert "Only in the journal" in [s.title for s in reader.incidents()]


# ------------------------------------------------------------- an older format
def test_a_read_only_file_that_needs_migrating_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = Path(__file__).parent / "data" / "legacy-v1.rcadesk.gz"
    path = tmp_path / "old.rcadesk"
    path.write_bytes(gzip.decompress(data.read_bytes()))
    before = sha256(path)
    deny_writes(monkeypatch, path)
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path, create=False)
    assert str(caught.value) == (
        f"{path}: is in workspace format 0.1 and must be updated to {SCHEMA_VERSION} before "
        "this rca-desk can use it, but it cannot be written; copy it somewhere you can write "
        "and open the copy."
    )
    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.rcadesk"]


# ------------------------------------------------------------- the command line
def test_the_command_reads_and_refuses_to_write(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    deny_writes(monkeypatch, path)
    out = path.parent.parent / "out.json"
    assert main(["--workspace", str(path), "list"]) == EXIT_OK
    assert main(["--workspace", str(path), "export-json", "-o", str(out)]) == EXIT_OK
    capsys.readouterr()
    assert main(["--workspace", str(path), "demo"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err == f"rca-desk: error: {path}: nothing was changed. {READ_ONLY_FILE}\n"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_writable_workspace_is_not_read_only(path: Path) -> None:
    with Workspace.open(path, create=False) as workspace:
        assert workspace.read_only is None
        workspace.add_incident(small_incident("Written"))
        assert len(workspace.incidents()) == 2
