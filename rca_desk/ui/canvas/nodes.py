"""Typed references to the nodes a diagram shows, parsed from the layout's label ids.

The layouts name every label with a string (``rca_desk.layout`` stays pure and is shared
with the exports): a cause id, :data:`~rca_desk.model.HEAD` for the problem statement,
:func:`~rca_desk.layout.geometry.category_node` for a category bone's title and
:func:`~rca_desk.layout.whys.question_node` for the open question after an unfinished
chain. The canvas and the incident tab need to know which of these a node is; instead of
each checking prefixes, they call :func:`parse_node` once and match on the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from rca_desk.layout.geometry import category_node
from rca_desk.layout.whys import QUESTION_PREFIX, question_node
from rca_desk.model import HEAD

#: What every category's node id starts with, taken from the layout that makes them.
_CATEGORY_PREFIX = category_node("")


@dataclass(frozen=True, slots=True)
class ProblemRef:
    """The head of the diagram: the incident's problem statement."""

    @property
    def node(self) -> str:
        return HEAD


@dataclass(frozen=True, slots=True)
class CauseRef:
    """A cause of the cause graph."""

    cause_id: str

    @property
    def node(self) -> str:
        return self.cause_id


@dataclass(frozen=True, slots=True)
class CategoryRef:
    """A category bone's title (fishbone only); first-level causes hang from it."""

    name: str

    @property
    def node(self) -> str:
        return category_node(self.name)


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """The open "why?" after the unfinished chain ending at ``cause_id`` (five whys only)."""

    cause_id: str

    @property
    def node(self) -> str:
        return question_node(self.cause_id)


NodeRef = ProblemRef | CauseRef | CategoryRef | QuestionRef


def parse_node(node: str | None) -> NodeRef | None:
    """What the layout's label id ``node`` refers to; ``None`` for no node (``None`` or "").

    The one place that knows how the layouts spell their ids: ``ref.node`` gives the id
    back, so ``parse_node(ref.node) == ref`` for every reference.
    """
    if not node:
        return None
    if node == HEAD:
        return ProblemRef()
    if node.startswith(_CATEGORY_PREFIX):
        return CategoryRef(node.removeprefix(_CATEGORY_PREFIX))
    if node.startswith(QUESTION_PREFIX):
        return QuestionRef(node.removeprefix(QUESTION_PREFIX))
    return CauseRef(node)


#: What to say when an idea is to be placed where it cannot go.
PLACE_HINT = "Select a cause or a category's bone to place the idea there."


def placing_target(node: str | None) -> tuple[str, str | None] | None:
    """Where an idea placed at ``node`` goes: (parent, category) under a cause (or the
    cause an open question ends), or on a category's bone; ``None`` elsewhere."""
    match parse_node(node):
        case CauseRef(cause_id) | QuestionRef(cause_id):
            return cause_id, None
        case CategoryRef(name):
            return HEAD, name
    return None


def cause_id_of(node: str | None) -> str | None:
    """The cause id when ``node`` is a cause (not the head, a category or a question)."""
    ref = parse_node(node)
    return ref.cause_id if isinstance(ref, CauseRef) else None


__all__ = [
    "PLACE_HINT",
    "CategoryRef",
    "CauseRef",
    "NodeRef",
    "ProblemRef",
    "QuestionRef",
    "cause_id_of",
    "parse_node",
    "placing_target",
]
