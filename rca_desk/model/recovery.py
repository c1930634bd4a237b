"""Winning the client back (issue 16): the apology, restitution, trust measures, and when
recovery counts as restored.

A failure that hurt a client is not closed when its root causes are found. Teams that
keep the client own the failure and apologise, offer restitution without being asked,
agree measures tailored to what went wrong and report them at every check-in, and ask
the client how confident they feel. This module holds those facts and the rules on them:

* a restitution offer moves offered → accepted → delivered, or offered → declined, and
  nothing else (:data:`OFFER_TRANSITIONS`);
* a trust measure has a target and a direction; a value meets it or not;
* recovery is **restored** only when every measure met its target at each of the last
  ``streak`` check-ins held (2 by default): one good month is not trust;
* a client is **at risk** when a check-in was missed, confidence fell, a measure is off
  target, or restitution was offered and not delivered.

Values and confidence hang on check-ins by id (see :mod:`rca_desk.model.follow_ups`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from rca_desk.model.cause_graph import check_cause_id
from rca_desk.model.errors import RuleError
from rca_desk.model.follow_ups import Channel, CheckIn, CheckInState, check_in_state
from rca_desk.model.record import one_line

__all__ = [
    "DEFAULT_STREAK",
    "DELIVERY_DAYS",
    "MAX_STREAK",
    "OFFER_TRANSITIONS",
    "Apology",
    "Confidence",
    "Direction",
    "MeasureValue",
    "OfferStatus",
    "Restitution",
    "RestitutionKind",
    "Risk",
    "RiskKind",
    "TrustMeasure",
    "at_risk",
    "checked_apology",
    "checked_confidence",
    "checked_measure",
    "checked_measure_value",
    "checked_restitution",
    "checked_streak",
    "held_in_order",
    "number_text",
    "on_target",
    "restored",
    "risks",
]

#: Check-ins in a row at which every measure must meet its target.
DEFAULT_STREAK = 2
#: An agreed streak longer than this is a typo (three years of monthly check-ins).
MAX_STREAK = 36
#: No measure, value or amount is bigger than this (a trillion): beyond it is a typo.
MAX_MAGNITUDE = 1e12
#: A credit's amount has at most this many decimals (no currency has more than 4).
MAX_DECIMALS = 4
#: Days an offer may wait to be delivered (or answered) before ``check`` names it: a
#: credit lands on the next invoice, a contact is named within days; two weeks on, an
#: offer still open is a promise to a hurt client slipping.
DELIVERY_DAYS = 14
_CURRENCY = re.compile(r"[A-Z]{3}")


class RestitutionKind(StrEnum):
    """What is offered to make good: money back, or service the client did not pay for."""

    CREDIT = "credit"
    FREE_SERVICE = "free_service"
    EXTENDED_SUPPORT = "extended_support"
    DEDICATED_CONTACT = "dedicated_contact"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class OfferStatus(StrEnum):
    """Where an offer stands: made, answered by the client, or delivered."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DELIVERED = "delivered"


#: Where an offer may go next: the client answers, then we deliver what was accepted.
OFFER_TRANSITIONS: dict[OfferStatus, frozenset[OfferStatus]] = {
    OfferStatus.OFFERED: frozenset({OfferStatus.ACCEPTED, OfferStatus.DECLINED}),
    OfferStatus.ACCEPTED: frozenset({OfferStatus.DELIVERED}),
    OfferStatus.DECLINED: frozenset(),
    OfferStatus.DELIVERED: frozenset(),
}


@dataclass(frozen=True)
class Apology:
    """Who owned the failure to whom, when, and how."""

    on: date | None = None
    by: str = ""
    to: str = ""
    channel: Channel = Channel.CALL

    @property
    def made(self) -> bool:
        """Whether the apology was made (its date is what counts)."""
        return self.on is not None


def checked_apology(apology: Apology) -> Apology:
    """``apology`` as kept: a date (or none yet), two names on one line, a channel."""
    if not isinstance(apology, Apology):
        raise RuleError("The apology must be an apology record.")
    if apology.on is not None and (
        not isinstance(apology.on, date) or isinstance(apology.on, datetime)
    ):
        raise RuleError("The apology's date must be a date.")
    return Apology(
        on=apology.on,
        by=one_line(apology.by, what="Who apologised", required=False),
        to=one_line(apology.to, what="Who the apology went to", required=False),
        channel=Channel(apology.channel),
    )


def checked_streak(streak: object) -> int:
    """The agreed number of check-ins in a row at which every measure meets its target."""
    if isinstance(streak, bool) or not isinstance(streak, int) or not 1 <= streak <= MAX_STREAK:
        raise RuleError(
            f"Recovery needs 1 to {MAX_STREAK} check-ins in a row on target, not {streak!r}."
        )
    return streak


@dataclass(frozen=True)
class Restitution:
    """One offer to make good: a credit (amount and currency) or another kind."""

    id: str
    kind: RestitutionKind
    offered_on: date
    status: OfferStatus = OfferStatus.OFFERED
    amount: Decimal | None = None
    currency: str = ""
    note: str = ""

    @property
    def amount_text(self) -> str:
        """A credit's amount as people read it, exactly as kept, the same in every view:
        ``6,400.00 EUR``, ``0.125 BHD``; "" for other kinds."""
        if self.amount is None:
            return ""
        return f"{self.amount:,f} {self.currency}".strip()

    def moved_to(self, status: OfferStatus) -> Restitution:
        """The offer after the client's answer or our delivery; refused off the lifecycle."""
        status = OfferStatus(status)
        if status not in OFFER_TRANSITIONS[self.status]:
            allowed = ", ".join(sorted(s.value for s in OFFER_TRANSITIONS[self.status]))
            raise RuleError(
                f"A restitution {self.status.value} cannot become {status.value}"
                + (f"; it can become {allowed}." if allowed else "; it is settled.")
            )
        return replace(self, status=status)


def checked_restitution(offer: Restitution) -> Restitution:
    """``offer`` as kept: a credit has a positive amount and an ISO 4217 currency code,
    other kinds have neither."""
    kind = RestitutionKind(offer.kind)
    if not isinstance(offer.offered_on, date) or isinstance(offer.offered_on, datetime):
        raise RuleError("A restitution needs the date it was offered.")
    amount, currency = offer.amount, offer.currency.strip().upper()
    if kind is RestitutionKind.CREDIT:
        try:
            amount = Decimal(str(amount)) if amount is not None else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount <= 0:
            raise RuleError("A credit needs an amount above zero.")
        if amount > Decimal(int(MAX_MAGNITUDE)):
            raise RuleError(f"A credit's amount must be at most {MAX_MAGNITUDE:,.0f}.")
        if -amount.as_tuple().exponent > MAX_DECIMALS:  # type: ignore[operator]
            raise RuleError(f"A credit's amount has at most {MAX_DECIMALS} decimals.")
        if not _CURRENCY.fullmatch(currency):
            raise RuleError(
                f"A credit needs its currency as a three-letter code (EUR, USD), not {currency!r}."
            )
    elif amount is not None or currency:
        raise RuleError(f"Only a credit has an amount; a {kind.label} has none.")
    return Restitution(
        id=check_cause_id(offer.id),
        kind=kind,
        offered_on=offer.offered_on,
        status=OfferStatus(offer.status),
        amount=amount,
        currency=currency,
        note=one_line(offer.note, what="A restitution's note", required=False, limit=2000),
    )


class Direction(StrEnum):
    """Which way a measure should go: higher is better (uptime) or lower (late reports)."""

    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class TrustMeasure:
    """A measure agreed with the client, reported at every check-in until trust is back."""

    id: str
    name: str
    unit: str
    target: float
    direction: Direction = Direction.HIGHER

    def met(self, value: float) -> bool:
        return value >= self.target if self.direction is Direction.HIGHER else value <= self.target

    @property
    def short_target(self) -> str:
        """The target with its direction as a sign, for a column header: "≥ 99 %"."""
        sign = "≥" if self.direction is Direction.HIGHER else "≤"
        return f"{sign} {self.value_text(self.target)}"

    def value_text(self, value: float) -> str:
        """``value`` with the measure's unit, as every view writes it ("97 %")."""
        return number_text(value) + (f" {self.unit}" if self.unit else "")

    @property
    def target_text(self) -> str:
        """The target with its direction, in words ("at least 99 %")."""
        better = "at least" if self.direction is Direction.HIGHER else "at most"
        return f"{better} {self.value_text(self.target)}"


def number_text(value: float) -> str:
    """``value`` short (99, 99.5, 0.25), but never rounded: a value that six digits would
    round is written in full."""
    text = f"{value:g}"
    return text if float(text) == value else repr(value)


def _number(value: object, what: str) -> float:
    """``value`` as a float within :data:`MAX_MAGNITUDE` either way, or a refusal naming
    ``what`` (a bigger one is a typo, and could not be charted)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleError(f"{what} must be a number, not {value!r}.")
    if isinstance(value, float) and math.isnan(value):
        raise RuleError(f"{what} must be a number, not {value!r}.")
    if not -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:  # (exact for a huge int too)
        raise RuleError(f"{what} must be between -{MAX_MAGNITUDE:,.0f} and {MAX_MAGNITUDE:,.0f}.")
    return float(value)


def checked_measure(measure: TrustMeasure) -> TrustMeasure:
    target = _number(measure.target, "A trust measure's target")
    return TrustMeasure(
        id=check_cause_id(measure.id),
        name=one_line(measure.name, what="A trust measure's name", required=True),
        unit=one_line(measure.unit, what="A trust measure's unit", required=False),
        target=target,
        direction=Direction(measure.direction),
    )


@dataclass(frozen=True)
class MeasureValue:
    """A measure's value as reported at one check-in."""

    check_in_id: str
    measure_id: str
    value: float

    @property
    def id(self) -> str:
        """One value per measure and check-in: the pair is the record's id (``/`` is in
        neither id, so two pairs never make one id)."""
        return f"{self.check_in_id}/{self.measure_id}"


def checked_measure_value(value: MeasureValue) -> MeasureValue:
    number = _number(value.value, "A measure's value")
    return MeasureValue(
        check_in_id=check_cause_id(value.check_in_id),
        measure_id=check_cause_id(value.measure_id),
        value=number,
    )


@dataclass(frozen=True)
class Confidence:
    """How confident the client said they feel at one check-in (1-5), in their words."""

    check_in_id: str
    score: int
    words: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.score, bool) or self.score not in range(1, 6):
            raise RuleError(f"Client confidence is 1 to 5, not {self.score!r}.")

    @property
    def id(self) -> str:
        """One rating per check-in: the check-in's id is the record's."""
        return self.check_in_id


def checked_confidence(confidence: Confidence) -> Confidence:
    return Confidence(
        check_in_id=check_cause_id(confidence.check_in_id),
        score=confidence.score,
        words=one_line(confidence.words, what="The client's words", required=False, limit=2000),
    )


def held_in_order(check_ins: Iterable[CheckIn]) -> list[CheckIn]:
    """The check-ins held, in the order they were held."""
    held = [c for c in check_ins if c.held is not None]
    return sorted(held, key=lambda c: (c.held, c.planned, c.id))


def _values(values: Iterable[MeasureValue]) -> Mapping[tuple[str, str], float]:
    return {(v.check_in_id, v.measure_id): v.value for v in values}


def on_target(
    measures: Sequence[TrustMeasure],
    check_ins: Iterable[CheckIn],
    values: Iterable[MeasureValue],
) -> int:
    """How many check-ins in a row, back from the last one held, every measure met its
    target at. The row is the schedule (planned order) up to the last check-in held: one
    planned in between and not held breaks it, as one off target does; those planned
    after it have not come yet. Without agreed measures: 0."""
    if not measures:
        return 0
    planned = sorted(check_ins, key=lambda c: (c.planned, c.held or c.planned, c.id))
    held = [n for n, c in enumerate(planned) if c.held is not None]
    if not held:
        return 0
    reported = _values(values)
    count = 0
    for check_in in reversed(planned[: held[-1] + 1]):
        if check_in.held is None or not all(
            (check_in.id, m.id) in reported and m.met(reported[check_in.id, m.id]) for m in measures
        ):
            break
        count += 1
    return count


def restored(
    measures: Sequence[TrustMeasure],
    check_ins: Iterable[CheckIn],
    values: Iterable[MeasureValue],
    *,
    streak: int = DEFAULT_STREAK,
) -> bool:
    """Whether every measure met its target at each of the last ``streak`` check-ins in
    a row (see :func:`on_target`). Without agreed measures nothing shows trust is back:
    not restored."""
    return streak >= 1 and on_target(measures, check_ins, values) >= streak


class RiskKind(StrEnum):
    """Why a client is at risk, one of four reasons (``check`` has a finding per reason)."""

    MISSED = "missed"
    CONFIDENCE = "confidence"
    OFF_TARGET = "off_target"
    UNDELIVERED = "undelivered"


@dataclass(frozen=True)
class Risk:
    """One reason the client is at risk: its words, and the record it is about (the first
    check-in missed, the check-in where confidence fell, the measure, the oldest offer
    not delivered), so ``check`` can name it and the app can select it."""

    kind: RiskKind
    subject: str
    text: str
    #: When the reason began: the first missed check-in's day, the oldest undelivered
    #: offer's date; None for confidence and measures (they are as of the last check-in).
    since: date | None = None


def risks(
    *,
    check_ins: Iterable[CheckIn],
    measures: Sequence[TrustMeasure],
    values: Iterable[MeasureValue],
    confidence: Iterable[Confidence],
    restitution: Iterable[Restitution],
    today: date,
) -> list[Risk]:
    """Why the client is at risk (empty: not at risk), most urgent first, each with the
    record it is about; :func:`at_risk` is their words."""
    check_ins = list(check_ins)
    out = []
    missed = [c for c in check_ins if check_in_state(c, today) is CheckInState.MISSED]
    if missed:
        first = min(missed, key=lambda c: (c.planned, c.id))
        out.append(
            Risk(
                RiskKind.MISSED,
                first.id,
                f"{len(missed)} check-in{'s' if len(missed) > 1 else ''} missed (since "
                f"{first.planned.isoformat()})",
                first.planned,
            )
        )
    held = held_in_order(check_ins)
    scores = {c.check_in_id: c.score for c in confidence}
    said = [(c.id, scores[c.id]) for c in held if c.id in scores]
    if len(said) >= 2 and said[-1][1] < said[-2][1]:
        out.append(
            Risk(
                RiskKind.CONFIDENCE,
                said[-1][0],
                f"confidence fell from {said[-2][1]} to {said[-1][1]} of 5",
            )
        )
    reported = _values(values)
    for measure in measures:
        latest = next(
            (reported[c.id, measure.id] for c in reversed(held) if (c.id, measure.id) in reported),
            None,
        )
        if latest is not None and not measure.met(latest):
            out.append(
                Risk(
                    RiskKind.OFF_TARGET,
                    measure.id,
                    f"{measure.name} is {measure.value_text(latest)}, off its target "
                    f"({measure.target_text})",
                )
            )
    waiting = [r for r in restitution if r.status in (OfferStatus.OFFERED, OfferStatus.ACCEPTED)]
    if waiting:
        oldest = min(waiting, key=lambda r: (r.offered_on, r.id))
        out.append(
            Risk(
                RiskKind.UNDELIVERED,
                oldest.id,
                f"{len(waiting)} restitution offer{'s' if len(waiting) > 1 else ''} not "
                f"delivered (offered {oldest.offered_on.isoformat()})",
                oldest.offered_on,
            )
        )
    return out


def at_risk(
    *,
    check_ins: Iterable[CheckIn],
    measures: Sequence[TrustMeasure],
    values: Iterable[MeasureValue],
    confidence: Iterable[Confidence],
    restitution: Iterable[Restitution],
    today: date,
) -> list[str]:
    """Why the client is at risk (empty: not at risk), in plain words, most urgent first."""
    return [
        risk.text
        for risk in risks(
            check_ins=check_ins,
            measures=measures,
            values=values,
            confidence=confidence,
            restitution=restitution,
            today=today,
        )
    ]
