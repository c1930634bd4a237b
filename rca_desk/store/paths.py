"""Where the workspace lives when nobody says otherwise."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rca_desk.store.errors import WorkspaceError
from rca_desk.store.server_address import (
    ServerAddress,
    has_scheme,
    is_server_address,
    without_password,
)

__all__ = ["without_password"]  # (re-exported: its old home)

ENV_VAR = "RCA_DESK_WORKSPACE"
APP_DIR = "rca-desk"
DEFAULT_NAME = "workspace.rcadesk"


def data_dir() -> Path:
    """The platform's per-user data folder for rca-desk (not created here)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_DIR
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR


def resolve_workspace(explicit: str | os.PathLike[str] | None = None) -> Path | ServerAddress:
    """``--workspace`` wins, then ``$RCA_DESK_WORKSPACE``, then the default file.

    A ``postgresql://`` address names a server workspace. Any other address (``http://``,
    ``sqlite://``) is refused: taken as a path it would become folders named like the
    scheme with a new file workspace in them, and the team's work would go where nobody
    looks.
    """
    for location in (explicit, os.environ.get(ENV_VAR)):
        if location:
            text = os.fspath(location)
            if is_server_address(text):
                return ServerAddress.parse(text)
            if has_scheme(text):
                raise WorkspaceError(
                    f"{without_password(text)}: is an address rca-desk cannot open; a "
                    "workspace is a file, or a PostgreSQL database (postgresql://...)."
                )
            return Path(text).expanduser()
    return data_dir() / DEFAULT_NAME


def resolve_workspace_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Like :func:`resolve_workspace`, for the places that need a file (a server address
    is refused with the reason)."""
    location = resolve_workspace(explicit)
    if isinstance(location, ServerAddress):
        raise WorkspaceError(f"{location}: is a server workspace; this needs a workspace file.")
    return location
