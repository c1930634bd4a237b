"""Drawing a :class:`Diagram` with QPainter: shared by the canvas and the PNG/PDF export."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QTextOption

from rca_desk.layout.geometry import LABEL_PADDING, Bone, Label
from rca_desk.layout.palette import INK
from rca_desk.model import Evidence
from rca_desk.render.diagram import ROOT_COLOR, WARNING_COLOR, Decor, Diagram
from rca_desk.render.metrics import diagram_font

MARKER = 9.0  # diameter of the evidence marker and the action badge


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
    # Regular weight everywhere: the layout measured the text at regular weight.
    font = diagram_font(label.block.size)
    if label.kind == "question":
        font = QFont(font)
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
    """Draw one label box, its text and its markers inside ``label.rect``'s neighbourhood."""
    rect = qrect(label.rect)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    text_color = QColor(INK)
    if label.kind == "head":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(INK))
        text_color = QColor("white")
    elif label.kind == "category":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(decor.color))
        text_color = QColor("white")
    elif label.kind == "question":
        pen = QPen(QColor("#9e9e9e"), 1.0, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QColor("#fafafa"))
        text_color = QColor("#757575")
    else:
        color = ROOT_COLOR if decor.root_cause else decor.color
        pen = QPen(QColor(color), 2.6 if decor.root_cause else 1.2)
        if decor.evidence is Evidence.RULED_OUT:
            pen.setStyle(Qt.PenStyle.DashLine)
            text_color = QColor("#8a8a8a")
        painter.setPen(pen)
        painter.setBrush(QColor("#fff5f5") if decor.root_cause else QColor("white"))
    painter.drawRoundedRect(rect, 3, 3)
    if selected:
        focus = QPen(QColor("#1976D2"), 2.0, Qt.PenStyle.SolidLine)
        painter.setPen(focus)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 5, 5)

    font = label_font(label)
    font.setStrikeOut(decor.evidence is Evidence.RULED_OUT)
    painter.setFont(font)
    painter.setPen(text_color)
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
    if label.kind == "cause":
        _paint_markers(painter, rect, decor)


def _paint_markers(painter: QPainter, rect: QRectF, decor: Decor) -> None:
    # Evidence: hollow = hypothesis, half = supported, full = verified, cross = ruled out.
    centre = QPointF(rect.left(), rect.top())
    r = MARKER / 2
    painter.setPen(QPen(QColor(INK), 1.0))
    painter.setBrush(QColor("white"))
    painter.drawEllipse(centre, r, r)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(INK))
    if decor.evidence is Evidence.VERIFIED:
        painter.drawEllipse(centre, r, r)
    elif decor.evidence is Evidence.SUPPORTED:
        painter.drawPie(QRectF(centre.x() - r, centre.y() - r, MARKER, MARKER), 90 * 16, 180 * 16)
    elif decor.evidence is Evidence.RULED_OUT:
        painter.setPen(QPen(QColor(INK), 1.2))
        painter.drawLine(
            QLineF(
                centre.x() - r * 0.6,
                centre.y() - r * 0.6,
                centre.x() + r * 0.6,
                centre.y() + r * 0.6,
            )
        )
        painter.drawLine(
            QLineF(
                centre.x() - r * 0.6,
                centre.y() + r * 0.6,
                centre.x() + r * 0.6,
                centre.y() - r * 0.6,
            )
        )
    # Actions badge: count in the colour of the worst status; "!" when a root cause has none.
    if decor.actions or decor.uncovered or decor.blame:
        text = str(decor.actions) if decor.actions else "!"
        color = QColor(decor.badge_color if decor.actions else WARNING_COLOR)
        badge = QRectF(
            rect.right() - MARKER - 3, rect.top() - MARKER / 2 - 2, MARKER + 6, MARKER + 4
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(color))
        painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
        font = diagram_font(MARKER + 1, True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), text)


def paint_legend(painter: QPainter, diagram: Diagram) -> None:
    painter.setFont(diagram_font(diagram.legend_size))
    for entry in diagram.legend:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(entry.color))
        painter.drawRoundedRect(qrect(entry.swatch), 2, 2)
        painter.setPen(QColor(INK))
        x, y = entry.text_at
        painter.drawText(
            QRectF(x, y, 1000, diagram.legend_size * 1.6),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            entry.name,
        )


def paint_diagram(painter: QPainter, diagram: Diagram) -> None:
    """Draw the whole diagram in scene coordinates (bones first, labels on top)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    for bone in diagram.bones:
        paint_bone(painter, bone, diagram.decor.get(bone.owner))
    for label in diagram.labels.values():
        paint_label(painter, label, diagram.decor[label.node])
    paint_legend(painter, diagram)
