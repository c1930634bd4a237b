"""Commands that write say who else has the workspace open, and warn on a network drive.

The command only reads the presence file (it never takes it for itself), and commands
that only read the workspace say nothing.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rca_desk.cli import main as main_module
from rca_desk.cli.main import EXIT_OK, WRITING_COMMANDS, main
from rca_desk.interchange import write_json
from rca_desk.interchange.sample import sample_incidents
from rca_desk.store import Workspace, filesystems
from rca_desk.store.presence import Holder, lock_path
from tests.conftest import TODAY

T0 = datetime(2026, 11, 23, 14, 2, tzinfo=UTC)
ANA = Holder(user="ana", name="Ana Silva", host="pc-12", pid=4242, started=T0, refreshed=T0)
NOTE = "rca-desk: note: Ana Silva (ana on pc-12, since "


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    now = [T0 + timedelta(seconds=30)]
    monkeypatch.setattr(main_module, "utc_now", lambda: now[0])
    return now


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "team.rcadesk"
    with Workspace.open(path) as workspace:
        workspace.add_incidents(sample_incidents(TODAY))
    return path


@pytest.fixture
def runs(ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """One way to run each command against ``ws`` (writers and a few readers)."""
    incidents = tmp_path / "more.json"
    other = sample_incidents(TODAY)[0]
    other.uid = "c0ffee00c0ffee00c0ffee00c0ffee00"
    write_json(incidents, [other])
    backup = tmp_path / "copy.rcadesk"
    assert main(["--workspace", str(ws), "backup", "-o", str(backup)]) == EXIT_OK
    capsys.readouterr()
    return {
        "demo": ["demo"],
        "import": ["import", str(incidents)],
        "restore": ["restore", str(backup)],
        "repair": ["repair"],
        "list": ["list"],
        "check": ["check"],
        "backup": ["backup", "-o", str(tmp_path / "again.rcadesk")],
        "export-json": ["export-json", "-o", str(tmp_path / "out.json")],
    }


def run(ws: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["--workspace", str(ws), *argv])
    return code, capsys.readouterr().err.splitlines()


def test_the_writing_commands_are_the_ones_that_change_the_workspace() -> None:
    assert {"demo", "import", "restore", "repair"} == WRITING_COMMANDS


@pytest.mark.parametrize("command", sorted(WRITING_COMMANDS))
def test_a_writing_command_names_who_else_has_it_open(
    command: str, ws: Path, runs: dict[str, Any], clock: object, capsys: Any
) -> None:
    data = ANA.to_json()
    lock_path(ws).write_bytes(data)
    code, err = run(ws, runs[command], capsys)
    assert code == EXIT_OK
    notes = [line for line in err if line.startswith("rca-desk: note:")]
    assert len(notes) == 1, err
    assert notes[0].startswith(NOTE)
    assert notes[0].endswith("also has this workspace open")
    assert lock_path(ws).read_bytes() == data  # read, never taken or rewritten


@pytest.mark.parametrize("command", ["list", "check", "backup", "export-json"])
def test_a_command_that_only_reads_says_nothing(
    command: str, ws: Path, runs: dict[str, Any], clock: object, capsys: Any
) -> None:
    lock_path(ws).write_bytes(ANA.to_json())
    _, err = run(ws, runs[command], capsys)
    assert not [line for line in err if line.startswith("rca-desk: note:")]


def test_a_stale_presence_file_is_nobody(
    ws: Path, runs: dict[str, Any], clock: list[datetime], capsys: Any
) -> None:
    lock_path(ws).write_bytes(ANA.to_json())
    clock[0] = T0 + timedelta(minutes=2)  # Ana's computer stopped refreshing it
    code, err = run(ws, runs["import"], capsys)
    assert code == EXIT_OK and err == []


def test_a_command_leaves_no_presence_file_of_its_own(
    ws: Path, runs: dict[str, Any], clock: object, capsys: Any
) -> None:
    for command in sorted(WRITING_COMMANDS):
        code, err = run(ws, runs[command], capsys)
        assert code == EXIT_OK and err == []
    assert not lock_path(ws).exists()


def test_a_network_drive_gets_a_warning_line(
    ws: Path, runs: dict[str, Any], clock: object, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_module, "network_filesystem", lambda path: "SMB/CIFS")
    code, err = run(ws, runs["import"], capsys)
    assert code == EXIT_OK
    assert err == [f"rca-desk: warning: {filesystems.network_warning(ws, 'SMB/CIFS')}"]
    assert err[0].startswith(f"rca-desk: warning: {ws} is on a network drive (SMB/CIFS).")
    _, err = run(ws, runs["list"], capsys)
    assert err == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux statfs")
def test_the_warning_comes_from_the_file_systems_probe(
    ws: Path, runs: dict[str, Any], clock: object, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filesystems, "linux_statfs_type", lambda path: 0x6969)
    _, err = run(ws, runs["demo"], capsys)
    assert len(err) == 1
    assert err[0].startswith(f"rca-desk: warning: {ws} is on a network drive (NFS).")
