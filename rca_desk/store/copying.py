"""Copying a whole workspace between any two stores: file or server, either direction.

The copy works on stored rows, not on incidents, so it keeps everything as it is: ids,
uids, short numbers, revisions, histories, and even an incident that breaks a rule (it
arrives as broken as it left, with its repair still on offer). It reads the source in one
snapshot and writes the target in one transaction, so it is all or nothing: a failure
half-way leaves the target as empty as it was. The target must be empty: a copy never
merges two workspaces.

:func:`copy_into` is the whole move as ``rca-desk copy`` does it: into a new workspace
file (made by the copy and removed again if it fails), an empty one, or a PostgreSQL
database that is empty or holds an empty workspace.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rca_desk.store.errors import WorkspaceError
from rca_desk.store.incident_rows import RowStore, WriteCollisionError
from rca_desk.store.schema import SEARCH_INDEXED, TABLES
from rca_desk.store.server_address import ServerAddress

if TYPE_CHECKING:
    from rca_desk.store.interface import WorkspaceStore

#: ``progress(rows_done, rows_total)``, called as the copy goes.
Progress = Callable[[int, int], None]
_BATCH = 2_000


@dataclass(frozen=True)
class Copied:
    """What a copy wrote: how many incidents, and how many rows of all tables."""

    incidents: int
    rows: int


@contextlib.contextmanager
def _reading(store: RowStore) -> Iterator[None]:
    """A driver error met while reading ``store`` becomes its one-line WorkspaceError."""
    try:
        yield
    except Exception as error:
        failure = store._read_failure(error)
        if failure is None:
            raise
        raise failure from None


def _reason(target: RowStore, error: Exception) -> str:
    """The refusal's words without the location it starts with (it is said once)."""
    if isinstance(error, WriteCollisionError):
        return f"another writer wrote to it at the same time ({error})"
    return str(error).removeprefix(f"{target.location}: ").rstrip(".")


def _columns(store: RowStore, table: str) -> list[str]:
    return [d[0] for d in store.conn.execute(f"SELECT * FROM {table} LIMIT 0").description]


def _parents_first(rows: list[tuple[Any, ...]], columns: list[str]) -> list[tuple[Any, ...]]:
    """Cause rows ordered so every parent comes before its children (each backend checks
    the parent reference; a cause moved under a newer one would otherwise come first)."""
    incident, ident, parent = (columns.index(c) for c in ("incident_id", "id", "parent_id"))
    children: dict[tuple[Any, Any], list[tuple[Any, ...]]] = {}
    for row in rows:
        children.setdefault((row[incident], row[parent]), []).append(row)
    out: list[tuple[Any, ...]] = []
    stack = [row for row in rows if row[parent] is None]
    while stack:
        row = stack.pop()
        out.append(row)
        stack.extend(children.get((row[incident], row[ident]), []))
    placed = {id(row) for row in out}
    return out + [row for row in rows if id(row) not in placed]  # (refused on insert)


def copy_rows(source: RowStore, target: RowStore, progress: Progress | None = None) -> int:
    """Copy every row of ``source`` into the empty ``target``; return how many incidents.

    Refused (WorkspaceError, nothing written) when the target holds incidents, or when
    the source has columns the target does not know (a newer workspace format).
    """
    return _copy(source, target, progress).incidents


def _copy(source: RowStore, target: RowStore, progress: Progress | None) -> Copied:
    with _reading(target):
        held = target.conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
    if held:
        raise WorkspaceError(
            f"{target.location}: already holds {held} incident{'s' if held != 1 else ''}; "
            "a copy goes only into a new or empty workspace. Nothing was copied."
        )
    plan: list[tuple[str, list[str], list[tuple[Any, ...]]]] = []
    with _reading(source), source.snapshot():
        last = source.conn.execute("SELECT last FROM edit_counter WHERE id = 1").fetchone()[0]
        for table in TABLES:
            with _reading(target):
                wanted = _columns(target, table)
            have = _columns(source, table)
            extra = sorted(set(have) - set(wanted))
            if extra:
                raise WorkspaceError(
                    f"{source.location}: has columns this rca-desk does not know "
                    f"({table}: {', '.join(extra)}); copy it with the newer rca-desk that "
                    "wrote them. Nothing was copied."
                )
            rows = source.conn.execute(f"SELECT {', '.join(wanted)} FROM {table}").fetchall()
            rows = [tuple(row) for row in rows]
            if table == "causes":
                rows = _parents_first(rows, wanted)
            plan.append((table, wanted, rows))
    total = sum(len(rows) for _, _, rows in plan)
    done = 0
    if progress:
        progress(done, total)
    writing: str | None = None
    try:
        with target.transaction():
            # The copy brings ids and revisions as they were: what the target's index
            # remembers of incidents deleted from it (by an older app, which leaves the
            # index alone) could pass for a copied incident's. Forgotten, every copied
            # incident is indexed again as the transaction commits.
            target.conn.execute(f"DELETE FROM {SEARCH_INDEXED}")
            for table, columns, rows in plan:
                writing = table
                marks = ", ".join("?" * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                for start in range(0, len(rows), _BATCH):
                    batch = rows[start : start + _BATCH]
                    target.conn.executemany(sql, batch)
                    done += len(batch)
                    if progress:
                        progress(done, total)
            target.conn.execute("UPDATE edit_counter SET last = ? WHERE id = 1", (last,))
        target._after_bulk_load()
    except (WorkspaceError, WriteCollisionError) as error:
        # The target refused a row (or the write): it is as empty as before; say so.
        where = f" (it failed at the {writing} rows)" if writing else ""
        raise WorkspaceError(
            f"{target.location}: {_reason(target, error)}; nothing was copied{where}."
        ) from None
    return Copied(incidents=len(plan[0][2]), rows=total)


def copy_to_file(source: RowStore, path: Path, progress: Progress | None = None) -> Path:
    """Copy ``source`` into a new workspace file at ``path`` (which must not exist)."""
    _copy_to_new_file(source, path, progress)
    return path


def _copy_to_new_file(source: RowStore, path: Path, progress: Progress | None) -> Copied:
    from rca_desk.store.workspace import Workspace

    if path.exists() or path.is_symlink():
        raise WorkspaceError(f"{path}: already exists; a copy goes to a new file.")
    target = Workspace.open(path)
    try:
        copied = _copy(source, target, progress)
    except BaseException:
        target.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                path.with_name(path.name + suffix).unlink()
        raise
    target.close()
    return copied


def copy_into(
    source: WorkspaceStore, target: Path | ServerAddress, progress: Progress | None = None
) -> Copied:
    """Copy the open ``source`` into the workspace at ``target``, all or nothing.

    ``target`` is a file that does not exist yet (made by the copy; removed again if the
    copy fails), an existing workspace file without incidents, or a PostgreSQL database
    that is empty (it gets the schema) or holds a workspace without incidents. Anything
    else is refused (WorkspaceError, one line) and left as it was.
    """
    rows = _row_store(source)
    if isinstance(target, ServerAddress):
        from rca_desk.store.server import ServerWorkspace

        with ServerWorkspace.open(target, create=True) as server:
            return _copy(rows, server, progress)
    if not (target.exists() or target.is_symlink()):
        return _copy_to_new_file(rows, target, progress)
    from rca_desk.store.workspace import Workspace

    with Workspace.open(target, create=False) as workspace:
        return _copy(rows, workspace, progress)


def _row_store(store: WorkspaceStore) -> RowStore:
    if not isinstance(store, RowStore):  # every backend is one; a test double is not
        raise TypeError(f"cannot copy rows out of {type(store).__name__}")
    return store
