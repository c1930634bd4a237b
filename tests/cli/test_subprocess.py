"""A few real runs of ``python -m rca_desk``: what a person at a shell actually sees.

In-process tests cover the behaviour; these prove the entry point, the exit statuses as
the shell gets them, and that nothing (Qt, warnings, a traceback) leaks onto stderr.
The GUI (no subcommand) is not started here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess


def rca(
    *argv: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v for k, v in os.environ.items() if k not in ("RCA_DESK_DEBUG", "RCA_DESK_WORKSPACE")
    }
    return subprocess.run(
        [sys.executable, "-m", "rca_desk", *map(str, argv)],
        capture_output=True,
        text=True,
        env=base | (env or {}),
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_demo_list_check_as_a_shell_sees_them(tmp_path: Path) -> None:
    ws = tmp_path / "w.rcadesk"
    demo = rca("--workspace", ws, "demo", cwd=tmp_path)
    assert (demo.returncode, demo.stderr) == (0, "")
    assert "Added sample incident 1" in demo.stdout

    listed = rca("--workspace", ws, "list", "--json", cwd=tmp_path)
    assert (listed.returncode, listed.stderr) == (0, "")
    assert [r["id"] for r in json.loads(listed.stdout)] == [1]

    check = rca("--workspace", ws, "check", cwd=tmp_path)
    assert check.returncode == 1
    assert check.stderr == ""
    assert "overdue-action" in check.stdout


def test_a_text_file_as_workspace(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello\n", encoding="utf-8")
    before = (text.read_bytes(), text.stat().st_mtime_ns)
    result = rca("--workspace", text, "list", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"rca-desk: error: {text}: is not an rca-desk workspace (not an SQLite database).\n"
    )
    assert (text.read_bytes(), text.stat().st_mtime_ns) == before


def test_import_of_a_bad_file_and_the_environment_variable(tmp_path: Path) -> None:
    ws = tmp_path / "env.rcadesk"
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "rca-desk", "version": 1, "incidents": [', encoding="utf-8")
    result = rca("import", bad, cwd=tmp_path, env={"RCA_DESK_WORKSPACE": str(ws)})
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}: not imported: is not valid JSON" in result.stderr
    assert not ws.exists()


def test_version_and_help(tmp_path: Path) -> None:
    version = rca("--version", cwd=tmp_path)
    assert version.returncode == 0
    assert version.stdout.startswith("rca-desk ")
    helped = rca("actions", "--help", cwd=tmp_path)
    assert helped.returncode == 0
    assert "--overdue" in helped.stdout
