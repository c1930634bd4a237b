"""Turn a workspace this version wrote into one an older rca-desk wrote.

Upgrade tests start from a file (or server database) written by today's code and take
back, newest first, what each later minor step added; then they open it and check the
upgrade. One table of undo statements, so a new step is undone in every such test.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from rca_desk.model import Incident
from rca_desk.store import open_workspace
from rca_desk.store.schema import SCHEMA_VERSION, SEARCH_INDEX_VERSION, SchemaVersion
from rca_desk.store.server_schema import META_TABLE, SEARCH_CONFIG, SEARCH_DICTIONARY
from tests.postgres import server_workspace_url
from tests.store.backends import raw

#: What each step added, as statements that take it away again (valid on both backends).
UNDO: dict[SchemaVersion, tuple[str, ...]] = {
    SchemaVersion(1, 5): (
        "DROP TABLE client_confidence",
        "DROP TABLE measure_values",
        "DROP TABLE trust_measures",
        "DROP TABLE restitution_offers",
        "ALTER TABLE incidents DROP COLUMN restore_streak",
        "ALTER TABLE incidents DROP COLUMN apology_channel",
        "ALTER TABLE incidents DROP COLUMN apology_to",
        "ALTER TABLE incidents DROP COLUMN apology_by",
        "ALTER TABLE incidents DROP COLUMN apology_on",
    ),
    SEARCH_INDEX_VERSION: (
        "DROP TABLE IF EXISTS search_documents_fts",  # (the file's FTS5 table)
        "DROP TABLE search_documents",
        "DROP TABLE search_indexed",
    ),
    SchemaVersion(1, 4): (
        "DROP TABLE check_ins",
        "DROP TABLE participants",
        "DROP TABLE timeline_events",
        "ALTER TABLE incidents DROP COLUMN cadence",
        "ALTER TABLE incidents DROP COLUMN review_meeting",
        "ALTER TABLE incidents DROP COLUMN resolved_at",
        "ALTER TABLE incidents DROP COLUMN lessons",
    ),
    SchemaVersion(1, 3): ("ALTER TABLE incidents DROP COLUMN agenda",),
    SchemaVersion(1, 2): ("DROP TABLE parked_ideas",),
    SchemaVersion(1, 1): (
        "ALTER TABLE causes DROP COLUMN stop_reason",
        "ALTER TABLE actions DROP COLUMN measured_result",
    ),
}


#: What a step added on the server only, taken away after the step's UNDO.
SERVER_UNDO: dict[SchemaVersion, tuple[str, ...]] = {
    SEARCH_INDEX_VERSION: (
        f"DROP TEXT SEARCH CONFIGURATION {SEARCH_CONFIG}",
        f"DROP TEXT SEARCH DICTIONARY {SEARCH_DICTIONARY}",
    ),
}


def _undo(
    execute: Callable[[str], object], version: SchemaVersion, *, server: bool = False
) -> None:
    assert max(UNDO) == SCHEMA_VERSION, "a new schema step needs its undo here"
    for step in sorted(UNDO, reverse=True):
        if step > version:
            for statement in UNDO[step]:
                execute(statement)
            for statement in SERVER_UNDO.get(step, ()) if server else ():
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


def closed_and_back_to(workspace: object, version: SchemaVersion) -> Path:
    """Close an open workspace file and turn it into one ``version`` left; its path."""
    path = Path(workspace.location)  # type: ignore[attr-defined]
    workspace.close()  # type: ignore[attr-defined]
    file_at(path, version)
    return path


def server_back_to(conn: object, version: SchemaVersion) -> None:
    """A server database (an open psycopg connection) as ``version`` left it."""
    execute = conn.execute  # type: ignore[attr-defined]
    _undo(execute, version, server=True)
    execute(f"UPDATE {META_TABLE} SET value = '{version}' WHERE key = 'schema_version'")


def older_server(request: pytest.FixtureRequest, version: SchemaVersion, title: str) -> str:
    """A new server workspace holding one incident (``title``) as ``version`` left it;
    returns its address."""
    import psycopg

    url = server_workspace_url(request)
    with open_workspace(url) as workspace:
        workspace.add_incident(Incident(title=title))
    with psycopg.connect(url, autocommit=True) as conn:
        server_back_to(conn, version)
    return url


def server_version(url: str) -> str:
    """The version a server workspace says it is at."""
    (found,) = raw(url, f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'")
    return str(found[0])
