"""The new-incident dialog, filled in from the keyboard: it refuses a blank title with a
message, builds the incident with the chosen severity and category preset, and Escape
leaves without one."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from rca_desk.model import IncidentStatus, Severity
from rca_desk.store import Workspace
from rca_desk.ui.workspace.new_incident import NewIncidentDialog

SIX_M = ["Manpower", "Machine", "Method", "Material", "Measurement", "Mother Nature"]
SERVICE = ["SOPs", "Training", "Technology", "QC checkpoints", "Communication"]


@pytest.fixture
def dialog(qtbot) -> NewIncidentDialog:
    widget = NewIncidentDialog()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    return widget


def click_ok(qtbot, dialog: NewIncidentDialog) -> None:  # type: ignore[no-untyped-def]
    box = dialog.findChild(QDialogButtonBox)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_the_dialog_starts_empty_with_the_service_categories(dialog: NewIncidentDialog) -> None:
    assert dialog.windowTitle() == "New incident"
    assert dialog.title.text() == ""
    assert dialog.severity.currentText() == "medium"
    assert dialog.preset.currentText() == "Service (default)"
    assert [dialog.preset.itemText(i) for i in range(dialog.preset.count())] == [
        "Service (default)",
        "6M",
        "8P",
        "4S",
    ]
    assert dialog.error.text() == ""


@pytest.mark.parametrize("typed", ["", "   "])
def test_a_blank_title_is_refused_with_a_clear_message(
    qtbot, dialog: NewIncidentDialog, typed: str
) -> None:
    qtbot.keyClicks(dialog.title, typed)
    qtbot.keyClicks(dialog.problem, "Payroll file reached the client two days late")
    click_ok(qtbot, dialog)
    assert dialog.error.text() == "An incident title needs text; it cannot be empty."
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.result_incident is None
    # what was typed stays, so the person only adds the title
    assert dialog.problem.toPlainText() == "Payroll file reached the client two days late"
    qtbot.keyClicks(dialog.title, "Payroll late")
    click_ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_incident is not None
    assert dialog.result_incident.title == "Payroll late"


def test_it_makes_the_incident_as_typed(
    qtbot, dialog: NewIncidentDialog, workspace: Workspace
) -> None:
    qtbot.keyClicks(dialog.title, "  Payroll file late  ")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Tab)
    assert dialog.affected.hasFocus()
    qtbot.keyClicks(dialog.affected, "Acme payroll")
    qtbot.keyClick(dialog.affected, Qt.Key.Key_Tab)
    assert dialog.occurred.hasFocus()
    qtbot.keyClicks(dialog.occurred, "202611020640")  # year, month, day, hour, minute
    assert dialog.occurred.text() == "2026-11-02 06:40"
    qtbot.keyClicks(dialog.severity, "h")  # "high" by its first letter
    qtbot.keyClicks(dialog.problem, "Payroll file reached the client two days late")
    qtbot.keyClicks(dialog.preset, "6")  # "6M"
    assert (dialog.severity.currentText(), dialog.preset.currentText()) == ("high", "6M")
    click_ok(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    incident = dialog.result_incident
    assert incident is not None
    assert incident.title == "Payroll file late"
    assert incident.affected == "Acme payroll"
    assert incident.occurred_at == datetime(2026, 11, 2, 6, 40)
    assert incident.severity is Severity.HIGH
    assert incident.status is IncidentStatus.OPEN
    assert incident.graph.problem == "Payroll file reached the client two days late"
    assert incident.graph.categories == SIX_M
    assert len(incident.graph) == 0  # no causes yet
    # and it is a valid incident for the workspace, read back as made
    workspace.add_incident(incident)
    assert incident.id is not None
    with Workspace.open(workspace.path, create=False) as other:
        back = other.load(incident.id)
    assert (back.title, back.severity, back.graph.categories) == (
        "Payroll file late",
        Severity.HIGH,
        SIX_M,
    )


def test_the_problem_statement_defaults_to_the_title(qtbot, dialog: NewIncidentDialog) -> None:
    qtbot.keyClicks(dialog.title, "Invoice run doubled")
    click_ok(qtbot, dialog)
    incident = dialog.result_incident
    assert incident is not None
    assert incident.graph.problem == "Invoice run doubled"
    assert incident.graph.categories == SERVICE
    assert incident.severity is Severity.MEDIUM
    assert incident.occurred_at is not None and incident.occurred_at.second == 0


def test_escape_cancels(qtbot) -> None:
    dialog = NewIncidentDialog()
    qtbot.addWidget(dialog)

    def type_then_escape() -> None:
        qtbot.keyClicks(dialog.title, "Half a title")
        qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)

    QTimer.singleShot(0, type_then_escape)
    assert dialog.exec() == QDialog.DialogCode.Rejected
    assert dialog.result_incident is None


def test_enter_in_the_title_accepts(qtbot) -> None:
    dialog = NewIncidentDialog()
    qtbot.addWidget(dialog)

    def type_then_enter() -> None:
        qtbot.keyClicks(dialog.title, "Report mailed to the wrong client")
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)

    QTimer.singleShot(0, type_then_enter)
    assert dialog.exec() == QDialog.DialogCode.Accepted
    assert dialog.result_incident is not None
    assert dialog.result_incident.title == "Report mailed to the wrong client"


def test_enter_with_a_blank_title_keeps_the_dialog_open(qtbot) -> None:
    dialog = NewIncidentDialog()
    qtbot.addWidget(dialog)
    seen: list[str] = []

    def enter_then_escape() -> None:
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
        seen.append(dialog.error.text())
        seen.append("open" if dialog.isVisible() else "closed")
        qtbot.keyClick(dialog.title, Qt.Key.Key_Escape)

    QTimer.singleShot(0, enter_then_escape)
    assert dialog.exec() == QDialog.DialogCode.Rejected
    assert seen == ["An incident title needs text; it cannot be empty.", "open"]
