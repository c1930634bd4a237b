"""What the shared row code needs of a database connection (both backends).

``sqlite3.Connection`` meets it as it is; the server backend's adapter
(:mod:`rca_desk.store.server_connection`) wraps a psycopg connection to meet it, ``?``
placeholders included.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol


class Cursor(Protocol):
    """What a query returns: DB-API rows, as both drivers give them."""

    description: Any
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What :class:`RowStore` needs of a connection: ``sqlite3.Connection`` as it is."""

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any: ...
