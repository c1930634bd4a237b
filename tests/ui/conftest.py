"""GUI fixtures: a main window over a temporary workspace, dialogs answered by the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from rca_desk.model import Incident
from rca_desk.store import Workspace
from rca_desk.ui.document.incident_document import IncidentDocument
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
        self.paths: list[Path | None] = []
        self.confirm = True

    def install(self, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(window, "show_error", lambda t, m: self.errors.append((t, m)))
        monkeypatch.setattr(window, "ask_open_path", lambda *a: self.paths.pop(0))
        monkeypatch.setattr(window, "ask_save_path", lambda *a: self.paths.pop(0))
        monkeypatch.setattr(window, "confirm", lambda *a: self.confirm)


@pytest.fixture
def document(qapp: object, sample_workspace: Workspace) -> IncidentDocument:
    """The sample incident open for editing, as the app opens it."""
    incident_id = sample_workspace.incidents()[0].id
    return IncidentDocument(sample_workspace, sample_workspace.load(incident_id))


def stored(document: IncidentDocument) -> Incident:
    """The incident as a second connection to the file sees it."""
    with Workspace.open(document.workspace.path, create=False) as other:
        assert document.incident.id is not None
        return other.load(document.incident.id)


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
