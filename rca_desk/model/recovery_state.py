"""Where one incident's client recovery stands: restored, at risk and why, and each
measure's values over the check-ins held (what the review's chart, the report and
``rca-desk recovery`` show).

The rules are :mod:`rca_desk.model.recovery`'s, asked of an incident's own lists here, so
every view (the Recovery tab, the review, ``check``, the report, the CLI) reads one answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from rca_desk.model.follow_ups import CheckIn
from rca_desk.model.recovery import (
    Apology,
    Confidence,
    MeasureValue,
    Restitution,
    Risk,
    TrustMeasure,
    held_in_order,
    on_target,
    restored,
    risks,
)

__all__ = [
    "ClientAtRisk",
    "Point",
    "RecoveryLike",
    "RecoveryState",
    "Series",
    "clients_at_risk",
    "has_recovery",
    "incident_risks",
    "recovery_state",
    "series",
]


class RecoveryLike(Protocol):
    """What the rules read of a client's recovery: an :class:`~rca_desk.model.Incident`,
    or the review's row of one (read without loading its diagram)."""

    @property
    def apology(self) -> Apology: ...
    @property
    def restore_streak(self) -> int: ...
    @property
    def check_ins(self) -> Sequence[CheckIn]: ...
    @property
    def restitution(self) -> Sequence[Restitution]: ...
    @property
    def measures(self) -> Sequence[TrustMeasure]: ...
    @property
    def measure_values(self) -> Sequence[MeasureValue]: ...
    @property
    def confidence(self) -> Sequence[Confidence]: ...


@dataclass(frozen=True)
class Point:
    """One value at one check-in held."""

    check_in_id: str
    held: date
    value: float


@dataclass(frozen=True)
class Series:
    """A measure's values over the check-ins held, oldest first, against its target
    (``measure`` is None for the client's confidence, whose scale is 1 to 5)."""

    name: str
    unit: str
    target: float | None
    measure: TrustMeasure | None
    points: tuple[Point, ...]

    def met(self, value: float) -> bool | None:
        """Whether ``value`` meets the target (None: confidence has no target)."""
        return None if self.measure is None else self.measure.met(value)

    @property
    def trend(self) -> str:
        """The last two values compared, in words: "better", "worse", "steady", or ""
        with fewer than two."""
        if len(self.points) < 2:
            return ""
        before, last = self.points[-2].value, self.points[-1].value
        if last == before:
            return "steady"
        higher_is_better = self.measure is None or self.measure.direction.value == "higher"
        return "better" if (last > before) == higher_is_better else "worse"


@dataclass(frozen=True)
class RecoveryState:
    """Restored or not, and why the client is at risk (empty: not at risk)."""

    restored: bool
    risks: tuple[str, ...]
    #: The last check-ins held in a row at which every measure met its target.
    on_target: int
    #: How many in a row were agreed (the incident's ``restore_streak``).
    streak: int

    @property
    def at_risk(self) -> bool:
        return bool(self.risks)


def has_recovery(incident: RecoveryLike) -> bool:
    """Whether anything of the client's recovery is on record (an apology, an offer, a
    measure or a rating): an incident without any is not yet a client to win back."""
    return bool(
        incident.apology.made or incident.restitution or incident.measures or incident.confidence
    )


def incident_risks(incident: RecoveryLike, today: date) -> list[Risk]:
    """Why the incident's client is at risk on ``today``, each reason with its record."""
    return risks(
        check_ins=incident.check_ins,
        measures=incident.measures,
        values=incident.measure_values,
        confidence=incident.confidence,
        restitution=incident.restitution,
        today=today,
    )


def recovery_state(incident: RecoveryLike, today: date) -> RecoveryState:
    """The incident's recovery as the rules see it on ``today``."""
    is_restored = restored(
        incident.measures,
        incident.check_ins,
        incident.measure_values,
        streak=incident.restore_streak,
    )
    reasons = tuple(risk.text for risk in incident_risks(incident, today))
    return RecoveryState(
        restored=is_restored,
        risks=reasons,
        on_target=on_target(incident.measures, incident.check_ins, incident.measure_values),
        streak=incident.restore_streak,
    )


def series(incident: RecoveryLike) -> list[Series]:
    """Each measure's values at the check-ins held, then the client's confidence; a
    series without values is kept (it shows the target nobody reported against yet)."""
    held = held_in_order(incident.check_ins)
    values = {(v.check_in_id, v.measure_id): v.value for v in incident.measure_values}
    out = [
        Series(
            name=measure.name,
            unit=measure.unit,
            target=measure.target,
            measure=measure,
            points=tuple(
                Point(c.id, c.held, values[c.id, measure.id])
                for c in held
                if c.held is not None and (c.id, measure.id) in values
            ),
        )
        for measure in incident.measures
    ]
    scores = {rating.check_in_id: rating.score for rating in incident.confidence}
    out.append(
        Series(
            name="Client confidence",
            unit="of 5",
            target=None,
            measure=None,
            points=tuple(
                Point(c.id, c.held, float(scores[c.id]))
                for c in held
                if c.held is not None and c.id in scores
            ),
        )
    )
    return out


class ClientRecord(RecoveryLike, Protocol):
    """A recovery that knows its incident (the review's row of one)."""

    @property
    def incident_id(self) -> int: ...
    @property
    def incident_title(self) -> str: ...
    @property
    def affected(self) -> str: ...


@dataclass(frozen=True)
class ClientAtRisk:
    """One incident whose client is at risk, and why: what the review lists."""

    incident_id: int
    incident_title: str
    client: str
    reasons: tuple[str, ...]
    series: tuple[Series, ...]


def clients_at_risk(rows: Sequence[ClientRecord], today: date) -> list[ClientAtRisk]:
    """The incidents whose client is at risk on ``today``, the most reasons first (then
    by incident), each with its series for the chart. The client is the first line of
    what the incident says was affected."""
    out = [
        ClientAtRisk(
            incident_id=row.incident_id,
            incident_title=row.incident_title,
            client=row.affected.splitlines()[0] if row.affected else "",
            reasons=state.risks,
            series=tuple(series(row)),
        )
        for row in rows
        if (state := recovery_state(row, today)).at_risk
    ]
    return sorted(out, key=lambda c: (-len(c.reasons), c.incident_id))
