"""The throwaway PostgreSQL server the backend tests run against (tests/postgres.py)."""

from __future__ import annotations

import stat

import pytest

from tests.postgres import REQUIRE_ENV, TEST_DATABASE, TEST_ROLE, PostgresServer, unavailable

# It starts processes (initdb, the server), so the mutation run leaves it out.
pytestmark = pytest.mark.subprocess

try:
    import psycopg
except ImportError:  # the fixture then skips (or fails, when CI requires the server)
    psycopg = None


def test_the_server_answers_on_its_private_socket(postgres_server: PostgresServer) -> None:
    with psycopg.connect(postgres_server.dsn) as conn:
        version = conn.execute("SELECT version()").fetchone()[0]
        who = conn.execute("SELECT current_user, current_database()").fetchone()
    assert version.startswith("PostgreSQL ")
    assert who == (TEST_ROLE, TEST_DATABASE)

    socket_dir = postgres_server.socket_dir.stat()
    assert not socket_dir.st_mode & stat.S_IWOTH  # nobody else may plant a socket there
    assert not socket_dir.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    assert list(postgres_server.socket_dir.glob(".s.PGSQL.*"))  # and the server's is there


def test_the_url_reaches_the_same_database(postgres_server: PostgresServer) -> None:
    url = postgres_server.url()
    assert url.startswith(f"postgresql://{TEST_ROLE}@/{TEST_DATABASE}?host=%2F")
    assert ":" not in url.removeprefix("postgresql://").split("@")[0]  # no password
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_database()").fetchone()[0] == TEST_DATABASE


def test_the_server_listens_on_no_tcp_port(postgres_server: PostgresServer) -> None:
    with psycopg.connect(postgres_server.dsn) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone()[0] == ""


def test_a_second_database_can_be_made_and_dropped(postgres_server: PostgresServer) -> None:
    dsn = postgres_server.create_database("rca_desk_second")
    try:
        with psycopg.connect(dsn) as conn:
            conn.execute("CREATE TABLE t (x int)")
            conn.execute("INSERT INTO t VALUES (1)")
            assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    finally:
        postgres_server.drop_database("rca_desk_second")
    with psycopg.connect(postgres_server.dsn) as conn:
        names = [r[0] for r in conn.execute("SELECT datname FROM pg_database").fetchall()]
    assert "rca_desk_second" not in names
    assert TEST_DATABASE in names


def test_each_test_gets_an_empty_database_of_its_own(postgres_database: str) -> None:
    with psycopg.connect(postgres_database) as conn:
        name = conn.execute("SELECT current_database()").fetchone()[0]
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert name.startswith("rca_desk_t")
    assert name != TEST_DATABASE
    assert tables == 0


def test_without_a_server_the_tests_skip_unless_ci_requires_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL for the server tests: x"):
        unavailable("x")
    monkeypatch.setenv(REQUIRE_ENV, "0")
    with pytest.raises(pytest.skip.Exception):
        unavailable("x")
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="RCA_DESK_REQUIRE_POSTGRES is set but x"):
        unavailable("x")
