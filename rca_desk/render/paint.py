"""Drawing a :class:`Diagram` with QPainter: shared by the canvas and the PNG/PDF export."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QTextOption

from rca_desk.layout.geometry import LABEL_PADDING, MARKER, Bone, Label
from rca_desk.layout.palette import INK
from rca_desk.render.diagram import (
    Badge,
    Decor,
    Diagram,
    EvidenceMark,
    badge,
    box_style,
    evidence_mark,
)
from rca_desk.render.metrics import diagram_font
from rca_desk.render.pages import TextLine

__all__ = [
    "MARKER",
    "bone_pen",
    "label_font",
    "paint_badge",
    "paint_bone",
    "paint_diagram",
    "paint_evidence",
    "paint_label",
    "paint_legend",
    "qrect",
]


def qrect(rect: object) -> QRectF:
    return QRectF(rect.x, rect.y, rect.w, rect.h)  # type: ignore[attr-defined]


def bone_pen(bone: Bone, color: str) -> QPen:
    widths = {"spine": 3.5, "category": 2.4, "rib": 1.3, "primary": 1.3, "contributes": 1.3}
    pen = QPen(QColor(INK if bone.kind in ("spine", "primary") else color))
    if bone.kind == "primary":
        pen.setColor(QColor("#8a8a8a"))
    pen.setWidthF(widths.get(bone.kind, 1.3))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if bone.kind == "contributes":
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def paint_bone(painter: QPainter, bone: Bone, decor: Decor | None) -> None:
    painter.setPen(bone_pen(bone, decor.color if decor else INK))
    s = bone.segment
    painter.drawLine(QLineF(s.x1, s.y1, s.x2, s.y2))


def label_font(label: Label) -> QFont:
    # Regular weight everywhere: the layout measured the text at regular weight. A copy:
    # the caller may strike it out, and the cached font is shared (the legend's, too).
    font = QFont(diagram_font(label.block.size))
    if label.kind == "question":
        font.setItalic(True)
    return font


def _line_option(rtl: bool) -> QTextOption:
    """How one label line is laid out: in its paragraph's direction, aligned to its start.

    The direction is set, not guessed per line, so a wrapped line of a Hebrew paragraph
    that starts with a Latin word or a number still reads (and is shaped) right to left.
    Alignment is absolute: Qt would otherwise mirror it for right-to-left text.
    """
    align = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    option = QTextOption(align | Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignAbsolute)
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    option.setWrapMode(QTextOption.WrapMode.NoWrap)
    return option


_LINE_OPTIONS = {False: _line_option(False), True: _line_option(True)}


def paint_label(painter: QPainter, label: Label, decor: Decor, *, selected: bool = False) -> None:
    """Draw one label box, its text and its marks inside ``label.rect``'s neighbourhood."""
    rect = qrect(label.rect)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    style = box_style(label, decor)
    if style.stroke is None:
        painter.setPen(Qt.PenStyle.NoPen)
    else:
        pen = QPen(QColor(style.stroke), style.width)
        if style.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
    painter.setBrush(QColor(style.fill))
    painter.drawRoundedRect(rect, 3, 3)
    if selected:
        focus = QPen(QColor("#1976D2"), 2.0, Qt.PenStyle.SolidLine)
        painter.setPen(focus)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 5, 5)

    font = label_font(label)
    font.setStrikeOut(style.strike)
    painter.setFont(font)
    painter.setPen(QColor(style.text))
    line_height = label.block.height / max(1, len(label.block.lines))
    for i, line in enumerate(label.block.lines):
        rtl = label.block.is_rtl(i)
        # From the start padding to the far edge of the box: the text starts at its side.
        box = QRectF(
            rect.x() + (0.0 if rtl else LABEL_PADDING),
            rect.y() + LABEL_PADDING + i * line_height,
            rect.width() - LABEL_PADDING,
            line_height,
        )
        painter.drawText(box, line, _LINE_OPTIONS[rtl])
    mark = evidence_mark(label, decor)
    if mark is not None:
        paint_evidence(painter, mark)
    pill = badge(label, decor)
    if pill is not None:
        paint_badge(painter, pill)


def paint_evidence(painter: QPainter, mark: EvidenceMark) -> None:
    """Draw an evidence mark as :class:`~rca_desk.render.diagram.EvidenceMark` describes it."""
    centre = QPointF(mark.cx, mark.cy)
    r = mark.r
    painter.setPen(QPen(QColor(INK), mark.outline))
    painter.setBrush(QColor("white"))
    painter.drawEllipse(centre, r, r)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(INK))
    if mark.fill == "full":
        painter.drawEllipse(centre, r, r)
    elif mark.fill == "half":  # the left half: from 12 o'clock, 180 degrees anticlockwise
        painter.drawPie(QRectF(mark.cx - r, mark.cy - r, 2 * r, 2 * r), 90 * 16, 180 * 16)
    cross = mark.cross
    if cross is not None:
        painter.setPen(QPen(QColor(INK), mark.cross_width))
        for s in cross:
            painter.drawLine(QLineF(s.x1, s.y1, s.x2, s.y2))


def paint_badge(painter: QPainter, pill: Badge) -> None:
    """Draw a badge: a pill in its health colour with its number in readable ink."""
    box = qrect(pill.rect)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor(pill.fill)))
    painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
    painter.setFont(diagram_font(pill.font_size, True))
    painter.setPen(QColor(pill.ink))
    painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), pill.text)


def paint_legend(painter: QPainter, diagram: Diagram) -> None:
    """The legend's samples, drawn by the same functions as the diagram's own, and words."""
    for entry in diagram.legend:
        if entry.mark is not None:
            paint_evidence(painter, entry.mark)
        elif entry.pill is not None:
            paint_badge(painter, entry.pill)
        elif entry.line is not None:
            paint_bone(painter, entry.line, None)
        elif entry.kind != "note":  # a note is words alone
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(entry.color))
            painter.drawRoundedRect(qrect(entry.swatch), 2, 2)
        painter.setFont(diagram_font(diagram.legend_size))
        painter.setPen(QColor(INK))
        x, y = entry.text_at
        painter.drawText(
            QRectF(x, y, 1000, diagram.legend_size * 1.6),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            entry.name,
        )


def paint_title_block(painter: QPainter, lines: list[TextLine]) -> None:
    """A paper page's title block, in page coordinates (see :mod:`rca_desk.render.pages`)."""
    painter.setPen(QColor(INK))
    for line in lines:
        font = diagram_font(line.size, line.bold)
        painter.setFont(font)
        width = QFontMetricsF(font).horizontalAdvance(line.text)
        x = line.x - width if line.right else line.x
        painter.drawText(QPointF(x, line.y), line.text)


def paint_diagram(painter: QPainter, diagram: Diagram) -> None:
    """Draw the whole diagram in scene coordinates (bones first, labels on top)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    for bone in diagram.bones:
        paint_bone(painter, bone, diagram.decor.get(bone.owner))
    for label in diagram.labels.values():
        paint_label(painter, label, diagram.decor[label.node])
    paint_legend(painter, diagram)
