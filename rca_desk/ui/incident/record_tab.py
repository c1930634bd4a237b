"""The incident's record after the workshop (issue 15), in two tabs beside the diagrams.

**Record**: when the client's service was back to normal, the timeline of events, the
participants and the lessons learned: what both reports are written from.
**Follow-up**: the check-ins promised to the client, proposed from the cadence and the
resolved date, recorded when held, and the review meeting.

Every change is one undoable step, written through (see :class:`RecordTable` for the
tables); the dates and the lessons commit when their field is left, like the Incident tab.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import Cadence, Channel, CheckIn, CheckInState, Participant, TimelineEvent
from rca_desk.model.follow_ups import (
    MAX_PER_PHASE,
    check_in_state,
    planned_dates,
    proposed_review_meeting,
)
from rca_desk.model.incident import Record
from rca_desk.model.record import new_record_id
from rca_desk.ui.common.tones import Tone
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.document.record_commands import PutRecord, PutRecords
from rca_desk.ui.incident.action_editor import OptionalDate
from rca_desk.ui.incident.cause_inspector import CommitTextEdit
from rca_desk.ui.incident.fields_page import FieldsPage
from rca_desk.ui.incident.record_table import (
    Column,
    RecordTable,
    typed_date,
    typed_moment,
    typed_optional_date,
)

__all__ = ["FollowUpTab", "RecordTab"]


def _date_field(label: str, default: Callable[[], date]) -> OptionalDate:
    field = OptionalDate(label, default)
    field.edit.setMinimumWidth(130)
    field.setMaximumWidth(360)  # a date, not a line of text
    return field


# --------------------------------------------------------------------- Record
def _event(record: Record) -> TimelineEvent:
    assert isinstance(record, TimelineEvent)
    return record


def _person(record: Record) -> Participant:
    assert isinstance(record, Participant)
    return record


TIMELINE_COLUMNS = (
    Column(
        "When",
        lambda r: _event(r).at.isoformat(sep=" ", timespec="minutes"),
        lambda r, text: replace(_event(r), at=typed_moment(text, "An event's time")),
    ),
    Column(
        "What happened",
        lambda r: _event(r).what,
        lambda r, text: replace(_event(r), what=text),
        stretch=True,
    ),
    Column(
        "Source",
        lambda r: _event(r).source,
        lambda r, text: replace(_event(r), source=text),
    ),
)

PARTICIPANT_COLUMNS = (
    Column(
        "Name",
        lambda r: _person(r).name,
        lambda r, text: replace(_person(r), name=text),
        stretch=True,
    ),
    Column(
        "Role",
        lambda r: _person(r).role,
        lambda r, text: replace(_person(r), role=text),
        stretch=True,
    ),
)


class RecordTab(FieldsPage):
    """When the service was restored, the timeline, the participants, the lessons."""

    def __init__(
        self,
        document: IncidentDocument,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(document, parent)
        self.today = today

        self.resolved = _date_field("Service restored on", today)
        self.resolved.setToolTip(
            "The day the client's service was back to normal; check-ins count from it"
        )
        self.timeline = RecordTable(
            document,
            "timeline",
            TIMELINE_COLUMNS,
            self._new_event,
            title="Timeline",
            add_text="Add event",
            order=lambda r: _event(r).at,
        )
        self.participants = RecordTable(
            document,
            "participants",
            PARTICIPANT_COLUMNS,
            lambda: Participant(new_record_id("m"), "New participant"),
            title="Participants",
            add_text="Add participant",
        )
        self.lessons = CommitTextEdit()
        self.lessons.setTabChangesFocus(True)
        self.lessons.setPlaceholderText(
            "What the team learned: one lesson per line (the client's report keeps them)"
        )
        self.lessons.setMinimumHeight(70)
        self.lessons.setMaximumHeight(130)

        dates = QHBoxLayout()
        dates.addWidget(self.resolved)
        dates.addStretch(1)
        lessons_box = QGroupBox("Lessons learned")
        QVBoxLayout(lessons_box).addWidget(self.lessons)
        layout = QVBoxLayout(self.body)
        layout.addLayout(dates)
        layout.addWidget(self.timeline, 3)
        layout.addWidget(self.participants, 2)
        layout.addWidget(lessons_box, 1)

        self.resolved.check.toggled.connect(lambda _on: self._commit_resolved())
        self.resolved.edit.editingFinished.connect(self._commit_resolved)
        self.lessons.committed.connect(lambda text: self._edit(lessons=text.strip()))
        document.changed.connect(self._document_changed)
        self.load()

    def finish_editing(self) -> None:
        """Keep what is being typed: an open cell, the lessons, the date."""
        self.timeline.finish_editing()
        self.participants.finish_editing()
        if self.lessons.document().isModified():
            self.lessons.committed.emit(self.lessons.toPlainText())
        self._commit_resolved()

    def _new_event(self) -> TimelineEvent:
        """A new event just after the last one (or at the incident's time), to retype."""
        known = [e.at for e in self.document.incident.timeline]
        start = self.document.incident.occurred_at
        at = max(known) if known else start or datetime.combine(self.today(), time(9, 0))
        return TimelineEvent(new_record_id("e"), at.replace(tzinfo=None), "New event")

    def _document_changed(self, changes: Changes) -> None:
        if changes.everything or changes.incident & {"resolved_at", "lessons"}:
            self.load()

    def load(self) -> None:
        incident = self.document.incident
        self._loading = True
        try:
            self.resolved.set_value(incident.resolved_at)
            if self.lessons.toPlainText() != incident.lessons:
                self.lessons.setPlainText(incident.lessons)
        finally:
            self._loading = False

    def _commit_resolved(self) -> None:
        self._edit(resolved_at=self.resolved.value())


# ------------------------------------------------------------------- Follow-up
def _check_in(record: Record) -> CheckIn:
    assert isinstance(record, CheckIn)
    return record


_CHANNELS = {channel.label: channel for channel in Channel}
_STATE_TONES = {
    CheckInState.DUE: Tone.DUE_SOON,
    CheckInState.MISSED: Tone.OVERDUE,
    CheckInState.HELD: Tone.GOOD,
}


def _held(check_in: CheckIn) -> str:
    return check_in.held.isoformat() if check_in.held is not None else ""


def _channel(text: str) -> Channel:
    return _CHANNELS.get(text) or Channel(text.strip().lower())


def check_in_columns(today: Callable[[], date]) -> tuple[Column, ...]:
    """The check-ins' columns; the state is read on ``today``."""
    return (
        Column(
            "Planned",
            lambda r: _check_in(r).planned.isoformat(),
            lambda r, text: replace(
                _check_in(r), planned=typed_date(text, "A check-in's planned date")
            ),
        ),
        Column(
            "Held",
            lambda r: _held(_check_in(r)),
            lambda r, text: replace(
                _check_in(r), held=typed_optional_date(text, "A check-in's held date")
            ),
        ),
        Column(
            "State",
            lambda r: check_in_state(_check_in(r), today()).value,
            tone=lambda r: _STATE_TONES.get(check_in_state(_check_in(r), today())),
        ),
        Column(
            "Channel",
            lambda r: _check_in(r).channel.label,
            lambda r, text: replace(_check_in(r), channel=_channel(text)),
            choices=tuple(_CHANNELS),
        ),
        Column(
            "For us",
            lambda r: _check_in(r).ours,
            lambda r, text: replace(_check_in(r), ours=text),
        ),
        Column(
            "For the client",
            lambda r: _check_in(r).theirs,
            lambda r, text: replace(_check_in(r), theirs=text),
        ),
        Column(
            "Summary",
            lambda r: _check_in(r).summary.replace("\n", " "),
            stretch=True,
        ),
    )


class FollowUpTab(FieldsPage):
    """The check-ins with the client and the review meeting."""

    def __init__(
        self,
        document: IncidentDocument,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(document, parent)
        self.today = today

        self.review = _date_field("Review meeting on", self._review_default)
        self.propose_review = QPushButton("Propose")
        self.propose_review.setToolTip("Six weeks after the service was restored, on a weekday")
        self.spins = {name: QSpinBox() for name in ("weekly", "fortnightly", "quarterly")}
        for spin in self.spins.values():
            spin.setRange(0, MAX_PER_PHASE)
        self.propose_button = QPushButton("Propose check-ins")
        self.propose_button.setToolTip(
            "Plan the cadence's check-ins from the resolved date (those already planned "
            "on a date are kept)"
        )
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)

        self.check_ins = RecordTable(
            document,
            "check_ins",
            check_in_columns(today),
            self._new_check_in,
            title="Check-ins with the client",
            add_text="Add check-in",
            order=lambda r: (_check_in(r).planned, r.id),
        )
        self.held_button = QPushButton("Held today")
        self.held_button.setToolTip("Record the selected check-in as held today")
        self.check_ins.buttons.insertWidget(2, self.held_button)
        self.summary = CommitTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText("What was said: select a check-in, then type here")
        self.summary.setMaximumHeight(110)

        review_row = QHBoxLayout()
        review_row.addWidget(self.review)
        review_row.addWidget(self.propose_review)
        review_row.addStretch(1)
        cadence_row = QHBoxLayout()
        for label, name in (
            ("weekly", "weekly"),
            ("then every two weeks", "fortnightly"),
            ("then quarterly", "quarterly"),
        ):
            cadence_row.addWidget(self.spins[name])
            cadence_row.addWidget(QLabel(label))
        cadence_row.addStretch(1)
        cadence_row.addWidget(self.propose_button)
        form = QFormLayout()
        form.addRow("Review", review_row)
        form.addRow("Cadence", cadence_row)
        summary_box = QGroupBox("Summary of the selected check-in")
        QVBoxLayout(summary_box).addWidget(self.summary)
        layout = QVBoxLayout(self.body)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.check_ins, 1)
        layout.addWidget(summary_box)

        self.review.check.toggled.connect(lambda _on: self._commit_review())
        self.review.edit.editingFinished.connect(self._commit_review)
        self.propose_review.clicked.connect(self.propose_review_meeting)
        for spin in self.spins.values():
            spin.editingFinished.connect(self._commit_cadence)
        self.propose_button.clicked.connect(self.propose_check_ins)
        self.held_button.clicked.connect(self.mark_held)
        self.check_ins.selected.connect(lambda _id: self._show_summary())
        self.summary.committed.connect(self._commit_summary)
        document.changed.connect(self._document_changed)
        self.load()

    def finish_editing(self) -> None:
        """Keep what is being typed: an open cell, the summary, the dates, the cadence."""
        self.check_ins.finish_editing()
        if self.summary.document().isModified():
            self._commit_summary(self.summary.toPlainText())
        self._commit_review()
        self._commit_cadence()

    # ------------------------------------------------------------- loading
    def _review_default(self) -> date:
        resolved = self.document.incident.resolved_at
        return proposed_review_meeting(resolved) if resolved else self.today()

    def _document_changed(self, changes: Changes) -> None:
        if changes.everything or changes.incident & {"resolved_at", "review_meeting", "cadence"}:
            self.load()
        elif changes.touches("check_ins"):
            self._show_summary()

    def load(self) -> None:
        incident = self.document.incident
        self._loading = True
        try:
            self.review.set_value(incident.review_meeting)
            for name, spin in self.spins.items():
                spin.setValue(getattr(incident.cadence, name))
        finally:
            self._loading = False
        resolved = incident.resolved_at
        self.propose_button.setEnabled(resolved is not None)
        self.propose_review.setEnabled(resolved is not None)
        self.hint.setText(
            f"Check-ins count from {resolved.isoformat()}, when the service was restored. "
            "A check-in not held is due for a week after its day, then missed."
            if resolved
            else "Set the day the service was restored (Record tab) to plan check-ins "
            "from the cadence; you can also add them one by one."
        )
        self._show_summary()

    def _show_summary(self) -> None:
        current = self.check_ins.current()
        self.summary.setEnabled(current is not None)
        self.held_button.setEnabled(current is not None and _check_in(current).held is None)
        text = _check_in(current).summary if current is not None else ""
        if self.summary.toPlainText() != text:
            self.summary.setPlainText(text)

    # ------------------------------------------------------------- editing
    def _commit_review(self) -> None:
        self._edit(review_meeting=self.review.value())

    def _commit_cadence(self) -> None:
        self._edit(cadence=Cadence(**{name: s.value() for name, s in self.spins.items()}))

    def propose_review_meeting(self) -> None:
        resolved = self.document.incident.resolved_at
        if resolved is not None:
            self._edit(review_meeting=proposed_review_meeting(resolved))

    def propose_check_ins(self) -> None:
        """The cadence's dates from the resolved date, as planned check-ins (one undo
        step); a date that already has a check-in is left alone."""
        incident = self.document.incident
        if incident.resolved_at is None:
            return
        taken = {c.planned for c in incident.check_ins}
        new = [
            CheckIn(new_record_id("k"), planned=day)
            for day in planned_dates(incident.resolved_at, incident.cadence)
            if day not in taken
        ]
        if not new:
            self.document.refused.emit("Every date the cadence proposes is already planned.")
            return
        self.document.execute(
            PutRecords(self.document, "check_ins", new, f"Plan {len(new)} check-ins")
        )

    def mark_held(self) -> None:
        current = self.check_ins.current()
        if current is not None:
            held = replace(_check_in(current), held=self.today())
            self.document.execute(PutRecord(self.document, "check_ins", held))

    def _new_check_in(self) -> CheckIn:
        """A check-in a week after the last one planned (or from today)."""
        planned = [c.planned for c in self.document.incident.check_ins]
        start = max(planned) if planned else self.today()
        return CheckIn(new_record_id("k"), planned=date.fromordinal(start.toordinal() + 7))

    def _commit_summary(self, text: str) -> None:
        current = self.check_ins.current()
        if current is None or _check_in(current).summary == text.strip():
            return
        changed = replace(_check_in(current), summary=text.strip())
        if not self.document.execute(PutRecord(self.document, "check_ins", changed)):
            self._show_summary()
