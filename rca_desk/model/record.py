"""The incident's record beyond the diagram: the timeline, the people, the check-ins.

After the workshop two documents are written: the analysis the team keeps, and the
account the client receives. Both need what happened and when (the **timeline**), who
took part (the **participants**) and what was promised to the client afterwards (the
**check-ins**, see :mod:`rca_desk.model.follow_ups`). Each is a list of small records
with an id, so two people adding events at once never collide, an edit is one row, and
undo puts a record back at its place.

Records are frozen values: an edit replaces the record with the same id
(:meth:`Incident.put_record`), so the old value is what undo writes back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from rca_desk.model.cause_graph import MAX_TEXT_LENGTH, check_cause_id, clean_text
from rca_desk.model.errors import RuleError
from rca_desk.model.text import typed

__all__ = [
    "MAX_NAME_LENGTH",
    "Participant",
    "TimelineEvent",
    "checked_event",
    "checked_participant",
    "new_record_id",
    "one_line",
]

#: A person's name, a role or a source fits one line of a table.
MAX_NAME_LENGTH = 200


def new_record_id(prefix: str) -> str:
    """A random id (``prefix`` says the kind when one is read in a file or a log)."""
    return prefix + uuid.uuid4().hex[:16]


def one_line(value: object, *, what: str, limit: int = MAX_NAME_LENGTH, required: bool) -> str:
    """A short text as kept: one line (white space runs made one space), within ``limit``,
    and not blank when ``required``."""
    if not isinstance(value, str):
        raise RuleError(f"{what} must be text.")
    text = " ".join(typed(value, what=what).split())
    if required and not text:
        raise RuleError(f"{what} needs text; it cannot be empty.")
    if len(text) > limit:
        raise RuleError(f"{what} is longer than {limit} characters.")
    return text


@dataclass(frozen=True)
class TimelineEvent:
    """Something that happened, when, and how the team knows (a ticket, a log, a call)."""

    id: str
    at: datetime
    what: str
    source: str = ""


@dataclass(frozen=True)
class Participant:
    """Someone who took part in the analysis, and their role in it or in the service."""

    id: str
    name: str
    role: str = ""


def checked_event(event: TimelineEvent) -> TimelineEvent:
    """``event`` as kept: a valid id, a date and time, the text cleaned as a cause's."""
    if not isinstance(event.at, datetime):
        raise RuleError("A timeline event needs a date and time.")
    return TimelineEvent(
        id=check_cause_id(event.id),
        at=event.at.replace(microsecond=0),
        what=clean_text(event.what, what="A timeline event"),
        source=one_line(event.source, what="A timeline event's source", required=False),
    )


def checked_participant(person: Participant) -> Participant:
    """``person`` as kept: a valid id, a name, a role on one line."""
    return Participant(
        id=check_cause_id(person.id),
        name=one_line(person.name, what="A participant's name", required=True),
        role=one_line(person.role, what="A participant's role", required=False),
    )


#: The longest text a record holds (a check-in's summary): as an incident's description.
MAX_RECORD_TEXT = MAX_TEXT_LENGTH * 5
