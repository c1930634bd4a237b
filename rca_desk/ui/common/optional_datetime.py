"""A date and time that may be unknown, typed like any other field.

Qt's way to show "no value" in a :class:`QDateTimeEdit` is a special value at its minimum,
shown as text. That text has no sections, so Tab (which walks the sections) never leaves
the field and typed digits land after the text: a keyboard trap in a form people fill in
by keyboard. This edit steps out on Tab while unknown, and the first digit typed starts
a date (today, midnight) with the year selected, so "202611020640" fills it in turn.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateTimeEdit, QWidget

#: The earliest date stands for "not known yet", shown as such, never saved as a date.
NOT_SET = QDateTime.fromString("1900-01-01T00:00", Qt.DateFormat.ISODate)


class OptionalDateTimeEdit(QDateTimeEdit):
    """A ``yyyy-MM-dd HH:mm`` edit whose lowest value reads "not set"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.setMinimumDateTime(NOT_SET)
        self.setSpecialValueText("not set")

    def is_set(self) -> bool:
        return self.dateTime() != NOT_SET

    def clear_value(self) -> None:
        self.setDateTime(NOT_SET)

    def focusNextPrevChild(self, next: bool) -> bool:
        if not self.is_set():
            # Nothing to walk through: leave like any other field.
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.is_set() and event.text().isdigit():
            self.setDateTime(QDateTime(QDate.currentDate(), QTime(0, 0)))
            self.setSelectedSection(QDateTimeEdit.Section.YearSection)
        super().keyPressEvent(event)
