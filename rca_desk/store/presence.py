"""Who else has a workspace open: a small presence file beside it.

An app that opens a workspace writes ``<workspace file name>.presence.json`` in the same
folder, naming itself (user, full name, host, process id, when it started) and when it last
refreshed the file; it refreshes every :data:`REFRESH_EVERY` and removes the file when it
closes. A second app that opens the workspace reads the file and says who is there. It is
a *presence* file, not a lock: nothing is ever refused because of it, since the workspace
itself is safe for several writers (every edit is its own SQLite transaction).

The name: the whole workspace file name (``a.rcadesk`` and ``a.db`` in one folder do not
share one), not a ``-`` suffix (that is SQLite's own namespace: ``-wal``, ``-shm``,
``-journal``), and not ``.lock``, which SQLite's ``unix-dotfile`` locking (sometimes used
on network drives) creates as its own lock folder. ``.json`` says what is inside to anyone
who finds it.

Rules:

- A file is *stale* when its last refresh is over :data:`STALE_AFTER` old and its process
  is gone. On this host the process is asked for (a process we may not signal is alive);
  on another host it cannot be, so the age alone decides. The age is required on this
  host too, because two computers can share a host name. A stale file is ignored and
  taken over.
- A fresh file of someone else is never overwritten: the app waits, reads it again on
  every refresh, and takes it over once it is stale or gone.
- Writes go to a temporary file in the same folder and are renamed into place, so a reader
  never sees half a file. A file is removed on release only while it is still ours (same
  host, process and start time).
- Nothing here raises for a folder that cannot be written or a file that cannot be read:
  presence is then skipped. A garbage, partial or huge file (only :data:`MAX_BYTES` are
  read) names nobody and counts as stale.
- Times are timezone-aware (UTC in the file) and every method takes ``now``, so tests use
  a fake clock. Clocks of different computers are assumed to agree within a minute.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import stat
import sys
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

SUFFIX = ".presence.json"
#: How often an app that has the workspace open rewrites its presence file.
REFRESH_EVERY = timedelta(seconds=20)
#: A file not refreshed for this long may be stale (see the module's rules).
STALE_AFTER = timedelta(minutes=1)
#: A refresh time further ahead than this is nonsense, not clock skew: the file is garbage.
MAX_AHEAD = timedelta(days=1)
#: The most of a presence file ever read; a longer one is garbage.
MAX_BYTES = 4096
#: Longest user, name or host kept from a file (a banner is no place for an essay).
MAX_TEXT = 80
FORMAT = 1

#: Whether a process id on this host is running (tests pass their own).
Alive = Callable[[int], bool]


def lock_path(workspace: Path) -> Path:
    """The presence file of the workspace at ``workspace``."""
    return workspace.with_name(workspace.name + SUFFIX)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` on this host is running; when unsure, it is.

    On Windows ``os.kill(pid, 0)`` would send Ctrl+C (signal 0 is ``CTRL_C_EVENT``), so
    the process is opened and asked for its exit code instead.
    """
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    except OSError:
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    still_active = 259
    access_denied = 5
    try:
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(ctypes.get_last_error() == access_denied)  # type: ignore[attr-defined,unused-ignore]
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    except (AttributeError, OSError):
        return True


def _clean(text: object) -> str | None:
    """A short one-line text from the file, or None if it is not text at all."""
    if not isinstance(text, str):
        return None
    chars = [" " if unicodedata.category(c).startswith("C") else c for c in text]
    cleaned = " ".join("".join(chars).split())
    return cleaned[:MAX_TEXT]


def _when(text: object) -> datetime | None:
    if not isinstance(text, str) or len(text) > 40:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Holder:
    """Who a presence file names: one running app on one computer."""

    user: str
    name: str
    host: str
    pid: int
    started: datetime
    refreshed: datetime

    # ------------------------------------------------------------- identity
    @classmethod
    def me(cls, now: datetime) -> Holder:
        """This process, started (as far as presence is concerned) at ``now``."""
        return cls(
            user=_login(),
            name=_full_name(),
            host=_host(),
            pid=os.getpid(),
            started=now,
            refreshed=now,
        )

    def same_app(self, other: Holder) -> bool:
        """The same running app (a refresh changes only :attr:`refreshed`)."""
        return (self.host, self.pid, self.started) == (other.host, other.pid, other.started)

    def is_stale(self, now: datetime, *, alive: Alive = pid_alive) -> bool:
        """Not refreshed for :data:`STALE_AFTER` and its process gone (see the module)."""
        if now - self.refreshed <= STALE_AFTER:
            return False
        if self.host != _host():
            return True  # cannot ask another computer; the age decides
        if self.pid == os.getpid():
            return True  # that pid is this process now, so the one that wrote it is gone
        return not alive(self.pid)

    # -------------------------------------------------------------- wording
    def describe(self, now: datetime, tz: tzinfo | None = None) -> str:
        """``Ana Silva (ana on pc-12, since 14:02)``; times in ``tz`` (default: local)."""
        since = _since(self.started, now, tz)
        if self.host == _host() and self.user == _login():
            return f"Your own rca-desk on this computer (process {self.pid}, since {since})"
        where = f"{self.user} on {self.host}"
        if self.name and self.name != self.user:
            return f"{self.name} ({where}, since {since})"
        return f"{where} (since {since})"

    # ----------------------------------------------------------------- file
    def to_json(self) -> bytes:
        record = {
            "format": FORMAT,
            "app": "rca-desk",
            "user": self.user,
            "name": self.name,
            "host": self.host,
            "pid": self.pid,
            "started": self.started.astimezone(UTC).isoformat(),
            "refreshed": self.refreshed.astimezone(UTC).isoformat(),
        }
        return (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Holder | None:
        """The holder a file names, or None for anything that is not a whole record."""
        try:
            record: Any = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None
        if not isinstance(record, dict):
            return None
        user, name, host = (_clean(record.get(key, "")) for key in ("user", "name", "host"))
        pid = record.get("pid")
        started, refreshed = _when(record.get("started")), _when(record.get("refreshed"))
        if (
            not user
            or name is None
            or not host
            or not isinstance(pid, int)
            or isinstance(pid, bool)
            or not 0 < pid < 2**31
            or started is None
            or refreshed is None
        ):
            return None
        return cls(user=user, name=name, host=host, pid=pid, started=started, refreshed=refreshed)


def _since(started: datetime, now: datetime, tz: tzinfo | None) -> str:
    local, today = started.astimezone(tz), now.astimezone(tz)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def _login() -> str:
    try:
        return getpass.getuser() or "someone"
    except (OSError, KeyError, ImportError):
        return "someone"


def _full_name() -> str:
    """The user's full name where the system knows it (GECOS on Unix), else ""."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows only
            return _windows_display_name()
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos
    except (OSError, KeyError, ImportError, AttributeError):
        return ""
    return (_clean(gecos.split(",")[0]) or "").strip()


def _windows_display_name() -> str:  # pragma: no cover - Windows only
    import ctypes

    size = ctypes.c_ulong(256)
    buffer = ctypes.create_unicode_buffer(size.value)
    secur32 = ctypes.WinDLL("secur32")  # type: ignore[attr-defined,unused-ignore]
    if secur32.GetUserNameExW(3, buffer, ctypes.byref(size)):  # NameDisplay
        return _clean(buffer.value) or ""
    return ""


def _host() -> str:
    try:
        return socket.gethostname() or "localhost"
    except OSError:
        return "localhost"


def read_holder(lock: Path) -> Holder | None:
    """Whoever the presence file ``lock`` names; None when absent, unreadable or garbage."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(lock, flags)  # non-blocking: a FIFO planted there must not hang us
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = os.read(fd, MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        return None
    return Holder.from_json(data)


def _fresh(found: Holder | None, now: datetime, alive: Alive) -> Holder | None:
    if found is None or found.refreshed - now > MAX_AHEAD or found.is_stale(now, alive=alive):
        return None
    return found


def holder(path: Path, now: datetime, *, alive: Alive = pid_alive) -> Holder | None:
    """Who has the workspace at ``path`` open, if anyone does (a fresh presence file)."""
    return _fresh(read_holder(lock_path(Path(path))), now, alive)


def _write(lock: Path, data: bytes) -> bool:
    """Put ``data`` at ``lock`` whole (temporary file and rename); False if it cannot be."""
    part = lock.with_name(f".{lock.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        with part.open("xb") as handle:
            handle.write(data)
        part.replace(lock)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink()
        return False
    return True


class Presence:
    """This app's presence on one workspace: claimed on open, refreshed, released on close.

    :attr:`other` is whoever else has the workspace open (a fresh presence file that is not
    ours), or None. :attr:`owned` says whether the file names us right now.
    """

    def __init__(self, path: Path, me: Holder, *, alive: Alive = pid_alive) -> None:
        self.path = Path(path)
        self.lock = lock_path(self.path)
        self.me = me
        self.alive = alive
        self.other: Holder | None = None
        self.owned = False
        self.released = False

    @classmethod
    def claim(
        cls, path: Path, now: datetime, *, me: Holder | None = None, alive: Alive = pid_alive
    ) -> Presence:
        """Say we have the workspace at ``path`` open, unless someone else fresh does."""
        presence = cls(path, me or Holder.me(now), alive=alive)
        presence.refresh(now)
        return presence

    def refresh(self, now: datetime) -> Holder | None:
        """Rewrite our file, or (waiting behind someone) take it over once it is stale.

        Returns :attr:`other`. Call every :data:`REFRESH_EVERY`.
        """
        if self.released:
            return None
        found = read_holder(self.lock)
        if found is not None and found.same_app(self.me):
            pass  # ours: write the new refresh time
        elif (fresh := _fresh(found, now, self.alive)) is not None:
            self.owned, self.other = False, fresh
            return fresh
        self.me = replace(self.me, refreshed=now)
        self.owned = _write(self.lock, self.me.to_json())
        # Someone may have written theirs at the same moment: the file says who won.
        found = read_holder(self.lock) if self.owned else None
        if found is not None and not found.same_app(self.me):
            self.owned = False
            self.other = _fresh(found, now, self.alive)
        else:
            self.other = None
        return self.other

    def release(self) -> None:
        """Remove our presence file (only while it is still ours); refresh does nothing after."""
        if self.released:
            return
        self.released = True
        found = read_holder(self.lock)
        if found is not None and found.same_app(self.me):
            with contextlib.suppress(OSError):
                self.lock.unlink()
        self.owned = False
        self.other = None


def presence_note(other: Holder, now: datetime, tz: tzinfo | None = None, *, more: int = 0) -> str:
    """The app's line about someone else having the workspace open (plain text)."""
    who = other.describe(now, tz)
    if more:
        who += f" and {more} other{'s' if more > 1 else ''}"
    verb = "have" if more else "has"
    both = "all" if more else "both"
    each = "each of you sees the others'" if more else "each of you sees the other's"
    return (
        f"{who} also {verb} this workspace open. You can {both} edit: each "
        f"change is saved at once, and {each} within a second."
    )
