"""The keyboard model a facilitator learns in a minute (issue 14): the arrows follow the
diagram's outline (parent, first child, siblings in reading order, mirrored where the
view is), Home is the problem, Ctrl+N is category bone N, E cycles the evidence and C
picks the category, all as QTest key presses on the canvas."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from rca_desk.layout.geometry import category_node
from rca_desk.layout.whys import question_node
from rca_desk.model import HEAD, Evidence
from rca_desk.render.diagram import View
from rca_desk.store import Workspace
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.canvas.navigation import Outline
from rca_desk.ui.incident.incident_tab import IncidentTab

CTRL = Qt.KeyboardModifier.ControlModifier
# The offscreen platform cannot raise or grab for the category picker's popup.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def tab(show_sample: Callable[[int, int], IncidentTab]) -> IncidentTab:
    return show_sample(1400, 900)


def press(qtbot, canvas: DiagramCanvas, *keys: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> str:
    for key in keys:
        qtbot.keyClick(canvas, key, mods)
    assert canvas.current is not None
    return canvas.current


def upper(canvas: DiagramCanvas, node: str) -> bool:
    return canvas.labels[node].label.rect.center[1] < 0


def test_home_and_ctrl_digits_reach_the_problem_and_every_bone(qtbot, tab: IncidentTab) -> None:
    canvas = tab.fishbone
    categories = tab.document.graph.categories
    for number, name in enumerate(categories, 1):
        digit = getattr(Qt.Key, f"Key_{number}")
        assert press(qtbot, canvas, digit, mods=CTRL) == category_node(name)
        assert press(qtbot, canvas, Qt.Key.Key_Home) == HEAD
    # A bone that does not exist leaves the selection where it was.
    beyond = getattr(Qt.Key, f"Key_{len(categories) + 1}")
    assert press(qtbot, canvas, beyond, mods=CTRL) == HEAD


def test_fishbone_arrows_follow_the_bones(qtbot, tab: IncidentTab) -> None:
    canvas = tab.fishbone
    graph = tab.document.graph
    first_category = category_node(graph.categories[0])
    # The head is on the right: Left goes out to the first bone, Right comes back.
    assert press(qtbot, canvas, Qt.Key.Key_Home, Qt.Key.Key_Left) == first_category
    assert press(qtbot, canvas, Qt.Key.Key_Right) == HEAD
    # Along the bones: Down/Up are the next/previous category whichever half.
    second = press(qtbot, canvas, Qt.Key.Key_Left, Qt.Key.Key_Down)
    assert second == category_node(graph.categories[1])
    assert press(qtbot, canvas, Qt.Key.Key_Up) == first_category

    # Out along the busiest bone to its first cause, then its siblings in list order.
    def on(name: str) -> list[str]:
        return [c for c in graph.children(HEAD) if graph.cause(c).category == name]

    busiest = max(graph.categories, key=lambda name: len(on(name)))
    number = graph.categories.index(busiest) + 1
    on_bone = on(busiest)
    assert len(on_bone) >= 2
    press(qtbot, canvas, getattr(Qt.Key, f"Key_{number}"), mods=CTRL)
    assert press(qtbot, canvas, Qt.Key.Key_Left) == on_bone[0]
    away = Qt.Key.Key_Up if upper(canvas, on_bone[0]) else Qt.Key.Key_Down
    toward = Qt.Key.Key_Down if away == Qt.Key.Key_Up else Qt.Key.Key_Up
    assert press(qtbot, canvas, away) == on_bone[1]  # outwards from the spine, on screen too
    assert press(qtbot, canvas, toward) == on_bone[0]
    assert press(qtbot, canvas, toward) == on_bone[0]  # the first stays first
    assert press(qtbot, canvas, Qt.Key.Key_Right) == category_node(busiest)
    # Deeper: Left is the first sub-cause, Right its parent again.
    deep = next(c for c in graph.children(HEAD) if graph.children(c))
    canvas.set_current(deep)
    assert press(qtbot, canvas, Qt.Key.Key_Left) == graph.children(deep)[0]
    assert press(qtbot, canvas, Qt.Key.Key_Right) == deep


def test_whys_arrows_read_left_to_right(qtbot, tab: IncidentTab) -> None:
    canvas = tab.whys
    tab.views.setCurrentWidget(canvas)
    graph = tab.document.graph
    firsts = list(graph.children(HEAD))
    assert press(qtbot, canvas, Qt.Key.Key_Home, Qt.Key.Key_Right) == firsts[0]
    assert press(qtbot, canvas, Qt.Key.Key_Down) == firsts[1]
    assert press(qtbot, canvas, Qt.Key.Key_Up) == firsts[0]
    assert press(qtbot, canvas, Qt.Key.Key_Left) == HEAD
    # Ctrl+N: the first answer filed under category N.
    name = graph.cause(firsts[1]).category
    number = graph.categories.index(name) + 1
    expected = next(c for c in firsts if graph.cause(c).category == name)
    assert press(qtbot, canvas, getattr(Qt.Key, f"Key_{number}"), mods=CTRL) == expected


def test_the_outline_ends_an_open_chain_in_its_question(sample_workspace: Workspace) -> None:
    incident = sample_workspace.load(sample_workspace.incidents()[0].id)
    graph = incident.graph
    leaf = next(
        c for c in graph.cause_ids() if not graph.children(c) and not graph.cause(c).root_cause
    )
    shown = {HEAD, *graph.cause_ids(), question_node(leaf)}
    outline = Outline(graph, View.WHYS, shown)
    assert outline.right(leaf) == question_node(leaf)
    assert outline.left(question_node(leaf)) == leaf
    fishbone = Outline(graph, View.FISHBONE, shown)
    first = graph.children(HEAD)[0]
    assert fishbone.right(first) == category_node(graph.cause(first).category)
    assert fishbone.right(category_node(graph.categories[0])) == HEAD
    assert fishbone.right(HEAD) is None and fishbone.up(HEAD) is None


def test_e_cycles_the_evidence_and_undo_takes_it_back(qtbot, tab: IncidentTab) -> None:
    canvas = tab.fishbone
    cause = tab.document.graph.children(HEAD)[0]
    canvas.set_current(cause)
    before = tab.document.graph.cause(cause).evidence
    order = list(Evidence)
    qtbot.keyClick(canvas, Qt.Key.Key_E)
    after = tab.document.graph.cause(cause).evidence
    assert after == order[(order.index(before) + 1) % len(order)]
    assert (
        tab.document.workspace.load(tab.document.incident.id).graph.cause(cause).evidence == after
    )
    qtbot.keyClick(canvas, Qt.Key.Key_E, Qt.KeyboardModifier.ShiftModifier)
    assert tab.document.graph.cause(cause).evidence == before
    qtbot.keyClick(canvas, Qt.Key.Key_E)
    tab.undo_action.trigger()
    assert tab.document.graph.cause(cause).evidence == before


def test_c_opens_the_category_picker_and_enter_picks(qtbot, tab: IncidentTab) -> None:
    canvas = tab.fishbone
    graph = tab.document.graph
    cause = graph.children(HEAD)[0]
    old = graph.cause(cause).category
    target = next(name for name in graph.categories if name != old)
    seen: list[list[str]] = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        seen.append([a.text() for a in menu.actions()])
        number = graph.categories.index(target) + 1
        qtbot.keyClick(menu, getattr(Qt.Key, f"Key_{number}"))  # the mnemonic picks it

    canvas.set_current(cause)
    QTimer.singleShot(50, choose)
    qtbot.keyClick(canvas, Qt.Key.Key_C)
    assert seen and len(seen[0]) == len(graph.categories)
    assert graph.cause(cause).category == target
    # Escape closes the picker and changes nothing.
    QTimer.singleShot(
        50, lambda: qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_Escape)
    )
    qtbot.keyClick(canvas, Qt.Key.Key_C)
    assert graph.cause(cause).category == target


@pytest.mark.parametrize("upper_half", [True, False])
def test_siblings_run_outwards_from_the_spine_in_either_half(
    sample_workspace: Workspace, upper_half: bool
) -> None:
    graph = sample_workspace.load(sample_workspace.incidents()[0].id).graph
    shown = {HEAD, *graph.cause_ids(), *(category_node(n) for n in graph.categories)}
    outline = Outline(graph, View.FISHBONE, shown, lambda _node: upper_half)
    name = max(graph.categories, key=lambda n: len(outline.children(category_node(n))))
    first, second = outline.children(category_node(name))[:2]
    outwards, inwards = (outline.up, outline.down) if upper_half else (outline.down, outline.up)
    assert outwards(first) == second and inwards(second) == first
    assert inwards(first) is None
    # Category bones keep reading order in either half.
    cats = [category_node(n) for n in graph.categories]
    assert outline.down(cats[0]) == cats[1] and outline.up(cats[1]) == cats[0]
