"""Small widget helpers; above all, showing user text safely.

Qt guesses "rich text" for strings that look like HTML.

Titles, cause texts and notes come from people and from imported files. A title such as
``<b>x</b>`` must show as typed, never restyle a dialog or hide its warning. Message boxes
get ``Qt.PlainText``; tool tips have no plain mode, so their text is escaped into a
pre-wrapped paragraph.

Right-to-left text (Hebrew, Arabic) starts at the right. ``QLabel`` and ``QLineEdit`` see to
that themselves; ``QPlainTextEdit`` and item views do not (they lay out every paragraph in
the widget's direction, left to right), hence :class:`PlainTextEdit` and
:class:`DirectionalDelegate`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QMessageBox,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from rca_desk.model.text import is_rtl

V = TypeVar("V", bound=QAbstractItemView)


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


class PlainTextEdit(QPlainTextEdit):
    """A plain text box that starts at the right when its text reads right to left.

    As ``QLineEdit`` does: the first strong character of the text decides (Unicode's rule,
    :func:`rca_desk.model.text.is_rtl`). Each paragraph is still ordered and shaped in its
    own direction; ``QPlainTextEdit`` has one alignment for all of them.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._rtl: bool | None = None
        self.textChanged.connect(self._follow_direction)
        self._follow_direction()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self._rtl = None  # Qt reset the text option; set it again
            self._follow_direction()

    @property
    def is_right_to_left(self) -> bool:
        return bool(self._rtl)

    def _follow_direction(self) -> None:
        rtl = is_rtl(self.toPlainText())
        if rtl == self._rtl:
            return
        self._rtl = rtl
        document = self.document()
        option = document.defaultTextOption()
        option.setTextDirection(Qt.LayoutDirection.LayoutDirectionAuto)
        side = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        option.setAlignment(side | Qt.AlignmentFlag.AlignAbsolute)
        document.setDefaultTextOption(option)


class DirectionalDelegate(QStyledItemDelegate):
    """Item text that reads right to left is laid out right to left and starts at the right."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if option.text and is_rtl(option.text):
            option.direction = Qt.LayoutDirection.RightToLeft


def follow_text_direction(view: V) -> V:
    """Give ``view`` a :class:`DirectionalDelegate`; returns ``view``."""
    view.setItemDelegate(DirectionalDelegate(view))
    return view


class _EnterKey(QObject):
    """Runs ``slot`` for Return or Enter in the watched widget, and keeps the key there."""

    def __init__(self, widget: QWidget, slot: Callable[[], object]) -> None:
        super().__init__(widget)
        self.slot = slot

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.slot()
            return True
        return super().eventFilter(watched, event)


def on_enter(widget: QWidget, slot: Callable[[], object]) -> None:
    """Enter in ``widget`` (a line inside a dialog) runs ``slot`` instead of the dialog's
    default button.

    A ``QLineEdit`` passes Enter on to its dialog, which presses the default button: in a
    field whose text belongs to another button (a status change's note), that closed the
    dialog and dropped what was typed.
    """
    widget.installEventFilter(_EnterKey(widget, slot))
