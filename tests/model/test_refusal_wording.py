"""The model's refusals, word for word: the app shows them as they are."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Incident,
    PreventiveAction,
    RuleError,
)
from rca_desk.model.categories import clean_category_name
from rca_desk.model.cause_graph import clean_text


def refused(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(RuleError) as error:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(error.value)


def graph() -> CauseGraph:
    g = CauseGraph(problem="P", categories=["A"])
    g.add_cause(HEAD, text="one", cause_id="a")
    g.add_cause("a", text="two", cause_id="a1")
    return g


def test_committing_names_everything_missing_in_order() -> None:
    action = PreventiveAction(title="Fix", root_causes=["r"], owner="Ann", metric="m", target="t")
    assert refused(action.change_status, ActionStatus.COMMITTED, at=datetime(2026, 1, 1)) == (
        "Action 'Fix' cannot be committed without a due date, a verification date."
    )
    bare = PreventiveAction(title="Fix", root_causes=["r"])
    assert refused(bare.change_status, ActionStatus.COMMITTED, at=datetime(2026, 1, 1)) == (
        "Action 'Fix' cannot be committed without an owner, a due date, "
        "a success measure (metric and target), a verification date."
    )


def test_category_names_are_checked() -> None:
    assert refused(clean_category_name, "   ") == "A category needs a name."
    assert refused(clean_category_name, "x" * 61) == (
        f"Category name '{'x' * 20}'… is longer than 60 characters."
    )


def test_text_keeps_its_inner_indentation() -> None:
    assert clean_text("  first\n   second  \n") == "first\n   second"


def test_empty_problem_and_title_are_refused_by_name() -> None:
    assert refused(CauseGraph, problem=" ") == (
        "The problem statement needs text; it cannot be empty."
    )
    assert refused(Incident, title="") == "An incident title needs text; it cannot be empty."


def test_the_problem_node_has_no_category() -> None:
    assert dict(graph().nx.nodes(data="category"))[HEAD] is None


def test_an_unknown_node_is_named() -> None:
    assert refused(graph().children, "zz") == "There is no cause with id 'zz' in this incident."


def test_links_name_causes_by_text_and_the_problem_as_such() -> None:
    g = graph()
    assert refused(g.add_link, HEAD, "a") == "cause 'one' is already linked to the problem."
    assert refused(g.add_link, "a", "a1") == "cause 'two' is already linked to cause 'one'."
    g.add_cause(HEAD, text="y" * 41, cause_id="b")
    assert refused(g.add_link, "b", "b") == f"cause '{'y' * 39}…' cannot contribute to itself."
    g.add_cause(HEAD, text="z" * 40, cause_id="c")
    assert refused(g.add_link, "c", "c") == f"cause '{'z' * 40}' cannot contribute to itself."


@pytest.mark.parametrize("note", [5, "n" * 2001])
def test_an_evidence_note_must_be_short_text(note: object) -> None:
    assert refused(graph().update_cause, "a", evidence_note=note) == (
        "An evidence note must be text of at most 2000 characters."
    )


def test_the_whys_depth_is_1_to_20() -> None:
    assert Incident(title="T", whys_depth=20).whys_depth == 20
    assert refused(Incident, title="T", whys_depth=21) == (
        "The five-whys depth must be between 1 and 20."
    )


def test_an_action_for_an_unknown_cause_names_the_action() -> None:
    incident = Incident(title="T", graph=graph())
    action = PreventiveAction(title="Fix", root_causes=["zz"])
    assert refused(incident.add_action, action) == "Action 'Fix' addresses unknown cause 'zz'."


def test_new_cause_ids_are_c_and_16_hex_digits() -> None:
    cause_id = graph().add_cause(HEAD, text="three")
    assert re.fullmatch(r"c[0-9a-f]{16}", cause_id)


def test_cause_fields_are_checked_in_words() -> None:
    g = CauseGraph(problem="P", categories=["A", "B"])
    assert refused(g.add_cause, HEAD, text="x", category="Z") == (
        "'Z' is not a category of this incident; use one of: A, B"
    )
    assert refused(g.add_cause, HEAD, text="x", root_cause="yes") == (
        "The root-cause flag must be true or false."
    )
    assert g.cause(g.add_cause(HEAD, text="x", evidence_note="n" * 2000)).evidence_note == (
        "n" * 2000
    )
    assert refused(CauseGraph, problem="P", categories=[]) == (
        "An incident needs at least one category."
    )
