"""Mermaid export: structure checked in Python, syntax checked by Mermaid's own parser.

The parser check runs ``mermaid`` under Node with jsdom (Mermaid's sanitiser needs a DOM;
no browser is needed to *parse*). It is installed once with npm into pytest's cache
folder, or taken from ``RCA_DESK_MERMAID_DIR`` (a folder where ``npm install
mermaid jsdom`` was run); without node, npm or a registry, that test is skipped.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rca_desk.interchange.files import ExportError
from rca_desk.interchange.mermaid import (
    ZWSP,
    fishbone_mermaid,
    flowchart_label,
    ishikawa_label,
    to_mermaid,
    whys_ids,
    whys_mermaid,
    write_mermaid,
)
from rca_desk.model import HEAD, CauseGraph, Evidence, Incident
from tests.typeable import has_text, without_bidi

#: Versions the parser check installs: ``ishikawa-beta`` arrived in Mermaid 11.12.3; the
#: 11 line still runs on Node 20.
MERMAID_VERSION = "11.17.2"
JSDOM_VERSION = "29.1.1"
# Captured at import, before the autouse fixture points HOME at a temporary folder:
# npm needs the user's own configuration (registry, proxy) and cache.
_REAL_ENV = dict(os.environ)

NASTY = [
    '"',
    "'",
    "`",
    "`quoted`",
    "#",
    "#quot;",
    "#35;",
    "issue #4;",
    "&",
    "&amp;",
    "&lt;",
    "<",
    ">",
    "<br>",
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "%%",
    "%% comment",
    "%%{init: {'theme': 'dark'}}%%",
    "ishikawa",
    "Ishikawa-beta",
    "end",
    "graph",
    "subgraph",
    "class",
    "style",
    "click",
    "flowchart LR",
    "-->",
    "-.->",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "|",
    ";",
    ":::",
    "\n",
    "\t",
    "  ",
    "\\",
    "é",
    "データ",
    "🙂",
    "\x01",
    "\ufeff",
    "\u2028",
]

nasty_text = (
    st.lists(
        st.one_of(
            st.sampled_from(NASTY),
            st.text(
                st.characters(exclude_categories=["Cs"], exclude_characters="\ufb02\u200b"),
                min_size=1,
                max_size=10,
            ),
        ),
        min_size=1,
        max_size=6,
    )
    .map("".join)
    .map(without_bidi)
    .filter(has_text)
)

# -------------------------------------------------------------- reading our output

_FULLWIDTH = str.maketrans({"\uff1c": "<", "\uff1e": ">", "\uff06": "&"})


_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def normal(text: str) -> str:
    """What a label should read as: lines stripped and joined, blanks collapsed."""
    text = _BREAKS.sub("\n", text.replace("\ufeff", ""))
    text = re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", "\ufffd", text)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line) or "\ufffd"


def read_ishikawa_label(label: str) -> str:
    return label.replace(ZWSP, "").replace("<br>", "\n").translate(_FULLWIDTH)


def read_flowchart_label(label: str) -> str:
    """Undo Mermaid entity codes the way Mermaid does (``#name;`` -> ``&name;``)."""
    assert '"' not in label

    def entity(match: re.Match[str]) -> str:
        code = match.group(1)
        return f"&#{code};" if code.isdigit() else f"&{code};"

    return html.unescape(re.sub(r"#(\w+);", entity, label.replace("<br>", "\n")))


def parse_ishikawa(text: str) -> tuple[str, list[Any]]:
    """Our ishikawa output as a (label, children) tree, by indentation."""
    lines = text.splitlines()
    assert lines[0] == "ishikawa-beta"
    root: tuple[str, list[Any]] = (lines[1].strip(), [])
    assert lines[1].startswith("    ") and not lines[1].startswith("     ")
    stack: list[tuple[int, tuple[str, list[Any]]]] = [(0, root)]
    for line in lines[2:]:
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 4 == 0 and indent >= 4, repr(line)
        level = indent // 4
        while stack[-1][0] >= level:
            stack.pop()
        assert stack[-1][0] == level - 1, f"indentation jumps at {line!r}"
        node: tuple[str, list[Any]] = (line.strip(), [])
        stack[-1][1][1].append(node)
        stack.append((level, node))
    return root


def expected_fishbone(graph: CauseGraph) -> tuple[str, list[Any]]:
    def subtree(cause_id: str) -> tuple[str, list[Any]]:
        children = [subtree(c) for c in graph.children(cause_id)]
        return (ishikawa_label(graph.cause(cause_id).text), children)

    # A category title carries "(+N on other bones)" for its causes filed on other bones
    # (docs/categories.md); the sample's SOPs bone does since issue 13.
    titles = graph.category_titles()
    bones = [
        (
            ishikawa_label(titles[category]),
            [subtree(c) for c in graph.children(HEAD) if graph.cause(c).category == category],
        )
        for category in graph.categories
    ]
    return (ishikawa_label(graph.problem), bones)


def flowchart_nodes(text: str) -> dict[str, str]:
    found = re.findall(r'^    (n\d+)\["([^"]*)"\]$', text, re.MULTILINE)
    ids = [node_id for node_id, _ in found]
    assert len(ids) == len(set(ids))
    return dict(found)


def flowchart_edges(text: str, arrow: str) -> list[tuple[str, str]]:
    return re.findall(rf"^    (n\d+) {re.escape(arrow)} (n\d+)$", text, re.MULTILINE)


def flowchart_class(text: str, name: str) -> set[str]:
    members: set[str] = set()
    for found in re.findall(rf"^    class ([\w,]+) {name}$", text, re.MULTILINE):
        members |= set(found.split(","))
    return members


# --------------------------------------------------------------------- fishbone


def test_fishbone_is_an_ishikawa_tree_of_categories_and_causes(sample: Incident) -> None:
    graph = sample.graph
    text = fishbone_mermaid(graph)
    assert parse_ishikawa(text) == expected_fishbone(graph)
    _, bones = parse_ishikawa(text)
    titles = graph.category_titles()
    assert [read_ishikawa_label(bone) for bone, _ in bones] == [titles[c] for c in graph.categories]
    assert titles["SOPs"] == "SOPs (+1 on other bones)"
    # Every cause once, at the depth of its chain (+1 for the category bone).
    for cause in graph.causes():
        label = ishikawa_label(cause.text)
        hits = [ln for ln in text.splitlines() if ln.strip() == label]
        assert len(hits) == 1
        assert hits[0] == "    " * (graph.depth(cause.id) + 1) + label


def test_fishbone_keeps_empty_categories_and_sibling_order() -> None:
    graph = CauseGraph(problem="P", categories=["A", "B", "C"])
    graph.add_cause(HEAD, text="a2", category="A")
    graph.add_cause(HEAD, text="c1", category="C")
    graph.add_cause(HEAD, text="a1", category="A", index=0)
    assert fishbone_mermaid(graph) == (
        "ishikawa-beta\n    P\n    A\n        a1\n        a2\n    B\n    C\n        c1\n"
    )


@settings(max_examples=60, deadline=None)
@example(texts=['"'], category="%%%")  # once found: a run of three percent signs
@given(
    texts=st.lists(nasty_text, min_size=1, max_size=6),
    category=nasty_text.map(lambda s: s[:60]).filter(has_text),
)
def test_fishbone_labels_stay_one_line_each_and_read_back(texts: list[str], category: str) -> None:
    graph = CauseGraph(problem=texts[0], categories=[category[:60], "Other"])
    parent = HEAD
    for i, text in enumerate(texts):
        parent = graph.add_cause(parent if i % 2 else HEAD, text=text)
    out = fishbone_mermaid(graph)
    assert parse_ishikawa(out) == expected_fishbone(graph)
    for line in out.splitlines()[1:]:
        body = line.strip()
        assert body, "a blank line would end the diagram's tree"
        assert not body.lower().startswith(("ishikawa", "%%"))
        assert not re.search(r"[<>&]", body.replace("<br>", ""))
        assert not re.search(r"#\w+;", body)
        assert "%%" not in body
    for cause in graph.causes():
        # The lookalikes stand in for < > & (which Mermaid's ishikawa syntax cannot hold),
        # so a label that already holds a lookalike reads back as the ASCII sign.
        assert read_ishikawa_label(ishikawa_label(cause.text)) == normal(cause.text).translate(
            _FULLWIDTH
        )


# ------------------------------------------------------------------------ whys


def test_whys_flowchart_nodes_edges_and_classes(sample: Incident) -> None:
    graph = sample.graph
    graph.update_cause("com-4", evidence=Evidence.RULED_OUT)
    text = whys_mermaid(graph)
    assert text.splitlines()[0] == "flowchart LR"
    ids = whys_ids(graph)
    nodes = flowchart_nodes(text)
    assert set(nodes) == set(ids.values()) == {f"n{i}" for i in range(len(graph) + 1)}
    assert read_flowchart_label(nodes["n0"]) == graph.problem
    for cause in graph.causes():
        assert read_flowchart_label(nodes[ids[cause.id]]) == cause.text
    primary = flowchart_edges(text, "-->")
    assert sorted(primary) == sorted((ids[graph.parent(c)], ids[c]) for c in graph.cause_ids())
    assert flowchart_edges(text, "-.->") == [(ids[e], ids[c]) for e, c in graph.links()]
    assert flowchart_class(text, "root") == {ids[c] for c in graph.root_causes()}
    assert flowchart_class(text, "hypothesis") == {
        ids[c.id] for c in graph.causes() if c.evidence is Evidence.HYPOTHESIS
    }
    assert flowchart_class(text, "ruledout") == {ids["com-4"]}
    for index, category in enumerate(graph.categories):
        members = {ids[c.id] for c in graph.causes() if c.category == category}
        assert flowchart_class(text, f"cat{index}") == members


def test_whys_never_uses_cause_ids_as_mermaid_ids() -> None:
    graph = CauseGraph(problem="P", categories=["A"])
    for cause_id in ("end", "graph", "subgraph", "class", "style", "click", "n1", "n0", "x-1"):
        graph.add_cause(HEAD, text=f"text of {cause_id}", cause_id=cause_id)
    text = whys_mermaid(graph)
    nodes = flowchart_nodes(text)
    assert nodes["n1"] == "text of end"  # n1 is the first cause, not the cause called "n1"
    assert len(nodes) == 10
    for line in text.splitlines()[1:]:
        outside_labels = line.split('"')[0]
        assert not re.search(r"\b(end|graph|subgraph|click|x-1)\b", outside_labels), line


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(nasty_text, min_size=1, max_size=6))
def test_whys_labels_are_quoted_safely_and_read_back(texts: list[str]) -> None:
    graph = CauseGraph(problem=texts[0], categories=["A"])
    parent = HEAD
    for text in texts:
        parent = graph.add_cause(parent, text=text)
    out = whys_mermaid(graph)
    nodes = flowchart_nodes(out)
    assert len(nodes) == len(graph) + 1
    ids = whys_ids(graph)
    for cause in graph.causes():
        label = nodes[ids[cause.id]]
        assert not re.search(r"[<>&`%]", label.replace("<br>", ""))
        assert read_flowchart_label(label) == normal(cause.text)


def test_flowchart_label_uses_mermaid_entity_codes() -> None:
    assert flowchart_label('say "hi" & <b>#1;</b>\nnext') == (
        "say #quot;hi#quot; #amp; #lt;b#gt;#35;1;#lt;/b#gt;<br>next"
    )


def test_ishikawa_label_defuses_keyword_comment_and_entities() -> None:
    assert ishikawa_label("ishikawa lens") == ZWSP + "ishikawa lens"
    assert ishikawa_label("%% not a comment") == "%" + ZWSP + "% not a comment"
    assert ishikawa_label("a < b & c\nd #quot;") == "a \uff1c b \uff06 c<br>d #" + ZWSP + "quot;"


def test_to_mermaid_and_write_mermaid(sample: Incident, tmp_path: Path) -> None:
    assert to_mermaid(sample.graph) == fishbone_mermaid(sample.graph)
    assert to_mermaid(sample.graph, view="whys") == whys_mermaid(sample.graph)
    with pytest.raises(ValueError, match="unknown view"):
        to_mermaid(sample.graph, view="pie")
    out = tmp_path / "w.mmd"
    write_mermaid(out, sample.graph, view="whys")
    assert out.read_text(encoding="utf-8") == whys_mermaid(sample.graph)
    with pytest.raises(ExportError):
        write_mermaid(tmp_path / "no" / "w.mmd", sample.graph)
    assert [p.name for p in tmp_path.iterdir()] == ["w.mmd"]


# ---------------------------------------------------------- Mermaid's own parser

_PARSE_SCRIPT = r"""
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
const base = path.resolve(process.argv[2]);
const require = createRequire(path.join(base, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const root = path.dirname(require.resolve('mermaid/package.json'));
const entry = pathToFileURL(path.join(root, 'dist', 'mermaid.core.mjs')).href;
const { default: mermaid } = await import(entry);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db;
    if (parsed.diagramType === 'ishikawa') {
      out.push({ type: 'ishikawa', root: db.getRoot() });
    } else {
      out.push({
        type: parsed.diagramType,
        vertices: [...db.getVertices().values()].map(
          v => ({ id: v.id, text: v.text, classes: v.classes })),
        edges: db.getEdges().map(e => ({ start: e.start, end: e.end, stroke: e.stroke })),
      });
    }
  } catch (error) {
    out.push({ error: String(error && error.message || error) });
  }
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def mermaid_dir(request: pytest.FixtureRequest) -> Path:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    configured = _REAL_ENV.get("RCA_DESK_MERMAID_DIR")
    if configured:
        folder = Path(configured)
        if not (folder / "node_modules" / "mermaid" / "package.json").exists():
            pytest.skip(f"RCA_DESK_MERMAID_DIR={configured} holds no node_modules/mermaid")
        return folder
    cache = getattr(request.config, "cache", None)
    if cache is None:
        pytest.skip("pytest's cache is disabled; set RCA_DESK_MERMAID_DIR instead")
    folder = Path(cache.mkdir(f"mermaid-{MERMAID_VERSION}"))
    if not (folder / "node_modules" / "mermaid" / "package.json").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed")
        try:
            subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix",
                 str(folder), f"mermaid@{MERMAID_VERSION}", f"jsdom@{JSDOM_VERSION}"],
                env=_REAL_ENV,
                capture_output=True,
                timeout=600,
                check=True,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            pytest.skip(f"could not install mermaid with npm: {error}")
    return folder


def mermaid_parse(folder: Path, tmp_path: Path, texts: list[str]) -> list[dict[str, Any]]:
    script = tmp_path / "parse.mjs"
    script.write_text(_PARSE_SCRIPT, encoding="utf-8")
    result = subprocess.run(
        ["node", str(script), str(folder)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=_REAL_ENV,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    parsed: list[dict[str, Any]] = json.loads(result.stdout)
    assert len(parsed) == len(texts)
    return parsed


def mermaid_tree(node: dict[str, Any]) -> tuple[str, list[Any]]:
    return (node["text"], [mermaid_tree(child) for child in node["children"]])


def read_mermaid_db_text(text: str) -> str:
    """A flowchart label as Mermaid's renderer shows it (its entity placeholders decoded)."""
    text = text.replace("<br>", "\n")
    for placeholder, original in (
        ("\ufb02\u00b0\u00b0", "&#"),
        ("\ufb02\u00b0", "&"),
        ("\u00b6\u00df", ";"),
    ):
        text = text.replace(placeholder, original)
    return html.unescape(text)


def nasty_graphs(count: int, seed: int) -> list[CauseGraph]:
    """Seeded random graphs with nasty labels (one Node run checks them all at once)."""
    rng = random.Random(seed)

    def char() -> str:
        low, high = rng.choice([(32, 126), (160, 0x2FFF), (0x1F300, 0x1F64F)])
        return chr(rng.randint(low, high))

    def text() -> str:
        parts = []
        for _ in range(rng.randint(1, 6)):
            if rng.random() < 0.6:
                parts.append(rng.choice(NASTY))
            else:
                parts.append("".join(char() for _ in range(rng.randint(1, 6))))
        joined = "".join(parts)
        return joined if joined.strip() else joined + "x"

    def category() -> str:
        return " ".join(" ".join(text().split())[:60].split()) or "c"

    graphs = []
    for _ in range(count):
        categories = list(dict.fromkeys(category() for _ in range(3)))
        graph = CauseGraph(problem=text(), categories=categories)
        ids: list[str] = [HEAD]
        for _ in range(rng.randint(0, 8)):
            ids.append(
                graph.add_cause(
                    rng.choice(ids),
                    text=text(),
                    category=rng.choice(graph.categories),
                    root_cause=rng.random() < 0.3,
                )
            )
        if len(ids) > 2 and not graph.links():
            effect, cause = ids[1], ids[-1]
            if graph.parent(cause) != effect and effect not in graph.subtree(cause):
                graph.add_link(effect, cause)
        graphs.append(graph)
    return graphs


@pytest.mark.subprocess
def test_mermaid_parses_both_views_with_every_label_intact(
    mermaid_dir: Path, tmp_path: Path, sample: Incident
) -> None:
    graphs = [sample.graph, *nasty_graphs(40, seed=20261123)]
    texts = [fishbone_mermaid(g) for g in graphs] + [whys_mermaid(g) for g in graphs]
    results = mermaid_parse(mermaid_dir, tmp_path, texts)
    fishbones, whys = results[: len(graphs)], results[len(graphs) :]
    for graph, text, result in zip(graphs, texts[: len(graphs)], fishbones, strict=True):
        assert "error" not in result, f"{result.get('error')}\n{text}"
        assert result["type"] == "ishikawa"
        assert mermaid_tree(result["root"]) == expected_fishbone(graph)
    for graph, result in zip(graphs, whys, strict=True):
        assert "error" not in result, f"{result.get('error')}\n{whys_mermaid(graph)}"
        assert result["type"].startswith("flowchart")
        ids = whys_ids(graph)
        vertices = {v["id"]: v for v in result["vertices"]}
        assert set(vertices) == set(ids.values())
        assert read_mermaid_db_text(vertices["n0"]["text"]) == normal(graph.problem)
        for cause in graph.causes():
            vertex = vertices[ids[cause.id]]
            assert read_mermaid_db_text(vertex["text"]) == normal(cause.text)
            assert ("root" in vertex["classes"]) is cause.root_cause
        edges = {(e["start"], e["end"]): e["stroke"] for e in result["edges"]}
        assert edges == {
            **{(ids[graph.parent(c)], ids[c]): "normal" for c in graph.cause_ids()},
            **{(ids[e], ids[c]): "dotted" for e, c in graph.links()},
        }


@pytest.mark.subprocess
def test_mermaid_parser_rejects_what_we_escape(mermaid_dir: Path, tmp_path: Path) -> None:
    """The escaping is needed: the same labels unescaped break or lose text in Mermaid."""
    texts = [
        "ishikawa-beta\n    P\n    A\n        ishikawa lens\n",
        'flowchart LR\n    n0["a " b"]\n',
        'flowchart LR\n    n0["say "hi""]\n',
        'flowchart LR\n    n0["' + flowchart_label('say "hi"') + '"]\n',
    ]
    results = mermaid_parse(mermaid_dir, tmp_path, texts)
    assert "error" in results[0]
    assert "error" in results[1]
    assert results[2]["vertices"][0]["text"] == "say hi"  # the quotes silently lost
    assert read_mermaid_db_text(results[3]["vertices"][0]["text"]) == 'say "hi"'
