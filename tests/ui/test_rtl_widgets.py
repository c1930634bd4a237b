"""Right-to-left text starts at the right in the text boxes and lists that show user text.

QLabel and QLineEdit do this by themselves (checked here so a style change cannot undo it
unnoticed); QPlainTextEdit and item views do not, hence PlainTextEdit and
DirectionalDelegate. Every check reads the pixels of the drawn widget.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import Workspace
from rca_desk.ui.common.plain import PlainTextEdit, follow_text_direction
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.conftest import TODAY

HEBREW = "גיבוי נכשל"
ARABIC = "تعطل الخادم"
WIDTH = 400


def ink(widget: QWidget, top: int = 0, bottom: int | None = None) -> tuple[int, int]:
    """Leftmost and rightmost dark pixel inside the widget's frame (rows top to bottom)."""
    image = widget.grab().toImage()
    bottom = image.height() - 4 if bottom is None else bottom
    xs = [
        x
        for y in range(max(top, 4), bottom)
        for x in range(4, image.width() - 4)
        if QColor(image.pixel(x, y)).lightness() < 100
    ]
    assert xs, "nothing drawn"
    return min(xs), max(xs)


def shown(qtbot, widget: QWidget) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(WIDTH, 80)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def starts_right(span: tuple[int, int]) -> bool:
    return span[0] > WIDTH / 2 and span[1] > WIDTH - 40


def starts_left(span: tuple[int, int]) -> bool:
    return span[1] < WIDTH / 2 and span[0] < 40


def test_labels_and_line_edits_start_right_to_left_text_at_the_right(qtbot) -> None:
    for text in (HEBREW, ARABIC):
        assert starts_right(ink(shown(qtbot, QLabel(text))))
        assert starts_right(ink(shown(qtbot, QLineEdit(text))))
    assert starts_left(ink(shown(qtbot, QLabel("Backup failed"))))


def test_the_plain_text_box_follows_its_text(qtbot) -> None:
    box = shown(qtbot, PlainTextEdit(HEBREW))
    assert isinstance(box, PlainTextEdit)
    assert starts_right(ink(box))
    box.setPlainText("Backup failed")
    assert starts_left(ink(box))
    box.setPlainText(ARABIC + "\nDB 3")
    assert starts_right(ink(box))


def test_lists_and_tables_start_right_to_left_items_at_the_right(qtbot) -> None:
    hebrew_list = follow_text_direction(QListWidget())
    hebrew_list.addItem(HEBREW)
    assert starts_right(ink(shown(qtbot, hebrew_list)))
    english_list = follow_text_direction(QListWidget())
    english_list.addItem("Backup failed")
    assert starts_left(ink(shown(qtbot, english_list)))

    table = follow_text_direction(QTableWidget(1, 1))
    table.horizontalHeader().hide()
    table.verticalHeader().hide()
    table.setItem(0, 0, QTableWidgetItem(ARABIC))
    shown(qtbot, table)
    table.setColumnWidth(0, WIDTH - 10)
    assert starts_right(ink(table))


def test_the_cause_inspector_shows_a_hebrew_cause_from_the_right(
    qtbot, workspace: Workspace
) -> None:
    graph = CauseGraph(problem="Reports were late")
    node = graph.add_cause(HEAD, text=HEBREW, category="Technology")
    incident = Incident(title="Late", graph=graph)
    workspace.add_incident(incident)
    assert incident.id is not None
    tab = IncidentTab(IncidentDocument(workspace, workspace.load(incident.id)), today=lambda: TODAY)
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    qtbot.waitExposed(tab)
    tab.fishbone.set_current(node)
    box = tab.inspector.text_edit
    assert box.toPlainText() == HEBREW
    left, right = ink(box)
    assert left > box.width() / 2 and right > box.width() - 40
