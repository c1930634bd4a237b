"""A workspace on a PostgreSQL server, named by a ``postgresql://`` URL (issue 12).

The URL goes to libpq as it is, so every libpq parameter (``sslmode``, ``sslrootcert``,
``connect_timeout``, ``host=/run/postgresql`` for a socket, a ``service`` from
``pg_service.conf``) passes through untouched. Passwords never travel in it: libpq finds
them in its standard places (``PGPASSFILE`` or ``~/.pgpass``, a service file,
``PGPASSWORD``), so a URL that carries one is refused, with the way to do it instead. That
keeps passwords out of shell history, window titles, recent-workspace lists and every
message this app prints.

:func:`scrub` is the last guard: it blanks any password-looking part of a text (a
``user:secret@`` in a URL, ``password=...`` in a connection string) before a message made
from a driver's exception is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from rca_desk.store.errors import WorkspaceError

SCHEMES = ("postgresql", "postgres")

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_URL_PASSWORD = re.compile(r"(://[^/?#@\s:]*):[^/?#@\s]*@")
_CONNINFO_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#\s]*", re.IGNORECASE)


def has_scheme(text: str) -> bool:
    """Whether ``text`` looks like an address (``scheme://...``) rather than a path."""
    return bool(_URL.match(text))


def is_server_address(text: str) -> bool:
    return has_scheme(text) and text.split("://", 1)[0].lower() in SCHEMES


def scrub(text: str) -> str:
    """``text`` with every password in it replaced by ``***``."""
    text = _URL_PASSWORD.sub(r"\1:***@", text)
    text = _QUERY_PASSWORD.sub(r"\1***", text)
    return _CONNINFO_PASSWORD.sub(r"\1***", text)


@dataclass(frozen=True)
class ServerAddress:
    """Where a server workspace is: the URL handed to libpq (it holds no password)."""

    url: str

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        """Check ``text`` is a usable ``postgresql://`` URL without a password."""
        text = text.strip()
        if not is_server_address(text):
            raise WorkspaceError(
                f"{scrub(text)}: is not a PostgreSQL address (it starts with postgresql://)."
            )
        try:
            parts = urlsplit(text)
            query = parse_qsl(parts.query, keep_blank_values=True)
            password = parts.password
        except ValueError as error:
            raise WorkspaceError(f"{scrub(text)}: is not a valid address ({error}).") from None
        if password is not None or any(key.lower() == "password" for key, _ in query):
            raise WorkspaceError(
                f"{scrub(text)}: holds a password; rca-desk takes none in the address. Put it "
                "in your password file (PGPASSFILE, by default ~/.pgpass, one line "
                "host:port:database:user:password, mode 0600), a service file, or "
                "PGPASSWORD, and use the address without it."
            )
        return cls(text)

    @property
    def shown(self) -> str:
        """The address as titles and messages show it."""
        return self.url

    @property
    def database(self) -> str:
        """The database's name (libpq's default, the user's name, when none is given)."""
        parts = urlsplit(self.url)
        name = unquote(parts.path.lstrip("/"))
        if not name:
            name = dict(parse_qsl(parts.query)).get("dbname", "")
        return name or "(default database)"

    def __str__(self) -> str:
        return self.shown


def without_password(url: str) -> str:
    """``url`` as it may be shown: a password in it is replaced by ``***``."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return scrub(url)
        host = parts.netloc.rsplit("@", 1)[-1]
        user = parts.username or ""
        return scrub(urlunsplit(parts._replace(netloc=f"{user}:***@{host}")))
    except ValueError:
        return url.split("://", 1)[0] + "://***"
