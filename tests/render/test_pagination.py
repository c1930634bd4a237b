"""The five whys split over pages (issue 13), without Qt: the packing on its own, the part
of a graph one page draws, and which causes land on which page. Text is measured with
:class:`ApproxMetrics` (0.6 em a character), so the numbers do not depend on fonts."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from rca_desk.layout.text import ApproxMetrics
from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.render.pagination import TEXT_SIZE, pack, part_of, whys_pages

TODAY = date(2026, 11, 30)
#: A slide's room (1920 x 1080 less a 32 px margin) and the scale that keeps 13 px text
#: at 16 px.
SLIDE_ROOM = (1856.0, 1016.0)
SLIDE_SCALE = 16 / TEXT_SIZE


def test_pack_takes_as_many_units_as_fit_and_never_none() -> None:
    sizes = [3, 3, 3, 9, 12, 1, 1, 1, 1]  # a page holds 10; the 12 does not fit alone

    def fits(start: int, end: int) -> bool:
        return sum(sizes[start:end]) <= 10

    assert pack(len(sizes), fits) == [
        range(0, 3),
        range(3, 4),
        range(4, 5),  # too big alone: a page of its own
        range(5, 9),
    ]
    assert pack(0, fits) == []


@given(st.lists(st.integers(1, 12), max_size=60), st.integers(1, 30))
def test_pack_is_the_greedy_packing_whatever_the_sizes(sizes: list[int], room: int) -> None:
    calls: list[tuple[int, int]] = []

    def fits(start: int, end: int) -> bool:
        calls.append((start, end))
        return sum(sizes[start:end]) <= room

    pages = pack(len(sizes), fits)
    # Greedy, one unit at a time, by hand:
    expected: list[range] = []
    start = 0
    while start < len(sizes):
        end = start + 1
        while end < len(sizes) and sum(sizes[start : end + 1]) <= room:
            end += 1
        expected.append(range(start, end))
        start = end
    assert pages == expected
    assert all(end <= len(sizes) for _, end in calls)


def _chains(count: int, depth: int, *, links: bool = False) -> Incident:
    """``count`` chains of ``depth`` whys, each cause's text naming it (``c<chain>.<step>``)."""
    graph = CauseGraph(problem="The nightly export did not reach the client")
    for chain in range(count):
        parent = HEAD
        for step in range(depth):
            parent = graph.add_cause(
                parent,
                text=f"Cause {chain}.{step}: the release job ran against the wrong tenant",
                cause_id=f"c{chain}.{step}",
                root_cause=step == depth - 1,
            )
    if links:
        graph.add_link(f"c{count - 1}.0", "c0.1")
    return Incident(title="Big five whys", graph=graph)


def test_a_small_incident_is_one_page_and_a_big_one_many_each_cause_on_exactly_one() -> None:
    small = whys_pages(
        _chains(3, 3), ApproxMetrics(), today=TODAY, room=SLIDE_ROOM, scale=SLIDE_SCALE
    )
    assert [page.units for page in small] == [["c0.0", "c1.0", "c2.0"]]
    incident = _chains(40, 4)
    pages = whys_pages(incident, ApproxMetrics(), today=TODAY, room=SLIDE_ROOM, scale=SLIDE_SCALE)
    assert len(pages) > 1
    drawn = [node for page in pages for node in page.diagram.labels if node != HEAD]
    assert sorted(drawn) == sorted(incident.graph.cause_ids())  # each once
    # In order, whole chains, every page within the room at the slide's scale.
    assert [unit for page in pages for unit in page.units] == [f"c{i}.0" for i in range(40)]
    for page in pages:
        b = page.diagram.bounds
        assert b.w * SLIDE_SCALE <= SLIDE_ROOM[0] and b.h * SLIDE_SCALE <= SLIDE_ROOM[1]
        assert HEAD in page.diagram.labels  # every page reads from the problem
        assert not page.oversize


def test_a_link_between_pages_is_noted_on_both() -> None:
    incident = _chains(40, 4, links=True)
    pages = whys_pages(incident, ApproxMetrics(), today=TODAY, room=SLIDE_ROOM, scale=SLIDE_SCALE)
    notes = [[e.name for e in page.diagram.legend if e.kind == "note"] for page in pages]
    last = len(pages)
    assert any("Cause 0.1" in line and "(page 1)" in line for line in notes[0])
    assert any(f"(page {last})" in line for line in notes[0])
    assert any("Cause 0.1" in line for line in notes[-1])
    assert all(not n for n in notes[1:-1])
    assert not any(bone.kind == "contributes" for page in pages for bone in page.diagram.bones)


def test_a_chain_too_tall_for_a_page_splits_under_its_repeated_first_cause() -> None:
    graph = CauseGraph(problem="Checkout failed")
    top = graph.add_cause(HEAD, text="The release skipped the checks", cause_id="top")
    for k in range(60):
        graph.add_cause(
            top, text=f"Check {k} was not run because nobody owned it", cause_id=f"k{k}"
        )
    incident = Incident(title="Tall", graph=graph)
    pages = whys_pages(incident, ApproxMetrics(), today=TODAY, room=SLIDE_ROOM, scale=SLIDE_SCALE)
    assert len(pages) > 1
    for page in pages:
        assert "top" in page.diagram.labels  # the chain above, repeated
        assert page.diagram.bounds.h * SLIDE_SCALE <= SLIDE_ROOM[1]
    answers = [n for page in pages for n in page.diagram.labels if n.startswith("k")]
    assert answers == [f"k{k}" for k in range(60)]


def test_a_cause_too_tall_alone_gets_a_page_of_its_own_flagged_oversize() -> None:
    graph = CauseGraph(problem="Checkout failed")
    graph.add_cause(HEAD, text="Short", cause_id="a")
    graph.add_cause(HEAD, text=" ".join(["overlong"] * 200), cause_id="b")
    graph.add_cause(HEAD, text="Short too", cause_id="c")
    pages = whys_pages(
        Incident(title="T", graph=graph),
        ApproxMetrics(),
        today=TODAY,
        room=(1856.0, 300.0),
        scale=SLIDE_SCALE,
    )
    assert [(p.units, p.oversize) for p in pages] == [(["a"], False), (["b"], True), (["c"], False)]


def test_the_part_of_a_graph_keeps_ids_order_fields_and_links_inside_it() -> None:
    incident = _chains(3, 3, links=True)
    graph = incident.graph
    graph.update_cause("c2.1", evidence_note="Seen in the logs", stop_reason="")
    part = part_of(graph, {"c0.0", "c0.1", "c2.0", "c2.1"})
    assert list(part.cause_ids()) == ["c0.0", "c0.1", "c2.0", "c2.1"]
    assert part.cause("c2.1") == graph.cause("c2.1")
    assert part.links() == [("c2.0", "c0.1")]
