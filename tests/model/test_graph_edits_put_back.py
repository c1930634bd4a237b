"""Edits that must put things back exactly, and the words of their refusals."""

from __future__ import annotations

import pytest

from rca_desk.model import (
    DEFAULT_CATEGORIES,
    HEAD,
    CauseGraph,
    Evidence,
    Incident,
    PreventiveAction,
    RuleError,
    preset,
)


def test_restoring_a_removed_subtree_puts_back_every_field_and_link() -> None:
    graph = CauseGraph(problem="P", categories=["A", "B"])
    graph.add_cause(HEAD, text="one", category="B", cause_id="a")
    graph.add_cause(
        "a",
        text="two",
        evidence=Evidence.VERIFIED,
        evidence_note="seen",
        root_cause=True,
        stop_reason="The vendor's code; we stop here",
        cause_id="a1",
    )
    graph.add_cause(HEAD, text="three", category="A", cause_id="b")
    graph.add_link("b", "a1")
    removed = graph.remove_cause("a")
    assert list(graph.cause_ids()) == ["b"]
    graph.restore(removed)
    assert list(graph.cause_ids()) == ["a", "a1", "b"]
    assert graph.cause("a1").root_cause is True
    assert graph.cause("a1").evidence is Evidence.VERIFIED
    assert graph.cause("a1").evidence_note == "seen"
    assert graph.cause("a1").stop_reason == "The vendor's code; we stop here"
    assert graph.cause("a").category == "B"
    assert graph.links() == [("b", "a1")]


def test_a_copy_is_independent() -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    graph.add_cause(HEAD, text="one", cause_id="a")
    clone = graph.copy()
    clone.add_cause("a", text="two", cause_id="a1")
    clone.set_categories(["A", "B"])
    assert list(graph.cause_ids()) == ["a"]
    assert graph.children("a") == ()
    assert graph.categories == ["A"]
    assert list(clone.cause_ids()) == ["a", "a1"]


def test_moving_a_cause_under_itself_is_refused_as_a_cycle() -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    graph.add_cause(HEAD, text="one", cause_id="a")
    graph.add_cause("a", text="two", cause_id="a1")
    with pytest.raises(RuleError) as refused:
        graph.move_cause("a", "a1")
    assert str(refused.value) == (
        "Cannot move cause 'one' under cause 'two': it would explain itself (a cycle)."
    )


def test_a_long_cause_is_named_by_its_first_39_characters() -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    graph.add_cause(HEAD, text="x" * 40, cause_id="a", root_cause=True)
    graph.add_cause(HEAD, text="y" * 41, cause_id="b", root_cause=True)
    incident = Incident(title="T", graph=graph)
    incident.add_action(PreventiveAction(title="Fix", root_causes=["a", "b"]))
    with pytest.raises(RuleError, match=f"^cause '{'x' * 40}' has preventive actions"):
        incident.update_cause("a", root_cause=False)
    with pytest.raises(RuleError, match=f"^cause '{'y' * 39}…' has preventive actions"):
        incident.update_cause("b", root_cause=False)


@pytest.mark.parametrize("name", ["service", "Service", " SERVICE ", "service (default)"])
def test_a_preset_is_found_by_its_first_word_in_any_case(name: str) -> None:
    assert preset(name) == DEFAULT_CATEGORIES
    assert preset("6m")[0] == "Manpower"
