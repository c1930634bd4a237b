"""A throwaway PostgreSQL server for the tests that need one (issue 12).

``postgres_server`` (session scope) runs the Debian ``postgresql`` package's ``initdb`` in a
private temporary folder, starts the server listening on a Unix socket in that folder only
(no TCP port: nothing else on the machine can reach it), creates a role and a database for
the tests, and stops the server and removes the folder at the end, also when tests fail.
The cluster trusts every local connection, so no password exists anywhere. ``initdb`` and
the server refuse to run as root: as root the fixture runs them as the ``postgres`` account
(uid switched by :mod:`subprocess`, no ``su`` session); as anyone else, as that user.

``postgres_database`` gives one test a fresh, empty database of its own and drops it after.

Without the binaries, psycopg or (as root) a ``postgres`` account, the tests that use the
fixture are skipped with a one-line reason. ``RCA_DESK_REQUIRE_POSTGRES=1`` (set by
``.ci/run``) makes that a failure instead: CI must not pass by skipping the server tests.
A server that is there but does not start is always a failure, with its log.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import quote

import pytest

if TYPE_CHECKING:
    import pwd  # POSIX only; imported where it is used, so Windows can still collect

REQUIRE_ENV = "RCA_DESK_REQUIRE_POSTGRES"
#: Where to look for initdb/pg_ctl first (the test machine's PostgreSQL 15 is here).
BIN_ENV = "RCA_DESK_PG_BIN"
SERVER_ACCOUNT = "postgres"
TEST_ROLE = "rca_desk_test"
TEST_DATABASE = "rca_desk_test"
PORT = 5432  # names the socket file only; listen_addresses is empty
START_TIMEOUT_S = 60


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the environment says the server tests must run."""
    if _required():
        pytest.fail(f"{REQUIRE_ENV} is set but {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL for the server tests: {reason}")


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: $RCA_DESK_PG_BIN (and nothing else when it is
    set), else the newest Debian /usr/lib/postgresql/N/bin, else the PATH."""
    candidates: list[Path] = []
    if os.environ.get(BIN_ENV):  # said outright: only there
        folder = Path(os.environ[BIN_ENV])
        return folder if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file() else None
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: int(p.name), reverse=True)]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


@dataclass
class PostgresServer:
    """A running throwaway cluster, reached through the socket in ``socket_dir``."""

    bindir: Path
    base: Path
    superuser: str
    #: How long initdb and the start took (seconds), for the record.
    timings: dict[str, float] = field(default_factory=dict)
    account: pwd.struct_passwd | None = None  # the account the server runs as, if switched

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base / "socket"

    @property
    def log_file(self) -> Path:
        return self.base / "server.log"

    def conninfo(self, dbname: str = TEST_DATABASE, user: str = TEST_ROLE) -> str:
        """A libpq connection string (no password: the cluster trusts its socket)."""
        return f"host={self.socket_dir} port={PORT} dbname={dbname} user={user}"

    def url(self, dbname: str = TEST_DATABASE, user: str = TEST_ROLE) -> str:
        """The same as a ``postgresql://`` URL, the socket folder as the host parameter."""
        host = quote(str(self.socket_dir), safe="")
        return f"postgresql://{quote(user)}@/{quote(dbname)}?host={host}&port={PORT}"

    @property
    def dsn(self) -> str:
        """The test database's connection string."""
        return self.conninfo()

    # ----------------------------------------------------------- running commands
    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL program as the server's account, in the cluster's folder."""
        kwargs: dict[str, object] = {}
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LC_ALL": "C.UTF-8",
            "TZ": "UTC",
        }
        if self.account is not None:
            kwargs = {
                "user": self.account.pw_uid,
                "group": self.account.pw_gid,
                "extra_groups": [],
            }
            env["HOME"] = str(self.base)
            env["USER"] = env["LOGNAME"] = self.account.pw_name
        return subprocess.run(
            [str(a) for a in args],
            cwd=self.base,
            env=env,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S + 30,
            check=False,
            **kwargs,  # type: ignore[arg-type]
        )

    def _must(self, what: str, *args: str | Path) -> None:
        result = self.run(*args)
        if result.returncode != 0:
            log = ""
            with contextlib.suppress(OSError):
                log = self.log_file.read_text("utf-8", "replace")[-2000:]
            pytest.fail(
                f"throwaway PostgreSQL: {what} failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}{log}",
                pytrace=False,
            )

    # ----------------------------------------------------------- life cycle
    def start(self) -> None:
        begun = time.perf_counter()
        self._must(
            "initdb",
            self.bindir / "initdb",
            "--pgdata",
            self.data_dir,
            "--username",
            self.superuser,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--no-locale",
            "--no-sync",  # a throwaway: durability buys nothing here
        )
        initialised = time.perf_counter()
        options = " ".join(
            [
                "-c listen_addresses=''",
                f"-c unix_socket_directories='{self.socket_dir}'",
                "-c unix_socket_permissions=0700",
                f"-c port={PORT}",
                "-c fsync=off",
                "-c full_page_writes=off",
                "-c synchronous_commit=off",
                "-c max_connections=60",
            ]
        )
        self._must(
            "pg_ctl start",
            self.bindir / "pg_ctl",
            "start",
            "--pgdata",
            self.data_dir,
            "--log",
            self.log_file,
            "--wait",
            "--timeout",
            str(START_TIMEOUT_S),
            "-o",
            options,
        )
        started = time.perf_counter()
        self.timings = {"initdb": initialised - begun, "start": started - initialised}

    def stop(self) -> None:
        """Stop at once (a throwaway needs no checkpoint); never raises."""
        if (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                self.run(
                    self.bindir / "pg_ctl", "stop", "--pgdata", self.data_dir, "-m", "immediate"
                )

    # ----------------------------------------------------------- databases
    def admin(self, sql: str) -> None:
        """Run one statement as the superuser, outside a transaction."""
        import psycopg

        with psycopg.connect(self.conninfo("postgres", self.superuser), autocommit=True) as conn:
            conn.execute(sql.encode())

    def create_database(self, name: str) -> str:
        """A new empty database owned by the test role; its connection string."""
        import psycopg

        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
        return self.conninfo(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(
                psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    psycopg.sql.Identifier(name)
                )
            )


def _server_account() -> pwd.struct_passwd | None:
    """The account to run the server as: ``postgres`` when we are root, else ourselves."""
    import pwd

    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_ACCOUNT)
    except KeyError:
        unavailable(f"running as root and there is no {SERVER_ACCOUNT!r} account to run it as")


def _own_name() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A started throwaway cluster with the test role and database; stopped at the end."""
    if sys.platform == "win32":
        unavailable("the throwaway server runs on POSIX systems only (a Unix socket)")
    bindir = find_bindir()
    if bindir is None:
        unavailable(
            "initdb and pg_ctl were not found (install the Debian 'postgresql' package, "
            f"or set {BIN_ENV} to their folder)"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[test]')")
    account = _server_account()
    # Not pytest's tmp_path: its folders are private to the user running pytest, and the
    # server's account must own this one. mkdtemp makes it 0700; /tmp is sticky.
    base = Path(tempfile.mkdtemp(prefix="rca-desk-pg-"))
    superuser = account.pw_name if account else _own_name()
    server = PostgresServer(bindir=bindir, base=base, superuser=superuser, account=account)
    try:
        server.socket_dir.mkdir(mode=0o700)
        if account is not None:
            for path in (base, server.socket_dir):
                os.chown(path, account.pw_uid, account.pw_gid)
        server.start()
        server.admin(f"CREATE ROLE {TEST_ROLE} LOGIN CREATEDB")
        server.admin(f"CREATE DATABASE {TEST_DATABASE} OWNER {TEST_ROLE}")
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database for one test (its connection string), dropped after it."""
    name = f"rca_desk_t{uuid.uuid4().hex[:12]}"
    dsn = postgres_server.create_database(name)
    try:
        yield dsn
    finally:
        postgres_server.drop_database(name)


def server_workspace_url(request: pytest.FixtureRequest) -> str:
    """A fresh empty database's ``postgresql://`` address, for a test parametrised over
    backends (the database is dropped after the test)."""
    server: PostgresServer = request.getfixturevalue("postgres_server")
    dsn: str = request.getfixturevalue("postgres_database")
    name = dsn.split("dbname=", 1)[1].split()[0]
    return server.url(name)
