"""The follow-up review: which actions need attention, which root causes lack one, and
which kinds of weakness keep coming back.

Pure functions over plain records, so the dashboard's numbers are tested without Qt and
without a workspace. Every date rule takes ``today`` explicitly: the same data reviewed on
another day gives other answers, and the tests pin the day.

The records are duck-typed (:class:`ActionLike`, :class:`RootCauseRecord`) so this module
needs nothing from the store; ``rca_desk.store.Workspace.action_rows()`` returns rows of
the :class:`ActionLike` shape.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from rca_desk.model.actions import OPEN_STATUSES, UNFINISHED_STATUSES, PreventiveAction
from rca_desk.model.incident import Incident
from rca_desk.model.vocab import ActionStatus, Strength

#: "Due soon" looks this many days ahead, today included (so due today is due soon).
DUE_SOON_DAYS = 7

#: Shown for a root cause whose category is blank, so it still has a bar.
NO_CATEGORY = "(no category)"


class ActionLike(Protocol):
    """What the review needs of one action row (``store.ActionRow`` has this shape)."""

    @property
    def incident_id(self) -> int: ...
    @property
    def incident_title(self) -> str: ...
    @property
    def action(self) -> PreventiveAction: ...
    @property
    def root_cause_texts(self) -> tuple[str, ...]: ...
    @property
    def categories(self) -> tuple[str, ...]: ...


# ------------------------------------------------------------------------ tiles
class Tile(StrEnum):
    """The questions a review meeting asks first; each is a tile and a table filter."""

    OPEN = "open"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    AWAITING_VERIFICATION = "awaiting_verification"
    NOT_EFFECTIVE = "not_effective"

    @property
    def label(self) -> str:
        return _TILE_LABELS[self]

    @property
    def explanation(self) -> str:
        return _TILE_HELP[self]


_TILE_LABELS = {
    Tile.OPEN: "Open",
    Tile.OVERDUE: "Overdue",
    Tile.DUE_SOON: f"Due within {DUE_SOON_DAYS} days",
    Tile.AWAITING_VERIFICATION: "Awaiting verification",
    Tile.NOT_EFFECTIVE: "Not effective",
}
_TILE_HELP = {
    Tile.OPEN: "Actions not yet verified effective or cancelled.",
    Tile.OVERDUE: "Due date has passed and the work is not implemented.",
    Tile.DUE_SOON: f"Not implemented yet, due today or in the next {DUE_SOON_DAYS} days.",
    Tile.AWAITING_VERIFICATION: (
        "Implemented, but nobody has checked yet whether it worked. Implemented is not done."
    ),
    Tile.NOT_EFFECTIVE: "Checked and found not to work: back to the drawing board.",
}


def is_due_soon(action: PreventiveAction, today: date) -> bool:
    """Unfinished and due between today and ``DUE_SOON_DAYS`` days from now, inclusive."""
    return (
        action.due is not None
        and action.status in UNFINISHED_STATUSES
        and today <= action.due <= today + timedelta(days=DUE_SOON_DAYS)
    )


def in_tile(action: PreventiveAction, tile: Tile, today: date) -> bool:
    if tile is Tile.OPEN:
        return action.is_open
    if tile is Tile.OVERDUE:
        return action.is_overdue(today)
    if tile is Tile.DUE_SOON:
        return is_due_soon(action, today)
    if tile is Tile.AWAITING_VERIFICATION:
        return action.is_awaiting_verification()
    return action.status == ActionStatus.NOT_EFFECTIVE


def tile_counts(rows: Iterable[ActionLike], today: date) -> dict[Tile, int]:
    """How many rows each tile holds; the same answers as :func:`in_tile`, in one pass
    (the dashboard counts thousands of rows each time it opens)."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    open_ = overdue = due_soon = awaiting = not_effective = 0
    for row in rows:
        action = row.action
        status = action.status
        if status in OPEN_STATUSES:
            open_ += 1
        if status in UNFINISHED_STATUSES and action.due is not None:
            if action.due < today:
                overdue += 1
            elif action.due <= soon:
                due_soon += 1
        if status == ActionStatus.IMPLEMENTED:
            awaiting += 1
        elif status == ActionStatus.NOT_EFFECTIVE:
            not_effective += 1
    return {
        Tile.OPEN: open_,
        Tile.OVERDUE: overdue,
        Tile.DUE_SOON: due_soon,
        Tile.AWAITING_VERIFICATION: awaiting,
        Tile.NOT_EFFECTIVE: not_effective,
    }


def verification_overdue_count(rows: Iterable[ActionLike], today: date) -> int:
    """Of the actions awaiting verification, how many are past their check date."""
    return sum(1 for row in rows if row.action.is_verification_overdue(today))


# ----------------------------------------------------------------------- filter
def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class ActionFilter:
    """What the dashboard's table shows. ``None`` (or empty text) means "any".

    ``owner`` and ``category`` compare case-insensitively and whole (a filter picked from a
    list of the values that exist); ``text`` is free text: every word must appear
    somewhere in the row (title, owner, incident, root causes, categories, notes, status).
    """

    owner: str | None = None
    status: ActionStatus | None = None
    category: str | None = None
    incident_id: int | None = None
    strength: Strength | None = None
    text: str = ""
    tile: Tile | None = None
    #: Only the actions of these incidents (the review's "Clients at risk").
    incidents: frozenset[int] | None = None

    @property
    def is_empty(self) -> bool:
        return self == ActionFilter()


def row_search_text(row: ActionLike) -> str:
    """Everything free text can match in one row, folded once."""
    action = row.action
    parts = [
        action.title,
        action.owner,
        row.incident_title,
        f"#{row.incident_id}",
        *row.root_cause_texts,
        *row.categories,
        action.notes,
        action.metric,
        action.target,
        action.status.label,
        action.strength.label,
    ]
    return _fold("\n".join(parts))


class ReviewIndex:
    """Rows with what filtering needs precomputed, so a filter change is one cheap pass.

    The dashboard filters thousands of rows on every keystroke; folding each row's text
    again every time would cost more than the filter itself.
    """

    def __init__(self, rows: Sequence[ActionLike]) -> None:
        self.rows = list(rows)
        # Each folded on first use: opening the dashboard should not pay for a search
        # nobody has typed yet.
        self._text: list[str] | None = None
        self._owner: list[str] | None = None
        self._categories: list[frozenset[str]] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def _texts(self) -> list[str]:
        if self._text is None:
            self._text = [row_search_text(row) for row in self.rows]
        return self._text

    def _owners(self) -> list[str]:
        if self._owner is None:
            self._owner = [_fold(row.action.owner) for row in self.rows]
        return self._owner

    def _category_sets(self) -> list[frozenset[str]]:
        if self._categories is None:
            self._categories = [frozenset(_fold(c) for c in row.categories) for row in self.rows]
        return self._categories

    def mask(self, flt: ActionFilter, today: date) -> list[bool]:
        """One flag per row: does the row pass ``flt`` on ``today``?"""
        flags = [True] * len(self.rows)

        def keep(test: Callable[[int], bool]) -> None:
            for i, ok in enumerate(flags):
                if ok and not test(i):
                    flags[i] = False

        rows = self.rows
        if flt.incident_id is not None:
            keep(lambda i: rows[i].incident_id == flt.incident_id)
        if flt.incidents is not None:
            incidents = flt.incidents
            keep(lambda i: rows[i].incident_id in incidents)
        if flt.status is not None:
            keep(lambda i: rows[i].action.status == flt.status)
        if flt.strength is not None:
            keep(lambda i: rows[i].action.strength == flt.strength)
        if flt.owner is not None:
            owner, owners_ = _fold(flt.owner), self._owners()
            keep(lambda i: owners_[i] == owner)
        if flt.category is not None:
            category, sets = _fold(flt.category), self._category_sets()
            keep(lambda i: category in sets[i])
        if flt.tile is not None:
            tile = flt.tile
            keep(lambda i: in_tile(rows[i].action, tile, today))
        words = _fold(flt.text).split()
        if words:
            texts = self._texts()
            keep(lambda i: all(word in texts[i] for word in words))
        return flags

    def select(self, flt: ActionFilter, today: date) -> list[ActionLike]:
        return [row for row, ok in zip(self.rows, self.mask(flt, today), strict=True) if ok]


def filter_rows(rows: Sequence[ActionLike], flt: ActionFilter, today: date) -> list[ActionLike]:
    """The rows that pass ``flt``; for repeated filtering keep a :class:`ReviewIndex`."""
    return ReviewIndex(rows).select(flt, today)


def owners(rows: Iterable[ActionLike]) -> list[str]:
    """Distinct owners, sorted as a person reads them; blanks left out."""
    seen: dict[str, str] = {}
    for row in rows:
        if row.action.owner:
            seen.setdefault(_fold(row.action.owner), row.action.owner)
    return sorted(seen.values(), key=str.casefold)


# ----------------------------------------------------------------------- pareto
@dataclass(frozen=True)
class RootCauseRecord:
    """One root cause of one incident, as the Pareto chart and the search see it."""

    incident_id: int
    incident_title: str
    occurred_at: datetime | None
    cause_id: str
    text: str
    category: str


@dataclass(frozen=True)
class ParetoBar:
    """One bar of the Pareto chart: which kind of weakness keeps coming back, and how much."""

    category: str
    count: int
    share: float  # of all counted root causes, 0..1
    cumulative: float  # running share including this bar, 0..1


def pareto(
    root_causes: Iterable[RootCauseRecord],
    *,
    since: date | None = None,
    until: date | None = None,
) -> list[ParetoBar]:
    """Root causes counted by category, most frequent first, with running shares.

    Categories are named per incident, so the same name may be spelled differently across
    incidents ("QC checkpoints", "QC Checkpoints "): names are merged ignoring case and
    spacing, and the bar carries the most common spelling. ``since`` and ``until`` (both
    inclusive) keep root causes of incidents that occurred in that window; an incident
    without a date is only counted when no window is set. Ties sort by name, so the chart
    does not reshuffle between refreshes.
    """
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for record in root_causes:
        if since is not None or until is not None:
            if record.occurred_at is None:
                continue
            day = record.occurred_at.date()
            if (since is not None and day < since) or (until is not None and day > until):
                continue
        name = " ".join(record.category.split()) or NO_CATEGORY
        key = name.casefold()
        counts[key] += 1
        spellings.setdefault(key, Counter())[name] += 1
    total = sum(counts.values())
    if not total:
        return []

    def display(key: str) -> str:
        best = spellings[key].most_common()
        top = best[0][1]
        return min(name for name, n in best if n == top)

    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], display(kv[0]).casefold()))
    bars = []
    running = 0
    for key, count in ordered:
        running += count
        bars.append(
            ParetoBar(
                category=display(key),
                count=count,
                share=count / total,
                cumulative=running / total,
            )
        )
    return bars


# --------------------------------------------------------------------- coverage
@dataclass(frozen=True)
class Coverage:
    """Which root causes of one incident have an agreed (committed or later) action."""

    root_causes: tuple[str, ...]
    covered: tuple[str, ...]
    uncovered: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.uncovered

    @property
    def text(self) -> str:
        total = len(self.root_causes)
        noun, verb = ("root cause", "has") if total == 1 else ("root causes", "have")
        return f"{len(self.covered)} of {total} {noun} {verb} a committed action"


def coverage(incident: Incident) -> Coverage:
    """The incident's root causes split by :meth:`Incident.is_covered`, in graph order."""
    roots = tuple(incident.graph.root_causes())
    covered = tuple(c for c in roots if incident.is_covered(c))
    uncovered = tuple(c for c in roots if c not in covered)
    return Coverage(roots, covered, uncovered)
