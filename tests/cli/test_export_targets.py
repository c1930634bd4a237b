"""An export through the command line to a target it must not replace: one line, exit 2."""

from __future__ import annotations

import os
import signal
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from rca_desk.cli.main import EXIT_ERROR, EXIT_OK, main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX")


@pytest.fixture
def never_blocks() -> Iterator[None]:
    """Fail the test, instead of hanging the run, if the command waits 10 s (on a pipe)."""

    def blocked(signum: int, frame: FrameType | None) -> None:
        raise AssertionError("the export blocked (it opened the pipe)")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.setitimer(signal.ITIMER_REAL, 10)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.usefixtures("never_blocks")
@pytest.mark.parametrize("command", ["export", "export-json"])
def test_a_fifo_target_is_refused_with_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    ws = str(tmp_path / "w.rcadesk")
    assert main(["--workspace", ws, "demo"]) == EXIT_OK
    capsys.readouterr()
    target = tmp_path / "diagram.dot"
    os.mkfifo(target)

    code = main(["--workspace", ws, command, "--incident", "1", "-o", str(target)])

    captured = capsys.readouterr()
    assert code == EXIT_ERROR
    assert captured.err == (
        f"rca-desk: error: {target}: is a named pipe (FIFO), not a file; nothing was written.\n"
    )
    assert captured.out == ""
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("w.rcadesk")) == [
        "diagram.dot"
    ]
