"""Driving the canvas with the keyboard and the mouse, as a facilitator would."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from rca_desk.model import HEAD
from rca_desk.render.diagram import View, build_diagram
from rca_desk.render.metrics import QtMetrics
from rca_desk.store import Workspace
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.document.cause_commands import EditCause
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.conftest import TODAY


@pytest.fixture
def incident_view(show_sample: Callable[[int, int], IncidentTab]) -> IncidentTab:
    return show_sample(1200, 800)


def stored_graph(view: IncidentTab):  # type: ignore[no-untyped-def]
    document = view.document
    with Workspace.open(document.workspace.path, create=False) as other:
        assert document.incident.id is not None
        return other.load(document.incident.id).graph


def type_into_editor(qtbot, canvas: DiagramCanvas, text: str) -> None:
    assert canvas.editor is not None, "no in-place editor opened"
    qtbot.keyClicks(canvas.editor, text)
    qtbot.keyClick(canvas.editor, Qt.Key.Key_Return)
    assert canvas.editor is None


def first_level(view: IncidentTab) -> str:
    return view.document.graph.children(HEAD)[0]


def test_enter_adds_a_sibling_written_through_and_undoable(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    graph = incident_view.document.graph
    cause = first_level(incident_view)
    canvas.set_current(cause)
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    type_into_editor(qtbot, canvas, "Release checklist had no data step")
    siblings = graph.children(HEAD)
    new = siblings[siblings.index(cause) + 1]
    assert graph.cause(new).text == "Release checklist had no data step"
    assert graph.cause(new).category == graph.cause(cause).category
    assert stored_graph(incident_view).cause(new).text == "Release checklist had no data step"
    assert canvas.current == new and new in canvas.labels
    incident_view.undo_action.trigger()
    assert new not in graph and new not in canvas.labels
    assert new not in stored_graph(incident_view)
    incident_view.redo_action.trigger()
    assert new in stored_graph(incident_view) and new in canvas.labels


def test_escape_cancels_the_new_cause(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    count = len(incident_view.document.graph)
    canvas.set_current(first_level(incident_view))
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert canvas.editor is not None
    qtbot.keyClicks(canvas.editor, "half a thought")
    qtbot.keyClick(canvas.editor, Qt.Key.Key_Escape)
    assert canvas.editor is None
    assert len(incident_view.document.graph) == count
    assert incident_view.document.undo_stack.count() == 0


def test_tab_asks_why_and_shows_in_both_views(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    graph = incident_view.document.graph
    cause = first_level(incident_view)
    canvas.set_current(cause)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    type_into_editor(qtbot, canvas, "Because the deadline moved")
    child = graph.children(cause)[-1]
    assert graph.cause(child).text == "Because the deadline moved"
    assert child in incident_view.whys.labels  # the other view saw it at once
    assert stored_graph(incident_view).parent(child) == cause


def test_tab_on_a_category_adds_a_first_level_cause_there(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    graph = incident_view.document.graph
    canvas.set_current("category:Training")
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    type_into_editor(qtbot, canvas, "No refresher course")
    new = graph.children(HEAD)[-1]
    assert graph.cause(new).category == "Training"


def test_f2_renames_in_place(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    cause = first_level(incident_view)
    canvas.set_current(cause)
    qtbot.keyClick(canvas, Qt.Key.Key_F2)
    assert canvas.editor is not None
    canvas.editor.selectAll()
    type_into_editor(qtbot, canvas, "Renamed on the canvas")
    assert incident_view.document.graph.cause(cause).text == "Renamed on the canvas"
    assert stored_graph(incident_view).cause(cause).text == "Renamed on the canvas"
    label = canvas.labels[cause].label
    assert " ".join(label.block.lines).replace("  ", " ").startswith("Renamed")


def test_delete_removes_subtree_and_undo_brings_it_back(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    graph = incident_view.document.graph
    addressed = {c for a in incident_view.document.incident.actions for c in a.root_causes}
    target = next(c for c in graph.cause_ids() if not set(graph.subtree(c)) & addressed)
    canvas.set_current(target)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    type_into_editor(qtbot, canvas, "sub-cause to delete too")
    subtree = graph.subtree(target)
    canvas.set_current(target)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert not set(subtree) & set(graph.cause_ids())
    assert not set(subtree) & set(canvas.labels)
    assert not set(subtree) & set(stored_graph(incident_view).cause_ids())
    incident_view.undo_action.trigger()
    assert set(subtree) <= set(stored_graph(incident_view).cause_ids())
    assert set(subtree) <= set(canvas.labels)


def test_delete_of_an_addressed_root_cause_is_refused_with_a_message(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    root = incident_view.document.incident.actions[0].root_causes[0]
    canvas.set_current(root)
    with qtbot.waitSignal(incident_view.message) as blocker:
        qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert "action" in blocker.args[0]
    assert root in incident_view.document.graph


def test_arrow_keys_move_the_selection(qtbot, incident_view) -> None:
    canvas = incident_view.whys
    incident_view.views.setCurrentWidget(canvas)
    canvas.set_current(HEAD)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    first = canvas.current
    assert first is not None and first != HEAD
    assert incident_view.document.graph.parent(first) == HEAD  # next column: a first why
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert canvas.current not in (None, first)
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert canvas.current == HEAD


def test_ctrl_r_marks_a_root_cause(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    graph = incident_view.document.graph
    cause = next(c for c in graph.cause_ids() if not graph.cause(c).root_cause)
    canvas.set_current(cause)
    canvas.setFocus()
    incident_view.root_action.trigger()
    assert graph.cause(cause).root_cause
    assert canvas.labels[cause].decor.root_cause
    assert stored_graph(incident_view).cause(cause).root_cause
    incident_view.undo_action.trigger()
    assert not graph.cause(cause).root_cause


def test_category_picker_changes_the_category(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    cause = first_level(incident_view)
    canvas.set_current(cause)
    box = incident_view.category_box
    target = next(
        c
        for c in incident_view.document.graph.categories
        if c != incident_view.document.graph.cause(cause).category
    )
    box.setCurrentText(target)
    box.activated.emit(box.currentIndex())
    assert incident_view.document.graph.cause(cause).category == target
    assert stored_graph(incident_view).cause(cause).category == target


def _centre(canvas: DiagramCanvas, node: str) -> QPoint:
    x, y = canvas.labels[node].label.rect.center
    return canvas.mapFromScene(x, y)


def test_drag_a_cause_onto_another_category(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    graph = incident_view.document.graph
    cause = next(c for c in graph.children(HEAD) if graph.cause(c).category != "Communication")
    canvas.fit()
    QApplication.processEvents()
    start, end = _centre(canvas, cause), _centre(canvas, "category:Communication")
    qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas.viewport(), start + QPoint(10, 10))
    qtbot.mouseMove(canvas.viewport(), end)
    qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert graph.cause(cause).category == "Communication"
    assert graph.parent(cause) == HEAD
    assert stored_graph(incident_view).cause(cause).category == "Communication"


def test_drag_a_cause_under_another_cause(qtbot, incident_view) -> None:
    canvas = incident_view.whys
    incident_view.views.setCurrentWidget(canvas)
    graph = incident_view.document.graph
    a, b = graph.children(HEAD)[:2]
    canvas.fit()
    QApplication.processEvents()
    start, end = _centre(canvas, b), _centre(canvas, a)
    qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas.viewport(), start + QPoint(10, 10))
    qtbot.mouseMove(canvas.viewport(), end)
    qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert graph.parent(b) == a
    assert stored_graph(incident_view).parent(b) == a


def test_layout_updates_in_place(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    head_rect = canvas.labels[HEAD].label.rect
    items = dict(canvas.labels)
    canvas.set_current(first_level(incident_view))
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    type_into_editor(qtbot, canvas, "One more why")
    # Same item objects for the nodes that were there; the head did not move.
    assert all(canvas.labels[node] is item for node, item in items.items())
    assert canvas.labels[HEAD].label.rect == head_rect


def test_zoom_and_fit(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    canvas.reset_zoom()
    incident_view.zoom_in_action.trigger()
    assert canvas.zoom() == pytest.approx(1.25)
    incident_view.zoom_out_action.trigger()
    assert canvas.zoom() == pytest.approx(1.0)
    incident_view.fit_action.trigger()
    assert canvas.diagram is not None
    b = canvas.diagram.bounds
    visible = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert visible.contains(b.x + b.w / 2, b.y + b.h / 2)
    assert visible.width() >= b.w * 0.99 or visible.height() >= b.h * 0.99


def test_selection_follows_between_views(qtbot, incident_view) -> None:
    cause = first_level(incident_view)
    incident_view.fishbone.set_current(cause)
    incident_view.views.setCurrentWidget(incident_view.whys)
    assert incident_view.whys.current == cause
    assert incident_view.whys.kind is View.WHYS


def test_start_action_from_a_root_cause_on_the_diagram(qtbot, incident_view) -> None:
    graph = incident_view.document.graph
    root = graph.root_causes()[0]
    incident_view.fishbone.set_current(root)
    assert incident_view.start_action_action.isEnabled()
    incident_view.start_action_action.trigger()
    editors = incident_view.actions_panel.editors
    assert editors and editors[-1].isVisible()
    for editor in editors:
        editor.close()
    plain = next(c for c in graph.cause_ids() if not graph.cause(c).root_cause)
    incident_view.fishbone.set_current(plain)
    assert not incident_view.start_action_action.isEnabled()


def test_guidance_lists_findings_and_follows_edits(qtbot, incident_view) -> None:
    from rca_desk.model import FindingKind
    from rca_desk.ui.incident.incident_tab import KIND_ROLE

    guidance = incident_view.guidance

    def items() -> list:
        return [guidance.item(i) for i in range(guidance.count())]

    # The room reads sentences: no internal codes in the text, the kind is the tooltip.
    assert not any(item.text().startswith(tuple(k.value for k in FindingKind)) for item in items())
    shallow = next(
        i
        for i in items()
        if i.data(KIND_ROLE) == FindingKind.SHALLOW_CHAIN.value
        and i.text().startswith("chain stops")  # an open chain, not a root cause found early
    )
    assert shallow.toolTip() == "Chain of whys stops early"
    assert shallow.text().startswith("chain stops")
    cause = shallow.data(Qt.ItemDataRole.UserRole)
    guidance.itemClicked.emit(shallow)
    canvas = incident_view.view()
    assert canvas.current == cause
    # Marking that leaf as a root cause does not close a short chain...
    incident_view.root_action.trigger()
    found = {(i.data(Qt.ItemDataRole.UserRole), i.data(KIND_ROLE)) for i in items()}
    assert (cause, FindingKind.SHALLOW_CHAIN) in found
    assert (cause, FindingKind.UNCOVERED_ROOT_CAUSE) in found
    # ...recording why the team stops asking there does.
    document = incident_view.document
    assert document.execute(EditCause(document, cause, stop_reason="The bank's own process"))
    found = {(i.data(Qt.ItemDataRole.UserRole), i.data(KIND_ROLE)) for i in items()}
    assert (cause, FindingKind.SHALLOW_CHAIN) not in found
    assert (cause, FindingKind.UNCOVERED_ROOT_CAUSE) in found


def test_whys_view_ask_why_branch_and_root_cause_show_in_the_fishbone(qtbot, incident_view) -> None:
    whys, fishbone = incident_view.whys, incident_view.fishbone
    incident_view.views.setCurrentWidget(whys)
    graph = incident_view.document.graph
    open_leaf = next(
        c for c in graph.leaves() if not graph.cause(c).root_cause and f"?{c}" in whys.labels
    )
    # "Ask why" on the open question itself continues that chain.
    whys.set_current(f"?{open_leaf}")
    qtbot.keyClick(whys, Qt.Key.Key_Tab)
    type_into_editor(qtbot, whys, "Deadline set by sales, not by release readiness")
    answer = graph.children(open_leaf)[0]
    assert f"?{open_leaf}" not in whys.labels and f"?{answer}" in whys.labels
    # Branch: a second answer to the same why.
    qtbot.keyClick(whys, Qt.Key.Key_Return)
    type_into_editor(qtbot, whys, "No release calendar shared with sales")
    second = graph.children(open_leaf)[1]
    assert whys.current == second
    # Mark the second answer as the root cause; its open question goes away.
    incident_view.root_action.trigger()
    assert graph.cause(second).root_cause and f"?{second}" not in whys.labels
    # The fishbone shows all of it, root-cause marker included.
    assert {answer, second} <= set(fishbone.labels)
    assert fishbone.labels[second].decor.root_cause
    assert stored_graph(incident_view).cause(second).root_cause


def test_clicking_elsewhere_or_asking_again_keeps_the_typed_text(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    graph = incident_view.document.graph
    cause = first_level(incident_view)
    canvas.set_current(cause)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    qtbot.keyClicks(canvas.editor, "Kept by a click elsewhere")
    other = graph.children(HEAD)[1]
    canvas.fit()
    QApplication.processEvents()
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=_centre(canvas, other))
    assert "Kept by a click elsewhere" in [graph.cause(c).text for c in graph.children(cause)]
    assert canvas.current == other
    # The toolbar's "Ask why" takes no focus; a second ask keeps the first answer too.
    incident_view.ask_why_action.trigger()
    qtbot.keyClicks(canvas.editor, "First answer")
    incident_view.ask_why_action.trigger()
    assert "First answer" in [graph.cause(c).text for c in graph.children(other)]
    canvas.close_editor()


def test_inspector_keeps_typing_across_other_edits(qtbot, incident_view) -> None:
    canvas = incident_view.fishbone
    graph = incident_view.document.graph
    cause = next(c for c in graph.cause_ids() if not graph.cause(c).root_cause)
    canvas.set_current(cause)
    note = incident_view.inspector.note
    note.setFocus()
    qtbot.keyClicks(note, "Seen in the deploy log")
    incident_view.root_action.trigger()  # another edit of the same cause meanwhile
    assert "Seen in the deploy log" in note.toPlainText()
    note.committed.emit(note.toPlainText())
    assert "Seen in the deploy log" in graph.cause(cause).evidence_note
    incident_view.undo_action.trigger()  # undo the note: the box follows the model again
    assert note.toPlainText() == graph.cause(cause).evidence_note
    # Emptying the text is refused and the box shows the cause's text again.
    text = incident_view.inspector.text_edit
    text.setPlainText("")
    text.document().setModified(True)
    text.committed.emit("")
    assert text.toPlainText() == graph.cause(cause).text != ""


def test_both_canvases_show_the_links_and_marks_the_exports_draw(qtbot, incident_view) -> None:
    """Issue 13: the fishbone's "also contributes to" links were on no screen and no file."""
    links = incident_view.document.incident.graph.links()
    assert links
    for canvas in (incident_view.fishbone, incident_view.whys):
        shown = [item.bone for item in canvas.bones if item.bone.kind == "contributes"]
        assert {bone.owner for bone in shown} == {cause for _, cause in links}
        exported = build_diagram(
            incident_view.document.incident, canvas.kind, QtMetrics(), today=TODAY
        )
        assert shown == exported.links()
        assert canvas.diagram is not None
        assert canvas.diagram.evidence_marks() == exported.evidence_marks()
        assert canvas.diagram.badges() == exported.badges()
    # The label items paint the marks: a verified cause's mark is inked on screen.
    canvas = incident_view.fishbone
    assert canvas.diagram is not None
    mark = next(m for m in canvas.diagram.evidence_marks() if m.evidence.value == "verified")
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.translate(20 - mark.cx, 20 - mark.cy)
    item = canvas.labels[mark.node]
    item.paint(painter, None)  # type: ignore[arg-type]
    painter.end()
    assert image.pixelColor(20, 20).lightness() < 90
