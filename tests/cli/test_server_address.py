"""Server addresses as the workspace (issue 12): a ``postgresql://`` address goes to the
server backend; any other address is refused in one line and nothing is created; a
password in an address is refused, and never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from rca_desk.cli.main import build_parser, main
from rca_desk.store import Workspace
from rca_desk.store.paths import without_password
from tests.refusing_server import REFUSAL, RefusingServer

MESSAGE = (
    ": is an address rca-desk cannot open; a workspace is a file, or a PostgreSQL database "
    "(postgresql://...).\n"
)


@pytest.mark.parametrize("address", ["http://db.example/rca", "mysql://db.example/rca"])
@pytest.mark.parametrize("command", [["demo"], ["list"], ["check"], []])
def test_another_address_is_refused_and_nothing_is_created(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    address: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--workspace", address, *command]) == 2
    assert capsys.readouterr().err == f"rca-desk: error: {address}" + MESSAGE
    assert list(tmp_path.iterdir()) == []  # no "http:" folder, no file workspace


def test_the_environment_variable_is_refused_the_same_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RCA_DESK_WORKSPACE", "mysql://ann:hunter2@db/rca")
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err == "rca-desk: error: mysql://ann:***@db/rca" + MESSAGE
    assert "hunter2" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["demo"], ["list"], []])
@pytest.mark.parametrize("via", ["option", "environment"])
def test_a_password_in_a_server_address_is_refused_and_never_shown(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    refusing_server: RefusingServer,
    command: list[str],
    via: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    url = "postgresql://ann:hunter2@db.example/rca"
    if via == "option":
        argv = ["--workspace", url, *command]
    else:
        monkeypatch.setenv("RCA_DESK_WORKSPACE", url)
        argv = command
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("rca-desk: error: postgresql://ann:***@db.example/rca: holds a password")
    assert "PGPASSFILE" in err and err.count("\n") == 1
    assert "hunter2" not in err
    assert refusing_server.asked == []  # refused before any connection is tried
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("command", "creates"),
    [(["demo"], True), (["list"], False), (["backup"], False), (["check"], False)],
)
def test_a_server_address_opens_the_server_backend(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    refusing_server: RefusingServer,
    command: list[str],
    creates: bool,
) -> None:
    """The address reaches the server backend as it was typed, asked to create only by
    the commands that create a file workspace; its refusal is the usual one line."""
    monkeypatch.chdir(tmp_path)
    url = "postgresql://ann@db.example:5433/rca?sslmode=require"
    assert main(["--workspace", url, *command]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rca-desk: error: {url}: {REFUSAL}") and err.count("\n") == 1
    [(address, create)] = refusing_server.asked
    assert (address.url, create) == (url, creates)
    assert list(tmp_path.iterdir()) == []  # no presence file, no backups folder


def test_restore_onto_a_server_is_never_done_from_outside(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    refusing_server: RefusingServer,
) -> None:
    """A file workspace that will not open is replaced from outside; a server workspace
    never is: the store is asked (once), and its refusal is what is said."""
    backup = tmp_path / "backup.rcadesk"
    Workspace.open(backup).close()
    before = backup.read_bytes()
    monkeypatch.chdir(tmp_path)
    url = "postgresql://db.example/rca"
    assert main(["--workspace", url, "restore", str(backup)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rca-desk: error: {url}: {REFUSAL}") and err.count("\n") == 1
    assert len(refusing_server.asked) == 1
    assert backup.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.rcadesk"]


def test_the_help_says_a_workspace_may_be_on_a_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RCA_DESK_WORKSPACE", raising=False)
    text = " ".join(build_parser().format_help().split())
    assert "--workspace PATH|URL" in text
    assert "postgresql://" in text and "~/.pgpass" in text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ann:hunter2@db:5433/rca?sslmode=require",
         "postgresql://ann:***@db:5433/rca?sslmode=require"),
        ("postgresql://:hunter2@db/rca", "postgresql://:***@db/rca"),
        ("postgresql://ann@db/rca", "postgresql://ann@db/rca"),
        ("postgresql://ann:hunter2@[::1/rca", "postgresql://***"),  # unparsable
        ("postgresql://ann:p@ss:w@rd@db/rca", "postgresql://ann:***@db/rca"),
    ],
)  # fmt: skip
def test_a_password_is_never_shown(url: str, shown: str) -> None:
    assert without_password(url) == shown
    assert "hunter2" not in without_password(url) and "p@ss" not in without_password(url)


def test_a_file_name_with_a_colon_is_still_a_file(tmp_path: Path) -> None:
    from rca_desk.store.paths import resolve_workspace_path

    assert resolve_workspace_path(str(tmp_path / "team:2026.rcadesk")) == (
        tmp_path / "team:2026.rcadesk"
    )
