"""Exporting a diagram to a file: PNG, SVG, PDF (drawn) and DOT, Mermaid, GraphML (structure).

Every format is produced in memory first and written with :func:`atomic_write_bytes`, so a
failed export never leaves half a file. PNG and PDF need a QGuiApplication; the offscreen
platform is enough (the CLI sets it up).
"""

from __future__ import annotations

import math
from dataclasses import replace
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

from rca_desk.interchange.files import ExportError, atomic_write_bytes
from rca_desk.layout.geometry import Rect
from rca_desk.model import Incident
from rca_desk.render.diagram import Diagram, View, build_diagram
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.pages import (
    SLIDE_FRAME,
    Fit,
    Page,
    TextLine,
    on_paper,
    paper_frame,
    slide,
    title_block,
)
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
        return _pdf_page(diagram, page, title)
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


def _pdf_page(diagram: Diagram, page: Fit, title: list[TextLine] | None) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(f"{diagram.title} ({diagram.view.value})")
    writer.setCreator("rca_desk")
    writer.setResolution(int(SCREEN_DPI))
    size = QPageSize(
        QSizeF(page.width * PT_PER_PX, page.height * PT_PER_PX), QPageSize.Unit.Point, "page"
    )
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    try:
        if title:
            paint_title_block(painter, title)
        _to_page(painter, diagram.bounds, page)
        paint_diagram(painter, diagram)
    finally:
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
    """The incident's ``view`` as ``fmt``. ``legend`` adds the legend above the picture
    (default: on a slide, not on a bare diagram); a ``diagram`` built already (the
    canvas's) is drawn as it is, legend and all. ``page`` puts it on a page (see
    :mod:`rca_desk.render.pages`)."""
    if fmt in (Format.DOT, Format.MMD, Format.GRAPHML):
        return structure_text(incident, view, fmt).encode("utf-8")
    if legend is None:
        legend = page is not Page.NONE
    if diagram is None:
        frame = SLIDE_FRAME if page is Page.SLIDE else None
        if page.is_paper:
            frame = paper_frame(page)
        diagram = build_diagram(
            incident, view, QtMetrics(), today=today, legend=legend, frame=frame
        )
    on_page: Fit | None = None
    title: list[TextLine] | None = None
    if page is Page.SLIDE:
        on_page = slide(diagram.bounds)
    elif page.is_paper:
        on_page, title = on_paper(diagram.bounds, page), title_block(incident, page)
        if dpi is None:
            dpi = PAPER_DPI
    if fmt is Format.PNG:
        return png_bytes(
            diagram, scale=scale, dpi=dpi, transparent=transparent, page=on_page, title=title
        )
    if fmt is Format.SVG:
        background = None if transparent else "white"
        svg = to_svg(diagram, background=background, page=on_page, title=title)
        return svg.encode("utf-8")
    return pdf_bytes(diagram, on_page, title)


def export_file(incident: Incident, view: View, fmt: Format, path: Path, **options: Any) -> None:
    """Write :func:`export_bytes` (same options) to ``path`` atomically: all of it or nothing."""
    atomic_write_bytes(path, export_bytes(incident, view, fmt, **options))
