"""What only a server workspace has: its meta table, roles, notifications, a connection
that can drop, passwords, and collisions the server reports (issue 12).

Everything a file and a server share runs on both backends in the rest of the store suite;
these tests run against the throwaway PostgreSQL server of ``tests/postgres.py``.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident
from rca_desk.store import WorkspaceError, open_workspace
from rca_desk.store.incident_rows import WRITE_ATTEMPTS
from rca_desk.store.schema import SCHEMA_VERSION, TABLES, SchemaVersion
from rca_desk.store.server import ServerWorkspace
from rca_desk.store.server_schema import META_TABLE, SERVER_MIGRATIONS
from tests.conftest import TODAY
from tests.postgres import PostgresServer, server_workspace_url
from tests.store.backends import raw
from tests.store.older_files import server_back_to

pytestmark = pytest.mark.subprocess  # a real server


@pytest.fixture
def url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database's address."""
    return server_workspace_url(request)


@pytest.fixture
def server(url: str, postgres_server: PostgresServer) -> PostgresServer:
    return postgres_server


def as_superuser(server: PostgresServer, url: str, *statements: str) -> None:
    params = conninfo_to_dict(url)
    with psycopg.connect(server.conninfo(params["dbname"], server.superuser), autocommit=True) as c:
        for statement in statements:
            c.execute(statement.encode())


def tables(url: str) -> list[tuple[str, int]]:
    """Every table of the database with its row count."""
    names = [
        row[0]
        for row in raw(
            url,
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        )
    ]
    return [(name, raw(url, f'SELECT count(*) FROM "{name}"')[0][0]) for name in names]


# ------------------------------------------------------------------ opening
def test_an_empty_database_becomes_a_workspace_of_the_same_shape_as_a_file(
    url: str, tmp_path: Path
) -> None:
    with open_workspace(url) as ws:
        assert isinstance(ws, ServerWorkspace)
        assert (ws.name, ws.file, ws.read_only) == (url.split("/")[3].split("?")[0], None, None)
    assert dict(raw(url, f"SELECT key, value FROM {META_TABLE}")) == {
        "application": "rca-desk",
        "schema_version": str(SCHEMA_VERSION),
    }
    assert SERVER_MIGRATIONS[-1].version == SCHEMA_VERSION  # one version for both backends
    with open_workspace(tmp_path / "same.rcadesk") as file:
        for table in (*TABLES, "edit_counter"):
            server_columns = [
                row[0]
                for row in raw(
                    url,
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = ? ORDER BY ordinal_position",
                    (table,),
                )
            ]
            file_columns = [d[0] for d in file.conn.execute(f"SELECT * FROM {table}").description]
            assert server_columns == file_columns, table


def test_an_empty_database_is_not_made_a_workspace_without_create(url: str) -> None:
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(url, create=False)
    assert str(refused.value) == f"{url}: no such workspace (the database is empty)."
    assert tables(url) == []


def test_a_database_of_something_else_is_refused_untouched(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int PRIMARY KEY, total numeric)")
        conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(url)
    assert str(refused.value) == (
        f"{url}: is not an rca-desk workspace (the database holds 1 other table); "
        "it was not changed."
    )
    assert tables(url) == [("invoices", 1)]


def test_a_meta_table_of_another_application_is_refused(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {META_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
        conn.execute(f"INSERT INTO {META_TABLE} VALUES ('application', 'other-tool')")
    with pytest.raises(WorkspaceError, match="belongs to another application"):
        open_workspace(url)
    assert tables(url) == [(META_TABLE, 1)]


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        (f"{SCHEMA_VERSION.major + 1}.0", "was written by a newer rca-desk (workspace format"),
        ("1.x", "is damaged (its workspace version '1.x' is not major.minor)"),
    ],
)
def test_a_newer_major_or_an_unreadable_version_is_refused_untouched(
    url: str, stored: str, said: str
) -> None:
    open_workspace(url).close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"UPDATE {META_TABLE} SET value = %s WHERE key = 'schema_version'", (stored,))
    before = tables(url)
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(url)
    assert said in str(refused.value) and "\n" not in str(refused.value)
    assert tables(url) == before
    assert raw(url, f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'") == [(stored,)]


def test_a_newer_minor_version_opens_as_it_is(url: str, sample: Incident) -> None:
    open_workspace(url).close()
    newer = f"{SCHEMA_VERSION.major}.{SCHEMA_VERSION.minor + 1}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"UPDATE {META_TABLE} SET value = %s WHERE key = 'schema_version'", (newer,))
        conn.execute("CREATE TABLE parking_lot (id int)")  # what a newer minor may add
    with open_workspace(url) as ws:
        ws.add_incident(sample)
        assert ws.load(sample.id).title == sample.title  # type: ignore[arg-type]
    assert raw(url, f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'") == [(newer,)]


# ------------------------------------------------------------------ read-only
def test_a_read_only_role_opens_read_only_and_changes_nothing(
    url: str, server: PostgresServer, sample: Incident
) -> None:
    """The README's recipe for a reviewer's role, followed to the letter."""
    with open_workspace(url) as ws:
        ws.add_incident(sample)
    database = conninfo_to_dict(url)["dbname"]
    as_superuser(
        server,
        url,
        "DROP ROLE IF EXISTS rca_desk_reviewer",
        "CREATE ROLE rca_desk_reviewer LOGIN",
        f"GRANT CONNECT ON DATABASE {database} TO rca_desk_reviewer",
        "GRANT USAGE ON SCHEMA public TO rca_desk_reviewer",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO rca_desk_reviewer",
    )
    reviewer = url.replace("rca_desk_test@", "rca_desk_reviewer@")
    before = raw(url, "SELECT title, edited FROM incidents")
    try:
        with open_workspace(reviewer) as ws:
            assert ws.read_only == (
                "Your database role 'rca_desk_reviewer' may read this workspace but not change it."
            )
            incident = ws.load(sample.id)  # type: ignore[arg-type]
            assert len(ws.action_rows()) == len(sample.actions)
            incident.update_fields(title="Changed by a reviewer")
            with pytest.raises(WorkspaceError) as refused:
                ws.save_incident_fields(incident, ["title"])
            assert str(refused.value) == f"{reviewer}: nothing was changed. {ws.read_only}"
    finally:
        as_superuser(server, url, "DROP OWNED BY rca_desk_reviewer", "DROP ROLE rca_desk_reviewer")
    assert raw(url, "SELECT title, edited FROM incidents") == before


def test_roles_granted_before_an_upgrade_keep_their_rights_on_its_new_tables(
    url: str, server: PostgresServer, sample: Incident
) -> None:
    """A team's roles were granted their rights on a 1.4 workspace (the README's reviewer
    recipe, and a writer granted every table); the upgrade to this version adds tables
    (the recovery's, the search index's) that those grants never named."""
    with open_workspace(url) as ws:
        ws.add_incident(sample)
    with psycopg.connect(url, autocommit=True) as conn:
        server_back_to(conn, SchemaVersion(1, 4))
    database = conninfo_to_dict(url)["dbname"]
    as_superuser(
        server,
        url,
        "DROP ROLE IF EXISTS rca_desk_reviewer",
        "DROP ROLE IF EXISTS rca_desk_writer",
        "CREATE ROLE rca_desk_reviewer LOGIN",
        "CREATE ROLE rca_desk_writer LOGIN",
        f"GRANT CONNECT ON DATABASE {database} TO rca_desk_reviewer, rca_desk_writer",
        "GRANT USAGE ON SCHEMA public TO rca_desk_reviewer, rca_desk_writer",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO rca_desk_reviewer",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rca_desk_writer",
    )
    try:
        with open_workspace(url) as ws:  # the owner's app upgrades it
            (summary,) = ws.incidents()
        assert raw(url, f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'") == [
            (str(SCHEMA_VERSION),)
        ]
        reviewer = url.replace("rca_desk_test@", "rca_desk_reviewer@")
        with open_workspace(reviewer) as ws:
            assert ws.read_only is not None
            assert ws.load(summary.id).title == sample.title  # the recovery's tables too
            assert ws.search("staging")  # the index's tables too
            assert ws.recovery_rows()[0].incident_id == summary.id
        writer = url.replace("rca_desk_test@", "rca_desk_writer@")
        with open_workspace(writer) as ws:
            assert ws.read_only is None
            incident = ws.load(summary.id)
            incident.update_fields(title="Renamed by a writer")
            ws.save_incident_fields(incident, ["title"])  # writes the index as it commits
            assert [hit.incident_id for hit in ws.search("renamed writer")] == [summary.id]
    finally:
        as_superuser(
            server,
            url,
            "DROP OWNED BY rca_desk_reviewer",
            "DROP ROLE rca_desk_reviewer",
            "DROP OWNED BY rca_desk_writer",
            "DROP ROLE rca_desk_writer",
        )


def test_a_server_that_takes_no_writes_opens_read_only(
    url: str, server: PostgresServer, sample: Incident
) -> None:
    with open_workspace(url) as ws:
        ws.add_incident(sample)
    database = conninfo_to_dict(url)["dbname"]
    as_superuser(server, url, f"ALTER DATABASE {database} SET default_transaction_read_only = on")
    with open_workspace(url) as ws:
        assert ws.read_only == "The server takes no writes (a read-only server or a standby)."
        assert ws.incidents()[0].title == sample.title


# ------------------------------------------------------------------ other windows
def wait_for(condition: object, seconds: float = 10.0) -> bool:
    """Poll ``condition()`` until true or ``seconds`` pass (a bound, not a measure)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_another_connections_commit_moves_the_data_version_and_ours_does_not(
    url: str, sample: Incident
) -> None:
    with open_workspace(url) as mine, open_workspace(url) as theirs:
        mine.add_incident(sample)
        start = mine.data_version()
        assert not wait_for(lambda: mine.data_version() != start, 0.3)  # our own commit
        copy = theirs.load(sample.id)  # type: ignore[arg-type]
        copy.update_fields(title="Retitled in the other window")
        theirs.save_incident_fields(copy, ["title"])
        assert wait_for(lambda: mine.data_version() != start)
        assert mine.edited()[sample.id] == copy.revisions[("edited",)]  # type: ignore[index]
        assert mine.load(sample.id).title == "Retitled in the other window"  # type: ignore[arg-type]


# ------------------------------------------------------------------ faults
def terminate(server: PostgresServer, url: str, ws: ServerWorkspace) -> None:
    pid = ws.conn.raw.info.backend_pid
    as_superuser(server, url, f"SELECT pg_terminate_backend({pid})")


def test_a_dropped_connection_refuses_the_write_in_one_line_and_the_next_reconnects(
    url: str, server: PostgresServer, sample: Incident
) -> None:
    with open_workspace(url) as ws:
        assert isinstance(ws, ServerWorkspace)
        ws.add_incident(sample)
        before = raw(url, "SELECT title FROM incidents")
        seen = ws.data_version()
        terminate(server, url, ws)
        sample.update_fields(title="Typed while the server was away")
        with pytest.raises(WorkspaceError) as refused:
            ws.save_incident_fields(sample, ["title"])
        message = str(refused.value)
        assert message.startswith(f"{url}: lost the connection to the server (")
        assert message.endswith("nothing was changed.") and "\n" not in message
        assert raw(url, "SELECT title FROM incidents") == before
        # The next action connects again; the window is told to look again.
        assert ws.data_version() != seen
        ws.save_incident_fields(sample, ["title"])
        assert raw(url, "SELECT title FROM incidents") == [("Typed while the server was away",)]


def test_a_dropped_connection_while_reading_is_one_line_and_the_next_read_works(
    url: str, server: PostgresServer, sample: Incident
) -> None:
    with open_workspace(url) as ws:
        assert isinstance(ws, ServerWorkspace)
        ws.add_incident(sample)
        terminate(server, url, ws)
        with pytest.raises(WorkspaceError) as refused:
            ws.incidents()
        assert str(refused.value).startswith(f"{url}: cannot reach the server (")
        assert [s.title for s in ws.incidents()] == [sample.title]


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    address = f"postgresql://nobody@/rca?host={tmp_path}&connect_timeout=2"
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(address)
    assert str(refused.value).startswith(f"{address}: cannot reach the server (")
    assert "\n" not in str(refused.value)


COLLIDE = """
CREATE SEQUENCE attempts;
CREATE FUNCTION collide() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- nextval is not rolled back with the failed transaction: it counts every attempt.
    IF nextval('attempts') <= {times} THEN
        RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER collide BEFORE UPDATE ON causes FOR EACH ROW EXECUTE FUNCTION collide();
"""


def collide(url: str, times: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(COLLIDE.format(times=times).encode())


@pytest.fixture
def colliding(url: str, server: PostgresServer, sample: Incident) -> Iterator[ServerWorkspace]:
    ws = open_workspace(url)
    assert isinstance(ws, ServerWorkspace)
    ws.add_incident(sample)
    yield ws
    ws.close()


@pytest.mark.parametrize("collisions", [1, WRITE_ATTEMPTS - 1])
def test_a_write_the_server_cannot_serialize_is_run_again_and_kept(
    colliding: ServerWorkspace, url: str, server: PostgresServer, sample: Incident, collisions: int
) -> None:
    """The server refuses the first attempts as serialization failures (a trigger that
    raises 40001 a set number of times, as a clash with another program's transaction
    would); the write runs again from the start and is stored once."""
    collide(url, collisions)
    sample.update_cause("sop-4", text="Kept after collisions")
    colliding.save_cause(sample, "sop-4")
    assert raw(url, "SELECT text FROM causes WHERE id = 'sop-4'") == [("Kept after collisions",)]
    assert raw(url, "SELECT last_value FROM attempts") == [(collisions + 1,)]
    assert colliding.load(sample.id).revisions == sample.revisions  # type: ignore[arg-type]


def test_a_write_that_keeps_colliding_is_refused_in_one_line_and_nothing_is_kept(
    colliding: ServerWorkspace, url: str, server: PostgresServer, sample: Incident
) -> None:
    collide(url, WRITE_ATTEMPTS + 5)
    before = raw(url, "SELECT text, rev FROM causes WHERE id = 'sop-4'")
    revisions = dict(sample.revisions)
    sample.update_cause("sop-4", text="Never stored")
    with pytest.raises(WorkspaceError) as refused:
        colliding.save_cause(sample, "sop-4")
    assert str(refused.value) == (
        f"{url}: the change collided with others {WRITE_ATTEMPTS} times in a row and was "
        "not saved; try again."
    )
    assert raw(url, "SELECT text, rev FROM causes WHERE id = 'sop-4'") == before
    assert raw(url, "SELECT last_value FROM attempts") == [(WRITE_ATTEMPTS,)]
    assert sample.revisions == revisions


# ------------------------------------------------------------------ search
@pytest.mark.parametrize(
    "text",
    ["a & b | !c", "staging <-> data", "stag:* | refresh", "'quoted' & (grouped)", "\\ ' \" %s ?"],
)
def test_tsquery_syntax_in_a_cause_is_only_words(url: str, text: str) -> None:
    with open_workspace(url) as ws:
        ws.add_incidents(sample_incidents(TODAY))
        hits = ws.similar_to_text(f"{text} staging data")
        assert all(isinstance(hit.score, float) for hit in hits)
        assert ws.similar_to_text(text + " & | ! <->") is not None


# ------------------------------------------------------------------ passwords
SECRET = "hunter2-Sekr3t"


@pytest.fixture
def password_role(server: PostgresServer, url: str) -> Iterator[str]:
    """A role that must give a password over the socket; its address (without it)."""
    hba = server.data_dir / "pg_hba.conf"
    before = hba.read_text()
    as_superuser(server, url, "DROP ROLE IF EXISTS rca_desk_pw")
    as_superuser(
        server,
        url,
        f"CREATE ROLE rca_desk_pw LOGIN PASSWORD '{SECRET}'",
        f"GRANT ALL ON DATABASE {conninfo_to_dict(url)['dbname']} TO rca_desk_pw",
        "GRANT ALL ON SCHEMA public TO rca_desk_pw",
    )
    hba.write_text("local all rca_desk_pw scram-sha-256\n" + before)
    as_superuser(server, url, "SELECT pg_reload_conf()")
    try:
        yield url.replace("rca_desk_test@", "rca_desk_pw@")
    finally:
        hba.write_text(before)
        as_superuser(server, url, "SELECT pg_reload_conf()")
        as_superuser(server, url, "DROP OWNED BY rca_desk_pw", "DROP ROLE rca_desk_pw")


def every_text(error: BaseException) -> str:
    """All a person or a log could see of ``error``: its text, its repr, the traceback
    Python prints, and every exception chained to it."""
    seen = [str(error), repr(error), "".join(traceback.format_exception(error))]
    link = error.__context__ or error.__cause__
    while link is not None:
        seen += [str(link), repr(link)]
        link = link.__context__ or link.__cause__
    return "\n".join(seen)


def test_a_password_is_taken_from_libpq_s_places_and_never_shown(
    password_role: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    seen: list[str] = []

    # No password anywhere: refused, saying where to put one.
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(password_role)
    assert "the server asks for a password" in str(refused.value)
    assert "PGPASSFILE" in str(refused.value)
    seen.append(every_text(refused.value))

    # A wrong one from PGPASSWORD: refused, and the wrong one is not repeated either.
    monkeypatch.setenv("PGPASSWORD", "wrong-" + SECRET)
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(password_role)
    seen.append(every_text(refused.value))

    # The right one in a password file (host:port:database:user:password, mode 0600).
    monkeypatch.delenv("PGPASSWORD")
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:rca_desk_pw:{SECRET}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    with open_workspace(password_role) as ws:
        ws.add_incidents(sample_incidents(TODAY))
        seen += [ws.location, ws.name, str(ws.incidents())]

    # And from PGPASSWORD.
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setenv("PGPASSWORD", SECRET)
    with open_workspace(password_role) as ws:
        seen.append(ws.location)

    # In the address: refused before any connection, shown as ***.
    in_url = password_role.replace("rca_desk_pw@", f"rca_desk_pw:{SECRET}@")
    with pytest.raises(WorkspaceError) as refused:
        open_workspace(in_url)
    assert "holds a password" in str(refused.value) and "rca_desk_pw:***@" in str(refused.value)
    seen.append(every_text(refused.value))

    out = capsys.readouterr()
    seen += [out.out, out.err, caplog.text]
    assert not [text for text in seen if SECRET in text]


def test_a_write_transaction_holds_the_write_lock_from_its_first_statement(
    url: str, sample: Incident
) -> None:
    """Writers take turns, as on a file: a second writer waits for the first one's whole
    transaction (here it is told not to wait, and is refused as busy), so the checks
    either makes are never read before the other's writes land."""
    with open_workspace(url) as first, open_workspace(url) as second:
        first.add_incident(sample)
        copy = second.load(sample.id)  # type: ignore[arg-type]
        second.conn.execute("SET lock_timeout = 50")
        with first.transaction():  # begun, nothing written yet
            copy.update_fields(title="Waits its turn")
            with pytest.raises(WorkspaceError) as refused:
                second.save_incident_fields(copy, ["title"])
        assert "is busy" in str(refused.value)
        second.save_incident_fields(copy, ["title"])  # the turn is free again
        assert first.load(sample.id).title == "Waits its turn"  # type: ignore[arg-type]


def test_libpq_parameters_in_the_address_pass_through(url: str, sample: Incident) -> None:
    """``options`` puts the workspace in a schema of its own, ``sslmode`` and
    ``application_name`` reach libpq: nothing in the address is dropped or overridden."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA quality")
    address = (
        f"{url}&sslmode=disable&application_name=rca-desk-quality&options=-csearch_path%3Dquality"
    )
    with open_workspace(address) as ws:
        assert isinstance(ws, ServerWorkspace)
        ws.add_incident(sample)
        assert ws.conn.execute("SELECT current_setting('application_name')").fetchone() == (
            "rca-desk-quality",
        )
        assert ws.location == address
    assert raw(url, "SELECT count(*) FROM quality.incidents") == [(1,)]
    assert tables(url) == []  # nothing in the public schema
