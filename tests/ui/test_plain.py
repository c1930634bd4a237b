"""User text never turns into markup in tool tips or message boxes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QMessageBox

from rca_desk.model import HEAD
from rca_desk.render.diagram import View
from rca_desk.store import Workspace
from rca_desk.ui.canvas.diagram_canvas import DiagramCanvas
from rca_desk.ui.common.plain import message_box, tooltip
from rca_desk.ui.document.cause_commands import EditCause
from rca_desk.ui.document.incident_document import IncidentDocument
from tests.conftest import TODAY

NASTY = '<b>bold</b> <img src="x"> & <a href="y">link</a>\nsecond line'


def shown(markup: str) -> str:
    """What a person sees when Qt renders ``markup`` as rich text."""
    document = QTextDocument()
    document.setHtml(markup)
    return document.toPlainText()


def test_tooltip_shows_the_text_exactly(qapp) -> None:
    assert shown(tooltip(NASTY)) == NASTY


def test_message_boxes_are_plain_text(qapp) -> None:
    box = message_box(None, QMessageBox.Icon.Warning, "t", NASTY)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == NASTY


def test_canvas_tooltips_escape_cause_text(qtbot, sample_workspace: Workspace) -> None:
    incident_id = sample_workspace.incidents()[0].id
    document = IncidentDocument(sample_workspace, sample_workspace.load(incident_id))
    canvas = DiagramCanvas(document, View.FISHBONE, today=lambda: TODAY)
    qtbot.addWidget(canvas)
    cause = document.graph.children(HEAD)[0]
    document.execute(EditCause(document, cause, text=NASTY))
    assert shown(canvas.labels[cause].toolTip()).startswith(NASTY.replace("\n", " "))
