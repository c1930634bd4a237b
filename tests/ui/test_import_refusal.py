"""A refused import in the app: the first problem in the box, every one behind Show
Details, and no mention of a command-line option the app does not have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from rca_desk.store import Workspace
from rca_desk.ui.workspace.main_window import MainWindow
from tests.ui.conftest import Dialogs

BAD = {
    "format": "rca-desk",
    "version": "1.1",
    "incidents": [{"uid": "u1", "title": "T", "problem": "P", "whys_depth": 0, "severity": "x"}],
}


def test_a_refused_import_shows_the_first_problem_and_lists_all_in_the_details(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(BAD), encoding="utf-8")
    before = window.workspace.content()
    dialogs.paths.append(bad)
    window.import_action.trigger()
    assert dialogs.errors == [
        (
            "Nothing was imported",
            f"{bad}: not imported: incidents[0].whys_depth: must be between 1 and 20, not 0 "
            "(1 more problem; Show Details lists them)",
        )
    ]
    assert dialogs.details == [
        "incidents[0].whys_depth: must be between 1 and 20, not 0\n"
        "incidents[0].severity: 'x' is not one of: low, medium, high, critical"
    ]
    assert window.workspace.content() == before


def test_one_problem_needs_no_details(window: MainWindow, dialogs: Dialogs, tmp_path: Path) -> None:
    bad = tmp_path / "one.json"
    one = json.loads(json.dumps(BAD))
    del one["incidents"][0]["severity"]
    bad.write_text(json.dumps(one), encoding="utf-8")
    dialogs.paths.append(bad)
    window.import_action.trigger()
    assert dialogs.errors == [
        (
            "Nothing was imported",
            f"{bad}: not imported: incidents[0].whys_depth: must be between 1 and 20, not 0",
        )
    ]
    assert dialogs.details == [""]


def test_the_window_puts_the_details_behind_show_details(
    qtbot: object, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real box (not the tests' stand-in) carries the details."""
    shown: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> int:
        shown.append((box.text(), box.detailedText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    win = MainWindow(workspace)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show_error("Nothing was imported", "first", details="first\nsecond")
    assert shown == [("first", "first\nsecond")]
