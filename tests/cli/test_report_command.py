"""``rca-desk report`` (issue 15): the report of one incident as PDF, HTML or Markdown;
one line and exit 2 for anything a person can get wrong, and nothing left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rca_desk.cli.main import EXIT_ERROR, EXIT_OK, main
from tests.cli.test_main import Run, one_error_line

DAY = "2026-11-23"


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    ws = tmp_path / "w.rcadesk"
    assert main(["--workspace", str(ws), "demo"]) == EXIT_OK
    capsys.readouterr()
    return ws


def report(capsys: pytest.CaptureFixture[str], ws: Path, *argv: str | Path) -> Run:
    code = main(["--workspace", str(ws), "report", "--today", DAY, *map(str, argv)])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def beside(ws: Path) -> list[str]:
    """What is in the workspace's folder besides the workspace's own files."""
    return sorted(p.name for p in ws.parent.iterdir() if not p.name.startswith(ws.name))


@pytest.mark.parametrize(
    ("name", "start"),
    [("client.pdf", b"%PDF-"), ("client.html", b"<!DOCTYPE html>"), ("client.md", b"# North")],
)
def test_the_format_follows_the_file_s_extension(
    qapp: object, capsys: pytest.CaptureFixture[str], workspace: Path, name: str, start: bytes
) -> None:
    out = workspace.parent / name
    result = report(capsys, workspace, "--incident", "1", "--for-client", "-o", out)
    assert (result.code, result.out) == (EXIT_OK, "")
    assert result.err == f"Wrote the client's report of incident 1 to {out}\n"
    assert out.read_bytes().startswith(start)
    assert beside(workspace) == [name]


def test_markdown_to_standard_output(capsys: pytest.CaptureFixture[str], workspace: Path) -> None:
    result = report(capsys, workspace, "--incident", "1", "--format", "md", "-o", "-")
    assert (result.code, result.err) == (EXIT_OK, "")
    assert "\n## Open findings\n" in result.out  # the team's report by default
    assert beside(workspace) == []


def test_a_missing_incident_is_one_line_and_writes_nothing(
    qapp: object, capsys: pytest.CaptureFixture[str], workspace: Path
) -> None:
    result = report(capsys, workspace, "--incident", "7", "-o", workspace.parent / "r.pdf")
    one_error_line(result, "There is no incident '7'")
    assert beside(workspace) == []


@pytest.mark.parametrize("where", ["missing folder", "a folder"])
def test_an_unwritable_output_is_one_line_and_leaves_nothing(
    qapp: object, capsys: pytest.CaptureFixture[str], workspace: Path, where: str
) -> None:
    if where == "a folder":
        target = workspace.parent / "report.pdf"
        target.mkdir()
        said = f"{target}: is a folder, not a file; nothing was written."
    else:
        target = workspace.parent / "no" / "report.pdf"
        said = f"{target}: cannot be written (No such file or directory)."
    result = report(capsys, workspace, "--incident", "1", "-o", target)
    one_error_line(result, said)
    assert result.code == EXIT_ERROR
    assert beside(workspace) == (["report.pdf"] if where == "a folder" else [])
    if where == "a folder":
        assert list(target.iterdir()) == []


def test_an_unknown_extension_asks_for_the_format(
    capsys: pytest.CaptureFixture[str], workspace: Path
) -> None:
    result = report(capsys, workspace, "--incident", "1", "-o", workspace.parent / "r.docx")
    one_error_line(result, "Cannot tell the format from", "add --format pdf|html|md")
    assert beside(workspace) == []


@pytest.mark.subprocess
def test_the_command_draws_without_a_display(tmp_path: Path) -> None:
    """A shell with no display and no Qt platform set: the command makes its own
    offscreen application."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "RCA_DESK_WORKSPACE")
    }
    ws, out = tmp_path / "w.rcadesk", tmp_path / "report.pdf"

    def run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "rca_desk", "--workspace", str(ws), *map(str, argv)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    assert run("demo").returncode == 0
    made = run("report", "--incident", "1", "--page", "letter", "-o", out)
    assert (made.returncode, made.stdout) == (0, "")
    assert made.stderr == f"Wrote the team's report of incident 1 to {out}\n"
    assert out.read_bytes().startswith(b"%PDF-")
