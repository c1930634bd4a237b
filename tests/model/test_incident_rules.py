"""Incident rules as the workshop meets them: field limits, where a new action goes, and
refusals that name the cause in words a person recognises."""

from __future__ import annotations

from datetime import datetime

import pytest

from rca_desk.model import HEAD, CauseGraph, Impact, Incident, PreventiveAction, RuleError


def incident_with(root_text: str = "Never written") -> Incident:
    graph = CauseGraph(problem="Reports late")
    graph.add_cause(HEAD, text=root_text, cause_id="r1", root_cause=True)
    graph.add_cause(HEAD, text="Slow server", cause_id="b")
    return Incident(title="Late reports", graph=graph)


def test_a_blank_title_is_refused_as_an_incident_title() -> None:
    with pytest.raises(RuleError) as caught:
        Incident(title=" \n ")
    assert str(caught.value) == "An incident title needs text; it cannot be empty."


def test_a_title_is_kept_without_surrounding_blanks() -> None:
    assert Incident(title="  Late reports \n").title == "Late reports"


@pytest.mark.parametrize("depth", [1, 20])
def test_the_whys_depth_goes_from_1_to_20(depth: int) -> None:
    assert Incident(title="x", whys_depth=depth).whys_depth == depth


@pytest.mark.parametrize("depth", [0, 21, "5", 5.0])
def test_a_whys_depth_outside_1_to_20_is_refused(depth: object) -> None:
    with pytest.raises(RuleError) as caught:
        Incident(title="x", whys_depth=depth)  # type: ignore[arg-type]
    assert str(caught.value) == "The five-whys depth must be between 1 and 20."


@pytest.mark.parametrize("name", ["affected", "description", "containment"])
def test_long_texts_hold_up_to_10000_characters(name: str) -> None:
    incident = Incident(title="x", **{name: "y" * 10_000})
    assert len(getattr(incident, name)) == 10_000
    with pytest.raises(RuleError) as caught:
        Incident(title="x", **{name: "y" * 10_001})
    assert str(caught.value) == f"The incident's {name} is longer than 10000 characters."


def test_updating_fields_returns_the_old_values_and_keeps_the_rest() -> None:
    incident = Incident(title="Late reports", affected="ACME", severity="low")  # type: ignore[arg-type]
    before = incident.update_fields(title=" Reports late ", severity="high", whys_depth=3)
    assert before == {"title": "Late reports", "severity": "low", "whys_depth": 5}
    assert (incident.title, incident.severity, incident.whys_depth) == ("Reports late", "high", 3)
    assert incident.affected == "ACME"


def test_impact_and_date_are_taken_as_given() -> None:
    impact = Impact(operational="a day lost", compliance="none")
    incident = Incident(title="x")
    incident.update_fields(impact=impact)
    assert incident.impact.operational == "a day lost"
    assert incident.impact.compliance == "none"


def test_an_unknown_field_is_named() -> None:
    with pytest.raises(RuleError) as caught:
        Incident(title="x").update_fields(owner="Ann", colour="red")
    assert str(caught.value) == "An incident has no field 'colour'."


def test_an_action_can_be_put_back_at_its_old_place() -> None:
    incident = incident_with()
    incident.add_action(PreventiveAction(title="First", root_causes=["r1"], uid="a1"))
    incident.add_action(PreventiveAction(title="Second", root_causes=["r1"], uid="a2"))
    incident.add_action(
        PreventiveAction(title="Back on top", root_causes=["r1"], uid="a0"), index=0
    )
    assert [a.title for a in incident.actions] == ["Back on top", "First", "Second"]
    index, removed = incident.remove_action("a1")
    assert (index, removed.title) == (1, "First")
    assert [a.title for a in incident.actions] == ["Back on top", "Second"]


def test_an_action_for_an_unknown_cause_names_the_action_and_the_cause() -> None:
    incident = incident_with()
    with pytest.raises(RuleError) as caught:
        incident.add_action(PreventiveAction(title="Fix it", root_causes=["c404"]))
    assert str(caught.value) == "Action 'Fix it' addresses unknown cause 'c404'."


def test_an_action_for_a_plain_cause_names_the_cause() -> None:
    incident = incident_with()
    with pytest.raises(RuleError) as caught:
        incident.add_action(PreventiveAction(title="Fix it", root_causes=["b"]))
    assert str(caught.value) == (
        "Action 'Fix it' addresses cause 'Slow server', which is not marked as a root cause."
    )


def test_a_cause_of_40_characters_is_named_whole() -> None:
    text = "The nightly job has no owner on weekends"  # 40 characters
    assert len(text) == 40
    incident = incident_with(text)
    incident.add_action(PreventiveAction(title="Fix it", root_causes=["r1"]))
    with pytest.raises(RuleError) as caught:
        incident.update_cause("r1", root_cause=False)
    assert str(caught.value) == (
        "cause 'The nightly job has no owner on weekends' has preventive actions; "
        "unlink them before unmarking it as a root cause."
    )


def test_a_longer_cause_is_named_by_its_first_39_characters() -> None:
    text = "The nightly job has no owner on weekends!"  # 41 characters
    incident = incident_with(text)
    incident.add_action(PreventiveAction(title="Fix it", root_causes=["r1"]))
    with pytest.raises(RuleError) as caught:
        incident.remove_cause("r1")
    assert str(caught.value) == (
        "cause 'The nightly job has no owner on weekend…' (or one of its sub-causes) is "
        "addressed by action 'Fix it'; unlink or delete the action first."
    )


def test_a_root_cause_without_actions_can_be_unmarked() -> None:
    incident = incident_with()
    before = incident.update_cause("r1", root_cause=False)
    assert before.root_cause is True
    assert incident.graph.cause("r1").root_cause is False


def test_the_date_and_affected_client_can_be_changed() -> None:
    incident = Incident(title="x")
    before = incident.update_fields(occurred_at=datetime(2026, 11, 2, 8, 30), affected="Northwind")
    assert before == {"occurred_at": None, "affected": ""}
    assert incident.occurred_at == datetime(2026, 11, 2, 8, 30)
    assert incident.affected == "Northwind"
