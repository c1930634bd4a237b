"""Workspaces damaged in ways SQLite itself does not notice at first: a table gone, rows
that break their own table's rules; and a file left half-made by a crash on creation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rca_desk.model import Incident
from rca_desk.store import DamagedIncidentError, Workspace, WorkspaceError


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
    assert str(caught.value) == (
        f"{path}: was modified outside rca-desk (missing table 'action_history'); "
        "it was not opened."
    )
    assert path.read_bytes() == before


def test_a_row_that_breaks_its_table_s_rules_quarantines_its_incident(tmp_path: Path) -> None:
    """A NULL where the schema says NOT NULL: written while the rule was edited away behind
    SQLite's back, then the schema put back as it was, so only the row is wrong. SQLite's
    check reports it, but it is one incident's value, not the file's pages: the workspace
    opens and that incident is marked damaged (it used to refuse the whole workspace)."""
    path = tmp_path / "team.rcadesk"
    with Workspace.open(path) as workspace:
        workspace.add_incident(Incident(title="Payroll late"))
        workspace.add_incident(Incident(title="Invoices doubled"))

    def set_incidents_sql(sql: str) -> None:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'incidents'", (sql,))
        conn.commit()
        conn.close()

    conn = sqlite3.connect(path)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'incidents'").fetchone()
    conn.close()
    set_incidents_sql(sql.replace("title TEXT NOT NULL,", "title TEXT,"))
    conn = sqlite3.connect(path)
    conn.execute("UPDATE incidents SET title = NULL WHERE id = 1")
    conn.commit()
    conn.close()
    set_incidents_sql(sql)
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA quick_check").fetchall() == [("NULL value in incidents.title",)]
    check.close()
    with Workspace.open(path) as workspace:
        assert [(s.title, s.damaged) for s in workspace.incidents()] == [
            ("(title unreadable)", "the title is empty, not text"),
            ("Invoices doubled", None),
        ]
        with pytest.raises(
            DamagedIncidentError, match=r"incident 1 is damaged \(the title is empty"
        ):
            workspace.load(1)
        assert workspace.load(2).title == "Invoices doubled"
        assert workspace.salvage(1).title == "(title unreadable)"


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
