"""Where the workspace is: ``--workspace``, then ``$RCA_DESK_WORKSPACE``, then the default."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rca_desk.store import ENV_VAR, Workspace, data_dir, resolve_workspace_path
from rca_desk.store.paths import DEFAULT_NAME

linux_only = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="XDG layout is the Linux default"
)


@linux_only
def test_default_is_in_the_xdg_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_workspace_path() == tmp_path / "xdg" / "rca-desk" / DEFAULT_NAME


@linux_only
def test_without_xdg_it_falls_back_to_local_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data_dir() == tmp_path / ".local" / "share" / "rca-desk"


def test_the_variable_beats_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env.rcadesk"))
    assert resolve_workspace_path() == tmp_path / "from-env.rcadesk"
    assert resolve_workspace_path(None) == tmp_path / "from-env.rcadesk"


def test_the_option_beats_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "from-env.rcadesk"))
    assert resolve_workspace_path(tmp_path / "opt.rcadesk") == tmp_path / "opt.rcadesk"
    assert resolve_workspace_path(str(tmp_path / "opt.rcadesk")) == tmp_path / "opt.rcadesk"


def test_an_empty_variable_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "")
    assert resolve_workspace_path() == data_dir() / DEFAULT_NAME


def test_tilde_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_workspace_path("~/w.rcadesk") == tmp_path / "w.rcadesk"
    monkeypatch.setenv(ENV_VAR, "~/env.rcadesk")
    assert resolve_workspace_path() == tmp_path / "env.rcadesk"


def test_the_default_folder_is_created_on_first_open() -> None:
    """`rca-desk` with no arguments just works: the data folder need not exist yet."""
    path = resolve_workspace_path()
    assert not path.parent.exists()
    Workspace.open(path).close()
    assert path.is_file()


def test_a_server_address_without_psycopg_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """psycopg is an optional extra: without it the address is refused in one line that
    says what to install, never an ImportError."""
    import sys

    from rca_desk.store import WorkspaceError, open_workspace

    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
    monkeypatch.delitem(sys.modules, "rca_desk.store.server", raising=False)
    with pytest.raises(WorkspaceError) as refused:
        open_workspace("postgresql://db.example/rca")
    assert str(refused.value) == (
        "postgresql://db.example/rca: a server workspace needs psycopg; install it with "
        "pip install 'rca-desk[postgres]'."
    )
