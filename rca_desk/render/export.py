"""Exporting a diagram to a file: PNG, SVG, PDF (drawn) and DOT, Mermaid, GraphML (structure).

Every format is produced in memory first and written with :func:`atomic_write_bytes`, so a
failed export never leaves half a file. PNG and PDF need a QGuiApplication; the offscreen
platform is enough (the CLI sets it up).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
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
from rca_desk.model import Incident
from rca_desk.render.diagram import Diagram, View, build_diagram
from rca_desk.render.metrics import QtMetrics
from rca_desk.render.paint import paint_diagram
from rca_desk.render.svg import to_svg

#: Largest PNG we agree to allocate (4 bytes per pixel: about 1 GB).
MAX_PIXELS = 250_000_000
SCREEN_DPI = 96.0


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
    diagram: Diagram, *, scale: float = 2.0, transparent: bool = False, dpi: float | None = None
) -> bytes:
    """The diagram as PNG at ``scale`` (or at ``dpi``, 96 dpi being scale 1)."""
    if dpi is not None:
        scale = dpi / SCREEN_DPI
    if not 0.05 <= scale <= 20:
        raise ExportError(f"A scale of {scale:g} is out of range (0.05 to 20).")
    b = diagram.bounds
    width, height = max(1, round(b.w * scale)), max(1, round(b.h * scale))
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
        painter.translate(-b.x, -b.y)
        paint_diagram(painter, diagram)
    finally:
        painter.end()
    return _encode(image, "PNG")


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


def pdf_bytes(diagram: Diagram) -> bytes:
    """A one-page vector PDF whose page is the diagram's size (1 px = 0.75 pt)."""
    b = diagram.bounds
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(f"{diagram.title} ({diagram.view.value})")
    writer.setCreator("rca_desk")
    writer.setResolution(int(SCREEN_DPI))
    size = QPageSize(QSizeF(b.w * 0.75, b.h * 0.75), QPageSize.Unit.Point, "diagram")
    writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    try:
        painter.translate(-b.x, -b.y)
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
    diagram: Diagram | None = None,
) -> bytes:
    if fmt in (Format.DOT, Format.MMD, Format.GRAPHML):
        return structure_text(incident, view, fmt).encode("utf-8")
    if diagram is None:
        diagram = build_diagram(incident, view, QtMetrics(), today=today)
    if fmt is Format.PNG:
        return png_bytes(diagram, scale=scale, dpi=dpi, transparent=transparent)
    if fmt is Format.SVG:
        return to_svg(diagram, background=None if transparent else "white").encode("utf-8")
    return pdf_bytes(diagram)


def export_file(incident: Incident, view: View, fmt: Format, path: Path, **options: Any) -> None:
    """Write :func:`export_bytes` (same options) to ``path`` atomically: all of it or nothing."""
    atomic_write_bytes(path, export_bytes(incident, view, fmt, **options))
