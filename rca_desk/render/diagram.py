"""A laid-out diagram with everything needed to draw it, independent of the drawing API.

Both the canvas (QGraphicsScene), the PNG/PDF painter and the hand-written SVG draw a
:class:`Diagram`, so what is exported is what was on screen. What a label box, an evidence
mark and a badge look like (colours, geometry) is decided here once, by :func:`box_style`,
:func:`evidence_mark` and :func:`badge`; the painter and the SVG writer only draw it, so
they cannot drift apart. No Qt here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from rca_desk.layout.geometry import (
    BADGE_H,
    BADGE_W,
    MARK_ROOM,
    MARKER,
    Bone,
    Label,
    Rect,
    Segment,
    badge_zone,
    evidence_zone,
)
from rca_desk.layout.palette import INK, RULED_OUT, WHITE, category_color, text_on
from rca_desk.layout.text import TextMetrics
from rca_desk.model import ActionStatus, Evidence, Incident, blames_a_person
from rca_desk.model.actions import PreventiveAction, covers

if TYPE_CHECKING:
    from rca_desk.layout.fishbone import FishboneStyle


class View(StrEnum):
    """The two ways to see an incident's one cause graph.

    In rca_desk "view" means only this: the fishbone or the five whys (``--view`` on the
    command line). Widgets are a canvas, a tab or a panel.
    """

    FISHBONE = "fishbone"
    WHYS = "whys"


class Health(StrEnum):
    """How a cause's preventive actions stand, worst first; drives the badge colour."""

    OVERDUE = "overdue"
    NOT_EFFECTIVE = "not effective"
    PROPOSED = "proposed only"
    UNDER_WAY = "under way"
    AWAITING_VERIFICATION = "awaiting verification"
    EFFECTIVE = "verified effective"
    CANCELLED = "cancelled"


HEALTH_COLORS = {
    Health.OVERDUE: "#C62828",
    Health.NOT_EFFECTIVE: "#C62828",
    Health.PROPOSED: "#EF6C00",
    Health.UNDER_WAY: "#1565C0",
    Health.AWAITING_VERIFICATION: "#00838F",
    Health.EFFECTIVE: "#2E7D32",
    Health.CANCELLED: "#757575",
}
ROOT_COLOR = "#B00020"
WARNING_COLOR = "#C62828"


def action_health(action: PreventiveAction, today: date) -> Health:
    if action.is_overdue(today) or action.is_verification_overdue(today):
        return Health.OVERDUE
    return {
        ActionStatus.NOT_EFFECTIVE: Health.NOT_EFFECTIVE,
        ActionStatus.PROPOSED: Health.PROPOSED,
        ActionStatus.COMMITTED: Health.UNDER_WAY,
        ActionStatus.IN_PROGRESS: Health.UNDER_WAY,
        ActionStatus.IMPLEMENTED: Health.AWAITING_VERIFICATION,
        ActionStatus.VERIFIED_EFFECTIVE: Health.EFFECTIVE,
        ActionStatus.CANCELLED: Health.CANCELLED,
    }[action.status]


@dataclass(frozen=True)
class Decor:
    """What a label shows besides its text."""

    color: str
    root_cause: bool = False
    evidence: Evidence | None = None
    actions: int = 0
    health: Health | None = None
    blame: bool = False
    uncovered: bool = False  # a root cause with no committed action

    @property
    def badge_color(self) -> str:
        return HEALTH_COLORS[self.health] if self.health else INK


@dataclass(frozen=True)
class LegendEntry:
    """One entry of the legend above the diagram, so a printout explains itself: a
    category's colour swatch, or a sample of an evidence mark, a badge or a link drawn
    exactly as the diagram draws them, each with its words; or a note's line."""

    name: str
    color: str
    swatch: Rect  # where the sample sits (the swatch itself for a category)
    text_at: tuple[float, float]  # top-left of the text
    #: "category", "evidence", "badge", "link", or "note": a line of words alone (the five
    #: whys on pages note their links to causes on other pages this way).
    kind: str = "category"
    mark: EvidenceMark | None = None
    pill: Badge | None = None
    line: Bone | None = None


@dataclass
class Diagram:
    """A laid-out, decorated diagram: what the canvas and every image export draw alike,
    so an export looks like the screen."""

    view: View
    title: str
    labels: dict[str, Label]
    bones: list[Bone]
    decor: dict[str, Decor]
    legend: list[LegendEntry] = field(default_factory=list)
    legend_size: float = 12.0
    bounds: Rect = field(default_factory=lambda: Rect(0, 0, 0, 0))

    def evidence_marks(self) -> list[EvidenceMark]:
        """The evidence mark of every cause, in label order."""
        marks = (evidence_mark(label, self.decor[node]) for node, label in self.labels.items())
        return [mark for mark in marks if mark is not None]

    def badges(self) -> list[Badge]:
        """The badge of every cause that has one, in label order."""
        found = (badge(label, self.decor[node]) for node, label in self.labels.items())
        return [b for b in found if b is not None]

    def links(self) -> list[Bone]:
        """The pieces of every "also contributes to" connector (owned by the cause)."""
        return [bone for bone in self.bones if bone.kind == "contributes"]


@dataclass(frozen=True)
class BoxStyle:
    """How a label's box and text are drawn."""

    fill: str
    stroke: str | None  # None: no outline
    width: float
    text: str
    dashed: bool = False
    italic: bool = False
    strike: bool = False


def box_style(label: Label, decor: Decor) -> BoxStyle:
    """The box and text colours of ``label``; text on a colour takes :func:`text_on` it."""
    if label.kind == "head":
        return BoxStyle(fill=INK, stroke=None, width=0, text=text_on(INK))
    if label.kind == "category":
        return BoxStyle(fill=decor.color, stroke=None, width=0, text=text_on(decor.color))
    if label.kind == "question":
        return BoxStyle("#fafafa", "#9e9e9e", 1.0, "#6b6b6b", dashed=True, italic=True)
    ruled_out = decor.evidence is Evidence.RULED_OUT
    return BoxStyle(
        fill="#fff5f5" if decor.root_cause else WHITE,
        stroke=ROOT_COLOR if decor.root_cause else decor.color,
        width=2.6 if decor.root_cause else 1.2,
        text=RULED_OUT if ruled_out else INK,
        dashed=ruled_out,
        strike=ruled_out,
    )


@dataclass(frozen=True)
class EvidenceMark:
    """The circle on a cause's top-left corner: hollow = hypothesis, half = supported,
    full = verified, cross = ruled out. Drawn as an ink outline on white, then ``fill``
    (the left half of the circle, all of it, or nothing) and ``cross`` in ink."""

    node: str
    evidence: Evidence
    cx: float
    cy: float
    r: float
    outline: float = 1.0  # pen width of the circle
    cross_width: float = 1.2

    @property
    def fill(self) -> str:
        """ "none", "half" (the left half) or "full": how much of the circle is inked."""
        return {Evidence.VERIFIED: "full", Evidence.SUPPORTED: "half"}.get(self.evidence, "none")

    @property
    def cross(self) -> tuple[Segment, Segment] | None:
        """The two strokes of the cross of a ruled-out cause."""
        if self.evidence is not Evidence.RULED_OUT:
            return None
        d = self.r * 0.6
        x, y = self.cx, self.cy
        return Segment(x - d, y - d, x + d, y + d), Segment(x - d, y + d, x + d, y - d)


def evidence_mark(label: Label, decor: Decor) -> EvidenceMark | None:
    """The evidence mark of a cause's label (``None`` for the head, titles, questions)."""
    if label.kind != "cause":
        return None
    zone = evidence_zone(label.rect)  # where the layout reserved its room
    evidence = decor.evidence or Evidence.HYPOTHESIS
    cx, cy = zone.center
    return EvidenceMark(label.node, evidence, cx, cy, zone.w / 2)


@dataclass(frozen=True)
class Badge:
    """The pill on a cause's top-right corner: its number of preventive actions in the
    colour of the worst one's health, or "!" in red for a root cause with no committed
    action or a cause that blames a person."""

    node: str
    text: str
    fill: str
    ink: str  # the number's colour: text_on(fill)
    rect: Rect
    font_size: float = MARKER + 1

    @property
    def baseline(self) -> float:
        """Where the text's baseline sits for it to look centred (SVG has no "centre")."""
        return self.rect.y + self.rect.h / 2 + 0.36 * self.font_size


def badge(label: Label, decor: Decor) -> Badge | None:
    """The badge of a cause's label, or ``None`` when it has none."""
    if label.kind != "cause" or not (decor.actions or decor.uncovered or decor.blame):
        return None
    fill = decor.badge_color if decor.actions else WARNING_COLOR
    rect = label.rect
    box = badge_zone(rect)  # where the layout reserved room for it
    text = str(decor.actions) if decor.actions else "!"
    return Badge(label.node, text, fill, text_on(fill), box)


_HEALTH_RANK = {health: rank for rank, health in enumerate(Health)}


def decorate(
    incident: Incident,
    label: Label,
    today: date,
    actions_by_cause: dict[str, list[PreventiveAction]] | None = None,
    *,
    guidance: bool = True,
) -> Decor:
    """The decoration of one label. Pass ``actions_by_cause`` when decorating many.

    The label's ``kind`` says what it shows, so its node id is never taken apart here: a
    category title and an open question carry their category in ``label.category``.
    Without ``guidance`` (a report for the client) no label is marked for blame or for a
    root cause left without a committed action: those "!" badges are the facilitator's.
    """
    graph = incident.graph
    if label.kind == "head":
        return Decor(color=INK)
    if label.kind in ("category", "question"):
        return Decor(color=category_color(graph.categories, label.category or ""))
    node = label.node
    attrs = graph.nx.nodes[node]
    # The cause's own category, whichever bone it hangs on (docs/categories.md, rule 2).
    color = category_color(graph.categories, attrs["category"])
    if actions_by_cause is None:
        actions = incident.actions_for(node)
    else:
        actions = actions_by_cause.get(node, [])
    if not actions:
        root = bool(attrs["root_cause"])
        return Decor(
            color=color,
            root_cause=root,
            evidence=attrs["evidence"],
            blame=guidance and blames_a_person(attrs["text"]),
            uncovered=guidance and root,
        )
    cause = graph.cause(node)
    live = [a for a in actions if a.status is not ActionStatus.CANCELLED] or actions
    health = min((action_health(a, today) for a in live), key=_HEALTH_RANK.__getitem__)
    return Decor(
        color=color,
        root_cause=cause.root_cause,
        evidence=cause.evidence,
        actions=len(actions),
        health=health,
        blame=guidance and blames_a_person(cause.text),
        uncovered=guidance and cause.root_cause and not covers(actions),
    )


def build_diagram(
    incident: Incident,
    view: View,
    metrics: TextMetrics,
    *,
    today: date,
    cache: Any = None,
    legend: bool = True,
    frame: float | None = None,
    style: FishboneStyle | None = None,
    guidance: bool = True,
) -> Diagram:
    """Lay out ``incident`` in ``view`` and decorate every label; with ``legend``, add the
    legend (:func:`add_legend`). ``frame`` (an aspect ratio) lays a fishbone out for a
    page of that shape (:func:`~rca_desk.layout.framing.layout_for_frame`) and lets the
    legend take a free corner; ``style`` (from
    :func:`~rca_desk.layout.framing.style_for_frame`) skips the search for one. Without
    ``guidance`` the diagram has no guidance marks: no "!" badges, no open questions
    after unfinished chains, and no "!" in the legend (a report for the client)."""
    graph = incident.graph
    if view is View.FISHBONE:
        from rca_desk.layout.fishbone import layout_fishbone
        from rca_desk.layout.framing import layout_for_frame

        # A category whose causes hang on other bones says so on its title, the note on
        # a line of its own (docs/categories.md, rule 3); only the title's text changes.
        titles = graph.category_titles(sep="\n")
        if frame is None:
            layout: Any = layout_fishbone(graph, metrics, cache=cache, titles=titles)
        elif style is None:
            layout = layout_for_frame(graph, metrics, frame, cache, titles=titles)
        else:  # a style chosen once for this frame, kept while editing
            layout = layout_fishbone(graph, metrics, style, cache, frame, titles=titles)
    else:
        from rca_desk.layout.whys import WhysStyle, layout_whys

        layout = layout_whys(graph, metrics, WhysStyle(open_questions=guidance), cache)
    actions_by_cause: dict[str, list[PreventiveAction]] = {}
    for action in incident.actions:
        for cause_id in action.root_causes:
            actions_by_cause.setdefault(cause_id, []).append(action)
    bones = list(layout.bones)
    if view is View.FISHBONE:
        # The fishbone layout leaves the secondary links out; draw each as a straight
        # dashed connector between the two boxes, as the five whys draw theirs.
        bones += fishbone_links(layout.labels, graph.links())
    diagram = Diagram(
        view=view,
        title=incident.title,
        labels=layout.labels,
        bones=bones,
        decor={
            node: decorate(incident, label, today, actions_by_cause, guidance=guidance)
            for node, label in layout.labels.items()
        },
        bounds=layout.bounds,
    )
    if legend:
        # (with the same margin)
        add_legend(diagram, graph.categories, metrics, frame, guidance=guidance)
    else:
        # Marks and badges stand out of their boxes' corners: a margin keeps them whole
        # (on a page, only as much as they need; the page has its own margin).
        diagram.bounds = diagram.bounds.adjusted(16 if frame is None else MARK_ROOM)
    return diagram


def _edge_point(rect: Rect, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from ``rect``'s centre to ``towards`` leaves ``rect``."""
    cx, cy = rect.center
    dx, dy = towards[0] - cx, towards[1] - cy
    scales = [abs(rect.w / 2 / dx) if dx else math.inf, abs(rect.h / 2 / dy) if dy else math.inf]
    t = min(1.0, *scales)
    return cx + dx * t, cy + dy * t


def fishbone_links(labels: dict[str, Label], links: list[tuple[str, str]]) -> list[Bone]:
    """One straight "contributes" bone per ``(effect, cause)`` link, box edge to box edge.

    Owned by the cause, as the five-whys layout owns its connectors, so it takes the
    cause's colour. A link to an end that has no box is left out.
    """
    bones = []
    for effect, cause in sorted(links):
        if effect not in labels or cause not in labels:
            continue
        a, b = labels[cause].rect, labels[effect].rect
        if a.intersects(b):
            continue
        x1, y1 = _edge_point(a, b.center)
        x2, y2 = _edge_point(b, a.center)
        bones.append(Bone(cause, "contributes", Segment(x1, y1, x2, y2)))
    return bones


#: What the legend says about each badge colour (worst action first, as badges pick).
_BADGE_WORDS = {
    Health.OVERDUE: "overdue or not effective",
    Health.PROPOSED: "proposed only",
    Health.UNDER_WAY: "under way",
    Health.AWAITING_VERIFICATION: "awaiting verification",
    Health.EFFECTIVE: "verified effective",
}


def add_legend(
    diagram: Diagram,
    categories: list[str],
    metrics: TextMetrics,
    frame: float | None = None,
    *,
    width: float | None = None,
    guidance: bool = True,
) -> None:
    """The legend, so a printout explains everything it draws: the category colours; the
    evidence marks and the "also contributes to" link; the badges (the number of
    actions, coloured by the worst one's state, and "!", unless ``guidance`` is off).

    Without a ``frame`` it is three rows above the diagram, a row that would pass
    ``width`` carrying on in a row below (a portrait page is narrower than the badge
    row). On a page (``frame`` is the
    aspect ratio of the room it gets) it may also wrap into a narrower block and sit in
    a corner of the diagram that nothing occupies: a fishbone leaves such corners, and a
    legend above costs the whole picture a tenth of its size on a slide. Of the places
    that touch nothing, the one whose picture fits the frame largest wins (the first
    corner, top left, when several cost nothing).

    Each sample is built by the same functions that draw the diagram's own marks,
    badges and links, so the legend cannot show something the diagram draws differently.
    """
    size = diagram.legend_size
    bounds = diagram.bounds
    limit = math.inf if width is None else width
    natural = _legend_flow(categories, metrics, size, 0.0, 0.0, limit, guidance=guidance)
    gap = 18.0  # between the legend and the diagram
    places = [(bounds.x, bounds.y - natural.h - gap, natural)]  # above, as without a frame
    if frame is not None:
        widest = max(
            e.text_at[0] - e.swatch.x + metrics.width(e.name, size) for e in natural.entries
        )
        blocks = [
            _legend_flow(categories, metrics, size, 0.0, 0.0, across, share=True, guidance=guidance)
            for across in (bounds.w, *(max(widest, natural.w / parts) for parts in (2, 3)))
        ]
        obstacles = [label.rect.adjusted(MARK_ROOM) for label in diagram.labels.values()]
        places = []
        for block in blocks:
            left, top = bounds.x, bounds.y
            right, bottom = bounds.right - block.w, bounds.bottom - block.h
            for x, y in ((left, top), (right, top), (left, bottom), (right, bottom)):
                area = Rect(x, y, block.w, block.h).adjusted(LEGEND_CLEARANCE)
                if any(area.intersects(o) for o in obstacles):
                    continue
                if any(bone.segment.crosses(area) for bone in diagram.bones):
                    continue
                places.append((x, y, block))
            places += [
                (left, top - block.h - gap, block),  # above
                (left, bounds.bottom + gap, block),  # below
                (bounds.right + gap, top, block),  # right
            ]

        def fitted(place: tuple[float, float, _LegendBlock]) -> float:
            x, y, block = place
            area = bounds.united(Rect(x, y, block.w, block.h))
            return min(frame / area.w, 1.0 / area.h)

        places.sort(key=fitted, reverse=True)  # stable: the first of equals stays first
    x, y, block = places[0]
    placed = _legend_flow(
        categories, metrics, size, x, y, block.limit, share=block.share, guidance=guidance
    )
    diagram.legend.extend(placed.entries)  # after any notes already there
    diagram.bounds = bounds.united(Rect(x, y, placed.w, placed.h)).adjusted(
        16 if frame is None else MARK_ROOM
    )


#: Clear space kept between a legend placed inside the picture and any box or line.
LEGEND_CLEARANCE = 12.0


@dataclass
class _LegendBlock:
    """The legend's entries flowed into lines, with the block's size and how it was
    flowed (to flow it again at its final place)."""

    limit: float
    share: bool
    entries: list[LegendEntry] = field(default_factory=list)
    w: float = 0.0
    h: float = 0.0


_ENTRY_GAP = 18.0


def _legend_flow(
    categories: list[str],
    metrics: TextMetrics,
    size: float,
    x0: float,
    y0: float,
    limit: float,
    *,
    share: bool = False,
    guidance: bool = True,
) -> _LegendBlock:
    """The legend's entries from (``x0``, ``y0``) in three groups (categories; evidence
    and link; badges, "!" only with ``guidance``), wrapping onto another line before
    passing ``limit`` wide."""
    line = metrics.line_height(size)
    row_gap = line + 6
    groups: list[list[tuple[str, Any]]] = [
        [("category", name) for name in categories],
        [("evidence", evidence) for evidence in Evidence] + [("link", None)],
        [("badge", health) for health in _BADGE_WORDS] + ([("badge", None)] if guidance else []),
    ]
    block = _LegendBlock(limit, share)
    top = y0 - row_gap
    x: float | None = None  # None: the next entry starts a line
    for group in groups:
        widths = [
            e.text_at[0] + metrics.width(e.name, size)
            for e in (_legend_entry(kind, what, categories, 0.0, 0.0, size) for kind, what in group)
        ]
        # Each group starts a line, or with ``share`` goes on after the last one when all
        # of it fits there (a wider space keeps the groups apart).
        whole = sum(widths) + _ENTRY_GAP * len(widths)
        x = x + _ENTRY_GAP if share and x is not None and x + whole <= x0 + limit else None
        for (kind, what), width in zip(group, widths, strict=True):
            if x is None or (x > x0 and x + width > x0 + limit):
                x, top = x0, top + row_gap
            entry = _legend_entry(kind, what, categories, x, top + line / 2, size)
            block.entries.append(replace(entry, text_at=(entry.text_at[0], top)))
            block.w = max(block.w, x + width - x0)
            x += width + _ENTRY_GAP
    block.h = top + row_gap - 6 - y0
    return block


def _legend_entry(
    kind: str, what: Any, categories: list[str], x: float, mid: float, size: float
) -> LegendEntry:
    """One legend sample at ``x``, centred on the row's middle ``mid``."""
    if kind == "category":
        swatch = Rect(x, mid - size / 2, size, size)
        return LegendEntry(what, category_color(categories, what), swatch, (x + size + 6, 0))
    if kind == "evidence":
        r = MARKER / 2
        mark = EvidenceMark("legend", what, x + r + 1, mid, r)
        box = Rect(x, mid - r, 2 * r + 2, 2 * r)
        return LegendEntry(what.label, INK, box, (box.right + 5, 0), kind, mark=mark)
    if kind == "link":
        seg = Segment(x, mid, x + 28, mid)
        bone = Bone("legend", "contributes", seg)
        box = Rect(x, mid - 1, 28, 2)
        return LegendEntry("also contributes to", INK, box, (box.right + 6, 0), kind, line=bone)
    fill = HEALTH_COLORS[what] if what is not None else WARNING_COLOR
    text = "1" if what is not None else "!"
    rect = Rect(x, mid - BADGE_H / 2, BADGE_W, BADGE_H)
    pill = Badge("legend", text, fill, text_on(fill), rect)
    words = (
        f"actions: {_BADGE_WORDS[what]}"
        if what is not None
        else "root cause without a committed action, or blame"
    )
    return LegendEntry(words, fill, rect, (rect.right + 5, 0), kind, pill=pill)
