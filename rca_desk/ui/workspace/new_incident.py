"""The dialog that starts a new incident: what happened, to whom, and the problem statement."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from rca_desk.model import PRESETS, CauseGraph, Incident, RcaError, Severity
from rca_desk.ui.common.plain import PlainTextEdit, enum_combo
from rca_desk.ui.common.tones import Tone, set_tone


class NewIncidentDialog(QDialog):
    """Asks for what an incident cannot start without: a title, and ideally the client,
    when it happened, severity, the problem statement (the fishbone's head) and a category
    preset.

    A dialog rather than an empty incident so the first diagram already has a head and
    bones. After :meth:`accept` the incident is in :attr:`result_incident`; a refusal is
    shown inside the dialog, which stays open. No signals beyond QDialog's.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New incident")
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Payroll file sent to the client two days late")
        self.affected = QLineEdit()
        self.affected.setPlaceholderText("Client or service affected")
        self.occurred = QDateTimeEdit(QDateTime.currentDateTime())
        self.occurred.setCalendarPopup(True)
        self.occurred.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.severity = enum_combo(Severity)
        self.severity.setCurrentIndex(list(Severity).index(Severity.MEDIUM))
        self.problem = PlainTextEdit()
        self.problem.setTabChangesFocus(True)
        self.problem.setPlaceholderText(
            "The problem as the client saw it: what, when, how much (the head of the fishbone)"
        )
        self.problem.setMaximumHeight(80)
        self.preset = QComboBox()
        self.preset.addItems(list(PRESETS))
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.error, Tone.ERROR)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Title", self.title)
        form.addRow("Client / service", self.affected)
        form.addRow("Occurred", self.occurred)
        form.addRow("Severity", self.severity)
        form.addRow("Problem statement", self.problem)
        form.addRow("Categories", self.preset)
        form.addRow(self.error)
        form.addRow(buttons)
        self.resize(520, 360)
        self.result_incident: Incident | None = None

    def build(self) -> Incident:
        """The incident as filled in; raises RcaError naming the first thing to fix."""
        problem = self.problem.toPlainText().strip() or self.title.text().strip()
        graph = CauseGraph(
            problem=problem or "Problem", categories=list(PRESETS[self.preset.currentText()])
        )
        occurred = self.occurred.dateTime().toPython()
        assert isinstance(occurred, datetime)
        occurred = occurred.replace(second=0, microsecond=0)
        return Incident(
            title=self.title.text(),
            graph=graph,
            affected=self.affected.text().strip(),
            occurred_at=occurred,
            severity=self.severity.currentData(),
        )

    def accept(self) -> None:
        try:
            self.result_incident = self.build()
        except RcaError as error:
            self.error.setText(str(error))
            return
        super().accept()
