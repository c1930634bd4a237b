"""The review's rules without Qt: tiles at date boundaries, filters, Pareto, coverage."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rca_desk.model import (
    COMMITTED_STATUSES,
    HEAD,
    ActionStatus,
    CauseGraph,
    Incident,
    PreventiveAction,
    Strength,
)
from rca_desk.model.review import (
    DUE_SOON_DAYS,
    NO_CATEGORY,
    ActionFilter,
    ReviewIndex,
    RootCauseRecord,
    Tile,
    coverage,
    filter_rows,
    in_tile,
    owners,
    pareto,
    tile_counts,
    verification_overdue_count,
)
from tests.conftest import TODAY

S = ActionStatus
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Row:
    """Shaped like ``store.ActionRow``."""

    action: PreventiveAction
    incident_id: int = 1
    incident_title: str = "Payroll late"
    root_cause_texts: tuple[str, ...] = ("No runbook",)
    categories: tuple[str, ...] = ("SOPs",)


def act(status: ActionStatus = S.IN_PROGRESS, **over: object) -> PreventiveAction:
    fields: dict[str, object] = {
        "title": "Automate the check",
        "root_causes": ["r1"],
        "owner": "Ann",
        "due": TODAY,
        "metric": "misses",
        "target": "0",
        "verify_on": TODAY + 30 * DAY,
        "status": status,
    }
    fields.update(over)
    return PreventiveAction(**fields)  # type: ignore[arg-type]


# -------------------------------------------------------------------- tiles
@pytest.mark.parametrize(
    ("due", "overdue", "due_soon"),
    [
        (TODAY - DAY, True, False),  # yesterday: overdue
        (TODAY, False, True),  # today: not late yet, due now
        (TODAY + DUE_SOON_DAYS * DAY, False, True),  # last day of the window
        (TODAY + (DUE_SOON_DAYS + 1) * DAY, False, False),  # just outside
        (None, False, False),
    ],
)
@pytest.mark.parametrize("status", sorted(ActionStatus))
def test_overdue_and_due_soon_at_the_boundaries(
    due: date | None, overdue: bool, due_soon: bool, status: ActionStatus
) -> None:
    unfinished = status in (S.PROPOSED, S.COMMITTED, S.IN_PROGRESS, S.NOT_EFFECTIVE)
    if due is None and status in COMMITTED_STATUSES:
        return  # such an action cannot exist (a committed action keeps its dates)
    action = act(status, due=due, verify_on=None if due is None else due + 30 * DAY)
    assert in_tile(action, Tile.OVERDUE, TODAY) is (overdue and unfinished)
    assert in_tile(action, Tile.DUE_SOON, TODAY) is (due_soon and unfinished)
    # The two never overlap: due today is "due soon", the day after it is "overdue".
    assert not (in_tile(action, Tile.OVERDUE, TODAY) and in_tile(action, Tile.DUE_SOON, TODAY))


@pytest.mark.parametrize("status", sorted(ActionStatus))
def test_awaiting_verification_and_not_effective_tiles(status: ActionStatus) -> None:
    action = act(status)
    assert in_tile(action, Tile.AWAITING_VERIFICATION, TODAY) is (status == S.IMPLEMENTED)
    assert in_tile(action, Tile.NOT_EFFECTIVE, TODAY) is (status == S.NOT_EFFECTIVE)
    assert in_tile(action, Tile.OPEN, TODAY) is (status not in (S.VERIFIED_EFFECTIVE, S.CANCELLED))


@pytest.mark.parametrize(
    ("verify_on", "late"),
    [(TODAY - DAY, True), (TODAY, False), (TODAY + DAY, False)],
)
def test_verification_overdue_the_day_after_the_check_date(verify_on: date, late: bool) -> None:
    rows = [Row(act(S.IMPLEMENTED, due=TODAY - 40 * DAY, verify_on=verify_on))]
    assert verification_overdue_count(rows, TODAY) == int(late)
    # still awaiting verification either way: implemented is not done
    assert tile_counts(rows, TODAY)[Tile.AWAITING_VERIFICATION] == 1


def test_tile_counts_add_up() -> None:
    rows = [
        Row(act(S.PROPOSED, due=TODAY - DAY)),  # open, overdue
        Row(act(S.COMMITTED, due=TODAY + 3 * DAY)),  # open, due soon
        Row(act(S.IMPLEMENTED, due=TODAY - 9 * DAY)),  # open, awaiting (not overdue)
        Row(act(S.NOT_EFFECTIVE, due=TODAY - 2 * DAY)),  # open, overdue, not effective
        Row(act(S.VERIFIED_EFFECTIVE, due=TODAY - 30 * DAY)),  # nothing
        Row(act(S.CANCELLED, due=TODAY - 30 * DAY)),  # nothing
    ]
    assert tile_counts(rows, TODAY) == {
        Tile.OPEN: 4,
        Tile.OVERDUE: 2,
        Tile.DUE_SOON: 1,
        Tile.AWAITING_VERIFICATION: 1,
        Tile.NOT_EFFECTIVE: 1,
    }
    # the same rows a day later: the due-soon action is not overdue yet
    assert tile_counts(rows, TODAY + DAY)[Tile.OVERDUE] == 2
    assert tile_counts(rows, TODAY + 4 * DAY)[Tile.OVERDUE] == 3


# ------------------------------------------------------------------- filter
ROWS = [
    Row(act(owner="Ann Lee", strength=Strength.STRONG), incident_id=1, categories=("SOPs",)),
    Row(
        act(S.PROPOSED, owner="bob", title="Write the runbook", due=TODAY - DAY),
        incident_id=2,
        incident_title="Invoices duplicated",
        root_cause_texts=("Nobody owns the =SUM export",),
        categories=("Technology", "QC checkpoints"),
    ),
    Row(act(S.CANCELLED, owner="", notes="Superseded by automation"), incident_id=2),
]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (ActionFilter(), [0, 1, 2]),
        (ActionFilter(owner="ann lee"), [0]),
        (ActionFilter(owner="Bob"), [1]),
        (ActionFilter(status=S.PROPOSED), [1]),
        (ActionFilter(category="qc  checkpoints"), [1]),
        (ActionFilter(category="SOPs"), [0, 2]),
        (ActionFilter(incident_id=2), [1, 2]),
        (ActionFilter(strength=Strength.STRONG), [0]),
        (ActionFilter(text="RUNBOOK"), [0, 1, 2]),  # title, and the default root cause text
        (ActionFilter(text="runbook write"), [1]),  # every word, any order
        (ActionFilter(text="=sum"), [1]),
        (ActionFilter(text="superseded"), [2]),  # notes
        (ActionFilter(text="#2"), [1, 2]),  # incident number
        (ActionFilter(tile=Tile.OVERDUE), [1]),
        (ActionFilter(tile=Tile.OPEN, incident_id=2), [1]),
        (ActionFilter(owner="ann lee", status=S.PROPOSED), []),
    ],
)
def test_filters(flt: ActionFilter, expected: list[int]) -> None:
    assert [ROWS.index(r) for r in filter_rows(ROWS, flt, TODAY)] == expected  # type: ignore[arg-type]
    assert ReviewIndex(ROWS).mask(flt, TODAY) == [i in expected for i in range(len(ROWS))]


def test_empty_filter_and_owners_list() -> None:
    assert ActionFilter().is_empty and not ActionFilter(text="x").is_empty
    rows = [*ROWS, Row(act(owner="ANN LEE"))]
    assert owners(rows) == ["Ann Lee", "bob"]


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.text(min_size=1, max_size=6), max_size=3),
    status=st.sampled_from([None, *ActionStatus]),
)
def test_filtering_never_adds_rows(words: list[str], status: ActionStatus | None) -> None:
    """A stricter filter shows a subset: adding a condition never brings rows back."""
    loose = ActionFilter(text=" ".join(words[:1]))
    strict = ActionFilter(text=" ".join(words), status=status)
    loose_ids = {id(r) for r in filter_rows(ROWS, loose, TODAY)}  # type: ignore[arg-type]
    strict_ids = {id(r) for r in filter_rows(ROWS, strict, TODAY)}  # type: ignore[arg-type]
    assert strict_ids <= loose_ids


# ------------------------------------------------------------------- pareto
def rc(category: str, *, incident: int = 1, day: date | None = TODAY) -> RootCauseRecord:
    return RootCauseRecord(
        incident_id=incident,
        incident_title=f"Incident {incident}",
        occurred_at=datetime.combine(day, datetime.min.time()) if day else None,
        cause_id=f"c{category}{incident}",
        text="some root cause",
        category=category,
    )


def test_pareto_counts_sorts_and_accumulates() -> None:
    records = [
        *[rc("Technology", incident=i) for i in range(5)],
        *[rc("SOPs", incident=i) for i in range(3)],
        rc("Training"),
        rc("Communication"),
    ]
    bars = pareto(records)
    assert [(b.category, b.count) for b in bars] == [
        ("Technology", 5),
        ("SOPs", 3),
        ("Communication", 1),  # ties sort by name
        ("Training", 1),
    ]
    assert [round(b.share, 3) for b in bars] == [0.5, 0.3, 0.1, 0.1]
    assert [round(b.cumulative, 3) for b in bars] == [0.5, 0.8, 0.9, 1.0]


def test_pareto_merges_spellings_of_a_category_across_incidents() -> None:
    records = [
        rc("QC checkpoints", incident=1),
        rc("QC checkpoints", incident=2),
        rc("qc  Checkpoints ", incident=3),
        rc("", incident=4),
        rc("   ", incident=5),
    ]
    bars = pareto(records)
    assert [(b.category, b.count) for b in bars] == [("QC checkpoints", 3), (NO_CATEGORY, 2)]


def test_pareto_window_is_inclusive_at_both_ends() -> None:
    since, until = date(2026, 1, 1), date(2026, 3, 31)
    records = [
        rc("Before", day=since - DAY),
        rc("First day", day=since),
        rc("Last day", day=until),
        rc("After", day=until + DAY),
        rc("Undated", day=None),
    ]
    assert {b.category for b in pareto(records, since=since, until=until)} == {
        "First day",
        "Last day",
    }
    assert {b.category for b in pareto(records, since=since)} == {
        "First day",
        "Last day",
        "After",
    }
    assert len(pareto(records)) == 5  # no window: undated incidents count too
    assert pareto([]) == []
    assert pareto(records, since=date(2030, 1, 1)) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["A", "B", "C", "d", "D", "E e"]), max_size=40))
def test_pareto_invariants(categories: list[str]) -> None:
    bars = pareto([rc(c, incident=i) for i, c in enumerate(categories)])
    assert sum(b.count for b in bars) == len(categories)
    assert [b.count for b in bars] == sorted((b.count for b in bars), reverse=True)
    if bars:
        assert bars[-1].cumulative == pytest.approx(1.0)
        assert all(a.cumulative < b.cumulative for a, b in itertools.pairwise(bars))


# ----------------------------------------------------------------- coverage
@dataclass
class Built:
    incident: Incident
    roots: list[str] = field(default_factory=list)


def incident_with_roots(count: int) -> Built:
    graph = CauseGraph(problem="Reports late")
    built = Built(Incident(title="Reports late", graph=graph))
    for i in range(count):
        top = graph.add_cause(HEAD, text=f"Why {i}", category="SOPs")
        built.roots.append(graph.add_cause(top, text=f"Root {i}", root_cause=True))
    graph.add_cause(HEAD, text="Not a root cause", category="Training")
    return built


@pytest.mark.parametrize(
    ("status", "covers"),
    [
        (S.PROPOSED, False),
        (S.COMMITTED, True),
        (S.IN_PROGRESS, True),
        (S.IMPLEMENTED, True),
        (S.VERIFIED_EFFECTIVE, True),
        (S.NOT_EFFECTIVE, False),  # tried and failed: protects nothing
        (S.CANCELLED, False),
    ],
)
def test_coverage_counts_committed_actions_only(status: ActionStatus, covers: bool) -> None:
    built = incident_with_roots(3)
    built.incident.add_action(act(status, root_causes=[built.roots[0], built.roots[2]]))
    result = coverage(built.incident)
    assert result.root_causes == tuple(built.roots)
    if covers:
        assert result.covered == (built.roots[0], built.roots[2])
        assert result.uncovered == (built.roots[1],)
        assert result.text == "2 of 3 root causes have a committed action"
    else:
        assert result.covered == ()
        assert result.uncovered == tuple(built.roots)
        assert result.text == "0 of 3 root causes have a committed action"
    assert not result.complete


def test_coverage_text_and_completeness() -> None:
    one = incident_with_roots(1)
    assert coverage(one.incident).text == "0 of 1 root cause has a committed action"
    one.incident.add_action(act(S.COMMITTED, root_causes=one.roots))
    assert coverage(one.incident).text == "1 of 1 root cause has a committed action"
    assert coverage(one.incident).complete
    none = incident_with_roots(0)
    assert coverage(none.incident).text == "0 of 0 root causes have a committed action"
    assert coverage(none.incident).complete


def test_coverage_of_the_sample(sample: Incident) -> None:
    """The sample shows the finding on purpose: one root cause with only a proposal."""
    result = coverage(sample)
    assert len(result.root_causes) == 6
    assert len(result.uncovered) == 1
    assert all(not a.is_committed for a in sample.actions_for(result.uncovered[0]))


@settings(max_examples=80, deadline=None)
@given(
    status=st.sampled_from(list(ActionStatus)),
    due_offset=st.one_of(st.none(), st.integers(-12, 12)),
)
def test_tile_counts_agree_with_in_tile(status: ActionStatus, due_offset: int | None) -> None:
    """The one-pass count and the per-tile rule (the table's filter) never disagree."""
    due = None if due_offset is None else TODAY + due_offset * DAY
    if due is None and status in COMMITTED_STATUSES:
        return
    row = Row(act(status, due=due, verify_on=None if due is None else due + 30 * DAY))
    counts = tile_counts([row], TODAY)
    assert counts == {tile: int(in_tile(row.action, tile, TODAY)) for tile in Tile}
