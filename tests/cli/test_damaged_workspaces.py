"""The command on damaged and hostile workspaces: one line, exit 2, never 70.

A file that is refused (changed outside rca-desk, damaged pages) exits 2 with one line and
keeps every byte. One damaged incident does not stop the rest: ``list`` marks it,
``export-json`` saves it as far as it can be read and says so, ``check`` and ``export`` of
it exit 2 with one line.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rca_desk.cli.main import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, main
from rca_desk.interchange.sample import sample_incidents
from rca_desk.store import Workspace
from tests.cli.test_main import Run, one_error_line
from tests.conftest import TODAY


@pytest.fixture
def rca(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*argv: str | Path) -> Run:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """Three sample incidents; the second one's severity is unknown to this version."""
    path = tmp_path / "team.rcadesk"
    with Workspace.open(path) as workspace:
        for _ in range(3):
            workspace.add_incidents(sample_incidents(TODAY))
    conn = sqlite3.connect(path)
    conn.execute("UPDATE incidents SET severity = 'bogus' WHERE id = 2")
    conn.commit()
    conn.close()
    return path


REASON = "unknown severity 'bogus'"


def test_list_marks_the_damaged_incident_and_says_why(rca: Any, ws: Path) -> None:
    result: Run = rca("--workspace", ws, "list")
    assert result.code == EXIT_OK
    lines = result.out.splitlines()
    assert [line.split()[1] for line in lines[1:]] == ["monitoring", "DAMAGED", "monitoring"]
    assert result.err_lines == [
        f"rca-desk: note: incident 2 is damaged ({REASON}); "
        "`rca-desk export-json` saves what can still be read."
    ]


def test_list_json_has_the_reason(rca: Any, ws: Path) -> None:
    result: Run = rca("--workspace", ws, "list", "--json")
    assert result.code == EXIT_OK
    assert [r["damaged"] for r in json.loads(result.out)] == [None, REASON, None]


def test_export_json_saves_the_damaged_incident_as_far_as_it_can(
    rca: Any, ws: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.json"
    result: Run = rca("--workspace", ws, "export-json", "-o", out)
    assert result.code == EXIT_OK
    assert result.err_lines[0].startswith(f"rca-desk: note: {ws}: incident 2 is damaged (")
    assert result.err_lines[0].endswith(
        "Unreadable text shows as \ufffd and unusable values as their defaults."
    )
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [i["severity"] for i in document["incidents"]] == ["high", "medium", "high"]
    # ...and the export imports into a fresh workspace: the rescue works.
    again: Run = rca("--workspace", tmp_path / "rescued.rcadesk", "import", out)
    assert again.code == EXIT_OK, again.err


def test_export_json_of_only_the_damaged_incident(rca: Any, ws: Path) -> None:
    result: Run = rca("--workspace", ws, "export-json", "--incident", "2", "-o", "-")
    assert result.code == EXIT_OK
    assert len(json.loads(result.out)["incidents"]) == 1
    assert "incident 2 is damaged" in result.err


def test_check_of_the_damaged_incident_exits_2(rca: Any, ws: Path) -> None:
    result: Run = rca("--workspace", ws, "check", "--incident", "2")
    one_error_line(result, str(ws), "incident 2 is damaged", REASON)


def test_a_diagram_of_the_damaged_incident_is_drawn_as_far_as_it_can_be_read(
    rca: Any, ws: Path
) -> None:
    result: Run = rca("--workspace", ws, "export", "--incident", "2", "--format", "dot", "-o", "-")
    assert result.code == EXIT_OK
    assert result.out.startswith("digraph")
    assert result.err_lines[0].startswith(f"rca-desk: note: {ws}: incident 2 is damaged (")


def test_check_of_the_workspace_checks_the_rest_and_exits_2(rca: Any, ws: Path) -> None:
    result: Run = rca("--workspace", ws, "check")
    assert "incident 1: " in result.out and "incident 3: " in result.out
    assert "incident 2: " not in result.out
    one_error_line(result, "incident 2 is damaged and not checked", REASON)
    # Without the damaged one the same workspace has findings, never exit 0 by accident.
    assert rca("--workspace", ws, "check", "--incident", "1").code == EXIT_FINDINGS


def test_actions_leave_the_damaged_incident_out(rca: Any, ws: Path) -> None:
    result: Run = rca("--workspace", ws, "actions", "--format", "json")
    assert result.code == EXIT_OK
    assert sorted({a["incident"] for a in json.loads(result.out)}) == [1, 3]
    assert result.err_lines == [
        f"rca-desk: note: incident 2 is damaged ({REASON}) and its actions are not listed; "
        "`rca-desk export-json` saves what can still be read."
    ]


# ---------------------------------------------------------- refused files
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", ["list", "export-json -o -", "check", "actions"])
def test_a_file_changed_outside_rca_desk_exits_2_untouched(
    rca: Any, ws: Path, command: str
) -> None:
    conn = sqlite3.connect(ws)
    conn.execute("CREATE TRIGGER x AFTER INSERT ON causes BEGIN DELETE FROM incidents; END")
    conn.commit()
    conn.close()
    before = sha256(ws)
    result: Run = rca("--workspace", ws, *command.split())
    one_error_line(result, f"{ws}: was modified outside rca-desk (unexpected trigger 'x')")
    assert result.code == EXIT_ERROR
    assert sha256(ws) == before
    assert sorted(p.name for p in ws.parent.iterdir()) == [ws.name]


def a_fifo(path: Path) -> str:
    os.mkfifo(path)
    return "is not a regular file"


def a_folder(path: Path) -> str:
    path.mkdir()
    return "is a folder"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("make", [a_fifo, a_folder], ids=lambda make: make.__name__)
@pytest.mark.parametrize("command", ["list", "demo", "export-json -o -"])
def test_not_a_file_exits_2_at_once(
    rca: Any, tmp_path: Path, make: Callable[[Path], str], command: str
) -> None:
    target = tmp_path / "team.rcadesk"
    reason = make(target)
    result: Run = rca("--workspace", target, *command.split())
    one_error_line(result, str(target), reason)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.rcadesk"]


def test_a_device_exits_2(rca: Any) -> None:
    result: Run = rca("--workspace", "/dev/null", "list")
    one_error_line(result, "/dev/null: is not a regular file")
