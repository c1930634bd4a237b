"""The presence file's record, who we say we are, and the edges of what counts as garbage.

The other presence tests check the protocol (claim, refresh, take over, release); these
check the record itself as another app or a person reads it, how this app names itself
when the system cannot say, how a process is asked whether it runs, and the wording in
another time zone than the machine's.
"""

from __future__ import annotations

import getpass
import os
import socket
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from rca_desk.store import presence as presence_module
from rca_desk.store.presence import (
    MAX_AHEAD,
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


def ana(**more: object) -> Holder:
    fields: dict[str, object] = {
        "user": "ana",
        "name": "Ana Sílva",
        "host": "pc-12",
        "pid": 4242,
        "started": T0,
        "refreshed": T0,
    }
    fields.update(more)
    return Holder(**fields)  # type: ignore[arg-type]


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return tmp_path / "team.rcadesk"


# ------------------------------------------------------------------ the record
def test_the_record_is_short_readable_json_with_utc_times() -> None:
    lisbon_winter = timezone(timedelta(hours=-1))
    record = ana(
        started=T0.astimezone(lisbon_winter),
        refreshed=(T0 + timedelta(seconds=20)).astimezone(lisbon_winter),
    )
    assert (
        record.to_json()
        == (
            "{\n"
            ' "format": 1,\n'
            ' "app": "rca-desk",\n'
            ' "user": "ana",\n'
            ' "name": "Ana Sílva",\n'
            ' "host": "pc-12",\n'
            ' "pid": 4242,\n'
            ' "started": "2026-11-23T14:02:30+00:00",\n'
            ' "refreshed": "2026-11-23T14:02:50+00:00"\n'
            "}\n"
        ).encode()
    )


def test_times_written_without_a_zone_are_read_as_utc(ws: Path) -> None:
    data = ana().to_json().replace(b"+00:00", b"")
    lock_path(ws).write_bytes(data)
    found = read_holder(lock_path(ws))
    assert found == ana()
    assert found is not None and found.refreshed.tzinfo is not None


def test_times_written_in_another_zone_keep_their_moment(ws: Path) -> None:
    data = ana().to_json().replace(b"14:02:30+00:00", b"16:02:30+02:00")
    lock_path(ws).write_bytes(data)
    assert read_holder(lock_path(ws)) == ana()


def test_a_record_without_a_full_name_names_the_user(ws: Path) -> None:
    data = ana().to_json().replace(b' "name": "Ana S\xc3\xadlva",\n', b"")
    assert b'"name"' not in data
    lock_path(ws).write_bytes(data)
    found = read_holder(lock_path(ws))
    assert found == ana(name="")
    assert found is not None and found.describe(T0, UTC) == "ana on pc-12 (since 14:02)"


@pytest.mark.parametrize(
    ("change", "readable"),
    [
        ((b'"name": "Ana S\xc3\xadlva"', b'"name": 5'), False),
        ((b'"pid": 4242', b'"pid": 0'), False),
        ((b'"pid": 4242', b'"pid": 1'), True),
        ((b'"pid": 4242', b'"pid": 2147483647'), True),
        ((b'"pid": 4242', b'"pid": 2147483648'), False),
    ],
    ids=["name not text", "pid 0", "pid 1", "largest pid", "pid past 32 bits"],
)
def test_the_edges_of_a_whole_record(ws: Path, change: tuple[bytes, bytes], readable: bool) -> None:
    lock_path(ws).write_bytes(ana().to_json().replace(*change))
    assert (read_holder(lock_path(ws)) is not None) is readable


def test_a_refresh_exactly_a_day_ahead_is_still_believed(ws: Path) -> None:
    lock_path(ws).write_bytes(ana(refreshed=T0 + MAX_AHEAD).to_json())
    assert holder(ws, T0) is not None


def test_an_old_file_on_this_host_asks_whether_its_process_runs(ws: Path) -> None:
    lock_path(ws).write_bytes(ana(host=HERE, pid=99999).to_json())
    later = T0 + timedelta(hours=3)
    assert holder(ws, later, alive=lambda pid: pid == 99999) is not None
    assert holder(ws, later, alive=lambda pid: False) is None


# ----------------------------------------------------------- who we say we are
def test_without_a_login_name_or_host_name_we_are_someone_on_localhost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "")
    monkeypatch.setattr(socket, "gethostname", lambda: "")
    me = Holder.me(T0)
    assert (me.user, me.host) == ("someone", "localhost")

    def fails() -> str:
        raise OSError("no user database")

    monkeypatch.setattr(getpass, "getuser", fails)
    monkeypatch.setattr(socket, "gethostname", fails)
    me = Holder.me(T0)
    assert (me.user, me.host) == ("someone", "localhost")


@pytest.mark.skipif(sys.platform == "win32", reason="GECOS is Unix")
def test_the_full_name_is_the_first_part_of_the_gecos_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pwd

    monkeypatch.setattr(getpass, "getuser", lambda: "ana")

    def entry(gecos: str) -> object:
        return lambda uid: SimpleNamespace(pw_gecos=gecos)

    monkeypatch.setattr(pwd, "getpwuid", entry("Ana Silva,Room 12,555-0100,"))
    assert Holder.me(T0).name == "Ana Silva"
    monkeypatch.setattr(pwd, "getpwuid", entry(""))
    assert Holder.me(T0).name == ""

    def unknown(uid: int) -> object:
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", unknown)
    assert Holder.me(T0).name == ""


def test_someone_else_on_this_computer_is_not_our_own_app() -> None:
    stranger = ana(host=HERE, user="not-" + presence_module._login())
    assert stranger.describe(T0, UTC).startswith(f"Ana Sílva ({stranger.user} on {HERE},")


# ------------------------------------------------------------ is it running
def test_pid_1_is_a_running_process() -> None:
    assert pid_alive(1)


@pytest.mark.skipif(sys.platform == "win32", reason="os.kill probes on POSIX only")
def test_asking_whether_a_process_runs_sends_it_no_signal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[tuple[int, int]] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: sent.append((pid, sig)))
    assert pid_alive(12345)
    assert sent == [(12345, 0)]

    def unsure(pid: int, sig: int) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(os, "kill", unsure)
    assert pid_alive(12345)  # when unsure, it runs


def test_on_windows_a_process_is_asked_without_os_kill(monkeypatch: pytest.MonkeyPatch) -> None:
    # os.kill(pid, 0) would send Ctrl+C there.
    def no_kill(pid: int, sig: int) -> None:
        raise AssertionError("os.kill on Windows")

    asked: list[int] = []
    monkeypatch.setattr(os, "kill", no_kill)

    def windows_probe(pid: int) -> bool:
        asked.append(pid)
        return False

    monkeypatch.setattr(presence_module, "_windows_pid_alive", windows_probe)
    monkeypatch.setattr(sys, "platform", "win32")
    assert not pid_alive(12345)
    assert asked == [12345]


# ------------------------------------------------------------------ wording
def test_times_are_shown_in_the_zone_asked_for() -> None:
    tokyo = timezone(timedelta(hours=9))
    # 14:02 UTC on the 23rd is 23:02 in Tokyo; an hour later it is the 24th there.
    later = T0 + timedelta(hours=1)
    assert ana().describe(later, tokyo) == "Ana Sílva (ana on pc-12, since 2026-11-23 23:02)"
    assert ana().describe(T0 + timedelta(minutes=30), tokyo) == (
        "Ana Sílva (ana on pc-12, since 23:02)"
    )
    assert presence_note(ana(), later, tokyo) == (
        "Ana Sílva (ana on pc-12, since 2026-11-23 23:02) also has this workspace open. "
        "You can both edit: each change is saved at once, and each of you sees the "
        "other's within a second."
    )


# -------------------------------------------------------------- failing disks
def test_a_workspace_whose_folder_is_gone_skips_presence(tmp_path: Path) -> None:
    me = Presence.claim(tmp_path / "unplugged" / "team.rcadesk", T0)
    assert not me.owned and me.other is None
    me.release()


def test_release_forgets_the_file_even_when_it_cannot_be_removed(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = Presence.claim(ws, T0)
    assert me.owned

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    me.release()
    assert not me.owned and me.other is None
