"""A laid-out diagram with everything needed to draw it, independent of the drawing API.

Both the canvas (QGraphicsScene), the PNG/PDF painter and the hand-written SVG draw a
:class:`Diagram`, so what is exported is what was on screen. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from rca_desk.layout.geometry import Bone, Label, Rect, bounding
from rca_desk.layout.palette import INK, category_color
from rca_desk.layout.text import TextMetrics
from rca_desk.model import ActionStatus, Evidence, Incident, blames_a_person
from rca_desk.model.actions import PreventiveAction, covers


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
    """One category swatch above the diagram, so a printout explains its colours."""

    name: str
    color: str
    swatch: Rect
    text_at: tuple[float, float]  # top-left of the text


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


_HEALTH_RANK = {health: rank for rank, health in enumerate(Health)}


def decorate(
    incident: Incident,
    label: Label,
    today: date,
    actions_by_cause: dict[str, list[PreventiveAction]] | None = None,
) -> Decor:
    """The decoration of one label. Pass ``actions_by_cause`` when decorating many.

    The label's ``kind`` says what it shows, so its node id is never taken apart here: a
    category title and an open question carry their category in ``label.category``.
    """
    graph = incident.graph
    if label.kind == "head":
        return Decor(color=INK)
    if label.kind in ("category", "question"):
        return Decor(color=category_color(graph.categories, label.category or ""))
    node = label.node
    attrs = graph.nx.nodes[node]
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
            blame=blames_a_person(attrs["text"]),
            uncovered=root,
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
        blame=blames_a_person(cause.text),
        uncovered=cause.root_cause and not covers(actions),
    )


def build_diagram(
    incident: Incident,
    view: View,
    metrics: TextMetrics,
    *,
    today: date,
    cache: Any = None,
    legend: bool = True,
) -> Diagram:
    """Lay out ``incident`` in ``view`` and decorate every label."""
    graph = incident.graph
    if view is View.FISHBONE:
        from rca_desk.layout.fishbone import layout_fishbone

        layout: Any = layout_fishbone(graph, metrics, cache=cache)
    else:
        from rca_desk.layout.whys import layout_whys

        layout = layout_whys(graph, metrics, cache=cache)
    actions_by_cause: dict[str, list[PreventiveAction]] = {}
    for action in incident.actions:
        for cause_id in action.root_causes:
            actions_by_cause.setdefault(cause_id, []).append(action)
    diagram = Diagram(
        view=view,
        title=incident.title,
        labels=layout.labels,
        bones=layout.bones,
        decor={
            node: decorate(incident, label, today, actions_by_cause)
            for node, label in layout.labels.items()
        },
        bounds=layout.bounds,
    )
    if legend:
        _add_legend(diagram, graph.categories, metrics)
    return diagram


def _add_legend(diagram: Diagram, categories: list[str], metrics: TextMetrics) -> None:
    """A row of colour swatches above the diagram, so a printout explains its colours."""
    size = diagram.legend_size
    line = metrics.line_height(size)
    top = diagram.bounds.y - line - 24
    x = diagram.bounds.x
    for name in categories:
        swatch = Rect(x, top + (line - size) / 2, size, size)
        diagram.legend.append(
            LegendEntry(name, category_color(categories, name), swatch, (x + size + 6, top))
        )
        x += size + 6 + metrics.width(name, size) + 18
    rects = [diagram.bounds, Rect(diagram.bounds.x, top, x - diagram.bounds.x, line)]
    diagram.bounds = bounding(rects).adjusted(16)
