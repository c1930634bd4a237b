"""Winning the client back (issue 16): the Recovery tab beside the Follow-up.

Top down, in the order a team does it: where recovery stands (restored, or at risk and
why); the **apology** (when, by whom, to whom, how); the **restitution** offered, each
offer moving offered → accepted → delivered, or declined, and nothing else; the **trust
measures** agreed with the client and how many check-ins in a row must meet them; what
the client reported at each **check-in** (their confidence and each measure's value); and
the trend of it all, drawn by the review's chart.

Every change is one undoable step, written through: the apology and the streak commit
when their field is left (like the Incident tab), the tables when a cell's editor closes.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import Channel, RuleError
from rca_desk.model.incident import Record
from rca_desk.model.record import new_record_id
from rca_desk.model.recovery import (
    MAX_STREAK,
    OFFER_TRANSITIONS,
    Apology,
    Direction,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
    checked_apology,
)
from rca_desk.model.recovery_state import recovery_state, series
from rca_desk.ui.common.tones import Tone, set_tone
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.action_editor import OptionalDate
from rca_desk.ui.incident.fields_page import FieldsPage
from rca_desk.ui.incident.record_table import Column, RecordTable, typed_date
from rca_desk.ui.incident.recovery_values import CheckInValues, typed_decimal, typed_number
from rca_desk.ui.review.trend_chart import TrendChart

__all__ = ["RecoveryTab", "typed_amount"]

_CHANNELS = {channel.label: channel for channel in Channel}
_KINDS = {kind.label: kind for kind in RestitutionKind}
_DIRECTIONS = {"higher is better": Direction.HIGHER, "lower is better": Direction.LOWER}
_AMOUNT = re.compile(
    r"(?P<before>[A-Za-z]{3})?\s*(?P<number>[\d][\d,.\s]*)\s*(?P<after>[A-Za-z]{3})?"
)
#: What the recovery's parts are called in the document's changes.
_RECOVERY_KINDS = ("check_ins", "restitution", "measures", "measure_values", "confidence")


def _offer(record: Record) -> Restitution:
    assert isinstance(record, Restitution)
    return record


def _measure(record: Record) -> TrustMeasure:
    assert isinstance(record, TrustMeasure)
    return record


def typed_amount(offer: Restitution, text: str) -> Restitution:
    """An amount typed into an offer's cell: ``6400 EUR``, ``EUR 6,400.50``,
    ``6400,50 EUR`` (commas and points read as in every number cell, see
    :func:`typed_decimal`), or a number alone when the offer already has its currency.
    An amount makes the offer a credit; a blank cell leaves a non-credit as it is (a
    credit's amount cannot be blank)."""
    plain = text.strip()
    if not plain:
        if offer.kind is RestitutionKind.CREDIT:
            raise RuleError("A credit needs an amount above zero.")
        return offer
    match = _AMOUNT.fullmatch(plain)
    if match is None or (match["before"] and match["after"]):
        raise RuleError(f"An amount is typed like 6400 EUR, not {plain!r}.")
    currency = (match["before"] or match["after"] or offer.currency).upper()
    if not currency:
        raise RuleError(f"Type the currency with the amount, like {match['number']} EUR.")
    amount = typed_decimal(match["number"])
    if amount is None:
        raise RuleError(f"An amount is typed like 6400 EUR, not {plain!r}.")
    return replace(offer, kind=RestitutionKind.CREDIT, amount=amount, currency=currency)


def _kind_changed(offer: Restitution, label: str) -> Restitution:
    kind = _KINDS.get(label) or RestitutionKind(label.strip().lower().replace(" ", "_"))
    if kind is offer.kind:
        return offer
    if kind is RestitutionKind.CREDIT:
        raise RuleError("A credit needs its amount: type it in the Amount cell, like 6400 EUR.")
    return replace(offer, kind=kind, amount=None, currency="")


def _status_changed(offer: Restitution, text: str) -> Restitution:
    status = OfferStatus(text.strip().lower())
    return offer if status is offer.status else offer.moved_to(status)


def _next_statuses(record: Record) -> tuple[str, ...]:
    """Where an offer may go from here, its own status first (the lifecycle, nothing else)."""
    offer = _offer(record)
    later = sorted(s.value for s in OFFER_TRANSITIONS[offer.status])
    return (offer.status.value, *later)


RESTITUTION_COLUMNS = (
    Column(
        "Kind",
        lambda r: _offer(r).kind.label,
        lambda r, text: _kind_changed(_offer(r), text),
        choices=tuple(_KINDS),
    ),
    Column(
        "Offered",
        lambda r: _offer(r).offered_on.isoformat(),
        lambda r, text: replace(_offer(r), offered_on=typed_date(text, "The offer's date")),
    ),
    Column(
        "Status",
        lambda r: _offer(r).status.value,
        lambda r, text: _status_changed(_offer(r), text),
        choices=_next_statuses,
        tone=lambda r: (
            Tone.GOOD
            if _offer(r).status is OfferStatus.DELIVERED
            else (Tone.DUE_SOON if _offer(r).status is not OfferStatus.DECLINED else None)
        ),
    ),
    Column(
        "Amount",
        lambda r: _offer(r).amount_text,
        lambda r, text: typed_amount(_offer(r), text),
    ),
    Column(
        "Note",
        lambda r: _offer(r).note,
        lambda r, text: replace(_offer(r), note=text),
        stretch=True,
    ),
)


def measure_columns(
    latest: Callable[[TrustMeasure], tuple[str, bool | None]],
) -> tuple[Column, ...]:
    """The measures' columns; ``latest`` gives a measure's last value as text and
    whether it meets the target (None: no value yet)."""

    def latest_tone(record: Record) -> Tone | None:
        met = latest(_measure(record))[1]
        return None if met is None else (Tone.GOOD if met else Tone.OVERDUE)

    return (
        Column(
            "Measure",
            lambda r: _measure(r).name,
            lambda r, text: replace(_measure(r), name=text),
            stretch=True,
        ),
        Column(
            "Unit",
            lambda r: _measure(r).unit,
            lambda r, text: replace(_measure(r), unit=text),
        ),
        Column(
            "Target",
            lambda r: f"{_measure(r).target:g}",
            lambda r, text: replace(
                _measure(r),
                target=typed_number(text, _measure(r).unit, "A trust measure's target"),
            ),
        ),
        Column(
            "Better when",
            lambda r: next(k for k, v in _DIRECTIONS.items() if v is _measure(r).direction),
            lambda r, text: replace(_measure(r), direction=_DIRECTIONS[text]),
            choices=tuple(_DIRECTIONS),
        ),
        Column("Latest", lambda r: latest(_measure(r))[0], tone=latest_tone),
    )


class RecoveryTab(FieldsPage):
    """The client's recovery (see the module doc)."""

    def __init__(
        self,
        document: IncidentDocument,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(document, parent)
        self.today = today

        self.state = QLabel()
        self.state.setObjectName("recoveryState")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)

        self.apology_on = OptionalDate("Apologised on", today)
        self.apology_on.edit.setMinimumWidth(130)
        self.apology_by = QLineEdit()
        self.apology_by.setPlaceholderText("who owned the failure (a name, a role)")
        self.apology_to = QLineEdit()
        self.apology_to.setPlaceholderText("to whom at the client")
        self.apology_channel = QComboBox()
        self.apology_channel.addItems(list(_CHANNELS))
        when = QHBoxLayout()
        when.addWidget(self.apology_on)
        when.addWidget(QLabel("by way of"))
        when.addWidget(self.apology_channel)
        when.addStretch(1)
        apology_box = QGroupBox("Apology")
        apology_form = QFormLayout(apology_box)
        apology_form.addRow(when)
        apology_form.addRow("By", self.apology_by)
        apology_form.addRow("To", self.apology_to)

        self.restitution = RecordTable(
            document,
            "restitution",
            RESTITUTION_COLUMNS,
            self._new_offer,
            title="Restitution offered",
            add_text="Add offer",
            order=lambda r: (_offer(r).offered_on, r.id),
        )
        self.restitution.table.setToolTip(
            "Type an amount like 6400 EUR to make an offer a credit. An offer moves "
            "offered → accepted → delivered, or is declined."
        )
        self.measures = RecordTable(
            document,
            "measures",
            measure_columns(self._latest),
            lambda: TrustMeasure(new_record_id("m"), "New measure", "%", 99.0),
            title="Trust measures agreed with the client",
            add_text="Add measure",
        )
        self.streak = QSpinBox()
        self.streak.setRange(1, MAX_STREAK)
        self.streak.setSuffix(" check-ins in a row")
        self.streak.setToolTip(
            "Recovery counts as restored when every measure met its target at this many "
            "check-ins held in a row"
        )
        streak_row = QHBoxLayout()
        streak_row.addWidget(QLabel("Restored when every measure met its target at"))
        streak_row.addWidget(self.streak)
        streak_row.addStretch(1)
        self.measures.body.addLayout(streak_row)

        self.values = CheckInValues(document)
        values_box = QGroupBox("At each check-in held: the client's confidence and the measures")
        QVBoxLayout(values_box).addWidget(self.values)
        self.chart = TrendChart()
        chart_box = QGroupBox("Trend")
        QVBoxLayout(chart_box).addWidget(self.chart)

        # Two columns: what was done for the client, and what the client reports.
        done = QVBoxLayout()
        done.addWidget(apology_box)
        done.addWidget(self.restitution, 1)
        done.addWidget(self.measures, 1)
        columns = QHBoxLayout()
        columns.addLayout(done, 11)
        columns.addWidget(chart_box, 9)
        layout = QVBoxLayout(self.body)
        layout.addWidget(self.state)
        layout.addLayout(columns, 3)
        layout.addWidget(values_box, 2)

        # The date commits when it is left (or ticked), not on every arrow press.
        self.apology_on.check.toggled.connect(lambda _on: self._commit_apology())
        self.apology_on.edit.editingFinished.connect(self._commit_apology)
        for edit in (self.apology_by, self.apology_to):
            edit.editingFinished.connect(self._commit_apology)
        self.apology_channel.activated.connect(lambda _n: self._commit_apology())
        self.streak.editingFinished.connect(self._commit_streak)
        document.changed.connect(self._document_changed)
        self.load()

    def finish_editing(self) -> None:
        """Keep what is being typed: an open cell, the apology, the streak."""
        self.restitution.finish_editing()
        self.measures.finish_editing()
        self.values.finish_editing()
        self._commit_apology()
        self._commit_streak()

    # ------------------------------------------------------------- loading
    def _document_changed(self, changes: Changes) -> None:
        if changes.everything or changes.incident & {"apology", "restore_streak"}:
            self.load()
        elif any(changes.touches(kind) for kind in _RECOVERY_KINDS):
            self._show_state()

    def load(self) -> None:
        incident = self.document.incident
        apology = incident.apology
        self._loading = True
        try:
            self.apology_on.set_value(apology.on)
            self.apology_by.setText(apology.by)
            self.apology_to.setText(apology.to)
            self.apology_channel.setCurrentText(apology.channel.label)
            self.streak.setValue(incident.restore_streak)
        finally:
            self._loading = False
        self._show_state()

    def _show_state(self) -> None:
        incident = self.document.incident
        state = recovery_state(incident, self.today())
        if not incident.measures:
            text, which = (
                "Agree trust measures with the client (an SLA, a KPI tailored to what went "
                "wrong): recovery counts as restored only when they meet their targets.",
                Tone.HELP,
            )
        elif state.restored:
            text, which = (
                f"Restored: every measure met its target at the last {state.streak} "
                "check-ins held.",
                Tone.GOOD,
            )
        else:
            text, which = (
                f"Not restored yet: {state.on_target} of {state.streak} check-ins in a row "
                "on target.",
                Tone.DUE_SOON,
            )
        if state.at_risk:
            text = "\n".join(["At risk:", *(f"•  {risk}" for risk in state.risks), text])
            which = Tone.OVERDUE
        self.state.setText(text)
        set_tone(self.state, which, bold=True)
        self.chart.set_series(series(incident))
        # The latest values depend on the check-ins and their values, not only measures.
        self.measures.reload()

    def _latest(self, measure: TrustMeasure) -> tuple[str, bool | None]:
        for one in series(self.document.incident):
            if one.measure is not None and one.measure.id == measure.id and one.points:
                last = one.points[-1]
                trend = f", {one.trend}" if one.trend else ""
                return f"{last.value:g} on {last.held.isoformat()}{trend}", measure.met(last.value)
        return "no value yet", None

    # ------------------------------------------------------------- editing
    def _commit_apology(self) -> None:
        channel = _CHANNELS.get(self.apology_channel.currentText(), Channel.CALL)
        typed = Apology(
            on=self.apology_on.value(),
            by=self.apology_by.text(),
            to=self.apology_to.text(),
            channel=channel,
        )
        # As kept, so spaces typed around a name are no change; a refused value is left
        # for the edit to say why (and the stored value comes back).
        with contextlib.suppress(RuleError):
            typed = checked_apology(typed)
        self._edit(apology=typed)

    def _commit_streak(self) -> None:
        self._edit(restore_streak=self.streak.value())

    def _new_offer(self) -> Restitution:
        return Restitution(new_record_id("r"), RestitutionKind.OTHER, self.today())
