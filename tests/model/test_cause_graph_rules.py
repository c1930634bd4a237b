"""Cause-graph rules as the workshop sees them: what undo puts back, what a move reports,
and refusals that name causes the way the diagram shows them."""

from __future__ import annotations

import re

import pytest

from rca_desk.model import HEAD, CauseGraph, Evidence, RuleError


@pytest.fixture
def graph() -> CauseGraph:
    g = CauseGraph(problem="Client reports late")
    g.add_cause(HEAD, text="No SOP", category="SOPs", cause_id="a")
    g.add_cause("a", text="Never written", cause_id="a1")
    g.add_cause(HEAD, text="Server slow", category="Technology", cause_id="b")
    return g


def test_a_new_cause_gets_c_and_16_hex_digits(graph: CauseGraph) -> None:
    cause_id = graph.add_cause(HEAD, text="Backup untested")
    assert re.fullmatch(r"c[0-9a-f]{16}", cause_id)


def test_restoring_a_removed_cause_keeps_its_note_flag_and_evidence(graph: CauseGraph) -> None:
    graph.update_cause(
        "a1", root_cause=True, evidence=Evidence.SUPPORTED, evidence_note="the wiki page is blank"
    )
    removed = graph.remove_cause("a")
    graph.restore(removed)
    back = graph.cause("a1")
    assert (back.text, back.category, back.evidence, back.evidence_note, back.root_cause) == (
        "Never written",
        "SOPs",
        Evidence.SUPPORTED,
        "the wiki page is blank",
        True,
    )
    assert graph.children(HEAD) == ("a", "b")


def test_a_move_reports_where_the_cause_was(graph: CauseGraph) -> None:
    was = graph.move_cause("a1", "b", index=0)
    assert (was.cause.id, was.cause.text, was.parent, was.index) == ("a1", "Never written", "a", 0)
    assert graph.parent("a1") == "b"
    assert graph.children("a") == ()


def test_a_move_under_its_own_sub_cause_reads_as_a_cycle(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.move_cause("a", "a1")
    assert str(caught.value) == (
        "Cannot move cause 'No SOP' under cause 'Never written': it would explain itself (a cycle)."
    )


def test_a_move_onto_an_effect_it_already_contributes_to_says_what_to_do(
    graph: CauseGraph,
) -> None:
    graph.add_link("b", "a1")
    with pytest.raises(RuleError) as caught:
        graph.move_cause("a1", "b")
    assert str(caught.value) == (
        "cause 'Never written' already contributes to cause 'Server slow'; "
        "remove that link before making it the primary parent."
    )


def test_a_link_to_the_problem_is_named_the_problem(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.add_link(HEAD, "a")
    assert str(caught.value) == "cause 'No SOP' is already linked to the problem."


def test_removing_a_link_that_was_never_made_is_refused(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.remove_link("b", "a1")
    assert (
        str(caught.value) == "cause 'Never written' has no secondary link to cause 'Server slow'."
    )


def test_a_cause_of_40_characters_is_named_whole(graph: CauseGraph) -> None:
    text = "The nightly job has no owner on weekends"
    assert len(text) == 40
    graph.update_cause("a1", text=text)
    with pytest.raises(RuleError) as caught:
        graph.add_link("a1", "a1")
    assert (
        str(caught.value)
        == "cause 'The nightly job has no owner on weekends' cannot contribute to itself."
    )


def test_a_longer_cause_is_named_by_its_first_39_characters(graph: CauseGraph) -> None:
    graph.update_cause("a1", text="The nightly job has no owner on weekends!")
    with pytest.raises(RuleError) as caught:
        graph.add_link("a1", "a1")
    assert (
        str(caught.value)
        == "cause 'The nightly job has no owner on weekend…' cannot contribute to itself."
    )


def test_a_blank_problem_statement_is_refused_by_name(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.set_problem("  ")
    assert str(caught.value) == "The problem statement needs text; it cannot be empty."
    assert graph.problem == "Client reports late"


def test_setting_categories_returns_the_old_list_for_undo(graph: CauseGraph) -> None:
    before = graph.set_categories(["SOPs", "Technology", "Vendors"])
    assert before == ["SOPs", "Training", "Technology", "QC checkpoints", "Communication"]
    assert graph.categories == ["SOPs", "Technology", "Vendors"]


def test_a_copy_has_its_own_categories(graph: CauseGraph) -> None:
    clone = graph.copy()
    clone.rename_category("Training", "Onboarding")
    assert graph.categories[1] == "Training"
    assert clone.categories[1] == "Onboarding"
    assert list(clone.cause_ids()) == ["a", "a1", "b"]


# ------------------------------------------------------------------ what a cause may hold
def test_a_blank_cause_is_refused_as_a_cause(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.add_cause(HEAD, text=" \n\t ")
    assert str(caught.value) == "A cause needs text; it cannot be empty."


def test_a_cause_without_any_text_is_refused(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.add_cause(HEAD, text=None)  # type: ignore[arg-type]
    assert str(caught.value) == "A cause needs text."


def test_inner_lines_keep_their_indent_and_lose_trailing_blanks(graph: CauseGraph) -> None:
    cause_id = graph.add_cause(HEAD, text="  Steps skipped:\n  1. stop the job \t\n  2. restore  ")
    assert graph.cause(cause_id).text == "Steps skipped:\n  1. stop the job\n  2. restore"


def test_cause_text_holds_up_to_2000_characters(graph: CauseGraph) -> None:
    assert len(graph.cause(graph.add_cause(HEAD, text="x" * 2000)).text) == 2000
    with pytest.raises(RuleError) as caught:
        graph.add_cause(HEAD, text="x" * 2001)
    assert str(caught.value) == "A cause text is longer than 2000 characters."


def test_an_evidence_note_holds_up_to_2000_characters(graph: CauseGraph) -> None:
    graph.update_cause("a", evidence_note="n" * 2000)
    assert len(graph.cause("a").evidence_note) == 2000
    for bad in ("n" * 2001, None):
        with pytest.raises(RuleError) as caught:
            graph.update_cause("a", evidence_note=bad)
        assert str(caught.value) == "An evidence note must be text of at most 2000 characters."


def test_a_new_cause_has_no_evidence_note(graph: CauseGraph) -> None:
    assert graph.cause(graph.add_cause(HEAD, text="Backup untested")).evidence_note == ""


def test_the_root_cause_flag_is_yes_or_no(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.update_cause("a", root_cause="yes")
    assert str(caught.value) == "The root-cause flag must be true or false."


def test_an_unknown_category_lists_the_incident_s_categories(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.add_cause(HEAD, text="Late parts", category="Vendors")
    assert str(caught.value) == (
        "'Vendors' is not a category of this incident; "
        "use one of: SOPs, Training, Technology, QC checkpoints, Communication"
    )


def test_an_incident_keeps_at_least_one_category(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        CauseGraph(problem="p", categories=[])
    assert str(caught.value) == "An incident needs at least one category."


def test_a_blank_problem_is_refused_when_the_graph_is_made() -> None:
    with pytest.raises(RuleError) as caught:
        CauseGraph(problem="   ")
    assert str(caught.value) == "The problem statement needs text; it cannot be empty."


def test_the_problem_is_the_head_node_without_a_category() -> None:
    g = CauseGraph(problem="  Reports late ")
    assert g.nx.nodes[HEAD] == {"text": "Reports late", "category": None}


def test_asking_for_the_answers_of_an_unknown_cause_is_refused(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.children("zz")
    assert str(caught.value) == "There is no cause with id 'zz' in this incident."


def test_removing_a_link_to_an_unknown_effect_names_it_by_id(graph: CauseGraph) -> None:
    with pytest.raises(RuleError) as caught:
        graph.remove_link("gone", "a1")
    assert str(caught.value) == "cause 'Never written' has no secondary link to cause 'gone'."
