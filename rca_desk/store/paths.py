"""Where the workspace lives when nobody says otherwise."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from rca_desk.store.errors import WorkspaceError

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


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def resolve_workspace_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--workspace`` wins, then ``$RCA_DESK_WORKSPACE``, then the default file.

    An address such as ``postgresql://host/db`` is refused here: taken as a path it would
    become folders named ``postgresql:`` and a new file workspace in them, and the team's
    work would go where nobody looks.
    """
    for location in (explicit, os.environ.get(ENV_VAR)):
        if location:
            text = os.fspath(location)
            if _URL.match(text):
                raise WorkspaceError(
                    f"{without_password(text)}: is a server address; this rca-desk opens "
                    "workspace files only."
                )
            return Path(text).expanduser()
    return data_dir() / DEFAULT_NAME


def without_password(url: str) -> str:
    """``url`` as it may be shown: a password in it is replaced by ``***``."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.netloc.rsplit("@", 1)[-1]
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return url.split("://", 1)[0] + "://***"
