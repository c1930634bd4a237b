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
from decimal import Decimal
from enum import Enum
from typing import Any

from rca_desk.model import CheckIn, Participant, TimelineEvent
from rca_desk.model.errors import RuleError
from rca_desk.model.follow_ups import Channel
from rca_desk.model.incident import RECORD_KINDS, Record
from rca_desk.model.recovery import (
    Confidence,
    Direction,
    MeasureValue,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
)

__all__ = ["RECORD_TABLES", "Column", "RecordTable", "stored"]

#: How a column's stored value is read: text, an ISO date (or NULL), an ISO date and time,
#: one of a set of choices (the column's :attr:`Column.choices`), a number, a whole
#: number, or an exact amount (decimal text, or NULL).
TEXT, DAY, MOMENT, CHOICE, NUMBER, WHOLE, AMOUNT = (
    "text",
    "day",
    "moment",
    "choice",
    "number",
    "whole",
    "amount",
)


@dataclass(frozen=True)
class Column:
    """One field of a record and the column that holds it."""

    name: str
    #: :data:`TEXT`, :data:`DAY`, :data:`MOMENT`, :data:`CHOICE`, :data:`NUMBER`,
    #: :data:`WHOLE` or :data:`AMOUNT`.
    kind: str
    #: The value as a reason names it ("the check-in's planned date 'soon' is not a date").
    what: str
    #: For :data:`CHOICE`: the enum.
    choices: type[Enum] | None = None
    #: What a salvage shows for a damaged choice (else the enum's first member): the
    #: member that keeps the rest of the record valid.
    fallback: Enum | None = None


@dataclass(frozen=True)
class RecordTable:
    """Where one kind of record is stored, and its columns after ``id``."""

    kind: str
    table: str
    #: Builds the record from ``id=`` and the columns by name.
    make: Callable[..., Any]
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
    if isinstance(value, Decimal):
        return str(value)
    return value


def _confidence(id: str, **fields: Any) -> Confidence:
    """A rating from its row: its id is its check-in's."""
    return Confidence(check_in_id=id, **fields)


def _measure_value(id: str, **fields: Any) -> MeasureValue:
    """A value from its row, whose id must be the one its check-in and measure make (a
    row whose id says otherwise would be written back under another key)."""
    value = MeasureValue(**fields)
    if value.id != id:
        raise RuleError(f"the measure value {id!r} does not name its check-in and measure")
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
            Column("channel", CHOICE, "check-in channel", Channel),
            Column("ours", TEXT, "check-in's speaker for us"),
            Column("theirs", TEXT, "check-in's speaker for the client"),
            Column("summary", TEXT, "check-in summary"),
        ),
    ),
    "restitution": RecordTable(
        "restitution",
        "restitution_offers",
        Restitution,
        (
            # "other": a damaged kind must not make an offer a credit without an amount.
            Column("kind", CHOICE, "restitution kind", RestitutionKind, RestitutionKind.OTHER),
            Column("offered_on", DAY, "restitution's offered date"),
            Column("status", CHOICE, "restitution status", OfferStatus),
            Column("amount", AMOUNT, "restitution amount"),
            Column("currency", TEXT, "restitution currency"),
            Column("note", TEXT, "restitution note"),
        ),
    ),
    "measures": RecordTable(
        "measures",
        "trust_measures",
        TrustMeasure,
        (
            Column("name", TEXT, "trust measure's name"),
            Column("unit", TEXT, "trust measure's unit"),
            Column("target", NUMBER, "trust measure's target"),
            Column("direction", CHOICE, "trust measure's direction", Direction),
        ),
    ),
    "measure_values": RecordTable(
        "measure_values",
        "measure_values",
        _measure_value,
        (
            Column("check_in_id", TEXT, "measure value's check-in"),
            Column("measure_id", TEXT, "measure value's measure"),
            Column("value", NUMBER, "measure value"),
        ),
    ),
    "confidence": RecordTable(
        "confidence",
        "client_confidence",
        _confidence,
        (
            Column("score", WHOLE, "client confidence"),
            Column("words", TEXT, "client's words"),
        ),
    ),
}
assert list(RECORD_TABLES) == list(RECORD_KINDS), "every kind of record needs its table, in order"
