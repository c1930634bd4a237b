"""The typed node references: every layout id parses to what it names, and the incident
tab's toolbar acts only on what is a cause."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rca_desk.layout.fishbone import layout_fishbone
from rca_desk.layout.text import ApproxMetrics
from rca_desk.layout.whys import layout_whys
from rca_desk.model import HEAD, CauseGraph
from rca_desk.ui.canvas.nodes import (
    CategoryRef,
    CauseRef,
    ProblemRef,
    QuestionRef,
    cause_id_of,
    parse_node,
)
from rca_desk.ui.incident.incident_tab import IncidentTab
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("node", "ref"),
    [
        ("problem", ProblemRef()),
        ("sop-4", CauseRef("sop-4")),
        ("a", CauseRef("a")),
        ("category:SOPs", CategoryRef("SOPs")),
        ("category:QC checkpoints", CategoryRef("QC checkpoints")),
        ("category:", CategoryRef("")),
        ("category:a:b", CategoryRef("a:b")),
        ("?sop-4", QuestionRef("sop-4")),
    ],
)
def test_parse_names_what_the_id_means(node: str, ref: object) -> None:
    assert parse_node(node) == ref


@pytest.mark.parametrize("node", [None, ""])
def test_no_node_parses_to_none(node: str | None) -> None:
    assert parse_node(node) is None
    assert cause_id_of(node) is None


def test_refs_give_back_the_layout_id() -> None:
    assert ProblemRef().node == "problem" == HEAD
    assert CauseRef("x1").node == "x1"
    assert CategoryRef("Training").node == "category:Training"
    assert QuestionRef("x1").node == "?x1"


def test_cause_id_only_for_causes() -> None:
    assert cause_id_of("c7") == "c7"
    assert cause_id_of("problem") is None
    assert cause_id_of("category:Technology") is None
    assert cause_id_of("?c7") is None


def test_refs_are_values() -> None:
    assert CauseRef("a") == CauseRef("a")
    assert CauseRef("a") != QuestionRef("a")
    assert len({CategoryRef("SOPs"), CategoryRef("SOPs"), CauseRef("SOPs")}) == 2
    with pytest.raises(AttributeError):
        CauseRef("a").cause_id = "b"  # type: ignore[misc]


def test_every_label_of_both_layouts_parses_to_its_kind() -> None:
    graph = CauseGraph(problem="Late reports", categories=["SOPs", "QC checkpoints"])
    top = graph.add_cause(HEAD, text="No release checklist", category="SOPs", cause_id="a")
    graph.add_cause(top, text="Nobody owns releases", cause_id="b")
    graph.add_cause(HEAD, text="Totals never compared", category="QC checkpoints", cause_id="c")
    metrics = ApproxMetrics()
    fishbone = layout_fishbone(graph, metrics).labels
    whys = layout_whys(graph, metrics).labels
    assert {node: parse_node(node) for node in fishbone} == {
        "problem": ProblemRef(),
        "category:SOPs": CategoryRef("SOPs"),
        "category:QC checkpoints": CategoryRef("QC checkpoints"),
        "a": CauseRef("a"),
        "b": CauseRef("b"),
        "c": CauseRef("c"),
    }
    assert {node: parse_node(node) for node in whys} == {
        "problem": ProblemRef(),
        "a": CauseRef("a"),
        "b": CauseRef("b"),
        "c": CauseRef("c"),
        "?b": QuestionRef("b"),
        "?c": QuestionRef("c"),
    }
    kinds = {
        ProblemRef: "head",
        CauseRef: "cause",
        CategoryRef: "category",
        QuestionRef: "question",
    }
    for label in [*fishbone.values(), *whys.values()]:
        assert kinds[type(parse_node(label.node))] == label.kind


cause_ids = st.from_regex(r"[A-Za-z0-9_.-]{1,64}", fullmatch=True).filter(lambda s: s != HEAD)
refs = st.one_of(
    st.just(ProblemRef()),
    st.builds(CauseRef, cause_ids),
    st.builds(CategoryRef, st.text(max_size=40)),
    st.builds(QuestionRef, cause_ids),
)


@given(refs)
def test_parse_round_trips(ref: ProblemRef | CauseRef | CategoryRef | QuestionRef) -> None:
    assert parse_node(ref.node) == ref


def test_the_toolbar_acts_only_on_a_selected_cause(qtbot, document) -> None:
    tab = IncidentTab(document, today=lambda: TODAY)
    qtbot.addWidget(tab)
    graph = document.graph
    root = graph.root_causes()[0]
    plain = next(c for c in graph.cause_ids() if not graph.cause(c).root_cause)

    def enabled() -> tuple[bool, bool, bool]:
        return (
            tab.root_action.isEnabled(),
            tab.category_box.isEnabled(),
            tab.start_action_action.isEnabled(),
        )

    assert tab.fishbone.current is None
    assert enabled() == (False, False, False)  # nothing selected: nothing to act on
    tab.fishbone.set_current(HEAD)
    assert enabled() == (False, False, False)
    tab.fishbone.set_current("category:SOPs")
    assert enabled() == (False, False, False)
    tab.fishbone.set_current(plain)
    assert enabled() == (True, True, False)
    assert tab.category_box.currentText() == graph.cause(plain).category
    tab.fishbone.set_current(root)
    assert enabled() == (True, True, True)
    question = next(n for n in tab.whys.labels if isinstance(parse_node(n), QuestionRef))
    tab.views.setCurrentWidget(tab.whys)
    tab.whys.set_current(question)
    assert enabled() == (False, False, False)
