"""Preventive actions as a Qt table: the model, and the proxy that filters it.

The dashboard holds thousands of rows and must re-filter on every keystroke and re-sort on
every header click in a few milliseconds. A :class:`QSortFilterProxyModel` sorting by
itself would ask the (Python) model for a value on every comparison, around a second for
5,000 rows; so the proxy filters, and sorting is done by the source model on keys it
computed once per column (the proxy forwards :meth:`sort`). The filter flags come from
:class:`rca_desk.model.review.ReviewIndex`, the same rules the tests check without Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QFont

from rca_desk.model import ActionStatus, Incident, Strength
from rca_desk.model.review import ActionFilter, ActionLike, ReviewIndex, is_due_soon
from rca_desk.store import ActionRow
from rca_desk.ui.common.plain import tooltip
from rca_desk.ui.common.tones import Tone, overdue_row, tone

_Index = QModelIndex | QPersistentModelIndex

#: The row object (an :class:`ActionLike`) behind a table row.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


_STATUS_ORDER = {status: i for i, status in enumerate(ActionStatus)}
_STRENGTH_ORDER = {strength: i for i, strength in enumerate(Strength)}


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


@dataclass(frozen=True)
class Column:
    """One column: header, cell text and sort key of a row.

    ``blank`` says a row has no value in this column (no owner, no date): such rows sort
    last whichever way round, since nobody's action is not a name and no date is not
    early or late.
    """

    key: str
    header: str
    text: Callable[[ActionLike], str]
    sort_key: Callable[[ActionLike], Any]
    blank: Callable[[ActionLike], bool] | None = None


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column(
            "incident",
            "Incident",
            lambda r: f"#{r.incident_id} {r.incident_title}",
            lambda r: r.incident_id,
        ),
        Column(
            "root_cause",
            "Root cause",
            lambda r: "; ".join(r.root_cause_texts),
            lambda r: "; ".join(r.root_cause_texts).casefold(),
        ),
        Column(
            "category",
            "Category",
            lambda r: ", ".join(r.categories),
            lambda r: ", ".join(r.categories).casefold(),
        ),
        Column("action", "Action", lambda r: r.action.title, lambda r: r.action.title.casefold()),
        Column(
            "owner",
            "Owner",
            lambda r: r.action.owner,
            lambda r: r.action.owner.casefold(),
            lambda r: not r.action.owner,
        ),
        Column(
            "due",
            "Due",
            lambda r: _day(r.action.due),
            lambda r: r.action.due or date.min,
            lambda r: r.action.due is None,
        ),
        Column(
            "status",
            "Status",
            lambda r: r.action.status.label,
            lambda r: _STATUS_ORDER[r.action.status],
        ),
        Column(
            "strength",
            "Strength",
            lambda r: r.action.strength.label,
            lambda r: _STRENGTH_ORDER[r.action.strength],
        ),
        Column(
            "verify_on",
            "Verify on",
            lambda r: _day(r.action.verify_on),
            lambda r: r.action.verify_on or date.min,
            lambda r: r.action.verify_on is None,
        ),
    )
}
DASHBOARD_COLUMNS = (
    "incident",
    "root_cause",
    "category",
    "action",
    "owner",
    "due",
    "status",
    "strength",
    "verify_on",
)
INCIDENT_COLUMNS = ("action", "root_cause", "owner", "due", "status", "strength", "verify_on")


def incident_rows(incident: Incident) -> list[ActionRow]:
    """An incident's actions in the shape the workspace gives for all of them."""
    graph = incident.graph
    assert incident.id is not None
    out = []
    for action in incident.actions:
        causes = [graph.cause(c) for c in action.root_causes if c in graph]
        out.append(
            ActionRow(
                incident_id=incident.id,
                incident_title=incident.title,
                action=action,
                root_cause_texts=tuple(c.text for c in causes),
                categories=tuple(dict.fromkeys(c.category for c in causes)),
            )
        )
    return out


class ActionTableModel(QAbstractTableModel):
    """Read-only rows of actions. :meth:`set_rows` replaces them; :meth:`sort` reorders.

    Rows keep their load order in :attr:`review` (the filter works on that); ``_order``
    maps a table row to it, so a sort moves nothing but that list.
    """

    def __init__(
        self,
        *,
        columns: Sequence[str] = DASHBOARD_COLUMNS,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = [COLUMNS[key] for key in columns]
        self.today = today
        self.review = ReviewIndex([])
        self._order: list[int] = []
        self._keys: dict[int, tuple[list[Any], list[bool]]] = {}
        self._sorted: tuple[int, Qt.SortOrder] | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    # ---------------------------------------------------------------- rows
    def set_rows(self, rows: Sequence[ActionLike]) -> None:
        self.beginResetModel()
        self.review = ReviewIndex(rows)
        self._order = list(range(len(rows)))
        self._keys = {}
        if self._sorted is not None:
            self._order = self._sorted_order(*self._sorted)
        self.endResetModel()

    def row(self, table_row: int) -> ActionLike:
        return self.review.rows[self._order[table_row]]

    def load_index(self, table_row: int) -> int:
        """Where ``table_row`` sits in the rows as given (what filter masks refer to)."""
        return self._order[table_row]

    def table_row_of(self, incident_id: int, uid: str) -> int | None:
        for table_row, i in enumerate(self._order):
            row = self.review.rows[i]
            if row.incident_id == incident_id and row.action.uid == uid:
                return table_row
        return None

    def column_key(self, column: int) -> str:
        return self.columns[column].key

    # ------------------------------------------------------------------ Qt
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._order):
            return None
        row = self.row(index.row())
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self._tooltip(row, column))
        if role == ROW_ROLE:
            return row
        action = row.action
        today = self.today()
        if role == Qt.ItemDataRole.BackgroundRole and action.is_overdue(today):
            return QBrush(overdue_row())
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.key == "due" and action.is_overdue(today):
                return QBrush(tone(Tone.OVERDUE))
            if column.key == "due" and is_due_soon(action, today):
                return QBrush(tone(Tone.DUE_SOON))
            if column.key == "verify_on" and action.is_verification_overdue(today):
                return QBrush(tone(Tone.VERIFY_LATE))
        if role == Qt.ItemDataRole.FontRole and (
            (column.key == "due" and action.is_overdue(today))
            or (column.key == "verify_on" and action.is_verification_overdue(today))
        ):
            return self._bold
        return None

    def _tooltip(self, row: ActionLike, column: Column) -> str:
        action = row.action
        today = self.today()
        if column.key == "due" and action.due is not None:
            days = (action.due - today).days
            if action.is_overdue(today):
                return f"Overdue by {-days} day{'s' if days != -1 else ''} ({action.status.label})"
            if is_due_soon(action, today):
                return "Due today" if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}"
        if column.key == "verify_on" and action.is_verification_overdue(today):
            return "Implemented; the effectiveness check is past its date"
        if column.key == "strength":
            return f"{action.strength.label}: {action.strength.examples}"
        if column.key == "root_cause":
            return "\n".join(row.root_cause_texts)
        return column.text(row)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder by ``column`` (stable); ``column < 0`` restores the load order."""
        if column >= len(self.columns):
            return
        wanted = (column, order) if column >= 0 else None
        if wanted == self._sorted:
            # A view asks twice per header click (sortByColumn, then the header's
            # indicator signal); the second time there is nothing to do.
            return
        self.layoutAboutToBeChanged.emit()
        old = self._order
        self._sorted = (column, order) if column >= 0 else None
        self._order = self._sorted_order(column, order) if column >= 0 else sorted(old)
        where = {load: table_row for table_row, load in enumerate(self._order)}
        moved_from = self.persistentIndexList()
        moved_to = [
            self.index(where[old[i.row()]], i.column()) if i.isValid() else QModelIndex()
            for i in moved_from
        ]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        keys, blank = self._keys.get(column) or self._sort_keys(column)
        filled = [i for i in range(len(keys)) if not blank[i]]
        # Ties keep load order in both directions (sorted() is stable and reverse=True
        # keeps it too), so a re-sort is reproducible; blanks follow in load order.
        descending = order == Qt.SortOrder.DescendingOrder
        ordered = sorted(filled, key=keys.__getitem__, reverse=descending)
        return ordered + [i for i in range(len(keys)) if blank[i]]

    def _sort_keys(self, column: int) -> tuple[list[Any], list[bool]]:
        """Each row's sort key and whether it is blank, worked out once per column."""
        spec, rows = self.columns[column], self.review.rows
        keys = [spec.sort_key(row) for row in rows]
        blank = [spec.blank(row) for row in rows] if spec.blank else [False] * len(rows)
        self._keys[column] = (keys, blank)
        return keys, blank


class ActionFilterProxy(QSortFilterProxyModel):
    """Shows the rows that pass an :class:`ActionFilter`; sorting is the source's."""

    def __init__(self, *, today: Callable[[], date] = date.today, parent: QObject | None = None):
        super().__init__(parent)
        self.today = today
        self.filter = ActionFilter()
        self._mask: list[bool] | None = None
        self._mask_of: ReviewIndex | None = None
        self._model: ActionTableModel | None = None

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, ActionTableModel)
        self._model = model
        super().setSourceModel(model)

    def source(self) -> ActionTableModel:
        assert self._model is not None
        return self._model

    def set_filter(self, flt: ActionFilter) -> None:
        self.beginFilterChange()
        self.filter = flt
        self._mask_of = None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def refilter(self) -> None:
        """Re-apply the filter (after "today" moved on, or the rows changed in place)."""
        self.set_filter(self.filter)

    def _current_mask(self) -> list[bool] | None:
        # Computed once per filter and per set of rows: new rows (a refresh) bring a new
        # ReviewIndex, and flags for the old rows would point at the wrong ones.
        review = self.source().review
        if self._mask_of is not review:
            self._mask = None if self.filter.is_empty else review.mask(self.filter, self.today())
            self._mask_of = review
        return self._mask

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        # Called once per row on every re-filter and sort: kept to the bare lookups.
        model = self._model
        assert model is not None
        mask = self._mask if self._mask_of is model.review else self._current_mask()
        return mask is None or mask[model.load_index(source_row)]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source().sort(column, order)

    def row(self, proxy_row: int) -> ActionLike:
        return self.source().row(self.mapToSource(self.index(proxy_row, 0)).row())

    def visible_rows(self) -> list[ActionLike]:
        """The rows as shown: filtered, in table order."""
        return [self.row(r) for r in range(self.rowCount())]
