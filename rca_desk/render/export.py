"""Exporting a diagram to a file: PNG, SVG, PDF (drawn) and DOT, Mermaid, GraphML (structure).

Every format is produced in memory first and written with :func:`atomic_write_bytes`, so a
failed export never leaves half a file. PNG and PDF need a QGuiApplication; the offscreen
platform is enough (the CLI sets it up).

The five whys on a slide or paper may need several pages (:mod:`rca_desk.render.pagination`):
:func:`export_pages` returns them, one PDF with every page, or one SVG or PNG per page;
:func:`~rca_desk.interchange.files.write_files` names those ``NAME-1.svg``, ``NAME-2.svg`` ….
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from rca_desk.interchange.files import ExportError, write_files
from rca_desk.layout.geometry import Rect
from rca_desk.model import Incident
from rca_desk.render.diagram import Diagram, View, build_diagram
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.pages import (
    MIN_TEXT,
    SLIDE_FRAME,
    Fit,
    Page,
    TextLine,
    fit_pages,
    on_paper,
    page_room,
    paper_frame,
    slide,
    slide_footer,
    title_block,
)
from rca_desk.render.pagination import TEXT_SIZE, whys_pages
from rca_desk.render.paint import paint_diagram, paint_title_block
from rca_desk.render.svg import to_svg

#: Largest PNG we agree to allocate (4 bytes per pixel: about 1 GB).
MAX_PIXELS = 250_000_000
SCREEN_DPI = 96.0
#: A paper page's PNG resolution unless --dpi says otherwise.
PAPER_DPI = 150.0


class Format(StrEnum):
    """The file formats a diagram exports to; chosen by ``--format`` or the extension."""

    PNG = "png"
    SVG = "svg"
    PDF = "pdf"
    DOT = "dot"
    MMD = "mmd"
    GRAPHML = "graphml"

    @classmethod
    def from_path(cls, path: Path) -> Format | None:
        suffix = path.suffix.lower().lstrip(".")
        aliases = {"mermaid": "mmd", "gv": "dot", "xml": "graphml"}
        suffix = aliases.get(suffix, suffix)
        return cls(suffix) if suffix in cls._value2member_map_ else None


def gui_application() -> QGuiApplication:
    """The process's Qt application, created if needed (headless use: the CLI, tests)."""
    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication(["rca-desk"])
    assert isinstance(app, QGuiApplication)
    return app


def png_bytes(
    diagram: Diagram,
    *,
    scale: float = 2.0,
    transparent: bool = False,
    dpi: float | None = None,
    page: Fit | None = None,
    title: list[TextLine] | None = None,
) -> bytes:
    """The diagram as PNG at ``scale`` (or at ``dpi``, 96 dpi being scale 1); with
    ``page``, the page (its size times ``scale``) with the diagram fitted on it, under
    ``title`` (a paper page's title block)."""
    if dpi is not None:
        scale = dpi / SCREEN_DPI
    if not 0.05 <= scale <= 20:
        raise ExportError(f"A scale of {scale:g} is out of range (0.05 to 20).")
    b = diagram.bounds
    w, h = (b.w, b.h) if page is None else (page.width, page.height)
    width, height = max(1, round(w * scale)), max(1, round(h * scale))
    if width * height > MAX_PIXELS:
        raise ExportError(
            f"The image would be {width} x {height} pixels; use a smaller scale, or SVG or PDF."
        )
    # An opaque picture needs no alpha channel: smaller files, a third faster to encode.
    fmt = QImage.Format.Format_ARGB32_Premultiplied if transparent else QImage.Format.Format_RGB32
    image = QImage(width, height, fmt)
    image.fill(QColor(0, 0, 0, 0) if transparent else QColor("white"))
    dots_per_metre = round(scale * SCREEN_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        if title:
            paint_title_block(painter, title)
        _to_page(painter, b, page)
        paint_diagram(painter, diagram)
    finally:
        painter.end()
    return _encode(image, "PNG")


def _to_page(painter: QPainter, bounds: Rect, page: Fit | None) -> None:
    """Map scene coordinates to the picture: its top-left corner, or the page's fit."""
    if page is None:
        painter.translate(-bounds.x, -bounds.y)
    else:
        painter.translate(page.dx, page.dy)
        painter.scale(page.scale, page.scale)


#: Qt's PNG "quality" maps to zlib's level; 85 is level 1: nearly the smallest files of
#: diagrams (large flat areas) at about half the encoding time of the default.
PNG_QUALITY = 85


def _encode(image: QImage, fmt: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, fmt, PNG_QUALITY):  # type: ignore[call-overload]
        raise ExportError(f"Qt could not encode the image as {fmt}.")
    buffer.close()
    return bytes(data.data())


#: The largest page side PDF viewers honour (Acrobat's limit, 200 inches), in points.
MAX_PAGE_PT = 14_400.0
#: Points per scene pixel (96 px = 72 pt).
PT_PER_PX = 0.75
#: How far a label's marks and badges reach outside its box, in scene pixels: a page
#: draws every label within this distance, so nothing is cut at a page's edge unseen.
_DECOR_REACH = 16.0


def pdf_tiles(bounds: Rect) -> list[Rect]:
    """The scene rectangles of the PDF's pages: one page the diagram's size, or, when a
    side would pass :data:`MAX_PAGE_PT`, a grid of equal pages, rows top to bottom and
    each row left to right, none larger than that."""
    most = MAX_PAGE_PT / PT_PER_PX
    columns = max(1, math.ceil(bounds.w / most - 1e-9))
    rows = max(1, math.ceil(bounds.h / most - 1e-9))
    w, h = bounds.w / columns, bounds.h / rows
    return [
        Rect(bounds.x + c * w, bounds.y + r * h, w, h) for r in range(rows) for c in range(columns)
    ]


def _near(a: Rect, b: Rect, margin: float) -> bool:
    return (
        a.x - margin < b.x + b.w
        and b.x < a.x + a.w + margin
        and a.y - margin < b.y + b.h
        and b.y < a.y + a.h + margin
    )


def _within(diagram: Diagram, area: Rect) -> Diagram:
    """The part of ``diagram`` a page over ``area`` draws (the page clips the rest), so a
    tiled PDF holds each label about once instead of the whole diagram on every page."""
    labels = {n: lb for n, lb in diagram.labels.items() if _near(lb.rect, area, _DECOR_REACH)}
    bones = []
    for bone in diagram.bones:
        seg = bone.segment
        box = Rect(
            min(seg.x1, seg.x2), min(seg.y1, seg.y2), abs(seg.x2 - seg.x1), abs(seg.y2 - seg.y1)
        )
        if _near(box, area, 2.0):
            bones.append(bone)
    legend = [e for e in diagram.legend if _near(e.swatch, area, 1000.0)]
    return replace(diagram, labels=labels, bones=bones, legend=legend)


def pdf_bytes(
    diagram: Diagram, page: Fit | None = None, title: list[TextLine] | None = None
) -> bytes:
    """A vector PDF at the diagram's own size (1 px = 0.75 pt): one page, or pages no
    side of which passes :data:`MAX_PAGE_PT`, tiling the diagram (see :func:`pdf_tiles`);
    with ``page``, one page of that size with the diagram fitted on it."""
    if page is not None:
        return pdf_pages([(diagram, page, title)])
    tiles = pdf_tiles(diagram.bounds)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(f"{diagram.title} ({diagram.view.value})")
    writer.setCreator("rca_desk")
    writer.setResolution(int(SCREEN_DPI))
    first = tiles[0]
    size = QPageSize(
        QSizeF(first.w * PT_PER_PX, first.h * PT_PER_PX), QPageSize.Unit.Point, "diagram"
    )
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    try:
        for number, tile in enumerate(tiles):
            if number:
                writer.newPage()
            painter.resetTransform()
            painter.translate(-tile.x, -tile.y)
            painter.setClipRect(QRectF(tile.x, tile.y, tile.w, tile.h))
            paint_diagram(painter, diagram if len(tiles) == 1 else _within(diagram, tile))
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


#: One page of a paged export: the diagram, where it goes on the page, and the page's own
#: words (a paper page's title block, a slide's number), in page coordinates.
PageContent = tuple[Diagram, Fit, list[TextLine] | None]


def pdf_pages(pages: list[PageContent]) -> bytes:
    """A vector PDF with one real page per entry of ``pages`` (each its fit's size)."""
    first = pages[0][0]
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(f"{first.title} ({first.view.value})")
    writer.setCreator("rca_desk")
    writer.setResolution(int(SCREEN_DPI))
    painter: QPainter | None = None
    try:
        for number, (diagram, page, title) in enumerate(pages):
            size = QPageSize(
                QSizeF(page.width * PT_PER_PX, page.height * PT_PER_PX),
                QPageSize.Unit.Point,
                "page",
            )
            layout = QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
            writer.setPageLayout(layout)
            if painter is None:
                painter = QPainter(writer)
            if number:
                writer.newPage()
            painter.resetTransform()
            if title:
                paint_title_block(painter, title)
            _to_page(painter, diagram.bounds, page)
            paint_diagram(painter, diagram)
    finally:
        if painter is not None:
            painter.end()
    buffer.close()
    return bytes(data.data())


def structure_text(incident: Incident, view: View, fmt: Format) -> str:
    """DOT, Mermaid or GraphML text of the incident in ``view`` (no drawing involved)."""
    graph = incident.graph
    if fmt is Format.DOT:
        from rca_desk.interchange import dot

        return dot.fishbone_dot(graph) if view is View.FISHBONE else dot.whys_dot(graph)
    if fmt is Format.MMD:
        from rca_desk.interchange import mermaid

        return (
            mermaid.fishbone_mermaid(graph)
            if view is View.FISHBONE
            else mermaid.whys_mermaid(graph)
        )
    if fmt is Format.GRAPHML:
        from rca_desk.interchange import graphml

        return graphml.to_graphml(incident)
    raise ValueError(fmt)


@dataclass(frozen=True)
class Exported:
    """What an export made: ``files``, the bytes of each file to write (one, except an
    SVG or PNG of a view that took several pages: one per page), how many ``pages`` the
    view took, and ``warnings`` for the person (a page whose text had to go smaller)."""

    files: list[bytes]
    pages: int = 1
    warnings: list[str] = field(default_factory=list)


def export_pages(
    incident: Incident,
    view: View,
    fmt: Format,
    *,
    today: date,
    scale: float = 2.0,
    dpi: float | None = None,
    transparent: bool = False,
    legend: bool | None = None,
    page: Page = Page.NONE,
    diagram: Diagram | None = None,
) -> Exported:
    """The incident's ``view`` as ``fmt``, on as many pages as it needs. ``legend`` adds
    the legend above the picture (default: on a page, not on a bare diagram); a
    ``diagram`` built already (the canvas's) is drawn as it is, legend and all. ``page``
    puts it on a page (see :mod:`rca_desk.render.pages`): the fishbone takes one, the five
    whys on a slide or paper as many as keep their text legible (portrait on paper)."""
    if fmt in (Format.DOT, Format.MMD, Format.GRAPHML):
        return Exported([structure_text(incident, view, fmt).encode("utf-8")])
    if legend is None:
        legend = page is not Page.NONE
    if page is Page.NONE:
        if diagram is None:
            diagram = build_diagram(incident, view, QtMetrics(), today=today, legend=legend)
        return Exported([_drawn(diagram, None, None, fmt, scale, dpi, transparent)])
    warnings: list[str] = []
    if diagram is None:
        parts = diagram_pages(incident, view, page, today=today, legend=legend, warnings=warnings)
    else:
        fit = slide(diagram.bounds) if page is Page.SLIDE else on_paper(diagram.bounds, page)
        parts = [PagePart(diagram, fit)]
    metrics = QtMetrics()
    contents: list[PageContent] = []
    for number, part in enumerate(parts, 1):
        if page is Page.SLIDE:
            words = slide_footer(number, len(parts))
        elif part.portrait:
            words = title_block(incident, page, number, len(parts), portrait=True, metrics=metrics)
        else:
            words = title_block(incident, page)
        contents.append((part.diagram, part.fit, words))
    if page.is_paper and dpi is None:
        dpi = PAPER_DPI
    if fmt is Format.PDF:
        return Exported([pdf_pages(contents)], len(contents), warnings)
    files = [_drawn(d, fit, title, fmt, scale, dpi, transparent) for d, fit, title in contents]
    return Exported(files, len(contents), warnings)


def _drawn(
    diagram: Diagram,
    page: Fit | None,
    title: list[TextLine] | None,
    fmt: Format,
    scale: float,
    dpi: float | None,
    transparent: bool,
) -> bytes:
    """One page (or the bare diagram) as PNG, SVG or PDF."""
    if fmt is Format.PNG:
        return png_bytes(
            diagram, scale=scale, dpi=dpi, transparent=transparent, page=page, title=title
        )
    if fmt is Format.SVG:
        background = None if transparent else "white"
        return to_svg(diagram, background=background, page=page, title=title).encode("utf-8")
    return pdf_bytes(diagram, page, title)


@dataclass(frozen=True)
class PagePart:
    """One page of a view in a page mode: what it draws (the whole diagram, or the part
    of the five whys on this page), where that sits on the page, and whether the page is
    portrait (the five whys on paper) or the mode's own shape."""

    diagram: Diagram
    fit: Fit
    portrait: bool = False


def diagram_pages(
    incident: Incident,
    view: View,
    page: Page,
    *,
    today: date,
    legend: bool = True,
    guidance: bool = True,
    warnings: list[str] | None = None,
) -> list[PagePart]:
    """The incident's ``view`` on pages of ``page`` (a slide or paper), without the
    page's own words (a title block, a slide number: the caller's). The fishbone is
    laid out for the page's shape and takes one page; the five whys take as many as
    keep their text legible (portrait on paper), all at one scale (see
    :func:`~rca_desk.render.pages.fit_pages`), and add a line to ``warnings`` for each
    page whose text had to go under the page's smallest size. Without ``guidance``,
    no guidance marks (see :func:`~rca_desk.render.diagram.build_diagram`)."""
    if page is Page.NONE:
        raise ValueError("diagram_pages needs a page mode (slide, a4 or letter)")
    if view is View.FISHBONE:
        frame = SLIDE_FRAME if page is Page.SLIDE else paper_frame(page)
        diagram = build_diagram(
            incident,
            view,
            QtMetrics(),
            today=today,
            legend=legend,
            frame=frame,
            guidance=guidance,
        )
        fit = slide(diagram.bounds) if page is Page.SLIDE else on_paper(diagram.bounds, page)
        return [PagePart(diagram, fit)]
    portrait = page.is_paper
    room = page_room(page, portrait=portrait)
    least = MIN_TEXT[page] / TEXT_SIZE
    pages = whys_pages(
        incident,
        QtMetrics(),
        today=today,
        room=(room.w, room.h),
        scale=least,
        legend=legend,
        guidance=guidance,
    )
    fits = fit_pages(page, [p.diagram.bounds for p in pages], portrait=portrait, floor=least)
    count = len(pages)
    told = [] if warnings is None else warnings
    for number, (part, fit) in enumerate(zip(pages, fits, strict=True), 1):
        size = fit.scale * TEXT_SIZE
        if size < MIN_TEXT[page] - 1e-6:
            b = part.diagram.bounds
            why = (
                "its chain is too deep to fit across even wrapped narrow"
                if b.w * least > room.w
                else "one cause's chain is too tall for a page even on its own"
            )
            if page is Page.SLIDE:
                said = f"{size:.1f} px (a slide keeps {MIN_TEXT[page]:g} px)"
            else:
                said = f"{size * 0.75:.1f} pt (a page keeps {MIN_TEXT[page] * 0.75:g} pt)"
            told.append(f"page {number} of {count}: {why}, so its text is {said}.")
    return [PagePart(part.diagram, fit, portrait) for part, fit in zip(pages, fits, strict=True)]


def export_bytes(
    incident: Incident,
    view: View,
    fmt: Format,
    *,
    today: date,
    scale: float = 2.0,
    dpi: float | None = None,
    transparent: bool = False,
    legend: bool | None = None,
    page: Page = Page.NONE,
    diagram: Diagram | None = None,
) -> bytes:
    """The one file :func:`export_pages` makes (same options). An SVG or PNG that takes
    several pages is several files: that raises :class:`ExportError` (use
    :func:`export_pages` or :func:`export_file`)."""
    made = export_pages(
        incident,
        view,
        fmt,
        today=today,
        scale=scale,
        dpi=dpi,
        transparent=transparent,
        legend=legend,
        page=page,
        diagram=diagram,
    )
    if len(made.files) > 1:
        raise ExportError(
            f"The {view.value} take {made.pages} pages, one {fmt.value.upper()} file each; "
            "write them with export_file, or choose PDF."
        )
    return made.files[0]


def export_file(
    incident: Incident, view: View, fmt: Format, path: Path, **options: Any
) -> tuple[list[Path], list[str]]:
    """Write :func:`export_pages` (same options) to ``path``, each file atomically (all of
    it or nothing): one file, or ``NAME-1.svg``, ``NAME-2.svg`` … for an SVG or PNG that
    took several pages. Returns the paths written and the export's warnings."""
    made = export_pages(incident, view, fmt, **options)
    return write_files(path, made.files), made.warnings
