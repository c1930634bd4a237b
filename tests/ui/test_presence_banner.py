"""The window says who else has the workspace open, and warns about network drives.

A fake clock drives every presence decision; the test calls ``notices.refresh()`` where
the app's 20-second timer would, so nothing waits.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from rca_desk.store import Workspace, filesystems
from rca_desk.store.presence import Holder, lock_path, read_holder
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY
from tests.ui.conftest import Dialogs

T0 = datetime(2026, 11, 23, 14, 2, tzinfo=UTC)


def ana(at: datetime, *, host: str = "pc-12", pid: int = 4242, name: str = "Ana Silva") -> Holder:
    return Holder(user="ana", name=name, host=host, pid=pid, started=at, refreshed=at)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0 + timedelta(seconds=10)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def open_window(
    qtbot: object, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[Path], MainWindow]]:
    """Open a window on the workspace at a path (made if missing), as the app does."""
    opened: list[Workspace] = []

    def make(path: Path) -> MainWindow:
        workspace = Workspace.open(path)
        opened.append(workspace)
        window = MainWindow(workspace, today=TODAY, clock=clock)
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        Dialogs().install(window, monkeypatch)
        return window

    yield make
    for workspace in opened:
        workspace.close()


def ours(path: Path) -> bool:
    found = read_holder(lock_path(path))
    return found is not None and found.pid == os.getpid() and found.host == socket.gethostname()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: no process has this pid now
    return child.pid


@pytest.mark.subprocess  # a real process that has ended gives the dead pid
def test_a_stale_lock_of_a_dead_process_is_taken_over_silently(
    open_window: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "team.rcadesk"
    lock_path(path).write_bytes(
        ana(T0 - timedelta(minutes=5), host=socket.gethostname(), pid=dead_pid()).to_json()
    )
    window = open_window(path)
    assert ours(path)
    assert window.notices.presence_bar.text() == ""
    assert not window.notices.isVisibleTo(window)


def test_someone_else_fresh_is_named_and_the_workspace_opens_for_editing(
    open_window: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "team.rcadesk"
    theirs = ana(T0).to_json()
    lock_path(path).write_bytes(theirs)
    window = open_window(path)

    bar = window.notices.presence_bar
    assert window.notices.isVisibleTo(window) and bar.isVisibleTo(window)
    assert bar.text().startswith("Ana Silva (ana on pc-12, since ")
    assert "also has this workspace open" in bar.text()
    assert bar.label.textFormat() == Qt.TextFormat.PlainText

    # Not in the way: the sample goes in and is listed, and their file is as it was.
    window.sample_action.trigger()
    assert window.incident_list.table_model.rowCount() == 1
    with Workspace.open(path, create=False) as other:
        assert len(other.incidents()) == 1
    assert lock_path(path).read_bytes() == theirs


def test_the_window_looks_again_and_takes_over_when_they_leave(
    open_window: Callable[[Path], MainWindow], tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "team.rcadesk"
    lock_path(path).write_bytes(ana(T0).to_json())
    window = open_window(path)
    assert window.notices.timer.isActive()
    assert window.notices.timer.interval() == 20_000

    clock.now = T0 + timedelta(seconds=40)
    window.notices.refresh()  # still fresh: still named, still theirs
    assert "Ana Silva" in window.notices.presence_bar.text()
    assert not ours(path)

    lock_path(path).unlink()  # Ana closed the workspace
    clock.now = T0 + timedelta(seconds=60)
    window.notices.refresh()
    assert window.notices.presence_bar.text() == ""
    assert ours(path)


def test_a_holder_that_stops_refreshing_is_taken_over_after_a_minute(
    open_window: Callable[[Path], MainWindow], tmp_path: Path, clock: Clock
) -> None:
    path = tmp_path / "team.rcadesk"
    lock_path(path).write_bytes(ana(T0).to_json())
    window = open_window(path)
    clock.now = T0 + timedelta(minutes=1, seconds=1)
    window.notices.refresh()
    assert window.notices.presence_bar.text() == ""
    assert ours(path)


def test_closing_removes_our_lock(
    open_window: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "team.rcadesk"
    window = open_window(path)
    assert ours(path)
    window.close()
    assert not lock_path(path).exists()
    assert not window.notices.timer.isActive()


def test_closing_leaves_someone_elses_lock(
    open_window: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "team.rcadesk"
    theirs = ana(T0).to_json()
    lock_path(path).write_bytes(theirs)
    window = open_window(path)
    window.close()
    assert lock_path(path).read_bytes() == theirs


def test_switching_workspaces_moves_our_presence(
    open_window: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    first, second = tmp_path / "first.rcadesk", tmp_path / "second.rcadesk"
    Workspace.open(second).close()
    lock_path(second).write_bytes(ana(T0).to_json())
    window = open_window(first)
    assert ours(first) and window.notices.presence_bar.text() == ""

    assert window.files.open_workspace(second)
    assert not lock_path(first).exists()
    assert "Ana Silva" in window.notices.presence_bar.text()

    assert window.files.open_workspace(first)
    assert ours(first)
    assert window.notices.presence_bar.text() == ""
    assert read_holder(lock_path(second)) == ana(T0)


def test_a_name_that_looks_like_html_shows_as_typed(
    open_window: Callable[[Path], MainWindow], tmp_path: Path
) -> None:
    path = tmp_path / "team.rcadesk"
    lock_path(path).write_bytes(ana(T0, name="<b>Ana</b> <a href='x'>Silva</a>").to_json())
    window = open_window(path)
    assert window.notices.presence_bar.label.text().startswith("<b>Ana</b> <a href='x'>Silva</a>")
    assert window.notices.presence_bar.label.textFormat() == Qt.TextFormat.PlainText


def fake_filesystem(monkeypatch: pytest.MonkeyPatch, *, nfs: bool) -> None:
    """Every platform's probe answers NFS (a network drive, on Windows) or a local disk."""
    monkeypatch.setattr(filesystems, "linux_statfs_type", lambda path: 0x6969 if nfs else 0xEF53)
    monkeypatch.setattr(filesystems, "mac_fstypename", lambda path: "nfs" if nfs else "apfs")
    monkeypatch.setattr(filesystems, "windows_drive_type", lambda root: 4 if nfs else 3)


def test_a_network_drive_is_warned_about_above_the_tabs(
    open_window: Callable[[Path], MainWindow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "local.rcadesk"
    Workspace.open(local).close()
    fake_filesystem(monkeypatch, nfs=True)
    path = tmp_path / "team.rcadesk"
    window = open_window(path)
    bar = window.notices.network_bar
    assert bar.isVisibleTo(window) and window.notices.isVisibleTo(window)
    assert bar.text().startswith(f"{path} is on a network drive (")
    assert "corrupt" in bar.text()
    if sys.platform.startswith("linux"):
        assert "(NFS)" in bar.text()
    assert bar.label.textFormat() == Qt.TextFormat.PlainText

    fake_filesystem(monkeypatch, nfs=False)  # the next workspace is on a local disk
    assert window.files.open_workspace(local)
    assert bar.text() == ""
    assert not window.notices.isVisibleTo(window)


def test_a_local_workspace_gets_no_warning(
    open_window: Callable[[Path], MainWindow], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_filesystem(monkeypatch, nfs=False)
    window = open_window(tmp_path / "team.rcadesk")
    assert window.notices.network_bar.text() == ""
