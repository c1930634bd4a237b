"""The workspace store: many incidents in one SQLite file (sqlite-utils) or on a
PostgreSQL server (psycopg 3).

:class:`WorkspaceStore` is what the rest of rca_desk may ask of an open workspace, whatever
its backend.
"""

from rca_desk.store.errors import (
    BrokenIncidentError,
    DamagedIncidentError,
    StaleWriteError,
    UnreachableError,
    WorkspaceError,
)
from rca_desk.store.interface import WorkspaceStore
from rca_desk.store.opening import open_workspace
from rca_desk.store.paths import ENV_VAR, data_dir, resolve_workspace, resolve_workspace_path
from rca_desk.store.rows import ActionRow, CheckInRow, FollowUpRow, IncidentSummary
from rca_desk.store.search_index import SearchHit
from rca_desk.store.server_address import ServerAddress
from rca_desk.store.workspace import Workspace, inspect_workspace_file

__all__ = [
    "ENV_VAR",
    "ActionRow",
    "BrokenIncidentError",
    "CheckInRow",
    "DamagedIncidentError",
    "FollowUpRow",
    "IncidentSummary",
    "SearchHit",
    "ServerAddress",
    "StaleWriteError",
    "UnreachableError",
    "Workspace",
    "WorkspaceError",
    "WorkspaceStore",
    "data_dir",
    "inspect_workspace_file",
    "open_workspace",
    "resolve_workspace",
    "resolve_workspace_path",
]
