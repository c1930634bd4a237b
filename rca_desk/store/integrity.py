"""Is this file's schema the one rca-desk made? Checked before anything runs on it.

A workspace is only opened read-write once its schema objects (every row of
``sqlite_master``: tables, indexes, triggers, views, with their SQL) are exactly those
that the migrations up to the file's own version create. A trigger or view planted in a
file would otherwise run inside the app's own transactions, with the app's connection. The
expected objects are not written down anywhere: they are made by running the migrations
(:data:`~rca_desk.store.schema.MIGRATIONS`) in an in-memory database, the same way the
app runs them on a file, so a migration added later is covered without a change here.
SQLite's own objects (``sqlite_autoindex_*``, FTS5 shadow tables, ``sqlite_sequence``,
``sqlite_stat1``) come out of that run as well and are compared like the rest.

SQL is compared token by token, so whitespace and comments do not count and everything
else does (names, types, defaults, constraints, string contents).

A file of a newer *minor* version may carry more, by the rule in
:mod:`rca_desk.store.schema`: every object this app expects must still be there and
unchanged (except that its tables may have columns added, with at most a default each),
extra tables and indexes are accepted, and an extra trigger or view is refused.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rca_desk.store.schema import Migration, SchemaVersion

#: Splits a migration script into statements, as the app does when it migrates a file.
Splitter = Callable[[str], list[str]]

_TOKENS = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<token>'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?|\w+|.)
    """,
    re.VERBOSE | re.DOTALL,
)

#: Words that, in a column added by a newer minor version, would add a rule or computed
#: value the older app's writes and reads would run into.
_NOT_IN_AN_ADDED_COLUMN = frozenset({"CHECK", "REFERENCES", "GENERATED", "AS", "PRIMARY", "UNIQUE"})

# How serious a difference is: the first one named is the most telling.
_UNEXPECTED_CODE, _CHANGED, _MISSING, _UNEXPECTED = range(4)


@dataclass(frozen=True)
class SchemaObject:
    """One row of ``sqlite_master``, its SQL as tokens."""

    kind: str  # table, index, trigger, view
    name: str
    table: str
    tokens: tuple[str, ...]  # empty for SQLite's automatic indexes (no SQL)


def sql_tokens(sql: str | None) -> tuple[str, ...]:
    """The SQL without whitespace and comments: what two texts must share to be equal."""
    if not sql:
        return ()
    return tuple(match.group("token") for match in _TOKENS.finditer(sql) if match.group("token"))


def schema_objects(conn: sqlite3.Connection) -> dict[str, SchemaObject]:
    """Every schema object of the connection's main database, by name."""
    return {
        name: SchemaObject(kind, name, table, sql_tokens(sql))
        for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM main.sqlite_master"
        )
    }


@lru_cache(maxsize=16)
def expected_objects(
    migrations: tuple[Migration, ...], version: SchemaVersion, split: Splitter
) -> dict[str, SchemaObject]:
    """What the migrations up to ``version`` make, run in an in-memory database.

    Cached per version (and set of migrations): opening a workspace costs one lookup.
    """
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in migrations:
            if step.version > version:
                break
            for statement in split(step.script):
                conn.execute(statement)
        return schema_objects(conn)
    finally:
        conn.close()


def schema_difference(
    conn: sqlite3.Connection,
    version: SchemaVersion,
    migrations: Sequence[Migration],
    split: Splitter,
) -> str | None:
    """The first way the file's schema differs from the one its version promises, or None.

    ``version`` is the file's own; a newer minor one than the newest of ``migrations`` is
    checked by the newer-minor rule (see the module docstring). Named like
    ``unexpected trigger 'x'``, ``missing table 'x'`` or ``changed index 'x'``.
    """
    steps = tuple(migrations)
    newest = steps[-1].version if steps else SchemaVersion(0, 0)
    newer = version > newest
    expected = expected_objects(steps, min(version, newest), split)
    found = schema_objects(conn)
    differences: list[tuple[int, str, str]] = []
    for name, want in expected.items():
        got = found.get(name)
        if got is None:
            differences.append((_MISSING, name, f"missing {want.kind} {name!r}"))
        elif got.kind != want.kind:
            differences.append((_CHANGED, name, f"changed {want.kind} {name!r} (now a {got.kind})"))
        elif got != want and not (newer and _only_columns_added(want, got)):
            differences.append((_CHANGED, name, f"changed {want.kind} {name!r}"))
    for name, got in found.items():
        if name in expected:
            continue
        if got.kind in ("trigger", "view"):
            differences.append((_UNEXPECTED_CODE, name, f"unexpected {got.kind} {name!r}"))
        elif not newer:
            differences.append((_UNEXPECTED, name, f"unexpected {got.kind} {name!r}"))
    return min(differences)[2] if differences else None


def _only_columns_added(want: SchemaObject, got: SchemaObject) -> bool:
    """Whether ``got`` is the table ``want`` with columns added by ``ALTER TABLE ADD``.

    SQLite writes an added column into the stored SQL right after the last column
    definition, as ``, <definition>``: the expected tokens must all be there, in order,
    around one inserted run. Each added definition may have a type, ``NOT NULL``,
    ``DEFAULT`` and ``COLLATE``, but no rule, key or computed value.
    """
    expect, found = want.tokens, got.tokens
    if want.kind != "table" or want.table != got.table or len(found) <= len(expect):
        return False
    head = 0
    while head < len(expect) and expect[head] == found[head]:
        head += 1
    tail = 0
    while tail < len(expect) - head and expect[-1 - tail] == found[-1 - tail]:
        tail += 1
    if head + tail != len(expect):
        return False
    added = found[head : len(found) - tail]
    if "," not in (added[0], added[-1]):
        return False
    return not any(token.upper() in _NOT_IN_AN_ADDED_COLUMN for token in added)


def harden(conn: sqlite3.Connection) -> None:
    """Turn on SQLite's defences that do not change what the app's own schema does.

    ``SQLITE_DBCONFIG_DEFENSIVE`` (Python 3.12 and newer) stops even this connection from
    corrupting the file through ``writable_schema`` and similar pragmas.
    """
    defensive = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    setconfig = getattr(conn, "setconfig", None)
    if defensive is not None and setconfig is not None:
        setconfig(defensive, True)
