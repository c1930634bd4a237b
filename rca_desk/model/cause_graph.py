"""The cause graph: one ``networkx.DiGraph`` per incident, seen as fishbone and five whys.

An edge ``effect -> cause`` answers "why did *effect* happen?" with *cause*. The head
node :data:`HEAD` is the incident's problem statement. Every cause has exactly one
*primary* parent, so the primary edges form a tree (the fishbone's bones); an extra
``contributes`` edge says "also contributes to" and is drawn as a secondary connector.
No edge may close a cycle.

The networkx graph is exposed read-only as :attr:`CauseGraph.nx` so layouts and exports
can walk it; every change goes through the methods here, which check the rules first and
change nothing when they refuse.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from rca_desk.model.categories import DEFAULT_CATEGORIES, category_title, clean_category_name
from rca_desk.model.errors import RuleError
from rca_desk.model.text import typed
from rca_desk.model.vocab import Evidence

HEAD = "problem"
PRIMARY = "primary"
CONTRIBUTES = "contributes"
MAX_TEXT_LENGTH = 2000
_ID_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def new_cause_id() -> str:
    """A random id: two people (or processes) adding causes at once never collide."""
    return "c" + uuid.uuid4().hex[:16]


def check_cause_id(cause_id: str) -> str:
    if not isinstance(cause_id, str) or not _ID_RE.fullmatch(cause_id) or cause_id == HEAD:
        raise RuleError(
            f"{cause_id!r} is not a valid cause id (1-64 letters, digits, '_', '.', '-')."
        )
    return cause_id


def clean_text(text: str, *, what: str = "A cause") -> str:
    """Strip ``text`` and refuse it when empty or absurdly long; inner newlines stay.

    Control characters go and bidi overrides are refused first (:func:`typed`).
    """
    if not isinstance(text, str):
        raise RuleError(f"{what} needs text.")
    text = typed(text, what=what)
    cleaned = "\n".join(line.rstrip() for line in text.strip().splitlines())
    if not cleaned:
        raise RuleError(f"{what} needs text; it cannot be empty.")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise RuleError(f"{what} text is longer than {MAX_TEXT_LENGTH} characters.")
    return cleaned


@dataclass(frozen=True)
class Cause:
    """A snapshot of one cause's attributes (the graph holds the live values)."""

    id: str
    text: str
    category: str
    evidence: Evidence = Evidence.HYPOTHESIS
    evidence_note: str = ""
    root_cause: bool = False
    #: Why the team asked no further "why?" below this cause although the chain is
    #: shorter than the incident's whys depth ("outside our control: the supplier's
    #: firmware"). Empty means the chain is still open there.
    stop_reason: str = ""


@dataclass(frozen=True)
class PlacedCause:
    """A cause with where it hangs, enough to put it back exactly (undo, import)."""

    cause: Cause
    parent: str
    index: int


@dataclass(frozen=True)
class RemovedSubtree:
    """What :meth:`CauseGraph.remove_cause` took out; :meth:`CauseGraph.restore` undoes it."""

    causes: tuple[PlacedCause, ...]  # parents before children
    links: tuple[tuple[str, str], ...]

    @property
    def ids(self) -> list[str]:
        return [placed.cause.id for placed in self.causes]


_CAUSE_FIELDS = ("text", "category", "evidence", "evidence_note", "root_cause", "stop_reason")


@dataclass
class CauseGraph:
    """The causes of one incident's problem, with their categories.

    Children keep the order people gave them; that order is part of the model because
    both views and every export show it.
    """

    problem: str = "Problem"
    categories: list[str] = field(default_factory=lambda: list(DEFAULT_CATEGORIES))
    _g: nx.DiGraph = field(default_factory=nx.DiGraph, repr=False)
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.problem = clean_text(self.problem, what="The problem statement")
        self.categories = self._checked_categories(self.categories)
        if HEAD not in self._g:
            self._g.add_node(HEAD, text=self.problem, category=None)
            self._children[HEAD] = []

    # ----------------------------------------------------------------- reading
    @property
    def nx(self) -> nx.DiGraph:
        """The networkx graph. Read it; change it only through this class."""
        return self._g

    def __len__(self) -> int:
        """Number of causes, the problem not counted."""
        return int(self._g.number_of_nodes()) - 1

    def __contains__(self, cause_id: object) -> bool:
        return cause_id != HEAD and cause_id in self._g

    def cause_ids(self) -> Iterator[str]:
        """All cause ids, parents before children, siblings in order."""
        stack = list(reversed(self._children[HEAD]))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(self._children[node]))

    def causes(self) -> Iterator[Cause]:
        for cause_id in self.cause_ids():
            yield self.cause(cause_id)

    def cause(self, cause_id: str) -> Cause:
        attrs = self._attrs(cause_id)
        return Cause(id=cause_id, **{name: attrs[name] for name in _CAUSE_FIELDS})

    def parent(self, cause_id: str) -> str:
        self._attrs(cause_id)
        for effect in self._g.predecessors(cause_id):
            if self._g.edges[effect, cause_id]["kind"] == PRIMARY:
                return str(effect)
        raise AssertionError(f"cause {cause_id} has no primary parent")  # invariant

    def children(self, node: str = HEAD) -> Sequence[str]:
        if node not in self._children:
            raise RuleError(f"There is no cause with id {node!r} in this incident.")
        return tuple(self._children[node])

    def index_of(self, cause_id: str) -> int:
        return self._children[self.parent(cause_id)].index(cause_id)

    def depth(self, cause_id: str) -> int:
        """1 for a cause that answers the problem directly, 2 for its answers, ..."""
        depth = 0
        node = cause_id
        while node != HEAD:
            node = self.parent(node)
            depth += 1
        return depth

    def subtree(self, cause_id: str) -> list[str]:
        """``cause_id`` and everything hanging from it by primary edges, in pre-order."""
        self._attrs(cause_id)
        out = []
        stack = [cause_id]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self._children[node]))
        return out

    def links(self) -> list[tuple[str, str]]:
        """Secondary "also contributes to" edges as ``(effect, cause)`` pairs."""
        return [
            (str(effect), str(cause))
            for effect, cause, kind in self._g.edges(data="kind")
            if kind == CONTRIBUTES
        ]

    def root_causes(self) -> list[str]:
        return [c for c in self.cause_ids() if self._g.nodes[c]["root_cause"]]

    def leaves(self) -> list[str]:
        return [c for c in self.cause_ids() if not self._children[c]]

    def chain(self, cause_id: str) -> list[str]:
        """The primary path from the first "why" down to ``cause_id``."""
        path = [cause_id]
        while (parent := self.parent(path[-1])) != HEAD:
            path.append(parent)
        return path[::-1]

    def category_usage(self) -> dict[str, int]:
        """How many causes each category has, counted by the cause's *own* category
        (docs/categories.md, rule 4): a Methods sub-cause in a Machine chain counts
        for Methods."""
        usage = dict.fromkeys(self.categories, 0)
        for cause_id in self.cause_ids():
            usage[self._g.nodes[cause_id]["category"]] += 1
        return usage

    def branches(self) -> dict[str, str]:
        """Every cause's *branch*: the category of its first-level ancestor (its own
        category for a first-level cause), parents before children.

        Where a cause is drawn follows its branch (the fishbone bone, the DOT cluster);
        its colour and every count follow its own category (docs/categories.md).
        """
        nodes = self._g.nodes
        branch: dict[str, str] = {}
        for cause_id in self.cause_ids():
            parent = self.parent(cause_id)
            branch[cause_id] = nodes[cause_id]["category"] if parent == HEAD else branch[parent]
        return branch

    def branch(self, cause_id: str) -> str:
        """The category of the bone ``cause_id`` hangs on: see :meth:`branches`."""
        return str(self._g.nodes[self.chain(cause_id)[0]]["category"])

    def elsewhere(self) -> dict[str, int]:
        """Per category, how many of its causes are drawn on another category's bone
        (their branch differs from their own category); every category is listed."""
        counts = dict.fromkeys(self.categories, 0)
        nodes = self._g.nodes
        for cause_id, branch in self.branches().items():
            own = nodes[cause_id]["category"]
            if own != branch:
                counts[own] = counts.get(own, 0) + 1
        return counts

    def category_titles(self, *, sep: str = " ") -> dict[str, str]:
        """Every category's title as the fishbone shows it: its name, followed (after
        ``sep``) by "(+N on other bones)" when N of its causes hang on other bones."""
        return {name: category_title(name, n, sep=sep) for name, n in self.elsewhere().items()}

    # ------------------------------------------------------------------ causes
    def add_cause(
        self,
        parent: str,
        *,
        text: str,
        category: str | None = None,
        evidence: Evidence = Evidence.HYPOTHESIS,
        evidence_note: str = "",
        root_cause: bool = False,
        stop_reason: str = "",
        cause_id: str | None = None,
        index: int | None = None,
    ) -> str:
        """Add a cause answering "why?" for ``parent``; return its id.

        A cause with no category inherits its parent's (the first category under the head).
        """
        if parent != HEAD:
            self._attrs(parent)
        if category is None:
            category = self.categories[0] if parent == HEAD else self._g.nodes[parent]["category"]
        attrs = self._checked_fields(
            {
                "text": text,
                "category": category,
                "evidence": evidence,
                "evidence_note": evidence_note,
                "root_cause": root_cause,
                "stop_reason": stop_reason,
            }
        )
        cause_id = check_cause_id(cause_id) if cause_id is not None else new_cause_id()
        if cause_id in self._g:
            raise RuleError(f"A cause with id {cause_id!r} already exists in this incident.")
        siblings = self._children[parent]
        position = len(siblings) if index is None else max(0, min(index, len(siblings)))
        self._g.add_node(cause_id, **attrs)
        self._g.add_edge(parent, cause_id, kind=PRIMARY)
        self._children[cause_id] = []
        siblings.insert(position, cause_id)
        return cause_id

    def update_cause(self, cause_id: str, **changes: Any) -> Cause:
        """Change some of a cause's fields; return the cause as it was before."""
        before = self.cause(cause_id)
        unknown = set(changes) - set(_CAUSE_FIELDS)
        if unknown:
            raise RuleError(f"A cause has no field {sorted(unknown)[0]!r}.")
        merged = {name: getattr(before, name) for name in _CAUSE_FIELDS} | changes
        self._g.nodes[cause_id].update(self._checked_fields(merged))
        return before

    def remove_cause(self, cause_id: str) -> RemovedSubtree:
        """Remove a cause with all its sub-causes and every link that touches them."""
        ids = self.subtree(cause_id)
        removed = set(ids)
        placed = tuple(
            PlacedCause(self.cause(node), self.parent(node), self.index_of(node)) for node in ids
        )
        links = tuple(
            (effect, cause)
            for effect, cause in self.links()
            if effect in removed or cause in removed
        )
        self._children[self.parent(cause_id)].remove(cause_id)
        for node in ids:
            del self._children[node]
        self._g.remove_nodes_from(ids)
        return RemovedSubtree(placed, links)

    def restore(self, removed: RemovedSubtree) -> None:
        """Put back what :meth:`remove_cause` took out, in the same places."""
        for placed in removed.causes:
            c = placed.cause
            self.add_cause(
                placed.parent,
                text=c.text,
                category=c.category,
                evidence=c.evidence,
                evidence_note=c.evidence_note,
                root_cause=c.root_cause,
                stop_reason=c.stop_reason,
                cause_id=c.id,
                index=placed.index,
            )
        for effect, cause in removed.links:
            self.add_link(effect, cause)

    def move_cause(self, cause_id: str, new_parent: str, index: int | None = None) -> PlacedCause:
        """Hang a cause (with its sub-causes) under another effect; return where it was."""
        old = PlacedCause(self.cause(cause_id), self.parent(cause_id), self.index_of(cause_id))
        if new_parent != HEAD:
            self._attrs(new_parent)
        if new_parent == cause_id or new_parent in nx.descendants(self._g, cause_id):
            raise RuleError(
                f"Cannot move {self._name(cause_id)} under {self._name(new_parent)}: "
                "it would explain itself (a cycle)."
            )
        if self._g.has_edge(new_parent, cause_id) and new_parent != old.parent:
            raise RuleError(
                f"{self._name(cause_id)} already contributes to {self._name(new_parent)}; "
                "remove that link before making it the primary parent."
            )
        self._children[old.parent].remove(cause_id)
        self._g.remove_edge(old.parent, cause_id)
        siblings = self._children[new_parent]
        position = len(siblings) if index is None else max(0, min(index, len(siblings)))
        siblings.insert(position, cause_id)
        self._g.add_edge(new_parent, cause_id, kind=PRIMARY)
        return old

    # ------------------------------------------------------------------- links
    def add_link(self, effect: str, cause: str) -> None:
        """Record that ``cause`` also contributes to ``effect`` (a secondary connector)."""
        self._attrs(cause)
        if effect != HEAD:
            self._attrs(effect)
        if effect == cause:
            raise RuleError(f"{self._name(cause)} cannot contribute to itself.")
        if self._g.has_edge(effect, cause):
            raise RuleError(f"{self._name(cause)} is already linked to {self._name(effect)}.")
        if nx.has_path(self._g, cause, effect):
            raise RuleError(
                f"Linking {self._name(cause)} to {self._name(effect)} would make a cycle: "
                f"{self._name(effect)} already explains {self._name(cause)}."
            )
        self._g.add_edge(effect, cause, kind=CONTRIBUTES)

    def remove_link(self, effect: str, cause: str) -> None:
        if self._g.get_edge_data(effect, cause, {}).get("kind") != CONTRIBUTES:
            raise RuleError(f"{self._name(cause)} has no secondary link to {self._name(effect)}.")
        self._g.remove_edge(effect, cause)

    # -------------------------------------------------------------- categories
    def set_problem(self, text: str) -> str:
        before = self.problem
        self.problem = clean_text(text, what="The problem statement")
        self._g.nodes[HEAD]["text"] = self.problem
        return before

    def set_categories(self, categories: Iterable[str]) -> list[str]:
        """Replace the category list (order kept); refuse to drop one still in use."""
        new = self._checked_categories(categories)
        in_use = {name for name, count in self.category_usage().items() if count}
        dropped = sorted(in_use - set(new))
        if dropped:
            raise RuleError(
                f"Category {dropped[0]!r} is still used by "
                f"{self.category_usage()[dropped[0]]} cause(s); move them first."
            )
        before = self.categories
        self.categories = new
        return before

    def rename_category(self, old: str, new: str) -> None:
        if old not in self.categories:
            raise RuleError(f"There is no category {old!r} in this incident.")
        new = clean_category_name(new)
        if new != old and new in self.categories:
            raise RuleError(f"There is already a category {new!r}.")
        self.categories = [new if name == old else name for name in self.categories]
        for cause_id in self.cause_ids():
            if self._g.nodes[cause_id]["category"] == old:
                self._g.nodes[cause_id]["category"] = new

    # ------------------------------------------------------------------ checks
    def _attrs(self, cause_id: str) -> dict[str, Any]:
        if cause_id == HEAD or cause_id not in self._g:
            raise RuleError(f"There is no cause with id {cause_id!r} in this incident.")
        attrs: dict[str, Any] = self._g.nodes[cause_id]
        return attrs

    def _name(self, node: str) -> str:
        text = str(self._g.nodes[node]["text"]) if node in self._g else node
        short = text if len(text) <= 40 else text[:39] + "…"
        return "the problem" if node == HEAD else f"cause {short!r}"

    def _checked_fields(self, fields: dict[str, Any]) -> dict[str, Any]:
        category = fields["category"]
        if category not in self.categories:
            raise RuleError(
                f"{category!r} is not a category of this incident; "
                f"use one of: {', '.join(self.categories)}"
            )
        evidence = fields["evidence"]
        if not isinstance(evidence, Evidence):
            evidence = Evidence.parse(str(evidence))
        note = fields["evidence_note"]
        if not isinstance(note, str) or len(note) > MAX_TEXT_LENGTH:
            raise RuleError(
                f"An evidence note must be text of at most {MAX_TEXT_LENGTH} characters."
            )
        note = typed(note, what="An evidence note")
        if not isinstance(fields["root_cause"], bool):
            raise RuleError("The root-cause flag must be true or false.")
        stop_reason = fields["stop_reason"]
        if not isinstance(stop_reason, str) or len(stop_reason) > MAX_TEXT_LENGTH:
            raise RuleError(f"A stop reason must be text of at most {MAX_TEXT_LENGTH} characters.")
        stop_reason = typed(stop_reason, what="A stop reason")
        return {
            "text": clean_text(fields["text"]),
            "category": category,
            "evidence": evidence,
            "evidence_note": note.strip(),
            "root_cause": fields["root_cause"],
            "stop_reason": stop_reason.strip(),
        }

    @staticmethod
    def _checked_categories(categories: Iterable[str]) -> list[str]:
        names = [clean_category_name(name) for name in categories]
        if not names:
            raise RuleError("An incident needs at least one category.")
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise RuleError(f"Category {name!r} appears twice.")
            seen.add(name)
        return names

    def copy(self) -> CauseGraph:
        """An independent copy (the networkx graph and the child order included)."""
        clone = replace(self, categories=list(self.categories), _g=self._g.copy(), _children={})
        clone._children = {node: list(kids) for node, kids in self._children.items()}
        return clone
