"""Turn a workspace this version wrote into one an older rca-desk wrote.

Upgrade tests start from a file (or server database) written by today's code and take
back, newest first, what each later minor step added; then they open it and check the
upgrade. One table of undo statements, so a new step is undone in every such test.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from rca_desk.store.schema import SCHEMA_VERSION, SchemaVersion
from rca_desk.store.server_schema import META_TABLE

#: What each step added, as statements that take it away again (valid on both backends).
UNDO: dict[SchemaVersion, tuple[str, ...]] = {
    SchemaVersion(1, 3): ("ALTER TABLE incidents DROP COLUMN agenda",),
    SchemaVersion(1, 2): ("DROP TABLE parked_ideas",),
    SchemaVersion(1, 1): (
        "ALTER TABLE causes DROP COLUMN stop_reason",
        "ALTER TABLE actions DROP COLUMN measured_result",
    ),
}


def _undo(execute: Callable[[str], object], version: SchemaVersion) -> None:
    assert max(UNDO) == SCHEMA_VERSION, "a new schema step needs its undo here"
    for step in sorted(UNDO, reverse=True):
        if step > version:
            for statement in UNDO[step]:
                execute(statement)


def file_back_to(conn: object, version: SchemaVersion) -> None:
    """A file (an open sqlite3 connection) as ``version`` left it, in the caller's
    transaction."""
    execute = conn.execute  # type: ignore[attr-defined]
    _undo(execute, version)
    execute(f"PRAGMA user_version = {version.to_int()}")


def file_at(path: Path, version: SchemaVersion) -> None:
    """The closed workspace file at ``path`` as ``version`` left it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        file_back_to(conn, version)
    finally:
        conn.close()


def server_back_to(conn: object, version: SchemaVersion) -> None:
    """A server database (an open psycopg connection) as ``version`` left it."""
    execute = conn.execute  # type: ignore[attr-defined]
    _undo(execute, version)
    execute(f"UPDATE {META_TABLE} SET value = '{version}' WHERE key = 'schema_version'")
