"""The SQL both backends share: incidents as rows, with revisions and cross-row rules.

A :class:`RowStore` reads and writes incidents through ``self.conn``, any DB-API
connection that takes ``?`` placeholders (``sqlite3`` as it is; the server backend's
adapter rewrites them for psycopg). Its statements keep to what SQLite and PostgreSQL both
run the same way: ``INSERT ... ON CONFLICT DO NOTHING``, ``RETURNING``, ``WITH
RECURSIVE``, integers for flags, ISO text for dates and JSON text for lists, and new ids
as ``max(id) + 1`` drawn while the writer holds the workspace's write lock (SQLite's own
rule for a rowid, so a copied workspace keeps its numbers on either backend).

What differs stays in the backend: how a transaction begins and takes the write lock,
what happens just before it commits (the SQLite search index; a server notification),
which driver errors mean what, and how a read failure is worded. Each subclass fills
the hooks marked *backend* below.

Every write runs in one transaction that draws one revision number (see schema 1.0),
checks that each row it changes is still at the revision the incident copy was read at
(``incident.revisions``), checks the rules that span rows against the *stored* incident,
and only then writes. Whatever another window or process did in between, the stored
incident stays one that loads.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate, ParamSpec, TypeVar

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Channel,
    CheckIn,
    Evidence,
    Impact,
    Incident,
    IncidentStatus,
    PreventiveAction,
    RuleError,
    Severity,
    StatusChange,
    Strength,
)
from rca_desk.model.agenda import agenda_data, agenda_from_data
from rca_desk.model.follow_ups import cadence_data, cadence_from_data, checked_check_in
from rca_desk.model.recovery import Apology
from rca_desk.store import damage, search_index
from rca_desk.store.connection import Connection
from rca_desk.store.damage import reading
from rca_desk.store.errors import (
    BrokenIncidentError,
    DamagedIncidentError,
    StaleWriteError,
    WorkspaceError,
)
from rca_desk.store.record_rows import (
    AMOUNT,
    CHOICE,
    DAY,
    MOMENT,
    NUMBER,
    RECORD_TABLES,
    WHOLE,
    Column,
)
from rca_desk.store.repair import (
    PLACEHOLDER_TEXT,
    Repair,
    StoredAction,
    StoredCause,
    plan_repairs,
)
from rca_desk.store.revisions import (
    EDITED,
    RowKey,
    field_row,
    find_cycle,
    idea_row,
    mentions,
    record_row,
)
from rca_desk.store.rows import (
    ActionRow,
    CheckInRow,
    FollowUpRow,
    IncidentSummary,
    RecoveryRow,
)
from rca_desk.store.schema import TABLES

if TYPE_CHECKING:
    pass

#: Where a repair puts the causes it hangs under the problem: after every other one.
REPAIRED_POSITION = 1_000_000
#: A write refused by the server as one of two that cannot both commit is run again from
#: the start this many times before the person is told (see :func:`writing`).
WRITE_ATTEMPTS = 4
#: Statements with this many ``?`` at most: SQLite's limit is far above, this keeps
#: ``IN (...)`` lists short on both backends.
CHUNK = 500

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="RowStore")
T = TypeVar("T")


class WriteCollisionError(Exception):
    """Raised by a backend's transaction when the server refused the commit as one of two
    writes that cannot both happen (serialization failure, deadlock): nothing was written,
    and running the whole write again is safe."""


def writing(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run a write again, from the start, when the backend says it may.

    (It says so with :class:`WriteCollisionError`.)

    Only the outermost call retries (inside another transaction the caller's whole
    transaction is what must run again). The incident copy's revisions are put back as
    they were before each attempt, so an attempt that failed teaches the copy nothing.
    After :data:`WRITE_ATTEMPTS` the person gets one line, and nothing was written.
    """

    @functools.wraps(method)
    def write(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._depth:
            return method(self, *args, **kwargs)
        incident = next((a for a in args if isinstance(a, Incident)), None)
        before = dict(incident.revisions) if incident is not None else None
        for _attempt in range(WRITE_ATTEMPTS - 1):
            try:
                return method(self, *args, **kwargs)
            except WriteCollisionError:
                if incident is not None and before is not None:
                    incident.revisions = dict(before)
        try:
            return method(self, *args, **kwargs)
        except WriteCollisionError:
            raise WorkspaceError(
                f"{self.location}: the change collided with others {WRITE_ATTEMPTS} times in "
                "a row and was not saved; try again."
            ) from None

    return write


#: Incident fields stored in more than one column (or under another name).
_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "apology": ("apology_on", "apology_by", "apology_to", "apology_channel"),
    "impact": (
        "impact_operational",
        "impact_financial",
        "impact_reputational",
        "impact_compliance",
    ),
}


# ------------------------------------------------------------------ conversions
def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(text: object, what: str = "date") -> date | None:
    return date.fromisoformat(damage.text(text, what)) if text else None


def _datetime(text: object, what: str = "date") -> datetime | None:
    return datetime.fromisoformat(damage.text(text, what)) if text else None


# Enum lookups by value through a dict: the dashboard loads every action and its history
# (tens of thousands of values), and ``Enum(value)`` costs several times a dict lookup.
# An unknown value still goes through the enum, so it fails as before.
_STATUSES = {status.value: status for status in ActionStatus}
_STRENGTHS = {strength.value: strength for strength in Strength}


def _status(value: str) -> ActionStatus:
    return _STATUSES.get(value) or ActionStatus(value)


def _from_json(text: object, what: str, read: Callable[[object], T]) -> T:
    """A field stored as JSON (the agenda, the cadence), checked by ``read``; a damaged
    one is unreadable, named as ``what``."""
    try:
        return read(json.loads(damage.text(text, what)))
    except (ValueError, RuleError) as error:
        raise damage.UnreadableError(f"the {what} is damaged ({error})") from None


def _stored_value(column: Column, value: object) -> object:
    """One stored value of a record (see :mod:`.record_rows`), read strictly: a value
    that cannot be used raises, and the incident is quarantined like any other."""
    if column.kind == DAY:
        return _date(value, column.what)
    if column.kind == MOMENT:
        return datetime.fromisoformat(damage.text(value, column.what))
    if column.kind in (NUMBER, WHOLE):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise damage.UnreadableError(f"the {column.what} is not a number")
        return int(value) if column.kind == WHOLE and float(value).is_integer() else value
    if column.kind == AMOUNT:
        if value is None:
            return None
        try:
            return Decimal(damage.text(value, column.what))
        except InvalidOperation:
            raise damage.UnreadableError(f"the {column.what} is not an amount") from None
    text = damage.text(value, column.what)
    if column.kind == CHOICE:
        assert column.choices is not None
        return column.choices(text)
    return text


def _now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()


#: One row per incident for the list: its own fields and the counts.
_SUMMARIES = """
    SELECT i.id, i.uid, i.title, i.status, i.severity, i.occurred_at, i.affected,
           (SELECT count(*) FROM causes c
             WHERE c.incident_id = i.id AND c.parent_id IS NOT NULL),
           (SELECT count(*) FROM causes c WHERE c.incident_id = i.id AND c.is_root <> 0),
           (SELECT count(*) FROM actions a WHERE a.incident_id = i.id),
           (SELECT count(*) FROM actions a WHERE a.incident_id = i.id
             AND a.status NOT IN ('verified_effective', 'cancelled'))
      FROM incidents i ORDER BY i.id
"""


class RowStore:
    """Incidents as rows behind ``self.conn``; a backend subclass opens and closes it."""

    #: The driver's error class: met inside a transaction it becomes a WorkspaceError
    #: (:meth:`_write_error`); met while reading, :meth:`_read_failure` words it.
    DRIVER_ERROR: ClassVar[type[Exception]] = Exception
    #: How a read-only snapshot begins (see :meth:`snapshot`).
    SNAPSHOT_BEGIN: ClassVar[str] = "BEGIN"

    #: Why this workspace is open read-only (a sentence for a banner), or None. Every
    #: write is then refused with it.
    read_only: str | None = None

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._depth = 0
        #: The revision drawn by the open transaction, and the depth that drew it.
        self._tx_revision: int | None = None
        self._revision_depth = 0
        #: Incidents whose causes' categories the open transaction must check at commit.
        self._categories_to_check: set[int] = set()
        #: Whether the workspace has the search index (schema 1.6); once seen, it stays.
        self._search_ready = False

    # ------------------------------------------------------------ backend hooks
    @property
    def location(self) -> str:
        """Where the workspace is, for messages (*backend*)."""
        raise NotImplementedError

    def _begin(self) -> None:
        """Start a write transaction holding the workspace's write lock (*backend*)."""
        raise NotImplementedError

    def _before_commit(self) -> None:
        """Last work inside a write transaction, after the rules were checked (*backend*)."""

    def _after_bulk_load(self) -> None:
        """After a whole workspace was copied in (*backend*: e.g. gather statistics)."""

    def _has_search_tables(self) -> bool:
        """Whether the search index's tables exist (schema 1.6 or later) (*backend*)."""
        return False

    def _fts_remove(self, documents: list[tuple[int, str]]) -> None:
        """Take these (id, text) documents out of a full-text index that does not follow
        its table by itself (*backend*: the file's FTS5 table; the server's GIN index
        needs nothing)."""

    def _fts_add(self, documents: list[tuple[int, str]]) -> None:
        """Put these (id, text) documents into such an index (*backend*)."""

    def _write_error(self, error: Exception) -> Exception:
        """What a driver error inside a write transaction becomes (*backend*): a
        WorkspaceError, or :class:`WriteCollisionError` when running the write again may work."""
        return WorkspaceError(f"{self.location}: the change could not be saved ({error}).")

    def _read_failure(self, error: BaseException) -> WorkspaceError | None:
        """The refusal for a driver error met while reading, or None when ``error`` is
        not the driver's (it then goes on as it is) (*backend*)."""
        return None

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _refuse_writes(self) -> None:
        if self.read_only is not None:
            raise WorkspaceError(f"{self.location}: nothing was changed. {self.read_only}")

    # ------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One user action: all the writes inside commit together or not at all."""
        self._refuse_writes()
        if self._depth:
            name = f"sp{self._depth}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except self.DRIVER_ERROR as error:
                # Refused like a whole transaction would be, so a caller inside a batch
                # sees the same WorkspaceError and can take its model change back.
                self._roll_back_to(name)
                raise self._write_error(error) from None
            except BaseException:
                self._roll_back_to(name)
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        self._tx_revision = None  # (a backend may draw it as it begins)
        self._categories_to_check = set()
        try:
            self._begin()
        except self.DRIVER_ERROR as error:
            self._quiet_rollback()
            self._tx_revision = None
            raise self._write_error(error) from None
        self._depth = 1
        try:
            yield
            self._check_categories()
            self._keep_search_index()
            self._before_commit()
            self.conn.execute("COMMIT")
        except self.DRIVER_ERROR as error:
            self._quiet_rollback()
            raise self._write_error(error) from None
        except BaseException:
            self._quiet_rollback()
            raise
        finally:
            self._depth = 0
            self._tx_revision = None

    # ------------------------------------------------------------ search index
    def has_search_index(self) -> bool:
        """Whether this workspace has the search index (schema 1.6 or later)."""
        if not self._search_ready:
            self._search_ready = self._has_search_tables()
        return self._search_ready

    def _keep_search_index(self) -> None:
        """Just before a write commits: the search index follows whatever was written
        (see :mod:`rca_desk.store.search_index`)."""
        if self.has_search_index():
            search_index.catch_up(self)

    def search_index_current(self) -> bool:
        """Bring the search index up to the stored rows before a search, when another
        (older) app wrote since; return whether it is current.

        A cheap read when it is (the usual case). When it is behind, a write transaction
        of its own catches up, unless the workspace is read-only, a transaction is open
        (its commit will), or the write is refused (busy): the search then reads the
        index as it is, and says so by returning False.
        """
        if not self.has_search_index():
            return False
        behind, gone = search_index.stale_incidents(self)
        if not behind and not gone:
            return True
        if self.read_only is not None or self._depth or self.conn.in_transaction:
            return False
        try:
            with self.transaction():
                pass  # the commit catches up (_keep_search_index)
        except WorkspaceError:
            return False
        return True

    def _quiet_rollback(self) -> None:
        """Roll back what is open; a connection that is gone has nothing to roll back."""
        with contextlib.suppress(self.DRIVER_ERROR):
            self._rollback()

    def _roll_back_to(self, savepoint: str) -> None:
        self.conn.execute(f"ROLLBACK TO {savepoint}")
        self.conn.execute(f"RELEASE {savepoint}")
        if self._tx_revision is not None and self._revision_depth >= self._depth:
            # The counter's step was rolled back with the savepoint that drew it: draw
            # again, or two transactions would share a number.
            self._tx_revision = None

    # --------------------------------------------------------------- reading
    # Every read method goes through @reading: an SQLite error met while reading (a page
    # found malformed after opening) refuses the file in one line. Damaged *values* of one
    # incident are quarantined instead (see rca_desk.store.damage): listed with a reason,
    # refused by load() with DamagedIncidentError, left out of action_rows(), read by salvage().
    @reading
    def incidents(self) -> list[IncidentSummary]:
        try:
            return [self._summary(row) for row in self.conn.execute(_SUMMARIES).fetchall()]
        except (ValueError, self.DRIVER_ERROR) as error:
            if not damage.quarantines(error):
                raise
        with damage.stored_text(self.conn):
            rows = self.conn.execute(_SUMMARIES).fetchall()
        return [self._lenient_summary(row) for row in rows]

    @staticmethod
    def _summary(row: tuple[Any, ...]) -> IncidentSummary:
        """A list row; raises (ValueError) when a value of the incident's own is unreadable."""
        return IncidentSummary(
            id=row[0],
            uid=damage.text(row[1], "uid"),
            title=damage.text(row[2], "title"),
            status=IncidentStatus(row[3]),
            severity=Severity(row[4]),
            occurred_at=_datetime(row[5], "occurred date"),
            affected=damage.text(row[6], "affected client"),
            causes=row[7],
            root_causes=row[8],
            actions=row[9],
            open_actions=row[10],
        )

    @staticmethod
    def _lenient_summary(row: tuple[Any, ...]) -> IncidentSummary:
        """A list row read with :func:`damage.stored_text`: placeholders and a reason."""
        values = damage.Values()
        return IncidentSummary(
            id=row[0],
            uid=values.text(row[1], "uid"),
            title=values.text(row[2], "title", default="(title unreadable)"),
            status=values.choice(IncidentStatus, row[3], IncidentStatus.OPEN, "incident status"),
            severity=values.choice(Severity, row[4], Severity.MEDIUM, "severity"),
            occurred_at=values.moment(row[5], "occurred date"),
            affected=values.text(row[6], "affected client"),
            causes=row[7],
            root_causes=row[8],
            actions=row[9],
            open_actions=row[10],
            damaged=values.reason,  # (after the values above have been read)
        )

    @reading
    def incident_id(self, ref: str | int) -> int:
        """Resolve what a person typed (workspace id or uid) to the workspace id."""
        text = str(ref).strip()
        row = None
        if text.isdigit():
            row = self.conn.execute(
                "SELECT id FROM incidents WHERE id = ?", (int(text),)
            ).fetchone()
        if row is None and text:
            row = self.conn.execute("SELECT id FROM incidents WHERE uid = ?", (text,)).fetchone()
        if row is None:
            raise WorkspaceError(f"There is no incident {text!r} in {self.location}.")
        return int(row[0])

    @reading
    def has_uid(self, uid: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM incidents WHERE uid = ?", (uid,)).fetchone()
            is not None
        )

    @reading
    def existing_action_uids(self, uids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(uids), CHUNK):
            chunk = uids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT uid FROM actions WHERE uid IN ({marks})"
            found.update(row[0] for row in self.conn.execute(query, chunk))
        return found

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that span tables see one state of the file, whatever other writers do.

        Inside a write transaction the reads already see one state; otherwise a deferred
        read transaction pins the WAL snapshot until the last query is done.
        """
        if self._depth or self.conn.in_transaction:
            yield
            return
        self.conn.execute(self.SNAPSHOT_BEGIN)
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @reading
    def load(self, incident_id: int) -> Incident:
        """The whole incident, read from one snapshot of the file.

        Raises :class:`BrokenIncidentError` when it breaks a rule spanning rows (carrying
        the incident as its repair would leave it), and :class:`DamagedIncidentError` when
        its stored values cannot be read (the reason names the first problem);
        :meth:`salvage` reads such an incident anyway.
        """
        with self.snapshot():
            try:
                incident: Incident | None = self._load(incident_id)
                failure: BaseException | None = None
            except (ValueError, KeyError, RuleError, self.DRIVER_ERROR) as error:
                if not damage.quarantines(error):
                    raise
                incident, failure = None, error
            if incident is None:  # a rule spanning rows, or damaged values?
                self._refuse_broken(incident_id)
            if incident is None:
                assert failure is not None
                problems = damage.salvage_incident(self.conn, incident_id)[1]
                reason = problems[0] if problems else damage.describe(failure)
                raise DamagedIncidentError(self.location, incident_id, damage.one_line(reason))
            return incident

    def _refuse_broken(self, incident_id: int) -> None:
        """Raise :class:`BrokenIncidentError` if a repair makes the incident readable."""
        try:
            repairs = self._plan_repairs(incident_id)
            if not repairs:
                return
            repaired = self._load(incident_id, repairs)
        except (ValueError, KeyError, RuleError, self.DRIVER_ERROR) as error:
            if not damage.quarantines(error):
                raise
            return  # damaged values as well: quarantined, not repaired
        raise BrokenIncidentError(
            f"Incident {incident_id} ({repaired.title!r}) breaks {len(repairs)} "
            f"rule{'s' if len(repairs) > 1 else ''} that span causes and actions: "
            f"{repairs[0].problem}",
            repaired,
            repairs,
        )

    def readable(self, incident_id: int) -> tuple[Incident, str | None]:
        """The incident as far as it can be shown or exported, and a note when that is
        not simply the stored incident: one that breaks a rule as its repair would leave
        it, a damaged one as far as it can be read."""
        try:
            return self.load(incident_id), None
        except BrokenIncidentError as broken:
            return broken.incident, (
                f"{broken} It is shown as the repair leaves it; the incident's Repair button "
                f"or `rca-desk repair --incident {incident_id}` writes that repair."
            )
        except DamagedIncidentError as damaged:
            note = (
                f"{damaged} Unreadable text shows as \ufffd and unusable values as their defaults."
            )
            return self.salvage(incident_id), note

    @reading
    def salvage(self, incident_id: int) -> Incident:
        """The incident as far as it can be read, for export: never refused for its values.

        Text that is not UTF-8 comes back with replacement characters and unusable values
        as their defaults (see :func:`damage.salvage_incident`). Only damage to the file
        itself, or an incident that does not exist, raises :class:`WorkspaceError`.
        """
        with self.snapshot():
            try:
                return damage.salvage_incident(self.conn, incident_id)[0]
            except LookupError:
                raise WorkspaceError(
                    f"There is no incident {incident_id} in {self.location}."
                ) from None

    def _plan_repairs(self, incident_id: int) -> list[Repair]:
        causes = [
            StoredCause(cid, parent, rev, bool(is_root), text, category)
            for cid, parent, rev, is_root, text, category in self.conn.execute(
                "SELECT id, parent_id, rev, is_root, text, category FROM causes "
                "WHERE incident_id = ?",
                (incident_id,),
            )
        ]
        links = self.conn.execute(
            "SELECT effect_id, cause_id, rev FROM cause_links WHERE incident_id = ?",
            (incident_id,),
        ).fetchall()
        named: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        for uid, title, cause_id in self.conn.execute(
            "SELECT a.uid, a.title, ac.cause_id FROM actions a "
            "LEFT JOIN action_causes ac ON ac.action_id = a.id "
            "WHERE a.incident_id = ? ORDER BY a.position, a.id, ac.position",
            (incident_id,),
        ):
            titles[uid] = title
            named.setdefault(uid, []).extend([cause_id] if cause_id is not None else [])
        actions = [StoredAction(uid, titles[uid], tuple(named[uid])) for uid in titles]
        categories = self.conn.execute(
            "SELECT categories FROM incidents WHERE id = ?", (incident_id,)
        ).fetchone()
        try:
            names = json.loads(categories[0]) if categories else None
        except (TypeError, ValueError):
            names = None  # damaged, not a broken rule: the loader quarantines it
        return plan_repairs(causes, links, actions, names if isinstance(names, list) else None)

    @writing
    def repair(self, incident_id: int) -> list[Repair]:
        """Write the repairs that make a broken stored incident keep the rules again.

        One transaction, planned from the rows as they are inside it, so a repair never
        acts on what another window already fixed. Returns what it did (nothing for a
        sound incident).
        """
        with self.transaction():
            repairs = self._plan_repairs(incident_id)
            if not repairs:
                return []
            rev = self._revision()
            first_category = json.loads(
                self.conn.execute(
                    "SELECT categories FROM incidents WHERE id = ?", (incident_id,)
                ).fetchone()[0]
            )[0]
            for repair in repairs:
                self._apply_repair(incident_id, repair, rev, first_category)
            rehung = sorted(r.cause for r in repairs if r.kind == "rehang")
            self.conn.executemany(  # last under the problem, in the order the view shows
                "UPDATE causes SET position = ? WHERE incident_id = ? AND id = ?",
                [(REPAIRED_POSITION + n, incident_id, cid) for n, cid in enumerate(rehung)],
            )
            self.conn.execute("UPDATE incidents SET edited = ? WHERE id = ?", (rev, incident_id))
            return repairs

    def _apply_repair(self, incident_id: int, repair: Repair, rev: int, category: str) -> None:
        cause = (incident_id, repair.cause)
        if repair.kind == "add category":
            names = json.loads(
                self.conn.execute(
                    "SELECT categories FROM incidents WHERE id = ?", (incident_id,)
                ).fetchone()[0]
            )
            self.conn.execute(
                "UPDATE incidents SET categories = ? WHERE id = ?",
                (json.dumps([*names, repair.cause], ensure_ascii=False), incident_id),
            )
        elif repair.kind == "rehang":
            self.conn.execute(
                "UPDATE causes SET parent_id = ?, rev = ? WHERE incident_id = ? AND id = ?",
                (HEAD, rev, *cause),
            )
        elif repair.kind == "drop link":
            self.conn.execute(
                "DELETE FROM cause_links WHERE incident_id = ? AND effect_id = ? AND cause_id = ?",
                (incident_id, repair.other, repair.cause),
            )
        elif repair.kind == "mark root":
            self.conn.execute(
                "UPDATE causes SET is_root = 1, rev = ? WHERE incident_id = ? AND id = ?",
                (rev, *cause),
            )
        elif repair.kind == "placeholder":
            self._insert_rows(
                "causes",
                [
                    {
                        "incident_id": incident_id,
                        "id": repair.cause,
                        "parent_id": HEAD,
                        "position": REPAIRED_POSITION * 2,
                        "text": PLACEHOLDER_TEXT,
                        "category": category,
                        "is_root": 1,
                        "rev": rev,
                    }
                ],
            )
        if repair.kind in ("unlink", "mark root", "placeholder"):
            if repair.kind == "unlink":
                self.conn.execute(
                    "DELETE FROM action_causes WHERE incident_id = ? AND cause_id = ? "
                    "AND action_id = (SELECT id FROM actions WHERE uid = ?)",
                    (*cause, repair.other),
                )
            self.conn.execute("UPDATE actions SET rev = ? WHERE uid = ?", (rev, repair.other))

    @reading
    def edited(self) -> dict[int, int]:
        """Each incident's newest revision: what changed since a window last looked."""
        return dict(self.conn.execute("SELECT id, edited FROM incidents").fetchall())

    @reading
    def data_version(self) -> int:
        """SQLite's count of commits by *other* connections: cheap to poll every second."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _load(self, incident_id: int, repairs: Sequence[Repair] = ()) -> Incident:
        """Build the incident from its rows, with ``repairs`` applied as it is read.

        It carries the revision of every stored row it read (``incident.revisions``, for
        the checks of later writes), taken from the same rows: one query per table.
        """
        rehung = {r.cause for r in repairs if r.kind == "rehang"}
        dropped = {(r.other, r.cause) for r in repairs if r.kind == "drop link"}
        cursor = self.conn.execute("SELECT * FROM incidents WHERE id = ?", (incident_id,))
        try:
            names = [d[0] for d in cursor.description]
            row = cursor.fetchone()
        finally:
            # Closed at once: an SQLite statement left open (say, kept alive by a traceback
            # after damage is found) pins a read and keeps the -wal file after closing.
            cursor.close()
        if row is None:
            raise WorkspaceError(f"There is no incident {incident_id} in {self.location}.")
        rec = dict(zip(names, row, strict=True))
        seen: dict[RowKey, int] = {EDITED: rec["edited"]}
        seen.update((field_row(name), rev) for name, rev in _field_revs(rec["field_revs"]).items())
        causes = self.conn.execute(
            "SELECT id, parent_id, text, category, evidence, evidence_note, is_root, "
            "stop_reason, rev FROM causes WHERE incident_id = ? ORDER BY position, id",
            (incident_id,),
        ).fetchall()
        seen.update((("cause", cause[0]), cause[8]) for cause in causes)
        problem = damage.text(next((c[2] for c in causes if c[1] is None), "Problem"), "problem")
        categories = json.loads(damage.text(rec["categories"], "category list"))
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            raise damage.UnreadableError("the category list is not a list of names")
        categories = [damage.text(name, "category") for name in categories]
        categories += [r.cause for r in repairs if r.kind == "add category"]
        graph = CauseGraph(problem=problem, categories=categories)
        children: dict[str, list[tuple[Any, ...]]] = {}
        for cause in causes:
            if cause[1] is not None and cause[0] not in rehung:
                children.setdefault(cause[1], []).append(cause)
        # Last under the problem, where Workspace.repair puts them.
        children.setdefault(HEAD, []).extend(sorted(c for c in causes if c[0] in rehung))
        stack = [HEAD]
        while stack:
            parent = stack.pop()
            for cid, _, text, category, evidence, note, is_root, stop, _ in children.get(
                parent, []
            ):
                graph.add_cause(
                    parent,
                    text=damage.text(text, "cause text"),
                    category=damage.text(category, "category"),
                    evidence=Evidence(evidence),
                    evidence_note=damage.text(note, "evidence note"),
                    root_cause=bool(is_root),
                    stop_reason=damage.text(stop, "stop reason"),
                    cause_id=cid,
                )
                stack.append(cid)
        if len(graph) != len(causes) - 1:
            raise damage.UnreadableError(
                f"{len(causes) - 1 - len(graph)} cause(s) are not connected to the problem"
            )
        for effect, cause, rev in self.conn.execute(
            "SELECT effect_id, cause_id, rev FROM cause_links WHERE incident_id = ? "
            "ORDER BY effect_id, cause_id",
            (incident_id,),
        ):
            seen[("link", effect, cause)] = rev
            if (effect, cause) not in dropped:
                graph.add_link(effect, cause)
        incident = Incident(
            id=rec["id"],
            uid=damage.text(rec["uid"], "uid"),
            title=damage.text(rec["title"], "title"),
            graph=graph,
            occurred_at=_datetime(rec["occurred_at"], "occurred date"),
            affected=damage.text(rec["affected"], "affected client"),
            severity=Severity(rec["severity"]),
            status=IncidentStatus(rec["status"]),
            description=damage.text(rec["description"], "description"),
            impact=Impact(
                operational=damage.text(rec["impact_operational"], "operational impact"),
                financial=damage.text(rec["impact_financial"], "financial impact"),
                reputational=damage.text(rec["impact_reputational"], "reputational impact"),
                compliance=damage.text(rec["impact_compliance"], "compliance impact"),
            ),
            containment=damage.text(rec["containment"], "containment"),
            whys_depth=rec["whys_depth"],
            agenda=_from_json(rec["agenda"], "workshop agenda", agenda_from_data),
            lessons=damage.text(rec["lessons"], "lessons learned"),
            resolved_at=_date(rec["resolved_at"], "resolved date"),
            review_meeting=_date(rec["review_meeting"], "review meeting date"),
            cadence=_from_json(rec["cadence"], "follow-up cadence", cadence_from_data),
            apology=Apology(
                on=_date(rec["apology_on"], "apology date"),
                by=damage.text(rec["apology_by"], "apologiser"),
                to=damage.text(rec["apology_to"], "apology's addressee"),
                channel=Channel(damage.text(rec["apology_channel"], "apology channel")),
            ),
            restore_streak=rec["restore_streak"],
        )
        for action in self._load_actions("a.incident_id = ?", (incident_id,), seen):
            incident.add_action(_repaired(incident, action, repairs) if repairs else action)
        for idea_id, text, rev in self.conn.execute(
            "SELECT id, text, rev FROM parked_ideas WHERE incident_id = ? ORDER BY position, id",
            (incident_id,),
        ):
            seen[idea_row(idea_id)] = rev
            incident.park(damage.text(text, "parked idea"), idea_id=idea_id)
        for kind, table in RECORD_TABLES.items():
            for _, record_id, *values, rev in self.conn.execute(
                table.select("incident_id = ?"), (incident_id,)
            ):
                seen[record_row(kind, record_id)] = rev
                incident.put_record(kind, table.record(record_id, values, _stored_value))
        incident.revisions = seen
        return incident

    def _load_actions(
        self, where: str, params: tuple[Any, ...], revisions: dict[RowKey, int] | None = None
    ) -> list[PreventiveAction]:
        """The actions ``where`` says; their rows' revisions go into ``revisions``."""
        rows = self.conn.execute(
            "SELECT a.id, a.uid, a.title, a.owner, a.due, a.strength, a.metric, a.target, "
            f"a.verify_on, a.notes, a.status, a.measured_result, a.rev FROM actions a "
            f"WHERE {where} ORDER BY a.incident_id, a.position, a.id",
            params,
        ).fetchall()
        if revisions is not None:
            revisions.update((("action", row[1]), row[12]) for row in rows)
        ids = [row[0] for row in rows]
        causes: dict[int, list[str]] = {}
        history: dict[int, list[StatusChange]] = {}
        for chunk_start in range(0, len(ids), CHUNK):
            chunk = ids[chunk_start : chunk_start + CHUNK]
            marks = ",".join("?" * len(chunk))
            for action_id, cause_id in self.conn.execute(
                f"SELECT action_id, cause_id FROM action_causes WHERE action_id IN ({marks}) "
                "ORDER BY action_id, position",
                chunk,
            ):
                causes.setdefault(action_id, []).append(cause_id)
            for action_id, at, from_status, to_status, note in self.conn.execute(
                "SELECT action_id, at, from_status, to_status, note FROM action_history "
                f"WHERE action_id IN ({marks}) ORDER BY action_id, seq",
                chunk,
            ):
                history.setdefault(action_id, []).append(
                    StatusChange(
                        at=datetime.fromisoformat(damage.text(at, "status change time")),
                        from_status=_status(from_status) if from_status else None,
                        to_status=_status(to_status),
                        note=damage.text(note, "status change note"),
                    )
                )
        for row in rows:
            # One check for the text the model takes as it is (the title it checks itself).
            if not all(type(row[i]) is str for i in (1, 3, 6, 7, 9, 11)):
                raise damage.UnreadableError(f"action {row[0]} holds a value that is not text")
        return [
            PreventiveAction(
                number=row[0],
                uid=row[1],
                title=damage.text(row[2], "action title"),
                owner=damage.text(row[3], "owner"),
                due=_date(row[4], "due date"),
                strength=_STRENGTHS.get(row[5]) or Strength(row[5]),
                metric=damage.text(row[6], "metric"),
                target=damage.text(row[7], "target"),
                measured_result=damage.text(row[11], "measured result"),
                verify_on=_date(row[8], "verification date"),
                notes=damage.text(row[9], "notes"),
                status=_status(row[10]),
                root_causes=causes.get(row[0], []),
                history=history.get(row[0], []),
            )
            for row in rows
        ]

    @reading
    def action_rows(self) -> list[ActionRow]:
        """Every action of the workspace with its incident and root-cause names.

        Left out: the actions of an incident the list marks damaged, and those of an
        incident whose actions cannot be read (loading it says why); never an error for
        one incident's values.
        """
        return self._readable_rows(self._action_rows)

    @reading
    def check_in_rows(self) -> list[CheckInRow]:
        """Every check-in of the workspace with its incident's title, client and day of
        resolution, incident by incident in list order (the review's follow-up).

        Left out, as in :meth:`action_rows`: the check-ins of an incident the list marks
        damaged, and those of an incident whose check-ins cannot be read.
        """
        return self._readable_rows(self._check_in_rows)

    @reading
    def follow_up_rows(self) -> list[FollowUpRow]:
        """Each readable incident with check-ins or a review meeting: its follow-up, for
        the calendar (left out as in :meth:`check_in_rows`)."""
        return self._readable_rows(self._follow_up_rows)

    @reading
    def recovery_rows(self) -> list[RecoveryRow]:
        """Each readable incident with a client recovery or a follow-up on record (an
        apology, a check-in, an offer, a measure or a rating), by id: the apology, the
        streak, the check-ins and the recovery's records, read without the diagram (left
        out as in :meth:`check_in_rows`). The review reads no others, so a workspace of
        incidents without any costs it nothing."""
        return self._readable_rows(self._recovery_rows)

    def _recovery_rows(self, incident_id: int | None) -> list[RecoveryRow]:
        one = incident_id is not None
        lists: dict[str, dict[int, list[Any]]] = {}
        for kind in ("check_ins", "restitution", "measures", "measure_values", "confidence"):
            table = RECORD_TABLES[kind]
            found = lists.setdefault(kind, {})
            for kept_for, record_id, *values, _rev in self.conn.execute(
                table.select("incident_id = ?" if one else "1 = 1"),
                (incident_id,) if one else (),
            ):
                found.setdefault(kept_for, []).append(
                    table.record(record_id, values, _stored_value)
                )
        out = []
        for row in self.conn.execute(
            "SELECT id, uid, title, status, severity, occurred_at, affected, resolved_at, "
            "apology_on, apology_by, apology_to, apology_channel, restore_streak "
            "FROM incidents" + (" WHERE id = ?" if one else "") + " ORDER BY id",
            (incident_id,) if one else (),
        ):
            if row[8] is None and not any(row[0] in found for found in lists.values()):
                continue  # nothing on record to win the client back with, or to follow up
            summary = self._summary((*row[:7], 0, 0, 0, 0))
            # Through the model's rules, as a load would: a value that hangs on nothing
            # or breaks a rule quarantines the incident here too.
            incident = Incident(
                title=summary.title,
                resolved_at=_date(row[7], "resolved date"),
                apology=Apology(
                    on=_date(row[8], "apology date"),
                    by=damage.text(row[9], "apologiser"),
                    to=damage.text(row[10], "apology's addressee"),
                    channel=Channel(damage.text(row[11], "apology channel")),
                ),
                restore_streak=row[12],
                check_ins=lists["check_ins"].get(summary.id, []),
                restitution=lists["restitution"].get(summary.id, []),
                measures=lists["measures"].get(summary.id, []),
                measure_values=lists["measure_values"].get(summary.id, []),
                confidence=lists["confidence"].get(summary.id, []),
            )
            out.append(
                RecoveryRow(
                    incident_id=summary.id,
                    incident_uid=summary.uid,
                    incident_title=summary.title,
                    affected=summary.affected,
                    resolved_at=incident.resolved_at,
                    apology=incident.apology,
                    restore_streak=incident.restore_streak,
                    check_ins=tuple(incident.check_ins),
                    restitution=tuple(incident.restitution),
                    measures=tuple(incident.measures),
                    measure_values=tuple(incident.measure_values),
                    confidence=tuple(incident.confidence),
                )
            )
        return out

    def _follow_up_rows(self, incident_id: int | None) -> list[FollowUpRow]:
        one = incident_id is not None
        check_ins: dict[int, list[CheckIn]] = {}
        for row in self._check_in_rows(incident_id):
            check_ins.setdefault(row.incident_id, []).append(row.check_in)
        out = []
        for row in self.conn.execute(
            "SELECT id, uid, title, status, severity, occurred_at, affected, review_meeting "
            "FROM incidents" + (" WHERE id = ?" if one else "") + " ORDER BY id",
            (incident_id,) if one else (),
        ):
            summary = self._summary((*row[:7], 0, 0, 0, 0))
            review = _date(row[7], "review meeting date")
            kept = tuple(check_ins.get(summary.id, ()))
            if kept or review is not None:
                out.append(
                    FollowUpRow(
                        incident_id=summary.id,
                        incident_uid=summary.uid,
                        incident_title=summary.title,
                        affected=summary.affected,
                        check_ins=kept,
                        review_meeting=review,
                    )
                )
        return out

    def _readable_rows(self, rows: Callable[[int | None], list[T]]) -> list[T]:
        """``rows(None)``, the rows of every incident, read from one snapshot; when one
        incident's values cannot be read, ``rows(id)`` of each incident the list does not
        mark damaged, leaving out those whose own rows cannot be read."""
        with self.snapshot():
            try:
                return rows(None)
            except (ValueError, KeyError, RuleError, self.DRIVER_ERROR) as error:
                if not damage.quarantines(error):
                    raise
            damaged = {summary.id for summary in self.incidents() if summary.damaged}
            out: list[T] = []
            for (incident_id,) in self.conn.execute("SELECT id FROM incidents ORDER BY id"):
                if incident_id in damaged:
                    continue
                try:
                    out.extend(rows(incident_id))
                except (ValueError, KeyError, RuleError, self.DRIVER_ERROR) as error:
                    if not damage.quarantines(error):
                        raise
            return out

    def _check_in_rows(self, incident_id: int | None) -> list[CheckInRow]:
        """The check-in rows of every incident, or of one, in one query. The incident's own
        values are checked as the list checks them (see :meth:`_action_rows`)."""
        table = RECORD_TABLES["check_ins"]
        one = incident_id is not None
        query = (
            "SELECT i.id, i.uid, i.title, i.status, i.severity, i.occurred_at, i.affected, "
            f"i.resolved_at, c.id, {', '.join(f'c.{name}' for name in table.names)} "
            "FROM check_ins c JOIN incidents i ON i.id = c.incident_id"
            + (" WHERE i.id = ?" if one else "")
            + " ORDER BY i.id, c.position, c.id"
        )
        out = []
        for row in self.conn.execute(query, (incident_id,) if one else ()):
            summary = self._summary((*row[:7], 0, 0, 0, 0))
            check_in = table.record(row[8], row[9:], _stored_value)
            assert isinstance(check_in, CheckIn)
            out.append(
                CheckInRow(
                    incident_id=summary.id,
                    incident_title=summary.title,
                    affected=summary.affected,
                    resolved_at=_date(row[7], "resolved date"),
                    check_in=checked_check_in(check_in),
                )
            )
        return out

    def _action_rows(self, incident_id: int | None = None) -> list[ActionRow]:
        """The rows of every incident, or of one (the quarantine reads them one by one)."""
        one = incident_id is not None
        params: tuple[Any, ...] = (incident_id,) if one else ()
        titles = {
            # The incident's own values are checked as the list checks them, so the
            # actions of an incident the list marks damaged are left out too.
            row[0]: self._summary((*row, 0, 0, 0, 0)).title
            for row in self.conn.execute(
                "SELECT id, uid, title, status, severity, occurred_at, affected FROM incidents"
                + (" WHERE id = ?" if one else ""),
                params,
            )
        }
        owners = dict(
            self.conn.execute(
                "SELECT id, incident_id FROM actions" + (" WHERE incident_id = ?" if one else ""),
                params,
            ).fetchall()
        )
        cause_info: dict[tuple[int, str], tuple[str, str]] = {
            (row[0], row[1]): (
                damage.text(row[2], "cause text"),
                damage.text(row[3] or "", "category"),
            )
            for row in self.conn.execute(
                "SELECT c.incident_id, c.id, c.text, c.category FROM causes c "
                "JOIN action_causes ac ON ac.incident_id = c.incident_id AND ac.cause_id = c.id"
                + (" WHERE c.incident_id = ?" if one else ""),
                params,
            )
        }
        out = []
        for action in self._load_actions("a.incident_id = ?" if one else "1 = 1", params):
            assert action.number is not None
            owner = owners[action.number]
            info = [cause_info[(owner, cid)] for cid in action.root_causes]
            out.append(
                ActionRow(
                    incident_id=owner,
                    incident_title=titles[owner],
                    action=action,
                    root_cause_texts=tuple(text for text, _ in info),
                    categories=tuple(dict.fromkeys(cat for _, cat in info)),
                )
            )
        return out

    # --------------------------------------------------------------- writing
    # Every write below runs in one transaction that draws one revision number (see
    # schema 1.0), checks that each row it changes is still at the revision this copy of
    # the incident was read at (``incident.revisions``), checks the rules that span rows
    # against the *stored* incident, and only then writes. Whatever another window or
    # process did in between, the stored incident stays one that loads.
    @writing
    def add_incident(self, incident: Incident) -> int:
        """Write a whole incident (new to this workspace); set and return its id."""
        with self.transaction():
            if self.has_uid(incident.uid):
                raise WorkspaceError(
                    f"Incident {incident.title!r} is already in this workspace "
                    f"(uid {incident.uid})."
                )
            rev = self._revision()
            record = self._incident_record(incident)
            own = [*Incident.FIELDS, "categories"]
            record["field_revs"] = json.dumps(dict.fromkeys(own, rev), sort_keys=True)
            record["edited"] = rev
            incident_id = self._insert("incidents", record)
            incident.id = incident_id
            seen: dict[RowKey, int] = {EDITED: rev}
            seen.update((field_row(name), rev) for name in own)
            graph = incident.graph
            records = [self._head_record(incident)]
            for parent in [HEAD, *graph.cause_ids()]:
                records.extend(
                    self._cause_record(incident, cid, parent, position)
                    for position, cid in enumerate(graph.children(parent))
                )
            for cause in records:
                cause["rev"] = rev
                seen[("cause", cause["id"])] = rev
            self._insert_rows("causes", records)
            self._insert_rows(
                "cause_links",
                [
                    {"incident_id": incident_id, "effect_id": e, "cause_id": c, "rev": rev}
                    for e, c in graph.links()
                ],
            )
            seen.update((("link", e, c), rev) for e, c in graph.links())
            for position, action in enumerate(incident.actions):
                self._write_action(incident, action, position, rev)
                seen[("action", action.uid)] = rev
            self._insert_rows(
                "parked_ideas",
                [
                    {
                        "incident_id": incident_id,
                        "id": kept.id,
                        "position": position,
                        "text": kept.text,
                        "rev": rev,
                    }
                    for position, kept in enumerate(incident.parking)
                ],
            )
            seen.update((idea_row(kept.id), rev) for kept in incident.parking)
            for kind, table in RECORD_TABLES.items():
                listed = incident.records(kind)
                if listed:
                    self.conn.executemany(
                        table.upsert(),
                        [table.row(incident_id, n, kept, rev) for n, kept in enumerate(listed)],
                    )
                seen.update((record_row(kind, kept.id), rev) for kept in listed)
        incident.revisions = seen
        return incident_id

    @writing
    def add_incidents(self, incidents: Iterable[Incident]) -> list[int]:
        with self.transaction():
            return [self.add_incident(incident) for incident in incidents]

    @writing
    def delete_incident(self, incident_id: int) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM incidents WHERE id = ?", (incident_id,))

    @writing
    def save_incident_fields(self, incident: Incident, fields: Iterable[str] | None = None) -> None:
        """Write the incident's own fields, categories and problem statement.

        With ``fields`` (names of :attr:`Incident.FIELDS`, ``"categories"``, ``"problem"``)
        only those are written. The problem statement is the head cause row, with its own
        revision, so rewording it never collides with an edit of the title.
        """
        incident_id = self._require_id(incident)
        wanted = set(fields) if fields is not None else None
        record = self._incident_record(incident)
        if wanted is not None:
            columns = {
                column
                for name in wanted
                for column in _FIELD_COLUMNS.get(name, (name,))
                if column in record
            }
            record = {k: v for k, v in record.items() if k in columns or k == "updated_at"}
        own = (set(Incident.FIELDS) | {"categories"}) if wanted is None else wanted - {"problem"}
        with self.transaction():
            rev = self._revision()
            written: dict[RowKey, int] = {}
            if own:
                stored = self.conn.execute(
                    "SELECT field_revs FROM incidents WHERE id = ?", (incident_id,)
                ).fetchone()
                if stored is None:
                    raise StaleWriteError("This incident was deleted in another window.")
                revs = _field_revs(stored[0])
                for name in sorted(own):
                    if revs.get(name, 0) != incident.revisions.get(field_row(name), 0):
                        raise StaleWriteError(
                            f"The incident's {name.replace('_', ' ')} was changed in another "
                            "window a moment ago."
                        )
                    revs[name] = written[field_row(name)] = rev
                record["field_revs"] = json.dumps(revs, sort_keys=True)
                self._update("incidents", {"id": incident_id}, record)
                if "categories" in own:
                    self._categories_to_check.add(incident_id)
            if wanted is None or "problem" in wanted:
                self._write_cause(incident, self._head_record(incident), rev)
                written[("cause", HEAD)] = rev
            self._edited(incident, rev, written)

    @writing
    def save_cause(self, incident: Incident, cause_id: str) -> None:
        """Write one cause and the order of its siblings (after an add, edit or move)."""
        incident_id = self._require_id(incident)
        graph = incident.graph
        parent = graph.parent(cause_id)
        record = self._cause_record(incident, cause_id, parent, graph.index_of(cause_id))
        with self.transaction():
            rev = self._revision()
            moved = self._write_cause(incident, record, rev)
            self._write_positions(incident_id, graph.children(parent))
            if moved:
                self._check_acyclic(incident_id)
            self._edited(incident, rev, {("cause", cause_id): rev})

    @writing
    def save_subtree(self, incident: Incident, cause_id: str) -> None:
        """Write a cause with all its sub-causes and their links (after an undo of remove,
        or a move that recoloured a branch)."""
        incident_id = self._require_id(incident)
        graph = incident.graph
        subtree = graph.subtree(cause_id)
        touched = set(subtree)
        links = [(e, c) for e, c in graph.links() if e in touched or c in touched]
        with self.transaction():
            rev = self._revision()
            written: dict[RowKey, int] = {}
            for cid in subtree:  # parents first, so each new row finds its parent stored
                parent = graph.parent(cid)
                self._write_cause(
                    incident, self._cause_record(incident, cid, parent, graph.index_of(cid)), rev
                )
                written[("cause", cid)] = rev
            self._write_positions(incident_id, graph.children(graph.parent(cause_id)))
            for effect, cause in links:
                if self._insert_link(incident, effect, cause, rev):
                    written[("link", effect, cause)] = rev
            self._check_acyclic(incident_id)
            self._edited(incident, rev, written)

    @writing
    def delete_cause(self, incident: Incident, cause_id: str) -> None:
        """Delete a cause row; the schema cascades to its sub-causes and links.

        Refused when the stored subtree is not the one this copy knew: a sub-cause someone
        else added, or a cause they changed, would go with it unseen.
        """
        incident_id = self._require_id(incident)
        with self.transaction():
            rev = self._revision()
            stored = self.conn.execute(
                """
                WITH RECURSIVE sub(id) AS (
                    SELECT CAST(? AS TEXT) UNION
                    SELECT c.id FROM causes c JOIN sub ON c.parent_id = sub.id
                     WHERE c.incident_id = ?
                )
                SELECT c.id, c.rev FROM causes c JOIN sub ON c.id = sub.id
                 WHERE c.incident_id = ?
                """,
                (cause_id, incident_id, incident_id),
            ).fetchall()
            if not stored:
                raise StaleWriteError("This cause was removed in another window a moment ago.")
            for cid, cause_rev in stored:
                if incident.revisions.get(("cause", cid)) != cause_rev:
                    raise StaleWriteError(
                        "This cause or one of its sub-causes was changed in another window "
                        "a moment ago."
                    )
            doomed = [cid for cid, _ in stored]
            for start in range(0, len(doomed), CHUNK):
                chunk = doomed[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                if self.conn.execute(
                    f"SELECT 1 FROM action_causes WHERE incident_id = ? AND cause_id IN ({marks})",
                    (incident_id, *chunk),
                ).fetchone():
                    raise StaleWriteError(
                        "A preventive action was added for this cause in another window a "
                        "moment ago."
                    )
            self.conn.execute(
                "DELETE FROM causes WHERE incident_id = ? AND id = ?", (incident_id, cause_id)
            )
            gone = set(doomed)
            self._edited(incident, rev, {})
            for key in [k for k in incident.revisions if mentions(k, gone)]:
                del incident.revisions[key]

    @writing
    def save_link(self, incident: Incident, effect: str, cause: str, *, present: bool) -> None:
        incident_id = self._require_id(incident)
        with self.transaction():
            rev = self._revision()
            if present:
                written = self._insert_link(incident, effect, cause, rev)
                self._check_acyclic(incident_id)
                self._edited(incident, rev, {("link", effect, cause): rev} if written else {})
            else:
                self.conn.execute(
                    "DELETE FROM cause_links WHERE incident_id = ? AND effect_id = ? "
                    "AND cause_id = ?",
                    (incident_id, effect, cause),
                )
                self._edited(incident, rev, {})
                incident.revisions.pop(("link", effect, cause), None)

    @writing
    def save_action(self, incident: Incident, action: PreventiveAction) -> int:
        """Write one action with its root causes and history; return its number."""
        incident_id = self._require_id(incident)
        key: RowKey = ("action", action.uid)
        with self.transaction():
            rev = self._revision()
            stored = self.conn.execute(
                "SELECT rev FROM actions WHERE uid = ?", (action.uid,)
            ).fetchone()
            seen = incident.revisions.get(key)
            if seen is None and stored is not None:
                raise StaleWriteError("This action was put back in another window a moment ago.")
            if seen is not None and stored is None:
                raise StaleWriteError("This action was deleted in another window a moment ago.")
            if stored is not None and stored[0] != seen:
                raise StaleWriteError("This action was changed in another window a moment ago.")
            self._check_root_causes(incident_id, action.root_causes)
            number = self._write_action(incident, action, incident.actions.index(action), rev)
            # Like sibling causes: an action put back at its old place (undo of a delete)
            # must not tie with, or sort after, the ones that follow it.
            self.conn.executemany(
                "UPDATE actions SET position = ? WHERE uid = ? AND incident_id = ? "
                "AND position <> ?",
                [(pos, a.uid, incident_id, pos) for pos, a in enumerate(incident.actions)],
            )
            self._edited(incident, rev, {key: rev})
            return number

    @writing
    def delete_action(self, incident: Incident, action: PreventiveAction) -> None:
        self._require_id(incident)
        key: RowKey = ("action", action.uid)
        with self.transaction():
            rev = self._revision()
            stored = self.conn.execute(
                "SELECT rev FROM actions WHERE uid = ?", (action.uid,)
            ).fetchone()
            if stored is None or stored[0] != incident.revisions.get(key):
                raise StaleWriteError(
                    "This action was changed or deleted in another window a moment ago."
                )
            self.conn.execute("DELETE FROM actions WHERE uid = ?", (action.uid,))
            self._edited(incident, rev, {})
            incident.revisions.pop(key, None)

    @writing
    def save_idea(self, incident: Incident, idea_id: str) -> None:
        """Write one parked idea as the incident holds it (new or put back), with the
        lot's order; refused when another window changed or removed it meanwhile."""
        incident_id = self._require_id(incident)
        position, kept = next((i, k) for i, k in enumerate(incident.parking) if k.id == idea_id)
        self._write_listed(
            incident,
            "parked_ideas",
            idea_row(idea_id),
            "idea",
            "INSERT INTO parked_ideas (incident_id, id, position, text, rev) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (incident_id, id) DO UPDATE SET "
            "position = excluded.position, text = excluded.text, rev = excluded.rev",
            lambda rev: (incident_id, idea_id, position, kept.text, rev),
            [k.id for k in incident.parking],
        )

    @writing
    def delete_idea(self, incident: Incident, idea_id: str) -> None:
        """Take one idea out of the stored parking lot (placed or discarded)."""
        self._delete_listed(
            incident,
            "parked_ideas",
            idea_row(idea_id),
            "This idea was changed or placed in another window a moment ago.",
        )

    @writing
    def save_record(self, incident: Incident, kind: str, record_id: str) -> None:
        """Write one record of the incident's ``kind`` list (a key of
        ``Incident.RECORD_KINDS``) as the incident holds it: new, edited, or put back by
        undo, with the list's order. Refused when another window changed or removed it,
        or put it back, since this copy read it."""
        incident_id = self._require_id(incident)
        records = incident.records(kind)
        record = incident.record(kind, record_id)
        position = next(n for n, kept in enumerate(records) if kept.id == record_id)
        table = RECORD_TABLES[kind]
        self._write_listed(
            incident,
            table.table,
            record_row(kind, record_id),
            table.noun,
            table.upsert(),
            lambda rev: table.row(incident_id, position, record, rev),
            [kept.id for kept in records],
        )

    @writing
    def delete_record(self, incident: Incident, kind: str, record_id: str) -> None:
        """Take one record out of the stored ``kind`` list (the incident dropped it);
        refused when another window changed or removed it since this copy read it."""
        incident.records(kind)  # an unknown kind is refused as the model refuses it
        table = RECORD_TABLES[kind]
        self._delete_listed(
            incident,
            table.table,
            record_row(kind, record_id),
            f"This {table.noun} was changed or removed in another window a moment ago.",
        )

    def _write_listed(
        self,
        incident: Incident,
        table: str,
        key: RowKey,
        noun: str,
        upsert: str,
        values: Callable[[int], Sequence[object]],
        order: list[str],
    ) -> None:
        """Write one item of one of the incident's lists (its row ``key``, ending in its id)
        with ``upsert`` and ``values(rev)``, then the list's ``order``; refused when the
        stored row is not the one this copy read (changed, removed, or put back)."""
        incident_id = self._require_id(incident)
        item_id = key[-1]
        with self.transaction():
            rev = self._revision()
            stored = self.conn.execute(
                f"SELECT rev FROM {table} WHERE incident_id = ? AND id = ?",
                (incident_id, item_id),
            ).fetchone()
            seen = incident.revisions.get(key)
            if (stored is None) != (seen is None) or (stored is not None and stored[0] != seen):
                raise StaleWriteError(f"This {noun} was changed in another window a moment ago.")
            self.conn.execute(upsert, tuple(values(rev)))
            # As for sibling causes: the others keep their order around it.
            self.conn.executemany(
                f"UPDATE {table} SET position = ? WHERE incident_id = ? AND id = ? "
                "AND position <> ?",
                [(pos, incident_id, other, pos) for pos, other in enumerate(order)],
            )
            self._edited(incident, rev, {key: rev})

    def _delete_listed(self, incident: Incident, table: str, key: RowKey, refusal: str) -> None:
        """Delete the item of one of the incident's lists whose row is ``key``; refused
        with ``refusal`` unless the stored row is the one this copy read."""
        incident_id = self._require_id(incident)
        item_id = key[-1]
        with self.transaction():
            rev = self._revision()
            stored = self.conn.execute(
                f"SELECT rev FROM {table} WHERE incident_id = ? AND id = ?",
                (incident_id, item_id),
            ).fetchone()
            if stored is None or stored[0] != incident.revisions.get(key):
                raise StaleWriteError(refusal)
            self.conn.execute(
                f"DELETE FROM {table} WHERE incident_id = ? AND id = ?", (incident_id, item_id)
            )
            self._edited(incident, rev, {})
            incident.revisions.pop(key, None)

    # ----------------------------------------------------- revisions, rules
    def _revision(self) -> int:
        """This transaction's revision number, drawn once, on its first write."""
        if self._tx_revision is None:
            row = self.conn.execute(
                "UPDATE edit_counter SET last = last + 1 WHERE id = 1 RETURNING last"
            ).fetchone()
            if row is None:
                raise WorkspaceError(f"{self.location}: is damaged (its edit counter is missing).")
            self._tx_revision, self._revision_depth = int(row[0]), self._depth
        return self._tx_revision

    def _edited(self, incident: Incident, rev: int, written: dict[RowKey, int]) -> None:
        """Stamp the incident as changed by ``rev``; remember the rows this copy wrote.

        The copy learns the new stamp only if it had the one before: when another window
        wrote in between, the copy is still behind on *their* rows, and must go on saying
        so (``IncidentDocument.changed_elsewhere``) until it is read again.
        """
        # One statement in the usual case (the copy was current); a second one only when
        # it was not. (A second write in the same transaction finds ``rev`` stored: the
        # copy has it only if the first write found the copy current.)
        seen = incident.revisions.get(EDITED)
        current = (
            seen is not None
            and self.conn.execute(
                "UPDATE incidents SET edited = ? WHERE id = ? AND edited = ?",
                (rev, incident.id, seen),
            ).rowcount
            == 1
        )
        if not current:
            self.conn.execute("UPDATE incidents SET edited = ? WHERE id = ?", (rev, incident.id))
        incident.revisions.update(written)
        if current:
            incident.revisions[EDITED] = rev

    def _write_cause(self, incident: Incident, record: dict[str, Any], rev: int) -> bool:
        """Insert or update one cause row, checked; return whether it got a new parent."""
        cause_id = record["id"]
        key: RowKey = ("cause", cause_id)
        stored = self.conn.execute(
            "SELECT parent_id, is_root, rev FROM causes WHERE incident_id = ? AND id = ?",
            (incident.id, cause_id),
        ).fetchone()
        seen = incident.revisions.get(key)
        what = "problem statement" if cause_id == HEAD else "cause"
        if stored is None and seen is not None:
            raise StaleWriteError(f"This {what} was removed in another window a moment ago.")
        if stored is not None and stored[2] != seen:
            raise StaleWriteError(f"This {what} was changed in another window a moment ago.")
        parent = record["parent_id"]
        moved = stored is None or stored[0] != parent
        if (
            moved
            and parent is not None
            and not self.conn.execute(
                "SELECT 1 FROM causes WHERE incident_id = ? AND id = ?", (incident.id, parent)
            ).fetchone()
        ):
            raise StaleWriteError(
                "The cause this one hangs under was removed in another window a moment ago."
            )
        unmarked = stored is not None and stored[1] and not record["is_root"]
        if (
            unmarked
            and self.conn.execute(
                "SELECT 1 FROM action_causes WHERE incident_id = ? AND cause_id = ?",
                (incident.id, cause_id),
            ).fetchone()
        ):
            raise StaleWriteError(
                "A preventive action was added for this root cause in another window a moment ago."
            )
        if record["category"] is not None:
            self._categories_to_check.add(self._require_id(incident))  # see _check_categories
        record = {**record, "rev": rev}
        if stored is None:
            self._insert_rows("causes", [record])
        else:
            self._update("causes", {"incident_id": incident.id, "id": cause_id}, record)
        return moved and stored is not None

    def _check_categories(self) -> None:
        """Every stored cause of the incidents this transaction touched is in a category
        of its incident.

        Checked once, just before the commit, because a rename writes the list and the
        causes in turn and is only whole at the end. It catches a cause another window
        just added under a name this transaction renamed or removed, or the other way round.
        """
        for incident_id in sorted(self._categories_to_check):
            row = self.conn.execute(
                "SELECT categories FROM incidents WHERE id = ?", (incident_id,)
            ).fetchone()
            if row is None:
                continue
            try:
                names = set(json.loads(row[0]))
            except (TypeError, ValueError):
                continue  # damaged, not stale: the loader quarantines it
            for (category,) in self.conn.execute(
                "SELECT DISTINCT category FROM causes WHERE incident_id = ? "
                "AND category IS NOT NULL",
                (incident_id,),
            ):
                if category not in names:
                    raise StaleWriteError(
                        f"Another window renamed or removed the category {category!r}, or "
                        "put a cause in it, a moment ago; together with this change a cause "
                        "would be left without its category."
                    )

    def _write_positions(self, incident_id: int, siblings: Iterable[str]) -> None:
        """Sibling order is not checked: two people adding causes at once both keep theirs."""
        self.conn.executemany(
            "UPDATE causes SET position = ? WHERE incident_id = ? AND id = ? AND position <> ?",
            [(pos, incident_id, cid, pos) for pos, cid in enumerate(siblings)],
        )

    def _insert_link(self, incident: Incident, effect: str, cause: str, rev: int) -> bool:
        """Store a link unless it is there; refused when an end was removed meanwhile."""
        ends = {effect, cause}
        marks = ",".join("?" * len(ends))
        found = self.conn.execute(
            f"SELECT count(*) FROM causes WHERE incident_id = ? AND id IN ({marks})",
            (incident.id, *ends),
        ).fetchone()[0]
        if found != len(ends):
            raise StaleWriteError(
                "A cause in this link was removed in another window a moment ago."
            )
        cursor = self.conn.execute(
            "INSERT INTO cause_links (incident_id, effect_id, cause_id, rev) "
            "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (incident.id, effect, cause, rev),
        )
        return bool(cursor.rowcount == 1)

    def _check_acyclic(self, incident_id: int) -> None:
        """Refuse a write that would make the stored causes explain themselves.

        Each side's own graph refuses a cycle; this catches two moves (or links) that are
        each fine alone and form a cycle together, made in two windows at once.
        """
        edges = self.conn.execute(
            "SELECT parent_id, id FROM causes WHERE incident_id = ? AND parent_id IS NOT NULL "
            "UNION ALL SELECT effect_id, cause_id FROM cause_links WHERE incident_id = ?",
            (incident_id, incident_id),
        ).fetchall()
        if find_cycle(edges):
            raise StaleWriteError(
                "Another window moved or linked these causes a moment ago; together with "
                "this change they would explain themselves (a cycle)."
            )
        if len(set(edges)) != len(edges):  # a link that repeats a cause's own place
            raise StaleWriteError(
                "Another window moved or linked these causes a moment ago; with this change "
                "one cause would be linked to the very cause it hangs under."
            )

    def _check_root_causes(self, incident_id: int, cause_ids: list[str]) -> None:
        if not cause_ids:
            return
        marks = ",".join("?" * len(cause_ids))
        roots = self.conn.execute(
            "SELECT count(*) FROM causes WHERE incident_id = ? "
            f"AND id IN ({marks}) AND is_root <> 0",
            (incident_id, *cause_ids),
        ).fetchone()[0]
        if roots != len(set(cause_ids)):
            raise StaleWriteError(
                "A root cause of this action was removed or unmarked in another window a "
                "moment ago."
            )

    # ------------------------------------------------------------- internals
    def _insert(self, table: str, record: dict[str, Any]) -> int:
        """Insert one row of ``incidents`` or ``actions``; return its id.

        Without an id the row gets ``max(id) + 1``: SQLite's own rule for a rowid, and safe
        on the server too because writers hold the write lock (see the module docstring).
        """
        columns = list(record)
        marks = ", ".join("?" * len(columns))
        if "id" in record:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) RETURNING id"
        else:
            sql = (
                f"INSERT INTO {table} (id, {', '.join(columns)}) VALUES "
                f"((SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), {marks}) RETURNING id"
            )
        return int(self.conn.execute(sql, tuple(record.values())).fetchone()[0])

    def _insert_rows(self, table: str, records: Iterable[dict[str, Any]]) -> None:
        """Insert rows that all name the same columns, in one batch."""
        rows = list(records)
        if not rows:
            return
        columns = list(rows[0])
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            [tuple(row[c] for c in columns) for row in rows],
        )

    def _update(self, table: str, key: dict[str, Any], record: dict[str, Any]) -> None:
        """Set the columns of ``record`` (key columns left out) in the row with ``key``."""
        values = {k: v for k, v in record.items() if k not in key}
        assignments = ", ".join(f"{column} = ?" for column in values)
        where = " AND ".join(f"{column} = ?" for column in key)
        self.conn.execute(
            f"UPDATE {table} SET {assignments} WHERE {where}",
            (*values.values(), *key.values()),
        )

    def _write_action(
        self, incident: Incident, action: PreventiveAction, position: int, rev: int
    ) -> int:
        record = {
            "rev": rev,
            "uid": action.uid,
            "incident_id": incident.id,
            "position": position,
            "title": action.title,
            "owner": action.owner,
            "due": _iso(action.due),
            "strength": action.strength.value,
            "metric": action.metric,
            "target": action.target,
            "measured_result": action.measured_result,
            "verify_on": _iso(action.verify_on),
            "notes": action.notes,
            "status": action.status.value,
        }
        row = self.conn.execute("SELECT id FROM actions WHERE uid = ?", (action.uid,)).fetchone()
        if row is None:
            if (
                action.number is not None
                and not self.conn.execute(
                    "SELECT 1 FROM actions WHERE id = ?", (action.number,)
                ).fetchone()
            ):
                # Put back under the number people know it by (the undo of a delete).
                record["id"] = action.number
            number = self._insert("actions", record)
        else:
            number = int(row[0])
            self._update("actions", {"id": number}, record)
            self.conn.execute("DELETE FROM action_causes WHERE action_id = ?", (number,))
            self.conn.execute("DELETE FROM action_history WHERE action_id = ?", (number,))
        action.number = number
        self._insert_rows(
            "action_causes",
            [
                {"action_id": number, "incident_id": incident.id, "cause_id": cid, "position": pos}
                for pos, cid in enumerate(action.root_causes)
            ],
        )
        self._insert_rows(
            "action_history",
            [
                {
                    "action_id": number,
                    "seq": seq,
                    "at": change.at.isoformat(),
                    "from_status": change.from_status.value if change.from_status else None,
                    "to_status": change.to_status.value,
                    "note": change.note,
                }
                for seq, change in enumerate(action.history)
            ],
        )
        return number

    @staticmethod
    def _incident_record(incident: Incident) -> dict[str, Any]:
        return {
            "uid": incident.uid,
            "title": incident.title,
            "occurred_at": _iso(incident.occurred_at),
            "affected": incident.affected,
            "severity": incident.severity.value,
            "status": incident.status.value,
            "description": incident.description,
            "impact_operational": incident.impact.operational,
            "impact_financial": incident.impact.financial,
            "impact_reputational": incident.impact.reputational,
            "impact_compliance": incident.impact.compliance,
            "containment": incident.containment,
            "whys_depth": incident.whys_depth,
            "agenda": json.dumps(agenda_data(incident.agenda), ensure_ascii=False),
            "lessons": incident.lessons,
            "resolved_at": _iso(incident.resolved_at),
            "review_meeting": _iso(incident.review_meeting),
            "cadence": json.dumps(cadence_data(incident.cadence)),
            "apology_on": _iso(incident.apology.on),
            "apology_by": incident.apology.by,
            "apology_to": incident.apology.to,
            "apology_channel": incident.apology.channel.value,
            "restore_streak": incident.restore_streak,
            "categories": json.dumps(incident.graph.categories, ensure_ascii=False),
            "updated_at": _now(),
        }

    @staticmethod
    def _head_record(incident: Incident) -> dict[str, Any]:
        return {
            "incident_id": incident.id,
            "id": HEAD,
            "parent_id": None,
            "position": 0,
            "text": incident.graph.problem,
            "category": None,
            "evidence": Evidence.VERIFIED.value,
            "evidence_note": "",
            "is_root": 0,
            "stop_reason": "",
        }

    @staticmethod
    def _cause_record(
        incident: Incident, cause_id: str, parent: str, position: int
    ) -> dict[str, Any]:
        cause = incident.graph.cause(cause_id)
        return {
            "incident_id": incident.id,
            "id": cause_id,
            "parent_id": parent,
            "position": position,
            "text": cause.text,
            "category": cause.category,
            "evidence": cause.evidence.value,
            "evidence_note": cause.evidence_note,
            "is_root": int(cause.root_cause),
            "stop_reason": cause.stop_reason,
        }

    @staticmethod
    def _require_id(incident: Incident) -> int:
        if incident.id is None:
            raise WorkspaceError(f"Incident {incident.title!r} has not been added to a workspace.")
        return incident.id

    # ------------------------------------------------------------- snapshot
    def content(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, sorted: equal snapshots mean equal content."""
        return {
            table: sorted(
                self.conn.execute(f"SELECT * FROM {table}").fetchall(),
                key=repr,
            )
            for table in TABLES
        }


def _field_revs(stored: object) -> dict[str, int]:
    """The incident's per-field revisions; unreadable ones count as never written.

    They are bookkeeping, not content: a damaged value must not lock the incident, and
    the next write of a field puts a sound object back.
    """
    try:
        revs = json.loads(stored) if isinstance(stored, str) else None
    except ValueError:
        return {}
    if not isinstance(revs, dict):
        return {}
    return {k: v for k, v in revs.items() if isinstance(k, str) and type(v) is int}


def _repaired(
    incident: Incident, action: PreventiveAction, repairs: Sequence[Repair]
) -> PreventiveAction:
    """``action`` as the repairs that concern it leave it (the graph is fixed in place)."""
    graph = incident.graph
    for repair in repairs:
        if repair.other != action.uid:
            continue
        if repair.kind == "unlink":
            action.root_causes.remove(repair.cause)
        elif repair.kind == "mark root" and not graph.cause(repair.cause).root_cause:
            graph.update_cause(repair.cause, root_cause=True)
        elif repair.kind == "placeholder" and repair.cause not in graph:
            graph.add_cause(
                HEAD,
                text=PLACEHOLDER_TEXT,
                category=graph.categories[0],
                root_cause=True,
                cause_id=repair.cause,
            )
    return action
