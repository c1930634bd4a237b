"""The workspace: one SQLite file holding many incidents, written through on every edit.

Opening is careful because the file may not be ours: the 100-byte SQLite header is read
first (magic string, ``application_id``, ``user_version``), then a read-only connection
compares the schema with what the migrations make (:mod:`rca_desk.store.integrity`: a
planted trigger or view is refused before anything runs) and runs ``PRAGMA quick_check``,
and only a file that passes all of that is opened for writing. A refused file is never
opened read-write, so it stays byte-for-byte as it was. A workspace of a newer *minor*
schema version is opened as it is; only a newer *major* one is refused (see
:mod:`rca_desk.store.schema` for the rule that makes this safe). A file the user may not
write is opened read-only, with the reason (:mod:`rca_desk.store.access`).

Reading never crashes on damage (:mod:`rca_desk.store.damage`): damage to the file found
late refuses it in one line; one incident's unreadable values quarantine that incident.

Every public method that writes runs in one ``BEGIN IMMEDIATE`` transaction (nested calls
join the caller's transaction through savepoints), so a user action is committed whole or
not at all, and a second process waits for the lock (``busy_timeout``) instead of failing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
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
from rca_desk.store import damage
from rca_desk.store.access import Access, access_for
from rca_desk.store.backups import copy_database, daily_backup, take_backup
from rca_desk.store.damage import reading
from rca_desk.store.errors import BrokenIncidentError, StaleWriteError
from rca_desk.store.errors import DamagedIncidentError as DamagedIncidentError
from rca_desk.store.errors import WorkspaceError as WorkspaceError
from rca_desk.store.integrity import harden, schema_difference
from rca_desk.store.mending import MENDS
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
    mentions,
)
from rca_desk.store.rows import ActionRow, IncidentSummary
from rca_desk.store.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLES,
    SchemaVersion,
)

if TYPE_CHECKING:
    from rca_desk.model.review import RootCauseRecord
    from rca_desk.store.search import SimilarRootCause

SQLITE_MAGIC = b"SQLite format 3\x00"
FTS_INDEX = "root_cause_texts_fts"
#: Where a repair puts the causes it hangs under the problem: after every other one.
REPAIRED_POSITION = 1_000_000
_SIDECARS = ("-wal", "-shm", "-journal")
BUSY_TIMEOUT_MS = 15_000


#: Incident fields stored in more than one column (or under another name).
_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "impact": (
        "impact_operational",
        "impact_financial",
        "impact_reputational",
        "impact_compliance",
    ),
}


def inspect_workspace_file(path: Path) -> None:
    """Refuse ``path`` with a clear message unless it looks like our workspace.

    Reads bytes only; SQLite never sees a foreign or newer file.
    """
    if path.is_dir():
        raise WorkspaceError(f"{path}: is a folder, not an rca-desk workspace file.")
    if path.exists() and not path.is_file():
        # A FIFO would block the read below forever; a device is never a workspace.
        raise WorkspaceError(f"{path}: is not a regular file, not an rca-desk workspace.")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise WorkspaceError(f"{path}: cannot be read ({error.strerror}).") from None
    if not header:
        raise WorkspaceError(f"{path}: is an empty file, not an rca-desk workspace.")
    if not header.startswith(SQLITE_MAGIC):
        raise WorkspaceError(f"{path}: is not an rca-desk workspace (not an SQLite database).")
    if len(header) < 100:
        raise WorkspaceError(f"{path}: is damaged (the database header is cut short).")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID:
        raise WorkspaceError(
            f"{path}: is an SQLite database of another program, not an rca-desk workspace."
        )
    readable_version(path, int.from_bytes(header[60:64], "big"))


def readable_version(path: Path, user_version: int) -> SchemaVersion:
    """The one version check: return the file's version, or refuse a newer major one.

    A newer *minor* version passes: by the rule in :mod:`rca_desk.store.schema` it only
    added what this app can ignore. It is asked twice on opening, of the header and of the
    read-only connection, because the header on disk can be older than the file: another
    app may have migrated it with the new first page still in the ``-wal`` file.
    """
    found = SchemaVersion.from_int(user_version)
    if found.major > SCHEMA_VERSION.major:
        raise WorkspaceError(
            f"{path}: was written by a newer rca-desk (workspace format {found}; this "
            f"version is at {SCHEMA_VERSION} and opens format {SCHEMA_VERSION.major}.x "
            "only). Update rca-desk to open it."
        )
    return found


def _check_readable(path: Path, access: Access | None = None) -> None:
    """Open read-only and prove the file is a sound, complete workspace.

    A read-only connection to a file in WAL mode (every workspace is) creates empty
    ``-wal`` and ``-shm`` files beside it and, being read-only, cannot remove them. When
    the file is refused those would be litter next to a file we promised to leave alone,
    so the ones this check created are removed again (only while the ``-wal`` is empty:
    then they hold nothing). A file that will be opened read-only is checked the way it
    will be read (immutable when nothing is beside it), so nothing is created at all.
    """
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    created = [sidecar for sidecar in sidecars if not sidecar.exists()]
    try:
        _quick_check(path, (access or Access()).query())
    except WorkspaceError:
        _remove_empty_sidecars(created, wal=sidecars[0])
        raise


def _remove_empty_sidecars(created: list[Path], *, wal: Path) -> None:
    try:
        if wal.exists() and wal.stat().st_size:
            return
    except OSError:
        return
    for sidecar in created:
        with contextlib.suppress(OSError):
            sidecar.unlink()


def _first_line(report: str) -> str:
    """SQLite's check reports span lines ("*** in database main ***" first); keep one.

    Every refusal is one line so the command can print it as ``rca-desk: error: ...``.
    """
    lines = [line.strip() for line in report.splitlines()]
    useful = [line for line in lines if line and not line.startswith("***")]
    return useful[0] if useful else " ".join(lines).strip()


def _quick_check(path: Path, query: str = "mode=ro") -> None:
    """The version, the schema (nothing planted in it) and then SQLite's own check.

    The schema is compared first (see :mod:`rca_desk.store.integrity`), so not even
    ``quick_check`` runs a CHECK constraint of a file that was changed outside rca-desk.
    """
    uri = path.resolve().as_uri() + "?" + query
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise WorkspaceError(f"{path}: cannot be opened ({error}).") from None
    try:
        version = readable_version(path, conn.execute("PRAGMA user_version").fetchone()[0])
        difference = schema_difference(conn, version, MIGRATIONS, _statements)
        if difference:
            raise WorkspaceError(
                f"{path}: was modified outside rca-desk ({difference}); it was not opened."
            )
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(20)")]
        # A value that breaks its column's rules is one incident's damage, quarantined
        # when read (see rca_desk.store.damage); anything else is the file's.
        structural = [p for p in problems if p != "ok" and not damage.is_value_problem(p)]
        if structural:
            raise WorkspaceError(f"{path}: is damaged ({damage.one_line(structural[0])}).")
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        # (SQLite's message about a broken schema can itself hold bytes that are not UTF-8.)
        raise WorkspaceError(f"{path}: is damaged ({damage.describe(error)}).") from None
    finally:
        conn.close()


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


def _now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()


#: One row per incident for the list: its own fields and the counts.
_SUMMARIES = """
    SELECT i.id, i.uid, i.title, i.status, i.severity, i.occurred_at, i.affected,
           (SELECT count(*) FROM causes c
             WHERE c.incident_id = i.id AND c.parent_id IS NOT NULL),
           (SELECT count(*) FROM causes c WHERE c.incident_id = i.id AND c.is_root),
           (SELECT count(*) FROM actions a WHERE a.incident_id = i.id),
           (SELECT count(*) FROM actions a WHERE a.incident_id = i.id
             AND a.status NOT IN ('verified_effective', 'cancelled'))
      FROM incidents i ORDER BY i.id
"""


class Workspace:
    """An open workspace file. Use :meth:`open`; close it (or use ``with``) when done."""

    #: Why this workspace is open read-only (a sentence for a banner), or None. Every
    #: write is then refused with it; see :mod:`rca_desk.store.access`.
    read_only: str | None = None

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._depth = 0
        #: The revision drawn by the open transaction, and the depth that drew it.
        self._tx_revision: int | None = None
        self._revision_depth = 0
        #: Incidents whose causes' categories the open transaction must check at commit.
        self._categories_to_check: set[int] = set()

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def file(self) -> Path | None:
        return self.path

    # ------------------------------------------------------------ open/close
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Workspace:
        """Open (or, with ``create``, make) the workspace at ``path``.

        Raises :class:`WorkspaceError` naming the file and the reason for anything that is
        not a sound workspace of this version or older; such a file is left untouched.
        """
        path = Path(path)
        if not path.exists():
            if not create:
                raise WorkspaceError(f"{path}: no such workspace.")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise WorkspaceError(f"{path}: cannot create its folder ({error}).") from None
            cls._create(path)
        inspect_workspace_file(path)
        access = access_for(path)
        _check_readable(path, access)
        return cls._connect(path, access)

    @classmethod
    def _connect(cls, path: Path, access: Access | None = None) -> Workspace:
        access = access or Access()
        try:
            if access.read_only is None:
                conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            else:
                uri = path.resolve().as_uri() + "?" + access.query()
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise WorkspaceError(f"{path}: cannot be opened ({error}).") from None
        try:
            harden(conn)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # The file's own schema may not act for it: no function with side effects and
            # no virtual table used from a trigger or view (1.0 needs neither).
            conn.execute("PRAGMA trusted_schema = OFF")
            workspace = cls(path, conn)
            if access.read_only is not None:
                workspace.read_only = access.read_only
                workspace._refuse_to_migrate()
                return workspace
            workspace._migrate()
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as error:
            conn.close()
            raise WorkspaceError(f"{path}: cannot be opened for writing ({error}).") from None
        except BaseException:
            conn.close()
            raise
        return workspace

    @classmethod
    def _create(cls, path: Path) -> None:
        """Make a new workspace at ``path`` whole, or leave the one a racer made first.

        The schema is built in a private file beside ``path`` and then hard-linked into
        place, which fails if ``path`` exists: two people (or processes) creating the same
        workspace at once never see a half-made file, and the loser opens the winner's.
        """
        private = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.new")
        try:
            cls._connect(private).close()  # the last close folds the WAL into the file
            try:
                os.link(private, path)
            except FileExistsError:
                pass  # another process made it first; open that one
            except OSError:
                # A file system without hard links: rename, unless a racer got there first.
                if not path.exists():
                    private.replace(path)
        except OSError as error:
            raise WorkspaceError(f"{path}: cannot be created ({error.strerror}).") from None
        finally:
            for leftover in (private, *(private.with_name(private.name + s) for s in _SIDECARS)):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _refuse_to_migrate(self) -> None:
        """A read-only workspace is read as it is: one that needs migrating is refused."""
        version = self._stored_version()
        pending = [step.version for step in MIGRATIONS if step.version > version]
        if pending:
            raise WorkspaceError(
                f"{self.path}: is in workspace format {version} and must be updated to "
                f"{pending[-1]} before this rca-desk can use it, but it cannot be written; "
                "copy it somewhere you can write and open the copy."
            )

    def _refuse_writes(self) -> None:
        if self.read_only is not None:
            raise WorkspaceError(f"{self.path}: nothing was changed. {self.read_only}")

    def _stored_version(self) -> SchemaVersion:
        """The file's version as this connection sees it (refusing a newer major one)."""
        return readable_version(self.path, self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Bring an older workspace up to :data:`SCHEMA_VERSION`, one transaction per step.

        A newer version (a newer minor: a newer major never gets here) is left as it is,
        version included: the app that wrote it still relies on what it added. Each step
        checks the version again inside its transaction, so two apps opening an old file
        at once do not run a step twice; a failing step leaves the file at the version
        before it, whole.
        """
        version = self._stored_version()
        pending = [step for step in MIGRATIONS if step.version > version]
        if pending and version != SchemaVersion(0, 0):
            # A copy of the file as it was, before any step changes it.
            try:
                take_backup(self.conn, self.path, f"before-{pending[-1].version}")
            except (OSError, sqlite3.Error) as error:
                raise WorkspaceError(
                    f"{self.path}: was not migrated to workspace format {pending[-1].version}, "
                    f"because no backup could be taken first ({error})."
                ) from None
        if pending:
            # Steps before 1.0 create and fire triggers that write the FTS5 index, which
            # SQLite allows only with a trusted schema: the file passed its checks, and
            # only our own steps run here.
            self.conn.execute("PRAGMA trusted_schema = ON")
        try:
            self._run_steps(version)
        finally:
            self.conn.execute("PRAGMA trusted_schema = OFF")

    def _run_steps(self, version: SchemaVersion) -> None:
        for step in MIGRATIONS:
            if step.version <= version:
                continue
            with self.transaction():
                version = self._stored_version()
                if step.version <= version:
                    continue
                try:
                    if version == SchemaVersion(0, 0):
                        # Marked ours in the first step's own transaction, so a file whose
                        # first step fails keeps its header bytes as they were.
                        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    for statement in _statements(step.script):
                        self.conn.execute(statement)
                    if (mend := MENDS.get(step.version)) is not None:
                        mend(self.conn, self._revision, now=datetime.now())
                    self.conn.execute(f"PRAGMA user_version = {step.version.to_int()}")
                except sqlite3.Error as error:
                    raise WorkspaceError(
                        f"{self.path}: cannot be migrated from workspace format {version} "
                        f"to {step.version} ({_first_line(str(error))}); it was left at "
                        f"{version}."
                    ) from None
            version = step.version

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
            except sqlite3.Error as error:
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
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise self._write_error(error) from None
        self._depth = 1
        self._tx_revision = None
        self._categories_to_check = set()
        try:
            yield
            self._check_categories()
            self._flush_search_queue()
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._write_error(error) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0
            self._tx_revision = None

    def _roll_back_to(self, savepoint: str) -> None:
        self.conn.execute(f"ROLLBACK TO {savepoint}")
        self.conn.execute(f"RELEASE {savepoint}")
        if self._tx_revision is not None and self._revision_depth >= self._depth:
            # The counter's step was rolled back with the savepoint that drew it: draw
            # again, or two transactions would share a number.
            self._tx_revision = None

    def _write_error(self, error: sqlite3.Error) -> WorkspaceError:
        text = str(error)
        if "locked" in text or "busy" in text:
            return WorkspaceError(
                f"{self.path}: is busy (another rca-desk kept it locked for more than "
                f"{BUSY_TIMEOUT_MS // 1000} s); nothing was changed, try again."
            )
        return WorkspaceError(f"{self.path}: the change could not be saved ({text}).")

    # --------------------------------------------------------------- backups
    def backup(self, target: Path | None = None) -> Path:
        """A consistent copy of the workspace at ``target`` (default: its backup folder)."""
        if target is None:
            return take_backup(self.conn, self.path, "manual")
        return copy_database(self.conn, Path(target))

    def daily_backup(self, now: datetime | None = None) -> Path | None:
        """The app's copy on open, when the newest backup is over a day old (thinned out)."""
        return daily_backup(self.conn, self.path, now or datetime.now())

    def restore_from(self, source: Path) -> Path:
        """Make this workspace a copy of the workspace at ``source``.

        ``source`` is checked like any workspace being opened (and never written to); the
        workspace as it was is backed up first, and that backup's path is returned.
        """
        self._refuse_writes()
        source = Path(source)
        inspect_workspace_file(source)
        source_access = access_for(source)
        _check_readable(source, source_access)
        saved = take_backup(self.conn, self.path, "before-restore")
        try:
            reader = sqlite3.connect(
                f"{source.resolve().as_uri()}?{source_access.query()}", uri=True
            )
        except sqlite3.Error as error:
            raise WorkspaceError(f"{source}: cannot be opened ({error}).") from None
        try:
            reader.backup(self.conn)
        except sqlite3.Error as error:
            raise WorkspaceError(
                f"{self.path}: was not restored from {source} ({error}); it is as it was."
            ) from None
        finally:
            reader.close()
        self._migrate()  # an older backup is brought up to this version, with its own copy
        return saved

    @classmethod
    def replace_refused(cls, path: Path, source: Path) -> tuple[Workspace, Path | None]:
        """Put a copy of the workspace at ``source`` where a refused (or missing) one is.

        A workspace that cannot be opened cannot restore itself, so this works from the
        outside: ``source`` is checked like any workspace being opened, the refused file
        (with its journal files) is moved aside under a dated name, never deleted, and the
        copy is opened (and migrated, if older). Returns the open workspace and where the
        refused file went (``None`` when there was none).
        """
        path, source = Path(path), Path(source)
        inspect_workspace_file(source)
        source_access = access_for(source)
        _check_readable(source, source_access)
        aside: Path | None = None
        if path.exists() or path.is_symlink():
            if not path.is_file():
                raise WorkspaceError(
                    f"{path}: is not a regular file; move it away yourself, then restore."
                )
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            aside = path.with_name(f"{path.name}.refused-{stamp}")
            try:
                for suffix in ("", *_SIDECARS):
                    old = path.with_name(path.name + suffix)
                    if old.exists():
                        old.replace(aside.with_name(aside.name + suffix))
            except OSError as error:
                raise WorkspaceError(
                    f"{path}: cannot be moved aside to make room for the backup "
                    f"({error.strerror}); nothing was restored."
                ) from None
        try:
            reader = sqlite3.connect(
                f"{source.resolve().as_uri()}?{source_access.query()}", uri=True
            )
        except sqlite3.Error as error:
            raise WorkspaceError(f"{source}: cannot be opened ({error}).") from None
        try:
            copy_database(reader, path)
        except (OSError, sqlite3.Error) as error:
            raise WorkspaceError(
                f"{path}: was not restored from {source} ({error})"
                + (f"; the refused file is at {aside}." if aside else ".")
            ) from None
        finally:
            reader.close()
        return cls.open(path, create=False), aside

    # --------------------------------------------------------------- reading
    # Every read method goes through @reading: an SQLite error met while reading (a page
    # found malformed after opening) refuses the file in one line. Damaged *values* of one
    # incident are quarantined instead (see rca_desk.store.damage): listed with a reason,
    # refused by load() with DamagedIncidentError, left out of action_rows(), read by salvage().
    @reading
    def incidents(self) -> list[IncidentSummary]:
        try:
            return [self._summary(row) for row in self.conn.execute(_SUMMARIES).fetchall()]
        except (ValueError, sqlite3.OperationalError) as error:
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
            raise WorkspaceError(f"There is no incident {text!r} in {self.path}.")
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
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
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
        self.conn.execute("BEGIN")
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
            except (ValueError, KeyError, RuleError, sqlite3.OperationalError) as error:
                if not damage.quarantines(error):
                    raise
                incident, failure = None, error
            if incident is None:  # a rule spanning rows, or damaged values?
                self._refuse_broken(incident_id)
            if incident is None:
                assert failure is not None
                problems = damage.salvage_incident(self.conn, incident_id)[1]
                reason = problems[0] if problems else damage.describe(failure)
                raise DamagedIncidentError(self.path, incident_id, damage.one_line(reason))
            incident.revisions = self._read_revisions(incident_id)
            return incident

    def _refuse_broken(self, incident_id: int) -> None:
        """Raise :class:`BrokenIncidentError` if a repair makes the incident readable."""
        try:
            repairs = self._plan_repairs(incident_id)
            if not repairs:
                return
            repaired = self._load(incident_id, repairs)
        except (ValueError, KeyError, RuleError, sqlite3.OperationalError) as error:
            if not damage.quarantines(error):
                raise
            return  # damaged values as well: quarantined, not repaired
        repaired.revisions = self._read_revisions(incident_id)
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
                    f"There is no incident {incident_id} in {self.path}."
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
            self._table("causes").insert(
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
            )
        if repair.kind in ("unlink", "mark root", "placeholder"):
            if repair.kind == "unlink":
                self.conn.execute(
                    "DELETE FROM action_causes WHERE incident_id = ? AND cause_id = ? "
                    "AND action_id = (SELECT id FROM actions WHERE uid = ?)",
                    (*cause, repair.other),
                )
            self.conn.execute("UPDATE actions SET rev = ? WHERE uid = ?", (rev, repair.other))

    def _read_revisions(self, incident_id: int) -> dict[RowKey, int]:
        """The revision of every row of the incident, for the checks of later writes."""
        row = self.conn.execute(
            "SELECT field_revs, edited FROM incidents WHERE id = ?", (incident_id,)
        ).fetchone()
        seen: dict[RowKey, int] = {EDITED: row[1]}
        seen.update((field_row(name), rev) for name, rev in _field_revs(row[0]).items())
        for cause_id, rev in self.conn.execute(
            "SELECT id, rev FROM causes WHERE incident_id = ?", (incident_id,)
        ):
            seen[("cause", cause_id)] = rev
        for effect, cause, rev in self.conn.execute(
            "SELECT effect_id, cause_id, rev FROM cause_links WHERE incident_id = ?",
            (incident_id,),
        ):
            seen[("link", effect, cause)] = rev
        for uid, rev in self.conn.execute(
            "SELECT uid, rev FROM actions WHERE incident_id = ?", (incident_id,)
        ):
            seen[("action", uid)] = rev
        return seen

    @reading
    def edited(self) -> dict[int, int]:
        """Each incident's newest revision: what changed since a window last looked."""
        return dict(self.conn.execute("SELECT id, edited FROM incidents").fetchall())

    @reading
    def data_version(self) -> int:
        """SQLite's count of commits by *other* connections: cheap to poll every second."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _load(self, incident_id: int, repairs: Sequence[Repair] = ()) -> Incident:
        """Build the incident from its rows, with ``repairs`` applied as it is read."""
        rehung = {r.cause for r in repairs if r.kind == "rehang"}
        dropped = {(r.other, r.cause) for r in repairs if r.kind == "drop link"}
        row = self.conn.execute("SELECT * FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        if row is None:
            raise WorkspaceError(f"There is no incident {incident_id} in {self.path}.")
        names = [d[0] for d in self.conn.execute("SELECT * FROM incidents LIMIT 0").description]
        rec = dict(zip(names, row, strict=True))
        causes = self.conn.execute(
            "SELECT id, parent_id, text, category, evidence, evidence_note, is_root, "
            "stop_reason FROM causes WHERE incident_id = ? ORDER BY position, id",
            (incident_id,),
        ).fetchall()
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
            for cid, _, text, category, evidence, note, is_root, stop in children.get(parent, []):
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
        for effect, cause in self.conn.execute(
            "SELECT effect_id, cause_id FROM cause_links WHERE incident_id = ? "
            "ORDER BY effect_id, cause_id",
            (incident_id,),
        ):
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
        )
        for action in self._load_actions("a.incident_id = ?", (incident_id,)):
            incident.add_action(_repaired(incident, action, repairs) if repairs else action)
        return incident

    def _load_actions(self, where: str, params: tuple[Any, ...]) -> list[PreventiveAction]:
        rows = self.conn.execute(
            "SELECT a.id, a.uid, a.title, a.owner, a.due, a.strength, a.metric, a.target, "
            f"a.verify_on, a.notes, a.status, a.measured_result FROM actions a WHERE {where} "
            "ORDER BY a.incident_id, a.position, a.id",
            params,
        ).fetchall()
        ids = [row[0] for row in rows]
        causes: dict[int, list[str]] = {}
        history: dict[int, list[StatusChange]] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
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

    def root_cause_records(self) -> list[RootCauseRecord]:
        """Every root cause with its incident and category (see :mod:`.search`)."""
        from rca_desk.store import search  # search builds on this module

        return search.root_cause_records(self)

    def similar_root_causes(
        self, incident_id: int, cause_id: str, *, limit: int = 10
    ) -> list[SimilarRootCause]:
        """Root causes of other incidents worded like this one (FTS5; see :mod:`.search`)."""
        from rca_desk.store import search

        return search.similar_root_causes(self, incident_id, cause_id, limit=limit)

    @reading
    def action_rows(self) -> list[ActionRow]:
        """Every action of the workspace with its incident and root-cause names.

        Left out: the actions of an incident the list marks damaged, and those of an
        incident whose actions cannot be read (loading it says why); never an error for
        one incident's values.
        """
        with self.snapshot():
            try:
                return self._action_rows()
            except (ValueError, KeyError, RuleError, sqlite3.OperationalError) as error:
                if not damage.quarantines(error):
                    raise
            damaged = {summary.id for summary in self.incidents() if summary.damaged}
            out = []
            for (incident_id,) in self.conn.execute("SELECT id FROM incidents ORDER BY id"):
                if incident_id in damaged:
                    continue
                try:
                    out.extend(self._action_rows(incident_id))
                except (ValueError, KeyError, RuleError, sqlite3.OperationalError) as error:
                    if not damage.quarantines(error):
                        raise
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
        for action in self._load_actions("a.incident_id = ?" if one else "1", params):
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
            self._table("causes").insert_all(records, batch_size=500)
            self._table("cause_links").insert_all(
                {"incident_id": incident_id, "effect_id": e, "cause_id": c, "rev": rev}
                for e, c in graph.links()
            )
            seen.update((("link", e, c), rev) for e, c in graph.links())
            for position, action in enumerate(incident.actions):
                self._write_action(incident, action, position, rev)
                seen[("action", action.uid)] = rev
        incident.revisions = seen
        return incident_id

    def add_incidents(self, incidents: Iterable[Incident]) -> list[int]:
        with self.transaction():
            return [self.add_incident(incident) for incident in incidents]

    def delete_incident(self, incident_id: int) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM incidents WHERE id = ?", (incident_id,))

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
                self._table("incidents").update(incident_id, record)
                if "categories" in own:
                    self._categories_to_check.add(incident_id)
            if wanted is None or "problem" in wanted:
                self._write_cause(incident, self._head_record(incident), rev)
                written[("cause", HEAD)] = rev
            self._edited(incident, rev, written)

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
                    SELECT ? UNION
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
            for start in range(0, len(doomed), 500):
                chunk = doomed[start : start + 500]
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
                "AND position IS NOT ?",
                [(pos, a.uid, incident_id, pos) for pos, a in enumerate(incident.actions)],
            )
            self._edited(incident, rev, {key: rev})
            return number

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

    # ----------------------------------------------------- revisions, rules
    def _revision(self) -> int:
        """This transaction's revision number, drawn once, on its first write."""
        if self._tx_revision is None:
            row = self.conn.execute(
                "UPDATE edit_counter SET last = last + 1 WHERE id = 1 RETURNING last"
            ).fetchone()
            if row is None:
                raise WorkspaceError(f"{self.path}: is damaged (its edit counter is missing).")
            self._tx_revision, self._revision_depth = int(row[0]), self._depth
        return self._tx_revision

    def _edited(self, incident: Incident, rev: int, written: dict[RowKey, int]) -> None:
        """Stamp the incident as changed by ``rev``; remember the rows this copy wrote.

        The copy learns the new stamp only if it had the one before: when another window
        wrote in between, the copy is still behind on *their* rows, and must go on saying
        so (``IncidentDocument.changed_elsewhere``) until it is read again.
        """
        before = self.conn.execute(
            "SELECT edited FROM incidents WHERE id = ?", (incident.id,)
        ).fetchone()
        self.conn.execute("UPDATE incidents SET edited = ? WHERE id = ?", (rev, incident.id))
        incident.revisions.update(written)
        # (A second write in the same transaction finds ``rev`` stored: the copy has it
        # only if the first write found the copy current.)
        if before is not None and before[0] == incident.revisions.get(EDITED):
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
            self._table("causes").insert(record)
        else:
            self._table("causes").update((incident.id, cause_id), record)
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
            "UPDATE causes SET position = ? WHERE incident_id = ? AND id = ? AND position IS NOT ?",
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
            "INSERT OR IGNORE INTO cause_links (incident_id, effect_id, cause_id, rev) "
            "VALUES (?, ?, ?, ?)",
            (incident.id, effect, cause, rev),
        )
        return cursor.rowcount == 1

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
            f"SELECT count(*) FROM causes WHERE incident_id = ? AND id IN ({marks}) AND is_root",
            (incident_id, *cause_ids),
        ).fetchone()[0]
        if roots != len(set(cause_ids)):
            raise StaleWriteError(
                "A root cause of this action was removed or unmarked in another window a "
                "moment ago."
            )

    def _flush_search_queue(self) -> None:
        """Move the root-cause texts queued by this transaction into the FTS5 index.

        Done here and not by triggers so the index works with ``trusted_schema=OFF``
        (schema 1.0); a workspace older than 1.0 still has its triggers and no queue.
        """
        try:
            queued = self.conn.execute(
                "SELECT id, old_text, new_text FROM root_cause_texts_queue ORDER BY seq"
            ).fetchall()
        except sqlite3.OperationalError:
            return  # a migration step before 1.0: the old triggers still keep the index
        if not queued:
            return
        for rowid, old, new in queued:
            if old is not None:
                self.conn.execute(
                    f"INSERT INTO {FTS_INDEX} ({FTS_INDEX}, rowid, text) VALUES ('delete', ?, ?)",
                    (rowid, old),
                )
            if new is not None:
                self.conn.execute(
                    f"INSERT INTO {FTS_INDEX} (rowid, text) VALUES (?, ?)", (rowid, new)
                )
        self.conn.execute("DELETE FROM root_cause_texts_queue")

    # ------------------------------------------------------------- internals
    def _table(self, name: str) -> sqlite_utils.db.Table:
        return self.db.table(name)

    def _insert(self, name: str, record: dict[str, Any]) -> int:
        rowid = self._table(name).insert(record).last_rowid
        assert rowid is not None
        return int(rowid)

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
            self._table("actions").update(number, record)
            self.conn.execute("DELETE FROM action_causes WHERE action_id = ?", (number,))
            self.conn.execute("DELETE FROM action_history WHERE action_id = ?", (number,))
        action.number = number
        self._table("action_causes").insert_all(
            {"action_id": number, "incident_id": incident.id, "cause_id": cid, "position": pos}
            for pos, cid in enumerate(action.root_causes)
        )
        self._table("action_history").insert_all(
            {
                "action_id": number,
                "seq": seq,
                "at": change.at.isoformat(),
                "from_status": change.from_status.value if change.from_status else None,
                "to_status": change.to_status.value,
                "note": change.note,
            }
            for seq, change in enumerate(action.history)
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


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (it holds no semicolons in strings).

    A trigger body holds semicolons of its own (``BEGIN ...; END``), so pieces are joined
    until SQLite says the statement is complete.
    """
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    out: list[str] = []
    pending = ""
    for piece in "\n".join(lines).split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip().removesuffix(";"))
            pending = ""
    return out
