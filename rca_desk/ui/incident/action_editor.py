"""The dialog that creates or edits one preventive action of an incident.

It is a form over the action's fields plus its lifecycle: the status section offers only
the moves the lifecycle allows from the current status, asks for the note where one is
required (a reason to cancel, the evidence that it worked), and lists the history. Every
change goes through the action commands, so it is undoable and written at once; when the
model refuses, the reason is shown in the dialog and nothing changes.

The dialog is not modal: the incident's undo stack may change the action underneath it, so
it follows the document's change notices (status and history always; the form only while it holds no
unsaved edits).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import (
    NOTE_REQUIRED,
    ActionStatus,
    PreventiveAction,
    RuleError,
    Strength,
    verification_choices,
)
from rca_desk.model.actions import VERIFICATION_OFFSETS, is_early
from rca_desk.ui.common.plain import (
    PlainTextEdit,
    ask,
    follow_text_direction,
    on_enter,
    tooltip,
)
from rca_desk.ui.common.tones import Tone, set_tone
from rca_desk.ui.document.action_commands import (
    ActionSteps,
    AddAction,
    ChangeStatus,
    EditAction,
    now,
)
from rca_desk.ui.document.cause_commands import DocumentCommand, short
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument

#: Days after today a new action's due date starts at, once a due date is wanted.
DEFAULT_DUE_DAYS = 30


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


#: The form's fields as the person sees them, for messages.
FIELD_NAMES = {
    "title": "the title",
    "root_causes": "the root causes",
    "owner": "the owner",
    "due": "the due date",
    "verify_on": "the verification date",
    "strength": "the strength",
    "metric": "the success measure",
    "target": "the target",
    "measured_result": "the measured result",
    "notes": "the notes",
}


class OptionalDate(QWidget):
    """A date that may be unset: a check box and a calendar date edit."""

    changed = Signal()

    def __init__(self, label: str, default: Callable[[], date], parent: QWidget | None = None):
        super().__init__(parent)
        self.default = default
        self.check = QCheckBox(label)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.changed.emit()

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.blockSignals(True)
        try:
            self.edit.setDate(to_qdate(value or self.default()))
            self.check.setChecked(value is not None)
            self.edit.setEnabled(value is not None)
        finally:
            self.blockSignals(False)


class ActionEditor(QDialog):
    """Create (``uid=None``) or edit one action of ``document``'s incident.

    Signals: ``saved(str)`` with the action's uid after a successful save or status change.
    """

    saved = Signal(str)

    #: verification choice kinds kept as combo data
    _NONE, _CUSTOM = "none", "custom"

    def __init__(
        self,
        document: IncidentDocument,
        *,
        uid: str | None = None,
        root_causes: Sequence[str] = (),
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.uid = uid
        self.today = today
        self._busy = False
        self._loading = False
        self._loaded: dict[str, Any] = {}
        self.setWindowTitle("Preventive action")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        set_tone(self.error, Tone.ERROR)
        self.error.setAccessibleName("Error")
        self.error.hide()

        # ------------------------------------------------------------ fields
        self.title = QLineEdit()
        self.title.setPlaceholderText(
            "What will be done, e.g. “Refresh staging from a masked production snapshot weekly”"
        )
        self.root_list = follow_text_direction(QListWidget())
        self.root_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.root_list.setMaximumHeight(120)
        self.root_list.setWordWrap(True)
        self.root_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.root_list.setToolTip("The root causes this action addresses (one or more)")
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("Who sees it through (a person, not a team)")
        owners = sorted({a.owner for a in document.incident.actions if a.owner}, key=str.casefold)
        completer = QCompleter(owners, self.owner)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.owner.setCompleter(completer)
        self.due = OptionalDate("Due by", lambda: self.today() + timedelta(days=DEFAULT_DUE_DAYS))
        self.strength = QComboBox()
        for strength in Strength:
            self.strength.addItem(strength.label.capitalize(), strength.value)
            self.strength.setItemData(
                self.strength.count() - 1, strength.examples, Qt.ItemDataRole.ToolTipRole
            )
        self.strength_help = QLabel()
        self.strength_help.setTextFormat(Qt.TextFormat.PlainText)
        self.strength_help.setWordWrap(True)
        set_tone(self.strength_help, Tone.HELP)
        self.metric_edit = QLineEdit()
        self.metric_edit.setPlaceholderText(
            "What is measured, e.g. restore drills passed per quarter"
        )
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("The value that means it worked, e.g. 0 failures")
        self.measured_edit = QLineEdit()
        self.measured_edit.setPlaceholderText(
            "The measure's value when checked, e.g. 0 failures in 60 days (needed to verify)"
        )
        self.verify_choice = QComboBox()
        self.verify_custom = QDateEdit()
        self.verify_custom.setCalendarPopup(True)
        self.verify_custom.setDisplayFormat("yyyy-MM-dd")
        self.verify_help = QLabel(
            "Implemented is not done: on this day someone checks the measure against the target."
        )
        self.verify_help.setTextFormat(Qt.TextFormat.PlainText)
        self.verify_help.setWordWrap(True)
        set_tone(self.verify_help, Tone.HELP)
        self.notes = PlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Context, links, decisions")
        self.notes.setMaximumHeight(70)

        verify = QHBoxLayout()
        verify.addWidget(self.verify_choice, 2)
        verify.addWidget(self.verify_custom, 1)
        strength_box = QVBoxLayout()
        strength_box.addWidget(self.strength)
        strength_box.addWidget(self.strength_help)
        verify_box = QVBoxLayout()
        verify_box.addLayout(verify)
        verify_box.addWidget(self.verify_help)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Action", self.title)
        form.addRow("Root causes", self.root_list)
        form.addRow("Owner", self.owner)
        form.addRow("Due date", self.due)
        form.addRow("Strength", strength_box)
        form.addRow("Success measure", self.metric_edit)
        form.addRow("Target", self.target_edit)
        form.addRow("Measured result", self.measured_edit)
        form.addRow("Verify effectiveness", verify_box)
        form.addRow("Notes", self.notes)

        # ------------------------------------------------------------ status
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.next_status = QComboBox()
        self.status_note = QLineEdit()
        self.note_label = QLabel("Note")
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        # Shown only when verifying before the verification date: the model wants a
        # reason, and asking for it here beats a refusal after the click.
        self.early_label = QLabel()
        self.early_label.setTextFormat(Qt.TextFormat.PlainText)
        self.early_note = QLineEdit()
        self.early_note.setPlaceholderText("Why it can be judged now, e.g. the audit was moved")
        self.change_button = QPushButton("Change status")
        self.change_button.clicked.connect(lambda: self.change_status())
        # Enter in a note means "record this change", never the dialog's Save (which
        # closed the dialog and dropped the note).
        on_enter(self.status_note, self._note_entered)
        on_enter(self.early_note, self._note_entered)
        self.history = follow_text_direction(QTreeWidget())
        self.history.setColumnCount(3)
        self.history.setHeaderLabels(["When", "Change", "Note"])
        self.history.setRootIsDecorated(False)
        self.history.setMaximumHeight(120)
        self.history.header().resizeSection(0, 130)
        self.history.header().resizeSection(1, 200)
        status_row = QHBoxLayout()
        status_row.addWidget(QLabel("Move to"))
        status_row.addWidget(self.next_status, 1)
        status_row.addWidget(self.note_label)
        status_row.addWidget(self.status_note, 2)
        status_row.addWidget(self.change_button)
        self.status_box = QGroupBox("Status")
        status_layout = QVBoxLayout(self.status_box)
        status_layout.addWidget(self.status_label)
        status_layout.addLayout(status_row)
        early_row = QHBoxLayout()
        early_row.addWidget(self.early_label)
        early_row.addWidget(self.early_note, 1)
        status_layout.addLayout(early_row)
        status_layout.addWidget(self.history)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.clicked.connect(self._button_clicked)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.status_box)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.strength.currentIndexChanged.connect(self._strength_changed)
        self.due.changed.connect(self._due_changed)
        self.verify_choice.currentIndexChanged.connect(self._verify_choice_changed)
        self.next_status.currentIndexChanged.connect(self._next_status_changed)
        # A new verification date can make the chosen move early, or no longer early.
        self.verify_choice.currentIndexChanged.connect(self._next_status_changed)
        self.verify_custom.dateChanged.connect(self._next_status_changed)
        document.changed.connect(self._document_changed)
        document.refused.connect(self._refused)

        self.resize(740, 720)
        self._load(initial_roots=list(root_causes))

    # ------------------------------------------------------------ reading
    @property
    def action(self) -> PreventiveAction | None:
        if self.uid is None:
            return None
        try:
            return self.document.incident.action(self.uid)
        except RuleError:
            return None

    def checked_root_causes(self) -> list[str]:
        out = []
        for i in range(self.root_list.count()):
            item = self.root_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def set_root_causes(self, cause_ids: Sequence[str]) -> None:
        wanted = set(cause_ids)
        for i in range(self.root_list.count()):
            item = self.root_list.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen_strength(self) -> Strength | None:
        # Combo data are plain strings: Qt turns a str-based enum into a QString.
        value = self.strength.currentData()
        return Strength(value) if value else None

    def chosen_next_status(self) -> ActionStatus | None:
        value = self.next_status.currentData()
        return ActionStatus(value) if value else None

    def verify_on(self) -> date | None:
        kind = self.verify_choice.currentData()
        if kind == self._NONE or kind is None:
            return None
        if kind == self._CUSTOM:
            return from_qdate(self.verify_custom.date())
        due = self.due.value()
        return due + timedelta(days=int(kind)) if due is not None else None

    def form_values(self) -> dict[str, Any]:
        return {
            "title": self.title.text().strip(),
            "root_causes": self.checked_root_causes(),
            "owner": self.owner.text().strip(),
            "due": self.due.value(),
            "verify_on": self.verify_on(),
            "strength": self.chosen_strength(),
            "metric": self.metric_edit.text().strip(),
            "target": self.target_edit.text().strip(),
            "measured_result": self.measured_edit.text().strip(),
            "notes": self.notes.toPlainText().strip(),
        }

    def pending_changes(self) -> dict[str, Any]:
        """The fields the person changed in the form (all of them when new).

        Measured against what the form was loaded with, not against the action as it is
        now: another window may have changed a field this person never touched, and
        saving must not write the form's older value back over it.
        """
        values = self.form_values()
        action = self.action
        if action is None:
            return values
        return {
            k: v
            for k, v in values.items()
            if v != self._loaded.get(k, getattr(action, k)) and getattr(action, k) != v
        }

    def changed_meanwhile(self, changes: dict[str, Any]) -> list[str]:
        """Fields in ``changes`` that another window changed since the form was loaded."""
        action = self.action
        if action is None:
            return []
        return [k for k in changes if k in self._loaded and getattr(action, k) != self._loaded[k]]

    def _refuse_overwrite(self, changes: dict[str, Any]) -> bool:
        """Say so, and show theirs, when saving would overwrite another window's edit."""
        clashes = self.changed_meanwhile(changes)
        if not clashes:
            return False
        names = ", ".join(FIELD_NAMES.get(k, k) for k in clashes)
        self.show_error(
            f"{names[0].upper()}{names[1:]} changed in another window while you were editing "
            "it; the form now shows theirs. Check it and save again."
        )
        mine = {k: v for k, v in changes.items() if k not in clashes}
        self._load()
        self._loading = True
        try:
            self._show_values({**self.form_values(), **mine})  # their fields, my other edits
        finally:
            self._loading = False
        return True

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    # ------------------------------------------------------------ loading
    def _fill_root_causes(self, checked: Sequence[str]) -> None:
        graph = self.document.graph
        wanted = set(checked)
        self.root_list.clear()
        for cause_id in graph.root_causes():
            cause = graph.cause(cause_id)
            item = QListWidgetItem(f"{cause.text}  ·  {cause.category}")
            item.setData(Qt.ItemDataRole.UserRole, cause_id)
            item.setToolTip(tooltip(cause.text))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if cause_id in wanted else Qt.CheckState.Unchecked
            )
            self.root_list.addItem(item)
        if not graph.root_causes():
            item = QListWidgetItem("No cause is marked as a root cause yet.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.root_list.addItem(item)

    def _load(self, *, initial_roots: Sequence[str] = ()) -> None:
        """Fill the form from the action (or blank, for a new one)."""
        self._loading = True
        try:
            action = self.action
            if action is None:
                self.uid = None
                roots = list(initial_roots)
                self._fill_root_causes(roots)
                self.title.clear()
                self.owner.clear()
                self.due.set_value(None)
                self.strength.setCurrentIndex(list(Strength).index(Strength.INTERMEDIATE))
                self.metric_edit.clear()
                self.target_edit.clear()
                self.measured_edit.clear()
                self.notes.clear()
                self._fill_verify_choices(None)
            else:
                self._show_values({name: getattr(action, name) for name in self.form_values()})
            self._strength_changed()
            self._update_heading()
            self._load_status()
        finally:
            self._loading = False
        self._loaded = self.form_values()

    def _show_values(self, values: dict[str, Any]) -> None:
        """Put ``values`` (as :meth:`form_values` returns them) into the form."""
        self._fill_root_causes(values["root_causes"])
        self.title.setText(values["title"])
        self.title.setCursorPosition(0)
        self.owner.setText(values["owner"])
        self.due.set_value(values["due"])
        self.strength.setCurrentIndex(list(Strength).index(values["strength"]))
        self.metric_edit.setText(values["metric"])
        self.metric_edit.setCursorPosition(0)
        self.target_edit.setText(values["target"])
        self.target_edit.setCursorPosition(0)
        self.measured_edit.setText(values["measured_result"])
        self.measured_edit.setCursorPosition(0)
        self.notes.setPlainText(values["notes"])
        self._fill_verify_choices(values["verify_on"])

    def _update_heading(self) -> None:
        action = self.action
        if action is None:
            self.setWindowTitle("New preventive action")
            roots = self.checked_root_causes()
            if len(roots) == 1:
                text = self.document.graph.cause(roots[0]).text
                self.heading.setText(f"New action for: {short(text, 90)}")
            else:
                self.heading.setText("New preventive action")
            save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
            save.setText("Create")
        else:
            number = f"#{action.number} " if action.number is not None else ""
            self.setWindowTitle(f"Action {number}— {short(action.title, 50)}")
            self.heading.setText(f"Action {number}· {action.status.label}")
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save")

    def _fill_verify_choices(self, verify_on: date | None) -> None:
        """Offer 30/60/90 days after the due date, plus a custom date and "not set"."""
        due = self.due.value()
        combo = self.verify_choice
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem("Not set", self._NONE)
            if due is not None:
                for days, day in zip(VERIFICATION_OFFSETS, verification_choices(due), strict=True):
                    combo.addItem(f"{days} days after due — {day.isoformat()}", days)
            combo.addItem("Custom date", self._CUSTOM)
            if verify_on is None:
                combo.setCurrentIndex(0)
            elif due is not None and (verify_on - due).days in VERIFICATION_OFFSETS:
                combo.setCurrentIndex(combo.findData((verify_on - due).days))
            else:
                combo.setCurrentIndex(combo.findData(self._CUSTOM))
            self.verify_custom.setDate(
                to_qdate(verify_on or (due or self.today()) + timedelta(days=30))
            )
        finally:
            combo.blockSignals(False)
        self._verify_choice_changed()

    def _load_status(self) -> None:
        action = self.action
        self.next_status.blockSignals(True)
        try:
            self.next_status.clear()
            self.history.clear()
            if action is None:
                self.status_label.setText(
                    "A new action starts as proposed. Create it, then commit to it here."
                )
                self.status_box.setEnabled(False)
                return
            self.status_box.setEnabled(True)
            allowed = action.allowed_next()
            text = f"Current status: {action.status.label}"
            if not allowed:
                text += " (final: no further changes)"
            self.status_label.setText(text)
            for status in allowed:
                self.next_status.addItem(status.label, status.value)
            for change in action.history:
                moved = (
                    f"created as {change.to_status.label}"
                    if change.from_status is None
                    else f"{change.from_status.label} → {change.to_status.label}"
                )
                item = QTreeWidgetItem([change.at.strftime("%Y-%m-%d %H:%M"), moved, change.note])
                item.setToolTip(2, tooltip(change.note))
                self.history.addTopLevelItem(item)
            for widget in (self.next_status, self.status_note, self.change_button):
                widget.setEnabled(bool(allowed))
        finally:
            self.next_status.blockSignals(False)
        self._next_status_changed()

    # ------------------------------------------------------------ reacting
    def _strength_changed(self, *_args: object) -> None:
        strength = self.chosen_strength()
        if strength is not None:
            self.strength_help.setText(f"{strength.label.capitalize()}: {strength.examples}.")

    def _due_changed(self) -> None:
        kind = self.verify_choice.currentData()
        custom = from_qdate(self.verify_custom.date()) if kind == self._CUSTOM else None
        due = self.due.value()
        self._fill_verify_choices(None)
        if kind == self._CUSTOM and custom is not None:
            self.verify_choice.setCurrentIndex(self.verify_choice.findData(self._CUSTOM))
            self.verify_custom.setDate(to_qdate(custom))
        elif isinstance(kind, int) and due is not None:
            self.verify_choice.setCurrentIndex(self.verify_choice.findData(kind))

    def _verify_choice_changed(self, *_args: object) -> None:
        self.verify_custom.setEnabled(self.verify_choice.currentData() == self._CUSTOM)

    def _next_status_changed(self, *_args: object) -> None:
        status = self.chosen_next_status()
        needed = NOTE_REQUIRED.get(status) if status is not None else None
        if needed:
            self.note_label.setText("Note (required)")
            self.status_note.setPlaceholderText(needed.capitalize())
            self.status_note.setToolTip(f"Required: {needed}")
        else:
            self.note_label.setText("Note")
            self.status_note.setPlaceholderText("Optional")
            self.status_note.setToolTip("")
        if status is not None:
            self.change_button.setText(f"Mark {status.label}")
        self._show_early(status)

    def _show_early(self, status: ActionStatus | None) -> None:
        """Ask why, when the chosen move verifies the action before its verification day."""
        action = self.action
        verify_on = self.verify_on() or (action.verify_on if action is not None else None)
        early = status is ActionStatus.VERIFIED_EFFECTIVE and is_early(verify_on, now())
        if early:
            assert verify_on is not None
            self.early_label.setText(f"Why verify before {verify_on.isoformat()}? (required)")
        self.early_label.setVisible(early)
        self.early_note.setVisible(early)

    def _actions_changed(self) -> None:
        dirty = self.form_values() != self._loaded
        if self.uid is not None and self.action is None:
            self.show_error(
                "This action no longer exists (it was deleted or its creation undone). "
                "Create will add it again."
            )
            self.uid = None
            self._load_status()
            self._update_heading()
            return
        if dirty:
            self._load_status()
            self._update_heading()
        else:
            self._load(initial_roots=self.checked_root_causes())

    def _document_changed(self, changes: Changes) -> None:
        if changes.graph:
            self._graph_changed()
        # Its own saves need no reload: the form already shows what it saved.
        if (changes.everything or changes.actions) and not changes.started_by(self):
            self._actions_changed()

    def _graph_changed(self) -> None:
        """Root causes may have been marked or unmarked: offer the current ones."""
        self._fill_root_causes(self.checked_root_causes())

    def _refused(self, message: str) -> None:
        if self._busy:  # only refusals of its own saves belong in its error line
            self.show_error(message)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # ------------------------------------------------------------ editing
    def _execute(self, command: DocumentCommand) -> bool:
        self._busy = True
        try:
            ok = self.document.execute(command, initiator=self)
        finally:
            self._busy = False
        return ok

    def _save_command(self) -> DocumentCommand | None:
        changes = self.pending_changes()
        if self.uid is None or self.action is None:
            return AddAction(self.document, **changes)
        if not changes:
            return None
        return EditAction(self.document, self.uid, **changes)

    def save(self) -> bool:
        """Create the action or write the edited fields; False (and the reason) if refused."""
        if self._refuse_overwrite(self.pending_changes()):
            return False
        command = self._save_command()
        if command is None:
            self.show_error("")
            return True
        if not self._execute(command):
            return False
        if isinstance(command, AddAction):
            self.uid = command.uid
        self.show_error("")
        self._load()
        assert self.uid is not None
        self.saved.emit(self.uid)
        return True

    def change_status(self, to: ActionStatus | None = None, note: str | None = None) -> bool:
        """Move the action to ``to`` (default: the chosen next status), saving edits first.

        Unsaved field edits and the status change are one undo step, and are refused
        together: committing needs the owner, dates and measure that may be in the form.
        """
        action = self.action
        if action is None or self.uid is None:
            self.show_error("Create the action before changing its status.")
            return False
        if to is None:
            to = self.chosen_next_status()
        if to is None:
            return False
        note = self.status_note.text() if note is None else note
        early = self.early_note.text() if self.early_note.isVisibleTo(self) else ""
        status = ChangeStatus(self.document, self.uid, to, note=note, early=early)
        changes = self.pending_changes()
        if self._refuse_overwrite(changes):
            return False
        command: DocumentCommand = status
        if changes:
            edit = EditAction(self.document, self.uid, **changes)
            command = ActionSteps(self.document, status.text(), [edit, status])
        if not self._execute(command):
            return False
        self.status_note.clear()
        self.early_note.clear()
        self.show_error("")
        self._load()
        self.saved.emit(self.uid)
        return True

    def _note_entered(self) -> None:
        if self.change_button.isEnabled():
            self.change_status()

    def pending_note(self) -> bool:
        """Whether a status note is typed but its change not made yet."""
        early = self.early_note.isVisibleTo(self) and self.early_note.text().strip()
        return bool(self.status_note.text().strip() or early)

    def is_dirty(self) -> bool:
        return self.form_values() != self._loaded or self.pending_note()

    def confirm_discard(self) -> bool:
        """Asked before unsaved changes are dropped; tests replace it."""
        return ask(self, "Discard changes?", "This action has unsaved changes. Discard them?")

    def reject(self) -> None:
        """Cancel, Escape and the close button: ask before dropping unsaved changes."""
        if self.is_dirty() and not self.confirm_discard():
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible() and self.is_dirty() and not self.confirm_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def _button_clicked(self, button: QAbstractButton) -> None:
        role = self.buttons.standardButton(button)
        if role == QDialogButtonBox.StandardButton.Save:
            if not self.save():
                return
            if self.pending_note():
                # The note waits for its status change: closing would drop it unseen.
                status = self.chosen_next_status()
                what = f"Mark {status.label}" if status is not None else "the status change"
                self.show_error(f"The note is not recorded yet: press {what} to record it.")
                return
            self.accept()
        elif role == QDialogButtonBox.StandardButton.Apply:
            self.save()
        else:
            self.reject()
