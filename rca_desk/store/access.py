"""Workspaces the user may read but not write: opened read-only, with the reason.

SQLite keeps a workspace's journal (the ``-wal`` and ``-shm`` files) beside it, so writing
needs both the file and its folder to be writable. When either is not, the workspace is
still worth opening, to look, export and copy: it is opened read-only (``mode=ro``) and,
when no journal file is beside it, as immutable, so SQLite creates nothing beside it
either. :attr:`Workspace.read_only <rca_desk.store.workspace.Workspace.read_only>` then
holds the reason, for a banner, and every write is refused with it.

Only a folder that cannot be written *and* holds a ``-wal`` without its ``-shm`` is
refused: the ``-wal`` may hold committed changes that can only be read through an
``-shm``, which cannot be made there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rca_desk.store.errors import WorkspaceError

READ_ONLY_FILE = (
    "This workspace file is read-only: you can look, export and copy, but not change it."
)
READ_ONLY_FOLDER = (
    "This workspace's folder cannot be written, so it is open read-only: you can look, "
    "export and copy, but not change it."
)


@dataclass(frozen=True)
class Access:
    """How to open a workspace file: read-write, or read-only with the reason."""

    read_only: str | None = None
    immutable: bool = False

    def query(self) -> str:
        """The URI query string for a read-only connection to the file (the check's, and
        a read-only workspace's own)."""
        return "mode=ro&immutable=1" if self.immutable else "mode=ro"


def access_for(path: Path) -> Access:
    """Decide how ``path`` (an existing regular file) can be opened, or refuse it."""
    folder = path.parent
    if not os.access(path, os.W_OK):
        reason = READ_ONLY_FILE
    elif not os.access(folder, os.W_OK | os.X_OK):
        reason = READ_ONLY_FOLDER
    else:
        return Access()
    wal, shm, journal = (path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))
    if reason is READ_ONLY_FOLDER and wal.exists() and not shm.exists():
        raise WorkspaceError(
            f"{path}: its folder {folder} cannot be written, and rca-desk needs to keep its "
            "journal files beside the workspace; copy it somewhere you can write, or ask for "
            "write access."
        )
    # Without a journal beside it the file is all there is: immutable reads create nothing.
    # With one, it may hold committed changes, which only a plain read-only open sees.
    return Access(reason, immutable=not (wal.exists() or journal.exists()))
