"""The store's refusals: every one names the file or the row and says what to do.

All are :class:`~rca_desk.model.RcaError`: the command prints them as one line and exits
with 2, the app shows them as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rca_desk.model import Incident, RcaError

if TYPE_CHECKING:
    from rca_desk.store.repair import Repair


class WorkspaceError(RcaError):
    """The workspace file cannot be used (foreign, damaged, newer, busy, unwritable)."""


class UnreachableError(WorkspaceError):
    """The server could not be reached, or the connection dropped: nothing was changed.

    Passing, unlike the other refusals: the same action may work a moment later, so a
    window keeps what the person was typing instead of putting the stored value back.
    """


class StaleWriteError(WorkspaceError):
    """A write based on rows that someone else changed since this copy read them.

    Nothing was written. The message says which row, in the words a person uses; the
    caller re-reads the incident (the document does this in place) and says so.
    """


class BrokenIncidentError(WorkspaceError):
    """A stored incident breaks a rule that spans rows (a cycle, an action on a cause that
    is not a root cause), as an older version, a hand edit or a restored copy can leave.

    Not a dead end: :attr:`incident` is the incident with the repairs applied as it was
    read, to be shown read-only, and :attr:`repairs` are what ``Workspace.repair`` writes.
    """

    def __init__(self, message: str, incident: Incident, repairs: list[Repair]) -> None:
        super().__init__(message)
        self.incident = incident
        self.repairs = repairs

    @property
    def problems(self) -> list[str]:
        return [repair.problem for repair in self.repairs]


class DamagedIncidentError(WorkspaceError):
    """One incident's stored values cannot be read; the rest of the workspace can.

    ``reason`` is one line saying what was found. The incident is still listed (marked
    damaged) and :meth:`Workspace.salvage` reads it as far as it can be read.
    """

    def __init__(self, where: str | Path, incident_id: int, reason: str) -> None:
        super().__init__(
            f"{where}: incident {incident_id} is damaged ({reason}); "
            "it can still be exported as far as it can be read."
        )
        self.incident_id = incident_id
        self.reason = reason
