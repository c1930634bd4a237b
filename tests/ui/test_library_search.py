"""The library of lessons in the window (issue 16): the incident filter finds what the
search index finds, and Edit ▸ Search past incidents… opens a hit where it was found."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from rca_desk.model import HEAD, CauseGraph, Incident, PreventiveAction, TimelineEvent
from rca_desk.store import Workspace
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.workspace.library_search import LibrarySearch
from rca_desk.ui.workspace.main_window import MainWindow

# (the offscreen platform cannot raise a window or pass on size hints, and says so)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def titles(window: MainWindow) -> list[str]:
    proxy = window.incident_list.proxy
    return sorted(proxy.index(row, 1).data() for row in range(proxy.rowCount()))


@pytest.fixture
def library(workspace: Workspace) -> dict[str, int]:
    portal = CauseGraph(problem="Client portal refused every login")
    portal.add_cause(HEAD, text="Renewals are manual", category="SOPs", cause_id="c1")
    portal.add_cause(
        "c1", text="The TLS certificate expired", category="SOPs", root_cause=True, cause_id="c2"
    )
    sales = CauseGraph(problem="Quarter-end report missing a day")
    sales.add_cause(
        HEAD,
        text="Nobody owns refreshing staging",
        category="SOPs",
        root_cause=True,
        cause_id="r1",
    )
    sales_incident = Incident(title="Sales <b>history</b> lost", graph=sales)
    sales_incident.add_action(
        PreventiveAction(title="Automate the staging refresh", root_causes=["r1"], uid="act-1")
    )
    sales_incident.put_record(
        "timeline",
        TimelineEvent(id="ev1", at=datetime(2026, 3, 1, 8, 0), what="Pager went off at dawn"),
    )
    ids = workspace.add_incidents(
        [Incident(title="Portal down for a morning", graph=portal), sales_incident]
    )
    return {"portal": ids[0], "sales": ids[1]}


# ----------------------------------------------------------------------- the filter
def test_the_filter_finds_an_incident_by_its_root_cause(
    window: MainWindow, library: dict[str, int], qtbot
) -> None:
    window.refresh()
    edit = window.incident_list.filter_edit
    qtbot.keyClicks(edit, "certificate")
    # at once the shown columns: no title says "certificate"
    assert titles(window) == []
    # once typing pauses, the search index: the root cause says it
    qtbot.waitUntil(lambda: titles(window) == ["Portal down for a morning"])
    edit.clear()
    assert titles(window) == ["Portal down for a morning", "Sales <b>history</b> lost"]
    qtbot.keyClicks(edit, "owner staging")  # "owner" finds "owns", through the synonyms
    qtbot.waitUntil(lambda: titles(window) == ["Sales <b>history</b> lost"])
    edit.clear()
    qtbot.keyClicks(edit, "certificate pager")  # every word must be in the incident
    qtbot.wait(400)
    assert titles(window) == []


def test_the_chosen_incident_comes_back_selected_when_the_index_finds_it(
    window: MainWindow, library: dict[str, int], qtbot
) -> None:
    window.refresh()
    listing = window.incident_list
    listing.select_incident(library["portal"])
    qtbot.keyClicks(listing.filter_edit, "certificate")
    qtbot.waitUntil(lambda: titles(window) == ["Portal down for a morning"])
    assert listing.selected_id() == library["portal"]
    assert "Portal down for a morning" in listing.details.toPlainText()
    listing.filter_edit.clear()
    qtbot.keyClicks(listing.filter_edit, "staging")  # only the other incident
    qtbot.waitUntil(lambda: titles(window) == ["Sales <b>history</b> lost"])
    assert listing.selected_id() == library["sales"]  # rows listed: never blank details
    listing.filter_edit.clear()
    assert listing.selected_id() == library["sales"]


def test_the_filter_still_matches_titles_and_follows_edits(
    window: MainWindow, workspace: Workspace, library: dict[str, int], qtbot
) -> None:
    window.refresh()
    qtbot.keyClicks(window.incident_list.filter_edit, "morn")  # part of a title word
    assert titles(window) == ["Portal down for a morning"]
    window.incident_list.filter_edit.clear()
    qtbot.keyClicks(window.incident_list.filter_edit, "ledger")
    qtbot.wait(400)
    assert titles(window) == []
    sales = workspace.load(library["sales"])
    sales.update_cause("r1", text="Nobody owns the ledger export")
    workspace.save_cause(sales, "r1")
    window.refresh()  # (what the window does when another window wrote)
    assert titles(window) == ["Sales <b>history</b> lost"]


# ----------------------------------------------------------------------- the dialog
def test_opening_a_cause_hit_selects_the_cause_on_the_diagram(
    window: MainWindow, library: dict[str, int], qtbot
) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.search_library_action.trigger()
    dialog = window.library_search
    assert isinstance(dialog, LibrarySearch) and dialog.isVisible()
    hits = dialog.search("certificates expire")
    assert [(h.incident_id, h.kind, h.ref) for h in hits] == [(library["portal"], "cause", "c2")]
    item = dialog.results.topLevelItem(0)
    assert item is not None
    assert [item.text(n) for n in range(3)] == [
        f"{library['portal']} · Portal down for a morning",
        "Root cause",
        "The TLS [certificate] [expired]",
    ]
    dialog.results.setFocus()
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    tab = window.tabs.currentWidget()
    assert isinstance(tab, IncidentTab)
    assert tab.document.incident.id == library["portal"]
    assert isinstance(tab.views.currentWidget(), DiagramCanvas)
    assert tab.view().current == "c2"
    assert tab.inspector.isEnabled()
    assert len(window.open_views) == 1  # Enter opened it once
    dialog.close()


def test_the_key_opens_the_search_from_an_open_diagram(
    window: MainWindow, library: dict[str, int], qtbot
) -> None:
    """Ctrl+Shift+L, not Ctrl+Shift+F: that is the canvas's slide frame, and a shortcut
    two actions share fires neither."""
    window.show()
    qtbot.waitExposed(window)
    tab = window.open_incident(library["portal"])
    canvas = tab.view()
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    qtbot.keyClick(
        canvas,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.library_search is not None and window.library_search.isVisible()
    assert not tab.slide_frame_action.isChecked()
    window.library_search.close()


def test_opening_other_hits_goes_where_they_were_found(
    window: MainWindow, library: dict[str, int], qtbot
) -> None:
    dialog = window.show_library_search()
    (hit,) = [h for h in dialog.search("automate") if h.kind == "action"]
    tab = window.open_search_hit(hit)
    assert tab is not None
    assert tab.views.currentWidget() is tab.actions_panel
    assert tab.actions_panel.selected_uid() == "act-1"

    (hit,) = dialog.search("pager")
    assert hit.kind == "timeline"
    tab = window.open_search_hit(hit)
    assert tab is not None and tab.views.currentWidget() is tab.record
    assert tab.record.timeline.current_id() == "ev1"  # the event itself, selected

    (hit,) = dialog.search("quarter")
    assert (hit.kind, hit.ref) == ("problem", HEAD)
    tab = window.open_search_hit(hit)
    assert tab is not None and tab.view().current == HEAD
    dialog.close()


def test_the_dialog_shows_user_text_as_plain_text(
    window: MainWindow, library: dict[str, int], qtbot
) -> None:
    dialog = window.show_library_search()
    hits = dialog.search("history")
    assert [(h.kind, h.snippet) for h in hits] == [("title", "Sales <b>[history]</b> lost")]
    item = dialog.results.topLevelItem(0)
    assert item is not None and item.text(0).endswith("Sales <b>history</b> lost")
    assert item.text(2) == "Sales <b>[history]</b> lost"
    # query syntax is only words; nothing to look for is said, not searched
    assert dialog.search('"NEAR(certificate*') and dialog.status.text().startswith("1 match")
    assert dialog.search("the of") == []
    assert dialog.status.text() == "Nothing to search for: those words are all too common."
    assert dialog.search("zebra") == []
    assert dialog.status.text() == "No past incident matches."
    dialog.close()
