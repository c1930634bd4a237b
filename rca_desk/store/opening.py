"""Opening a workspace of either kind from what a person named (issue 12).

The rest of rca_desk never picks a backend: it hands ``--workspace``, the environment
variable or the Open dialog's choice to :func:`open_workspace` and gets a
:class:`~rca_desk.store.interface.WorkspaceStore`. A ``postgresql://`` address opens the
server backend (psycopg, an optional extra, is imported only then); anything else is a
workspace file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rca_desk.store.errors import WorkspaceError
from rca_desk.store.paths import resolve_workspace
from rca_desk.store.server_address import ServerAddress

if TYPE_CHECKING:
    from rca_desk.store.interface import WorkspaceStore


def open_workspace(
    location: str | os.PathLike[str] | ServerAddress | None, *, create: bool = True
) -> WorkspaceStore:
    """Open (with ``create``, make) the workspace at ``location``: a file path, a
    ``postgresql://`` address, or None for ``$RCA_DESK_WORKSPACE`` or the default file.

    Refusals are :class:`~rca_desk.store.errors.WorkspaceError`, one line each; what was
    refused is left as it was.
    """
    where = location if isinstance(location, ServerAddress) else resolve_workspace(location)
    if isinstance(where, ServerAddress):
        try:
            from rca_desk.store.server import ServerWorkspace
        except ImportError:  # psycopg is an optional extra
            raise WorkspaceError(
                f"{where}: a server workspace needs psycopg; install it with "
                "pip install 'rca-desk[postgres]'."
            ) from None
        return ServerWorkspace.open(where, create=create)
    from rca_desk.store.workspace import Workspace

    return Workspace.open(Path(where), create=create)
