"""The review dashboard: every preventive action of the workspace, weeks after the workshop.

It answers the review meeting's questions in order: what is overdue or due now, what was
done but never checked, what did not work (the tiles; a click filters the table); who
owns what (the table with its filters, CSV export for the minutes); and which kinds of
weakness keep coming back (the Pareto chart, and similar root causes in other incidents
for the selected row).

The dashboard only reads the workspace; an action is changed in its incident, which
:attr:`Dashboard.openAction` asks the main window to open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rca_desk.interchange.files import atomic_write_bytes
from rca_desk.interchange.tables import to_csv
from rca_desk.model import ActionStatus, RcaError, Strength
from rca_desk.model.review import (
    NO_CATEGORY,
    ActionFilter,
    ActionLike,
    ParetoBar,
    RootCauseRecord,
    Tile,
    owners,
    pareto,
    tile_counts,
    verification_overdue_count,
)
from rca_desk.store import WorkspaceStore
from rca_desk.store.search import SimilarRootCause
from rca_desk.ui.common.plain import follow_text_direction, tooltip, warn
from rca_desk.ui.common.tones import Tone, set_tone, tone
from rca_desk.ui.review.action_table import ROW_ROLE, ActionFilterProxy, ActionTableModel
from rca_desk.ui.review.clients_at_risk import ClientsAtRisk
from rca_desk.ui.review.follow_ups import FollowUpsDue
from rca_desk.ui.review.pareto import ParetoChart

#: Each tile's colour (its edge, its count), in the light or dark version the palette needs.
TILE_TONES = {
    Tile.OPEN: Tone.TILE_OPEN,
    Tile.OVERDUE: Tone.TILE_OVERDUE,
    Tile.DUE_SOON: Tone.TILE_DUE_SOON,
    Tile.AWAITING_VERIFICATION: Tone.TILE_AWAITING,
    Tile.NOT_EFFECTIVE: Tone.TILE_NOT_EFFECTIVE,
}

#: How much of its colour a checked tile mixes into its background (0-255).
CHECKED_TINT = 38

#: (label, days back from today; None for all time)
PARETO_PERIODS: list[tuple[str, int | None]] = [
    ("All time", None),
    ("Last 12 months", 365),
    ("Last 90 days", 90),
]

SIMILAR_LIMIT = 8


class TileButton(QAbstractButton):
    """A count with its question under it; checkable, a coloured edge says which tile.

    An action tile (``tile``) counts actions; the clients tile has no :class:`Tile` and
    says its own ``label``, ``explanation`` and colour.
    """

    def __init__(
        self,
        tile: Tile | None,
        parent: QWidget | None = None,
        *,
        label: str = "",
        explanation: str = "",
        colour: Tone = Tone.TILE_OPEN,
        click: str = "Click to show only these actions; again to clear.",
    ) -> None:
        super().__init__(parent)
        self.tile = tile
        self.label = tile.label if tile is not None else label
        self.tone = TILE_TONES[tile] if tile is not None else colour
        self.count = 0
        self.detail = ""
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        explained = tile.explanation if tile is not None else explanation
        self.setToolTip(f"{explained}\n{click}")
        self.setAccessibleName(self.label)
        self.setMinimumHeight(74)
        self._keyboard_focus = False

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Like Qt's own buttons: a focus frame for keyboard users, none after a click.
        self._keyboard_focus = event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        )
        super().focusInEvent(event)

    def set_count(self, count: int, detail: str = "") -> None:
        self.count, self.detail = count, detail
        self.setText(f"{count} {self.label}")
        self.setAccessibleDescription(f"{count} {self.label}. {detail}".strip())
        self.update()

    @property
    def color(self) -> QColor:
        """The tile's colour on its current palette (dark desktops get a lighter one)."""
        return tone(self.tone, self.palette())

    def sizeHint(self) -> QSize:
        return QSize(180, 78)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        checked = self.isChecked()
        palette = self.palette()
        color = self.color
        background = QColor(color)
        background.setAlpha(CHECKED_TINT if checked else 0)
        base = palette.base().color()
        painter.setBrush(base)
        painter.setPen(QPen(color if checked else palette.mid().color(), 2 if checked else 1))
        painter.drawRoundedRect(rect, 6, 6)
        painter.setBrush(background)
        painter.drawRoundedRect(rect, 6, 6)
        painter.fillRect(QRectF(rect.left() + 1, rect.top() + 8, 4, rect.height() - 16), color)
        if self.hasFocus() and self._keyboard_focus:
            painter.setPen(QPen(color, 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 4, 4)

        inner = rect.adjusted(16, 6, -10, -6)
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.9)
        big.setBold(True)
        painter.setFont(big)
        painter.setPen(color if self.count else tone(Tone.HELP, palette))
        number_h = painter.fontMetrics().height()
        painter.drawText(
            QRectF(inner.left(), inner.top(), inner.width(), number_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            str(self.count),
        )
        label_font = QFont(self.font())
        label_font.setBold(True)
        painter.setFont(label_font)
        painter.setPen(palette.text().color())
        line_h = painter.fontMetrics().height()
        y = inner.top() + number_h
        painter.drawText(
            QRectF(inner.left(), y, inner.width(), line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(
                self.label, Qt.TextElideMode.ElideRight, int(inner.width())
            ),
        )
        if self.detail:
            painter.setFont(self.font())
            painter.setPen(tone(Tone.HELP, palette))
            painter.drawText(
                QRectF(inner.left(), y + line_h, inner.width(), line_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                painter.fontMetrics().elidedText(
                    self.detail, Qt.TextElideMode.ElideRight, int(inner.width())
                ),
            )
        painter.end()


def _combo(placeholder: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(placeholder, None)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo


def _refill(combo: QComboBox, items: list[tuple[str, object]]) -> None:
    """Replace a filter's choices, keeping the chosen one if it still exists."""
    current = combo.currentData()
    combo.blockSignals(True)
    try:
        while combo.count() > 1:
            combo.removeItem(1)
        for text, value in items:
            combo.addItem(text, value)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
    finally:
        combo.blockSignals(False)


def _split(orientation: Qt.Orientation, *panes: QWidget, sizes: tuple[int, ...]) -> QSplitter:
    """Panes sharing space as their ``sizes`` say, none of which can be collapsed away."""
    splitter = QSplitter(orientation)
    for number, pane in enumerate(panes):
        splitter.addWidget(pane)
        splitter.setStretchFactor(number, sizes[number])
    splitter.setSizes(list(sizes))
    splitter.setChildrenCollapsible(False)
    return splitter


class Dashboard(QWidget):
    """The review of all actions in ``workspace``.

    Signals: ``openAction(int, str)`` (incident id, action uid) on a double click, so the
    window opens that action in its incident.
    """

    openAction = Signal(int, str)
    #: A check-in in "Follow-ups due" was opened: incident id, check-in id.
    openCheckIn = Signal(int, str)
    #: A client in "Clients at risk" was opened: the incident's id.
    openRecovery = Signal(int)

    CSV_HEADER = (
        "Incident",
        "Incident title",
        "Root causes",
        "Categories",
        "Action",
        "Owner",
        "Due",
        "Status",
        "Strength",
        "Metric",
        "Target",
        "Verify on",
        "Overdue",
    )

    def __init__(
        self,
        workspace: WorkspaceStore,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.today = today
        self.rows: list[ActionLike] = []
        self.root_causes: list[RootCauseRecord] = []
        self._all_bars: list[ParetoBar] = []

        self.model = ActionTableModel(today=today, parent=self)
        self.proxy = ActionFilterProxy(today=today, parent=self)
        self.proxy.setSourceModel(self.model)

        # tiles
        self.tiles = {tile: TileButton(tile) for tile in Tile}
        tile_row = QHBoxLayout()
        tile_row.setSpacing(8)
        for tile, button in self.tiles.items():
            button.clicked.connect(lambda _checked=False, t=tile: self._tile_clicked(t))
            tile_row.addWidget(button, 1)
        # Not an action tile: it narrows the table to the at-risk clients' incidents, and
        # combines with the tile picked beside it ("overdue actions of clients at risk").
        self.clients_tile = TileButton(
            None,
            label="Clients at risk",
            explanation=(
                "Incidents whose client we may still lose: a check-in missed, confidence "
                "falling, a measure off target, or restitution offered and not delivered."
            ),
            colour=Tone.TILE_AT_RISK,
            click="Click to show only their incidents' actions (with any other tile) and "
            "the clients' trends; again to clear.",
        )
        self.clients_tile.setObjectName("clientsTile")
        self.clients_tile.clicked.connect(self._clients_clicked)
        tile_row.addWidget(self.clients_tile, 1)

        # filters
        self.owner_filter = _combo("All owners")
        self.status_filter = _combo("All statuses")
        for status in ActionStatus:
            self.status_filter.addItem(status.label, status.value)
        self.category_filter = _combo("All categories")
        self.incident_filter = _combo("All incidents")
        self.incident_filter.setMinimumContentsLength(16)
        self.strength_filter = _combo("All strengths")
        for strength in Strength:
            self.strength_filter.addItem(strength.label, strength.value)
            index = self.strength_filter.count() - 1
            self.strength_filter.setItemData(index, strength.examples, Qt.ItemDataRole.ToolTipRole)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search actions, root causes, owners…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(200)
        self.filters = (
            self.owner_filter,
            self.status_filter,
            self.category_filter,
            self.incident_filter,
            self.strength_filter,
        )
        for combo in self.filters:
            combo.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save the rows shown, in the order shown, as CSV")
        self.export_button.clicked.connect(self.export_dialog)
        filter_row = QHBoxLayout()
        filter_row.setSpacing(6)
        filter_row.addWidget(self.search, 2)
        for combo in self.filters:
            filter_row.addWidget(combo, 1)
        filter_row.addWidget(self.clear_button)
        filter_row.addWidget(self.export_button)

        # table
        self.table = follow_text_direction(QTableView())
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        widths = {
            "incident": 190,
            "root_cause": 250,
            "category": 110,
            "action": 260,
            "owner": 110,
            "due": 92,
            "status": 110,
            "strength": 92,
            "verify_on": 92,
        }
        for column in range(self.model.columnCount()):
            header.resizeSection(column, widths.get(self.model.column_key(column), 120))
        header.setSectionResizeMode(
            self.model.columns.index(next(c for c in self.model.columns if c.key == "action")),
            QHeaderView.ResizeMode.Stretch,
        )
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.count_label = QLabel()
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.count_label, Tone.HELP)
        legend = QLabel("Red rows are overdue. Double-click a row to open it in its incident.")
        legend.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(legend, Tone.HELP)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addLayout(filter_row)
        table_layout.addWidget(self.table, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.count_label)
        status_row.addStretch(1)
        status_row.addWidget(legend)
        table_layout.addLayout(status_row)

        # pareto
        self.pareto = ParetoChart()
        self.pareto.categoryClicked.connect(self.filter_category)
        self.pareto_period = QComboBox()
        for label, days in PARETO_PERIODS:
            self.pareto_period.addItem(label, days)
        self.pareto_period.setToolTip("Count root causes of incidents that occurred in this period")
        self.pareto_period.currentIndexChanged.connect(self._update_pareto)
        self.pareto_caption = QLabel()
        self.pareto_caption.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.pareto_caption, Tone.HELP)
        pareto_box = QGroupBox("Root causes by category (Pareto)")
        pareto_layout = QVBoxLayout(pareto_box)
        pareto_top = QHBoxLayout()
        pareto_top.addWidget(self.pareto_caption, 1)
        pareto_top.addWidget(self.pareto_period)
        pareto_layout.addLayout(pareto_top)
        pareto_layout.addWidget(self.pareto, 1)

        # similar root causes
        self.similar_heading = QLabel()
        self.similar_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.similar_heading.setWordWrap(True)
        self.similar = follow_text_direction(QTreeWidget())
        self.similar.setColumnCount(3)
        self.similar.setHeaderLabels(["Incident", "Root cause", "Category"])
        self.similar.setRootIsDecorated(False)
        self.similar.setAlternatingRowColors(True)
        self.similar.setWordWrap(False)
        similar_header = self.similar.header()
        similar_header.setStretchLastSection(False)
        similar_header.resizeSection(0, 170)
        similar_header.resizeSection(2, 110)
        similar_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        similar_box = QGroupBox("Similar root causes in other incidents")
        similar_layout = QVBoxLayout(similar_box)
        similar_layout.addWidget(self.similar_heading)
        similar_layout.addWidget(self.similar, 1)

        # check-ins with clients whose day has come, and the clients we may lose
        self.follow_ups = FollowUpsDue()
        self.follow_ups.openCheckIn.connect(self.openCheckIn)
        self.clients = ClientsAtRisk()
        self.clients.openRecovery.connect(self.openRecovery)
        self.clients_pane = QTabWidget()
        self.clients_pane.setDocumentMode(True)
        self.clients_pane.addTab(self.follow_ups, "Follow-ups")
        self.clients_pane.addTab(self.clients, "Clients at risk")

        lower = _split(
            Qt.Orientation.Horizontal,
            pareto_box,
            similar_box,
            self.clients_pane,
            sizes=(520, 400, 440),
        )
        main = _split(Qt.Orientation.Vertical, table_box, lower, sizes=(420, 300))
        self.splitter = main

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(tile_row)
        layout.addWidget(main, 1)

        self.refresh()

    # ------------------------------------------------------------- loading
    def refresh(self) -> None:
        """Re-read every action and root cause (after an edit here or in another window)."""
        rows: list[ActionLike] = list(self.workspace.action_rows())
        self.rows = rows
        self.root_causes = self.workspace.root_cause_records()
        self.follow_ups.set_rows(self.workspace.check_in_rows(), self.today())
        self.clients.set_rows(self.workspace.recovery_rows(), self.today())
        self.clients_pane.setTabText(1, f"Clients at risk ({len(self.clients.clients)})")
        self._all_bars = pareto(self.root_causes)
        selected = self.current_row()
        self.model.set_rows(rows)
        self._refill_filters()
        self._update_tiles()
        self._update_pareto()
        self._update_count()
        if selected is not None:
            self.select_action(selected.incident_id, selected.action.uid)
        self._current_changed()

    def _refill_filters(self) -> None:
        _refill(self.owner_filter, [(name, name) for name in owners(self.rows)])
        # Every action's categories are its root causes' categories, so the all-time
        # Pareto bars name them all, spellings merged the same way.
        categories = [bar.category for bar in self._all_bars if bar.category != NO_CATEGORY]
        _refill(
            self.category_filter,
            [(name, name) for name in sorted(categories, key=str.casefold)],
        )
        incidents = {row.incident_id: row.incident_title for row in self.rows}
        _refill(
            self.incident_filter,
            [(f"#{iid} {title}", iid) for iid, title in sorted(incidents.items())],
        )
        for i in range(1, self.incident_filter.count()):
            self.incident_filter.setItemData(
                i, tooltip(self.incident_filter.itemText(i)), Qt.ItemDataRole.ToolTipRole
            )
        self._set_filter_from_controls()

    def _update_tiles(self) -> None:
        today = self.today()
        counts = tile_counts(self.rows, today)
        late = verification_overdue_count(self.rows, today)
        details = {
            Tile.OPEN: f"of {len(self.rows)} actions",
            Tile.OVERDUE: "past due, not implemented",
            Tile.DUE_SOON: f"by {(today + timedelta(days=7)).isoformat()}",
            Tile.AWAITING_VERIFICATION: f"{late} past the check date" if late else "none late",
            Tile.NOT_EFFECTIVE: "back in work",
        }
        for tile, button in self.tiles.items():
            button.set_count(counts[tile], details[tile])
        self.clients_tile.set_count(
            len(self.clients.clients),
            f"of {self.clients.followed} client{'s' if self.clients.followed != 1 else ''} "
            "followed up",
        )

    def _update_pareto(self) -> None:
        days = self.pareto_period.currentData()
        since = self.today() - timedelta(days=days) if days is not None else None
        bars = self._all_bars if since is None else pareto(self.root_causes, since=since)
        self.pareto.set_bars(bars)
        total = sum(bar.count for bar in bars)
        incidents = len(
            {
                r.incident_id
                for r in self.root_causes
                if since is None or (r.occurred_at is not None and r.occurred_at.date() >= since)
            }
        )
        self.pareto_caption.setText(
            f"{total} root cause{'s' if total != 1 else ''} in {incidents} "
            f"incident{'s' if incidents != 1 else ''}; darker bars make up the first 80%."
        )

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(
            f"Showing all {total:,} actions"
            if shown == total
            else f"Showing {shown:,} of {total:,} actions"
        )

    # ------------------------------------------------------------ filters
    def current_filter(self) -> ActionFilter:
        return self.proxy.filter

    def _set_filter_from_controls(self) -> None:
        tile = next((t for t, b in self.tiles.items() if b.isChecked()), None)
        # Combo data are plain strings: Qt turns a str-based enum into a QString.
        status = self.status_filter.currentData()
        strength = self.strength_filter.currentData()
        flt = ActionFilter(
            owner=self.owner_filter.currentData(),
            status=ActionStatus(status) if status else None,
            category=self.category_filter.currentData(),
            incident_id=self.incident_filter.currentData(),
            strength=Strength(strength) if strength else None,
            text=self.search.text(),
            tile=tile,
            incidents=frozenset(c.incident_id for c in self.clients.clients)
            if self.clients_tile.isChecked()
            else None,
        )
        # New rows (a refresh) were filtered by the model reset already.
        if flt != self.proxy.filter:
            self.proxy.set_filter(flt)

    def _apply_filter(self) -> None:
        self._set_filter_from_controls()
        self._update_count()

    def _tile_clicked(self, tile: Tile) -> None:
        checked = self.tiles[tile].isChecked()
        for other, button in self.tiles.items():
            if other is not tile:
                button.setChecked(False)
        self.tiles[tile].setChecked(checked)
        self._apply_filter()

    def _clients_clicked(self) -> None:
        if self.clients_tile.isChecked():
            self.clients_pane.setCurrentWidget(self.clients)
        self._apply_filter()

    def set_tile(self, tile: Tile | None) -> None:
        for other, button in self.tiles.items():
            button.setChecked(other is tile)
        self._apply_filter()

    def filter_category(self, category: str) -> None:
        index = self.category_filter.findText(category, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.category_filter.setCurrentIndex(index)

    def clear_filters(self) -> None:
        for combo in self.filters:
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for button in self.tiles.values():
            button.setChecked(False)
        self.clients_tile.setChecked(False)
        self._apply_filter()

    # -------------------------------------------------------------- rows
    def visible_rows(self) -> list[ActionLike]:
        return self.proxy.visible_rows()

    def current_row(self) -> ActionLike | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = index.data(ROW_ROLE)
        return row if row is not None else None

    def select_action(self, incident_id: int, uid: str) -> bool:
        source_row = self.model.table_row_of(incident_id, uid)
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _double_clicked(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None:
            self.openAction.emit(row.incident_id, row.action.uid)

    def _current_changed(self, *_args: object) -> None:
        row = self.current_row()
        self.similar.clear()
        if row is None:
            self.similar_heading.setText("Select an action to see root causes like its own.")
            return
        hits: dict[tuple[int, str], SimilarRootCause] = {}
        try:
            for cause_id in row.action.root_causes:
                for hit in self.workspace.similar_root_causes(
                    row.incident_id, cause_id, limit=SIMILAR_LIMIT
                ):
                    key = (hit.incident_id, hit.cause_id)
                    if key not in hits or hits[key].score < hit.score:
                        hits[key] = hit
        except RcaError as error:
            self.similar_heading.setText(str(error))
            return
        best = sorted(hits.values(), key=lambda h: -h.score)[:SIMILAR_LIMIT]
        texts = "; ".join(row.root_cause_texts)
        if not best:
            self.similar_heading.setText(f"Nothing like “{texts}” in other incidents.")
            return
        self.similar_heading.setText(f"Like “{texts}”:")
        for hit in best:
            incident = f"#{hit.incident_id} {hit.incident_title}"
            item = QTreeWidgetItem([incident, hit.text, hit.category])
            for column in range(3):
                item.setToolTip(
                    column, tooltip(f"#{hit.incident_id} {hit.incident_title}\n{hit.text}")
                )
            self.similar.addTopLevelItem(item)

    # ------------------------------------------------------------- export
    def csv_text(self) -> str:
        """The rows shown, in the order shown; spreadsheet formulas neutralised."""
        today = self.today()
        rows = [
            [
                str(r.incident_id),
                r.incident_title,
                "; ".join(r.root_cause_texts),
                ", ".join(r.categories),
                r.action.title,
                r.action.owner,
                r.action.due.isoformat() if r.action.due else "",
                r.action.status.label,
                r.action.strength.label,
                r.action.metric,
                r.action.target,
                r.action.verify_on.isoformat() if r.action.verify_on else "",
                "yes" if r.action.is_overdue(today) else "no",
            ]
            for r in self.visible_rows()
        ]
        return to_csv(self.CSV_HEADER, rows)

    def export_csv(self, path: str | Path) -> int:
        """Write the shown rows to ``path`` whole or not at all; return how many rows."""
        atomic_write_bytes(path, self.csv_text().encode("utf-8"))
        return self.proxy.rowCount()

    def ask_save_path(self) -> Path | None:
        """Ask where to save (replaced in tests)."""
        name, _ = QFileDialog.getSaveFileName(
            self, "Export actions as CSV", "actions.csv", "CSV file (*.csv)"
        )
        return Path(name) if name else None

    def show_error(self, title: str, message: str) -> None:
        """Tell the person what went wrong (replaced in tests)."""

        warn(self, title, message)

    def export_dialog(self) -> None:
        path = self.ask_save_path()
        if path is None:
            return
        try:
            count = self.export_csv(path)
        except RcaError as error:
            self.show_error("Export failed", str(error))
            return
        self.count_label.setText(f"Exported {count:,} actions to {path.name}")
