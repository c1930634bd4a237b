"""The review's "Clients at risk" (issue 16): the tile's count and the list as literals
from a fixture written for them, the tile as a filter that combines with the action
tiles, the selected client's chart, and Enter opening the incident's Recovery tab."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from rca_desk.model import CheckIn, Incident
from rca_desk.model.recovery import (
    Apology,
    Confidence,
    MeasureValue,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
)
from rca_desk.model.review import Tile
from rca_desk.store import Workspace
from rca_desk.ui.review.dashboard import Dashboard
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY
from tests.ui.conftest import fill_review_workspace, shown_window
from tests.ui.test_dashboard import titles

ON_TIME = TrustMeasure("m1", "Invoices on time", "%", 99)


def _recover(workspace: Workspace, incident_id: int, **records: list[object]) -> None:
    """Give a stored incident its recovery, record by record, as the app writes it."""
    incident = workspace.load(incident_id)
    affected = records.pop("affected", None)
    if affected:
        incident.update_fields(affected=affected[0])
        workspace.save_incident_fields(incident, ["affected"])
    apology = records.pop("apology", None)
    if apology:
        incident.update_fields(apology=apology[0])
        workspace.save_incident_fields(incident, ["apology"])
    for kind, listed in records.items():
        for record in listed:
            incident.put_record(kind, record)  # type: ignore[arg-type]
            workspace.save_record(incident, kind, record.id)  # type: ignore[attr-defined]


@pytest.fixture
def clients_workspace(workspace: Workspace) -> Workspace:
    return add_clients(workspace)


def add_clients(workspace: Workspace) -> Workspace:
    """The review fixture (tests/ui/conftest.py), reviewed on 2026-11-23, with:

    #1 "Invoice run doubled": apologised; check-in planned 2026-11-10, not held, so
       missed. At risk: 1 reason.
    #2 "Payroll file late" (Contoso payroll): a credit offered 2026-11-01, not yet
       accepted; invoices on
       time 99.5 then 99.6 (met), confidence 4 then 2. At risk: 2 reasons.
    #3 "Report mailed to the wrong client": invoices on time 99.2 and 99.8 at both
       check-ins held, confidence 3 then 4, a credit delivered. Restored, not at risk.
    """
    fill_review_workspace(workspace)
    one, two, three = (summary.id for summary in workspace.incidents())
    _recover(
        workspace,
        one,
        apology=[Apology(date(2026, 11, 4), "Ann", "Contoso's CFO")],
        check_ins=[CheckIn("k1", date(2026, 11, 10))],
    )
    _recover(
        workspace,
        two,
        affected=["Contoso payroll\nEU region, monthly run"],
        check_ins=[
            CheckIn("k1", date(2026, 11, 2), held=date(2026, 11, 2)),
            CheckIn("k2", date(2026, 11, 16), held=date(2026, 11, 16)),
        ],
        restitution=[
            Restitution(
                "r1", RestitutionKind.CREDIT, date(2026, 11, 1), amount=Decimal(800),
                currency="EUR",
            )
        ],
        measures=[ON_TIME],
        measure_values=[MeasureValue("k1", "m1", 99.5), MeasureValue("k2", "m1", 99.6)],
        confidence=[Confidence("k1", 4), Confidence("k2", 2, "Late again")],
    )  # fmt: skip
    _recover(
        workspace,
        three,
        check_ins=[
            CheckIn("k1", date(2026, 11, 2), held=date(2026, 11, 2)),
            CheckIn("k2", date(2026, 11, 16), held=date(2026, 11, 17)),
        ],
        restitution=[
            Restitution("r1", RestitutionKind.FREE_SERVICE, date(2026, 10, 20),
                        OfferStatus.DELIVERED)
        ],
        measures=[ON_TIME],
        measure_values=[MeasureValue("k1", "m1", 99.2), MeasureValue("k2", "m1", 99.8)],
        confidence=[Confidence("k1", 3), Confidence("k2", 4)],
    )  # fmt: skip
    return workspace


@pytest.fixture
def dashboard(qtbot, clients_workspace: Workspace) -> Dashboard:
    widget = Dashboard(clients_workspace, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_tile_counts_the_clients_at_risk_and_the_list_says_why(dashboard: Dashboard) -> None:
    tile = dashboard.clients_tile
    assert (tile.count, tile.detail) == (2, "of 3 clients followed up")
    assert tile.text() == "2 Clients at risk"
    assert dashboard.clients_pane.tabText(1) == "Clients at risk (2)"
    assert dashboard.clients.rows_shown() == [
        (
            "Contoso payroll",  # the first line of what was affected
            "#2 Payroll file late",
            "confidence fell from 4 to 2 of 5; 1 restitution offer not delivered "
            "(offered 2026-11-01)",
        ),
        ("", "#1 Invoice run doubled", "1 check-in missed (since 2026-11-10)"),
    ]


def test_the_tile_filters_the_actions_and_combines_with_another_tile(
    qtbot, dashboard: Dashboard
) -> None:
    assert len(titles(dashboard)) == 9
    qtbot.mouseClick(dashboard.clients_tile, Qt.MouseButton.LeftButton)
    assert dashboard.clients_pane.currentWidget() is dashboard.clients
    assert sorted(titles(dashboard)) == sorted(
        [
            "Add a dry run to the release",
            "Automate the rollback",
            "Review the release checklist",
            "Refresh staging weekly",
            "Write the cut-off into the SOP",
            "Train the on-call team",
        ]
    )
    qtbot.mouseClick(dashboard.tiles[Tile.OVERDUE], Qt.MouseButton.LeftButton)
    assert sorted(titles(dashboard)) == [
        "Add a dry run to the release",
        "Write the cut-off into the SOP",
    ]
    qtbot.mouseClick(dashboard.clients_tile, Qt.MouseButton.LeftButton)  # again: off
    assert len(titles(dashboard)) == 2  # the overdue tile stays
    dashboard.clear_filters()
    assert len(titles(dashboard)) == 9 and not dashboard.clients_tile.isChecked()


def test_the_selected_clients_chart_shows_their_series(dashboard: Dashboard) -> None:
    chart = dashboard.clients.chart
    assert dashboard.clients.current_incident() == 2
    assert chart.title == "Contoso payroll: measures and confidence"
    assert [s.name for s in chart.series] == ["Invoices on time", "Client confidence"]
    dashboard.clients.list.setCurrentItem(dashboard.clients.list.topLevelItem(1))
    assert dashboard.clients.current_incident() == 1
    assert chart.series == []  # no measure, no rating: the chart says so


def test_a_change_elsewhere_is_seen_at_the_next_refresh(
    dashboard: Dashboard, clients_workspace: Workspace
) -> None:
    one = clients_workspace.incidents()[0].id
    incident = clients_workspace.load(one)
    incident.put_record("check_ins", replace(incident.check_ins[0], held=date(2026, 11, 12)))
    clients_workspace.save_record(incident, "check_ins", "k1")
    dashboard.refresh()
    assert dashboard.clients_tile.count == 1
    assert [row[1] for row in dashboard.clients.rows_shown()] == ["#2 Payroll file late"]


def test_enter_on_a_client_opens_the_incidents_recovery_tab(
    qtbot, clients_workspace: Workspace
) -> None:
    window: MainWindow = shown_window(qtbot, clients_workspace, (1400, 900))
    window.show_review()
    clients = window.dashboard.clients
    window.dashboard.clients_pane.setCurrentWidget(clients)
    clients.list.setFocus()
    qtbot.keyClick(clients.list, Qt.Key.Key_Return)
    tab = window.open_views[2]
    assert window.tabs.currentWidget() is tab
    assert tab.views.currentWidget() is tab.recovery
    assert tab.recovery.state.text().startswith("At risk:")
    assert isinstance(tab.document.incident, Incident)
