"""The review's "Clients at risk" (issue 16): the incidents whose client we may still lose.

A client is at risk when a check-in was missed, their confidence fell, an agreed measure
is off target, or restitution was offered and not delivered (the model's rules,
:func:`~rca_desk.model.recovery_state.clients_at_risk`). The list shows each with its
reasons, the most reasons first; the chart under it shows the selected client's measures
and confidence over the check-ins held, against their targets. Enter or a double click
opens the incident on its Recovery tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model.recovery_state import (
    ClientAtRisk,
    ClientRecord,
    clients_at_risk,
    has_recovery,
)
from rca_desk.ui.common.plain import follow_text_direction, tooltip
from rca_desk.ui.common.tones import Tone, set_tone
from rca_desk.ui.review.trend_chart import TrendChart

__all__ = ["ClientsAtRisk"]

_ID = Qt.ItemDataRole.UserRole


class ClientsAtRisk(QWidget):
    """The list and the chart; ``openRecovery(incident_id)`` on Enter or double click."""

    openRecovery = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clients: list[ClientAtRisk] = []
        #: How many incidents have a client recovery or a follow-up on record.
        self.followed = 0
        self.list = follow_text_direction(QTreeWidget())
        self.list.setObjectName("clientsAtRisk")
        self.list.setColumnCount(3)
        self.list.setHeaderLabels(["Client", "Incident", "Why"])
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(False)
        header = self.list.header()
        header.setStretchLastSection(True)
        header.resizeSection(0, 130)
        header.resizeSection(1, 160)
        self.list.setToolTip("Enter or a double click opens the incident's Recovery tab")
        self.list.itemActivated.connect(self._activated)
        self.list.currentItemChanged.connect(lambda *_: self._show_chart())
        self.empty = QLabel("No client is at risk.")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.empty, Tone.HELP)
        self.chart = TrendChart()
        self.chart.empty_text = "Select a client to see their measures and confidence."
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.chart)
        split.setChildrenCollapsible(False)
        split.setSizes([140, 220])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)

    def set_rows(self, rows: Sequence[ClientRecord], today: date) -> None:
        keep = self.current_incident()
        self.clients = clients_at_risk(rows, today)
        self.followed = sum(1 for row in rows if has_recovery(row) or row.check_ins)
        self.list.clear()
        for client in self.clients:
            item = QTreeWidgetItem(
                [
                    client.client,
                    f"#{client.incident_id} {client.incident_title}",
                    "; ".join(client.reasons),
                ]
            )
            item.setData(0, _ID, client.incident_id)
            item.setToolTip(1, tooltip(client.incident_title))  # plain text, never markup
            item.setToolTip(2, tooltip("\n".join(client.reasons)))
            self.list.addTopLevelItem(item)
        self.empty.setVisible(not self.clients)
        ids = [c.incident_id for c in self.clients]
        first = self.list.topLevelItem(ids.index(keep) if keep in ids else 0)
        if first is not None:
            self.list.setCurrentItem(first)
        self._show_chart()

    def current_incident(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(0, _ID)) if item is not None else None

    def rows_shown(self) -> list[tuple[str, str, str]]:
        out = []
        for n in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(n)
            assert item is not None
            out.append((item.text(0), item.text(1), item.text(2)))
        return out

    def _show_chart(self) -> None:
        current = self.current_incident()
        client = next((c for c in self.clients if c.incident_id == current), None)
        if client is None:
            self.chart.set_series([])
        else:
            title = f"{client.client or client.incident_title}: measures and confidence"
            self.chart.set_series(client.series, title)

    def _activated(self, item: QTreeWidgetItem) -> None:
        self.openRecovery.emit(int(item.data(0, _ID)))
