"""Where the workspace lives when nobody says otherwise."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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


def resolve_workspace_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--workspace`` wins, then ``$RCA_DESK_WORKSPACE``, then the default file."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return data_dir() / DEFAULT_NAME
