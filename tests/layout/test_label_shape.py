"""A very long cause no longer becomes a tower in the diagram (issue 13): its text is
ellipsised past a limit, and a label that would stand taller than about 1.5 times its
width wraps wider instead. The model keeps the whole text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rca_desk.layout.fishbone import DEFAULT_STYLE, layout_fishbone
from rca_desk.layout.text import (
    DIAGRAM_TEXT_LIMIT,
    MAX_TALL_RATIO,
    ApproxMetrics,
    TextCache,
    label_block,
    shortened,
)
from rca_desk.layout.whys import WhysStyle, layout_whys
from rca_desk.model import HEAD, CauseGraph
from tests.shapes import fishbone_problems

METRICS = ApproxMetrics()
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=30)


@given(st.lists(WORDS, max_size=400).map(" ".join))
def test_shortened_text_is_a_prefix_ending_in_an_ellipsis(text: str) -> None:
    short = shortened(text)
    if len(text) <= DIAGRAM_TEXT_LIMIT:
        assert short == text
    else:
        assert short.endswith("…") and len(short) <= DIAGRAM_TEXT_LIMIT + 1
        assert text.startswith(short[:-1])
        assert len(short) > DIAGRAM_TEXT_LIMIT * 0.5  # cut at a word end, not far back


@settings(max_examples=150, deadline=None)
@given(
    st.lists(WORDS, min_size=1, max_size=400).map(" ".join),
    st.sampled_from([10.0, 11.0, 12.0, 17.0]),
    st.sampled_from([60.0, 120.0, 130.0, 160.0, 200.0]),
)
def test_no_label_stands_much_taller_than_one_and_a_half_times_its_width(
    text: str, size: float, width: float
) -> None:
    block = label_block(text, METRICS, size, width)
    assert block.height <= MAX_TALL_RATIO * block.width + METRICS.line_height(size)
    assert "".join("".join(block.lines).split()) == "".join(shortened(text).split())


def test_a_2000_character_cause_is_ellipsised_and_no_tower() -> None:
    text = ("The nightly export job retried without a backoff and " * 40)[:2000]
    graph = CauseGraph(problem="Reports late")
    long = graph.add_cause(HEAD, text="Export retries", category="Technology")
    deep = graph.add_cause(long, text=text)
    deeper = graph.add_cause(deep, text="x" * 2000)  # one "word": broken between letters
    layout = layout_fishbone(graph, METRICS, DEFAULT_STYLE, TextCache())
    for node in (deep, deeper):
        block = layout.labels[node].block
        shown = "".join(block.lines)
        assert shown.endswith("…") and len(shown) <= DIAGRAM_TEXT_LIMIT + 1
        assert block.height <= MAX_TALL_RATIO * block.width + METRICS.line_height(block.size)
    assert graph.cause(deep).text == text.strip()  # the model keeps it whole
    assert fishbone_problems(graph, layout) == []
    # Before: a 13-character-wide tower and a 3621 x 3386 diagram.
    assert layout.bounds.h < 1000 and layout.bounds.w < 2000


def test_the_five_whys_columns_never_grow_wider_for_a_long_label() -> None:
    style = WhysStyle()
    graph = CauseGraph(problem="Reports late")
    graph.add_cause(HEAD, text="word " * 400, category="Technology")
    layout = layout_whys(graph, METRICS, style)
    widest = max(label.block.width for label in layout.labels.values())
    assert widest <= style.max_text_width
