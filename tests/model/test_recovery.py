"""Winning the client back (issue 16), the model's rules: the restitution lifecycle, what a
credit needs, when recovery counts as restored, and when a client is at risk."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from rca_desk.model import CheckIn, RuleError
from rca_desk.model.recovery import (
    OFFER_TRANSITIONS,
    Confidence,
    Direction,
    MeasureValue,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
    at_risk,
    checked_measure,
    checked_measure_value,
    checked_restitution,
    on_target,
    restored,
)

S = OfferStatus
TODAY = date(2026, 12, 1)
CREDIT = Restitution("r1", RestitutionKind.CREDIT, date(2026, 11, 6), amount=Decimal("6400"),
                     currency="eur")  # fmt: skip
UPTIME = TrustMeasure("m1", "Reports on time", "%", 99.0, Direction.HIGHER)
LATE = TrustMeasure("m2", "Late reports", "per week", 1, Direction.LOWER)


# ----------------------------------------------------------------- restitution
@pytest.mark.parametrize(
    ("path", "ends"),
    [
        ((S.ACCEPTED, S.DELIVERED), S.DELIVERED),
        ((S.DECLINED,), S.DECLINED),
    ],
)
def test_an_offer_is_answered_then_delivered(
    path: tuple[OfferStatus, ...], ends: OfferStatus
) -> None:
    offer = checked_restitution(CREDIT)
    for status in path:
        offer = offer.moved_to(status)
    assert offer.status is ends


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        (S.OFFERED, S.DELIVERED, "A restitution offered cannot become delivered; it can become "
         "accepted, declined."),
        (S.DECLINED, S.ACCEPTED, "A restitution declined cannot become accepted; it is settled."),
        (S.DELIVERED, S.OFFERED, "A restitution delivered cannot become offered; it is settled."),
        (S.ACCEPTED, S.DECLINED, "A restitution accepted cannot become declined; it can become "
         "delivered."),
    ],
)  # fmt: skip
def test_every_move_off_the_lifecycle_is_refused(start: S, to: S, message: str) -> None:
    offer = Restitution("r1", RestitutionKind.FREE_SERVICE, TODAY, status=start)
    with pytest.raises(RuleError) as caught:
        offer.moved_to(to)
    assert str(caught.value) == message


def test_the_lifecycle_table_allows_exactly_the_four_moves() -> None:
    moves = {(a, b) for a, nexts in OFFER_TRANSITIONS.items() for b in nexts}
    assert (
        moves
        == {
            (S.OFFERED, S.ACCEPTED),
            (S.OFFERED, S.DECLINED),
            (S.ACCEPTED, S.DELIVERED),
        }
        | set()
    )  # declined and delivered are settled
    assert len(moves) == 3


def test_a_credit_is_kept_with_its_amount_and_currency_code() -> None:
    kept = checked_restitution(CREDIT)
    assert (kept.amount, kept.currency) == (Decimal("6400"), "EUR")


@pytest.mark.parametrize(
    ("offer", "message"),
    [
        (Restitution("r1", RestitutionKind.CREDIT, TODAY, currency="EUR"), "amount above zero"),
        (Restitution("r1", RestitutionKind.CREDIT, TODAY, amount=Decimal(0), currency="EUR"),
         "amount above zero"),
        (Restitution("r1", RestitutionKind.CREDIT, TODAY, amount=Decimal(5), currency="euro"),
         "three-letter code"),
        (Restitution("r1", RestitutionKind.FREE_SERVICE, TODAY, amount=Decimal(5)),
         "Only a credit has an amount; a free service has none."),
    ],
)  # fmt: skip
def test_a_credit_needs_an_amount_and_only_a_credit_has_one(
    offer: Restitution, message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        checked_restitution(offer)


# --------------------------------------------------------------------- measures
def test_a_measure_is_met_in_its_direction() -> None:
    assert UPTIME.met(99.0) and UPTIME.met(99.5) and not UPTIME.met(98.9)
    assert LATE.met(1) and LATE.met(0) and not LATE.met(2)
    with pytest.raises(RuleError, match="target must be a number"):
        checked_measure(TrustMeasure("m3", "Uptime", "%", float("nan")))
    with pytest.raises(RuleError, match="1 to 5"):
        Confidence("k1", 6)


def held(*days: int) -> list[CheckIn]:
    return [CheckIn(f"k{n}", date(2026, 11, d), held=date(2026, 11, d)) for n, d in enumerate(days)]


def values(rows: dict[str, tuple[float, float]]) -> list[MeasureValue]:
    """Per check-in: (uptime, late reports)."""
    return [
        MeasureValue(check_in, measure.id, value)
        for check_in, pair in rows.items()
        for measure, value in zip((UPTIME, LATE), pair, strict=True)
    ]


# --------------------------------------------------------------------- restored
def test_restored_needs_every_measure_met_at_the_last_two_check_ins() -> None:
    check_ins = held(9, 16, 23)
    good, bad = (99.5, 0.0), (97.0, 0.0)
    both = [UPTIME, LATE]
    assert restored(both, check_ins, values({"k0": bad, "k1": good, "k2": good}))
    assert not restored(both, check_ins, values({"k0": good, "k1": bad, "k2": good}))
    assert not restored(both, check_ins, values({"k0": good, "k1": good, "k2": (99.5, 3.0)}))
    # A value not reported is not a value met.
    partial = [v for v in values({"k1": good, "k2": good}) if v != MeasureValue("k2", "m2", 0.0)]
    assert not restored(both, check_ins, partial)
    # An agreed number of check-ins: three in a row asks for k0 too.
    assert not restored(both, check_ins, values({"k0": bad, "k1": good, "k2": good}), streak=3)
    # Without agreed measures, or before enough check-ins were held, not restored.
    assert not restored([], check_ins, [])
    assert not restored(both, held(9), values({"k0": good}))


def test_restored_counts_check_ins_in_the_order_they_were_held() -> None:
    late = CheckIn("kx", date(2026, 11, 2), held=date(2026, 11, 30))  # planned first, held last
    check_ins = [*held(9, 16), late]
    rows = values({"k0": (99.5, 0.0), "k1": (97.0, 0.0), "kx": (99.5, 0.0)})
    assert not restored([UPTIME, LATE], check_ins, rows)  # k1 and kx are the last two


# ---------------------------------------------------------------------- at risk
def test_a_client_is_at_risk_for_each_of_four_reasons() -> None:
    check_ins = [*held(9, 16), CheckIn("k9", date(2026, 11, 20))]  # missed by Dec 1
    offers = [
        Restitution("r1", RestitutionKind.CREDIT, date(2026, 11, 6), S.ACCEPTED, Decimal(1), "EUR"),
        Restitution("r2", RestitutionKind.DEDICATED_CONTACT, date(2026, 11, 8), S.DELIVERED),
    ]
    reasons = at_risk(
        check_ins=check_ins,
        measures=[UPTIME, LATE],
        values=values({"k0": (99.5, 0.0), "k1": (98.0, 0.0)}),
        confidence=[Confidence("k0", 4, "Better"), Confidence("k1", 2, "Worried again")],
        restitution=offers,
        today=TODAY,
    )
    assert reasons == [
        "1 check-in missed (since 2026-11-20)",
        "confidence fell from 4 to 2 of 5",
        "Reports on time is 98 %, off its target (at least 99 %)",
        "1 restitution offer not delivered (offered 2026-11-06)",
    ]


def test_a_client_whose_follow_up_goes_well_is_not_at_risk() -> None:
    assert (
        at_risk(
            check_ins=held(9, 16),
            measures=[UPTIME, LATE],
            values=values({"k0": (97.0, 2.0), "k1": (99.5, 0.0)}),  # the latest values count
            confidence=[Confidence("k0", 3), Confidence("k1", 3)],
            restitution=[Restitution("r1", RestitutionKind.OTHER, TODAY, S.DECLINED)],
            today=TODAY,
        )
        == []
    )


# ----------------------------------------------------------------- in a row
def test_a_check_in_skipped_between_two_on_target_breaks_the_row() -> None:
    """Consecutive means consecutive in the schedule: a check-in planned in between and
    never held is a gap, as one off target is."""
    on_time = TrustMeasure("m1", "On time", "%", 99)
    check_ins = [
        CheckIn("k1", date(2026, 11, 2), held=date(2026, 11, 2)),
        CheckIn("k2", date(2026, 11, 9)),  # skipped
        CheckIn("k3", date(2026, 11, 16), held=date(2026, 11, 16)),
        CheckIn("k4", date(2026, 11, 30)),  # not come yet: no gap
    ]
    values = [MeasureValue("k1", "m1", 99.5), MeasureValue("k3", "m1", 99.7)]
    assert on_target([on_time], check_ins, values) == 1
    assert not restored([on_time], check_ins, values)
    check_ins[1] = CheckIn("k2", date(2026, 11, 9), held=date(2026, 11, 10))
    values.append(MeasureValue("k2", "m1", 99.1))
    assert on_target([on_time], check_ins, values) == 3
    assert restored([on_time], check_ins, values, streak=3)
    assert not restored([on_time], check_ins, values, streak=4)


@pytest.mark.parametrize("number", [10**400, 1e13, -2e12, float("inf")])
def test_a_number_past_a_trillion_is_refused_in_one_line(number: float) -> None:
    with pytest.raises(RuleError, match=r"target must be between -1,000,000,000,000 and"):
        checked_measure(TrustMeasure("m1", "On time", "%", number))
    with pytest.raises(RuleError, match=r"value must be between"):
        checked_measure_value(MeasureValue("k1", "m1", number))


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("1E+999999999"), "A credit's amount must be at most 1,000,000,000,000."),
        (Decimal("0.00001"), "A credit's amount has at most 4 decimals."),
    ],
)
def test_a_credit_amount_is_a_sensible_one(amount: Decimal, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        checked_restitution(replace(CREDIT, amount=amount))
    assert str(caught.value) == message
    assert checked_restitution(replace(CREDIT, amount=Decimal("0.125"))).amount == Decimal("0.125")
