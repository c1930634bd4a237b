"""Where a diagram goes on a page: fitted, centred, never distorted (issue 13).

``--page none`` keeps today's tight picture (the page is the diagram). ``--page slide``
puts the diagram on a 1920 x 1080 page, the one presentation mode shows, laid out for a
16:9 frame (a fishbone shares its category bones between the halves to fit it) and
scaled to fill it less a margin. A4 and Letter pages, with their title block and page
numbers, are still to come.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rca_desk.layout.geometry import Rect


class Page(StrEnum):
    """The page modes of an export (``--page``)."""

    NONE = "none"
    SLIDE = "slide"


#: A slide's size in pixels (96 dpi), and the frame aspect a slide lays a diagram out for.
SLIDE_SIZE = (1920.0, 1080.0)
SLIDE_FRAME = SLIDE_SIZE[0] / SLIDE_SIZE[1]
#: Clear space around the diagram on a slide, in page pixels.
SLIDE_MARGIN = 32.0


@dataclass(frozen=True)
class Fit:
    """A diagram placed on a page: page = scene * ``scale`` + (``dx``, ``dy``)."""

    width: float
    height: float
    scale: float
    dx: float
    dy: float

    def place(self, rect: Rect) -> Rect:
        """``rect`` (scene) where it lands on the page."""
        s = self.scale
        return Rect(rect.x * s + self.dx, rect.y * s + self.dy, rect.w * s, rect.h * s)


def fit(bounds: Rect, width: float, height: float, margin: float) -> Fit:
    """``bounds`` scaled to fit ``width`` x ``height`` less ``margin`` all round, centred."""
    room_w, room_h = max(1.0, width - 2 * margin), max(1.0, height - 2 * margin)
    scale = min(room_w / max(bounds.w, 1e-9), room_h / max(bounds.h, 1e-9))
    dx = (width - bounds.w * scale) / 2 - bounds.x * scale
    dy = (height - bounds.h * scale) / 2 - bounds.y * scale
    return Fit(width, height, scale, dx, dy)


def slide(bounds: Rect) -> Fit:
    """The diagram on a 1920 x 1080 slide."""
    return fit(bounds, *SLIDE_SIZE, SLIDE_MARGIN)
