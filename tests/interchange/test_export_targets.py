"""What an export does to the thing already at its target, and to a new file's mode.

New files get ``0o666`` less the umask, an overwritten file keeps its mode, a symbolic
link is written through, a hard-linked file is written in place so every name sees the new
content, and pipes, devices, folders and read-only files are refused untouched. Every test
works as root (whom permission bits do not stop) and as anyone else.
"""

from __future__ import annotations

import os
import signal
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from rca_desk.interchange.files import ExportError, atomic_write_bytes

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types and modes")
pytestmark = posix_only


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process umask whatever a test sets it to."""
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.fixture
def never_blocks() -> Iterator[None]:
    """Fail the test, instead of hanging the run, if a write waits (on a pipe) for 5 s."""

    def blocked(signum: int, frame: FrameType | None) -> None:
        raise AssertionError("the export blocked (it opened the pipe)")

    previous = signal.signal(signal.SIGALRM, blocked)
    signal.setitimer(signal.ITIMER_REAL, 5)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------------------- modes
@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
@pytest.mark.usefixtures("umask")
def test_a_new_file_gets_0o666_less_the_umask(tmp_path: Path, mask: int, expected: int) -> None:
    os.umask(mask)
    atomic_write_bytes(tmp_path / "new.svg", b"<svg/>")
    assert mode(tmp_path / "new.svg") == expected
    assert (tmp_path / "new.svg").read_bytes() == b"<svg/>"


@pytest.mark.usefixtures("umask")
def test_an_overwritten_file_keeps_its_mode(tmp_path: Path) -> None:
    os.umask(0o077)  # the umask is for new files only
    target = tmp_path / "shared.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write_bytes(target, b"new")
    assert mode(target) == 0o640
    assert target.read_bytes() == b"new"
    assert names(tmp_path) == ["shared.csv"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_root_overwriting_someone_elses_file_leaves_it_theirs(tmp_path: Path) -> None:
    target = tmp_path / "theirs.png"
    target.write_bytes(b"old")
    os.chown(target, 4321, 4321)
    target.chmod(0o600)
    atomic_write_bytes(target, b"new")
    owner = target.stat()
    assert (owner.st_uid, owner.st_gid, mode(target)) == (4321, 4321, 0o600)


# ------------------------------------------------------------------ symbolic links
def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = elsewhere / "diagram.dot"
    real.write_bytes(b"old")
    real.chmod(0o640)
    here = tmp_path / "here"
    here.mkdir()
    link = here / "diagram.dot"
    link.symlink_to(real)

    atomic_write_bytes(link, b"digraph {}")

    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_bytes() == b"digraph {}"
    assert mode(real) == 0o640
    # The temporary file was beside the real file (the rename is within one folder).
    assert names(elsewhere) == ["diagram.dot"]
    assert names(here) == ["diagram.dot"]


def test_a_relative_symlink_is_followed_from_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_bytes(b"old")
    (tmp_path / "sub").mkdir()
    link = tmp_path / "sub" / "link.json"
    link.symlink_to(Path("..") / "real.json")
    atomic_write_bytes(link, b"new")
    assert link.is_symlink()
    assert (tmp_path / "real.json").read_bytes() == b"new"


def test_a_chain_of_symlinks_is_followed_to_the_end(tmp_path: Path) -> None:
    (tmp_path / "real.mmd").write_bytes(b"old")
    (tmp_path / "b").symlink_to(tmp_path / "real.mmd")
    (tmp_path / "a").symlink_to(tmp_path / "b")
    atomic_write_bytes(tmp_path / "a", b"new")
    assert (tmp_path / "real.mmd").read_bytes() == b"new"
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


@pytest.mark.usefixtures("umask")
def test_a_dangling_symlink_creates_the_file_it_names(tmp_path: Path) -> None:
    os.umask(0o022)
    (tmp_path / "out").mkdir()
    link = tmp_path / "latest.graphml"
    link.symlink_to(tmp_path / "out" / "v2.graphml")
    atomic_write_bytes(link, b"<graphml/>")
    assert link.is_symlink()
    assert (tmp_path / "out" / "v2.graphml").read_bytes() == b"<graphml/>"
    assert mode(tmp_path / "out" / "v2.graphml") == 0o644
    assert names(tmp_path / "out") == ["v2.graphml"]


def test_a_dangling_symlink_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "latest.json"
    missing = tmp_path / "gone" / "v2.json"
    link.symlink_to(missing)
    with pytest.raises(ExportError) as refused:
        atomic_write_bytes(link, b"{}")
    assert str(refused.value) == (
        f"{link}: is a symbolic link to {missing}, whose folder does not exist; "
        "nothing was written."
    )
    assert link.is_symlink()
    assert names(tmp_path) == ["latest.json"]


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(ExportError, match=r"too many levels of symbolic links"):
        atomic_write_bytes(tmp_path / "a", b"x")
    assert names(tmp_path) == ["a", "b"]


# ---------------------------------------------------------------------- hard links
def test_a_hard_linked_file_is_written_in_place_so_every_name_sees_it(tmp_path: Path) -> None:
    first = tmp_path / "report.csv"
    first.write_bytes(b"a much longer old content than the new one")
    first.chmod(0o640)
    second = tmp_path / "copy-for-audit.csv"
    os.link(first, second)
    inode = first.stat().st_ino

    atomic_write_bytes(second, b"new")

    for name in (first, second):
        assert name.read_bytes() == b"new"  # truncated, not just overwritten
        assert name.stat().st_ino == inode
        assert name.stat().st_nlink == 2
        assert mode(name) == 0o640
    assert names(tmp_path) == ["copy-for-audit.csv", "report.csv"]


def test_a_hard_linked_file_can_be_emptied(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"old")
    os.link(tmp_path / "a", tmp_path / "b")
    atomic_write_bytes(tmp_path / "a", b"")
    assert (tmp_path / "b").read_bytes() == b""


def test_a_hard_linked_file_that_cannot_be_written_says_it_may_be_incomplete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").write_bytes(b"old")
    os.link(tmp_path / "a", tmp_path / "b")

    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(ExportError) as refused:
        atomic_write_bytes(tmp_path / "a", b"new")
    assert str(refused.value) == (
        f"{tmp_path / 'a'}: cannot be written (No space left on device); it has hard links, "
        "so it was being written in place and may be incomplete."
    )


# ------------------------------------------------------------------ refused targets
def test_a_fifo_is_refused_without_opening_it(tmp_path: Path, never_blocks: None) -> None:
    pipe = tmp_path / "diagram.png"
    os.mkfifo(pipe)
    with pytest.raises(ExportError) as refused:
        atomic_write_bytes(pipe, b"png")
    assert str(refused.value) == (
        f"{pipe}: is a named pipe (FIFO), not a file; nothing was written."
    )
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert names(tmp_path) == ["diagram.png"]


def test_a_symlink_to_a_fifo_is_refused_naming_both(tmp_path: Path, never_blocks: None) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    (tmp_path / "out.pdf").symlink_to(pipe)
    with pytest.raises(ExportError) as refused:
        atomic_write_bytes(tmp_path / "out.pdf", b"%PDF")
    assert str(refused.value) == (
        f"{tmp_path / 'out.pdf'} (a link to {pipe}): is a named pipe (FIFO), not a file; "
        "nothing was written."
    )


def test_a_read_only_file_is_refused_and_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "signed-off.json"
    target.write_bytes(b'{"final": true}')
    target.chmod(0o444)
    before = target.stat()
    with pytest.raises(ExportError) as refused:
        atomic_write_bytes(target, b"{}")
    assert str(refused.value) == f"{target}: is read-only; nothing was written."
    after = target.stat()
    assert target.read_bytes() == b'{"final": true}'
    assert (after.st_ino, after.st_mtime_ns, mode(target)) == (
        before.st_ino,
        before.st_mtime_ns,
        0o444,
    )
    assert names(tmp_path) == ["signed-off.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_a_file_this_user_may_not_write_is_refused_though_others_may(tmp_path: Path) -> None:
    # The folder is writable, so a rename would succeed: the refusal must come first.
    target = tmp_path / "group.csv"
    target.write_bytes(b"old")
    target.chmod(0o464)  # the group may write it; its owner (this user) may not
    with pytest.raises(ExportError, match=r"is read-only; nothing was written\.$"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"


def test_a_read_only_hard_linked_file_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"old")
    os.link(tmp_path / "a", tmp_path / "b")
    (tmp_path / "a").chmod(0o440)
    with pytest.raises(ExportError, match=r"is read-only; nothing was written\.$"):
        atomic_write_bytes(tmp_path / "b", b"new")
    assert (tmp_path / "a").read_bytes() == b"old"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "exports.svg"
    folder.mkdir()
    (folder / "inside").write_bytes(b"kept")
    with pytest.raises(ExportError) as refused:
        atomic_write_bytes(folder, b"<svg/>")
    assert str(refused.value) == f"{folder}: is a folder, not a file; nothing was written."
    assert names(folder) == ["inside"]
    assert names(tmp_path) == ["exports.svg"]


@pytest.mark.skipif(not Path("/dev/null").is_char_device(), reason="no /dev/null")
def test_a_device_is_refused() -> None:
    with pytest.raises(ExportError) as refused:
        atomic_write_bytes("/dev/null", b"x")
    assert str(refused.value) == "/dev/null: is a device, not a file; nothing was written."
    assert Path("/dev/null").is_char_device()


def test_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    place = tmp_path / "s.dot"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(place))
        with pytest.raises(ExportError, match=r"is a socket, not a file; nothing was written"):
            atomic_write_bytes(place, b"digraph {}")
    assert place.is_socket()
