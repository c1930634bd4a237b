"""Every rule of the cause graph, each refusal leaving the graph as it was."""

from __future__ import annotations

import networkx as nx
import pytest

from rca_desk.model import HEAD, CauseGraph, Evidence, RuleError, preset
from rca_desk.model.cause_graph import CONTRIBUTES, PRIMARY


def snapshot(graph: CauseGraph) -> tuple[object, ...]:
    return (
        graph.problem,
        tuple(graph.categories),
        tuple(graph.causes()),
        tuple((c, graph.parent(c), graph.index_of(c)) for c in graph.cause_ids()),
        tuple(sorted(graph.links())),
    )


@pytest.fixture
def graph() -> CauseGraph:
    g = CauseGraph(problem="Client reports late")
    a = g.add_cause(HEAD, text="No SOP", category="SOPs", cause_id="a")
    g.add_cause(a, text="Never written", cause_id="a1")
    g.add_cause(a, text="Owner left", cause_id="a2")
    g.add_cause(HEAD, text="Server slow", category="Technology", cause_id="b")
    return g


def test_causes_form_a_tree_under_the_problem(graph: CauseGraph) -> None:
    assert len(graph) == 4
    assert list(graph.cause_ids()) == ["a", "a1", "a2", "b"]
    assert graph.parent("a1") == "a"
    assert graph.children(HEAD) == ("a", "b")
    assert graph.depth("a2") == 2
    assert graph.chain("a2") == ["a", "a2"]
    assert graph.nx.edges["a", "a1"]["kind"] == PRIMARY
    assert nx.is_arborescence(graph.nx)


def test_sub_cause_inherits_parent_category(graph: CauseGraph) -> None:
    assert graph.cause("a1").category == "SOPs"
    assert graph.cause(graph.add_cause(HEAD, text="x")).category == graph.categories[0]


def test_insert_at_index_keeps_sibling_order(graph: CauseGraph) -> None:
    graph.add_cause("a", text="First", cause_id="a0", index=0)
    assert graph.children("a") == ("a0", "a1", "a2")


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_refused(graph: CauseGraph, text: str) -> None:
    before = snapshot(graph)
    with pytest.raises(RuleError, match="cannot be empty"):
        graph.add_cause(HEAD, text=text, category="SOPs")
    with pytest.raises(RuleError, match="cannot be empty"):
        graph.update_cause("a", text=text)
    assert snapshot(graph) == before


def test_overlong_text_is_refused(graph: CauseGraph) -> None:
    with pytest.raises(RuleError, match="longer than"):
        graph.add_cause(HEAD, text="x" * 2001, category="SOPs")


def test_multiline_text_is_kept(graph: CauseGraph) -> None:
    cid = graph.add_cause(HEAD, text="  line one\nline two  ", category="SOPs")
    assert graph.cause(cid).text == "line one\nline two"


def test_unknown_category_is_refused(graph: CauseGraph) -> None:
    before = snapshot(graph)
    with pytest.raises(RuleError, match="'Weather' is not a category"):
        graph.add_cause(HEAD, text="Storm", category="Weather")
    with pytest.raises(RuleError, match="not a category"):
        graph.update_cause("b", category="Weather")
    assert snapshot(graph) == before


def test_bad_evidence_is_refused(graph: CauseGraph) -> None:
    with pytest.raises(RuleError, match="not a valid evidence status"):
        graph.update_cause("b", evidence="maybe")
    graph.update_cause("b", evidence="ruled out", evidence_note="  logs clean ")
    assert graph.cause("b").evidence == Evidence.RULED_OUT
    assert graph.cause("b").evidence_note == "logs clean"


def test_unknown_cause_and_field_are_refused(graph: CauseGraph) -> None:
    with pytest.raises(RuleError, match="no cause with id 'zz'"):
        graph.update_cause("zz", text="x")
    with pytest.raises(RuleError, match="no cause with id"):
        graph.add_cause("zz", text="x")
    with pytest.raises(RuleError, match="no field 'colour'"):
        graph.update_cause("a", colour="red")
    with pytest.raises(RuleError, match="no cause"):
        graph.cause(HEAD)


def test_duplicate_and_invalid_ids_are_refused(graph: CauseGraph) -> None:
    with pytest.raises(RuleError, match="already exists"):
        graph.add_cause(HEAD, text="x", cause_id="a")
    for bad in ["", "has space", HEAD, "x" * 65, "abc\n"]:
        with pytest.raises(RuleError, match="not a valid cause id"):
            graph.add_cause(HEAD, text="x", cause_id=bad)


def test_root_flag_must_be_boolean(graph: CauseGraph) -> None:
    with pytest.raises(RuleError, match="true or false"):
        graph.update_cause("a", root_cause="yes")


def test_one_primary_parent_move_changes_it(graph: CauseGraph) -> None:
    old = graph.move_cause("a2", "b")
    assert old.parent == "a" and old.index == 1
    assert graph.parent("a2") == "b"
    assert list(graph.nx.predecessors("a2")) == ["b"]
    assert graph.children("a") == ("a1",)
    graph.move_cause("a2", old.parent, old.index)
    assert graph.children("a") == ("a1", "a2")


def test_move_into_own_subtree_is_a_cycle(graph: CauseGraph) -> None:
    before = snapshot(graph)
    with pytest.raises(RuleError, match="cycle"):
        graph.move_cause("a", "a1")
    with pytest.raises(RuleError, match="cycle"):
        graph.move_cause("a", "a")
    assert snapshot(graph) == before


def test_secondary_link_is_allowed_but_not_a_cycle(graph: CauseGraph) -> None:
    graph.add_link("b", "a1")
    assert graph.links() == [("b", "a1")]
    assert graph.nx.edges["b", "a1"]["kind"] == CONTRIBUTES
    assert graph.parent("a1") == "a"  # still one primary parent
    before = snapshot(graph)
    with pytest.raises(RuleError, match="cycle"):
        graph.add_link("a1", "a")  # a explains a1 already
    with pytest.raises(RuleError, match="cycle"):
        graph.add_link("a1", "b")  # b -> a1 exists
    with pytest.raises(RuleError, match="itself"):
        graph.add_link("a", "a")
    with pytest.raises(RuleError, match="already linked"):
        graph.add_link("a", "a1")
    with pytest.raises(RuleError, match="already linked"):
        graph.add_link("b", "a1")
    assert snapshot(graph) == before
    assert nx.is_directed_acyclic_graph(graph.nx)


def test_move_that_closes_a_cycle_through_a_link_is_refused(graph: CauseGraph) -> None:
    graph.add_link("a1", "b")  # b also contributes to a1
    with pytest.raises(RuleError, match="cycle"):
        graph.move_cause("a", "b")  # b -> a -> a1 -> b


def test_move_onto_a_linked_effect_is_refused(graph: CauseGraph) -> None:
    graph.add_link("b", "a1")
    with pytest.raises(RuleError, match="remove that link"):
        graph.move_cause("a1", "b")


def test_remove_link(graph: CauseGraph) -> None:
    graph.add_link("b", "a1")
    graph.remove_link("b", "a1")
    assert graph.links() == []
    with pytest.raises(RuleError, match="no secondary link"):
        graph.remove_link("a", "a1")  # primary edges are not links


def test_remove_takes_subtree_and_links_and_restore_puts_back(graph: CauseGraph) -> None:
    graph.add_link("b", "a1")
    before = snapshot(graph)
    removed = graph.remove_cause("a")
    assert removed.ids == ["a", "a1", "a2"]
    assert list(graph.cause_ids()) == ["b"]
    assert graph.links() == []
    graph.restore(removed)
    assert snapshot(graph) == before


def test_problem_statement(graph: CauseGraph) -> None:
    assert graph.set_problem(" Late reports ") == "Client reports late"
    assert graph.nx.nodes[HEAD]["text"] == "Late reports"
    with pytest.raises(RuleError, match="problem statement"):
        graph.set_problem(" ")


def test_categories_editable_but_not_while_used(graph: CauseGraph) -> None:
    graph.set_categories(["SOPs", "Technology", "Vendors"])
    assert graph.categories == ["SOPs", "Technology", "Vendors"]
    with pytest.raises(RuleError, match="'SOPs' is still used by 3"):
        graph.set_categories(["Technology"])
    with pytest.raises(RuleError, match="appears twice"):
        graph.set_categories(["SOPs", "SOPs", "Technology"])
    with pytest.raises(RuleError, match="at least one"):
        graph.set_categories([])
    with pytest.raises(RuleError, match="needs a name"):
        graph.set_categories(["SOPs", "Technology", " "])
    assert graph.categories == ["SOPs", "Technology", "Vendors"]


def test_rename_category_renames_causes(graph: CauseGraph) -> None:
    graph.rename_category("SOPs", "Procedures")
    assert graph.categories[0] == "Procedures"
    assert {graph.cause(c).category for c in ("a", "a1", "a2")} == {"Procedures"}
    with pytest.raises(RuleError, match="already a category"):
        graph.rename_category("Procedures", "Technology")
    with pytest.raises(RuleError, match="no category"):
        graph.rename_category("Nope", "X")


def test_presets() -> None:
    assert len(preset("6M")) == 6
    assert len(preset("8p")) == 8
    assert preset("4S")[0] == "Surroundings"
    with pytest.raises(RuleError, match="Unknown category preset"):
        preset("9Z")
    g = CauseGraph(problem="p", categories=preset("6M"))
    g.add_cause(HEAD, text="Worn belt", category="Machine")


def test_copy_is_independent(graph: CauseGraph) -> None:
    clone = graph.copy()
    clone.add_cause("a", text="only in the clone")
    assert len(graph) == 4 and len(clone) == 5
    assert snapshot(graph) != snapshot(clone)
