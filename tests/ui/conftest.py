"""GUI fixtures: a main window over a temporary workspace, dialogs answered by the test."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Incident,
    PreventiveAction,
    Strength,
)
from rca_desk.store import Workspace, WorkspaceStore
from rca_desk.ui.document.incident_document import IncidentDocument
from rca_desk.ui.incident.incident_tab import IncidentTab
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Window geometry and last folders go to a throwaway place, not the user's config."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        str(tmp_path_factory.mktemp("settings")),
    )


class Dialogs:
    """Answers the window's dialog hooks and records the errors it would have shown."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        #: The details behind each error's Show Details button ("" for none).
        self.details: list[str] = []
        self.paths: list[Path | None] = []
        #: What the person types into Open Server Workspace (None: Cancel).
        self.addresses: list[str | None] = []
        self.confirm = True

    def _show_error(self, title: str, message: str, details: str = "") -> None:
        self.errors.append((title, message))
        self.details.append(details)

    def install(self, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(window, "show_error", self._show_error)
        monkeypatch.setattr(window, "ask_open_path", lambda *a: self.paths.pop(0))
        monkeypatch.setattr(window, "ask_save_path", lambda *a: self.paths.pop(0))
        monkeypatch.setattr(window, "ask_server_address", lambda *a: self.addresses.pop(0))
        monkeypatch.setattr(window, "confirm", lambda *a: self.confirm)


@pytest.fixture
def document(qapp: object, sample_workspace: Workspace) -> IncidentDocument:
    """The sample incident open for editing, as the app opens it."""
    incident_id = sample_workspace.incidents()[0].id
    return IncidentDocument(sample_workspace, sample_workspace.load(incident_id))


def stored(document: IncidentDocument) -> Incident:
    """The incident as a second connection to the file sees it.

    The connection is made directly, not through ``Workspace.open``: some tests plant a
    trigger that fails writes (a full disk), which opening would refuse as a file
    changed outside rca-desk.
    """
    with Workspace(document.workspace.path, sqlite3.connect(document.workspace.path)) as other:
        assert document.incident.id is not None
        return other.load(document.incident.id)


@pytest.fixture
def show_tab(qtbot: Any) -> Iterator[Callable[..., IncidentTab]]:
    """Opens an incident in a shown :class:`IncidentTab` of the given size, as a window
    holds it; the in-place editors are closed after the test."""
    shown: list[IncidentTab] = []

    def show(workspace: WorkspaceStore, incident: Incident, size: tuple[int, int]) -> IncidentTab:
        view = IncidentTab(IncidentDocument(workspace, incident), today=lambda: TODAY)
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        shown.append(view)
        return view

    yield show
    for view in shown:
        view.fishbone.close_editor()
        view.whys.close_editor()
        if view.presentation is not None:
            view.presentation.leave()


@pytest.fixture
def show_sample(
    show_tab: Callable[..., IncidentTab], sample_workspace: Workspace
) -> Callable[[int, int], IncidentTab]:
    """The sample incident in a shown tab of ``width`` x ``height``."""

    def show(width: int, height: int) -> IncidentTab:
        incident_id = sample_workspace.incidents()[0].id
        return show_tab(sample_workspace, sample_workspace.load(incident_id), (width, height))

    return show


def shown_window(
    qtbot: Any, workspace: WorkspaceStore, size: tuple[int, int], **options: Any
) -> MainWindow:
    """A main window on ``workspace``, shown at ``size`` (whoever calls closes what it
    opened on top: see :func:`leave_presenting`); ``options`` go to the window."""
    win = MainWindow(workspace, today=TODAY, **options)
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    return win


def leave_presenting(win: MainWindow) -> None:
    """After a test: every open incident's editors closed and presentation left."""
    for tab in win.open_views.values():
        tab.fishbone.close_editor()
        tab.whys.close_editor()
        if tab.presentation is not None:
            tab.presentation.leave()


@pytest.fixture
def dialogs() -> Dialogs:
    return Dialogs()


@pytest.fixture
def window(
    qtbot: object, workspace: Workspace, dialogs: Dialogs, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    win = MainWindow(workspace, today=TODAY)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    dialogs.install(win, monkeypatch)
    yield win


# ------------------------------------------------------------ review workspace
S = ActionStatus
HOSTILE_TITLE = '=HYPERLINK("http://evil.example","click")'


def _incident(
    title: str, occurred: date, roots: list[tuple[str, str]]
) -> tuple[Incident, dict[str, str]]:
    """An incident whose root causes hang straight off the problem; returns text -> id."""
    graph = CauseGraph(problem=f"Problem of {title}")
    ids = {
        text: graph.add_cause(HEAD, text=text, category=category, root_cause=True)
        for text, category in roots
    }
    when = datetime.combine(occurred, datetime.min.time())
    return Incident(title=title, graph=graph, occurred_at=when), ids


def _act(
    incident: Incident,
    root: str,
    title: str,
    *,
    owner: str,
    due: date | None,
    path: tuple[ActionStatus, ...],
    strength: Strength = Strength.INTERMEDIATE,
    metric: str = "errors per run",
    target: str = "0",
    verify_on: date | None = None,
) -> None:
    at = datetime(2026, 6, 1, 9, 0)
    action = PreventiveAction.propose(
        at=at,
        title=title,
        root_causes=[root],
        owner=owner,
        due=due,
        verify_on=verify_on,
        metric=metric,
        target=target,
        strength=strength,
    )
    notes = {
        ActionStatus.CANCELLED: "replaced by a stronger action",
        ActionStatus.VERIFIED_EFFECTIVE: "no wrong address since",
        ActionStatus.NOT_EFFECTIVE: "missed again in November",
    }
    for step in path:
        if step is ActionStatus.VERIFIED_EFFECTIVE:
            action.measured_result = "0 wrong addresses in 60 days"
        action.change_status(step, at=at, note=notes.get(step, ""), early="the audit came early")
    incident.add_action(action)


@pytest.fixture
def review_workspace(workspace: Workspace) -> Workspace:
    """:func:`fill_review_workspace` on the test's workspace file."""
    fill_review_workspace(workspace)
    return workspace


def fill_review_workspace(workspace: WorkspaceStore) -> WorkspaceStore:
    """Three incidents, ten root causes, nine actions, reviewed on TODAY (2026-11-23).

    #1 "Invoice run doubled", occurred 2026-11-03 (20 days ago)
        root causes: No dry run before a release (Technology), Release script has no
        rollback (Technology), Checklist skips the invoice totals (QC checkpoints)
        a1 Add a dry run to the release   Ann  due 2026-11-18  committed    OVERDUE
        a2 Automate the rollback          Bob  due 2026-11-26  in progress  due soon
        a3 Review the release checklist   -    due 2026-11-23  proposed     due soon (today)
    #2 "Payroll file late", occurred 2026-08-15 (100 days ago)
        root causes: Staging data is never refreshed (Technology), Cut-off time is not
        written down (SOPs)
        b1 Refresh staging weekly         Bob  due 2026-10-24  implemented, verify on
                                                               2026-11-22 (check is late)
        b2 Write the cut-off into the SOP Ann  due 2026-11-13  not effective  OVERDUE
        b3 Train the on-call team         Dee  due 2026-12-01  committed    (due in 8 days)
    #3 "Report mailed to the wrong client", occurred 2025-10-19 (400 days ago)
        root causes: Address data is never refreshed from the contract (Technology),
        Nobody compares the list with the contract (QC checkpoints), No sample check
        before sending (QC checkpoints), Mailing procedure has no owner (SOPs), Nobody was
        trained on the mail merge (Training)
        c1 Lock the address list          Eve  due 2026-05-07  verified effective
        c2 =HYPERLINK(...) (hostile)  +1 555 0100  no due date  cancelled
        c3 Mail-merge training            Dee  due 2026-11-30  committed    due soon (+7)

    Tiles: open 7 (all but c1, c2), overdue 2 (a1, b2), due within 7 days 3 (a2, a3, c3),
    awaiting verification 1 (b1, late), not effective 1 (b2).
    Pareto, all time: Technology 4, QC checkpoints 3, SOPs 2, Training 1 (cumulative 40%,
    70%, 90%, 100%); last 12 months (#1, #2): Technology 3, QC checkpoints 1, SOPs 1
    (60%, 80%, 100%); last 90 days (#1): Technology 2, QC checkpoints 1.
    """
    one, r1 = _incident(
        "Invoice run doubled",
        date(2026, 11, 3),
        [
            ("No dry run before a release", "Technology"),
            ("Release script has no rollback", "Technology"),
            ("Checklist skips the invoice totals", "QC checkpoints"),
        ],
    )
    _act(
        one,
        r1["No dry run before a release"],
        "Add a dry run to the release",
        owner="Ann",
        due=date(2026, 11, 18),
        verify_on=date(2026, 12, 18),
        path=(S.COMMITTED,),
        strength=Strength.STRONG,
    )
    _act(
        one,
        r1["Release script has no rollback"],
        "Automate the rollback",
        owner="Bob",
        due=date(2026, 11, 26),
        verify_on=date(2026, 12, 26),
        path=(S.COMMITTED, S.IN_PROGRESS),
        strength=Strength.STRONG,
    )
    _act(
        one,
        r1["Checklist skips the invoice totals"],
        "Review the release checklist",
        owner="",
        due=date(2026, 11, 23),
        path=(),
        strength=Strength.WEAK,
    )
    two, r2 = _incident(
        "Payroll file late",
        date(2026, 8, 15),
        [
            ("Staging data is never refreshed", "Technology"),
            ("Cut-off time is not written down", "SOPs"),
        ],
    )
    _act(
        two,
        r2["Staging data is never refreshed"],
        "Refresh staging weekly",
        owner="Bob",
        due=date(2026, 10, 24),
        verify_on=date(2026, 11, 22),
        path=(S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED),
    )
    _act(
        two,
        r2["Cut-off time is not written down"],
        "Write the cut-off into the SOP",
        owner="Ann",
        due=date(2026, 11, 13),
        verify_on=date(2026, 12, 13),
        path=(S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_EFFECTIVE),
        strength=Strength.WEAK,
    )
    _act(
        two,
        r2["Cut-off time is not written down"],
        "Train the on-call team",
        owner="Dee",
        due=date(2026, 12, 1),
        verify_on=date(2026, 12, 31),
        path=(S.COMMITTED,),
        strength=Strength.WEAK,
    )
    three, r3 = _incident(
        "Report mailed to the wrong client",
        date(2025, 10, 19),
        [
            ("Address data is never refreshed from the contract", "Technology"),
            ("Nobody compares the list with the contract", "QC checkpoints"),
            ("No sample check before sending", "QC checkpoints"),
            ("Mailing procedure has no owner", "SOPs"),
            ("Nobody was trained on the mail merge", "Training"),
        ],
    )
    _act(
        three,
        r3["Address data is never refreshed from the contract"],
        "Lock the address list",
        owner="Eve",
        due=date(2026, 5, 7),
        verify_on=date(2026, 6, 6),
        path=(S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED, S.VERIFIED_EFFECTIVE),
        strength=Strength.STRONG,
    )
    _act(
        three,
        r3["No sample check before sending"],
        HOSTILE_TITLE,
        owner="+1 555 0100",
        due=None,
        path=(S.CANCELLED,),
        metric="-5 errors",
    )
    _act(
        three,
        r3["Nobody was trained on the mail merge"],
        "Mail-merge training",
        owner="Dee",
        due=date(2026, 11, 30),
        verify_on=date(2027, 1, 22),
        path=(S.COMMITTED,),
        strength=Strength.WEAK,
        metric="\tcells",
        target="@ops",
    )
    workspace.add_incidents([one, two, three])
    return workspace
