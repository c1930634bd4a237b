"""The review dashboard over a workspace: tiles, filters, table, Pareto, similar, CSV."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush

from rca_desk.model import HEAD, ActionStatus, CauseGraph, Incident, PreventiveAction, Strength
from rca_desk.model.review import ActionFilter, Tile, filter_rows, pareto, tile_counts
from rca_desk.store import Workspace
from rca_desk.store.search import root_cause_records
from rca_desk.ui.review.action_table import COLUMNS, ROW_ROLE, ActionTableModel
from rca_desk.ui.review.dashboard import Dashboard
from tests.conftest import TODAY

S = ActionStatus
DAY = timedelta(days=1)
HOSTILE_TITLE = '=HYPERLINK("http://evil.example","click")'


def second_incident() -> Incident:
    """Another incident with the same staging weakness, spreadsheet-hostile text and a
    date a year back (for the Pareto window)."""
    graph = CauseGraph(problem="Payroll file sent two days late")
    top = graph.add_cause(HEAD, text="Test data did not match production", category="Technology")
    staging = graph.add_cause(
        top,
        text="Staging data is never refreshed and nobody owns refreshing it",
        category="Technology",
        root_cause=True,
    )
    top2 = graph.add_cause(HEAD, text="Nobody checked totals", category="QC checkpoints")
    totals = graph.add_cause(
        top2,
        text="No reconciliation step before delivery",
        category="QC checkpoints",
        root_cause=True,
    )
    incident = Incident(
        title="Payroll file late",
        graph=graph,
        occurred_at=datetime.combine(TODAY - 400 * DAY, datetime.min.time()),
    )
    at = datetime(2026, 1, 1, 9, 0)
    rows = [
        (HOSTILE_TITLE, "+1 555 0100", "m", [staging], TODAY - 3 * DAY, [S.COMMITTED]),
        ("-Reconcile totals", "@ops", "m", [totals], TODAY + 2 * DAY, [S.COMMITTED, S.IN_PROGRESS]),
        ("Monthly totals check", "Ann", "\tcells", [totals], TODAY - 60 * DAY, [S.COMMITTED]),
    ]
    for title, owner, metric, roots, due, path in rows:
        action = PreventiveAction.propose(
            at=at,
            title=title,
            root_causes=roots,
            owner=owner,
            due=due,
            verify_on=due + 30 * DAY,
            metric=metric,
            target="t",
            strength=Strength.WEAK,
        )
        for step in path:
            action.change_status(step, at=at)
        incident.add_action(action)
    return incident


@pytest.fixture
def big(sample_workspace: Workspace) -> Workspace:
    sample_workspace.add_incident(second_incident())
    return sample_workspace


@pytest.fixture
def dashboard(qtbot, big: Workspace) -> Dashboard:
    widget = Dashboard(big, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def uids(rows: object) -> list[str]:
    return [r.action.uid for r in rows]  # type: ignore[attr-defined]


# ------------------------------------------------------------------ model
def test_model_and_proxy_pass_the_model_tester(qtmodeltester, dashboard: Dashboard) -> None:
    qtmodeltester.check(dashboard.model)
    qtmodeltester.check(dashboard.proxy)
    dashboard.set_tile(Tile.OVERDUE)
    dashboard.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(dashboard.proxy)


def test_the_model_tester_on_an_empty_and_a_refilled_model(qtmodeltester, big: Workspace) -> None:
    model = ActionTableModel(today=lambda: TODAY)
    qtmodeltester.check(model)
    model.set_rows(big.action_rows())
    model.sort(3, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    assert model.rowCount() == len(big.action_rows())
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Incident"


def test_the_table_has_the_review_columns(dashboard: Dashboard) -> None:
    headers = [
        dashboard.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(dashboard.model.columnCount())
    ]
    assert headers[:8] == [
        "Incident",
        "Root cause",
        "Category",
        "Action",
        "Owner",
        "Due",
        "Status",
        "Strength",
    ]
    assert dashboard.count_label.text() == f"Showing all {len(dashboard.rows)} actions"


# ------------------------------------------------------------------ tiles
def test_tiles_show_the_counts(dashboard: Dashboard) -> None:
    counts = tile_counts(dashboard.rows, TODAY)
    for tile, button in dashboard.tiles.items():
        assert button.count == counts[tile]
    assert counts[Tile.OVERDUE] >= 3  # the sample's two, and two of the second incident's


@pytest.mark.parametrize("tile", list(Tile))
def test_clicking_a_tile_filters_the_table(qtbot, dashboard: Dashboard, tile: Tile) -> None:
    expected = uids(filter_rows(dashboard.rows, ActionFilter(tile=tile), TODAY))
    qtbot.mouseClick(dashboard.tiles[tile], Qt.MouseButton.LeftButton)
    assert dashboard.tiles[tile].isChecked()
    assert sorted(uids(dashboard.visible_rows())) == sorted(expected)
    assert dashboard.proxy.rowCount() == dashboard.tiles[tile].count
    # a second click clears the filter
    qtbot.mouseClick(dashboard.tiles[tile], Qt.MouseButton.LeftButton)
    assert not dashboard.tiles[tile].isChecked()
    assert dashboard.proxy.rowCount() == len(dashboard.rows)


def test_tiles_are_exclusive(qtbot, dashboard: Dashboard) -> None:
    qtbot.mouseClick(dashboard.tiles[Tile.OVERDUE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dashboard.tiles[Tile.AWAITING_VERIFICATION], Qt.MouseButton.LeftButton)
    assert not dashboard.tiles[Tile.OVERDUE].isChecked()
    assert all(r.action.status == S.IMPLEMENTED for r in dashboard.visible_rows())
    assert dashboard.visible_rows()
    assert dashboard.current_filter().tile is Tile.AWAITING_VERIFICATION


# ---------------------------------------------------------------- filters
def test_each_filter_control(qtbot, dashboard: Dashboard) -> None:
    def choose(combo, text: str) -> None:  # type: ignore[no-untyped-def]
        index = combo.findText(text)
        assert index > 0, text
        combo.setCurrentIndex(index)

    second_id = max(r.incident_id for r in dashboard.rows)
    cases = [
        (lambda: choose(dashboard.owner_filter, "Ann"), ActionFilter(owner="Ann")),
        (
            lambda: choose(dashboard.status_filter, "in progress"),
            ActionFilter(status=S.IN_PROGRESS),
        ),
        (
            lambda: choose(dashboard.category_filter, "QC checkpoints"),
            ActionFilter(category="QC checkpoints"),
        ),
        (
            lambda: dashboard.incident_filter.setCurrentIndex(
                dashboard.incident_filter.findData(second_id)
            ),
            ActionFilter(incident_id=second_id),
        ),
        (lambda: choose(dashboard.strength_filter, "weak"), ActionFilter(strength=Strength.WEAK)),
        (lambda: qtbot.keyClicks(dashboard.search, "staging"), ActionFilter(text="staging")),
    ]
    for apply, flt in cases:
        dashboard.clear_filters()
        apply()
        expected = uids(filter_rows(dashboard.rows, flt, TODAY))
        assert expected, flt
        assert len(expected) < len(dashboard.rows), flt
        assert sorted(uids(dashboard.visible_rows())) == sorted(expected), flt
        assert dashboard.count_label.text() == (
            f"Showing {len(expected)} of {len(dashboard.rows)} actions"
        )
    dashboard.clear_filters()
    assert dashboard.proxy.rowCount() == len(dashboard.rows)
    assert dashboard.current_filter().is_empty


def test_filters_combine(dashboard: Dashboard) -> None:
    dashboard.set_tile(Tile.OVERDUE)
    dashboard.search.setText("payroll")
    titles = {r.incident_title for r in dashboard.visible_rows()}
    assert titles == {"Payroll file late"}
    assert all(r.action.is_overdue(TODAY) for r in dashboard.visible_rows())


def test_overdue_rows_stand_out(dashboard: Dashboard) -> None:
    proxy = dashboard.proxy
    due_column = [c.key for c in dashboard.model.columns].index("due")
    seen_overdue = seen_fine = False
    for row in range(proxy.rowCount()):
        action = proxy.index(row, 0).data(ROW_ROLE).action
        background = proxy.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
        font = proxy.index(row, due_column).data(Qt.ItemDataRole.FontRole)
        if action.is_overdue(TODAY):
            seen_overdue = True
            assert isinstance(background, QBrush)
            assert font is not None and font.bold()
            assert "Overdue by" in proxy.index(row, due_column).data(Qt.ItemDataRole.ToolTipRole)
        else:
            seen_fine = True
            assert background is None
    assert seen_overdue and seen_fine


# ------------------------------------------------------------------- sort
@pytest.mark.parametrize("key", ["due", "owner", "status", "strength", "incident", "action"])
def test_header_click_sorts_by_the_column_key(qtbot, dashboard: Dashboard, key: str) -> None:
    column = [c.key for c in dashboard.model.columns].index(key)
    sort_key = COLUMNS[key].sort_key
    header = dashboard.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft()
        + QPointF(header.sectionViewportPosition(column) + 5, 5).toPoint(),
    )
    keys = [sort_key(r) for r in dashboard.visible_rows()]
    order = header.sortIndicatorOrder()
    assert keys == sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)
    dashboard.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    keys = [sort_key(r) for r in dashboard.visible_rows()]
    assert keys == sorted(keys, reverse=True)
    # sorting keeps the filter and the selection
    dashboard.set_tile(Tile.OPEN)
    first = dashboard.visible_rows()[0]
    dashboard.select_action(first.incident_id, first.action.uid)
    dashboard.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert all(r.action.is_open for r in dashboard.visible_rows())
    assert dashboard.current_row() is first
    keys = [sort_key(r) for r in dashboard.visible_rows()]
    assert keys == sorted(keys)


# ------------------------------------------------------------- open, similar
def test_double_click_asks_to_open_the_action(qtbot, dashboard: Dashboard) -> None:
    view = dashboard.table
    rect = view.visualRect(dashboard.proxy.index(1, 3))
    row = dashboard.visible_rows()[1]
    with qtbot.waitSignal(dashboard.openAction) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [row.incident_id, row.action.uid]


def test_similar_root_causes_of_the_selected_row(dashboard: Dashboard) -> None:
    staging_row = next(
        r
        for r in dashboard.rows
        if any("staging" in t.casefold() for t in r.root_cause_texts)
        and r.incident_title != "Payroll file late"
    )
    assert dashboard.select_action(staging_row.incident_id, staging_row.action.uid)
    found = [
        dashboard.similar.topLevelItem(i).text(1)
        for i in range(dashboard.similar.topLevelItemCount())
    ]
    assert "Staging data is never refreshed and nobody owns refreshing it" in found
    incidents = [
        dashboard.similar.topLevelItem(i).text(0)
        for i in range(dashboard.similar.topLevelItemCount())
    ]
    assert all(not t.startswith(f"#{staging_row.incident_id} ") for t in incidents)


# ------------------------------------------------------------------ pareto
def test_pareto_chart_and_its_period(qtbot, dashboard: Dashboard) -> None:
    records = root_cause_records(dashboard.workspace)
    assert dashboard.pareto.bars == pareto(records)
    counts = {b.category: b.count for b in dashboard.pareto.bars}
    assert (counts["Technology"], counts["QC checkpoints"], counts["SOPs"]) == (2, 2, 2)
    # the second incident is 400 days old: outside the last 12 months
    dashboard.pareto_period.setCurrentIndex(1)
    counts = {b.category: b.count for b in dashboard.pareto.bars}
    assert (counts["Technology"], counts["QC checkpoints"], counts["SOPs"]) == (1, 1, 2)
    assert dashboard.pareto_caption.text().startswith("6 root causes in 1 incident;")


def test_clicking_a_bar_filters_by_its_category(qtbot, dashboard: Dashboard) -> None:
    chart = dashboard.pareto
    chart.repaint()
    index = [b.category for b in chart.bars].index("QC checkpoints")
    center = chart._bar_rects[index].center().toPoint()
    with qtbot.waitSignal(chart.categoryClicked) as clicked:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=center)
    assert clicked.args == ["QC checkpoints"]
    assert dashboard.current_filter().category == "QC checkpoints"
    assert dashboard.visible_rows()
    assert all("QC checkpoints" in r.categories for r in dashboard.visible_rows())


# ---------------------------------------------------------------- export
def test_csv_export_of_the_filtered_rows_is_neutralised(
    dashboard: Dashboard, tmp_path: Path
) -> None:
    dashboard.incident_filter.setCurrentIndex(
        dashboard.incident_filter.findData(max(r.incident_id for r in dashboard.rows))
    )
    dashboard.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # by due date
    target = tmp_path / "actions.csv"
    dashboard.ask_save_path = lambda: target  # type: ignore[method-assign]
    dashboard.export_button.click()
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8"))))
    assert rows[0] == list(Dashboard.CSV_HEADER)
    body = rows[1:]
    assert len(body) == 3  # the filter applies: only the second incident's actions
    by_title = {r[4]: r for r in body}
    assert "'" + HOSTILE_TITLE in by_title
    assert "'-Reconcile totals" in by_title
    assert by_title["Monthly totals check"][9] == "'\tcells"
    assert by_title["'" + HOSTILE_TITLE][5] == "'+1 555 0100"
    assert by_title["'-Reconcile totals"][5] == "'@ops"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for r in body for cell in r)
    # in the order shown: by due date
    assert [r[6] for r in body] == sorted(r[6] for r in body)
    assert by_title["Monthly totals check"][12] == "yes"
    assert "Exported 3 actions" in dashboard.count_label.text()


def test_a_failed_export_leaves_the_old_file(dashboard: Dashboard, tmp_path: Path) -> None:
    errors: list[tuple[str, str]] = []
    dashboard.show_error = lambda t, m: errors.append((t, m))  # type: ignore[method-assign]
    dashboard.ask_save_path = lambda: tmp_path / "missing" / "x.csv"  # type: ignore[method-assign]
    dashboard.export_dialog()
    assert errors and "cannot be written" in errors[0][1]
    assert not (tmp_path / "missing").exists()


# ---------------------------------------------------------------- refresh
def test_refresh_sees_another_connections_change_and_keeps_filters(
    dashboard: Dashboard, big: Workspace
) -> None:
    dashboard.set_tile(Tile.OVERDUE)
    before = dashboard.proxy.rowCount()
    with Workspace.open(big.path, create=False) as other:
        incident = other.load(max(r.incident_id for r in dashboard.rows))
        root = incident.graph.root_causes()[0]
        incident.add_action(
            PreventiveAction.propose(
                at=datetime(2026, 11, 1, 9, 0),
                title="Late one from another window",
                root_causes=[root],
                due=TODAY - 10 * DAY,
            )
        )
        other.save_action(incident, incident.actions[-1])
    dashboard.refresh()
    assert dashboard.tiles[Tile.OVERDUE].isChecked()
    assert dashboard.proxy.rowCount() == before + 1
    assert "Late one from another window" in [r.action.title for r in dashboard.visible_rows()]


def test_an_empty_workspace_shows_empty_tiles_and_chart(qtbot, workspace: Workspace) -> None:
    widget = Dashboard(workspace, today=lambda: TODAY)
    qtbot.addWidget(widget)
    assert all(button.count == 0 for button in widget.tiles.values())
    assert widget.pareto.bars == []
    assert widget.proxy.rowCount() == 0
    assert widget.csv_text() == ",".join(Dashboard.CSV_HEADER) + "\n"
    widget.set_tile(Tile.OVERDUE)  # filtering nothing is fine
    assert widget.visible_rows() == []
    widget.pareto.grab()  # the empty chart paints its message without rows
