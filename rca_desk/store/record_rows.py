"""The incident's records as rows (schema 1.4): how each kind is stored and read back.

Each kind of :data:`rca_desk.model.incident.RECORD_KINDS` (the timeline, the participants,
the check-ins) has a table of its own, keyed by the incident and the record's id, with
the record's place in its list and its revision, like a parked idea. The record's fields
are columns of the same names, in the same order: dates as ISO text, the channel as its
value, text as it is. The row code (:mod:`.incident_rows`) and the salvage
(:mod:`.damage`) both go through :data:`RECORD_TABLES`, so the three kinds share one way
of being written and read, and a kind added later is one entry here (and its table in
the schema).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from rca_desk.model import CheckIn, Participant, TimelineEvent
from rca_desk.model.incident import RECORD_KINDS, Record

__all__ = ["RECORD_TABLES", "Column", "RecordTable", "stored"]

#: How a column's stored value is read: text, an ISO date (or NULL), an ISO date and time,
#: or a check-in's channel (a :class:`~rca_desk.model.Channel` value).
TEXT, DAY, MOMENT, CHANNEL = "text", "day", "moment", "channel"


@dataclass(frozen=True)
class Column:
    """One field of a record and the column that holds it."""

    name: str
    #: :data:`TEXT`, :data:`DAY`, :data:`MOMENT` or :data:`CHANNEL`.
    kind: str
    #: The value as a reason names it ("the check-in's planned date 'soon' is not a date").
    what: str


@dataclass(frozen=True)
class RecordTable:
    """Where one kind of record is stored, and its columns after ``id``."""

    kind: str
    table: str
    make: type[Any]
    columns: tuple[Column, ...]

    @property
    def noun(self) -> str:
        """What one record is called in a refusal ("timeline event")."""
        return RECORD_KINDS[self.kind][1]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def select(self, where: str) -> str:
        """The rows ``where`` says, each as ``incident_id, id, <columns>, rev``, in each
        incident's list order."""
        return (
            f"SELECT incident_id, id, {', '.join(self.names)}, rev FROM {self.table} "
            f"WHERE {where} ORDER BY incident_id, position, id"
        )

    def upsert(self) -> str:
        """Insert one row, or update the one with its key in place.

        In place, never deleted and inserted again: rows of a later table may hang on a
        record's key (a check-in's trust measures), and a delete would take them along.
        """
        columns = ("incident_id", "id", "position", *self.names, "rev")
        updated = ("position", *self.names, "rev")
        return (
            f"INSERT INTO {self.table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))}) ON CONFLICT (incident_id, id) DO UPDATE "
            f"SET {', '.join(f'{name} = excluded.{name}' for name in updated)}"
        )

    def row(self, incident_id: int, position: int, record: Record, rev: int) -> tuple[Any, ...]:
        """The values :meth:`upsert` takes for ``record`` at ``position``."""
        own = (stored(getattr(record, name)) for name in self.names)
        return (incident_id, record.id, position, *own, rev)

    def record(
        self, record_id: object, values: Sequence[object], read: Callable[[Column, object], object]
    ) -> Record:
        """The record from its stored id and ``values`` (in :attr:`columns` order), each
        value read by ``read(column, value)``: strictly by the row code, leniently by the
        salvage."""
        fields = {
            column.name: read(column, value)
            for column, value in zip(self.columns, values, strict=True)
        }
        made: Record = self.make(id=record_id, **fields)
        return made


def stored(value: object) -> object:
    """A record's value as a column holds it: dates as ISO text, a choice as its value."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


RECORD_TABLES: dict[str, RecordTable] = {
    "timeline": RecordTable(
        "timeline",
        "timeline_events",
        TimelineEvent,
        (
            Column("at", MOMENT, "timeline event's time"),
            Column("what", TEXT, "timeline event's text"),
            Column("source", TEXT, "timeline event's source"),
        ),
    ),
    "participants": RecordTable(
        "participants",
        "participants",
        Participant,
        (
            Column("name", TEXT, "participant's name"),
            Column("role", TEXT, "participant's role"),
        ),
    ),
    "check_ins": RecordTable(
        "check_ins",
        "check_ins",
        CheckIn,
        (
            Column("planned", DAY, "check-in's planned date"),
            Column("held", DAY, "check-in's held date"),
            Column("channel", CHANNEL, "check-in channel"),
            Column("ours", TEXT, "check-in's speaker for us"),
            Column("theirs", TEXT, "check-in's speaker for the client"),
            Column("summary", TEXT, "check-in summary"),
        ),
    ),
}
assert set(RECORD_TABLES) == set(RECORD_KINDS), "every kind of record needs its table"
