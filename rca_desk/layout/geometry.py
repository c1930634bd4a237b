"""Plain geometry for layouts: rectangles and segments in scene units (pixels at 1x).

Layouts hand these to the renderer and to the property tests; keeping them free of Qt
lets both the layout engine and its tests run without a display.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from rca_desk.layout.text import TextBlock


@dataclass(frozen=True, slots=True)
class Rect:
    """An axis-aligned rectangle; ``x``/``y`` is the top-left corner, y grows downwards."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    def translated(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def adjusted(self, margin: float) -> Rect:
        """The rectangle grown by ``margin`` on every side (shrunk if negative)."""
        return Rect(self.x - margin, self.y - margin, self.w + 2 * margin, self.h + 2 * margin)

    def intersects(self, other: Rect) -> bool:
        """True when the interiors overlap (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def united(self, other: Rect) -> Rect:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)


@dataclass(frozen=True, slots=True)
class Segment:
    """A straight line from ``(x1, y1)`` to ``(x2, y2)``."""

    x1: float
    y1: float
    x2: float
    y2: float

    def translated(self, dx: float, dy: float) -> Segment:
        return Segment(self.x1 + dx, self.y1 + dy, self.x2 + dx, self.y2 + dy)

    def bounds(self) -> Rect:
        x, y = min(self.x1, self.x2), min(self.y1, self.y2)
        return Rect(x, y, abs(self.x2 - self.x1), abs(self.y2 - self.y1))

    def crosses(self, rect: Rect) -> bool:
        """True when any part of the segment lies strictly inside ``rect``.

        Liang-Barsky clipping against the open rectangle: a segment that only runs along
        or ends on the rectangle's edge does not cross it, which is how a rib meets the
        label it carries.
        """
        dx, dy = self.x2 - self.x1, self.y2 - self.y1
        t0, t1 = 0.0, 1.0
        for p, q in (
            (-dx, self.x1 - rect.x),
            (dx, rect.right - self.x1),
            (-dy, self.y1 - rect.y),
            (dy, rect.bottom - self.y1),
        ):
            if p == 0:
                if q <= 0:
                    return False
                continue
            t = q / p
            if p < 0:
                if t > t1:
                    return False
                t0 = max(t0, t)
            else:
                if t < t0:
                    return False
                t1 = min(t1, t)
        if t1 - t0 <= 1e-9:
            return False
        # The clipped piece lies inside the closed rectangle; make sure its midpoint is
        # strictly inside (not merely on an edge).
        tm = (t0 + t1) / 2
        mx, my = self.x1 + dx * tm, self.y1 + dy * tm
        eps = 1e-6
        return rect.x + eps < mx < rect.right - eps and rect.y + eps < my < rect.bottom - eps


def bounding(rects: list[Rect]) -> Rect:
    """The smallest rectangle holding all of ``rects`` (an empty rectangle for none)."""
    if not rects:
        return Rect(0, 0, 0, 0)
    x = min(r.x for r in rects)
    y = min(r.y for r in rects)
    return Rect(x, y, max(r.right for r in rects) - x, max(r.bottom for r in rects) - y)


@dataclass(frozen=True, slots=True)
class Label:
    """One drawn box of text.

    ``node`` is a cause id, the head (``model.HEAD``), ``"category:<name>"`` for a category
    bone's title, or ``"?<cause id>"`` for an open question after an unfinished chain.
    The text's first line starts at ``rect.x + padding``, ``rect.y + padding`` where
    padding is ``(rect.w - block.width) / 2`` horizontally centred is *not* assumed: the
    renderer draws ``block.lines`` left-aligned inside ``rect.adjusted(-LABEL_PADDING)``,
    except the lines of a right-to-left paragraph (``block.is_rtl(i)``), which it aligns
    right.
    """

    node: str
    kind: str  # "head" | "category" | "cause" | "question"
    rect: Rect
    block: TextBlock
    depth: int  # 0 for the head and category titles, 1 for first-level causes, ...
    category: str | None


@dataclass(frozen=True, slots=True)
class Bone:
    """A line of the diagram: the spine, a category bone, a rib or a connector piece.

    ``owner`` is the node the line belongs to (the cause a rib carries, ``"category:<name>"``
    for a category bone, the head for the spine), so a drop on a bone can find its target.
    """

    owner: str
    kind: str  # "spine" | "category" | "rib" | "primary" | "contributes"
    segment: Segment


#: Inner margin between a label's rectangle and its text.
LABEL_PADDING = 4.0

# The marks drawn on a cause label's corners, in one place so the layout that reserves
# their room, the renderer that draws them and the tests that check them cannot drift
# apart (the renderer only decides their colours and text).

#: Diameter of a cause's evidence mark and height of its badge's number.
MARKER = 9.0
#: The badge pill's size: the number plus a margin of 3 across and 2 up and down.
BADGE_W = MARKER + 6
BADGE_H = MARKER + 4
#: How far the badge pill's right end stands out right of the label's box.
BADGE_OVERHANG = 3.0


def evidence_zone(rect: Rect) -> Rect:
    """The square around a cause's evidence mark, a circle of radius ``MARKER / 2``
    centred on the label's top-left corner."""
    r = MARKER / 2
    return Rect(rect.x - r, rect.y - r, MARKER, MARKER)


def badge_zone(rect: Rect) -> Rect:
    """A cause's badge pill, centred on the label's top edge at its right end."""
    return Rect(rect.right + BADGE_OVERHANG - BADGE_W, rect.y - BADGE_H / 2, BADGE_W, BADGE_H)


#: How far the marks of a cause label reach out of its box on the screen: left (the
#: evidence mark), above (the badge) and right (the badge). Nothing reaches below.
MARK_LEFT = MARKER / 2
MARK_ABOVE = max(MARKER, BADGE_H) / 2
MARK_RIGHT = BADGE_OVERHANG
#: The margin a picture fitted onto a page keeps round its boxes so every mark stays
#: whole, with a pixel and a half to spare for anti-aliasing.
MARK_ROOM = max(MARK_LEFT, MARK_ABOVE, MARK_RIGHT) + 1.5


def category_node(name: str) -> str:
    """The layout node id of a category's title."""
    return f"category:{name}"


# Runs once, at import, before mutmut switches any mutant on: its mutants cannot be
# tested that way (test_geometry checks the records it builds instead).
def _fast_frozen_init(cls: type) -> None:  # pragma: no mutate block
    """Give a frozen, slotted dataclass an ``__init__`` that sets its slots directly.

    The generated ``__init__`` of a frozen dataclass goes through ``object.__setattr__``
    for every field, which makes these small records cost about twice as much to build;
    layouts build thousands of them on every edit. Fields, order, keywords, equality,
    hashing and immutability stay exactly as declared.
    """
    names = [f.name for f in fields(cls)]
    namespace = {f"_set_{name}": getattr(cls, name).__set__ for name in names}
    body = "".join(f"    _set_{name}(self, {name})\n" for name in names)
    exec(f"def __init__(self, {', '.join(names)}):\n{body}", namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)  # noqa: B010 - mypy refuses a direct method assignment


for _cls in (Rect, Segment, Label, Bone):
    _fast_frozen_init(_cls)
