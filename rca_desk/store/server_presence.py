"""Who else has a server workspace open: the server's own list of connections.

A file workspace leaves a presence file beside it (:mod:`rca_desk.store.presence`); a
database has no "beside". It has something better: ``pg_stat_activity`` lists every open
connection, and each rca-desk connection names itself in its ``application_name``
(``rca-desk:ann@pc-12:4242``: login, host, process). Another app reads the others from
there, with the server's own start time for each; nothing is written, nothing goes stale,
and a connection that dies leaves the list at once. The name is ASCII (the server turns
anything else into ``?``) and at most 63 bytes, the server's limit.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

from rca_desk.store.presence import Holder, _host, _login

PREFIX = "rca-desk:"
_LIMIT = 63
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_NAME = re.compile(rf"{re.escape(PREFIX)}([^@]+)@([^:]+):(\d+)")


def _safe(text: str) -> str:
    return _UNSAFE.sub("_", text) or "_"


def application_name() -> str:
    """This process as its connections name it: ``rca-desk:LOGIN@HOST:PID``."""
    pid = str(os.getpid())
    login = _safe(_login())[:20]
    room = _LIMIT - len(PREFIX) - len(login) - len(pid) - 2
    return f"{PREFIX}{login}@{_safe(_host())[:room]}:{pid}"


def holder_of(name: str, started: datetime | None, now: datetime) -> Holder | None:
    """The app a connection's ``application_name`` names, or None for anything else."""
    match = _NAME.fullmatch(name or "")
    if match is None:
        return None
    user, host, pid = match.group(1), match.group(2), int(match.group(3))
    since = started if started is not None else now
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return Holder(user=user, name="", host=host, pid=pid, started=since, refreshed=now)
