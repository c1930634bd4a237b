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
import os
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from rca_desk.store import damage
from rca_desk.store.access import Access, access_for
from rca_desk.store.backups import copy_database, daily_backup, take_backup
from rca_desk.store.errors import DamagedIncidentError as DamagedIncidentError
from rca_desk.store.errors import WorkspaceError as WorkspaceError
from rca_desk.store.incident_rows import RowStore
from rca_desk.store.integrity import harden, schema_difference
from rca_desk.store.mending import MENDS
from rca_desk.store.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    SEARCH_FTS,
    SchemaVersion,
    refuse_newer_major,
)

if TYPE_CHECKING:
    from rca_desk.model.review import RootCauseRecord
    from rca_desk.store.presence import Holder
    from rca_desk.store.search import SimilarRootCause
    from rca_desk.store.search_index import SearchHit

SQLITE_MAGIC = b"SQLite format 3\x00"
FTS_INDEX = "root_cause_texts_fts"
_SIDECARS = ("-wal", "-shm", "-journal")
BUSY_TIMEOUT_MS = 15_000


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
    refuse_newer_major(path, found)
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


class Workspace(RowStore):
    """An open workspace file. Use :meth:`open`; close it (or use ``with``) when done."""

    DRIVER_ERROR = sqlite3.Error

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self.path = path
        self.conn: sqlite3.Connection = conn
        self.db = sqlite_utils.Database(conn)

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
        self._search_ready = False  # (a restored file may be from before the index)
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

    # ------------------------------------------------------------ backend hooks
    def _begin(self) -> None:
        """``BEGIN IMMEDIATE`` takes the file's write lock at once (waiting up to
        ``busy_timeout`` for another writer), so the checks read what this writer writes on."""
        self.conn.execute("BEGIN IMMEDIATE")

    def _before_commit(self) -> None:
        self._flush_search_queue()

    def _has_search_tables(self) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SEARCH_FTS,)
            ).fetchone()
            is not None
        )

    def _fts_remove(self, documents: list[tuple[int, str]]) -> None:
        """An external-content FTS5 table forgets a row only when told its old text."""
        self.conn.executemany(
            f"INSERT INTO {SEARCH_FTS} ({SEARCH_FTS}, rowid, text) VALUES ('delete', ?, ?)",
            documents,
        )

    def _fts_add(self, documents: list[tuple[int, str]]) -> None:
        self.conn.executemany(f"INSERT INTO {SEARCH_FTS} (rowid, text) VALUES (?, ?)", documents)

    def _write_error(self, error: Exception) -> WorkspaceError:
        text = str(error)
        if "locked" in text or "busy" in text:
            return WorkspaceError(
                f"{self.path}: is busy (another rca-desk kept it locked for more than "
                f"{BUSY_TIMEOUT_MS // 1000} s); nothing was changed, try again."
            )
        return WorkspaceError(f"{self.path}: the change could not be saved ({text}).")

    def _read_failure(self, error: BaseException) -> WorkspaceError | None:
        if isinstance(error, sqlite3.DatabaseError | UnicodeDecodeError):
            # (SQLite's message about a broken page can hold bytes that are not UTF-8.)
            return damage.file_error(self.path, error)
        return None

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

    def root_cause_records(self) -> list[RootCauseRecord]:
        """Every root cause with its incident and category (see :mod:`.search`)."""
        from rca_desk.store import search  # search builds on this module

        return search.root_cause_records(self)

    def similar_to_text(
        self, text: str, *, exclude_incident: int | None = None, limit: int = 10
    ) -> list[SimilarRootCause]:
        """Root causes worded like ``text`` (see :mod:`.search`)."""
        from rca_desk.store import search

        return search.similar_to_text(self, text, exclude_incident=exclude_incident, limit=limit)

    def similar_root_causes(
        self, incident_id: int, cause_id: str, *, limit: int = 10
    ) -> list[SimilarRootCause]:
        """Root causes of other incidents worded like this one (FTS5; see :mod:`.search`)."""
        from rca_desk.store import search

        return search.similar_root_causes(self, incident_id, cause_id, limit=limit)

    def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        """The library of lessons: documents matching ``text``, best first (see :mod:`.search`)."""
        from rca_desk.store import search

        return search.search(self, text, limit=limit)

    def matching_incidents(self, text: str) -> set[int]:
        """The incidents whose indexed text has every word of ``text`` (see :mod:`.search`)."""
        from rca_desk.store import search

        return search.matching_incidents(self, text)

    def who_else(self, now: datetime) -> list[Holder]:
        """The other app its presence file names, if it is fresh and not this process."""
        from rca_desk.store.presence import Holder, holder

        found = holder(self.path, now)
        mine = Holder.me(now)
        return (
            [found]
            if found is not None and (found.host, found.pid) != (mine.host, mine.pid)
            else []
        )

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
