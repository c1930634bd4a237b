"""The store's errors: a workspace that cannot be used, and one incident that cannot be read.

Both are :class:`~rca_desk.model.RcaError`: the command prints them as one line and exits
with 2, the app shows them as they are.
"""

from __future__ import annotations

from pathlib import Path

from rca_desk.model import RcaError


class WorkspaceError(RcaError):
    """The workspace file cannot be used (foreign, damaged, newer, busy, unwritable)."""


class DamagedIncident(WorkspaceError):  # noqa: N818 (named for what it is, like the issue)
    """One incident's stored values cannot be read; the rest of the workspace can.

    ``reason`` is one line saying what was found. The incident is still listed (marked
    damaged) and :meth:`Workspace.salvage` reads it as far as it can be read.
    """

    def __init__(self, path: Path, incident_id: int, reason: str) -> None:
        super().__init__(
            f"{path}: incident {incident_id} is damaged ({reason}); "
            "it can still be exported as far as it can be read."
        )
        self.incident_id = incident_id
        self.reason = reason
