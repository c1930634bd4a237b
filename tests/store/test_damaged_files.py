"""Workspaces damaged in ways SQLite itself does not notice at first: a table gone, rows
that break their own table's rules; and a file left half-made by a crash on creation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rca_desk.model import Incident
from rca_desk.store import Workspace, WorkspaceError


def closed_workspace(path: Path) -> None:
    with Workspace.open(path) as workspace:
        workspace.add_incident(Incident(title="Payroll late"))


def test_a_workspace_missing_a_table_is_refused_by_name_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "team.rcadesk"
    closed_workspace(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE action_history")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path)
    assert str(caught.value) == f"{path}: is damaged (table 'action_history' is missing)."
    assert path.read_bytes() == before


def test_rows_that_break_their_table_s_rules_are_reported_in_one_line(tmp_path: Path) -> None:
    """A NULL where the schema (edited behind SQLite's back) says NOT NULL."""
    path = tmp_path / "team.rcadesk"
    closed_workspace(path)
    conn = sqlite3.connect(path)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'incidents'").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = ? WHERE name = 'incidents'",
        (sql.replace("occurred_at TEXT,", "occurred_at TEXT NOT NULL,"),),
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(path)
    assert str(caught.value) == (f"{path}: is damaged (NULL value in incidents.occurred_at).")
    assert path.read_bytes() == before


def test_a_file_left_half_made_is_completed_on_opening(tmp_path: Path) -> None:
    """A crash right after the header was marked ours, before the first migration."""
    path = tmp_path / "team.rcadesk"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1380139332")  # "RCAD"
    conn.close()
    assert path.stat().st_size > 0
    with Workspace.open(path) as workspace:
        workspace.add_incident(Incident(title="Payroll late"))
        assert [s.title for s in workspace.incidents()] == ["Payroll late"]
