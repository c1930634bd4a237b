"""The client's recovery (issue 16), typed into the Recovery tab by keyboard: each change
one undoable step, written through (a second connection reads it); an offer moves only
along its lifecycle; what the client reports at a check-in goes into one grid; the state
line and the chart follow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QComboBox, QTableWidget

from rca_desk.model import CheckIn, Incident
from rca_desk.model.recovery import (
    Confidence,
    Direction,
    MeasureValue,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
)
from rca_desk.store import Workspace
from rca_desk.ui.common.tones import Tone, tone
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.incident.recovery_tab import RecoveryTab
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY
from tests.ui.conftest import leave_presenting, shown_window, stored
from tests.ui.test_record_tabs import cell, type_into_cell

HELD = CheckIn("k1", date(2026, 11, 9), held=date(2026, 11, 9))
NEXT = CheckIn("k2", date(2026, 11, 16), held=date(2026, 11, 17))
ON_TIME = TrustMeasure("m1", "Reports on time", "%", 99)
LATE = TrustMeasure("m2", "Late reports", "per week", 1, Direction.LOWER)


@pytest.fixture
def window(qtbot, workspace: Workspace) -> Iterator[MainWindow]:
    workspace.add_incident(
        Incident(
            title="Payroll late",
            occurred_at=datetime(2026, 11, 2, 7, 40),
            resolved_at=date(2026, 11, 3),
            check_ins=[HELD, NEXT],
        )
    )
    win = shown_window(qtbot, workspace, (1500, 1000))
    yield win
    leave_presenting(win)


@pytest.fixture
def tab(window: MainWindow) -> IncidentTab:
    opened = window.open_incident(window.workspace.incidents()[0].id)
    opened.views.setCurrentWidget(opened.recovery)
    return opened


@pytest.fixture
def recovery(tab: IncidentTab) -> RecoveryTab:
    return tab.recovery


def pick(qtbot, table: QTableWidget, row: int, column: int, text: str) -> None:
    """F2 on a cell picked from a list, choose ``text``, Enter."""
    table.setFocus()
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    combo.setCurrentText(text)
    assert combo.currentText() == text, [combo.itemText(i) for i in range(combo.count())]
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableWidget.State.EditingState)
    qtbot.wait(20)


def choices(qtbot, table: QTableWidget, row: int, column: int) -> list[str]:
    table.setFocus()
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    listed = [combo.itemText(i) for i in range(combo.count())]
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    return listed


# ------------------------------------------------------------------ apology
def test_the_apology_is_typed_and_written_through(qtbot, tab: IncidentTab) -> None:
    page = tab.recovery
    qtbot.mouseClick(page.apology_on.check, Qt.MouseButton.LeftButton)
    page.apology_on.edit.setDate(QDate(2026, 11, 3))
    page.apology_by.setFocus()
    qtbot.keyClicks(page.apology_by, "  Sam Whitfield ")
    qtbot.keyClick(page.apology_by, Qt.Key.Key_Tab)
    page.apology_channel.setCurrentText("visit")
    page.apology_channel.activated.emit(page.apology_channel.currentIndex())
    kept = stored(tab.document).apology
    assert (kept.on, kept.by, kept.channel.value) == (date(2026, 11, 3), "Sam Whitfield", "visit")
    assert tab.document.undo_stack.undoText() == "Edit incident apology"
    tab.document.undo_stack.undo()
    assert stored(tab.document).apology.channel.value == "call"
    assert page.apology_channel.currentText() == "call"


# ------------------------------------------------------------------ restitution
def test_an_amount_makes_an_offer_a_credit_and_status_follows_the_lifecycle(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    table = tab.recovery.restitution.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QComboBox)  # the kind, picked from a list
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    (offer,) = stored(tab.document).restitution
    assert (offer.kind, offer.offered_on, offer.status) == (
        RestitutionKind.OTHER,
        TODAY,
        OfferStatus.OFFERED,
    )
    type_into_cell(qtbot, table, 0, 3, "6,400.50 eur")
    (offer,) = stored(tab.document).restitution
    assert (offer.kind, offer.amount, offer.currency) == (
        RestitutionKind.CREDIT,
        Decimal("6400.50"),
        "EUR",
    )
    assert cell(table, 0, 3) == "6,400.50 EUR"
    # Only the lifecycle's moves are offered: the client answers first.
    assert choices(qtbot, table, 0, 2) == ["offered", "accepted", "declined"]
    pick(qtbot, table, 0, 2, "accepted")
    assert choices(qtbot, table, 0, 2) == ["accepted", "delivered"]
    pick(qtbot, table, 0, 2, "delivered")
    assert stored(tab.document).restitution[0].status is OfferStatus.DELIVERED
    assert choices(qtbot, table, 0, 2) == ["delivered"]  # settled
    # A status typed off the lifecycle is refused in one line, the stored one shown again.
    table.item(0, 2).setText("offered")
    qtbot.wait(20)
    assert window.statusBar().currentMessage() == (
        "A restitution delivered cannot become offered; it is settled."
    )
    assert cell(table, 0, 2) == "delivered"
    tab.document.undo_stack.undo()
    assert stored(tab.document).restitution[0].status is OfferStatus.ACCEPTED


def test_a_credit_keeps_its_amount_and_another_kind_has_none(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    tab.document.put_record(
        "restitution", Restitution("r1", RestitutionKind.FREE_SERVICE, date(2026, 11, 5))
    )
    table = tab.recovery.restitution.table
    pick(qtbot, table, 0, 0, "credit")
    assert window.statusBar().currentMessage() == (
        "A credit needs its amount: type it in the Amount cell, like 6400 EUR."
    )
    assert stored(tab.document).restitution[0].kind is RestitutionKind.FREE_SERVICE
    type_into_cell(qtbot, table, 0, 3, "300")
    assert window.statusBar().currentMessage() == "Type the currency with the amount, like 300 EUR."
    type_into_cell(qtbot, table, 0, 3, "USD 300")
    pick(qtbot, table, 0, 0, "extended support")
    offer = stored(tab.document).restitution[0]
    assert (offer.kind, offer.amount, offer.currency) == (
        RestitutionKind.EXTENDED_SUPPORT,
        None,
        "",
    )


# ------------------------------------------------------------------ measures and values
def test_values_and_confidence_are_typed_per_check_in(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    tab.document.put_record("measures", ON_TIME)
    tab.document.put_record("measures", LATE)
    grid = tab.recovery.values.table
    assert [cell(grid, row, 0) for row in range(2)] == ["held 2026-11-09", "held 2026-11-17"]
    assert grid.horizontalHeaderItem(3).text() == "Reports on time\n≥ 99 %"
    assert grid.horizontalHeaderItem(4).text() == "Late reports\n≤ 1 per week"
    type_into_cell(qtbot, grid, 0, 3, "99,5 %")
    type_into_cell(qtbot, grid, 0, 4, "3")
    assert set(stored(tab.document).measure_values) == {
        MeasureValue("k1", "m1", 99.5),
        MeasureValue("k1", "m2", 3.0),
    }
    palette = grid.palette()
    assert grid.item(0, 3).foreground().color() == tone(Tone.GOOD, palette)
    assert grid.item(0, 4).foreground().color() == tone(Tone.OVERDUE, palette)
    # Words need a rating first; then both are kept together.
    type_into_cell(qtbot, grid, 1, 2, "Better")
    assert window.statusBar().currentMessage() == (
        "Give the client's confidence (1 to 5) first, then their words."
    )
    type_into_cell(qtbot, grid, 1, 1, "6")
    assert window.statusBar().currentMessage() == "Client confidence is 1 to 5, not 6."
    type_into_cell(qtbot, grid, 1, 1, "4")
    type_into_cell(qtbot, grid, 1, 2, "Better, keep it up")
    assert stored(tab.document).confidence == [Confidence("k2", 4, "Better, keep it up")]
    type_into_cell(qtbot, grid, 1, 3, "lots")
    assert window.statusBar().currentMessage() == (
        "Reports on time's value must be a number like 99.5, not 'lots'."
    )
    # Delete clears the selected cell (one undoable step).
    grid.setFocus()
    grid.setCurrentCell(0, 4)
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert [v.id for v in stored(tab.document).measure_values] == ["k1/m1"]
    tab.document.undo_stack.undo()
    assert len(stored(tab.document).measure_values) == 2


def test_removing_a_check_in_takes_its_values_along_in_one_undo_step(
    qtbot, tab: IncidentTab
) -> None:
    document = tab.document
    document.put_record("measures", ON_TIME)
    document.put_record("measure_values", MeasureValue("k1", "m1", 99.5))
    document.put_record("confidence", Confidence("k1", 4))
    follow = tab.follow_up
    tab.views.setCurrentWidget(follow)
    table = follow.check_ins.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    kept = stored(document)
    assert ([c.id for c in kept.check_ins], kept.measure_values, kept.confidence) == (
        ["k2"],
        [],
        [],
    )
    assert document.undo_stack.undoText() == "Remove check-in"
    document.undo_stack.undo()
    kept = stored(document)
    assert [c.id for c in kept.check_ins] == ["k1", "k2"]
    assert kept.measure_values == [MeasureValue("k1", "m1", 99.5)]
    assert kept.confidence == [Confidence("k1", 4)]


def test_a_measure_is_added_and_edited_in_its_table(qtbot, tab: IncidentTab) -> None:
    table = tab.recovery.measures.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Tickets reopened")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.document.incident.measures[0].name == "Tickets reopened")
    type_into_cell(qtbot, table, 0, 1, "per month")
    type_into_cell(qtbot, table, 0, 2, "2 per month")
    pick(qtbot, table, 0, 3, "lower is better")
    (measure,) = stored(tab.document).measures
    assert (measure.name, measure.unit, measure.target, measure.direction) == (
        "Tickets reopened",
        "per month",
        2.0,
        Direction.LOWER,
    )
    assert cell(table, 0, 4) == "no value yet"


# ------------------------------------------------------------------ state and chart
def test_the_state_line_says_restored_only_after_the_agreed_streak(
    qtbot, tab: IncidentTab, recovery: RecoveryTab
) -> None:
    document = tab.document
    assert recovery.state.text().startswith("Agree trust measures with the client")
    document.put_record("measures", ON_TIME)
    document.put_record("measure_values", MeasureValue("k1", "m1", 99.5))
    # The last check-in held has no value yet: nothing in a row counts.
    assert recovery.state.text() == "Not restored yet: 0 of 2 check-ins in a row on target."
    document.put_record("measure_values", MeasureValue("k2", "m1", 98))
    assert recovery.state.text().splitlines() == [
        "At risk:",
        "•  Reports on time is 98 %, off its target (at least 99 %)",
        "Not restored yet: 0 of 2 check-ins in a row on target.",
    ]
    document.put_record("measure_values", MeasureValue("k1", "m1", 97))
    document.put_record("measure_values", MeasureValue("k2", "m1", 99.9))
    assert recovery.state.text() == "Not restored yet: 1 of 2 check-ins in a row on target."
    document.put_record("measure_values", MeasureValue("k1", "m1", 99.5))
    assert recovery.state.text() == (
        "Restored: every measure met its target at the last 2 check-ins held."
    )
    spin = recovery.streak
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert spin.text() == "3 check-ins in a row"
    qtbot.keyClick(spin, Qt.Key.Key_Tab)
    assert stored(document).restore_streak == 3
    assert recovery.state.text() == "Not restored yet: 2 of 3 check-ins in a row on target."
    document.put_record("confidence", Confidence("k1", 4))
    document.put_record("confidence", Confidence("k2", 2))
    assert recovery.state.text().splitlines() == [
        "At risk:",
        "•  confidence fell from 4 to 2 of 5",
        "Not restored yet: 2 of 3 check-ins in a row on target.",
    ]


def test_the_chart_draws_each_value_against_its_target(
    qtbot, tab: IncidentTab, recovery: RecoveryTab
) -> None:
    document = tab.document
    document.put_record("measures", ON_TIME)
    document.put_record("measure_values", MeasureValue("k1", "m1", 98))
    document.put_record("measure_values", MeasureValue("k2", "m1", 100))
    chart = recovery.chart
    chart.repaint()
    ((plot, dots),) = chart.strips  # no rating yet: no confidence strip
    first, second = dots
    assert first.x() < second.x()  # the order held
    assert second.y() < first.y()  # higher value, higher up
    assert plot.top() <= second.y() <= first.y() <= plot.bottom()
    assert "Reports on time: 98 %, 100 % (target ≥ 99 %)" in chart.accessibleDescription()

    document.put_record("confidence", Confidence("k2", 3))
    chart.repaint()
    assert len(chart.strips) == 2


def test_a_value_typed_while_a_check_in_is_added_elsewhere_lands_on_its_check_in(
    qtbot, tab: IncidentTab
) -> None:
    document = tab.document
    document.put_record("measures", ON_TIME)
    grid = tab.recovery.values.table
    grid.setFocus()
    grid.setCurrentCell(1, 3)  # k2, held 2026-11-17
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "99.7")
    # Another window records an earlier check-in as held: k2's row moves down.
    document.put_record("check_ins", CheckIn("k0", date(2026, 11, 5), held=date(2026, 11, 5)))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(document.incident.measure_values))
    assert stored(document).measure_values == [MeasureValue("k2", "m1", 99.7)]
    qtbot.waitUntil(lambda: grid.rowCount() == 3)


# ------------------------------------------------------------------ a second reader's cases
def test_a_value_lands_on_its_measure_when_a_column_goes_while_it_is_typed(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    document = tab.document
    for measure in (ON_TIME, LATE, TrustMeasure("m3", "Tickets reopened", "", 2)):
        document.put_record("measures", measure)
    grid = tab.recovery.values.table
    grid.setFocus()
    grid.setCurrentCell(0, 4)  # k1, "Late reports" (m2)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "0")
    document.drop_record("measures", "m1")  # another window: the columns shift left
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(document.incident.measure_values))
    assert stored(document).measure_values == [MeasureValue("k1", "m2", 0.0)]
    # And a measure removed while its cell is typed is refused, not misplaced.
    grid.setFocus()
    grid.setCurrentCell(1, 4)  # k2, now "Tickets reopened" (m3)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "5")
    document.drop_record("measures", "m3")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(30)
    assert window.statusBar().currentMessage() == (
        "This trust measure was removed in another window a moment ago."
    )
    assert stored(document).measure_values == [MeasureValue("k1", "m2", 0.0)]


def test_a_measure_name_being_typed_survives_a_change_elsewhere(qtbot, tab: IncidentTab) -> None:
    document = tab.document
    document.put_record("measures", ON_TIME)
    table = tab.recovery.measures.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Invoices on time")
    document.put_record("measure_values", MeasureValue("k1", "m1", 99.5))  # elsewhere
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: document.incident.measures[0].name == "Invoices on time")
    assert stored(document).measures[0].name == "Invoices on time"
    qtbot.waitUntil(lambda: cell(table, 0, 4).startswith("99.5 on 2026-11-09"))


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("6400,50 EUR", Decimal("6400.50")),
        ("EUR 6,400.50", Decimal("6400.50")),
        ("6.400,50 EUR", Decimal("6400.50")),
        ("6,5 EUR", Decimal("6.5")),
        ("1,500 EUR", Decimal("1500")),
        ("0.125 BHD", Decimal("0.125")),
    ],
)
def test_an_amount_reads_commas_and_points_as_every_number_cell_does(
    qtbot, tab: IncidentTab, typed: str, amount: Decimal
) -> None:
    tab.document.put_record(
        "restitution", Restitution("r1", RestitutionKind.OTHER, date(2026, 11, 5))
    )
    table = tab.recovery.restitution.table
    type_into_cell(qtbot, table, 0, 3, typed)
    kept = stored(tab.document).restitution[0]
    assert kept.amount == amount
    assert cell(table, 0, 3) == f"{amount:,f} {kept.currency}"  # exactly as kept


def test_a_score_that_is_not_a_plain_digit_is_refused(
    qtbot, tab: IncidentTab, window: MainWindow
) -> None:
    grid = tab.recovery.values.table
    type_into_cell(qtbot, grid, 0, 1, "²")
    assert (
        window.statusBar().currentMessage()
        == "Client confidence is a whole number 1 to 5, not '²'."
    )
    assert cell(grid, 0, 1) == ""
    assert stored(tab.document).confidence == []


def test_the_apology_date_commits_once_when_left(qtbot, tab: IncidentTab) -> None:
    page = tab.recovery
    stack = tab.document.undo_stack
    qtbot.mouseClick(page.apology_on.check, Qt.MouseButton.LeftButton)
    steps = stack.count()
    page.apology_on.edit.setFocus()
    for _ in range(3):
        qtbot.keyClick(page.apology_on.edit, Qt.Key.Key_Down)
    assert stack.count() == steps  # arrows are not edits
    page.apology_by.setFocus()  # leaving the date commits it, once
    qtbot.waitUntil(lambda: stack.count() == steps + 1)
    assert stored(tab.document).apology.on == page.apology_on.value()


def test_a_measures_name_is_never_markup_in_a_tooltip(tab: IncidentTab) -> None:
    document = tab.document
    document.put_record("measures", TrustMeasure("m1", "<b>Uptime</b> <img src=x>", "%", 99))
    document.put_record("measure_values", MeasureValue("k1", "m1", 98))
    shown = QTextDocument()
    shown.setHtml(tab.recovery.values.table.item(0, 3).toolTip())  # as Qt renders it
    assert shown.toPlainText() == "<b>Uptime</b> <img src=x>: 98 % misses its target (≥ 99 %)"


def test_a_recovery_finding_opens_the_recovery_tab_on_its_record(qtbot, show_sample) -> None:
    tab = show_sample(1500, 1000)
    guidance = tab.guidance
    codes = [guidance.item(n).data(Qt.ItemDataRole.UserRole + 1) for n in range(guidance.count())]
    item = guidance.item(codes.index("restitution-not-delivered"))
    guidance.itemActivated.emit(item)
    assert tab.views.currentWidget() is tab.recovery
    assert tab.recovery.restitution.current_id() == "rs-1"  # the credit not yet delivered
