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
