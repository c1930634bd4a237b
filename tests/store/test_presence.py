"""The presence file: who else has a workspace open, with a fake clock and no sleeping.

Every time is given (``now=``), and whether a process runs is answered by the test
(``alive=``) except where the real check itself is tested.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rca_desk.store import presence as presence_module
from rca_desk.store.presence import (
    MAX_BYTES,
    Holder,
    Presence,
    holder,
    lock_path,
    pid_alive,
    presence_note,
    read_holder,
)

T0 = datetime(2026, 11, 23, 14, 2, 30, tzinfo=UTC)
HERE = socket.gethostname()


def dead(pid: int) -> bool:
    return False


def alive(pid: int) -> bool:
    return True


def ana(*, host: str = "pc-12", pid: int = 4242, at: datetime = T0, **more: object) -> Holder:
    fields: dict[str, object] = {
        "user": "ana",
        "name": "Ana Silva",
        "host": host,
        "pid": pid,
        "started": at,
        "refreshed": at,
    }
    fields.update(more)
    return Holder(**fields)  # type: ignore[arg-type]


def plant(workspace: Path, who: Holder) -> bytes:
    data = who.to_json()
    lock_path(workspace).write_bytes(data)
    return data


def on_disk(workspace: Path) -> dict[str, object]:
    return json.loads(lock_path(workspace).read_text(encoding="utf-8"))


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    # Presence never opens the workspace itself; the file need not even exist.
    return tmp_path / "team.rcadesk"


# ------------------------------------------------------------------ the file
def test_lock_file_sits_beside_the_workspace_under_its_whole_name(tmp_path: Path) -> None:
    assert lock_path(tmp_path / "a.rcadesk") == tmp_path / "a.rcadesk.presence.json"
    assert lock_path(tmp_path / "a.db") != lock_path(tmp_path / "a.rcadesk")


def test_claim_writes_who_we_are_as_json(ws: Path) -> None:
    me = Presence.claim(ws, T0, alive=dead)
    assert me.owned and me.other is None
    record = on_disk(ws)
    assert record["pid"] == os.getpid()
    assert record["host"] == HERE
    assert record["user"] == me.me.user and record["user"]
    assert record["started"] == record["refreshed"] == "2026-11-23T14:02:30+00:00"
    assert read_holder(lock_path(ws)) == me.me
    # Nothing but the lock is left in the folder (the temporary file was renamed).
    assert sorted(p.name for p in ws.parent.iterdir()) == [lock_path(ws).name]


def test_refresh_rewrites_the_time_and_keeps_the_start(ws: Path) -> None:
    me = Presence.claim(ws, T0, alive=dead)
    assert me.refresh(T0 + timedelta(seconds=20)) is None
    record = on_disk(ws)
    assert record["started"] == "2026-11-23T14:02:30+00:00"
    assert record["refreshed"] == "2026-11-23T14:02:50+00:00"
    assert me.owned


def test_release_removes_our_file_and_refresh_does_not_bring_it_back(ws: Path) -> None:
    me = Presence.claim(ws, T0, alive=dead)
    me.release()
    assert not lock_path(ws).exists()
    assert me.refresh(T0 + timedelta(seconds=20)) is None
    assert not lock_path(ws).exists()
    me.release()  # twice is harmless


def test_our_own_fresh_file_is_nobody_else(ws: Path) -> None:
    me = Presence.claim(ws, T0, alive=dead)
    # A second look a minute and a half later (refreshes in between were missed).
    assert me.refresh(T0 + timedelta(seconds=90)) is None
    assert me.owned


# --------------------------------------------------------------- stale files
def test_stale_file_of_a_dead_process_on_this_host_is_taken_over(ws: Path) -> None:
    plant(ws, ana(host=HERE, pid=99999, at=T0 - timedelta(minutes=5)))
    me = Presence.claim(ws, T0, alive=dead)
    assert me.other is None and me.owned
    assert on_disk(ws)["pid"] == os.getpid()


def test_a_dead_process_that_refreshed_within_the_minute_still_counts(ws: Path) -> None:
    # Two computers can share a host name, so a missing pid alone does not make it stale.
    data = plant(ws, ana(host=HERE, pid=99999, at=T0 - timedelta(seconds=59)))
    me = Presence.claim(ws, T0, alive=dead)
    assert me.other is not None and me.other.name == "Ana Silva"
    assert not me.owned
    assert lock_path(ws).read_bytes() == data


def test_an_old_file_of_a_running_process_on_this_host_is_not_stale(ws: Path) -> None:
    data = plant(ws, ana(host=HERE, pid=99999, at=T0 - timedelta(hours=3)))
    seen: list[int] = []

    def running(pid: int) -> bool:
        seen.append(pid)
        return True

    me = Presence.claim(ws, T0, alive=running)
    assert me.other is not None and not me.owned
    assert seen == [99999]
    assert lock_path(ws).read_bytes() == data


def test_an_old_file_naming_our_own_pid_is_from_a_process_that_is_gone(ws: Path) -> None:
    # Our pid, another start: whoever wrote it is not running any more (we are that pid).
    plant(ws, ana(host=HERE, pid=os.getpid(), at=T0 - timedelta(minutes=2)))
    me = Presence.claim(ws, T0, alive=alive)
    assert me.owned and me.other is None


def test_another_hosts_file_is_stale_after_a_minute_without_asking_for_its_pid(ws: Path) -> None:
    asked: list[int] = []
    plant(ws, ana(at=T0 - timedelta(seconds=61)))
    me = Presence.claim(ws, T0, alive=lambda pid: asked.append(pid) or True)
    assert me.owned and me.other is None
    assert asked == []
    assert on_disk(ws)["host"] == HERE


def test_a_fresh_foreign_file_is_reported_and_left_as_it_is(ws: Path) -> None:
    data = plant(ws, ana(at=T0 - timedelta(seconds=60)))
    me = Presence.claim(ws, T0, alive=alive)
    assert me.other == ana(at=T0 - timedelta(seconds=60))
    assert not me.owned
    assert lock_path(ws).read_bytes() == data
    assert holder(ws, T0, alive=alive) == me.other


def test_a_refresh_a_little_ahead_of_our_clock_is_fresh(ws: Path) -> None:
    plant(ws, ana(at=T0 + timedelta(seconds=30)))  # their clock is a bit ahead
    assert Presence.claim(ws, T0).other is not None


def test_a_waiter_keeps_looking_and_takes_over_once_the_holder_goes_stale(ws: Path) -> None:
    plant(ws, ana(at=T0))
    me = Presence.claim(ws, T0 + timedelta(seconds=5), alive=alive)
    assert me.other is not None
    # The holder refreshes: still there on our next look.
    plant(ws, ana(at=T0, refreshed=T0 + timedelta(seconds=20)))
    assert me.refresh(T0 + timedelta(seconds=25)) is not None
    assert not me.owned
    # Then it stops (its computer went to sleep): a minute later the file is ours.
    assert me.refresh(T0 + timedelta(seconds=81)) is None
    assert me.owned
    assert on_disk(ws)["pid"] == os.getpid()


def test_a_waiter_takes_over_as_soon_as_the_holder_leaves(ws: Path) -> None:
    plant(ws, ana(at=T0))
    me = Presence.claim(ws, T0, alive=alive)
    assert me.other is not None
    lock_path(ws).unlink()  # the holder closed the workspace
    assert me.refresh(T0 + timedelta(seconds=20)) is None
    assert me.owned and on_disk(ws)["host"] == HERE


def test_release_leaves_someone_elses_file_alone(ws: Path) -> None:
    data = plant(ws, ana(at=T0))
    waiter = Presence.claim(ws, T0, alive=alive)
    waiter.release()
    assert lock_path(ws).read_bytes() == data


def test_release_after_someone_took_over_leaves_theirs(ws: Path) -> None:
    me = Presence.claim(ws, T0, alive=dead)
    data = plant(ws, ana(at=T0 + timedelta(minutes=3)))  # we were asleep; they took over
    me.release()
    assert lock_path(ws).read_bytes() == data


def test_a_file_from_an_earlier_run_of_this_same_pid_is_not_ours_to_release(ws: Path) -> None:
    me = Presence.claim(ws, T0, alive=dead)
    # Same host and pid, another start time: another app (after a pid was reused).
    data = plant(ws, ana(host=HERE, pid=os.getpid(), at=T0 + timedelta(seconds=1)))
    me.release()
    assert lock_path(ws).read_bytes() == data


def test_someone_writing_at_the_same_moment_wins_if_the_file_says_so(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    theirs = ana(at=T0)

    def and_then_theirs(src: object, dst: object) -> None:
        real_replace(src, dst)  # type: ignore[arg-type]
        Path(str(dst)).write_bytes(theirs.to_json())

    monkeypatch.setattr(presence_module.os, "replace", and_then_theirs)
    me = Presence.claim(ws, T0, alive=alive)
    assert me.other == theirs and not me.owned


# ------------------------------------------------------------- garbage files
GARBAGE = {
    "empty": b"",
    "cut short": ana().to_json()[:40],
    "not json": b"\x00\xff\xfe locked by ana",
    "not utf-8": ana().to_json().replace(b"Ana", b"\xffna"),
    "a list": b"[1, 2, 3]",
    "null": b"null",
    "deeply nested": b"[" * 100_000,
    "pid as text": ana().to_json().replace(b'"pid": 4242', b'"pid": "4242"'),
    "pid true": ana().to_json().replace(b'"pid": 4242', b'"pid": true'),
    "pid negative": ana().to_json().replace(b'"pid": 4242', b'"pid": -1'),
    "no host": ana().to_json().replace(b'"host"', b'"hostname"'),
    "no refresh time": ana().to_json().replace(b'"refreshed"', b'"seen"'),
    "bad time": ana().to_json().replace(b"2026-11-23T14:02:30", b"yesterday at two"),
    "huge": ana(name="A" * 5000).to_json(),
}


@pytest.mark.parametrize("data", GARBAGE.values(), ids=GARBAGE.keys())
def test_a_garbage_file_names_nobody_and_is_taken_over(ws: Path, data: bytes) -> None:
    lock_path(ws).write_bytes(data)
    assert read_holder(lock_path(ws)) is None
    assert holder(ws, T0, alive=alive) is None
    me = Presence.claim(ws, T0, alive=alive)
    assert me.owned and me.other is None
    assert on_disk(ws)["pid"] == os.getpid()


def test_a_refresh_time_days_ahead_is_nonsense_not_clock_skew(ws: Path) -> None:
    plant(ws, ana(refreshed=T0 + timedelta(days=2)))
    assert holder(ws, T0, alive=alive) is None
    assert Presence.claim(ws, T0, alive=alive).owned


def test_the_good_record_the_garbage_was_made_from_is_read(ws: Path) -> None:
    # The garbage above is garbage for its one change, not for the record it started from.
    plant(ws, ana())
    assert read_holder(lock_path(ws)) == ana()
    assert len(ana(name="A" * 3000).to_json()) <= MAX_BYTES
    plant(ws, ana(name="A" * 3000))
    found = read_holder(lock_path(ws))
    assert found is not None and found.name == "A" * 80  # long names are cut


def test_a_whole_record_is_read_up_to_the_size_limit_and_not_a_byte_more(ws: Path) -> None:
    record = ana().to_json().rstrip(b"\n")
    lock_path(ws).write_bytes(record + b" " * (MAX_BYTES - len(record)))
    assert read_holder(lock_path(ws)) == ana()
    lock_path(ws).write_bytes(record + b" " * (MAX_BYTES + 1 - len(record)))
    assert read_holder(lock_path(ws)) is None


def test_control_characters_in_a_name_become_spaces(ws: Path) -> None:
    plant(ws, ana(name="Ana\nSilva\x1b[2J\u202e"))
    found = read_holder(lock_path(ws))
    assert found is not None and found.name == "Ana Silva [2J"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_in_place_of_the_file_does_not_hang(ws: Path) -> None:
    os.mkfifo(lock_path(ws))
    assert holder(ws, T0, alive=alive) is None
    me = Presence.claim(ws, T0, alive=alive)
    assert me.owned and lock_path(ws).is_file()


def test_a_folder_in_place_of_the_file_skips_presence(ws: Path) -> None:
    lock_path(ws).mkdir()
    me = Presence.claim(ws, T0, alive=alive)
    assert not me.owned and me.other is None
    me.refresh(T0 + timedelta(seconds=20))
    me.release()
    assert lock_path(ws).is_dir()


# ------------------------------------------------------------ read-only folder
@pytest.fixture
def read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder nobody may write; for root (who may), renames into it fail as they would."""
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "team.rcadesk").write_bytes(b"")
    folder.chmod(0o555)
    if os.name == "posix" and os.geteuid() == 0:
        real_replace = os.replace

        def refuse(src: object, dst: object) -> None:
            if Path(str(dst)).parent == folder:
                raise PermissionError(13, "Permission denied", str(dst))
            real_replace(src, dst)  # type: ignore[arg-type]

        monkeypatch.setattr(presence_module.os, "replace", refuse)
    yield folder
    folder.chmod(0o755)


def test_a_read_only_folder_skips_presence_without_an_error(read_only: Path) -> None:
    ws = read_only / "team.rcadesk"
    me = Presence.claim(ws, T0, alive=alive)
    assert not me.owned and me.other is None
    assert me.refresh(T0 + timedelta(seconds=20)) is None
    me.release()
    assert sorted(p.name for p in read_only.iterdir()) == ["team.rcadesk"]  # no litter


def test_a_read_only_folder_still_says_who_is_there(read_only: Path) -> None:
    ws = read_only / "team.rcadesk"
    read_only.chmod(0o755)
    plant(ws, ana(at=T0))
    read_only.chmod(0o555)
    me = Presence.claim(ws, T0, alive=alive)
    assert me.other is not None and me.other.user == "ana"


# ------------------------------------------------------------ is it running
def test_this_process_is_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(0) and not pid_alive(-5)


@pytest.mark.subprocess
def test_a_finished_child_process_is_not() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid names no process now
    assert not pid_alive(child.pid)


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill probes on POSIX only")
def test_a_process_we_may_not_signal_is_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(pid: int, sig: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(presence_module.os, "kill", refuse)
    assert pid_alive(12345)

    def gone(pid: int, sig: int) -> None:
        raise ProcessLookupError(3, "No such process")

    monkeypatch.setattr(presence_module.os, "kill", gone)
    assert not pid_alive(12345)


# ------------------------------------------------------------------ wording
def test_the_holder_is_named_with_login_host_and_start_time() -> None:
    now = T0 + timedelta(hours=1)
    assert ana().describe(now, UTC) == "Ana Silva (ana on pc-12, since 14:02)"
    assert ana(name="").describe(now, UTC) == "ana on pc-12 (since 14:02)"
    assert ana(name="ana").describe(now, UTC) == "ana on pc-12 (since 14:02)"
    yesterday = ana(at=T0 - timedelta(days=1))
    assert yesterday.describe(now, UTC) == "Ana Silva (ana on pc-12, since 2026-11-22 14:02)"


def test_our_own_other_app_is_named_as_ours(ws: Path) -> None:
    mine = Holder.me(T0)
    other = Holder(mine.user, mine.name, mine.host, 4242, T0, T0)
    assert other.describe(T0, UTC) == (
        "Your own rca-desk on this computer (process 4242, since 14:02)"
    )


def test_the_note_names_the_holder_and_says_both_can_edit() -> None:
    note = presence_note(ana(), T0, UTC)
    assert note.startswith("Ana Silva (ana on pc-12, since 14:02) also has this workspace open.")
    assert "You can both edit" in note
