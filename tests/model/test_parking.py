"""The parking lot (issue 14): ideas kept in order with their words only, checked as
cause text is, until placed or discarded."""

from __future__ import annotations

import pytest

from rca_desk.model import Incident, ParkedIdea, RuleError


def test_ideas_keep_their_order_and_words() -> None:
    incident = Incident(title="Checkout outage")
    first = incident.park("  Nobody watched the queue depth \n")
    second = incident.park("Retries made it worse")
    early = incident.park("The alert went to an old channel", index=0)
    assert [i.text for i in incident.parking] == [
        "The alert went to an old channel",
        "Nobody watched the queue depth",
        "Retries made it worse",
    ]
    assert len({first.id, second.id, early.id}) == 3
    assert incident.unpark(first.id) == (1, first)
    assert incident.parking == [early, second]


@pytest.mark.parametrize(
    ("text", "says"),
    [("   ", "cannot be empty"), ("x" * 2001, "longer than 2000"), ("a\u202eb", "different order")],
)
def test_an_idea_is_checked_like_a_cause(text: str, says: str) -> None:
    incident = Incident(title="t")
    with pytest.raises(RuleError, match=says):
        incident.park(text)
    assert incident.parking == []


def test_ids_are_unique_and_valid_and_unknown_ones_refused() -> None:
    incident = Incident(title="t")
    incident.park("One", idea_id="p1")
    with pytest.raises(RuleError, match="already in the parking lot"):
        incident.park("Two", idea_id="p1")
    with pytest.raises(RuleError, match="not a valid"):
        incident.park("Two", idea_id="has space")
    with pytest.raises(RuleError, match="no idea 'p9'"):
        incident.unpark("p9")
    assert [i.id for i in incident.parking] == ["p1"]


def test_an_incident_built_with_a_lot_checks_it() -> None:
    kept = Incident(title="t", parking=[ParkedIdea("p1", " spaced "), ParkedIdea("p2", "b")])
    assert kept.parking == [ParkedIdea("p1", "spaced"), ParkedIdea("p2", "b")]
    with pytest.raises(RuleError):
        Incident(title="t", parking=[ParkedIdea("p1", "a"), ParkedIdea("p1", "b")])
