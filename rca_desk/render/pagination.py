"""The five whys split over pages, so their text stays legible (issue 13). No Qt here.

Fitting a big five-whys diagram onto one slide shrinks its text until nobody can read
it. So a page view lays the chains out again for the page and cuts them into pages:

* **What a page holds.** A *unit* is a cause answering the problem with every cause below
  it (a chain, branches and all). A page holds consecutive units, as many as fit the page
  at the smallest scale it may use (:data:`~rca_desk.render.pages.MIN_TEXT` over the
  smallest text size, :data:`TEXT_SIZE`), in the order the view shows them. Every page is
  laid out anew with the problem on its left, so it reads on its own, and carries the
  legend, so a page handed round or shown alone explains itself.
* **Never a box cut in two.** A unit too tall for one page is replaced by its answers,
  each a unit of its own (recursively): their pages repeat the chain above them, from
  the problem down, so each still reads from the problem. A single cause that is still
  too tall, however deep, is put on a page by itself and fitted smaller; the exporter
  warns about it.
* **Across the page.** Columns do not split: the text wraps narrower
  (:data:`TEXT_WIDTHS`) until the deepest chain fits across the page at that scale. A
  chain too deep even at the narrowest wrap is fitted smaller (with a warning).
* **Links between pages.** An "also contributes to" link whose ends fall on different
  pages cannot be drawn; both pages say so in a note under the diagram, naming the
  other page.

:func:`pack` is the packing on its own (any units, any test of what fits);
:func:`whys_pages` applies it to an incident.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from rca_desk.layout.geometry import Rect, bounding
from rca_desk.layout.palette import INK
from rca_desk.layout.text import TextMetrics, shortened, wrap
from rca_desk.layout.whys import WhysLayout, WhysStyle, layout_whys
from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.model.actions import PreventiveAction
from rca_desk.render.diagram import Diagram, LegendEntry, View, add_legend, decorate

#: The text size of everything a five-whys page writes in words (causes, open questions,
#: the legend, notes) and so its smallest: one size keeps the rule "never below N px"
#: from being spent on a 12 px "Why?". The problem statement stays larger.
TEXT_SIZE = 13.0
#: The wrap widths tried, widest first, until the deepest chain fits across the page.
TEXT_WIDTHS = (200.0, 176.0, 152.0, 136.0, 120.0, 108.0, 96.0)
#: A page's whys drawing: the screen's, with all words at :data:`TEXT_SIZE` and a
#: narrower gap between columns (still room for two link lanes each side of the bus).
PAGE_STYLE = WhysStyle(size=TEXT_SIZE, question_size=TEXT_SIZE, level_gap=32.0)
#: Points a page diagram keeps around its labels (marks and badges stand out of corners).
_MARGIN = 16.0


def pack(count: int, fits: Callable[[int, int], bool]) -> list[range]:
    """Split units ``0 .. count-1`` into runs, each as long as ``fits(start, end)`` allows.

    ``fits(start, end)`` says whether units ``start`` up to (not including) ``end`` fit one
    page; it must only turn false as ``end`` grows. A unit that does not fit on its own
    gets a page to itself. The longest run is found by galloping and then bisecting, so a
    page of ``k`` units costs about ``2 log k`` calls, not ``k``.
    """
    pages: list[range] = []
    start = 0
    while start < count:
        good = start + 1  # always at least one unit
        if good < count and fits(start, good):
            step = 1
            bad = count + 1
            while good + step <= count:
                if fits(start, good + step):
                    good += step
                    step *= 2
                else:
                    bad = good + step
                    break
            # The longest run lies in [good, bad): bisect.
            while bad - good > 1:
                mid = (good + bad) // 2
                if mid <= count and fits(start, mid):
                    good = mid
                else:
                    bad = mid
        pages.append(range(start, good))
        start = good
    return pages


@dataclass
class WhysPage:
    """One page of the five whys: its diagram, the units it shows (their causes drawn
    whole), and whether one unit alone is too big for the page's smallest scale."""

    diagram: Diagram
    units: list[str]
    causes: list[str] = field(default_factory=list)
    oversize: bool = False


@dataclass(frozen=True)
class _Unit:
    root: str
    ancestors: tuple[str, ...]  # from the first-level cause down to the root's parent


def whys_pages(
    incident: Incident,
    metrics: TextMetrics,
    *,
    today: date,
    room: tuple[float, float],
    scale: float,
    legend: bool = True,
    guidance: bool = True,
) -> list[WhysPage]:
    """The incident's five whys over as many pages as needed for each to fit ``room``
    (page pixels: ``width, height``) at ``scale`` or more (see the module docstring);
    without ``guidance``, with no guidance marks (see
    :func:`~rca_desk.render.diagram.build_diagram`)."""
    graph = incident.graph
    most_w, most_h = room[0] / scale, room[1] / scale
    style, width = _page_style(graph, metrics, most_w, guidance)
    # Pages cannot make a chain shallower: when the deepest does not fit across, every
    # page may be as wide as the whole (those pages are fitted smaller, with a warning).
    across = max(most_w, width)
    actions: dict[str, list[PreventiveAction]] = {}
    for action in incident.actions:
        for cause_id in action.root_causes:
            actions.setdefault(cause_id, []).append(action)
    links = graph.links()
    built: dict[tuple[_Unit, ...], Diagram] = {}

    def page(units: Sequence[_Unit], numbers: dict[str, int] | None = None) -> Diagram:
        key = tuple(units)
        if numbers is None and key in built:
            return built[key]
        diagram = _page_diagram(
            incident, units, metrics, style, today, actions, links, legend, most_w, numbers
        )
        if numbers is None:
            built[key] = diagram
        return diagram

    def fits(units: Sequence[_Unit]) -> bool:
        b = page(units).bounds
        return b.w <= across + 1e-6 and b.h <= most_h + 1e-6

    units = _units(graph, [_Unit(c, ()) for c in graph.children(HEAD)], fits)
    if not units:
        return [WhysPage(page([]), [])]
    runs = pack(len(units), lambda start, end: fits(units[start:end]))
    # Which page draws each cause whole (a repeated ancestor is drawn on later pages too).
    numbers: dict[str, int] = {}
    grouped = []
    for number, run in enumerate(runs, 1):
        group = [units[i] for i in run]
        grouped.append(group)
        for node in _kept(graph, group):
            numbers.setdefault(node, number)  # a repeated ancestor: its first page
    pages = []
    for group in grouped:
        diagram = page(group, numbers if _crossing(group, links, graph) else None)
        causes = [node for unit in group for node in graph.subtree(unit.root)]
        big = len(group) == 1 and not fits(group)
        pages.append(WhysPage(diagram, [unit.root for unit in group], causes, big))
    return pages


def _page_style(
    graph: CauseGraph, metrics: TextMetrics, most_w: float, guidance: bool
) -> tuple[WhysStyle, float]:
    """The widest wrap at which the whole five whys fit ``most_w`` across (page scene
    px), or the narrowest; and how wide the whole is at that wrap."""
    for text_width in TEXT_WIDTHS:
        style = replace(
            PAGE_STYLE,
            max_text_width=text_width,
            head_max_text_width=text_width,
            open_questions=guidance,
        )
        width = layout_whys(graph, metrics, style).bounds.w + 2 * _MARGIN
        if width <= most_w:
            break
    return style, width


def _units(
    graph: CauseGraph, units: list[_Unit], fits: Callable[[Sequence[_Unit]], bool]
) -> list[_Unit]:
    """``units`` with each one too big for a page replaced by its answers (recursively)."""
    out: list[_Unit] = []
    for unit in units:
        children = graph.children(unit.root)
        if children and not fits([unit]):
            below = (*unit.ancestors, unit.root)
            out.extend(_units(graph, [_Unit(c, below) for c in children], fits))
        else:
            out.append(unit)
    return out


def _kept(graph: CauseGraph, units: Sequence[_Unit]) -> set[str]:
    kept: set[str] = set()
    for unit in units:
        kept.update(unit.ancestors)
        kept.update(graph.subtree(unit.root))
    return kept


def _crossing(units: Sequence[_Unit], links: list[tuple[str, str]], graph: CauseGraph) -> bool:
    kept = _kept(graph, units) | {HEAD}
    return any((effect in kept) != (cause in kept) for effect, cause in links)


def part_of(graph: CauseGraph, kept: set[str]) -> CauseGraph:
    """The causes in ``kept`` (with every ancestor of each in it) as a graph of their own:
    the same problem, categories, ids, order and fields, and the links between them."""
    part = CauseGraph(problem=graph.problem, categories=list(graph.categories))
    nodes = graph.nx.nodes
    stack = [c for c in reversed(graph.children(HEAD)) if c in kept]
    parent = dict.fromkeys(stack, HEAD)
    while stack:
        node = stack.pop()
        attrs = nodes[node]
        part.add_cause(
            parent[node],
            text=attrs["text"],
            category=attrs["category"],
            evidence=attrs["evidence"],
            evidence_note=attrs["evidence_note"],
            root_cause=attrs["root_cause"],
            stop_reason=attrs["stop_reason"],
            cause_id=node,
        )
        for child in reversed(graph.children(node)):
            if child in kept:
                parent[child] = node
                stack.append(child)
    for effect, cause in graph.links():
        if (effect == HEAD or effect in part) and cause in part:
            part.add_link(effect, cause)
    return part


def _page_diagram(
    incident: Incident,
    units: Sequence[_Unit],
    metrics: TextMetrics,
    style: WhysStyle,
    today: date,
    actions: dict[str, list[PreventiveAction]],
    links: list[tuple[str, str]],
    legend: bool,
    most_w: float,
    numbers: dict[str, int] | None,
) -> Diagram:
    """One page's diagram: its units laid out anew under the problem, decorated as the
    screen decorates them, the legend above and the notes about links to other pages
    below. Without ``numbers`` (while packing) the notes say "page 00", about as wide."""
    graph = incident.graph
    kept = _kept(graph, units)
    part = part_of(graph, kept)
    layout: WhysLayout = layout_whys(part, metrics, style)
    diagram = Diagram(
        view=View.WHYS,
        title=incident.title,
        labels=layout.labels,
        bones=list(layout.bones),
        decor={
            node: decorate(incident, label, today, actions, guidance=style.open_questions)
            for node, label in layout.labels.items()
        },
        legend_size=TEXT_SIZE,
        bounds=layout.bounds,
    )
    notes = _notes(graph, kept, links, numbers)
    if notes:
        _add_notes(diagram, notes, metrics, most_w - 2 * _MARGIN)
    if legend:
        add_legend(
            diagram,
            graph.categories,
            metrics,
            width=most_w - 2 * _MARGIN,
            guidance=style.open_questions,
        )
    else:
        diagram.bounds = diagram.bounds.adjusted(_MARGIN)
    return diagram


def _notes(
    graph: CauseGraph, kept: set[str], links: list[tuple[str, str]], numbers: dict[str, int] | None
) -> list[str]:
    """What a page says about each of its links whose other end is on another page."""
    out = []
    for effect, cause in links:
        here = (effect == HEAD or effect in kept, cause in kept)
        if here[0] == here[1]:
            continue

        def named(node: str) -> str:
            text = graph.problem if node == HEAD else graph.nx.nodes[node]["text"]
            where = f"page {numbers.get(node, 0)}" if numbers is not None else "page 00"
            where = "every page" if node == HEAD else where
            return f"“{shortened(text, 48)}” ({where})"

        out.append(f"{named(cause)} also contributes to {named(effect)}")
    return out


def _add_notes(diagram: Diagram, notes: list[str], metrics: TextMetrics, width: float) -> None:
    """The notes below the diagram, each wrapped to ``width``, as legend lines of words."""
    size = diagram.legend_size
    line = metrics.line_height(size)
    b = diagram.bounds
    y = b.bottom + 18
    rects = [b]
    for note in ["Links to causes on other pages:", *notes]:
        block = wrap(note, metrics, size, width)
        for text in block.lines:
            swatch = Rect(b.x, y, 0, line)
            diagram.legend.append(LegendEntry(text, INK, swatch, (b.x, y), kind="note"))
            rects.append(Rect(b.x, y, metrics.width(text, size), line))
            y += line
        y += 4
    diagram.bounds = bounding(rects)
