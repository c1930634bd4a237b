"""Workspace speed at a size well past a busy team's: 200 incidents, 20,000 causes.

Run with ``.venv/bin/python -m pytest tests/benchmarks/test_workspace_bench.py --benchmarks``.
Each benchmark also asserts what it did, so a fast wrong answer fails.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rca_desk.interchange.json_format import dumps, import_incidents, loads
from rca_desk.store import Workspace
from tests.synthetic import BigWorkspace


def test_open_and_list(benchmark: Any, big_workspace: BigWorkspace) -> None:
    """What the app does on start: open (header, quick_check), list incidents and actions."""

    def open_and_list() -> tuple[int, int]:
        with Workspace.open(big_workspace.path, create=False) as workspace:
            return len(workspace.incidents()), len(workspace.action_rows())

    assert benchmark(open_and_list) == (big_workspace.incidents, big_workspace.actions)


@pytest.fixture
def open_big(big_workspace: BigWorkspace) -> Iterator[Workspace]:
    workspace = Workspace.open(big_workspace.path, create=False)
    yield workspace
    workspace.close()


def test_one_edit_write_through(benchmark: Any, open_big: Workspace) -> None:
    """One cause's text changed and committed (fsync'd) in a loaded incident."""
    incident = open_big.load(open_big.incidents()[100].id)
    cause_id = next(iter(incident.graph.cause_ids()))
    counter = itertools.count()

    def edit() -> str:
        text = f"Edited cause text, version {next(counter)}"
        incident.update_cause(cause_id, text=text)
        open_big.save_cause(incident, cause_id)
        return text

    last = benchmark(edit)
    # Committed: a separate plain connection sees the last edit.
    conn = sqlite3.connect(f"{open_big.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT text FROM causes WHERE incident_id = ? AND id = ?", (incident.id, cause_id)
        ).fetchone()
    finally:
        conn.close()
    assert row == (last,)


@pytest.fixture(scope="module")
def big_export(big_workspace: BigWorkspace) -> str:
    with Workspace.open(big_workspace.path, create=False) as workspace:
        return dumps(workspace.load(s.id) for s in workspace.incidents())


def test_export_whole_workspace(benchmark: Any, open_big: Workspace, big_export: str) -> None:
    """Load every incident and write the JSON export (the input of the import benchmark)."""

    def export() -> str:
        return dumps(open_big.load(s.id) for s in open_big.incidents())

    assert benchmark(export) == big_export


def test_json_import_into_a_fresh_workspace(
    benchmark: Any, big_workspace: BigWorkspace, big_export: str, tmp_path: Path
) -> None:
    """Parse, check and write the whole export: 200 incidents in one transaction."""
    opened: list[Workspace] = []
    rounds = itertools.count()

    def fresh() -> tuple[tuple[Workspace], dict[str, Any]]:
        workspace = Workspace.open(tmp_path / f"fresh-{next(rounds)}.rcadesk")
        opened.append(workspace)
        return (workspace,), {}

    def run(workspace: Workspace) -> list[int]:
        return import_incidents(workspace, loads(big_export), source="big.json")

    try:
        ids = benchmark.pedantic(run, setup=fresh, rounds=5, iterations=1)
        assert len(ids) == big_workspace.incidents
        last = opened[-1]
        assert sum(s.causes for s in last.incidents()) == big_workspace.causes
        assert len(last.action_rows()) == big_workspace.actions
    finally:
        for workspace in opened:
            workspace.close()
