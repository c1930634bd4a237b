"""Reading a workspace of either backend with its own driver, no rca-desk code between."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from rca_desk.store.server_address import is_server_address


def raw(location: str | Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Ask the workspace at ``location`` with plain sqlite3 (read-only) or psycopg.

    ``sql`` uses ``?`` placeholders on both.
    """
    text = str(location)
    if is_server_address(text):
        import psycopg

        with psycopg.connect(text, autocommit=True) as conn:
            rows = conn.execute(sql.replace("?", "%s"), params or None).fetchall()
        return [tuple(row) for row in rows]
    conn = sqlite3.connect(f"{Path(text).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def write_raw(
    location: str | Path, sql: str, params: tuple[Any, ...] = (), *, keys: bool = False
) -> None:
    """Change the workspace behind rca-desk's back (a hand edit, another program; with
    ``keys``, an older rca-desk, which turns on SQLite's foreign keys as every app must)."""
    text = str(location)
    if is_server_address(text):
        import psycopg

        with psycopg.connect(text, autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), params or None)
        return
    conn = sqlite3.connect(text, isolation_level=None)
    try:
        if keys:
            conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(sql, params)
    finally:
        conn.close()


def make_inserts_fail(store: Any, table: str, message: str) -> None:
    """Make every insert into ``table`` fail on this connection, as a full disk would."""
    if hasattr(store, "address"):
        store.conn.execute(
            "CREATE FUNCTION pg_temp.fail_insert() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$BEGIN RAISE EXCEPTION '{message}'; END$$"
        )
        store.conn.execute(
            f"CREATE TRIGGER fail_insert BEFORE INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.fail_insert()"
        )
        return
    store.conn.execute(
        f"CREATE TEMP TRIGGER fail_insert BEFORE INSERT ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def let_inserts_work(store: Any, table: str) -> None:
    if hasattr(store, "address"):
        store.conn.execute(f"DROP TRIGGER fail_insert ON {table}")
    else:
        store.conn.execute("DROP TRIGGER temp.fail_insert")


def assert_sound(store: Any) -> None:
    """No dangling reference and (on a file) no damage SQLite can find."""
    orphans = store.conn.execute(
        "SELECT count(*) FROM causes c WHERE c.parent_id IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM causes p WHERE p.incident_id = c.incident_id AND p.id = c.parent_id)"
    ).fetchone()[0]
    assert orphans == 0
    if not hasattr(store, "address"):
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def hold_write_lock(store: Any) -> Any:
    """Another writer's open transaction holding the workspace's write lock; the store
    is told not to wait for it. Returns the holder (call ``release(holder)``)."""
    location = store.location
    if is_server_address(location):
        import psycopg

        store.conn.execute("SET lock_timeout = 50")
        holder = psycopg.connect(location, autocommit=True)
        holder.execute("BEGIN")
        holder.execute("SELECT last FROM edit_counter WHERE id = 1 FOR UPDATE")
        return holder
    store.conn.execute("PRAGMA busy_timeout = 0")
    holder = sqlite3.connect(location, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def release(holder: Any) -> None:
    holder.execute("ROLLBACK")
    holder.close()


#: The throwaway server's superuser (set by the ``workspace_location`` fixture): only a
#: superuser may switch the server's foreign keys off, as a careless tool might.
SUPERUSER: list[str] = []


def tamper(location: str | Path, *statements: str) -> None:
    """Change stored rows behind rca-desk's back with foreign keys off."""
    text = str(location)
    if is_server_address(text):
        import psycopg
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        params = conninfo_to_dict(text)
        params["user"] = SUPERUSER[0]
        with psycopg.connect(make_conninfo(**params), autocommit=True) as conn:
            conn.execute("SET session_replication_role = replica")
            for statement in statements:
                conn.execute(statement.encode())
        return
    conn = sqlite3.connect(text, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def row_counts(location: str | Path) -> tuple[int, ...]:
    return tuple(
        raw(location, f"SELECT count(*) FROM {table}")[0][0]
        for table in ("causes", "actions", "action_history")
    )
