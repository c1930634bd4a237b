"""The app always starts, and an incident that breaks a rule opens read-only, repairable.

The file is broken behind the app's back (a cycle written by an older version or by hand),
and the incident with the cycle is the one the window selects at start: before, the
window refused to start.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from rca_desk.model import HEAD
from rca_desk.store import Workspace
from rca_desk.ui.document.cause_commands import EditCause
from rca_desk.ui.workspace.main_window import MainWindow
from tests.conftest import TODAY


def make_cycle(path: object) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("UPDATE causes SET parent_id = 'sop-5', rev = 10 WHERE id = 'sop-4'")
    conn.execute("UPDATE causes SET parent_id = 'sop-4', rev = 20 WHERE id = 'sop-5'")
    conn.close()


def test_the_window_starts_on_a_broken_incident_and_repairs_it(
    qtbot: QtBot, sample_workspace: Workspace
) -> None:
    make_cycle(sample_workspace.path)
    window = MainWindow(sample_workspace, today=TODAY)
    qtbot.addWidget(window)
    incident_id = window.incident_list.selected_id()
    assert incident_id is not None
    shown = [window.incident_list.findings_list.item(i).text() for i in range(3)]
    assert any("Breaks a rule" in line and "a cycle" in line for line in shown)

    view = window.open_incident(incident_id)
    document = view.document
    assert document.read_only is not None and "read-only" in document.read_only
    assert view.notice.isVisibleTo(view) and "(a cycle)" in view.notice.text()
    assert view.notice.button.isVisibleTo(view) and view.notice.button.text() == "Repair"
    assert document.graph.parent("sop-5") == HEAD  # shown with the repair applied
    assert not view.ask_why_action.isEnabled() and not view.add_sibling_action.isEnabled()

    refused: list[str] = []
    document.refused.connect(refused.append)
    assert not document.execute(EditCause(document, "qc-2", text="Edited while broken"))
    assert refused == [document.read_only]
    with Workspace.open(sample_workspace.path, create=False) as other:
        assert other.conn.execute("SELECT parent_id FROM causes WHERE id = 'sop-5'").fetchone() == (
            "sop-4",
        )  # nothing was written

    view.notice.button.click()
    assert document.read_only is None and document.problems == []
    assert not view.notice.isVisibleTo(view)
    assert view.ask_why_action.isEnabled()
    assert document.execute(EditCause(document, "qc-2", text="Edited after the repair"))
    with Workspace.open(sample_workspace.path, create=False) as other:
        repaired = other.load(incident_id)
    assert repaired.graph.parent("sop-5") == HEAD
    assert repaired.graph.cause("qc-2").text == "Edited after the repair"


def test_a_damaged_incident_is_marked_and_opens_read_only_as_far_as_it_can_be_read(
    qtbot: QtBot, sample_workspace: Workspace, tmp_path: Path
) -> None:
    conn = sqlite3.connect(str(sample_workspace.path), isolation_level=None)
    conn.execute("UPDATE causes SET text = CAST(x'4e6fff' AS TEXT) WHERE id = 'qc-2'")
    conn.execute("UPDATE incidents SET severity = 'bogus'")  # seen by the list itself
    conn.close()
    window = MainWindow(sample_workspace, today=TODAY)
    qtbot.addWidget(window)
    status = window.incident_list.table_model.index(0, 2).data()
    assert status.startswith("damaged: ")
    assert "is damaged" in window.incident_list.details.toPlainText()

    view = window.open_incident(1)
    assert view.document.read_only is not None
    assert "shown read-only, as far as it can be read" in view.notice.text()
    assert not view.notice.button.isVisibleTo(view)  # no repair for damaged values
    assert view.document.graph.cause("qc-2").text == "No\ufffd"
    assert view.document.graph.cause("qc-1").text  # the rest reads as stored


def test_a_workspace_that_cannot_be_written_says_so_above_everything(
    qtbot: QtBot, sample_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sample_workspace.path
    sample_workspace.close()
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode: False if Path(p) == path and mode & os.W_OK else real_access(p, mode),
    )
    workspace = Workspace.open(path, create=False)
    window = MainWindow(workspace, today=TODAY)
    qtbot.addWidget(window)
    assert window.read_only_bar.text() == workspace.read_only
    assert "read-only" in window.read_only_bar.text()
    view = window.open_incident(1)
    refused: list[str] = []
    view.document.refused.connect(refused.append)
    assert not view.document.execute(EditCause(view.document, "qc-2", text="Not allowed"))
    assert refused == [workspace.read_only]
    workspace.close()
