"""Copying a whole workspace between any two stores: file or server, either direction.

The copy works on stored rows, not on incidents, so it keeps everything as it is: ids,
uids, short numbers, revisions, histories, and even an incident that breaks a rule (it
arrives as broken as it left, with its repair still on offer). It reads the source in one
snapshot and writes the target in one transaction, so it is all or nothing: a failure
half-way leaves the target as empty as it was. The target must be empty: a copy never
merges two workspaces.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rca_desk.store.errors import WorkspaceError
from rca_desk.store.incident_rows import RowStore
from rca_desk.store.schema import TABLES

#: ``progress(rows_done, rows_total)``, called as the copy goes.
Progress = Callable[[int, int], None]
_BATCH = 2_000


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
    held = target.conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
    if held:
        raise WorkspaceError(
            f"{target.location}: already holds {held} incident{'s' if held != 1 else ''}; "
            "a copy goes only into a new or empty workspace. Nothing was copied."
        )
    plan: list[tuple[str, list[str], list[tuple[Any, ...]]]] = []
    with source.snapshot():
        last = source.conn.execute("SELECT last FROM edit_counter WHERE id = 1").fetchone()[0]
        for table in TABLES:
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
    with target.transaction():
        for table, columns, rows in plan:
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
    return len(plan[0][2])


def copy_to_file(source: RowStore, path: Path, progress: Progress | None = None) -> Path:
    """Copy ``source`` into a new workspace file at ``path`` (which must not exist)."""
    from rca_desk.store.workspace import Workspace

    if path.exists() or path.is_symlink():
        raise WorkspaceError(f"{path}: already exists; a copy goes to a new file.")
    target = Workspace.open(path)
    try:
        copy_rows(source, target, progress)
    except BaseException:
        target.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                path.with_name(path.name + suffix).unlink()
        raise
    target.close()
    return path
