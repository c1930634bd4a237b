"""The store interface: what the rest of rca_desk asks of an open workspace.

:class:`WorkspaceStore` declares exactly the surface that ``ui``, ``cli``, ``interchange``
and ``render`` use today, so a second backend (a PostgreSQL server, issue 12) has one
contract to meet and mypy says which method it misses. The SQLite :class:`Workspace`
satisfies it; the check at the bottom of this module fails the type check if it stops
doing so.

The promises every backend keeps:

- **One transaction per user action.** Each writing method commits whole or not at all;
  writes inside :meth:`WorkspaceStore.transaction` join it and commit together.
- **Revisions.** Every write stamps the rows it writes with the next revision of the
  workspace and refuses, with :class:`~rca_desk.store.errors.StaleWriteError`, a write
  based on a row whose stored revision moved on since the incident copy read it. The
  rules spanning rows are checked against the *stored* incident in the same transaction,
  so two writers never store an invalid incident. Nothing is written when it refuses.
- **Read-only.** When :attr:`WorkspaceStore.read_only` is not None every write is refused
  with :class:`~rca_desk.store.errors.WorkspaceError` carrying that reason; reads work.
- **Refusals are WorkspaceError**, one line naming the workspace and the reason; a
  backend's own exceptions (sqlite3, psycopg) never reach the caller.
- **Nothing stored locks a user out**: an incident breaking a rule loads as
  :class:`~rca_desk.store.errors.BrokenIncidentError` with its repair, one with
  unreadable values as :class:`~rca_desk.store.errors.DamagedIncidentError`.

Opening is not part of the protocol: :func:`rca_desk.store.opening.open_workspace` picks
the backend from what a person named and returns an open store.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Self

from rca_desk.model import Incident, PreventiveAction

if TYPE_CHECKING:
    from rca_desk.model.review import RootCauseRecord
    from rca_desk.store.presence import Holder
    from rca_desk.store.repair import Repair
    from rca_desk.store.rows import (
        ActionRow,
        CheckInRow,
        FollowUpRow,
        IncidentSummary,
        RecoveryRow,
    )
    from rca_desk.store.search import SimilarRootCause
    from rca_desk.store.search_index import SearchHit


class WorkspaceStore(Protocol):
    """An open workspace, of any backend. Close it (or use ``with``) when done."""

    # ------------------------------------------------------------ identity and state
    @property
    def location(self) -> str:
        """Where the workspace is, as titles and messages show it: a file's path, or a
        server's ``postgresql://`` address (never with a password)."""

    @property
    def name(self) -> str:
        """A short name for window titles: the file's name, or the database's."""

    @property
    def file(self) -> Path | None:
        """The workspace file, or None for a server workspace. Only a file has a presence
        file beside it, a network-drive check and a backup folder."""

    @property
    def read_only(self) -> str | None:
        """Why the workspace is open read-only (a sentence for a banner), or None."""

    def close(self) -> None:
        """Release the connection; the store is unusable afterwards."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None:
        """Close, whatever happened inside the block."""

    # ------------------------------------------------------------ transactions
    def transaction(self) -> AbstractContextManager[None]:
        """One user action: every write inside commits together or not at all.

        Nested calls join the outer transaction (a failure inside rolls back only the
        inner part and raises). Refused at once on a read-only workspace.
        """

    # ------------------------------------------------------------ reading
    def incidents(self) -> list[IncidentSummary]:
        """The incident list; an incident whose own values are unreadable is marked
        (``damaged``), never an error."""

    def incident_id(self, ref: str | int) -> int:
        """Resolve what a person typed (short number or uid) to the workspace id;
        WorkspaceError when there is none."""

    def has_uid(self, uid: str) -> bool:
        """Whether an incident with this uid is stored (import refuses duplicates)."""

    def existing_action_uids(self, uids: list[str]) -> set[str]:
        """Those of ``uids`` that name stored actions (any incident)."""

    def load(self, incident_id: int) -> Incident:
        """The whole incident read from one consistent state, carrying the revision of
        every row it read. Raises BrokenIncidentError or DamagedIncidentError (see the
        module docstring) rather than return an incident that breaks a rule."""

    def readable(self, incident_id: int) -> tuple[Incident, str | None]:
        """The incident as far as it can be shown or exported, and a note when that is
        not simply the stored incident (repaired view, or salvaged values)."""

    def salvage(self, incident_id: int) -> Incident:
        """The incident as far as its values can be read; never refused for them."""

    def action_rows(self) -> list[ActionRow]:
        """Every readable action with its incident and root-cause names, read from one
        consistent state (the actions review)."""

    def follow_up_rows(self) -> list[FollowUpRow]:
        """Each readable incident with check-ins or a review meeting: its follow-up (the
        calendar's events), without loading the incidents."""

    def check_in_rows(self) -> list[CheckInRow]:
        """Every check-in of every readable incident with its incident's title, client and
        day of resolution, read from one consistent state (the review's follow-up)."""

    def recovery_rows(self) -> list[RecoveryRow]:
        """Each readable incident with a client recovery or a follow-up on record, without
        its diagram, read from one consistent state (the review's "Clients at risk")."""

    def root_cause_records(self) -> list[RootCauseRecord]:
        """Every root cause with its incident and category, for the review's Pareto and
        "keeps coming back" counts."""

    def similar_to_text(
        self, text: str, *, exclude_incident: int | None = None, limit: int = 10
    ) -> list[SimilarRootCause]:
        """Root causes whose text shares meaningful words with ``text``, best first."""

    def similar_root_causes(
        self, incident_id: int, cause_id: str, *, limit: int = 10
    ) -> list[SimilarRootCause]:
        """Root causes of *other* incidents worded like this one, best first; user text
        never becomes query syntax."""

    def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        """The library of lessons: the indexed documents (titles, problems, causes,
        evidence notes, stop reasons, actions, lessons, timelines) matching ``text``, best
        first, each with its incident, kind, ref and a plain-text snippet. ``text`` goes
        through :func:`rca_desk.model.search_terms.query_terms` and never becomes query
        syntax."""

    def matching_incidents(self, text: str) -> set[int]:
        """The incidents whose indexed documents hold every word (or a synonym) of
        ``text``, for the incident list's filter."""

    # ------------------------------------------------------------ noticing other writers
    def data_version(self) -> int:
        """A number that moves when *another* connection commits, cheap to poll every
        second; the store's own commits never move it."""

    def edited(self) -> dict[int, int]:
        """Each incident's newest revision, to reload exactly the incidents that moved."""

    def who_else(self, now: datetime) -> list[Holder]:
        """The other rca-desk apps that have this workspace open, as far as can be told
        (a file's presence file; a server's list of connections). Never an error."""

    # ------------------------------------------------------------ writing
    # Every method below is one transaction (or joins the open one), checks the
    # revisions the incident copy carries, refuses a stale write with StaleWriteError
    # and updates the copy's revisions with what it wrote.
    def add_incident(self, incident: Incident) -> int:
        """Store a whole new incident; set and return its id. A uid already stored is
        refused."""

    def add_incidents(self, incidents: Iterable[Incident]) -> list[int]:
        """Store several new incidents in one transaction (all or none)."""

    def delete_incident(self, incident_id: int) -> None:
        """Delete the incident with its causes and actions."""

    def save_incident_fields(self, incident: Incident, fields: Iterable[str] | None = None) -> None:
        """Write the incident's own fields (all, or those named: Incident.FIELDS,
        ``"categories"``, ``"problem"``), each with its own revision."""

    def save_cause(self, incident: Incident, cause_id: str) -> None:
        """Write one cause and its siblings' order (after an add, edit or move); a move
        that would close a cycle in the stored graph is refused."""

    def save_subtree(self, incident: Incident, cause_id: str) -> None:
        """Write a cause with all its sub-causes and their links."""

    def delete_cause(self, incident: Incident, cause_id: str) -> None:
        """Delete a cause with its sub-causes and links; refused when the stored subtree
        holds a row this copy never saw."""

    def save_link(self, incident: Incident, effect: str, cause: str, *, present: bool) -> None:
        """Add (``present``) or remove an "also contributes to" link."""

    def save_action(self, incident: Incident, action: PreventiveAction) -> int:
        """Write one action with its root causes and history; return its number. Only
        stored root causes may be named."""

    def delete_action(self, incident: Incident, action: PreventiveAction) -> None:
        """Delete one action; refused when it changed since this copy read it."""

    def save_idea(self, incident: Incident, idea_id: str) -> None:
        """Write one parked idea as the incident holds it, with the parking lot's order;
        refused when another window changed it since this copy read it."""

    def delete_idea(self, incident: Incident, idea_id: str) -> None:
        """Take one idea out of the stored parking lot; refused when it changed since."""

    def save_record(self, incident: Incident, kind: str, record_id: str) -> None:
        """Write one record of the incident's ``kind`` list (``"timeline"``,
        ``"participants"``, ``"check_ins"``) as the incident holds it, with the list's
        order; refused when another window changed, removed or put it back since."""

    def delete_record(self, incident: Incident, kind: str, record_id: str) -> None:
        """Take one record out of the stored ``kind`` list; refused when it changed since."""

    def repair(self, incident_id: int) -> list[Repair]:
        """Write the repairs planned from the stored rows inside one transaction; return
        what was done (nothing for a sound incident)."""

    # ------------------------------------------------------------ copies
    def backup(self, target: Path | None = None) -> Path:
        """A consistent copy as a workspace file at ``target`` (default: the backup
        folder); returns where it went."""

    def daily_backup(self, now: datetime | None = None) -> Path | None:
        """The app's copy on open when the newest is over a day old, or None."""

    def restore_from(self, source: Path) -> Path:
        """Replace the content with the workspace file at ``source`` (checked like any
        being opened), backing this one up first; returns that backup's path."""


if TYPE_CHECKING:
    from rca_desk.store.workspace import Workspace

    def _sqlite_workspace_is_a_store(workspace: Workspace) -> WorkspaceStore:
        # mypy refuses this return if Workspace stops meeting the protocol.
        return workspace
