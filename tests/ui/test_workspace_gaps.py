"""The small gaps of issue 14: the empty first screen's buttons, File ▸ New workspace…,
save dialogs that remember their folder, and open incident tabs restored on start.

QSettings go to a throwaway folder (tests/ui/conftest.py, ``_private_settings``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident
from rca_desk.render.export import Format
from rca_desk.render.pages import Page
from rca_desk.store import Workspace
from rca_desk.ui.incident.export_options import ExportOptions
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.workspace.main_window import MainWindow
from rca_desk.ui.workspace.new_incident import NewIncidentDialog
from tests.conftest import TODAY
from tests.ui.conftest import Dialogs

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


# ------------------------------------------------------------ the first screen
def test_the_empty_first_screen_opens_the_sample_with_a_click(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    qtbot.waitExposed(window)
    button = window.incident_list.sample_button
    assert button.isVisible() and window.incident_list.new_button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    [summary] = window.workspace.incidents()
    view = window.tabs.currentWidget()
    assert isinstance(view, IncidentTab)
    assert view.document.incident.id == summary.id
    assert not button.isVisibleTo(window)  # the list shows now


def test_the_empty_first_screen_starts_an_incident_with_a_click(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    qtbot.waitExposed(window)

    def fill_in() -> None:
        dialog = window.findChild(NewIncidentDialog)
        assert dialog is not None and dialog.isVisible()
        qtbot.keyClicks(dialog.title, "Payroll file late")
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)  # Enter in a line is OK

    QTimer.singleShot(0, fill_in)
    qtbot.mouseClick(window.incident_list.new_button, Qt.MouseButton.LeftButton)
    assert [s.title for s in window.workspace.incidents()] == ["Payroll file late"]
    assert isinstance(window.tabs.currentWidget(), IncidentTab)


# -------------------------------------------------------------- new workspace
def test_new_workspace_creates_the_file_and_opens_it(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    assert window.new_workspace_action in window.menuBar().actions()[0].menu().actions()
    (tmp_path / "team").mkdir()
    dialogs.paths.append(tmp_path / "team" / "payroll")
    window.new_workspace_action.trigger()
    assert dialogs.errors == []
    created = tmp_path / "team" / "payroll.rcadesk"
    assert created.is_file()
    assert window.workspace.path == created
    assert window.windowTitle() == "payroll.rcadesk — rca_desk"
    window.statusBar().clearMessage()  # the daily backup's line, timed out
    assert window.statusBar().currentMessage() == f"0 incidents in {created}"


def test_new_workspace_refuses_a_file_that_is_not_a_workspace(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    before = window.workspace.path
    notes = tmp_path / "notes.rcadesk"
    notes.write_text("shopping list\n")
    dialogs.paths.append(notes)
    window.new_workspace_action.trigger()
    [(title, message)] = dialogs.errors
    assert title == "Cannot create the workspace"
    assert message == (
        f"{notes} already exists and is not an rca_desk workspace. It was left untouched; "
        "choose another name."
    )
    assert notes.read_text() == "shopping list\n"
    assert window.workspace.path == before


def test_new_workspace_on_an_existing_workspace_opens_it_unharmed(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    other = tmp_path / "other.rcadesk"
    with Workspace.open(other, create=True) as ws:
        ws.add_incident(Incident(title="Kept"))
    dialogs.paths.append(other)
    window.new_workspace_action.trigger()
    assert dialogs.errors == []
    assert [s.title for s in window.workspace.incidents()] == ["Kept"]


# ------------------------------------------------------------ last folder
def test_save_dialogs_open_in_the_last_folder_used(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The real dialog hooks (not the test's answers): each offers the last folder."""
    offered: list[str] = []
    chosen = tmp_path / "reports"
    chosen.mkdir()

    def save_name(_parent, _title, suggested, _filter):  # type: ignore[no-untyped-def]
        offered.append(suggested)
        return str(chosen / Path(suggested).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    # The window fixture answers the hooks; take the real ones back.
    monkeypatch.setattr(window, "ask_save_path", MainWindow.ask_save_path.__get__(window))
    window.files.add_sample()
    window.export_all_action.trigger()
    assert Path(offered[0]).parent == Path.home()  # nothing remembered yet
    view = window.open_incident(window.workspace.incidents()[0].id)
    monkeypatch.setattr(view, "export_to", lambda *a, **k: True)
    monkeypatch.setattr(view, "ask_export_options", lambda: ExportOptions(Page.NONE, True))
    view.export_dialog()
    assert Path(offered[1]).parent == chosen
    assert Path(offered[1]).name.endswith(f".{Format.PNG.value}")


# ------------------------------------------------------------ restored tabs
def test_open_incident_tabs_come_back_on_start(
    qtbot: QtBot, workspace: Workspace, dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = workspace.add_incidents(sample_incidents(TODAY) + sample_incidents(TODAY))
    ids += [workspace.add_incident(Incident(title="Deleted before the next start"))]
    first = MainWindow(workspace, today=TODAY)
    qtbot.addWidget(first)
    for incident_id in (ids[1], ids[2], ids[0]):
        first.open_incident(incident_id)
    first.tabs.setCurrentWidget(first.open_views[ids[2]])
    first.close()
    workspace.delete_incident(ids[2])

    again = MainWindow(workspace, today=TODAY)
    qtbot.addWidget(again)
    opened = [
        again.tabs.widget(i).document.incident.id  # type: ignore[attr-defined]
        for i in range(2, again.tabs.count())
    ]
    assert opened == [ids[1], ids[0]]  # in their order; the deleted one skipped silently
    assert again.tabs.currentWidget() is again.incident_list  # its tab was in front
    assert again.statusBar().currentMessage() == f"2 incidents in {workspace.location}"
