"""The workspace's incidents as a Qt table model, and the proxy that filters it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from rca_desk.store import IncidentSummary
from rca_desk.ui.common.plain import tooltip

_Index = QModelIndex | QPersistentModelIndex

#: (header, text of a row, sort key of a row)
_COLUMNS: list[tuple[str, Callable[[IncidentSummary], str], Callable[[IncidentSummary], Any]]] = [
    ("ID", lambda s: str(s.id), lambda s: s.id),
    ("Title", lambda s: s.title, lambda s: s.title.casefold()),
    (
        "Status",
        lambda s: f"damaged: {s.damaged}" if s.damaged else s.status.label,
        lambda s: -1 if s.damaged else list(type(s.status)).index(s.status),
    ),
    ("Severity", lambda s: s.severity.label, lambda s: list(type(s.severity)).index(s.severity)),
    (
        "Occurred",
        lambda s: s.occurred_at.strftime("%Y-%m-%d %H:%M") if s.occurred_at else "",
        lambda s: s.occurred_at.isoformat() if s.occurred_at else "",
    ),
    ("Client / service", lambda s: s.affected, lambda s: s.affected.casefold()),
    ("Causes", lambda s: str(s.causes), lambda s: s.causes),
    ("Root causes", lambda s: str(s.root_causes), lambda s: s.root_causes),
    ("Open actions", lambda s: f"{s.open_actions} of {s.actions}", lambda s: s.open_actions),
]
NUMERIC_COLUMNS = {0, 6, 7, 8}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2


class IncidentTableModel(QAbstractTableModel):
    """Read-only rows of :class:`IncidentSummary`; :meth:`set_rows` replaces them all.

    Summaries, not incidents: the list needs counts for every incident, and loading each
    whole incident (graph and actions) to show one row would not scale. No signals beyond
    the model's own.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[IncidentSummary] = []

    def set_rows(self, rows: list[IncidentSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self, row: int) -> IncidentSummary:
        return self._rows[row]

    def row_of(self, incident_id: int) -> int | None:
        for row, summary in enumerate(self._rows):
            if summary.id == incident_id:
                return row
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        _header, text, key = _COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(summary)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(text(summary))
        if role == SORT_ROLE:
            return key(summary)
        if role == SUMMARY_ROLE:
            return summary
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_COLUMNS)
        ):
            return _COLUMNS[section][0]
        return None


class IncidentFilterProxy(QSortFilterProxyModel):
    """Sorts by each column's natural key and keeps rows whose any column holds the text,
    and the incidents the search index found for it (:meth:`set_found`).

    Natural keys (numbers as numbers, severities in severity order, titles case-blind)
    because sorting the shown text would put incident 10 before incident 9 and "critical"
    before "low". No signals beyond the proxy's own.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        #: Incidents whose indexed text (causes, actions, lessons ...) matches the filter.
        self.found: frozenset[int] = frozenset()

    def set_found(self, ids: set[int] | frozenset[int]) -> None:
        """Also keep these incidents, whatever their shown columns say."""
        if frozenset(ids) == self.found:
            return
        self.beginFilterChange()
        self.found = frozenset(ids)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self.found:
            summary = self.sourceModel().index(source_row, 0, source_parent).data(SUMMARY_ROLE)
            if isinstance(summary, IncidentSummary) and summary.id in self.found:
                return True
        return super().filterAcceptsRow(source_row, source_parent)
