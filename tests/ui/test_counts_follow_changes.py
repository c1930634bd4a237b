"""Counts on screen follow every change notice (issue 14): the status bar's incident count
and the Incident tab's category counts never wait for another edit or a tab switch."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import HEAD
from rca_desk.store import Workspace
from rca_desk.ui.document.cause_commands import AddCause, EditCause, MoveCause, RemoveCause
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def demo_elsewhere(window: MainWindow, times: int) -> None:
    """``rca-desk demo`` run ``times`` times in a terminal: another connection writes."""
    with Workspace.open(window.workspace.path, create=False) as other:
        for _ in range(times):
            other.add_incidents(sample_incidents(TODAY))


def test_the_status_bar_counts_incidents_added_by_another_process(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    window.files.add_sample()
    where = window.workspace.location
    assert status(window) == f"1 incident in {where}"
    demo_elsewhere(window, 2)
    qtbot.waitUntil(lambda: window.incident_list.table_model.rowCount() == 3)
    assert status(window) == f"3 incidents in {where}"


def test_the_count_follows_while_an_incident_tab_is_in_front(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    window.files.add_sample()
    window.open_incident_action.trigger()
    assert isinstance(window.tabs.currentWidget(), IncidentTab)
    demo_elsewhere(window, 2)
    qtbot.waitUntil(lambda: status(window) == f"3 incidents in {window.workspace.location}")


def test_a_passing_message_gives_way_to_the_current_count(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    window.files.message.emit("Daily backup saved to somewhere.")
    assert status(window) == "Daily backup saved to somewhere."
    window.files.add_sample()  # counted while the message shows
    window.statusBar().clearMessage()  # what its timeout does
    assert status(window) == f"1 incident in {window.workspace.location}"


def test_category_counts_follow_every_cause_change(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    window.files.add_sample()
    view = window.open_incident(window.workspace.incidents()[0].id)
    form = view.form
    document = view.document

    def counts() -> dict[str, int]:
        shown = [form.categories.item(i).text() for i in range(form.categories.count())]
        return {text.rsplit("  (", 1)[0]: int(text.rsplit("(", 1)[1][:-1]) for text in shown}

    view.views.setCurrentWidget(form)
    assert counts() == {
        "SOPs": 6,
        "Training": 3,
        "Technology": 6,
        "QC checkpoints": 3,
        "Communication": 4,
    }
    add = AddCause(document, HEAD, "Nobody owns the runbook", category="Training")
    assert document.execute(add)
    assert counts()["Training"] == 4
    assert document.execute(EditCause(document, add.cause_id, category="SOPs"))
    assert (counts()["Training"], counts()["SOPs"]) == (3, 7)
    assert document.execute(MoveCause(document, add.cause_id, HEAD, category="Communication"))
    assert (counts()["SOPs"], counts()["Communication"]) == (6, 5)  # dropped on that bone
    assert document.execute(RemoveCause(document, add.cause_id))
    assert counts()["Communication"] == 4
    document.undo_stack.undo()
    assert counts()["Communication"] == 5
