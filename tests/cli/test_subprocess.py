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


def test_a_refused_import_is_one_line_and_verbose_lists_every_problem(tmp_path: Path) -> None:
    """The shell sees exactly one line (no problem twice); --verbose adds each, once."""
    ws = tmp_path / "w.rcadesk"
    bad = tmp_path / "bad.json"
    document = {
        "format": "rca-desk",
        "version": "1.1",
        "incidents": [
            {
                "uid": "u1",
                "title": "T",
                "problem": "P",
                "whys_depth": 50,
                "severity": "dire",
                "description": "d" * 10_001,
            }
        ],
    }
    bad.write_text(json.dumps(document), encoding="utf-8")
    first = (
        f"rca-desk: error: {bad}: not imported: incidents[0].description: is longer than "
        "10000 characters (limit 10000) (2 more problems; --verbose lists them)"
    )

    plain = rca("--workspace", ws, "import", bad, cwd=tmp_path)
    assert (plain.returncode, plain.stdout) == (2, "")
    assert plain.stderr.splitlines() == [first]

    verbose = rca("--workspace", ws, "import", "--verbose", bad, cwd=tmp_path)
    assert (verbose.returncode, verbose.stdout) == (2, "")
    assert verbose.stderr.splitlines() == [
        first,
        "  - incidents[0].description: is longer than 10000 characters (limit 10000)",
        "  - incidents[0].whys_depth: must be between 1 and 20, not 50",
        "  - incidents[0].severity: 'dire' is not one of: low, medium, high, critical",
    ]
    assert not ws.exists()


def test_a_refused_import_with_one_problem_says_no_count(tmp_path: Path) -> None:
    bad = tmp_path / "one.json"
    incident = {"uid": "u", "problem": "P"}
    bad.write_text(
        json.dumps({"format": "rca-desk", "version": "1.1", "incidents": [incident]}),
        encoding="utf-8",
    )
    result = rca("--workspace", tmp_path / "w.rcadesk", "import", "--verbose", bad, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"rca-desk: error: {bad}: not imported: incidents[0]: lacks the required field 'title'",
        "  - incidents[0]: lacks the required field 'title'",
    ]
