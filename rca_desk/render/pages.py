"""Where a diagram goes on a page: fitted, centred, never distorted (issue 13).

``--page none`` keeps today's tight picture (the page is the diagram). ``--page slide``
puts the diagram on a 1920 x 1080 page, the one presentation mode shows, laid out for a
16:9 frame (a fishbone shares its category bones between the halves to fit it) and
scaled to fill it less a margin. ``--page a4`` and ``--page letter`` are landscape
paper pages: a title block along the top (incident, client, date, status, page number),
the diagram laid out for the page's shape and fitted below it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rca_desk.layout.geometry import Rect
from rca_desk.layout.text import shortened
from rca_desk.model import Incident


class Page(StrEnum):
    """The page modes of an export (``--page``)."""

    NONE = "none"
    SLIDE = "slide"
    A4 = "a4"
    LETTER = "letter"

    @property
    def is_paper(self) -> bool:
        return self in (Page.A4, Page.LETTER)


#: A slide's size in pixels (96 dpi), and the frame aspect a slide lays a diagram out for.
SLIDE_SIZE = (1920.0, 1080.0)
SLIDE_FRAME = SLIDE_SIZE[0] / SLIDE_SIZE[1]
#: Clear space around the diagram on a slide, in page pixels.
SLIDE_MARGIN = 24.0


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


#: Paper sizes in landscape, in CSS pixels (96 per inch): A4 297 x 210 mm, Letter 11 x 8.5 in.
PAPER_SIZE = {
    Page.A4: (297 / 25.4 * 96, 210 / 25.4 * 96),
    Page.LETTER: (11 * 96.0, 8.5 * 96.0),
}
#: Paper margins, in page pixels (about 10 mm), and the title block's height.
PAPER_MARGIN = 38.0
TITLE_HEIGHT = 54.0
TITLE_SIZE = 16.0
DETAIL_SIZE = 10.0


def paper_frame(page: Page) -> float:
    """The aspect ratio of the room a paper page leaves the diagram (below the title)."""
    width, height = PAPER_SIZE[page]
    return (width - 2 * PAPER_MARGIN) / (height - 2 * PAPER_MARGIN - TITLE_HEIGHT)


def on_paper(bounds: Rect, page: Page) -> Fit:
    """The diagram fitted into the room below the title block of a paper page."""
    width, height = PAPER_SIZE[page]
    room = fit(bounds, width - 2 * PAPER_MARGIN, height - 2 * PAPER_MARGIN - TITLE_HEIGHT, 0)
    return Fit(
        width, height, room.scale, room.dx + PAPER_MARGIN, room.dy + PAPER_MARGIN + TITLE_HEIGHT
    )


@dataclass(frozen=True)
class TextLine:
    """One line of the title block, in page pixels: ``x`` is the left edge, or the right
    edge when ``right`` is set; ``y`` the baseline."""

    text: str
    x: float
    y: float
    size: float
    bold: bool = False
    right: bool = False


def title_block(incident: Incident, page: Page, number: int = 1, pages: int = 1) -> list[TextLine]:
    """The title block of a paper page: the incident's title, then its client, when it
    occurred and its status; the page number on the right. User text stays as it is
    (each renderer escapes or draws it as plain text)."""
    width, _ = PAPER_SIZE[page]
    left, right = PAPER_MARGIN, width - PAPER_MARGIN
    top = PAPER_MARGIN + TITLE_SIZE
    occurred = incident.occurred_at.strftime("%Y-%m-%d %H:%M") if incident.occurred_at else "-"
    details = " · ".join(
        [
            f"Client: {incident.affected or '-'}",
            f"Occurred: {occurred}",
            f"Status: {incident.status.label}",
            f"Severity: {incident.severity.label}",
        ]
    )
    return [
        TextLine(shortened(incident.title, 90), left, top, TITLE_SIZE, bold=True),
        TextLine(shortened(details, 170), left, top + DETAIL_SIZE * 1.9, DETAIL_SIZE),
        TextLine(f"Page {number} of {pages}", right, top, DETAIL_SIZE, right=True),
    ]
