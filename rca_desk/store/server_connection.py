"""A psycopg connection made to look like the ``sqlite3`` one the shared row code uses.

Three things differ and are bridged here, in one place:

- **Placeholders.** The shared statements use ``?``; psycopg wants ``%s`` (and a literal
  ``%`` doubled). The rewrite is cached per statement. No shared statement holds a ``?``
  inside a string literal.
- **Transactions.** The connection runs in autocommit mode and the store says ``BEGIN`` and
  ``COMMIT`` itself, as it does with ``sqlite3`` (``isolation_level=None``), so
  :attr:`in_transaction` is tracked from those statements.
- **A connection that drops.** The next statement *outside* a transaction connects again
  (and listens again); inside one it fails, because what the transaction did is gone.
  Each reconnection counts as a change seen (:meth:`foreign_changes`), so windows reload
  what they may have missed while the server was away.

It also counts the change notifications other connections send on commit
(LISTEN/NOTIFY), which is how a window notices another person's edit within a second.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

#: The channel every committed write notifies; one database, one channel.
CHANNEL = "rca_desk_changes"
#: After a failed attempt to connect again, the next waits this long (seconds): the
#: window asks every second, and a server that does not answer must not freeze it.
RECONNECT_PAUSE_S = 5.0


@functools.lru_cache(maxsize=512)
def to_pyformat(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s``; a literal ``%`` doubled."""
    return sql.replace("%", "%%").replace("?", "%s")


class ServerConnection:
    """The connection the server workspace's row code talks through."""

    def __init__(self, connect: Callable[[], psycopg.Connection[Any]]) -> None:
        self._connect = connect
        self._tx_open = False
        #: Changes seen that this connection did not make (notifications, reconnections).
        self._foreign = 0
        self._next_attempt = 0.0
        self.raw = self._open()

    def _open(self) -> psycopg.Connection[Any]:
        raw = self._connect()
        raw.execute(f"LISTEN {CHANNEL}")
        # Once asked, psycopg keeps the notifications that arrive during later queries
        # for the next ask, instead of dropping them.
        for _notice in raw.notifies(timeout=0):
            pass
        return raw

    # ------------------------------------------------------------ the sqlite3 surface
    @property
    def in_transaction(self) -> bool:
        return self._tx_open

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        self._ready()
        word = sql.lstrip()[:8].upper()
        try:
            cursor = self.raw.execute(to_pyformat(sql), parameters or None, prepare=None)
        except psycopg.Error:
            if word.startswith(("COMMIT", "ROLLBACK")) and not word.startswith("ROLLBACK T"):
                self._tx_open = False
            raise
        if word.startswith("BEGIN"):
            self._tx_open = True
        elif word.startswith("COMMIT") or (
            word.startswith("ROLLBACK") and not sql.lstrip().upper().startswith("ROLLBACK TO")
        ):
            self._tx_open = False
        return cursor

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        self._ready()
        cursor = self.raw.cursor()
        cursor.executemany(to_pyformat(sql), list(parameters))
        return cursor

    def close(self) -> None:
        self.raw.close()

    # ------------------------------------------------------------ the server's own
    def _ready(self) -> None:
        """Connect again if the connection dropped while no transaction was open."""
        if not (self.raw.closed or self.raw.broken):
            return
        if self._tx_open:
            self._tx_open = False  # the server rolled it back when the connection went
            raise psycopg.OperationalError("the connection to the server was lost")
        if time.monotonic() < self._next_attempt:
            raise psycopg.OperationalError("the server did not answer; trying again shortly")
        try:
            self.raw = self._open()
        except psycopg.Error:
            self._next_attempt = time.monotonic() + RECONNECT_PAUSE_S
            raise
        self._foreign += 1  # what happened while we were away is unknown: look again

    def foreign_changes(self) -> int:
        """How many commits by *other* connections were announced so far (and how often
        the connection was made again); cheap: it reads what the socket already holds."""
        self._ready()
        if not self._tx_open:
            own = self.raw.info.backend_pid
            for notice in self.raw.notifies(timeout=0):
                if notice.pid != own:
                    self._foreign += 1
        return self._foreign

    def notify_change(self) -> None:
        """Tell the other connections, on commit, that this transaction wrote."""
        self.execute(f"NOTIFY {CHANNEL}")

    def rollback_quietly(self) -> None:
        """End an open transaction; a dropped connection has nothing left to end."""
        if not self._tx_open:
            return
        self._tx_open = False
        if not (self.raw.closed or self.raw.broken):
            self.raw.execute("ROLLBACK")
