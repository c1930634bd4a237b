"""A workspace on a PostgreSQL server (issue 12): the team's workspace past one file.

Everything a window does with a file it does here, through the same row code
(:class:`~rca_desk.store.incident_rows.RowStore`); this module holds what is the server's:

- **Opening.** A database with no tables becomes a workspace (with ``create``); one with
  tables but no ``rca_desk_meta``, or a meta table naming another application, is not a
  workspace and is refused untouched; a newer *major* version is refused; an older
  version is migrated, one transaction per step, under an advisory lock so two apps
  opening at once do not run a step twice.
- **Writers take turns**, as on a file: a write transaction starts by locking the edit
  counter's row (``SELECT ... FOR UPDATE``), so its checks and writes see every commit
  before it and no other writer in between (READ COMMITTED reads the newest committed
  rows at each statement). Revision numbers then grow in commit order, as on a file.
  A serialization failure or deadlock (another program's transaction, or a server
  setting ``default_transaction_isolation = serializable``) runs the write again from the
  start, a bounded number of times (:func:`~rca_desk.store.incident_rows.writing`).
- **Noticing other writers.** Each write sends ``NOTIFY`` on commit; ``data_version``
  counts the notifications from other connections, read from the socket without a round
  trip, so the window's one-second poll sees another person's edit within about a second.
- **Read-only**: a role without write rights on the tables, or a read-only server (a hot
  standby, ``default_transaction_read_only``), opens the workspace read-only with the
  reason, as a read-only file does.
- **Credentials and faults**: the address carries no password (see
  :mod:`rca_desk.store.server_address`); every message made from a driver error is
  scrubbed of passwords and cut to one line. A dropped connection refuses the write in
  progress ("nothing was changed") and the next action connects again.
- **Backups** are the database's business (``pg_dump``); :meth:`ServerWorkspace.backup`
  with a target writes a workspace *file* copy, for someone leaving with the data.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors as pg_errors

from rca_desk.store import damage, search_index
from rca_desk.store.errors import UnreachableError, WorkspaceError
from rca_desk.store.incident_rows import RowStore, WriteCollisionError
from rca_desk.store.schema import (
    SCHEMA_VERSION,
    SEARCH_INDEX_VERSION,
    SEARCH_INDEXED,
    SchemaVersion,
    refuse_newer_major,
)
from rca_desk.store.server_address import ServerAddress, scrub
from rca_desk.store.server_connection import ServerConnection
from rca_desk.store.server_presence import application_name, holder_of
from rca_desk.store.server_schema import (
    APPLICATION,
    META_TABLE,
    SERVER_MIGRATIONS,
    parse_version,
)

if TYPE_CHECKING:
    from rca_desk.model.review import RootCauseRecord
    from rca_desk.store.presence import Holder
    from rca_desk.store.search import SimilarRootCause
    from rca_desk.store.search_index import SearchHit

#: Keeps two apps from creating or migrating one database at once (any fixed number).
_SCHEMA_LOCK = 0x52434144
#: How long to wait for a server that does not answer, in seconds, unless the address
#: says ``connect_timeout`` itself.
CONNECT_TIMEOUT_S = 10
#: How long one statement may wait for a lock another writer holds (a writer holds the
#: workspace's lock for milliseconds; this bounds a stuck one).
LOCK_TIMEOUT_MS = 15_000


def one_line(error: BaseException) -> str:
    """A driver error as one short line without a password in it."""
    return damage.one_line(scrub(str(error).strip() or type(error).__name__))


def _connection_problem(address: ServerAddress, error: BaseException) -> WorkspaceError:
    """Why the server could not be reached, with what to do about a missing password."""
    text = one_line(error)
    if "no password supplied" in text or "password authentication failed" in text:
        return WorkspaceError(
            f"{address}: the server asks for a password ({text}); put it in your password "
            "file (PGPASSFILE, by default ~/.pgpass), a service file, or PGPASSWORD."
        )
    return UnreachableError(f"{address}: cannot reach the server ({text}).")


class ServerWorkspace(RowStore):
    """An open server workspace. Use :meth:`open`; close it (or use ``with``) when done."""

    DRIVER_ERROR = psycopg.Error
    SNAPSHOT_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"

    def __init__(self, address: ServerAddress, conn: ServerConnection) -> None:
        super().__init__(conn)
        self.address = address
        self.conn: ServerConnection = conn

    # ------------------------------------------------------------ identity
    @property
    def location(self) -> str:
        return self.address.shown

    @property
    def name(self) -> str:
        return self.address.database

    @property
    def file(self) -> Path | None:
        return None

    # ------------------------------------------------------------ open/close
    @classmethod
    def open(cls, address: ServerAddress, *, create: bool = True) -> ServerWorkspace:
        """Open (with ``create``, make) the workspace in the database at ``address``."""

        def connect() -> psycopg.Connection[Any]:
            # Said in the address wins: only what it leaves out gets our default.
            options: dict[str, object] = {"autocommit": True}
            if "application_name" not in address.url:
                options["application_name"] = application_name()  # (see server_presence)
            if "connect_timeout" not in address.url:
                options["connect_timeout"] = CONNECT_TIMEOUT_S
            raw = psycopg.connect(address.url, **options)  # type: ignore[arg-type]
            raw.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")  # (again on each reconnect)
            return raw

        try:
            conn = ServerConnection(connect)
        except psycopg.Error as error:
            raise _connection_problem(address, error) from None
        workspace = cls(address, conn)
        try:
            workspace._prepare(create=create)
        except psycopg.Error as error:
            conn.close()
            raise WorkspaceError(f"{address}: cannot be opened ({one_line(error)}).") from None
        except BaseException:
            conn.close()
            raise
        return workspace

    def close(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self.conn.close()

    def __enter__(self) -> ServerWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _prepare(self, *, create: bool) -> None:
        """Recognise, create or migrate the schema; then find out whether we may write."""
        version = self._stored_version()
        if version is None and not create:
            raise WorkspaceError(f"{self.location}: no such workspace (the database is empty).")
        pending = [step for step in SERVER_MIGRATIONS if version is None or step.version > version]
        if pending:
            self.read_only = self._why_read_only()
            if self.read_only is not None:
                raise WorkspaceError(
                    f"{self.location}: is in workspace format {version or 'none'} and must be "
                    f"set up as {SCHEMA_VERSION} before this rca-desk can use it, but "
                    f"{self.read_only[0].lower()}{self.read_only[1:]}"
                )
            self._migrate()
        self.read_only = self._why_read_only()

    def _stored_version(self) -> SchemaVersion | None:
        """The workspace version, None for an empty database; refuses what is not ours."""
        row = self.conn.execute(
            "SELECT to_regclass(?) IS NOT NULL, "
            "(SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema())",
            (META_TABLE,),
        ).fetchone()
        has_meta, tables = bool(row[0]), int(row[1])
        if not has_meta:
            if tables:
                raise WorkspaceError(
                    f"{self.location}: is not an rca-desk workspace (the database holds "
                    f"{tables} other table{'s' if tables != 1 else ''}); it was not changed."
                )
            return None
        meta = dict(self.conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
        if meta.get("application") != APPLICATION:
            raise WorkspaceError(
                f"{self.location}: is not an rca-desk workspace (its {META_TABLE} table "
                "belongs to another application); it was not changed."
            )
        found = parse_version(str(meta.get("schema_version", "")))
        if found is None:
            raise WorkspaceError(
                f"{self.location}: is damaged (its workspace version "
                f"{str(meta.get('schema_version'))[:20]!r} is not major.minor)."
            )
        refuse_newer_major(self.location, found)
        return found

    def _migrate(self) -> None:
        """Create or update the schema: each step one transaction, under the schema lock,
        re-checking the version inside it (another app may have just done the step)."""
        for step in SERVER_MIGRATIONS:
            self.conn.execute("BEGIN")
            try:
                self.conn.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
                version = self._stored_version()
                if version is not None and step.version <= version:
                    self.conn.execute("COMMIT")
                    continue
                before = self._tables()
                self.conn.execute(step.script)
                if version is not None:  # an upgrade: others already work in it
                    self._grant_like_incidents(self._tables() - before)
                if step.version == SEARCH_INDEX_VERSION:
                    search_index.catch_up(self)  # the documents of what is stored
                self.conn.execute(
                    f"UPDATE {META_TABLE} SET value = ? WHERE key = 'schema_version'",
                    (str(step.version),),
                )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.rollback_quietly()
                raise

    def _tables(self) -> set[str]:
        return {
            name
            for (name,) in self.conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        }

    def _grant_like_incidents(self, tables: set[str]) -> None:
        """Give every role the rights on the step's new ``tables`` it has on
        ``incidents``: a reviewer granted SELECT on all tables (the README's recipe), or
        a writer granted more, keeps reading and writing the workspace after an upgrade
        made tables their grants never named."""
        grants = self.conn.execute(
            "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
            "WHERE table_schema = current_schema() AND table_name = 'incidents' "
            "AND grantee <> current_user AND privilege_type IN "
            "('SELECT', 'INSERT', 'UPDATE', 'DELETE') ORDER BY 1, 2"
        ).fetchall()
        for table in sorted(tables):
            for grantee, privilege in grants:
                who = "PUBLIC" if grantee == "PUBLIC" else '"' + grantee.replace('"', '""') + '"'
                self.conn.execute(f'GRANT {privilege} ON "{table}" TO {who}')

    def _why_read_only(self) -> str | None:
        """Why this connection may not write, as a banner says it, or None."""
        row = self.conn.execute(
            "SELECT current_setting('transaction_read_only'), current_user, "
            "CASE WHEN to_regclass('edit_counter') IS NULL "
            "THEN has_schema_privilege(current_schema(), 'CREATE') "
            "ELSE has_table_privilege('edit_counter', 'UPDATE') "
            "AND has_table_privilege('causes', 'INSERT, UPDATE, DELETE') "
            "AND has_table_privilege('actions', 'INSERT, UPDATE, DELETE') "
            "AND (to_regclass('search_indexed') IS NULL "
            "OR has_table_privilege('search_indexed', 'INSERT, UPDATE, DELETE')) END"
        ).fetchone()
        if row[0] == "on":
            return "The server takes no writes (a read-only server or a standby)."
        if row[2] is False:
            return f"Your database role {row[1]!r} may read this workspace but not change it."
        return None

    # ------------------------------------------------------------ backend hooks
    def _begin(self) -> None:
        """Begin, take the write lock and draw this transaction's revision: one statement
        for both, since locking the counter's row is what drawing from it does."""
        self.conn.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        row = self.conn.execute(
            "UPDATE edit_counter SET last = last + 1 WHERE id = 1 RETURNING last"
        ).fetchone()
        if row is None:
            raise WorkspaceError(f"{self.location}: is damaged (its edit counter is missing).")
        self._tx_revision, self._revision_depth = int(row[0]), 1

    def _before_commit(self) -> None:
        self.conn.notify_change()

    def _has_search_tables(self) -> bool:
        row = self.conn.execute("SELECT to_regclass(?) IS NOT NULL", (SEARCH_INDEXED,)).fetchone()
        return bool(row[0])

    def _after_bulk_load(self) -> None:
        """Statistics for the planner at once (autovacuum may take minutes; without them
        a load's ``IN (...)`` reads scan whole tables)."""
        self.conn.execute("ANALYZE")

    def _rollback(self) -> None:
        self.conn.rollback_quietly()

    def _write_error(self, error: Exception) -> Exception:
        if isinstance(error, pg_errors.SerializationFailure | pg_errors.DeadlockDetected):
            return WriteCollisionError(one_line(error))
        if isinstance(error, pg_errors.LockNotAvailable):
            return WorkspaceError(
                f"{self.location}: is busy (another rca-desk kept it locked for more than "
                f"{LOCK_TIMEOUT_MS // 1000} s); nothing was changed, try again."
            )
        if isinstance(error, pg_errors.InsufficientPrivilege | pg_errors.ReadOnlySqlTransaction):
            return WorkspaceError(
                f"{self.location}: nothing was changed; the server refused the write "
                f"({one_line(error)})."
            )
        if isinstance(error, psycopg.OperationalError):
            return UnreachableError(
                f"{self.location}: lost the connection to the server ({one_line(error)}); "
                "nothing was changed."
            )
        return WorkspaceError(
            f"{self.location}: the change could not be saved ({one_line(error)})."
        )

    def _read_failure(self, error: BaseException) -> WorkspaceError | None:
        if isinstance(error, psycopg.OperationalError):
            return UnreachableError(
                f"{self.location}: cannot reach the server ({one_line(error)})."
            )
        if isinstance(error, psycopg.Error):
            return WorkspaceError(
                f"{self.location}: the server refused a read ({one_line(error)})."
            )
        return None

    # ------------------------------------------------------------ noticing others
    def data_version(self) -> int:
        """Commits by other connections announced so far (LISTEN/NOTIFY)."""
        try:
            return self.conn.foreign_changes()
        except psycopg.Error as error:
            failure = self._read_failure(error)
            assert failure is not None
            raise failure from None

    # ------------------------------------------------------------ who else
    def who_else(self, now: datetime) -> list[Holder]:
        """The other rca-desk apps connected to this workspace's database, oldest first
        (read from the server's list of connections; see :mod:`.server_presence`)."""
        try:
            rows = self.conn.execute(
                "SELECT application_name, min(backend_start) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name LIKE 'rca-desk:%' "
                "AND application_name <> ? GROUP BY application_name ORDER BY 2",
                (application_name(),),  # (this app's own connections are not "else")
            ).fetchall()
        except psycopg.Error:
            return []  # not worth a message: the next look tries again
        found = [holder_of(name, started, now) for name, started in rows]
        return [holder for holder in found if holder is not None]

    # ------------------------------------------------------------ search
    def root_cause_records(self) -> list[RootCauseRecord]:
        from rca_desk.store import search

        return search.root_cause_records(self, order="c.position, c.id")

    def similar_to_text(
        self, text: str, *, exclude_incident: int | None = None, limit: int = 10
    ) -> list[SimilarRootCause]:
        """Root causes worded like ``text`` (see :mod:`.server_search`)."""
        from rca_desk.store import server_search

        return server_search.similar_to_text(
            self, text, exclude_incident=exclude_incident, limit=limit
        )

    def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        """The library of lessons (see :mod:`.server_search`)."""
        from rca_desk.store import server_search

        return server_search.search(self, text, limit=limit)

    def matching_incidents(self, text: str) -> set[int]:
        from rca_desk.store import server_search

        return server_search.matching_incidents(self, text)

    def similar_root_causes(
        self, incident_id: int, cause_id: str, *, limit: int = 10
    ) -> list[SimilarRootCause]:
        from rca_desk.store import server_search

        return server_search.similar_root_causes(self, incident_id, cause_id, limit=limit)

    # ------------------------------------------------------------ copies
    def backup(self, target: Path | None = None) -> Path:
        """A copy of this workspace as a new workspace file at ``target``."""
        if target is None:
            raise WorkspaceError(
                f"{self.location}: a server workspace is backed up by the database's own "
                "tools (pg_dump); give a file (-o FILE) for a copy as a workspace file."
            )
        from rca_desk.store.copying import copy_to_file

        return copy_to_file(self, Path(target))

    def daily_backup(self, now: datetime | None = None) -> Path | None:
        """None: the server's backups are its administrator's (pg_dump, base backups)."""
        return None

    def restore_from(self, source: Path) -> Path:
        raise WorkspaceError(
            f"{self.location}: is not restored from a file in place; restore the database "
            "with pg_restore, or copy a workspace file into a new database with "
            "`rca-desk copy FILE postgresql://...`."
        )
