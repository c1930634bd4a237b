"""The review's "follow-ups due": check-ins with clients whose day has come (issue 15).

Trust is won back by contact kept as promised, so a check-in that is due (its day has
come, within a week) or missed (later than that, not held) is listed in the review, next
to the overdue actions, most overdue first. A double click opens the incident on its
Follow-up tab with that check-in selected.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rca_desk.model import CheckInState
from rca_desk.model.follow_ups import check_in_state
from rca_desk.store.rows import CheckInRow
from rca_desk.ui.common.plain import follow_text_direction, tooltip
from rca_desk.ui.common.tones import Tone, set_tone, tone

__all__ = ["FollowUpsDue", "due_follow_ups"]

_WANTED = (CheckInState.MISSED, CheckInState.DUE)
_ID = Qt.ItemDataRole.UserRole


def due_follow_ups(rows: Sequence[CheckInRow], today: date) -> list[CheckInRow]:
    """The check-ins due or missed on ``today``, the longest waiting first."""
    wanted = [r for r in rows if check_in_state(r.check_in, today) in _WANTED]
    return sorted(wanted, key=lambda r: (r.check_in.planned, r.incident_id, r.check_in.id))


class FollowUpsDue(QGroupBox):
    """The due and missed check-ins of every incident; ``openCheckIn(incident, id)``."""

    openCheckIn = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Follow-ups due", parent)
        self.list = follow_text_direction(QTreeWidget())
        self.list.setObjectName("followUpsDue")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["Planned", "State", "Client", "Incident"])
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(False)
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(2, 150)
        self.list.itemActivated.connect(self._activated)
        self.list.setToolTip("Enter or a double click opens the check-in in its incident")
        self.empty = QLabel("No check-in with a client is due.")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.empty, Tone.HELP)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)

    def set_rows(self, rows: Sequence[CheckInRow], today: date) -> None:
        due = due_follow_ups(rows, today)
        self.setTitle(f"Follow-ups due ({len(due)})")
        self.list.clear()
        for row in due:
            state = check_in_state(row.check_in, today)
            client = row.affected.splitlines()[0] if row.affected else ""
            item = QTreeWidgetItem(
                [
                    row.check_in.planned.isoformat(),
                    state.value,
                    client,
                    f"#{row.incident_id} {row.incident_title}",
                ]
            )
            item.setData(0, _ID, (row.incident_id, row.check_in.id))
            item.setForeground(
                1, tone(Tone.OVERDUE if state is CheckInState.MISSED else Tone.DUE_SOON)
            )
            item.setToolTip(3, tooltip(row.incident_title))  # plain text, never markup
            self.list.addTopLevelItem(item)
        self.empty.setVisible(not due)
        self.list.setVisible(bool(due))

    def rows_shown(self) -> list[tuple[str, str, str, str]]:
        out = []
        for n in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(n)
            assert item is not None
            out.append((item.text(0), item.text(1), item.text(2), item.text(3)))
        return out

    def _activated(self, item: QTreeWidgetItem) -> None:
        incident_id, check_in_id = item.data(0, _ID)
        self.openCheckIn.emit(int(incident_id), str(check_in_id))
