"""The category rule (docs/categories.md) on screen: the fishbone canvas, the Incident
tab's category counts and the Actions review's Pareto chart.

One incident (tests/cross_category.py): a Methods cause and a Methods root cause below it
in a Machines chain.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rca_desk.layout.geometry import category_node
from rca_desk.render.diagram import View
from rca_desk.store import Workspace
from rca_desk.ui.document.cause_commands import EditCause
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.review.dashboard import Dashboard
from tests.conftest import TODAY
from tests.cross_category import (
    IN_MACHINES_CHAIN,
    MACHINES,
    METHODS,
    METHODS_TITLE,
    color,
    cross_category_incident,
)


@pytest.fixture
def tab(show_tab: Callable[..., IncidentTab], workspace: Workspace) -> IncidentTab:
    incident = cross_category_incident()
    workspace.add_incident(incident)
    return show_tab(workspace, incident, (1200, 800))


def shown_title(tab: IncidentTab, category: str) -> str:
    item = tab.fishbone.labels[category_node(category)]
    return " ".join(" ".join(item.label.block.lines).split())


def test_the_canvas_places_by_branch_colours_by_own_category_and_notes_the_title(
    tab: IncidentTab,
) -> None:
    canvas = tab.fishbone
    assert canvas.kind is View.FISHBONE
    diagram = canvas.diagram
    assert diagram is not None
    # Placed on the Machines bone: the lube rib starts on the press rib, which ends on
    # the Machines bone (the geometry itself is checked in tests/render).
    press = next(b for b in canvas.bones if b.bone.owner == "press").bone.segment
    lube = next(b for b in canvas.bones if b.bone.owner == "lube").bone.segment
    machines = next(b for b in canvas.bones if b.bone.owner == category_node(MACHINES))
    assert min(press.x1, press.x2) <= lube.x1 <= max(press.x1, press.x2)
    assert lube.y1 == pytest.approx(press.y1)
    assert machines.bone.kind == "category"
    # Coloured as Methods: the label items and their ribs.
    for cause_id in IN_MACHINES_CHAIN:
        assert canvas.labels[cause_id].decor.color == color(METHODS)
        rib = next(b for b in canvas.bones if b.bone.owner == cause_id)
        assert rib.color == color(METHODS)
    assert canvas.labels["press"].decor.color == color(MACHINES)
    # Referenced on the Methods title (and in its tool tip).
    assert shown_title(tab, METHODS) == METHODS_TITLE
    assert shown_title(tab, MACHINES) == MACHINES
    assert "(+2 on other bones)" in canvas.labels[category_node(METHODS)].toolTip()
    # The five whys keeps the colour too.
    assert tab.whys.labels["lube"].decor.color == color(METHODS)


def test_the_title_follows_edits_and_undo(tab: IncidentTab) -> None:
    document = tab.document
    assert document.execute(EditCause(document, "lube", category=MACHINES))
    assert shown_title(tab, METHODS) == "Methods (+1 on other bones)"
    assert tab.fishbone.labels["lube"].decor.color == color(MACHINES)
    assert tab.form.categories.item(1).text() == "Methods  (2)"
    tab.undo_action.trigger()
    assert shown_title(tab, METHODS) == METHODS_TITLE
    assert tab.form.categories.item(1).text() == "Methods  (3)"


def test_the_incident_tab_counts_by_own_category(tab: IncidentTab) -> None:
    rows = [tab.form.categories.item(i).text() for i in range(tab.form.categories.count())]
    assert rows == ["Machines  (1)", "Methods  (3)", "People  (1)"]


def test_the_pareto_counts_root_causes_by_own_category(qtbot, workspace: Workspace) -> None:
    workspace.add_incident(cross_category_incident())
    dashboard = Dashboard(workspace, today=lambda: TODAY)
    qtbot.addWidget(dashboard)
    # The Methods root cause in the Machines chain counts for Methods; Machines has none.
    assert [(bar.category, bar.count) for bar in dashboard.pareto.bars] == [
        ("Methods", 1),
        ("People", 1),
    ]
