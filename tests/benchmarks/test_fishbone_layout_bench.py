"""Fishbone layout benchmarks on the standard shapes, against Graphviz ``dot`` in the same run.

    .venv/bin/python -m pytest tests/benchmarks --benchmarks -k fishbone

Targets (issue 3): laying out F2 under 5 ms and F3 under 25 ms. Numbers are reported by
pytest-benchmark, never asserted: the shared machine's load is not the code's. Each shape
is its own benchmark group, so the table puts the layout and ``dot`` side by side:

* ``warm``: re-layout with a :class:`TextCache` that already holds every label, which is
  what the canvas does after an edit (only the edited label is new);
* ``cold``: an empty cache and cleared measurement memo, so every label is measured and
  wrapped (opening an incident); ``cold-qt`` measures with the real diagram font;
* ``dot``: the same tree (head -> category -> causes, the same wrapped lines as labels,
  fontname "DejaVu Sans") laid out by ``dot -Tjson`` in a subprocess, including the
  process start, which is what calling it for a layout would cost.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator

import graphviz
import pytest

from rca_desk.layout import text as text_module
from rca_desk.layout.fishbone import FishboneStyle, layout_fishbone
from rca_desk.layout.framing import layout_for_frame
from rca_desk.layout.geometry import category_node
from rca_desk.layout.text import FONT_FAMILY, ApproxMetrics, TextCache, TextMetrics
from rca_desk.model import HEAD, CauseGraph
from tests.shapes import named_fishbone

SHAPES = ["F0", "F1", "F2", "F3", "deep"]


@pytest.fixture(scope="module")
def graphs() -> dict[str, CauseGraph]:
    return {name: named_fishbone(name) for name in SHAPES}


def _node_count(graph: CauseGraph) -> int:
    return 1 + len(graph.categories) + len(graph)


def _cold_rounds(graph: CauseGraph) -> int:
    return max(10, 4000 // _node_count(graph))


@pytest.mark.parametrize("name", SHAPES)
def test_fishbone_layout_warm(benchmark, graphs: dict[str, CauseGraph], name: str) -> None:
    benchmark.group = f"fishbone {name}"
    benchmark.name = f"layout warm {name}"
    graph = graphs[name]
    metrics, cache = ApproxMetrics(), TextCache()
    layout_fishbone(graph, metrics, cache=cache)
    layout = benchmark(layout_fishbone, graph, metrics, cache=cache)
    assert len(layout.labels) == _node_count(graph)


@pytest.mark.parametrize("name", SHAPES)
def test_fishbone_layout_cold(benchmark, graphs: dict[str, CauseGraph], name: str) -> None:
    benchmark.group = f"fishbone {name}"
    benchmark.name = f"layout cold {name}"
    graph = graphs[name]
    metrics = ApproxMetrics()

    def fresh() -> tuple[tuple[CauseGraph, TextMetrics], dict[str, TextCache]]:
        text_module._units.cache_clear()  # ApproxMetrics' per-string memo
        return (graph, metrics), {"cache": TextCache()}

    layout = benchmark.pedantic(
        layout_fishbone, setup=fresh, rounds=_cold_rounds(graph), iterations=1
    )
    assert len(layout.labels) == _node_count(graph)


@pytest.mark.parametrize("name", SHAPES)
def test_fishbone_layout_framed_warm(benchmark, graphs: dict[str, CauseGraph], name: str) -> None:
    """The slide's layout (issue 13: within 1.5x of the tight one at F2 and F3, where
    only the bones' split is searched; F0 and F1 also search the style), warm cache."""
    benchmark.group = f"fishbone {name}"
    benchmark.name = f"layout framed 16:9 warm {name}"
    graph = graphs[name]
    metrics, cache = ApproxMetrics(), TextCache()
    layout_for_frame(graph, metrics, 16 / 9, cache)
    layout = benchmark(layout_for_frame, graph, metrics, 16 / 9, cache)
    assert len(layout.labels) == _node_count(graph)


@pytest.mark.parametrize("name", SHAPES)
def test_fishbone_layout_framed_cold(benchmark, graphs: dict[str, CauseGraph], name: str) -> None:
    benchmark.group = f"fishbone {name}"
    benchmark.name = f"layout framed 16:9 cold {name}"
    graph = graphs[name]
    metrics = ApproxMetrics()

    def fresh() -> tuple[tuple[CauseGraph, TextMetrics, float, TextCache], dict[str, object]]:
        text_module._units.cache_clear()
        return (graph, metrics, 16 / 9, TextCache()), {}

    layout = benchmark.pedantic(
        layout_for_frame, setup=fresh, rounds=_cold_rounds(graph), iterations=1
    )
    assert len(layout.labels) == _node_count(graph)


@pytest.fixture
def qt_metrics(qapp) -> Iterator[TextMetrics]:  # qapp: pytest-qt's QApplication
    from rca_desk.render import metrics as qt_module

    yield qt_module.QtMetrics()


@pytest.mark.parametrize("name", SHAPES)
def test_fishbone_layout_cold_qt(
    benchmark, graphs: dict[str, CauseGraph], qt_metrics: TextMetrics, name: str
) -> None:
    benchmark.group = f"fishbone {name}"
    benchmark.name = f"layout cold-qt {name}"
    graph = graphs[name]

    def fresh() -> tuple[tuple[CauseGraph, TextMetrics], dict[str, TextCache]]:
        return (graph, qt_metrics), {"cache": TextCache()}

    layout = benchmark.pedantic(
        layout_fishbone, setup=fresh, rounds=_cold_rounds(graph), iterations=1
    )
    assert len(layout.labels) == _node_count(graph)


def dot_source(graph: CauseGraph, metrics: TextMetrics, style: FishboneStyle) -> str:
    """The fishbone's tree as DOT, each label wrapped into the lines the layout uses.

    Nodes get plain ids (``n0``, ``n1``...): ``category:SOPs`` would read as a port.
    """
    cache = TextCache()
    ids: dict[str, str] = {}
    dot = graphviz.Digraph(
        graph_attr={"rankdir": "RL"},
        node_attr={"shape": "box", "fontname": FONT_FAMILY},
    )

    def node(key: str, text: str, size: float, width: float) -> str:
        ids[key] = f"n{len(ids)}"
        block = cache.wrap(text, metrics, size, width)
        lines = [graphviz.escape(line) for line in block.lines]
        dot.node(ids[key], label="\\n".join(lines), fontsize=str(size))
        return ids[key]

    head = node(HEAD, graph.problem, style.head_size, style.head_max_width)
    for name in graph.categories:
        dot.edge(
            head, node(category_node(name), name, style.category_size, style.category_max_width)
        )
    depth = {HEAD: 0}
    for cause_id in graph.cause_ids():
        parent = graph.parent(cause_id)
        d = depth[cause_id] = depth[parent] + 1
        cause = graph.cause(cause_id)
        child = node(cause_id, cause.text, style.size(d), style.max_width(d))
        dot.edge(ids[category_node(cause.category) if parent == HEAD else parent], child)
    return dot.source


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
@pytest.mark.parametrize("name", SHAPES)
def test_fishbone_dot_json(benchmark, graphs: dict[str, CauseGraph], name: str) -> None:
    benchmark.group = f"fishbone {name}"
    benchmark.name = f"dot -Tjson {name}"
    graph = graphs[name]
    source = dot_source(graph, ApproxMetrics(), FishboneStyle())

    def run_dot() -> str:
        done = subprocess.run(
            ["dot", "-Tjson"], input=source, capture_output=True, text=True, check=True
        )
        return done.stdout

    rounds = 3 if _node_count(graph) > 1000 else 5
    out = benchmark.pedantic(run_dot, rounds=rounds, iterations=1, warmup_rounds=0)
    assert len(json.loads(out)["objects"]) == _node_count(graph)
