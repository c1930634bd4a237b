"""The incident form edits the incident's facts through undoable, written-through commands."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt

from rca_desk.model import Incident, Severity
from rca_desk.store import Workspace
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.incident_form import NOT_SET, IncidentForm


def make(qtbot, workspace: Workspace, incident: Incident) -> IncidentForm:
    workspace.add_incident(incident)
    form = IncidentForm(IncidentDocument(workspace, incident))
    qtbot.addWidget(form)
    return form


def stored(form: IncidentForm) -> Incident:
    with Workspace.open(form.document.workspace.path, create=False) as other:
        return other.load(form.document.incident.id or 0)


def test_fields_are_written_through_and_undoable(qtbot, workspace: Workspace) -> None:
    form = make(qtbot, workspace, Incident(title="Late payroll"))
    form.title.setText("Payroll file two days late")
    form.title.editingFinished.emit()
    form.severity.setCurrentIndex(list(Severity).index(Severity.CRITICAL))
    form.severity.activated.emit(form.severity.currentIndex())
    form.depth_box.setValue(7)
    form.depth_box.editingFinished.emit()
    seen = stored(form)
    assert (seen.title, seen.severity, seen.whys_depth) == (
        "Payroll file two days late",
        Severity.CRITICAL,
        7,
    )
    form.document.undo_stack.undo()
    assert stored(form).whys_depth == 5 and form.depth_box.value() == 5


def test_refused_value_is_put_back(qtbot, workspace: Workspace) -> None:
    form = make(qtbot, workspace, Incident(title="Late payroll"))
    messages: list[str] = []
    form.document.refused.connect(messages.append)
    form.title.setText("   ")
    form.title.editingFinished.emit()
    assert messages and form.title.text() == "Late payroll"
    assert stored(form).title == "Late payroll"


def test_an_unknown_date_stays_unknown(qtbot, workspace: Workspace) -> None:
    form = make(qtbot, workspace, Incident(title="When?"))
    assert form.occurred.dateTime() == NOT_SET and form.occurred.text() == "not set"
    form.occurred.editingFinished.emit()  # tabbing through the field changes nothing
    assert form.document.undo_stack.count() == 0 and stored(form).occurred_at is None
    form.occurred.setDateTime(QDateTime.fromString("2026-11-02T06:40", Qt.DateFormat.ISODate))
    form.occurred.editingFinished.emit()
    assert stored(form).occurred_at == datetime(2026, 11, 2, 6, 40)
