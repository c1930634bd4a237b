"""The category rule (docs/categories.md) in the model: a cause's branch, the note on its
own category's title, and counts by its own category."""

from __future__ import annotations

from rca_desk.model import HEAD, CauseGraph
from rca_desk.model.categories import category_title
from tests.cross_category import METHODS_TITLE, cross_category_incident


def test_a_sub_cause_s_branch_is_its_first_level_ancestor_s_category() -> None:
    graph = cross_category_incident().graph
    assert graph.branches() == {
        "press": "Machines",
        "lube": "Machines",
        "checklist": "Machines",
        "instruction": "Methods",
        "operator": "People",
    }
    assert [graph.branch(c) for c in graph.cause_ids()] == list(graph.branches().values())
    # Its own category is untouched.
    assert graph.cause("lube").category == graph.cause("checklist").category == "Methods"


def test_counts_follow_the_own_category() -> None:
    graph = cross_category_incident().graph
    assert graph.category_usage() == {"Machines": 1, "Methods": 3, "People": 1}
    assert graph.elsewhere() == {"Machines": 0, "Methods": 2, "People": 0}


def test_titles_note_the_causes_on_other_bones() -> None:
    graph = cross_category_incident().graph
    assert graph.category_titles() == {
        "Machines": "Machines",
        "Methods": METHODS_TITLE,
        "People": "People",
    }
    assert graph.category_titles(sep="\n")["Methods"] == "Methods\n(+2 on other bones)"
    assert category_title("Methods", 1) == "Methods (+1 on other bones)"
    assert category_title("Methods", 0) == "Methods"


def test_the_branch_follows_moves_and_category_edits() -> None:
    graph = cross_category_incident().graph
    graph.update_cause("lube", category="Machines")
    assert graph.category_titles()["Methods"] == "Methods (+1 on other bones)"
    graph.move_cause("lube", HEAD)  # now a first-level Machines cause; its child follows
    assert graph.branches()["checklist"] == "Machines"
    graph.update_cause("lube", category="Methods")  # the whole chain moves bone
    assert graph.branches()["checklist"] == "Methods"
    assert graph.elsewhere()["Methods"] == 0


def test_an_empty_graph_has_no_branches() -> None:
    graph = CauseGraph(problem="P")
    assert graph.branches() == {}
    assert set(graph.elsewhere().values()) == {0}
