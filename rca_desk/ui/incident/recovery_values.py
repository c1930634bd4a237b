"""What the client reported at each check-in: their confidence (1-5) in their own words,
and each trust measure's value, in one grid typed by keyboard.

One row per check-in held (and any other with something recorded), one column per
measure: the grid is how a check-in is written up in the room ("uptime 99.7, late
reports 0, confidence 4: 'better, keep it up'"). A cell commits when its editor closes,
as one undoable step written through: a number puts the measure's value, a blank cell
removes it; 1-5 puts the rating, a blank removes it (and its words). Delete clears the
selected cell. A value that meets its target shows green, one that misses it red, and
the column header carries the target with its direction, so the colour is not the only
cue.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import CheckIn, RcaError, RuleError
from rca_desk.model.recovery import Confidence, MeasureValue, TrustMeasure
from rca_desk.ui.common.plain import tooltip
from rca_desk.ui.common.tones import Tone, tone
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.document.record_commands import DropRecord, PutRecord
from rca_desk.ui.incident.record_table import OpenCell

__all__ = ["CONFIDENCE_COLUMN", "WORDS_COLUMN", "CheckInValues", "typed_number"]

_CHECK_IN = Qt.ItemDataRole.UserRole
#: What a cell holds: "confidence", "words", or the id of its measure. Kept on the cell,
#: so an edit lands on its measure even if the columns moved while it was open.
_WHAT = Qt.ItemDataRole.UserRole + 1
_CONFIDENCE, _WORDS = "confidence", "words"
#: The fixed columns before the measures'.
CONFIDENCE_COLUMN, WORDS_COLUMN, _FIRST_MEASURE = 1, 2, 3
#: What the grid's records are called in the document's changes.
_KINDS = ("check_ins", "measures", "measure_values", "confidence")


_GROUPED = re.compile(r"[-+]?\d{1,3}([,.]\d{3})+")


def typed_decimal(text: str) -> Decimal | None:
    """A number as people type it, exactly, or None: ``1500``, ``99.5``, ``99,5``,
    ``1,500``, ``1.500``, ``6,400.50``, ``6.400,50``. One rule for every cell: when both
    a comma and a point appear, the last is the decimal mark; one alone followed by
    groups of three digits (``1,500``, ``1.500.000``) groups thousands; otherwise it is the
    decimal mark (``99,5``)."""
    plain = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in plain and "." in plain:
        mark = "," if plain.rfind(",") > plain.rfind(".") else "."
        plain = plain.replace("." if mark == "," else ",", "").replace(mark, ".")
    elif _GROUPED.fullmatch(plain) and not re.fullmatch(r"[-+]?\d+\.\d{3}", plain):
        plain = plain.replace(",", "").replace(".", "")
    else:
        plain = plain.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", plain):
        return None
    try:
        return Decimal(plain)
    except InvalidOperation:  # pragma: no cover (the pattern admits only numbers)
        return None


def typed_number(text: str, unit: str, what: str) -> float:
    """A number as typed into a cell (see :func:`typed_decimal`); its unit may follow
    (``99.5 %``, ``2 per month``)."""
    plain = text.strip()
    if unit and plain.endswith(unit):
        plain = plain[: -len(unit)].strip()
    number = typed_decimal(plain.rstrip("%"))
    if number is None:
        raise RuleError(f"{what} must be a number like 99.5, not {text.strip()!r}.")
    return float(number)


class CheckInValues(QWidget):
    """The grid (see the module doc) for ``document``'s incident."""

    def __init__(self, document: IncidentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._loading = False
        self.table = QTableWidget(0, _FIRST_MEASURE)
        self.table.setObjectName("checkInValuesTable")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(120)
        self.table.itemChanged.connect(self._item_changed)
        self.cell = OpenCell(self.table, self.load)  # (as a record table)
        self.table.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        document.changed.connect(self._document_changed)
        self.load()

    # ------------------------------------------------------------- reading
    def measures(self) -> list[TrustMeasure]:
        return list(self.document.incident.measures)

    def check_ins(self) -> list[CheckIn]:
        """The check-ins held, and any other with a value or rating, in the order held."""
        incident = self.document.incident
        noted = {v.check_in_id for v in incident.measure_values} | {
            c.check_in_id for c in incident.confidence
        }
        shown = [c for c in incident.check_ins if c.held is not None or c.id in noted]
        return sorted(shown, key=lambda c: (c.held or c.planned, c.id))

    def _document_changed(self, changes: Changes) -> None:
        if not (changes.everything or any(changes.touches(kind) for kind in _KINDS)):
            return
        self.cell.reload()  # the open cell's row must not change under it

    def load(self) -> None:
        incident = self.document.incident
        measures = self.measures()
        check_ins = self.check_ins()
        values = {(v.check_in_id, v.measure_id): v.value for v in incident.measure_values}
        ratings = {c.check_in_id: c for c in incident.confidence}
        row, column = self.table.currentRow(), self.table.currentColumn()
        palette = self.palette()
        self._loading = True
        try:
            self.table.setColumnCount(_FIRST_MEASURE + len(measures))
            self.table.setHorizontalHeaderLabels(
                [
                    "Check-in",
                    "Confidence (1-5)",
                    "In the client's words",
                    *(f"{m.name}\n{m.short_target}" for m in measures),
                ]
            )
            self.table.setRowCount(len(check_ins))
            for n, check_in in enumerate(check_ins):
                when = (
                    f"held {check_in.held.isoformat()}"
                    if check_in.held is not None
                    else f"planned {check_in.planned.isoformat()}"
                )
                first = QTableWidgetItem(when)
                first.setFlags(first.flags() & ~Qt.ItemFlag.ItemIsEditable)
                rating = ratings.get(check_in.id)
                score = QTableWidgetItem("" if rating is None else str(rating.score))
                score.setData(_WHAT, _CONFIDENCE)
                words = QTableWidgetItem("" if rating is None else rating.words)
                words.setData(_WHAT, _WORDS)
                cells = [first, score, words]
                for measure in measures:
                    value = values.get((check_in.id, measure.id))
                    item = QTableWidgetItem("" if value is None else f"{value:g}")
                    item.setData(_WHAT, measure.id)
                    if value is not None:
                        good = measure.met(value)
                        item.setForeground(tone(Tone.GOOD if good else Tone.OVERDUE, palette))
                        item.setToolTip(  # plain text: a measure's name is the user's
                            tooltip(
                                f"{measure.name}: {value:g} {measure.unit}".rstrip()
                                + (" meets" if good else " misses")
                                + f" its target ({measure.short_target})"
                            )
                        )
                    cells.append(item)
                for number, item in enumerate(cells):
                    item.setData(_CHECK_IN, check_in.id)
                    self.table.setItem(n, number, item)
        finally:
            self._loading = False
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WORDS_COLUMN, QHeaderView.ResizeMode.Stretch)
        if 0 <= row < self.table.rowCount():
            self.table.setCurrentCell(row, max(column, 0))

    # ------------------------------------------------------------- editing
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        check_in_id, what, text = str(item.data(_CHECK_IN)), str(item.data(_WHAT)), item.text()
        self.cell.commit_later(lambda: self.put(check_in_id, what, text))

    def finish_editing(self) -> None:
        """Keep what is being typed before the grid goes away."""
        self.cell.finish()

    def put(self, check_in_id: str, what: str, text: str) -> None:
        """What typing ``text`` into a check-in's cell for ``what`` (its confidence, the
        client's words, or a measure's id) means (module doc)."""
        try:
            command = self._command(check_in_id, what, text.strip())
        except RcaError as error:
            self.document.refused.emit(str(error))
            self.load()
            return
        if command is None or not self.document.execute(command):
            self.load()  # unchanged (the text as kept), or refused

    def _command(self, check_in_id: str, what: str, text: str) -> PutRecord | DropRecord | None:
        incident = self.document.incident
        rating = next((c for c in incident.confidence if c.check_in_id == check_in_id), None)
        if not any(c.id == check_in_id for c in incident.check_ins):
            raise RuleError("This check-in was removed in another window a moment ago.")
        if what == _CONFIDENCE:
            if not text:
                return DropRecord(self.document, "confidence", check_in_id) if rating else None
            if not re.fullmatch(r"[0-9]{1,3}", text):
                raise RuleError(f"Client confidence is a whole number 1 to 5, not {text!r}.")
            words = rating.words if rating is not None else ""
            new = Confidence(check_in_id, int(text), words)
            return None if new == rating else PutRecord(self.document, "confidence", new)
        if what == _WORDS:
            if rating is None:
                if not text:
                    return None
                raise RuleError("Give the client's confidence (1 to 5) first, then their words.")
            new = replace(rating, words=text)
            return None if new == rating else PutRecord(self.document, "confidence", new)
        measure = next((m for m in self.measures() if m.id == what), None)
        if measure is None:
            raise RuleError("This trust measure was removed in another window a moment ago.")
        old = next(
            (
                v
                for v in incident.measure_values
                if (v.check_in_id, v.measure_id) == (check_in_id, measure.id)
            ),
            None,
        )
        if not text:
            return DropRecord(self.document, "measure_values", old.id) if old else None
        value = MeasureValue(
            check_in_id, measure.id, typed_number(text, measure.unit, f"{measure.name}'s value")
        )
        return None if value == old else PutRecord(self.document, "measure_values", value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.table.state() != QAbstractItemView.State.EditingState
        ):
            item = self.table.currentItem()
            if item is not None and item.column() > 0:
                self.put(str(item.data(_CHECK_IN)), str(item.data(_WHAT)), "")
            return True
        return super().eventFilter(watched, event)
