"""Small widget helpers; above all, showing user text safely.

Qt guesses "rich text" for strings that look like HTML.

Titles, cause texts and notes come from people and from imported files. A title such as
``<b>x</b>`` must show as typed, never restyle a dialog or hide its warning. Message boxes
get ``Qt.PlainText``; tool tips have no plain mode, so their text is escaped into a
pre-wrapped paragraph.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget


def enum_combo(values: Iterable[StrEnum]) -> QComboBox:
    """A combo box of an enum's members, shown by label, each member as its item data."""
    combo = QComboBox()
    for value in values:
        combo.addItem(getattr(value, "label", value.value), value)
    return combo


def tooltip(text: str) -> str:
    """A tool tip that shows ``text`` exactly, line breaks included."""
    return f'<p style="white-space:pre-wrap">{html.escape(text)}</p>'


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def ask(parent: QWidget | None, title: str, question: str) -> bool:
    """A yes/no question in plain text; True for yes."""
    box = message_box(
        parent,
        QMessageBox.Icon.Question,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def warn(parent: QWidget | None, title: str, text: str) -> None:
    message_box(parent, QMessageBox.Icon.Warning, title, text).exec()
