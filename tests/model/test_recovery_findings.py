"""``check``'s findings for a client at risk (issue 16): each fires on a fixture, in the
words the review uses, and is gone once its condition is."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from rca_desk.model import CheckIn, FindingKind, Incident, findings
from rca_desk.model.follow_ups import Channel
from rca_desk.model.recovery import (
    Apology,
    Confidence,
    Direction,
    MeasureValue,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
)

TODAY = date(2026, 12, 1)
RECOVERY_KINDS = (
    FindingKind.CONFIDENCE_FALLING,
    FindingKind.OFF_TARGET,
    FindingKind.NOT_DELIVERED,
    FindingKind.NO_APOLOGY,
)


def incident() -> Incident:
    """Two check-ins held (Nov 16 and 23) and a third not yet due; every reason at once."""
    return Incident(
        title="Reports late",
        uid="inc-1",
        apology=Apology(on=date(2026, 11, 4), by="Sam", to="CFO", channel=Channel.MEETING),
        check_ins=[
            CheckIn("k1", date(2026, 11, 16), held=date(2026, 11, 16)),
            CheckIn("k2", date(2026, 11, 23), held=date(2026, 11, 23)),
            CheckIn("k3", date(2026, 12, 7)),
        ],
        measures=[
            TrustMeasure("m1", "Reports on time", "%", 99),
            TrustMeasure("m2", "Late reports", "per week", 1, Direction.LOWER),
        ],
        measure_values=[
            MeasureValue("k1", "m1", 99.5),
            MeasureValue("k2", "m1", 97),
            MeasureValue("k1", "m2", 0),
            MeasureValue("k2", "m2", 0),
        ],
        confidence=[Confidence("k1", 4), Confidence("k2", 2, "Worried again")],
        restitution=[
            Restitution(
                "r1",
                RestitutionKind.CREDIT,
                date(2026, 11, 5),
                OfferStatus.ACCEPTED,
                Decimal("6400.00"),
                "EUR",
            ),
            Restitution("r2", RestitutionKind.FREE_SERVICE, date(2026, 11, 25)),
            Restitution(
                "r3", RestitutionKind.DEDICATED_CONTACT, date(2026, 11, 5), OfferStatus.DELIVERED
            ),
        ],
    )


def recovery_findings(item: Incident, today: date = TODAY) -> list[tuple[str, str, str]]:
    return [
        (f.kind.value, f.subject, f.message)
        for f in findings(item, today=today)
        if f.kind in RECOVERY_KINDS
    ]


def test_each_reason_a_client_is_at_risk_is_a_finding_with_what_to_do() -> None:
    assert recovery_findings(incident()) == [
        (
            "confidence-falling",
            "k2",
            "confidence fell from 4 to 2 of 5; ask the client what worries them and answer it "
            "before the next check-in",
        ),
        (
            "measure-off-target",
            "m1",
            "Reports on time is 97 %, off its target (at least 99 %); tell the client at the "
            "next check-in what brings it back",
        ),
        (
            "restitution-not-delivered",
            "r1",
            "2 restitution offers not delivered (offered 2026-11-05), 26 days ago; deliver "
            "what was accepted, or ask the client for their answer",
        ),
    ]


def test_confidence_that_holds_or_rises_is_no_finding() -> None:
    item = incident()
    item.confidence[1] = Confidence("k2", 4, "Same as before")
    assert "confidence-falling" not in [kind for kind, _, _ in recovery_findings(item)]
    item.confidence[1] = Confidence("k2", 5)
    assert "confidence-falling" not in [kind for kind, _, _ in recovery_findings(item)]


def test_a_measure_back_on_target_is_no_finding() -> None:
    item = incident()
    item.measure_values[1] = MeasureValue("k2", "m1", 99)  # "at least 99" is met by 99
    assert "measure-off-target" not in [kind for kind, _, _ in recovery_findings(item)]


def test_an_offer_is_named_only_after_two_weeks_and_not_once_delivered() -> None:
    item = incident()
    credit, free_service, _ = item.restitution
    item.restitution.remove(free_service)
    # Fourteen days after the credit was offered (Nov 5) is not yet a finding; fifteen is.
    assert "restitution-not-delivered" not in [
        kind for kind, _, _ in recovery_findings(item, date(2026, 11, 19))
    ]
    late = [m for k, _, m in recovery_findings(item, date(2026, 11, 20)) if k.startswith("rest")]
    assert late == [
        "1 restitution offer not delivered (offered 2026-11-05), 15 days ago; deliver what was "
        "accepted, or ask the client for their answer"
    ]
    # The credit delivered: the free service offered on Nov 25 is six days old.
    item.restitution[0] = credit.moved_to(OfferStatus.DELIVERED)
    item.restitution.insert(1, free_service)
    assert "restitution-not-delivered" not in [kind for kind, _, _ in recovery_findings(item)]
    # Declined is settled too.
    item.restitution[1] = replace(item.restitution[1], offered_on=date(2026, 11, 1))
    assert [s for k, s, _ in recovery_findings(item) if k.startswith("rest")] == ["r2"]
    item.restitution[1] = item.restitution[1].moved_to(OfferStatus.DECLINED)
    assert recovery_findings(item)[-1][0] != "restitution-not-delivered"


def test_recovery_begun_without_an_apology_asks_for_one() -> None:
    item = incident()
    item.update_fields(apology=Apology())
    assert recovery_findings(item)[-1] == (
        "no-apology",
        "inc-1",
        "the client's recovery is under way (restitution offered, measures agreed or "
        "confidence asked) but no apology is on record; own the failure to the client and "
        "record when, by whom and how",
    )
    # An incident without a recovery on record is not asked for an apology.
    assert recovery_findings(Incident(title="Nothing yet", uid="inc-2")) == []


def test_a_missed_check_in_stays_one_finding_of_its_own() -> None:
    """at_risk counts a missed check-in too; check names it once, as check-in-missed."""
    item = incident()
    item.check_ins[2] = CheckIn("k3", date(2026, 11, 20))  # planned, not held, 11 days ago
    kinds = [f.kind for f in findings(item, today=TODAY)]
    assert kinds.count(FindingKind.FOLLOW_UP_MISSED) == 1
    assert len(recovery_findings(item)) == 3


def test_a_client_whose_recovery_goes_well_has_no_finding() -> None:
    item = incident()
    item.measure_values[1] = MeasureValue("k2", "m1", 99.5)
    item.confidence[1] = Confidence("k2", 4)
    item.restitution[:2] = [item.restitution[0].moved_to(OfferStatus.DELIVERED)]
    assert recovery_findings(item) == []
