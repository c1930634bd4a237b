"""The workspace store: one SQLite file (through sqlite-utils) holding many incidents.

:class:`WorkspaceStore` is what the rest of rca_desk may ask of an open workspace, whatever
its backend.
"""

from rca_desk.store.errors import (
    BrokenIncidentError,
    DamagedIncidentError,
    StaleWriteError,
    WorkspaceError,
)
from rca_desk.store.interface import WorkspaceStore
from rca_desk.store.paths import ENV_VAR, data_dir, resolve_workspace_path
from rca_desk.store.rows import ActionRow, IncidentSummary
from rca_desk.store.workspace import Workspace, inspect_workspace_file

__all__ = [
    "ENV_VAR",
    "ActionRow",
    "BrokenIncidentError",
    "DamagedIncidentError",
    "IncidentSummary",
    "StaleWriteError",
    "Workspace",
    "WorkspaceError",
    "WorkspaceStore",
    "data_dir",
    "inspect_workspace_file",
    "resolve_workspace_path",
]
