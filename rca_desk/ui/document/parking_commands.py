"""Undoable commands for the parking lot (issue 14): park an idea, discard it, or place
it on the diagram, which takes it out of the lot and adds it as a cause in one step (one
undo puts it back in the lot, at its place)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rca_desk.model import ParkedIdea, RuleError
from rca_desk.model.cause_graph import new_cause_id
from rca_desk.model.parking import new_idea_id
from rca_desk.ui.document.cause_commands import DocumentCommand, short

if TYPE_CHECKING:
    from rca_desk.ui.document.incident_document import IncidentDocument

__all__ = ["IDEA_MIME", "DiscardIdea", "ParkIdea", "PlaceIdea"]

#: How a parked idea travels in a drag from the parking lot to a diagram: its id.
IDEA_MIME = "application/x-rca-desk-idea"


def _parked(document: IncidentDocument, idea_id: str) -> ParkedIdea:
    """The idea, or a refusal: a drag may bring one placed meanwhile, or another's."""
    for kept in document.incident.parking:
        if kept.id == idea_id:
            return kept
    raise RuleError("That idea is no longer in this incident's parking lot.")


class ParkIdea(DocumentCommand):
    """An idea from the room into the parking lot, at the end."""

    def __init__(self, document: IncidentDocument, text: str) -> None:
        super().__init__(document, f"Park idea “{short(text)}”")
        self.idea_text = text
        self.idea_id = new_idea_id()

    def apply(self) -> None:
        self.document.park_idea(self.idea_text, idea_id=self.idea_id, initiator=self.by)

    def revert(self) -> None:
        self.document.unpark_idea(self.idea_id)


class DiscardIdea(DocumentCommand):
    """An idea out of the parking lot for good (undo puts it back at its place)."""

    def __init__(self, document: IncidentDocument, idea_id: str) -> None:
        kept = _parked(document, idea_id)
        super().__init__(document, f"Discard idea “{short(kept.text)}”")
        self.idea_id = idea_id
        self.index = 0
        self.idea_text = kept.text

    def apply(self) -> None:
        self.index, _ = self.document.unpark_idea(self.idea_id, initiator=self.by)

    def revert(self) -> None:
        self.document.park_idea(self.idea_text, idea_id=self.idea_id, index=self.index)


class PlaceIdea(DocumentCommand):
    """An idea onto the diagram: a cause under ``parent`` (in ``category`` on the head),
    its words as typed, taken out of the lot in the same transaction."""

    def __init__(
        self, document: IncidentDocument, idea_id: str, parent: str, category: str | None
    ) -> None:
        kept = _parked(document, idea_id)
        super().__init__(document, f"Place idea “{short(kept.text)}”")
        self.idea_id = idea_id
        self.idea_text = kept.text
        self.parent_id = parent
        self.category = category
        self.index = 0
        self.cause_id = new_cause_id()

    def apply(self) -> None:
        document = self.document
        with document.batch():
            self.index, _ = document.unpark_idea(self.idea_id, initiator=self.by)
            document.add_cause(
                self.parent_id,
                text=self.idea_text,
                category=self.category,
                cause_id=self.cause_id,
                initiator=self.by,
            )

    def revert(self) -> None:
        document = self.document
        with document.batch():
            document.remove_cause(self.cause_id)
            document.park_idea(self.idea_text, idea_id=self.idea_id, index=self.index)
