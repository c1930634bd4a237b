"""The main window lists the workspace's incidents and moves them in and out safely."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from rca_desk.interchange import read_json, write_json
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import ActionStatus, Incident, RcaError
from rca_desk.store import Workspace
from rca_desk.ui import app as app_module
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.review.dashboard import Tile
from rca_desk.ui.workspace.incident_table import IncidentTableModel
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY
from tests.ui.conftest import Dialogs


def titles(window: MainWindow) -> list[str]:
    proxy = window.incident_list.proxy
    return [proxy.index(row, 1).data() for row in range(proxy.rowCount())]


def test_table_model_passes_qt_model_tester(qtmodeltester, sample_workspace: Workspace) -> None:
    model = IncidentTableModel()
    model.set_rows(sample_workspace.incidents())
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == sample_workspace.incidents()[0].title


def test_empty_workspace_says_how_to_start(window: MainWindow) -> None:
    assert window.incident_list.table_model.rowCount() == 0
    assert window.incident_list.empty_label.isVisibleTo(window)
    assert not window.export_action.isEnabled()


def test_sample_appears_with_details_and_findings(window: MainWindow) -> None:
    window.sample_action.trigger()
    assert titles(window) == [sample_incidents(TODAY)[0].title]
    assert window.incident_list.selected_id() == window.workspace.incidents()[0].id
    text = window.incident_list.details.toPlainText()
    assert "Northwind" in text and "Containment:" in text
    findings = window.incident_list.findings_list
    shown = [findings.item(i).text() for i in range(findings.count())]
    assert any("blames a person" in line for line in shown)
    assert any("was due" in line for line in shown)


def test_filter_keeps_matching_rows(window: MainWindow, qtbot) -> None:
    window.workspace.add_incidents(
        [Incident(title="Printer jam at depot"), Incident(title="Late invoice run")]
    )
    window.refresh()
    qtbot.keyClicks(window.incident_list.filter_edit, "invoice")
    assert titles(window) == ["Late invoice run"]
    window.incident_list.filter_edit.clear()
    assert sorted(titles(window)) == ["Late invoice run", "Printer jam at depot"]


def test_sorting_by_title(window: MainWindow) -> None:
    window.workspace.add_incidents([Incident(title="b"), Incident(title="A"), Incident(title="c")])
    window.refresh()
    window.incident_list.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert titles(window) == ["A", "b", "c"]


def test_export_then_import_round_trips(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    window.sample_action.trigger()
    out = tmp_path / "one.json"
    dialogs.paths.append(out)
    window.export_action.trigger()
    assert dialogs.errors == []
    exported = read_json(out)
    assert exported[0].uid == window.workspace.load(window.incident_list.selected_id() or 0).uid
    # Importing the same incident again is refused (same uid) and adds nothing.
    before = window.workspace.content()
    dialogs.paths.append(out)
    window.import_action.trigger()
    assert len(dialogs.errors) == 1
    assert window.workspace.content() == before


def test_import_of_damaged_file_is_refused_and_changes_nothing(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    window.sample_action.trigger()
    before = window.workspace.content()
    bad = tmp_path / "bad.json"
    write_json(bad, [Incident(title="fine")])
    document = json.loads(bad.read_text())
    document["incidents"][0]["severity"] = "apocalyptic"
    bad.write_text(json.dumps(document))
    raw = bad.read_bytes()
    dialogs.paths.append(bad)
    window.import_action.trigger()
    assert len(dialogs.errors) == 1
    title, message = dialogs.errors[0]
    assert title == "Nothing was imported"
    assert "severity" in message and "Traceback" not in message
    assert window.workspace.content() == before
    assert bad.read_bytes() == raw


def test_import_of_a_newer_minor_file_says_what_was_left_out(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    newer = tmp_path / "newer.json"
    write_json(newer, [Incident(title="From a newer rca-desk")])
    document = json.loads(newer.read_text())
    major = document["version"].split(".")[0]
    document["version"] = f"{major}.99"
    document["incidents"][0]["client_mood"] = "tense"  # a field a newer minor added
    newer.write_text(json.dumps(document))
    dialogs.paths.append(newer)
    window.import_action.trigger()
    assert dialogs.errors == []
    titles = [s.title for s in window.workspace.incidents()]
    assert titles == ["From a newer rca-desk"]
    shown = window.statusBar().currentMessage()
    assert shown.startswith("Imported 1 incidents from newer.json.")
    assert "client_mood" in shown and "ignored" in shown


def test_import_adds_incidents_and_selects_first(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    source = tmp_path / "two.json"
    write_json(source, [Incident(title="One"), Incident(title="Two")])
    dialogs.paths.append(source)
    window.import_action.trigger()
    assert dialogs.errors == []
    assert sorted(titles(window)) == ["One", "Two"]
    assert window.incident_list.selected_summary() is not None
    assert window.incident_list.selected_summary().title == "One"  # type: ignore[union-attr]


def test_delete_asks_first(window: MainWindow, dialogs: Dialogs) -> None:
    window.sample_action.trigger()
    dialogs.confirm = False
    window.delete_action.trigger()
    assert window.incident_list.table_model.rowCount() == 1
    dialogs.confirm = True
    window.delete_action.trigger()
    assert window.incident_list.table_model.rowCount() == 0
    assert window.workspace.incidents() == []


def test_opening_a_foreign_file_keeps_the_current_workspace(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    window.sample_action.trigger()
    foreign = tmp_path / "notes.rcadesk"
    foreign.write_text("just some notes\n")
    raw = foreign.read_bytes()
    dialogs.paths.append(foreign)
    window.open_action.trigger()
    assert len(dialogs.errors) == 1
    assert str(foreign) in dialogs.errors[0][1]
    assert foreign.read_bytes() == raw
    # still the old workspace, still usable
    assert window.incident_list.table_model.rowCount() == 1
    window.refresh()


def test_opening_another_workspace_switches(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    other_path = tmp_path / "other.rcadesk"
    with Workspace.open(other_path) as other:
        other.add_incident(Incident(title="Elsewhere"))
    dialogs.paths.append(other_path)
    window.open_action.trigger()
    assert dialogs.errors == []
    assert titles(window) == ["Elsewhere"]
    assert window.workspace.file == other_path
    # Opening it took the day's backup, beside it, and the status bar says where.
    [backup] = (tmp_path / "backups").glob("other-*-daily.rcadesk")
    assert window.statusBar().currentMessage() == f"Daily backup saved to {backup}."
    with Workspace.open(backup, create=False) as copy:
        assert [s.title for s in copy.incidents()] == ["Elsewhere"]
    window.workspace.close()


def test_run_app_refuses_a_foreign_file(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(app_module, "show_startup_error", shown.append)
    foreign = tmp_path / "foreign.rcadesk"
    foreign.write_bytes(b"\x00garbage" * 20)
    raw = foreign.read_bytes()
    assert app_module.run_app(foreign) == app_module.EXIT_REFUSED
    assert len(shown) == 1 and str(foreign) in shown[0]
    assert foreign.read_bytes() == raw


def test_new_incident_opens_its_diagrams(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = Incident(title="Invoices sent twice")
    monkeypatch.setattr(window, "ask_new_incident", lambda: incident)
    window.new_action.trigger()
    assert window.workspace.incidents()[0].title == "Invoices sent twice"
    current = window.tabs.currentWidget()
    assert current is window.open_views[incident.id or 0]
    assert current.fishbone.labels  # type: ignore[attr-defined]


def test_review_opens_the_action_in_its_incident(window: MainWindow) -> None:
    window.sample_action.trigger()
    window.review_action.trigger()
    assert window.tabs.currentWidget() is window.dashboard
    assert window.dashboard.model.rowCount() == len(window.workspace.action_rows())
    row = window.workspace.action_rows()[0]
    window.dashboard.openAction.emit(row.incident_id, row.action.uid)
    view = window.open_views[row.incident_id]
    assert window.tabs.currentWidget() is view
    assert view.views.currentWidget() is view.actions_panel
    assert view.actions_panel.editors and view.actions_panel.editors[-1].isVisible()
    for editor in view.actions_panel.editors:
        editor.close()


def test_undo_menu_follows_the_current_incident(window: MainWindow, qtbot) -> None:
    window.sample_action.trigger()
    view = window.open_incident(window.workspace.incidents()[0].id)
    canvas = view.fishbone
    canvas.set_current(view.document.graph.children("problem")[0])
    view.root_action.trigger()
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert not view.document.undo_stack.canUndo()
    window.tabs.setCurrentIndex(0)
    assert not window.undo_action.isEnabled()


def test_closing_a_tab_keeps_what_was_being_typed(window: MainWindow, qtbot) -> None:
    from PySide6.QtCore import Qt

    window.sample_action.trigger()
    incident_id = window.workspace.incidents()[0].id
    view = window.open_incident(incident_id)
    canvas = view.fishbone
    cause = view.document.graph.children("problem")[0]
    canvas.set_current(cause)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.editor is not None
    qtbot.keyClicks(canvas.editor, "Typed just before closing")
    window.close_tab_action.trigger()
    assert incident_id not in window.open_views
    graph = window.workspace.load(incident_id).graph
    assert "Typed just before closing" in [graph.cause(c).text for c in graph.children(cause)]


def test_renaming_the_incident_renames_its_tab(window: MainWindow) -> None:
    from rca_desk.ui.document.cause_commands import EditIncident

    window.sample_action.trigger()
    view = window.open_incident(window.workspace.incidents()[0].id)
    view.document.execute(EditIncident(view.document, title="Short new title"))
    assert window.tabs.tabText(window.tabs.indexOf(view)) == "Short new title"
    assert window.incident_list.table_model.summary(0).title == "Short new title"


# ------------------------------------------------- the Actions review keeps up
def click_tab(qtbot, window: MainWindow, text: str) -> None:
    bar = window.tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == text)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert window.tabs.currentIndex() == index


def review_says(window: MainWindow) -> tuple[str, int, int, int]:
    """What the review shows: the count line and the open, overdue and to-verify tiles."""
    tiles = window.dashboard.tiles
    return (
        window.dashboard.count_label.text(),
        tiles[Tile.OPEN].count,
        tiles[Tile.OVERDUE].count,
        tiles[Tile.AWAITING_VERIFICATION].count,
    )


def status_shown(window: MainWindow, action_title: str) -> str:
    proxy = window.dashboard.proxy
    header = [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]
    action, status = header.index("Action"), header.index("Status")
    rows = [r for r in range(proxy.rowCount()) if proxy.index(r, action).data() == action_title]
    assert len(rows) == 1
    return str(proxy.index(rows[0], status).data())


@pytest.fixture
def shown_window(qtbot, window: MainWindow) -> MainWindow:
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("source", ["sample", "import"])
def test_review_shows_incidents_brought_in(
    qtbot, shown_window: MainWindow, dialogs: Dialogs, tmp_path: Path, source: str
) -> None:
    window = shown_window
    source_file = tmp_path / "sample.json"
    write_json(source_file, sample_incidents(TODAY))

    def bring_in() -> None:
        if source == "sample":
            window.sample_action.trigger()
        else:
            dialogs.paths.append(source_file)
            window.import_action.trigger()
        assert dialogs.errors == []

    click_tab(qtbot, window, "Actions review")
    assert review_says(window) == ("Showing all 0 actions", 0, 0, 0)
    click_tab(qtbot, window, "Incidents")
    bring_in()
    click_tab(qtbot, window, "Actions review")
    assert review_says(window) == ("Showing all 6 actions", 5, 2, 1)
    # While the review is on screen (Help or File menu), it follows at once.
    if source == "import":  # the same incidents again would be refused
        write_json(source_file, sample_incidents(TODAY))
    bring_in()
    assert window.tabs.currentWidget() is window.dashboard
    assert review_says(window) == ("Showing all 12 actions", 10, 4, 2)


def test_review_shows_edits_made_in_an_incident(qtbot, shown_window: MainWindow) -> None:
    window = shown_window
    window.sample_action.trigger()
    click_tab(qtbot, window, "Actions review")
    assert review_says(window) == ("Showing all 6 actions", 5, 2, 1)
    checkpoint = "Release checkpoint: data-migration sign-off in the release checklist"
    validation = (
        "Automated data validation: reconcile row counts and totals per tenant before and "
        "after every migration"
    )
    assert status_shown(window, checkpoint) == "implemented"

    # In the incident's own Actions tab: the checkpoint is verified effective.
    click_tab(qtbot, window, "Incidents")
    window.open_incident_action.trigger()
    view = window.tabs.currentWidget()
    assert isinstance(view, IncidentTab)
    view.views.setCurrentWidget(view.actions_panel)
    uids = {a.title: a.uid for a in view.document.incident.actions}
    editor = view.actions_panel.edit_action(uids[checkpoint])
    editor.next_status.setCurrentIndex(
        editor.next_status.findData(ActionStatus.VERIFIED_EFFECTIVE.value)
    )
    editor.status_note.setText("Two releases with sign-off, no data loss")
    editor.measured_edit.setText("0 data-loss incidents in 2 releases")
    editor.early_note.setText("both releases are done")  # used only if checked early
    qtbot.mouseClick(editor.change_button, Qt.MouseButton.LeftButton)
    assert editor.error_text() == ""
    editor.close()
    click_tab(qtbot, window, "Actions review")
    assert status_shown(window, checkpoint) == "verified effective"
    assert review_says(window) == ("Showing all 6 actions", 4, 2, 0)

    # With the review on screen, an action editor opened from it keeps it current.
    window.dashboard.openAction.emit(view.document.incident.id, uids[validation])
    editor = view.actions_panel.editors[-1]
    click_tab(qtbot, window, "Actions review")
    editor.next_status.setCurrentIndex(editor.next_status.findData(ActionStatus.IMPLEMENTED.value))
    qtbot.mouseClick(editor.change_button, Qt.MouseButton.LeftButton)
    assert editor.error_text() == ""
    assert window.tabs.currentWidget() is window.dashboard
    assert status_shown(window, validation) == "implemented"
    assert review_says(window) == ("Showing all 6 actions", 4, 2, 1)
    editor.close()


def test_review_action_rereads_what_another_process_wrote(qtbot, shown_window: MainWindow) -> None:
    window = shown_window
    window.review_action.trigger()
    assert review_says(window) == ("Showing all 0 actions", 0, 0, 0)
    with Workspace.open(window.workspace.path, create=False) as other:
        other.add_incidents(sample_incidents(TODAY))
    window.review_action.trigger()  # already on screen: Ctrl+Shift+R reads again
    assert review_says(window) == ("Showing all 6 actions", 5, 2, 1)


def test_review_follows_a_workspace_switch(
    qtbot, shown_window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    window = shown_window
    other_path = tmp_path / "other.rcadesk"
    with Workspace.open(other_path) as other:
        other.add_incidents(sample_incidents(TODAY))
    window.review_action.trigger()
    assert review_says(window) == ("Showing all 0 actions", 0, 0, 0)
    dialogs.paths.append(other_path)
    window.open_action.trigger()
    assert dialogs.errors == []
    assert window.tabs.currentWidget() is window.dashboard
    assert review_says(window) == ("Showing all 6 actions", 5, 2, 1)
    window.workspace.close()


def test_a_refused_workspace_can_be_restored_from_a_backup_at_start(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team.rcadesk"
    with Workspace.open(path) as workspace:
        workspace.add_incident(Incident(title="Kept in the backup"))
        backup = workspace.backup()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE VIEW actions_overview AS SELECT * FROM actions")
    conn.close()
    offered: list[list[Path]] = []

    def pick(_path: Path, error: str, backups: list[Path]) -> Path | None:
        assert "modified outside rca-desk" in error
        offered.append(backups)
        return backups[0]

    monkeypatch.setattr(app_module, "ask_recovery", pick)
    workspace = app_module.open_or_recover(path)
    assert workspace is not None
    with workspace:
        assert [s.title for s in workspace.incidents()] == ["Kept in the backup"]
    assert offered == [[backup]]
    assert len(list(tmp_path.glob("team.rcadesk.refused-*"))) == 1

    monkeypatch.setattr(app_module, "ask_recovery", lambda *args: None)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE VIEW again AS SELECT 1")
    conn.close()
    assert app_module.open_or_recover(path) is None  # the person chose to close


def test_run_app_closes_the_workspace_the_window_ends_on(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After File ▸ Open switched workspaces, quitting closes the one in use (the first
    was closed by the switch), so nothing is left open behind the app."""
    first, second = tmp_path / "first.rcadesk", tmp_path / "second.rcadesk"
    Workspace.open(second).close()
    seen: list[object] = []

    def session(_app: object) -> int:  # what the user does while the app runs
        [window] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        opened = window.workspace
        assert window.files.open_workspace(second)
        seen.extend([opened, window.workspace])
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", session)
    assert app_module.run_app(first) == 0
    opened, current = seen
    for store in (opened, current):
        with pytest.raises(RcaError):  # closed: any use is refused
            store.incidents()
