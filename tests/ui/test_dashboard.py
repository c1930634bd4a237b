"""The review dashboard over a workspace: tiles, filters, table, Pareto, similar, CSV.

Every expectation is what a person reads off the screen for the ``review_workspace``
fixture (tests/ui/conftest.py), whose docstring lists each action with its date and
status, so the counts can be checked by hand.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush

from rca_desk.model import PreventiveAction
from rca_desk.model.review import Tile
from rca_desk.store import Workspace
from rca_desk.ui.review.action_table import ActionTableModel
from rca_desk.ui.review.dashboard import Dashboard
from tests.conftest import TODAY
from tests.ui.conftest import HOSTILE_TITLE

# The nine actions of the fixture, by title (load order: incident, then position).
A1 = "Add a dry run to the release"
A2 = "Automate the rollback"
A3 = "Review the release checklist"
B1 = "Refresh staging weekly"
B2 = "Write the cut-off into the SOP"
B3 = "Train the on-call team"
C1 = "Lock the address list"
C2 = HOSTILE_TITLE
C3 = "Mail-merge training"
ALL = [A1, A2, A3, B1, B2, B3, C1, C2, C3]

CSV_HEADER_LINE = (
    "Incident,Incident title,Root causes,Categories,Action,Owner,Due,Status,Strength,"
    "Metric,Target,Verify on,Overdue"
)


@pytest.fixture
def dashboard(qtbot, review_workspace: Workspace) -> Dashboard:
    widget = Dashboard(review_workspace, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def titles(dashboard: Dashboard) -> list[str]:
    """The Action column, top to bottom, as the table shows it."""
    proxy = dashboard.proxy
    column = [c.key for c in dashboard.model.columns].index("action")
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def cell(dashboard: Dashboard, title: str, key: str, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    proxy = dashboard.proxy
    row = titles(dashboard).index(title)
    column = [c.key for c in dashboard.model.columns].index(key)
    return proxy.index(row, column).data(role)


def uid_of(dashboard: Dashboard, title: str) -> str:
    return next(r.action.uid for r in dashboard.rows if r.action.title == title)


# ------------------------------------------------------------------ model
def test_model_and_proxy_pass_the_model_tester(qtmodeltester, dashboard: Dashboard) -> None:
    qtmodeltester.check(dashboard.model)
    qtmodeltester.check(dashboard.proxy)
    dashboard.set_tile(Tile.OVERDUE)
    dashboard.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(dashboard.proxy)


def test_the_model_tester_on_an_empty_and_a_refilled_model(
    qtmodeltester, review_workspace: Workspace
) -> None:
    model = ActionTableModel(today=lambda: TODAY)
    qtmodeltester.check(model)
    model.set_rows(review_workspace.action_rows())
    model.sort(3, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    assert model.rowCount() == 9
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Incident"


def test_the_table_shows_every_action_in_the_review_columns(dashboard: Dashboard) -> None:
    headers = [
        dashboard.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(dashboard.model.columnCount())
    ]
    assert headers == [
        "Incident",
        "Root cause",
        "Category",
        "Action",
        "Owner",
        "Due",
        "Status",
        "Strength",
        "Verify on",
    ]
    assert titles(dashboard) == ALL
    assert dashboard.count_label.text() == "Showing all 9 actions"
    proxy = dashboard.proxy
    assert [proxy.index(1, c).data() for c in range(9)] == [
        "#1 Invoice run doubled",
        "Release script has no rollback",
        "Technology",
        "Automate the rollback",
        "Bob",
        "2026-11-26",
        "in progress",
        "strong",
        "2026-12-26",
    ]


# ------------------------------------------------------------------ tiles
def test_tiles_show_the_counts(dashboard: Dashboard) -> None:
    shown = {tile: (b.count, b.text(), b.detail) for tile, b in dashboard.tiles.items()}
    assert shown == {
        Tile.OPEN: (7, "7 Open", "of 9 actions"),
        Tile.OVERDUE: (2, "2 Overdue", "past due, not implemented"),
        Tile.DUE_SOON: (3, "3 Due within 7 days", "by 2026-11-30"),
        Tile.AWAITING_VERIFICATION: (1, "1 Awaiting verification", "1 past the check date"),
        Tile.NOT_EFFECTIVE: (1, "1 Not effective", "back in work"),
    }


@pytest.mark.parametrize(
    ("tile", "expected"),
    [
        (Tile.OPEN, [A1, A2, A3, B1, B2, B3, C3]),
        (Tile.OVERDUE, [A1, B2]),
        (Tile.DUE_SOON, [A2, A3, C3]),
        (Tile.AWAITING_VERIFICATION, [B1]),
        (Tile.NOT_EFFECTIVE, [B2]),
    ],
)
def test_clicking_a_tile_filters_the_table(
    qtbot, dashboard: Dashboard, tile: Tile, expected: list[str]
) -> None:
    qtbot.mouseClick(dashboard.tiles[tile], Qt.MouseButton.LeftButton)
    assert dashboard.tiles[tile].isChecked()
    assert titles(dashboard) == expected
    assert dashboard.count_label.text() == f"Showing {len(expected)} of 9 actions"
    # a second click clears the filter
    qtbot.mouseClick(dashboard.tiles[tile], Qt.MouseButton.LeftButton)
    assert not dashboard.tiles[tile].isChecked()
    assert titles(dashboard) == ALL


def test_tiles_are_exclusive(qtbot, dashboard: Dashboard) -> None:
    qtbot.mouseClick(dashboard.tiles[Tile.OVERDUE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dashboard.tiles[Tile.AWAITING_VERIFICATION], Qt.MouseButton.LeftButton)
    assert not dashboard.tiles[Tile.OVERDUE].isChecked()
    assert titles(dashboard) == [B1]
    assert dashboard.current_filter().tile is Tile.AWAITING_VERIFICATION


# ---------------------------------------------------------------- filters
def test_the_filters_offer_what_exists(dashboard: Dashboard) -> None:
    def items(combo) -> list[str]:  # type: ignore[no-untyped-def]
        return [combo.itemText(i) for i in range(combo.count())]

    owners = ["All owners", "+1 555 0100", "Ann", "Bob", "Dee", "Eve"]
    assert items(dashboard.owner_filter) == owners
    assert items(dashboard.category_filter) == [
        "All categories",
        "QC checkpoints",
        "SOPs",
        "Technology",
        "Training",
    ]
    assert items(dashboard.incident_filter) == [
        "All incidents",
        "#1 Invoice run doubled",
        "#2 Payroll file late",
        "#3 Report mailed to the wrong client",
    ]


@pytest.mark.parametrize(
    ("combo", "choice", "expected"),
    [
        ("owner_filter", "Ann", [A1, B2]),
        ("status_filter", "in progress", [A2]),
        ("category_filter", "QC checkpoints", [A3, C2]),
        ("incident_filter", "#2 Payroll file late", [B1, B2, B3]),
        ("strength_filter", "weak", [A3, B2, B3, C3]),
    ],
)
def test_each_filter_control(
    dashboard: Dashboard, combo: str, choice: str, expected: list[str]
) -> None:
    box = getattr(dashboard, combo)
    box.setCurrentIndex(box.findText(choice))
    assert titles(dashboard) == expected
    assert dashboard.count_label.text() == f"Showing {len(expected)} of 9 actions"
    dashboard.clear_filters()
    assert titles(dashboard) == ALL
    assert dashboard.count_label.text() == "Showing all 9 actions"
    assert dashboard.current_filter().is_empty


def test_typing_a_search_filters_as_you_type(qtbot, dashboard: Dashboard) -> None:
    qtbot.keyClicks(dashboard.search, "staging")
    assert titles(dashboard) == [B1]
    assert dashboard.count_label.text() == "Showing 1 of 9 actions"
    dashboard.search.clear()
    qtbot.keyClicks(dashboard.search, "cut-off ann")  # every word, anywhere in the row
    assert titles(dashboard) == [B2]


def test_filters_combine(dashboard: Dashboard) -> None:
    dashboard.set_tile(Tile.OVERDUE)
    dashboard.search.setText("payroll")
    assert titles(dashboard) == [B2]


def test_overdue_rows_stand_out(dashboard: Dashboard) -> None:
    background = Qt.ItemDataRole.BackgroundRole
    red = [t for t in ALL if isinstance(cell(dashboard, t, "action", background), QBrush)]
    assert red == [A1, B2]
    bold = [t for t in ALL if cell(dashboard, t, "due", Qt.ItemDataRole.FontRole) is not None]
    assert bold == [A1, B2]
    tips = {t: cell(dashboard, t, "due", Qt.ItemDataRole.ToolTipRole) for t in (A1, B2, A3, C3)}
    assert "Overdue by 5 days (committed)" in tips[A1]
    assert "Overdue by 10 days (not effective)" in tips[B2]
    assert "Due today" in tips[A3]
    assert "Due in 7 days" in tips[C3]
    # b1's check date (2026-11-22) has passed: the Verify on cell is bold
    late_check = [
        t for t in ALL if cell(dashboard, t, "verify_on", Qt.ItemDataRole.FontRole) is not None
    ]
    assert late_check == [B1]


# ------------------------------------------------------------------- sort
SORTED = {
    "due": (
        [C1, B1, B2, A1, A3, A2, C3, B3, C2],  # no due date last
        [B3, C3, A2, A3, A1, B2, B1, C1, C2],  # ... whichever way round
    ),
    "owner": (
        [C2, A1, B2, A2, B1, B3, C3, C1, A3],  # "+1 555 0100" before letters, blank last
        [C1, B3, C3, A2, B1, A1, B2, C2, A3],  # blank last this way round too
    ),
    "status": (
        [A3, A1, B3, C3, A2, B1, C1, B2, C2],  # the lifecycle's order
        [C2, B2, C1, B1, A2, A1, B3, C3, A3],
    ),
    "strength": (
        [A1, A2, C1, B1, C2, A3, B2, B3, C3],  # strong, intermediate, weak
        [A3, B2, B3, C3, B1, C2, A1, A2, C1],
    ),
    "incident": (
        [A1, A2, A3, B1, B2, B3, C1, C2, C3],
        [C1, C2, C3, B1, B2, B3, A1, A2, A3],
    ),
    "action": (
        [C2, A1, A2, C1, C3, B1, A3, B3, B2],
        [B2, B3, A3, B1, C3, C1, A2, A1, C2],
    ),
}


@pytest.mark.parametrize("key", list(SORTED))
def test_header_click_sorts_by_the_column(qtbot, dashboard: Dashboard, key: str) -> None:
    ascending, descending = SORTED[key]
    column = [c.key for c in dashboard.model.columns].index(key)
    header = dashboard.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft()
        + QPointF(header.sectionViewportPosition(column) + 5, 5).toPoint(),
    )
    first = header.sortIndicatorOrder()
    assert titles(dashboard) == (ascending if first == Qt.SortOrder.AscendingOrder else descending)
    dashboard.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert titles(dashboard) == descending
    # sorting keeps the filter and the selection
    dashboard.set_tile(Tile.OPEN)
    dashboard.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert dashboard.select_action(2, uid_of(dashboard, B1))
    assert dashboard.current_row().action.title == B1  # type: ignore[union-attr]
    dashboard.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    open_titles = {A1, A2, A3, B1, B2, B3, C3}
    assert titles(dashboard) == [t for t in descending if t in open_titles]
    assert dashboard.current_row().action.title == B1  # type: ignore[union-attr]


# ------------------------------------------------------------- open, similar
def test_double_click_asks_to_open_the_action(qtbot, dashboard: Dashboard) -> None:
    view = dashboard.table
    rect = view.visualRect(dashboard.proxy.index(4, 3))  # the fifth row: b2, of incident #2
    uid = uid_of(dashboard, B2)
    with qtbot.waitSignal(dashboard.openAction) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dashboard.current_row().action.title == B2  # type: ignore[union-attr]
    assert opened.args == [2, uid]


def similar_rows(dashboard: Dashboard) -> list[list[str]]:
    tree = dashboard.similar
    return [
        [tree.topLevelItem(i).text(c) for c in range(3)] for i in range(tree.topLevelItemCount())
    ]


def test_similar_root_causes_of_the_selected_row(qtbot, dashboard: Dashboard) -> None:
    assert dashboard.similar_heading.text() == "Select an action to see root causes like its own."
    view = dashboard.table
    rect = view.visualRect(dashboard.proxy.index(3, 3))  # b1: Refresh staging weekly
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dashboard.similar_heading.text() == "Like “Staging data is never refreshed”:"
    assert similar_rows(dashboard) == [
        [
            "#3 Report mailed to the wrong client",
            "Address data is never refreshed from the contract",
            "Technology",
        ]
    ]
    rect = view.visualRect(dashboard.proxy.index(0, 3))  # a1: nothing like it elsewhere
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dashboard.similar_heading.text() == (
        "Nothing like “No dry run before a release” in other incidents."
    )
    assert similar_rows(dashboard) == []


# ------------------------------------------------------------------ pareto
def bars(dashboard: Dashboard) -> list[tuple[str, int, str]]:
    return [(b.category, b.count, f"{b.cumulative:.0%}") for b in dashboard.pareto.bars]


def test_pareto_chart_and_its_period(dashboard: Dashboard) -> None:
    assert bars(dashboard) == [
        ("Technology", 4, "40%"),
        ("QC checkpoints", 3, "70%"),
        ("SOPs", 2, "90%"),
        ("Training", 1, "100%"),
    ]
    assert dashboard.pareto_caption.text() == (
        "10 root causes in 3 incidents; darker bars make up the first 80%."
    )
    assert dashboard.pareto_period.currentText() == "All time"
    # incident #3 occurred 400 days ago: outside the last 12 months
    dashboard.pareto_period.setCurrentIndex(dashboard.pareto_period.findText("Last 12 months"))
    assert bars(dashboard) == [
        ("Technology", 3, "60%"),
        ("QC checkpoints", 1, "80%"),
        ("SOPs", 1, "100%"),
    ]
    assert dashboard.pareto_caption.text().startswith("5 root causes in 2 incidents;")
    # incident #2 occurred 100 days ago
    dashboard.pareto_period.setCurrentIndex(dashboard.pareto_period.findText("Last 90 days"))
    assert bars(dashboard) == [("Technology", 2, "67%"), ("QC checkpoints", 1, "100%")]
    assert dashboard.pareto_caption.text().startswith("3 root causes in 1 incident;")


def test_clicking_a_bar_filters_by_its_category(qtbot, dashboard: Dashboard) -> None:
    chart = dashboard.pareto
    chart.repaint()
    center = chart._bar_rects[1].center().toPoint()  # QC checkpoints, the second bar
    with qtbot.waitSignal(chart.categoryClicked) as clicked:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=center)
    assert clicked.args == ["QC checkpoints"]
    assert dashboard.category_filter.currentText() == "QC checkpoints"
    assert titles(dashboard) == [A3, C2]


# ---------------------------------------------------------------- export
def read_csv(path: Path) -> tuple[str, list[list[str]]]:
    text = path.read_text("utf-8")
    return text.split("\n", 1)[0], list(csv.reader(io.StringIO(text)))[1:]


def test_csv_export_of_the_filtered_rows_is_neutralised(
    dashboard: Dashboard, tmp_path: Path
) -> None:
    dashboard.incident_filter.setCurrentIndex(dashboard.incident_filter.findData(3))
    dashboard.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)  # by due date
    target = tmp_path / "actions.csv"
    dashboard.ask_save_path = lambda: target  # type: ignore[method-assign]
    dashboard.export_button.click()
    header, body = read_csv(target)
    assert header == CSV_HEADER_LINE
    title = "Report mailed to the wrong client"
    assert body == [
        [
            "3",
            title,
            "Address data is never refreshed from the contract",
            "Technology",
            "Lock the address list",
            "Eve",
            "2026-05-07",
            "verified effective",
            "strong",
            "errors per run",
            "0",
            "2026-06-06",
            "no",
        ],
        [
            "3",
            title,
            "Nobody was trained on the mail merge",
            "Training",
            "Mail-merge training",
            "Dee",
            "2026-11-30",
            "committed",
            "weak",
            "'\tcells",
            "'@ops",
            "2027-01-22",
            "no",
        ],
        [
            "3",
            title,
            "No sample check before sending",
            "QC checkpoints",
            "'" + HOSTILE_TITLE,
            "'+1 555 0100",
            "",
            "cancelled",
            "intermediate",
            "'-5 errors",
            "0",
            "",
            "no",
        ],
    ]
    assert dashboard.count_label.text() == "Exported 3 actions to actions.csv"


def test_csv_export_of_the_overdue_tile(dashboard: Dashboard, tmp_path: Path) -> None:
    dashboard.set_tile(Tile.OVERDUE)
    target = tmp_path / "overdue.csv"
    dashboard.ask_save_path = lambda: target  # type: ignore[method-assign]
    dashboard.export_dialog()
    header, body = read_csv(target)
    assert header == CSV_HEADER_LINE
    assert [(r[0], r[4], r[5], r[6], r[12]) for r in body] == [
        ("1", A1, "Ann", "2026-11-18", "yes"),
        ("2", B2, "Ann", "2026-11-13", "yes"),
    ]


def test_a_failed_export_leaves_the_old_file(dashboard: Dashboard, tmp_path: Path) -> None:
    errors: list[tuple[str, str]] = []
    dashboard.show_error = lambda t, m: errors.append((t, m))  # type: ignore[method-assign]
    dashboard.ask_save_path = lambda: tmp_path / "missing" / "x.csv"  # type: ignore[method-assign]
    dashboard.export_dialog()
    assert errors and errors[0][0] == "Export failed" and "cannot be written" in errors[0][1]
    assert not (tmp_path / "missing").exists()
    assert dashboard.count_label.text() == "Showing all 9 actions"


# ---------------------------------------------------------------- refresh
def test_refresh_sees_another_connections_change_and_keeps_filters(
    dashboard: Dashboard, review_workspace: Workspace
) -> None:
    dashboard.set_tile(Tile.OVERDUE)
    with Workspace.open(review_workspace.path, create=False) as other:
        incident = other.load(2)
        root = incident.graph.root_causes()[0]
        incident.add_action(
            PreventiveAction.propose(
                at=datetime(2026, 11, 1, 9, 0),
                title="Late one from another window",
                root_causes=[root],
                due=date(2026, 11, 13),
            )
        )
        other.save_action(incident, incident.actions[-1])
    dashboard.refresh()
    assert dashboard.tiles[Tile.OVERDUE].isChecked()
    assert titles(dashboard) == [A1, B2, "Late one from another window"]
    assert dashboard.tiles[Tile.OVERDUE].count == 3
    assert dashboard.tiles[Tile.OPEN].count == 8
    assert dashboard.count_label.text() == "Showing 3 of 10 actions"


def test_an_empty_workspace_shows_empty_tiles_and_chart(qtbot, workspace: Workspace) -> None:
    widget = Dashboard(workspace, today=lambda: TODAY)
    qtbot.addWidget(widget)
    assert [button.count for button in widget.tiles.values()] == [0, 0, 0, 0, 0]
    assert widget.pareto.bars == []
    assert widget.pareto_caption.text().startswith("0 root causes in 0 incidents;")
    assert widget.proxy.rowCount() == 0
    assert widget.count_label.text() == "Showing all 0 actions"
    assert widget.csv_text() == CSV_HEADER_LINE + "\n"
    widget.set_tile(Tile.OVERDUE)  # filtering nothing is fine
    assert widget.visible_rows() == []


def test_the_incident_filter_shows_titles_as_plain_text_in_its_tool_tips(
    qtbot, review_workspace: Workspace
) -> None:
    incident = review_workspace.load(review_workspace.incidents()[0].id)
    incident.update_fields(title='<img src="x"> <b>Invoice</b> run doubled')
    review_workspace.save_incident_fields(incident, ["title"])
    widget = Dashboard(review_workspace, today=lambda: TODAY)
    qtbot.addWidget(widget)
    combo = widget.incident_filter
    index = combo.findData(incident.id)
    assert combo.itemText(index) == f'#{incident.id} <img src="x"> <b>Invoice</b> run doubled'
    tip = combo.itemData(index, Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img src=&quot;x&quot;&gt; &lt;b&gt;Invoice&lt;/b&gt;" in tip
    assert "<b>Invoice" not in tip
