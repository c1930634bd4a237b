"""Mermaid text of an incident's cause graph, for wikis and Markdown that render Mermaid.

The fishbone is Mermaid's ``ishikawa-beta`` diagram (Mermaid 11.12.3 and later): the first
line under the keyword is the problem, the lines below are causes, and indentation alone
gives the tree (problem, then category bones, then causes and their sub-causes). That
syntax has no quoting, no styling and no secondary edges, so root causes, category colours
and "also contributes to" links appear only in the whys view.

The whys view is a ``flowchart LR``: node ids are ``n0`` (the problem), ``n1``, ``n2``…
in cause order, never the cause ids, which could be Mermaid keywords (``end``,
``graph``); labels are quoted with Mermaid's entity codes (``#quot;``, ``#lt;``…); root
causes, evidence and categories are ``classDef`` classes; secondary links are dotted.

Mermaid reads labels as HTML after its own sanitiser, and treats ``%%{...}%%`` anywhere in
the text as a directive, so every label is escaped here; see :func:`flowchart_label` and
:func:`ishikawa_label` for exactly what changes.
"""

from __future__ import annotations

import os
import re

from rca_desk.interchange.files import atomic_write_bytes
from rca_desk.layout.palette import category_color
from rca_desk.model.cause_graph import HEAD, CauseGraph
from rca_desk.model.vocab import Evidence

INDENT = "    "
VIEWS = ("fishbone", "whys")

_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but a line break

#: Mermaid entity codes for the characters a quoted flowchart label cannot hold as is.
_FLOWCHART_ENTITIES = {
    "#": "#35;",  # first: every other code starts with '#'
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",  # a label starting with a backtick would be read as Markdown
    "%": "#37;",  # '%%' starts comments and '%%{...}%%' directives
}
_FLOWCHART_ESCAPE = re.compile("|".join(re.escape(ch) for ch in _FLOWCHART_ENTITIES))

#: ``ishikawa-beta`` labels are plain lines that Mermaid passes through DOMPurify: '<', '>'
#: and '&' would come out as tags or as "&lt;"/"&amp;" on the diagram. Their full-width
#: look-alikes read the same.
_ISHIKAWA_LOOKALIKES = str.maketrans({"<": "\uff1c", ">": "\uff1e", "&": "\uff06"})
ZWSP = "\u200b"
#: A line starting with this may be read as the diagram keyword by Mermaid's lexer (which
#: wants a word boundary after it; defusing every such line is simpler and harmless).
_ISHIKAWA_KEYWORD = re.compile(r"ishikawa", re.IGNORECASE | re.ASCII)
#: Mermaid's preprocessor turns "#word;" and "#123;" into entities in every diagram.
_ENTITY_LIKE = re.compile(r"#(?=\w+;)")


def _one_text(text: str) -> str:
    """Line breaks unified to ``\\n``, blanks collapsed, other controls shown as U+FFFD.

    A control character cannot be drawn; the replacement character says that something
    was there instead of silently joining the words around it.
    """
    # U+FEFF is whitespace to Mermaid (JavaScript) but not to Python: it would shift depth.
    text = _CONTROL.sub("\ufffd", _BREAKS.sub("\n", text.replace("\ufeff", "")))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    # Nothing visible left (the text was only U+FEFF): say so rather than leave a hole.
    return "\n".join(line for line in lines if line) or "\ufffd"


def flowchart_label(text: str) -> str:
    """``text`` as the inside of a quoted flowchart label, line breaks as ``<br>``."""
    escaped = _FLOWCHART_ESCAPE.sub(lambda m: _FLOWCHART_ENTITIES[m.group(0)], _one_text(text))
    return escaped.replace("\n", "<br>")


def ishikawa_label(text: str) -> str:
    """``text`` as one ``ishikawa-beta`` line.

    Line breaks become ``<br>`` (the diagram's own line break); ``<``, ``>`` and ``&``
    become full-width look-alikes; a zero-width space defuses a leading ``ishikawa``
    keyword, ``%%`` (comments, directives) and ``#word;`` (entity codes).
    """
    line = _one_text(text).translate(_ISHIKAWA_LOOKALIKES)
    line = re.sub("%(?=%)", "%" + ZWSP, line)  # every "%%", also inside "%%%"
    line = _ENTITY_LIKE.sub("#" + ZWSP, line)
    if _ISHIKAWA_KEYWORD.match(line):
        line = ZWSP + line
    return line.replace("\n", "<br>")


def fishbone_mermaid(graph: CauseGraph) -> str:
    """The fishbone as ``ishikawa-beta``: problem, then each category with its causes.

    Every category is a bone, even an empty one, in the incident's order, as in the app.
    A first-level cause hangs on its category's bone and its sub-causes under it (by the
    primary tree, whatever their own category), children in the order people gave them.
    ``ishikawa-beta`` has no classes or styles, so a sub-cause of another category cannot
    take its category's colour here; instead, as on the app's fishbone, its category's
    bone says "(+1 on other bones)" (docs/categories.md).
    """
    lines = ["ishikawa-beta", INDENT + ishikawa_label(graph.problem)]
    titles = graph.category_titles()
    first_level: dict[str, list[str]] = {name: [] for name in graph.categories}
    for cause_id in graph.children(HEAD):
        first_level[graph.cause(cause_id).category].append(cause_id)
    for category, causes in first_level.items():
        lines.append(INDENT + ishikawa_label(titles[category]))
        stack = [(cause_id, 2) for cause_id in reversed(causes)]
        while stack:
            cause_id, depth = stack.pop()
            lines.append(INDENT * depth + ishikawa_label(graph.cause(cause_id).text))
            stack.extend((child, depth + 1) for child in reversed(graph.children(cause_id)))
    return "\n".join(lines) + "\n"


def whys_ids(graph: CauseGraph) -> dict[str, str]:
    """Mermaid id of every node: ``n0`` for the problem, then ``n1``… in cause order."""
    ids = {HEAD: "n0"}
    for number, cause_id in enumerate(graph.cause_ids(), start=1):
        ids[cause_id] = f"n{number}"
    return ids


def whys_mermaid(graph: CauseGraph) -> str:
    """The five whys as ``flowchart LR``: problem on the left, each answer to its right."""
    ids = whys_ids(graph)
    lines = ["flowchart LR", f'{INDENT}n0["{flowchart_label(graph.problem)}"]']
    causes = list(graph.causes())
    lines += [f'{INDENT}{ids[c.id]}["{flowchart_label(c.text)}"]' for c in causes]
    lines += [f"{INDENT}{ids[graph.parent(c.id)]} --> {ids[c.id]}" for c in causes]
    lines += [f"{INDENT}{ids[effect]} -.-> {ids[cause]}" for effect, cause in graph.links()]

    lines.append(f"{INDENT}classDef problem fill:#222222,color:#ffffff,stroke:#222222")
    lines.append(f"{INDENT}class n0 problem")
    for index, category in enumerate(graph.categories):
        members = [ids[c.id] for c in causes if c.category == category]
        if members:
            color = category_color(graph.categories, category)
            lines.append(f"{INDENT}classDef cat{index} stroke:{color},stroke-width:2px")
            lines.append(f"{INDENT}class {','.join(members)} cat{index}")
    marks = {
        "root": ("stroke-width:4px,font-weight:bold", [c for c in causes if c.root_cause]),
        "hypothesis": (
            "stroke-dasharray:6 4",
            [c for c in causes if c.evidence is Evidence.HYPOTHESIS],
        ),
        "ruledout": (
            "stroke-dasharray:2 3,color:#7F7F7F",
            [c for c in causes if c.evidence is Evidence.RULED_OUT],
        ),
    }
    for name, (style, members_of) in marks.items():
        if members_of:
            lines.append(f"{INDENT}classDef {name} {style}")
            lines.append(f"{INDENT}class {','.join(ids[c.id] for c in members_of)} {name}")
    return "\n".join(lines) + "\n"


def to_mermaid(graph: CauseGraph, *, view: str = "fishbone") -> str:
    """Mermaid text of ``view`` ("fishbone" or "whys")."""
    if view == "fishbone":
        return fishbone_mermaid(graph)
    if view == "whys":
        return whys_mermaid(graph)
    raise ValueError(f"unknown view {view!r}; use one of: {', '.join(VIEWS)}")


def write_mermaid(
    path: str | os.PathLike[str], graph: CauseGraph, *, view: str = "fishbone"
) -> None:
    """Write :func:`to_mermaid` to ``path`` as UTF-8, all or nothing."""
    atomic_write_bytes(path, to_mermaid(graph, view=view).encode("utf-8"))
