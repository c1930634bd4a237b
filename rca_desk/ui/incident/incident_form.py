"""The incident's own facts (what happened, to whom, impact) and its category list.

Every field commits when it loses focus (or on Enter for single lines) through
:class:`EditIncident`, so it is undoable and written through like a diagram edit.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import PRESETS, Impact, IncidentStatus, Severity
from rca_desk.ui.common.optional_datetime import NOT_SET, OptionalDateTimeEdit
from rca_desk.ui.common.plain import enum_combo, follow_text_direction
from rca_desk.ui.document.cause_commands import RenameCategory, SetCategories
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.agenda_clock import AgendaClock
from rca_desk.ui.incident.agenda_editor import AgendaEditor
from rca_desk.ui.incident.cause_inspector import CommitTextEdit
from rca_desk.ui.incident.fields_page import FieldsPage


class IncidentForm(FieldsPage):
    """The incident's facts (title, client, when, severity, status, impact, containment,
    chain depth), its fishbone categories and its workshop agenda, edited in a tab beside
    the diagrams.

    These are what a report and the incident list show, so they are edited where the
    workshop happens, undoable and written through like any diagram edit. It follows the
    document; it has no signals of its own.
    """

    def __init__(
        self,
        document: IncidentDocument,
        clock: AgendaClock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(document, parent)

        self.title = QLineEdit()
        self.affected = QLineEdit()
        self.occurred = OptionalDateTimeEdit()
        self.severity = enum_combo(Severity)
        self.status = enum_combo(IncidentStatus)
        self.depth_box = QSpinBox()
        self.depth_box.setRange(1, 20)
        self.depth_box.setToolTip("How many whys a chain needs before it counts as deep enough")
        self.description = CommitTextEdit()
        self.containment = CommitTextEdit()
        self.impact = {
            name: CommitTextEdit()
            for name in ("operational", "financial", "reputational", "compliance")
        }
        for edit in (self.description, self.containment, *self.impact.values()):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(70)

        facts = QFormLayout()
        facts.addRow("Title", self.title)
        facts.addRow("Client / service", self.affected)
        facts.addRow("Occurred", self.occurred)
        facts.addRow("Severity", self.severity)
        facts.addRow("Status", self.status)
        facts.addRow("Five-whys depth", self.depth_box)
        facts.addRow("What happened", self.description)
        facts.addRow("Containment", self.containment)
        impact_box = QGroupBox("Impact on the client")
        impact_form = QFormLayout(impact_box)
        for name, edit in self.impact.items():
            impact_form.addRow(name.capitalize(), edit)

        self.categories = follow_text_direction(QListWidget())
        self.categories.setMaximumHeight(160)
        self.preset = QComboBox()
        self.preset.addItems(list(PRESETS))
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add…")
        self.rename_button = QPushButton("Rename…")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Up")
        self.down_button = QPushButton("Down")
        self.preset_button = QPushButton("Use preset")
        for button in (
            self.add_button,
            self.rename_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset, 1)
        preset_row.addWidget(self.preset_button)
        categories_box = QGroupBox("Fishbone categories")
        cat_layout = QVBoxLayout(categories_box)
        cat_layout.addWidget(self.categories)
        cat_layout.addLayout(buttons)
        cat_layout.addLayout(preset_row)
        hint = QLabel("A preset keeps categories still in use; remove or move their causes first.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        cat_layout.addWidget(hint)

        #: The workshop's steps and the timer (the tab's clock, shown in presentation too).
        self.agenda = AgendaEditor(document, clock or AgendaClock(document, parent=self))

        layout = QVBoxLayout(self.body)
        layout.addLayout(facts)
        layout.addWidget(impact_box)
        layout.addWidget(categories_box)
        layout.addWidget(self.agenda)
        layout.addStretch(1)

        self.title.editingFinished.connect(lambda: self._edit(title=self.title.text()))
        self.affected.editingFinished.connect(lambda: self._edit(affected=self.affected.text()))
        self.occurred.editingFinished.connect(self._commit_occurred)
        self.severity.activated.connect(lambda _i: self._edit(severity=self.severity.currentData()))
        self.status.activated.connect(lambda _i: self._edit(status=self.status.currentData()))
        self.depth_box.editingFinished.connect(
            lambda: self._edit(whys_depth=self.depth_box.value())
        )
        self.description.committed.connect(lambda text: self._edit(description=text.strip()))
        self.containment.committed.connect(lambda text: self._edit(containment=text.strip()))
        for edit in self.impact.values():
            edit.committed.connect(lambda _text: self._commit_impact())
        self.add_button.clicked.connect(self.add_category)
        self.rename_button.clicked.connect(self.rename_category)
        self.remove_button.clicked.connect(self.remove_category)
        self.up_button.clicked.connect(lambda: self.move_category(-1))
        self.down_button.clicked.connect(lambda: self.move_category(1))
        self.preset_button.clicked.connect(self.apply_preset)
        document.changed.connect(self._document_changed)
        self.load()

    # ------------------------------------------------------------- loading
    def _document_changed(self, changes: Changes) -> None:
        if changes.everything or changes.incident:
            self.load()
        elif changes.causes:
            # A cause added, removed or filed under another category changes the counts.
            self._loading = True
            try:
                self._load_categories()
            finally:
                self._loading = False

    def load(self) -> None:
        incident = self.document.incident
        self._loading = True
        try:
            self.title.setText(incident.title)
            self.affected.setText(incident.affected)
            if incident.occurred_at is None:
                self.occurred.setDateTime(NOT_SET)
            else:
                text = incident.occurred_at.isoformat(timespec="minutes")
                self.occurred.setDateTime(QDateTime.fromString(text, Qt.DateFormat.ISODate))
            self.severity.setCurrentIndex(list(Severity).index(incident.severity))
            self.status.setCurrentIndex(list(IncidentStatus).index(incident.status))
            self.depth_box.setValue(incident.whys_depth)
            self.description.setPlainText(incident.description)
            self.containment.setPlainText(incident.containment)
            for name, edit in self.impact.items():
                edit.setPlainText(getattr(incident.impact, name))
            self._load_categories()
        finally:
            self._loading = False

    def _load_categories(self) -> None:
        """The category list, each with how many causes it has. A cause counts for its
        own category, wherever it hangs in the fishbone (docs/categories.md, rule 4)."""
        graph = self.document.incident.graph
        row = self.categories.currentRow()
        self.categories.clear()
        usage = graph.category_usage()
        for name in graph.categories:
            self.categories.addItem(f"{name}  ({usage.get(name, 0)})")
        self.categories.setCurrentRow(min(max(row, 0), self.categories.count() - 1))

    # ------------------------------------------------------------- commits
    def _commit_occurred(self) -> None:
        if self.occurred.dateTime() == NOT_SET:
            self._edit(occurred_at=None)
            return
        value = self.occurred.dateTime().toPython()
        assert isinstance(value, datetime)
        self._edit(occurred_at=value.replace(second=0, microsecond=0))

    def _commit_impact(self) -> None:
        texts = {name: edit.toPlainText().strip() for name, edit in self.impact.items()}
        self._edit(impact=Impact(**texts))

    # ----------------------------------------------------------- categories
    def _names(self) -> list[str]:
        return list(self.document.graph.categories)

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def add_category(self) -> None:
        name = self.ask_text("Add category", "Name of the new category:")
        if name:
            self.document.execute(SetCategories(self.document, [*self._names(), name]))

    def rename_category(self) -> None:
        row = self.categories.currentRow()
        if row < 0:
            return
        old = self._names()[row]
        name = self.ask_text("Rename category", f"New name for {old}:", old)
        if name and name != old:
            self.document.execute(RenameCategory(self.document, old, name))

    def remove_category(self) -> None:
        row = self.categories.currentRow()
        if row >= 0:
            names = self._names()
            del names[row]
            self.document.execute(SetCategories(self.document, names))

    def move_category(self, step: int) -> None:
        row = self.categories.currentRow()
        names = self._names()
        if 0 <= row < len(names) and 0 <= row + step < len(names):
            names[row], names[row + step] = names[row + step], names[row]
            if self.document.execute(SetCategories(self.document, names)):
                self.categories.setCurrentRow(row + step)

    def apply_preset(self) -> None:
        preset = list(PRESETS[self.preset.currentText()])
        usage = self.document.graph.category_usage()
        kept = [name for name in self._names() if usage.get(name) and name not in preset]
        self.document.execute(SetCategories(self.document, preset + kept))
