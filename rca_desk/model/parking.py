"""The parking lot: ideas from the room, kept unsorted until someone places them.

In a workshop ideas come faster than anyone can decide where they belong. Typing one
straight onto a bone forced that decision (and Enter with nothing selected put every
idea on the first category, issue 14). An idea is parked instead: it keeps the words and
nothing else, and becomes a cause only when it is moved onto a bone or under a cause, or
is discarded. The lot keeps its order (the order the room said them).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rca_desk.model.cause_graph import check_cause_id, clean_text

__all__ = ["ParkedIdea", "idea", "new_idea_id"]


def new_idea_id() -> str:
    """A random id, so two people parking ideas at once never collide."""
    return "p" + uuid.uuid4().hex[:16]


@dataclass(frozen=True)
class ParkedIdea:
    """One idea in the parking lot: an id and the words as typed (checked like a cause's,
    since it becomes one)."""

    id: str
    text: str


def idea(text: str, idea_id: str | None = None) -> ParkedIdea:
    """A checked idea: the text cleaned as a cause's, the id valid (or a new one)."""
    return ParkedIdea(
        check_cause_id(idea_id) if idea_id is not None else new_idea_id(),
        clean_text(text, what="An idea"),
    )
