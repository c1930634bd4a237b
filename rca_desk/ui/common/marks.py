"""Each kind of finding drawn as its own badge, and a few findings shown as lines of text.

The registry (:data:`rca_desk.model.analysis.REGISTRY`) names a freedesktop icon per kind,
but six kinds share "dialog-warning" and a desktop without an icon theme shows one
standard icon per level: in the workshop one red "!" meant both "blames a person" and
"root cause without an action". So the app draws the badge itself: the level decides the
shape and colour (a red disc for a problem, an amber square for a warning, a blue rounded
square for a note, so the level reads without colour too), and the kind's own
:attr:`~rca_desk.model.analysis.KindInfo.mark` is the character on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from rca_desk.layout.palette import text_on
from rca_desk.model import Finding, FindingKind, Level

#: The fill of each level's badge; the mark on it is black or white, whichever reads.
LEVEL_FILLS = {
    Level.PROBLEM: "#C62828",
    Level.WARNING: "#F9A825",
    Level.NOTE: "#1565C0",
}

#: The size the badge is drawn at (views scale it down to their icon size).
BADGE_SIZE = 32


def finding_pixmap(kind: FindingKind, size: int = BADGE_SIZE) -> QPixmap:
    """The badge of ``kind``: its level's shape and colour with the kind's mark on it."""
    info = kind.info
    fill = LEVEL_FILLS[info.level]
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(fill))
    box = QRectF(1, 1, size - 2, size - 2)
    if info.level is Level.PROBLEM:
        painter.drawEllipse(box)
    elif info.level is Level.WARNING:
        painter.drawRect(box.adjusted(1, 1, -1, -1))
    else:
        painter.drawRoundedRect(box, size / 4, size / 4)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(round(size * 0.62))
    painter.setFont(font)
    painter.setPen(QColor(text_on(fill)))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, info.mark)
    painter.end()
    return pixmap


def finding_icon(kind: FindingKind) -> QIcon:
    """The badge of ``kind`` as an icon (a list's items, a label).

    Drawn once per kind: the guidance list asks for one per finding on every edit (a
    few hundred on a big incident), and the badge depends on nothing else.
    """
    icon = _ICONS.get(kind)
    if icon is None:
        icon = _ICONS[kind] = QIcon(finding_pixmap(kind))
    return icon


_ICONS: dict[FindingKind, QIcon] = {}


class FindingLines(QWidget):
    """A few findings, one line each: the kind's badge, then the registry's sentence.

    Plain text in the palette's own colour (not a fixed red), so it reads on a dark
    desktop too; the badge carries the kind.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.findings: list[Finding] = []

    def show_findings(self, findings: Iterable[Finding]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.findings = list(findings)
        size = self.fontMetrics().height()
        for finding in self.findings:
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            badge = QLabel(row)
            badge.setPixmap(
                finding_pixmap(finding.kind).scaled(
                    size,
                    size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            badge.setToolTip(finding.kind.info.name)
            badge.setAlignment(Qt.AlignmentFlag.AlignTop)
            text = QLabel(finding.message, row)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            line.addWidget(badge)
            line.addWidget(text, 1)
            self._layout.addWidget(row)
            row.show()
        self.setVisible(bool(self.findings))

    def kinds(self) -> list[FindingKind]:
        return [finding.kind for finding in self.findings]

    def text(self) -> str:
        """The sentences shown, one a line ("" when there are none)."""
        return "\n".join(finding.message for finding in self.findings)
