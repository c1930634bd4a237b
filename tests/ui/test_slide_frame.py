"""The canvas in the slide frame (issue 13): it shows what ``--page slide`` exports, fits
the 16:9 frame, keeps the layout when the window is resized, and keeps the chosen style
(so labels keep their shape and the head its place) while the facilitator edits."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt

from rca_desk.layout import framing
from rca_desk.model import HEAD
from rca_desk.render.diagram import View
from rca_desk.render.export import Format, export_bytes
from rca_desk.render.pages import Page
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.conftest import TODAY
from tests.ui.test_canvas import first_level, type_into_editor

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def tab(show_sample: Callable[[int, int], IncidentTab]) -> IncidentTab:
    return show_sample(1200, 800)


def cause_sizes(tab: IncidentTab) -> set[float]:
    assert tab.fishbone.diagram is not None
    return {
        label.block.size for label in tab.fishbone.diagram.labels.values() if label.kind == "cause"
    }


def test_the_frame_shows_the_slide_the_export_writes(qtbot, tab: IncidentTab) -> None:
    canvas = tab.fishbone
    assert len(cause_sizes(tab)) > 1  # the tight layout grades sizes by depth
    qtbot.keyClick(
        canvas,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert tab.slide_frame_action.isChecked() and canvas.frame == pytest.approx(16 / 9)
    assert len(cause_sizes(tab)) == 1
    # The same boxes, to the pixel, as the slide export of the same incident.
    svg = export_bytes(
        tab.document.incident, View.FISHBONE, Format.SVG, today=TODAY, page=Page.SLIDE
    )
    exported = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if group.get("class") == "cause":
            rect = group.find(f"{SVG}rect")
            assert rect is not None
            exported[group.get("data-node")] = float(rect.get("x", "nan"))
    assert canvas.diagram is not None
    on_canvas = {
        node: label.rect.x for node, label in canvas.diagram.labels.items() if label.kind == "cause"
    }
    assert on_canvas == pytest.approx(exported, abs=0.01)
    # Fitted to the 16:9 rectangle the slide shows, which holds the whole diagram.
    frame = canvas.slide_rect()
    assert frame is not None and frame.width() / frame.height() == pytest.approx(16 / 9)
    b = canvas.diagram.bounds
    assert frame.contains(b.x, b.y) and frame.contains(b.right, b.bottom)
    visible = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert visible.contains(frame.adjusted(1, 1, -1, -1))
    assert min(visible.width() / frame.width(), visible.height() / frame.height()) < 1.02


def test_resizing_fits_again_without_laying_out_again(qtbot, tab: IncidentTab) -> None:
    canvas = tab.fishbone
    tab.slide_frame_action.trigger()
    diagram = canvas.diagram
    zoom = canvas.zoom()
    tab.resize(800, 600)
    qtbot.waitUntil(lambda: canvas.zoom() < zoom * 0.9)
    assert canvas.diagram is diagram  # fitted again, not laid out again
    frame = canvas.slide_rect()
    assert frame is not None
    visible = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert visible.contains(frame.adjusted(1, 1, -1, -1))


def test_editing_in_the_frame_keeps_the_style_and_the_head(
    qtbot, tab: IncidentTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches: list[object] = []
    search = framing._search
    monkeypatch.setattr(framing, "_search", lambda *a: searches.append(a) or search(*a))
    canvas = tab.fishbone
    tab.slide_frame_action.trigger()
    assert len(searches) == 1  # chosen once, for the fishbone
    assert canvas.diagram is not None
    before = {node: label.block for node, label in canvas.diagram.labels.items()}
    head = canvas.diagram.labels[HEAD].rect
    canvas.set_current(first_level(tab))
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    type_into_editor(qtbot, canvas, "The dry run used last month's schema")
    after = canvas.diagram.labels
    assert len(after) == len(before) + 1
    # Every label wrapped as before: the style was not searched again.
    assert all(after[node].block == block for node, block in before.items())
    assert after[HEAD].rect == head
    assert len(searches) == 1
    # Out of the frame: the tight layout again, sizes graded by depth.
    tab.slide_frame_action.trigger()
    assert canvas.frame is None and len(cause_sizes(tab)) > 1
