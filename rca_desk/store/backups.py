"""Copies of a workspace, taken with SQLite's backup API.

The backup API copies the database page by page inside a read transaction, so the copy is
one consistent state even while other people write, and it never reads a half-written
page the way copying the file (and its -wal) would. Copies go to a ``backups/`` folder
beside the workspace, or to the platform's data folder when that one cannot be written.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path

from rca_desk.store.paths import data_dir

BACKUP_FOLDER = "backups"


def copy_database(source: sqlite3.Connection, target: Path) -> Path:
    """Write a consistent copy of ``source`` to ``target``; a failure leaves no file."""
    part = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        destination = sqlite3.connect(part)
        try:
            source.backup(destination)
            # A copy is a file to keep or mail, not a live database: no -wal beside it.
            destination.execute("PRAGMA journal_mode = DELETE")
        finally:
            destination.close()
        part.replace(target)
    finally:
        with contextlib.suppress(OSError):
            part.unlink()
    return target


def backup_folder(workspace_path: Path) -> Path:
    """Where automatic backups of ``workspace_path`` go (created here)."""
    beside = workspace_path.parent / BACKUP_FOLDER
    try:
        beside.mkdir(exist_ok=True)
        probe = beside / f".probe-{uuid.uuid4().hex[:8]}"
        probe.touch()
        probe.unlink()
        return beside
    except OSError:
        fallback = data_dir() / BACKUP_FOLDER
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


def take_backup(source: sqlite3.Connection, workspace_path: Path, reason: str) -> Path:
    """A time-stamped copy of the workspace in its backup folder; returns its path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{workspace_path.stem}-{stamp}-{reason}.rcadesk"
    return copy_database(source, backup_folder(workspace_path) / name)


#: How many daily backups, and then how many weekly ones (the newest of each week), to keep.
KEEP_DAILY = 7
KEEP_WEEKLY = 4
_STAMP = "%Y%m%d-%H%M%S"


def _taken_at(path: Path, stem: str) -> datetime | None:
    """When a backup named ``{stem}-YYYYmmdd-HHMMSS-{reason}.rcadesk`` was taken."""
    rest = path.name[len(stem) + 1 :]
    try:
        return datetime.strptime(rest[:15], _STAMP)
    except ValueError:
        return None


def _backups_of(folder: Path, stem: str, reason: str = "*") -> list[tuple[datetime, Path]]:
    found = []
    for path in folder.glob(f"{stem}-*-{reason}.rcadesk"):
        taken = _taken_at(path, stem)
        if taken is not None:
            found.append((taken, path))
    return sorted(found, reverse=True)


def daily_backup(source: sqlite3.Connection, workspace_path: Path, now: datetime) -> Path | None:
    """Take a "daily" backup when the newest backup of any kind is over a day old.

    Then thin the daily ones out: the newest of each of the last :data:`KEEP_DAILY` days,
    and before those the newest of each of :data:`KEEP_WEEKLY` weeks. Backups taken by
    hand, before a migration or before a restore are never removed here.
    """
    folder = backup_folder(workspace_path)
    stem = workspace_path.stem
    newest = _backups_of(folder, stem)
    if newest and (now - newest[0][0]).total_seconds() < 24 * 3600:
        return None
    stamp = now.strftime(_STAMP)
    made = copy_database(source, folder / f"{stem}-{stamp}-daily.rcadesk")
    days: set[object] = set()
    weeks: set[object] = set()
    weekly = 0
    for taken, path in _backups_of(folder, stem, "daily"):  # newest first
        day, week = taken.date(), taken.isocalendar()[:2]
        if day not in days and len(days) < KEEP_DAILY:
            days.add(day)
            weeks.add(week)  # a week that keeps a daily one needs no weekly one too
        elif day not in days and week not in weeks and weekly < KEEP_WEEKLY:
            days.add(day)
            weeks.add(week)
            weekly += 1
        else:
            with contextlib.suppress(OSError):
                path.unlink()
    return made
