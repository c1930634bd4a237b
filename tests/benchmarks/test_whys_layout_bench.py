"""Five-whys layout speed against Graphviz ``dot`` on the same trees, in the same run.

Run with ``.venv/bin/python -m pytest tests/benchmarks --benchmarks -k whys``. Each tree is
measured three ways: ``warm`` (every label already in the text cache: a relayout after an
edit), ``cold`` (a fresh cache: every label wrapped and measured) and ``dot`` (``dot
-Tjson`` in a subprocess on the same nodes, labels wrapped the same way, ``rankdir=LR``,
DejaVu Sans). After the module, the medians and the dot/layout ratios are printed.

Targets from the issue: 364 nodes under 3 ms, 3,000 under 30 ms, at least 20x faster than
``dot``. The benchmarks only report; no test here passes or fails on time.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from rca_desk.layout.text import FONT_FAMILY, ApproxMetrics, TextCache
from rca_desk.layout.whys import WhysStyle, layout_whys
from rca_desk.model import HEAD, CauseGraph
from tests.shapes import cause_text

METRICS = ApproxMetrics()
STYLE = WhysStyle()


def chain(length: int, seed: int = 0) -> CauseGraph:
    rng = random.Random(seed)
    graph = CauseGraph("Payroll batch finished four hours late")
    parent = HEAD
    for i in range(length):
        parent = graph.add_cause(
            parent, text=cause_text(rng), cause_id=f"c{i}", root_cause=i == length - 1
        )
    return graph


def fan(fanout: int, depth: int, seed: int = 0) -> CauseGraph:
    """A complete why-tree; the last level are root causes, so no open questions are added."""
    rng = random.Random(seed)
    graph = CauseGraph("Checkout failed for 40 minutes during the Black Friday peak")
    level = [HEAD]
    n = 0
    for d in range(depth):
        below = []
        for parent in level:
            for _ in range(fanout):
                n += 1
                below.append(
                    graph.add_cause(
                        parent, text=cause_text(rng), cause_id=f"c{n}", root_cause=d == depth - 1
                    )
                )
        level = below
    return graph


def random_whys(causes: int, seed: int = 0) -> CauseGraph:
    """A random tree (parents drawn uniformly) whose leaves are all root causes."""
    rng = random.Random(seed)
    graph = CauseGraph("Nightly settlement batch posted duplicate payments")
    nodes = [HEAD]
    for i in range(causes):
        nodes.append(graph.add_cause(rng.choice(nodes), text=cause_text(rng), cause_id=f"c{i}"))
    for leaf in graph.leaves():
        graph.update_cause(leaf, root_cause=True)
    return graph


TREES = {
    "chain-5": lambda: chain(5),
    "chain-50": lambda: chain(50),
    "fan3-depth5-364": lambda: fan(3, 5),
    "random-3000": lambda: random_whys(2999),
}
_graphs: dict[str, CauseGraph] = {}
_medians: dict[tuple[str, str], float] = {}


def tree(name: str) -> CauseGraph:
    if name not in _graphs:
        _graphs[name] = TREES[name]()
    return _graphs[name]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: CauseGraph) -> str:
    """The same tree for ``dot``: one box per node, its label wrapped as the layout wraps it."""
    layout = layout_whys(graph, METRICS, STYLE)
    lines = [
        "digraph whys {",
        "  rankdir=LR;",
        f"  node [shape=box, fontname={_quoted(FONT_FAMILY)}, fontsize={STYLE.size:g}];",
    ]
    for node, label in layout.labels.items():
        text = "\\n".join(
            line.replace("\\", "\\\\").replace('"', '\\"') for line in label.block.lines
        )
        lines.append(f'  {_quoted(node)} [label="{text}"];')
    for node in [HEAD, *graph.cause_ids()]:
        for child in graph.children(node):
            lines.append(f"  {_quoted(node)} -> {_quoted(child)};")
    lines.append("}")
    return "\n".join(lines)


@pytest.fixture(scope="module", autouse=True)
def _report(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the module: medians per tree and how many times faster than ``dot`` we are."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not _medians:
        return
    lines = ["", "five-whys layout vs dot -Tjson (medians):"]
    for name in TREES:
        if not any(key[0] == name for key in _medians):
            continue
        dot = _medians.get((name, "dot"))
        parts = []
        for mode in ("warm", "cold"):
            median = _medians.get((name, mode))
            if median is None:
                continue
            ratio = f", dot/{mode} {dot / median:.0f}x" if dot else ""
            parts.append(f"{mode} {median * 1e3:.3f} ms{ratio}")
        if dot:
            parts.append(f"dot {dot * 1e3:.1f} ms")
        lines.append(f"  {name} ({len(tree(name)) + 1} nodes): " + "; ".join(parts))
    with capture.global_and_fixture_disabled():  # teardown output is captured otherwise
        for line in lines:
            reporter.write_line(line)


def _record(benchmark: BenchmarkFixture, name: str, mode: str) -> None:
    stats = benchmark.stats
    if stats is not None:
        _medians[name, mode] = stats.stats.median


@pytest.mark.parametrize("name", list(TREES))
def test_layout_warm_cache(benchmark: BenchmarkFixture, name: str) -> None:
    graph = tree(name)
    cache = TextCache()
    layout_whys(graph, METRICS, STYLE, cache=cache)  # fill the cache
    benchmark.group = f"whys {name}"
    layout = benchmark(layout_whys, graph, METRICS, STYLE, cache)
    assert len(layout.labels) == len(graph) + 1  # every leaf is a root cause: no questions
    assert len(cache) == len({graph.cause(c).text for c in graph.cause_ids()} | {graph.problem})
    _record(benchmark, name, "warm")


@pytest.mark.parametrize("name", list(TREES))
def test_layout_cold_cache(benchmark: BenchmarkFixture, name: str) -> None:
    graph = tree(name)
    benchmark.group = f"whys {name}"
    layout = benchmark.pedantic(
        lambda cache: layout_whys(graph, METRICS, STYLE, cache=cache),
        setup=lambda: ((TextCache(),), {}),
        rounds=30 if len(graph) > 1000 else 200,
        warmup_rounds=1,
    )
    assert len(layout.labels) == len(graph) + 1
    _record(benchmark, name, "cold")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
@pytest.mark.parametrize("name", list(TREES))
def test_dot_json(benchmark: BenchmarkFixture, name: str) -> None:
    graph = tree(name)
    source = to_dot(graph).encode()

    def run() -> bytes:
        return subprocess.run(
            ["dot", "-Tjson"], input=source, capture_output=True, check=True
        ).stdout

    benchmark.group = f"whys {name}"
    out = benchmark.pedantic(run, rounds=3 if len(graph) > 1000 else 15, warmup_rounds=1)
    placed = json.loads(out)["objects"]
    assert len(placed) == len(graph) + 1
    assert all("pos" in obj for obj in placed)
    _record(benchmark, name, "dot")
