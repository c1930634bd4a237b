"""Undoable commands for the incident's records (issue 15): timeline events,
participants and check-ins, each added, changed or removed as one step, and several
check-ins proposed by the cadence as one step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rca_desk.model.incident import RECORD_KINDS, Record
from rca_desk.ui.document.cause_commands import DocumentCommand

if TYPE_CHECKING:
    from rca_desk.ui.document.incident_document import IncidentDocument

__all__ = ["DropRecord", "PutRecord", "PutRecords"]


def _noun(kind: str) -> str:
    return RECORD_KINDS[kind][1]


class PutRecord(DocumentCommand):
    """A record added (at ``index`` or the end) or changed in place."""

    def __init__(
        self,
        document: IncidentDocument,
        kind: str,
        record: Record,
        *,
        index: int | None = None,
    ) -> None:
        exists = any(kept.id == record.id for kept in document.incident.records(kind))
        super().__init__(document, f"{'Edit' if exists else 'Add'} {_noun(kind)}")
        self.kind = kind
        self.record = record
        self.index = index
        self.old: Record | None = None

    def apply(self) -> None:
        _, self.old = self.document.put_record(
            self.kind, self.record, index=self.index, initiator=self.by
        )

    def revert(self) -> None:
        if self.old is None:
            self.document.drop_record(self.kind, self.record.id)
        else:
            self.document.put_record(self.kind, self.old)


class PutRecords(DocumentCommand):
    """Several new records of one kind in one step (the check-ins a cadence proposes)."""

    def __init__(
        self, document: IncidentDocument, kind: str, records: Sequence[Record], text: str
    ) -> None:
        super().__init__(document, text)
        self.kind = kind
        self.records = list(records)

    def apply(self) -> None:
        with self.document.batch():
            for record in self.records:
                self.document.put_record(self.kind, record, initiator=self.by)

    def revert(self) -> None:
        with self.document.batch():
            for record in reversed(self.records):
                self.document.drop_record(self.kind, record.id)


class DropRecord(DocumentCommand):
    """A record removed with what hangs on it (a check-in's measure values and rating, a
    measure's values), in one step; undo puts it back at its place, then them."""

    def __init__(self, document: IncidentDocument, kind: str, record_id: str) -> None:
        super().__init__(document, f"Remove {_noun(kind)}")
        self.kind = kind
        self.record_id = record_id
        self.index = 0
        self.old: Record | None = None
        self.hanging: list[tuple[str, int, Record]] = []

    def apply(self) -> None:
        with self.document.batch():
            self.hanging = []
            for kind, record in self.document.incident.dependents(self.kind, self.record_id):
                index, old = self.document.drop_record(kind, record.id, initiator=self.by)
                self.hanging.append((kind, index, old))
            self.index, self.old = self.document.drop_record(
                self.kind, self.record_id, initiator=self.by
            )

    def revert(self) -> None:
        assert self.old is not None
        with self.document.batch():
            self.document.put_record(self.kind, self.old, index=self.index)
            for kind, index, old in reversed(self.hanging):
                self.document.put_record(kind, old, index=index)
