"""The window names its workspace by the store's name and location, and File ▸ Open
Server Workspace… takes a ``postgresql://`` address (issue 12).

No server backend is needed: every address here is refused, by the address check or by a
stand-in backend that refuses (tests/refusing_server.py), and each refusal must leave the
current workspace open and usable.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog, QLineEdit

from rca_desk.model import Incident
from rca_desk.store import ServerAddress, Workspace
from rca_desk.store.presence import lock_path
from rca_desk.ui import app as app_module
from rca_desk.ui.workspace.main_window import LAST_SERVER_KEY, MainWindow
from tests.refusing_server import REFUSAL, RefusingServer
from tests.ui.conftest import Dialogs


def test_title_and_status_bar_name_the_workspace(window: MainWindow, workspace: Workspace) -> None:
    assert window.windowTitle() == f"{workspace.name} — rca_desk" == "test.rcadesk — rca_desk"
    assert window.statusBar().currentMessage() == f"0 incidents in {workspace.location}"
    window.sample_action.trigger()
    assert window.statusBar().currentMessage() == f"1 incident in {workspace.location}"


def test_the_file_menu_offers_a_server_workspace_beside_open(window: MainWindow) -> None:
    [file_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    actions = file_menu.actions()
    index = actions.index(window.open_action)
    assert actions[index + 1] is window.open_server_action
    text = window.open_server_action.text()
    assert text.replace("&", "") == "Open Server Workspace…"
    mnemonic = text[text.index("&") + 1].lower()
    others = [a.text() for a in actions if a is not window.open_server_action and "&" in a.text()]
    assert all(t[t.index("&") + 1].lower() != mnemonic for t in others)  # reachable by key
    assert window.open_server_action.shortcut().toString() == "Ctrl+Shift+O"


def keeps_the_workspace(window: MainWindow, workspace: Workspace) -> None:
    """Still the same workspace, still claimed, still usable, not offered next time."""
    assert window.workspace is workspace
    assert lock_path(workspace.path).exists()
    window.workspace.add_incident(Incident(title="Still here"))
    window.refresh()
    assert window.incident_list.table_model.rowCount() == 1
    assert window.windowTitle() == "test.rcadesk — rca_desk"
    assert QSettings().value(LAST_SERVER_KEY) is None


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("http://x", "http://x: is not a PostgreSQL address"),
        ("mysql://db.example/rca", "mysql://db.example/rca: is not a PostgreSQL address"),
        # A file's name is not taken for a file here: this dialog opens servers.
        ("team.rcadesk", "team.rcadesk: is not a PostgreSQL address"),
        ("postgresql://ann:secret@h/db", "postgresql://ann:***@h/db: holds a password"),
        ("postgresql://h/db?password=secret", "holds a password"),
    ],
)
def test_an_address_that_cannot_be_used_is_refused_and_the_workspace_stays(
    window: MainWindow,
    workspace: Workspace,
    dialogs: Dialogs,
    refusing_server: RefusingServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    said: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    dialogs.addresses.append(typed)
    window.open_server_action.trigger()
    [(title, message)] = dialogs.errors
    assert title == "Cannot open the workspace"
    assert said in message and "\n" not in message
    if "secret" in typed:
        assert "PGPASSFILE" in message
    shown = [message, window.windowTitle(), window.statusBar().currentMessage()]
    assert not any("secret" in text for text in shown)
    assert refusing_server.asked == []  # refused before any connection is tried
    assert sorted(tmp_path.iterdir()) == before  # no file workspace made of the text
    keeps_the_workspace(window, workspace)


def test_a_server_that_refuses_leaves_the_current_workspace_open(
    window: MainWindow,
    workspace: Workspace,
    dialogs: Dialogs,
    refusing_server: RefusingServer,
) -> None:
    url = "postgresql://ann@db.example:5433/rca?sslmode=require"
    dialogs.addresses.append(f"  {url} ")
    window.open_server_action.trigger()
    [(title, message)] = dialogs.errors
    assert title == "Cannot open the workspace"
    assert message.startswith(f"{url}: {REFUSAL}") and "\n" not in message
    [(address, create)] = refusing_server.asked
    assert (address.url, create) == (url, True)  # an empty database becomes a workspace
    keeps_the_workspace(window, workspace)


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_cancel_or_nothing_typed_does_nothing(
    window: MainWindow,
    workspace: Workspace,
    dialogs: Dialogs,
    refusing_server: RefusingServer,
    typed: str | None,
) -> None:
    dialogs.addresses.append(typed)
    window.open_server_action.trigger()
    assert dialogs.errors == [] and refusing_server.asked == []
    assert window.workspace is workspace


def test_the_address_dialog_offers_the_last_server(
    qtbot: object, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    asked: list[tuple[object, ...]] = []
    answers = [("postgresql://h/db", True), ("postgresql://typed/away", False)]

    def get_text(*args: object) -> tuple[str, bool]:
        asked.append(args)
        return answers.pop(0)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    assert window.ask_server_address("Open server workspace") == "postgresql://h/db"
    parent, title, label, echo, offered = asked[0]
    assert parent is window and title == "Open server workspace"
    assert "postgresql://" in str(label) and "~/.pgpass" in str(label)
    assert echo == QLineEdit.EchoMode.Normal
    assert offered == "postgresql://"  # nothing opened yet: the start of an address
    QSettings().setValue(LAST_SERVER_KEY, "postgresql://db.example/rca")
    assert window.ask_server_address("Open server workspace") is None  # Cancel
    assert asked[1][4] == "postgresql://db.example/rca"


def test_a_refused_server_at_start_is_reported_without_offering_backups(
    qapp: object, refusing_server: RefusingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(app_module, "show_startup_error", shown.append)

    def no_recovery(*args: object) -> None:
        raise AssertionError("a server workspace has no backups to restore here")

    monkeypatch.setattr(app_module, "ask_recovery", no_recovery)
    address = ServerAddress.parse("postgresql://db.example/rca")
    assert app_module.run_app(address) == app_module.EXIT_REFUSED
    [message] = shown
    assert message.startswith(f"{address}: {REFUSAL}")
    assert refusing_server.asked == [(address, True)]
