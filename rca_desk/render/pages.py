"""Where a diagram goes on a page: fitted, centred, never distorted (issue 13).

``--page none`` keeps today's tight picture (the page is the diagram). ``--page slide``
puts the diagram on a 1920 x 1080 page, the one presentation mode shows, laid out for a
16:9 frame (a fishbone shares its category bones between the halves to fit it) and
scaled to fill it less a margin. ``--page a4`` and ``--page letter`` are paper pages: a
title block along the top (incident, client, date, status, page number), the diagram
laid out for the page's shape and fitted below it. The fishbone takes one landscape
page; the five whys take as many portrait pages (or slides) as their text needs to stay
legible (:mod:`rca_desk.render.pagination`), all drawn at one scale by :func:`fit_pages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rca_desk.layout.geometry import Rect
from rca_desk.layout.text import TextMetrics, shortened
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


def slide(bounds: Rect) -> Fit:
    """The diagram on a 1920 x 1080 slide."""
    return into_room(bounds, Page.SLIDE)


def into_room(bounds: Rect, page: Page) -> Fit:
    """``bounds`` scaled to fill the page's room (:func:`page_room`), centred in it."""
    room = page_room(page)
    width, height = page_size(page)
    scale = min(room.w / max(bounds.w, 1e-9), room.h / max(bounds.h, 1e-9))
    dx = room.x + (room.w - bounds.w * scale) / 2 - bounds.x * scale
    dy = room.y + (room.h - bounds.h * scale) / 2 - bounds.y * scale
    return Fit(width, height, scale, dx, dy)


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


#: Paper sizes in portrait (the five whys: chains stack down the page), in CSS pixels.
PORTRAIT_SIZE = {page: (height, width) for page, (width, height) in PAPER_SIZE.items()}

#: The smallest text a page may show, in page pixels, when it is the five whys (their text
#: wraps and their chains split over pages, so the size can be held): 16 px on a slide
#: (the issue's target: legible from the back of a room), 8 pt on paper (a printed
#: report's footnotes; 9 pt would leave a five-deep chain about 11 characters a line
#: across a portrait page). Badge numerals (a count in a coloured pill, drawn at 10/13
#: of the text size) are the one exception.
MIN_TEXT = {Page.SLIDE: 16.0, Page.A4: 8 / 0.75, Page.LETTER: 8 / 0.75}


def page_size(page: Page, *, portrait: bool = False) -> tuple[float, float]:
    """A page's width and height in page pixels (96 per inch)."""
    if page is Page.SLIDE:
        return SLIDE_SIZE
    return (PORTRAIT_SIZE if portrait else PAPER_SIZE)[page]


def page_room(page: Page, *, portrait: bool = False) -> Rect:
    """The part of a page a diagram may use: inside the margin, below a paper title block."""
    width, height = page_size(page, portrait=portrait)
    if page is Page.SLIDE:
        return Rect(SLIDE_MARGIN, SLIDE_MARGIN, width - 2 * SLIDE_MARGIN, height - 2 * SLIDE_MARGIN)
    top = PAPER_MARGIN + TITLE_HEIGHT
    return Rect(PAPER_MARGIN, top, width - 2 * PAPER_MARGIN, height - PAPER_MARGIN - top)


def fit_pages(
    page: Page, bounds: list[Rect], *, portrait: bool = False, floor: float = 0.0
) -> list[Fit]:
    """One :class:`Fit` per page of a diagram split over ``bounds``, all at one scale.

    A reader turning pages expects the text to stay the same size, so every page takes
    the scale of the page that needs the smallest, and the pages share one left edge (the
    widest page centred), so the chains' columns line up from page to page. A page that
    fits only below ``floor`` (one chain too big for a page) takes its own smaller scale
    instead of shrinking every other page with it. A slide centres its diagram
    vertically; paper puts it under the title block, as a report does. One page is
    simply fitted to the room.
    """
    room = page_room(page, portrait=portrait)
    width, height = page_size(page, portrait=portrait)
    own = [min(room.w / max(b.w, 1e-9), room.h / max(b.h, 1e-9)) for b in bounds]
    usual = [scale for scale in own if scale >= floor]
    common = min(usual) if usual else 0.0
    widest = max((b.w for b, scale in zip(bounds, own, strict=True) if scale >= floor), default=0)
    fits = []
    for b, fitted in zip(bounds, own, strict=True):
        scale, across = (common, widest) if fitted >= floor else (fitted, b.w)
        dx = room.x + (room.w - across * scale) / 2 - b.x * scale
        if page is Page.SLIDE:
            dy = room.y + (room.h - b.h * scale) / 2 - b.y * scale
        else:
            dy = room.y - b.y * scale
        fits.append(Fit(width, height, scale, dx, dy))
    return fits


def slide_footer(number: int, pages: int) -> list[TextLine]:
    """ "2 / 5" in the bottom margin of a slide, when there is more than one (in page px)."""
    if pages < 2:
        return []
    width, height = SLIDE_SIZE
    size = MIN_TEXT[Page.SLIDE]
    return [TextLine(f"{number} / {pages}", width - SLIDE_MARGIN, height - 8, size, right=True)]


def paper_frame(page: Page) -> float:
    """The aspect ratio of the room a paper page leaves the diagram (below the title)."""
    room = page_room(page)
    return room.w / room.h


def on_paper(bounds: Rect, page: Page) -> Fit:
    """The diagram fitted into the room below the title block of a paper page."""
    return into_room(bounds, page)


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


def title_block(
    incident: Incident,
    page: Page,
    number: int = 1,
    pages: int = 1,
    *,
    portrait: bool = False,
    metrics: TextMetrics | None = None,
) -> list[TextLine]:
    """The title block of a paper page: the incident's title, then its client, when it
    occurred and its status; the page number on the right. User text stays as it is
    (each renderer escapes or draws it as plain text); it is shortened to what the page's
    width holds: measured with ``metrics``, else by average advances (90 and 170
    characters across a landscape A4 page). A narrow page puts the client on a line of
    its own."""
    width, _ = page_size(page, portrait=portrait)
    left, right = PAPER_MARGIN, width - PAPER_MARGIN
    top = PAPER_MARGIN + TITLE_SIZE
    occurred = incident.occurred_at.strftime("%Y-%m-%d %H:%M") if incident.occurred_at else "-"
    number_text = f"Page {number} of {pages}"
    parts = [
        f"Client: {incident.affected or '-'}",
        f"Occurred: {occurred}",
        f"Status: {incident.status.label}",
        f"Severity: {incident.severity.label}",
    ]
    if metrics is None:
        # Average advances of the title (bold, 16 px) and the details (10 px), generously,
        # with room for the page number beside the title.
        title_chars, detail_chars = int((right - left - 100) / 10.5), int((right - left) / 6.15)

        def fitting(text: str, size: float, room: float) -> str:
            return shortened(text, title_chars if size == TITLE_SIZE else detail_chars)

        def too_wide(text: str) -> bool:
            return len(text) > detail_chars

    else:
        measure = metrics

        def fitting(text: str, size: float, room: float) -> str:
            # Bold runs up to 15 % wider than the regular face the metrics measure.
            factor = 1.15 if size == TITLE_SIZE else 1.0
            if measure.width(text, size) * factor <= room:
                return text
            low, high = 1, len(text)  # the longest shortening that fits
            while low < high:
                mid = (low + high + 1) // 2
                if measure.width(shortened(text, mid), size) * factor <= room:
                    low = mid
                else:
                    high = mid - 1
            return shortened(text, low)

        def too_wide(text: str) -> bool:
            return measure.width(text, DETAIL_SIZE) > right - left

    details = " · ".join(parts)
    lines = [details]
    if too_wide(details):
        lines = [parts[0], " · ".join(parts[1:])]
    title_room = right - left - 6 * len(number_text) - 24
    return [
        TextLine(fitting(incident.title, TITLE_SIZE, title_room), left, top, TITLE_SIZE, True),
        *(
            TextLine(
                fitting(text, DETAIL_SIZE, right - left),
                left,
                top + DETAIL_SIZE * (1.9 + 1.3 * i),
                DETAIL_SIZE,
            )
            for i, text in enumerate(lines)
        ),
        TextLine(number_text, right, top, DETAIL_SIZE, right=True),
    ]
