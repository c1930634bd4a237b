"""A server address given as the workspace is refused in one line, nothing is created,
and a password in it is never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from rca_desk.cli.main import main
from rca_desk.store.paths import without_password

MESSAGE = ": is a server address; this rca-desk opens workspace files only.\n"


@pytest.mark.parametrize("command", [["demo"], ["list"], ["check"]])
def test_an_address_is_refused_and_nothing_is_created(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--workspace", "postgresql://db.example/rca", *command]) == 2
    assert capsys.readouterr().err == "rca-desk: error: postgresql://db.example/rca" + MESSAGE
    assert list(tmp_path.iterdir()) == []  # no "postgresql:" folder, no file workspace


def test_the_environment_variable_is_refused_the_same_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RCA_DESK_WORKSPACE", "postgres://ann:hunter2@db/rca")
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err == "rca-desk: error: postgres://ann:***@db/rca" + MESSAGE
    assert "hunter2" not in err


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
