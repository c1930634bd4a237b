"""One incident's recovery as every view reads it: restored, at risk, and the series."""

from __future__ import annotations

from datetime import date

from rca_desk.model import CheckIn, Incident
from rca_desk.model.recovery import (
    Apology,
    Confidence,
    Direction,
    MeasureValue,
    Restitution,
    RestitutionKind,
    TrustMeasure,
)
from rca_desk.model.recovery_state import has_recovery, recovery_state, series

TODAY = date(2026, 12, 1)


def incident() -> Incident:
    return Incident(
        title="Reports late",
        check_ins=[
            CheckIn("k2", date(2026, 11, 17), held=date(2026, 11, 18)),
            CheckIn("k1", date(2026, 11, 10), held=date(2026, 11, 10)),
            CheckIn("k3", date(2026, 11, 24)),
        ],
        measures=[
            TrustMeasure("m1", "On time", "%", 99),
            TrustMeasure("m2", "Late", "per week", 1, Direction.LOWER),
        ],
        measure_values=[
            MeasureValue("k1", "m1", 97),
            MeasureValue("k2", "m1", 99.5),
            MeasureValue("k2", "m2", 3),
            MeasureValue("k3", "m2", 0),  # not held: not a point
        ],
        confidence=[Confidence("k1", 4), Confidence("k2", 2)],
    )


def test_series_run_over_the_check_ins_held_in_the_order_held() -> None:
    on_time, late, confidence = series(incident())
    assert [(p.check_in_id, p.value) for p in on_time.points] == [("k1", 97), ("k2", 99.5)]
    assert on_time.trend == "better" and on_time.met(99.5) and not on_time.met(97)
    assert [(p.check_in_id, p.value) for p in late.points] == [("k2", 3)]
    assert late.trend == ""
    assert confidence.target is None and confidence.met(5) is None
    assert [p.value for p in confidence.points] == [4, 2]
    assert confidence.trend == "worse"


def test_the_state_asks_the_rules_of_the_incidents_own_lists() -> None:
    state = recovery_state(incident(), TODAY)
    assert not state.restored
    assert (state.on_target, state.streak) == (0, 2)  # k2 (the last held) missed "Late"
    assert state.risks == (
        "1 check-in missed (since 2026-11-24)",  # a week after its day
        "confidence fell from 4 to 2 of 5",
        "Late is 3 per week, off its target (at most 1 per week)",
    )
    assert state.at_risk


def test_an_incident_without_a_recovery_on_record_is_not_a_client_to_win_back() -> None:
    bare = Incident(title="Nothing yet")
    assert not has_recovery(bare)
    assert not recovery_state(bare, TODAY).at_risk
    bare.update_fields(apology=Apology(on=date(2026, 11, 3)))
    assert has_recovery(bare)
    offered = Incident(
        title="Offer",
        restitution=[Restitution("r1", RestitutionKind.OTHER, date(2026, 11, 3))],
    )
    assert has_recovery(offered)
    assert recovery_state(offered, TODAY).risks == (
        "1 restitution offer not delivered (offered 2026-11-03)",
    )


def test_on_target_counts_the_last_check_ins_held_in_a_row() -> None:
    kept = incident()
    kept.put_record("measure_values", MeasureValue("k2", "m2", 1))
    kept.put_record("measure_values", MeasureValue("k1", "m2", 5))
    state = recovery_state(kept, TODAY)
    assert (state.on_target, state.restored) == (1, False)  # k1 missed both
    kept.put_record("measure_values", MeasureValue("k1", "m1", 99))
    kept.put_record("measure_values", MeasureValue("k1", "m2", 0))
    state = recovery_state(kept, TODAY)
    assert (state.on_target, state.restored) == (2, True)


def test_confidence_falling_by_one_point_is_falling() -> None:
    kept = Incident(
        title="One point",
        check_ins=[
            CheckIn("k1", date(2026, 11, 10), held=date(2026, 11, 10)),
            CheckIn("k2", date(2026, 11, 17), held=date(2026, 11, 17)),
        ],
        confidence=[Confidence("k1", 4), Confidence("k2", 3)],
    )
    assert recovery_state(kept, TODAY).risks == ("confidence fell from 4 to 3 of 5",)
    kept.put_record("confidence", Confidence("k2", 4))  # steady is not falling
    assert recovery_state(kept, TODAY).risks == ()
