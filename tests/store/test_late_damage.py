"""Damage that passes the checks on opening and shows only when a page is read.

``PRAGMA quick_check`` does not compare an index with its table, so a byte changed in an
index's cell opens fine and is found by the first query that uses the index. That read
refuses the file in one line, like a refusal on opening: exit 2 from the command, the
file byte-for-byte as it was, nothing left beside it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rca_desk.cli.main import EXIT_ERROR, main
from rca_desk.store import DamagedIncidentError, Workspace, WorkspaceError
from tests.store.corruption import build_workspace

#: A byte of an index's cell content in the fuzz workspace (found by the fuzz run), and
#: the value that breaks it.
OFFSET, VALUE = 24132, 50


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    source = tmp_path / "source.rcadesk"
    build_workspace(source)
    data = bytearray(source.read_bytes())
    assert data[OFFSET] != VALUE
    data[OFFSET] = VALUE
    path = tmp_path / "late" / "team.rcadesk"
    path.parent.mkdir()
    path.write_bytes(bytes(data))
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_everything(workspace: Workspace) -> None:
    for summary in workspace.incidents():
        try:
            workspace.load(summary.id)
        except DamagedIncidentError:
            workspace.salvage(summary.id)
    workspace.action_rows()


def test_damage_found_while_reading_is_one_line_naming_the_file(damaged: Path) -> None:
    before = sha256(damaged)
    try:
        workspace = Workspace.open(damaged, create=False)
    except WorkspaceError:  # pragma: no cover - depends on the SQLite version's checks
        pytest.skip("this SQLite finds the damage on opening already")
    with workspace, pytest.raises(WorkspaceError) as caught:
        read_everything(workspace)
    assert not isinstance(caught.value, DamagedIncidentError)
    assert str(caught.value) == f"{damaged}: is damaged (database disk image is malformed)."
    assert sha256(damaged) == before
    assert sorted(p.name for p in damaged.parent.iterdir()) == [damaged.name]


def test_the_command_exits_2_with_one_line(
    damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256(damaged)
    code = main(["--workspace", str(damaged), "export-json", "-o", str(tmp_path / "out.json")])
    err = capsys.readouterr().err
    assert code == EXIT_ERROR
    assert err.count("\n") == 1 and err.startswith("rca-desk: error: ")
    assert "is damaged" in err
    assert sha256(damaged) == before
    assert sorted(p.name for p in damaged.parent.iterdir()) == [damaged.name]
    assert not (tmp_path / "out.json").exists()
