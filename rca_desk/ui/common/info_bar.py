"""A notice bar: an icon, a plain-text line and, if wanted, one button that acts on it.

Used above the window's tabs (who else has the workspace open, a network drive) and above
an incident (read-only, or breaking a rule, with a one-click repair). Plain, non-modal,
hidden while there is nothing to say.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QWidget

#: Background, border and text colour of each kind of bar (light, like a message strip).
BAR_COLOURS = {
    "info": ("#e7f0fb", "#a9c4e8", "#17324f"),
    "warning": ("#fff4d6", "#e5c46b", "#4a3500"),
}


class InfoBar(QFrame):
    """One notice: an icon and a plain-text line, hidden while empty."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        background, border, text = BAR_COLOURS[kind]
        self.setObjectName(f"{kind}Bar")
        # Scoped to this frame by name, so the label keeps its own (transparent) look.
        self.setStyleSheet(
            f"QFrame#{kind}Bar {{ background: {background}; border: 1px solid {border}; "
            f"border-radius: 3px; }} QFrame#{kind}Bar QLabel {{ color: {text}; }}"
        )
        icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        if kind == "info":
            icon = QStyle.StandardPixmap.SP_MessageBoxInformation
        self.icon = QLabel()
        self.icon.setPixmap(self.style().standardIcon(icon).pixmap(20, 20))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(8)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        self.button = QPushButton()
        self.button.hide()
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def offer(self, text: str | None) -> QPushButton:
        """Show the bar's button with ``text`` (``None`` hides it); connect its clicked."""
        self.button.setText(text or "")
        self.button.setVisible(bool(text))
        return self.button

    def show_text(self, text: str | None) -> None:
        """Show ``text`` (as typed, never as HTML), or hide the bar for None."""
        self.label.setText(text or "")
        self.setVisible(bool(text))

    def text(self) -> str:
        return self.label.text() if not self.isHidden() else ""
