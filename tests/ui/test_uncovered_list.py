"""The Actions tab's uncovered root causes keep a usable height (issue 14): in the workshop
the list collapsed to a strip a few pixels high, and no "Start action" button showed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.ui.document.cause_commands import EditCause
from rca_desk.ui.incident.action_editor import ActionEditor
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.workspace.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def workshop_tab(window: MainWindow, causes: int) -> IncidentTab:
    """An incident whose causes are not root causes yet, its Actions tab in front."""
    graph = CauseGraph(problem="Payroll file sent to the client two days late")
    for i in range(causes):
        category = graph.categories[i % len(graph.categories)]
        graph.add_cause(
            HEAD,
            text=f"Cause {i + 1}: the cut-off time for the payroll export is not written down "
            "anywhere the night shift looks",
            category=category,
        )
    incident_id = window.workspace.add_incident(Incident(title="Workshop", graph=graph))
    window.refresh()
    view = window.open_incident(incident_id)
    view.views.setCurrentWidget(view.actions_panel)
    return view


@pytest.mark.parametrize("size", [(1920, 1080), (1180, 760), (720, 480)])
@pytest.mark.parametrize("roots", [1, 3, 10])
def test_start_action_stays_in_sight_as_root_causes_are_marked(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int], roots: int
) -> None:
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    view = workshop_tab(window, 10)
    document = view.document
    panel = view.actions_panel
    # Marked one by one while the tab is on screen, as in the workshop.
    for cause_id in list(document.graph.cause_ids())[:roots]:
        assert document.execute(EditCause(document, cause_id, root_cause=True))
        qtbot.wait(1)
    first = panel.start_buttons[next(iter(document.graph.root_causes()))]
    qtbot.waitUntil(lambda: first.visibleRegion().boundingRect().height() == first.height())
    assert first.height() >= first.sizeHint().height()
    assert panel.uncovered_scroll.height() >= first.height()
    assert panel.table.height() >= 60  # the action list keeps a few rows too

    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    [editor] = panel.editors
    assert isinstance(editor, ActionEditor)
    assert editor.checked_root_causes() == [next(iter(document.graph.root_causes()))]
    editor.close()
