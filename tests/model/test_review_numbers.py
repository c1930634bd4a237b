"""The numbers a review meeting reads: tiles with several actions each, the owners list in
reading order, and Pareto bars that keep counting past an undated incident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rca_desk.model import ActionStatus, PreventiveAction
from rca_desk.model.review import RootCauseRecord, Tile, owners, pareto, tile_counts

S = ActionStatus
TODAY = date(2026, 11, 23)


@dataclass(frozen=True)
class Row:
    action: PreventiveAction
    incident_id: int = 1
    incident_title: str = "Payroll late"
    root_cause_texts: tuple[str, ...] = ("No runbook",)
    categories: tuple[str, ...] = ("SOPs",)


def row(status: ActionStatus, due: date, owner: str = "Ann") -> Row:
    return Row(
        PreventiveAction(
            title="Automate the check",
            root_causes=["r1"],
            owner=owner,
            due=due,
            metric="misses",
            target="0",
            verify_on=date(2027, 1, 31),
            status=status,
        )
    )


def test_every_tile_counts_each_of_its_actions() -> None:
    rows = [
        row(S.IN_PROGRESS, date(2026, 11, 24)),  # due soon
        row(S.COMMITTED, date(2026, 11, 30)),  # due soon (last day of the window)
        row(S.PROPOSED, date(2026, 11, 1)),  # overdue
        row(S.IN_PROGRESS, date(2026, 11, 22)),  # overdue
        row(S.IMPLEMENTED, date(2026, 11, 1)),  # awaiting verification
        row(S.IMPLEMENTED, date(2026, 11, 2)),  # awaiting verification
        row(S.NOT_EFFECTIVE, date(2026, 12, 31)),  # not effective, not due soon
        row(S.NOT_EFFECTIVE, date(2027, 1, 15)),  # not effective
        row(S.VERIFIED_EFFECTIVE, date(2026, 10, 1)),  # done: in no tile
    ]
    assert tile_counts(rows, TODAY) == {
        Tile.OPEN: 8,
        Tile.OVERDUE: 2,
        Tile.DUE_SOON: 2,
        Tile.AWAITING_VERIFICATION: 2,
        Tile.NOT_EFFECTIVE: 2,
    }


def test_owners_are_listed_in_reading_order_whatever_their_case() -> None:
    rows = [
        row(S.PROPOSED, TODAY, owner="carl"),
        row(S.PROPOSED, TODAY, owner="Bea"),
        row(S.PROPOSED, TODAY, owner="ann"),
        row(S.PROPOSED, TODAY, owner="ANN"),
        row(S.PROPOSED, TODAY, owner=""),
    ]
    assert owners(rows) == ["ann", "Bea", "carl"]


def record(category: str, incident: int, day: date | None) -> RootCauseRecord:
    return RootCauseRecord(
        incident_id=incident,
        incident_title=f"Incident {incident}",
        occurred_at=datetime(day.year, day.month, day.day, 9, 0) if day else None,
        cause_id=f"r{incident}",
        text="some root cause",
        category=category,
    )


def test_an_undated_incident_is_skipped_in_a_window_and_counting_goes_on() -> None:
    records = [
        record("SOPs", 1, date(2026, 2, 1)),
        record("Training", 2, None),
        record("SOPs", 3, date(2026, 2, 10)),
        record("Technology", 4, date(2026, 3, 1)),
    ]
    bars = pareto(records, since=date(2026, 1, 1), until=date(2026, 3, 31))
    assert [(b.category, b.count) for b in bars] == [("SOPs", 2), ("Technology", 1)]


def test_the_bar_is_named_by_the_spelling_most_incidents_use() -> None:
    records = [
        record("QC Checkpoints", 1, None),
        record("QC checkpoints", 2, None),
        record("QC checkpoints", 3, None),
    ]
    bars = pareto(records)
    assert [(b.category, b.count) for b in bars] == [("QC checkpoints", 3)]


def test_equally_common_spellings_take_the_first_in_code_order() -> None:
    records = [record("qc checkpoints", 1, None), record("QC checkpoints", 2, None)]
    assert [(b.category, b.count) for b in pareto(records)] == [("QC checkpoints", 2)]
