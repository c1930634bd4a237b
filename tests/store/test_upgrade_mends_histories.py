"""The 1.1 upgrade on histories and category lists a 1.0 app left: what it completes, what
it cleans, and what it leaves exactly as stored because it cannot read it.

Built on the 1.0 file of ``test_upgrade_to_1_1`` (its action is verified effective with no
history); the rows here are written with plain sqlite3, as the 1.0 app or its importer did.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from rca_desk.model import ActionStatus
from rca_desk.model.lifecycle import MIGRATED_NOTE
from rca_desk.store import Workspace
from tests.store.test_upgrade_to_1_1 import workspace_at_1_0

S = ActionStatus
Row = tuple[object, ...]


def with_history(tmp_path: Path, rows: list[Row]) -> Path:
    """The 1.0 file with ``rows`` (seq, at, from, to, note) as its action's history."""
    path = workspace_at_1_0(tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    (action_id,) = conn.execute("SELECT id FROM actions").fetchone()
    conn.executemany(
        "INSERT INTO action_history (action_id, seq, at, from_status, to_status, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(action_id, *row) for row in rows],
    )
    conn.close()
    return path


def stored_history(path: Path) -> list[Row]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT seq, at, from_status, to_status, note FROM action_history ORDER BY seq"
        ).fetchall()
    finally:
        conn.close()


def upgrade(path: Path) -> None:
    Workspace.open(path, create=False).close()


def test_a_history_that_stops_short_is_completed_and_its_notes_cleaned(
    tmp_path: Path,
) -> None:
    path = with_history(
        tmp_path,
        [
            (0, "2026-09-01T09:00:00", None, "proposed", ""),
            (1, "2026-09-02T10:30:00", "proposed", "committed", "Agreed in the \x1b[1mreview"),
        ],
    )
    before = datetime.now().replace(microsecond=0)
    with Workspace.open(path, create=False) as workspace:
        (summary,) = workspace.incidents()
        action = workspace.load(summary.id).action("act-verified")
    # What was stored is kept, dates and moves as they were, the note without its ESC...
    assert [(c.at, c.from_status, c.to_status, c.note) for c in action.history[:2]] == [
        (datetime(2026, 9, 1, 9, 0), None, S.PROPOSED, ""),
        (datetime(2026, 9, 2, 10, 30), S.PROPOSED, S.COMMITTED, "Agreed in the [1mreview"),
    ]
    # ...and one entry, saying so, takes it from where it stopped to the status.
    last = action.history[2]
    assert (last.from_status, last.to_status, last.note) == (
        S.COMMITTED,
        S.VERIFIED_EFFECTIVE,
        MIGRATED_NOTE,
    )
    assert last.at >= before
    assert len(action.history) == 3
    assert stored_history(path)[1][4] == "Agreed in the [1mreview"


UNREADABLE = {
    "a time that is not one": [(0, "last Tuesday", None, "committed", "")],
    "a time stored as bytes": [(0, b"2026-09-01T09:00:00", None, "committed", "")],
    "a note stored as bytes": [(0, "2026-09-01T09:00:00", None, "committed", b"ok")],
    "an unknown status moved to": [(0, "2026-09-01T09:00:00", None, "approved", "")],
    "an unknown status moved from": [
        (0, "2026-09-01T09:00:00", None, "proposed", ""),
        (1, "2026-09-02T09:00:00", "approved", "committed", ""),
    ],
}


@pytest.mark.parametrize("rows", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_history_it_cannot_read_is_left_exactly_as_stored(
    tmp_path: Path, rows: list[Row]
) -> None:
    """Nothing is guessed: the damage reader names what is wrong when the incident loads."""
    path = with_history(tmp_path, rows)
    upgrade(path)
    assert stored_history(path) == rows


def stored_categories(path: Path) -> tuple[str, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT categories, edited FROM incidents").fetchone()
    finally:
        conn.close()


def set_categories(path: Path, names: list[str]) -> str:
    stored = json.dumps(names, ensure_ascii=False)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE incidents SET categories = ?", (stored,))
    conn.close()
    return stored


def test_category_names_are_cleaned_and_one_cleaned_into_another_is_merged(
    tmp_path: Path,
) -> None:
    path = workspace_at_1_0(tmp_path)
    set_categories(path, ["Techno\x07logy", "Technology", "Communi\u202ecation"])
    upgrade(path)
    categories, _ = stored_categories(path)
    assert json.loads(categories) == ["Technology", "Communication"]


def test_a_clean_category_list_is_left_as_written(tmp_path: Path) -> None:
    """Byte for byte: a rewrite would mark the incident changed for every open window."""
    path = workspace_at_1_0(tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    # Only the category list is left to look at: the other 1.0 values are made clean.
    conn.execute("UPDATE incidents SET title = 'Payroll late'")
    conn.execute("UPDATE causes SET text = 'Clean' WHERE id IN ('c1', 'c3')")
    conn.execute("UPDATE causes SET evidence_note = '' WHERE id = 'c2'")
    conn.execute("UPDATE actions SET status = 'proposed'")
    conn.close()
    stored = set_categories(path, ["Technology", "Überwachung", "Communication"])
    _, edited_before = stored_categories(path)
    upgrade(path)
    assert stored_categories(path) == (stored, edited_before)


def incident_rows(path: Path) -> list[tuple[int, str, dict[str, int], int]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT id, title, field_revs, edited FROM incidents ORDER BY id")
        return [(i, title, json.loads(revs), edited) for i, title, revs, edited in rows]
    finally:
        conn.close()


def test_a_mended_field_gets_the_upgrade_s_revision_and_the_others_keep_theirs(
    tmp_path: Path,
) -> None:
    """Another app that read the title before the upgrade is told its copy is stale; one
    that holds an untouched field is not. The four impacts share one revision."""
    path = workspace_at_1_0(tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE incidents SET impact_financial = ?", ("About \x1b[31m$40k",))
    conn.close()
    [(_, _, revs_before, _)] = incident_rows(path)
    upgrade(path)
    [(_, title, revs, edited)] = incident_rows(path)
    assert title == "Payroll late[2J"
    assert edited > revs_before["title"]
    assert revs == {**revs_before, "title": edited, "impact": edited}


@pytest.mark.parametrize(
    "stored",
    ["not JSON", "[1, 2]", b'{"affected": 1, "title": 1}'],
    ids=["not JSON", "a list", "bytes"],
)
def test_field_revisions_it_cannot_read_are_replaced_by_the_mended_ones(
    tmp_path: Path, stored: object
) -> None:
    path = workspace_at_1_0(tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE incidents SET field_revs = ?", (stored,))
    conn.close()
    upgrade(path)
    [(_, _, revs, edited)] = incident_rows(path)
    assert revs == {"title": edited}


def test_every_incident_is_mended_not_only_those_before_a_clean_one(tmp_path: Path) -> None:
    path = workspace_at_1_0(tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    # A second incident row, stored after the first, which is made clean.
    conn.execute("CREATE TEMP TABLE copy AS SELECT * FROM incidents")
    conn.execute("UPDATE copy SET id = id + 1, uid = 'inc-second'")
    conn.execute("INSERT INTO incidents SELECT * FROM copy")
    conn.execute("UPDATE incidents SET title = 'Payroll late' WHERE id = 1")
    conn.close()
    upgrade(path)
    assert [(i, title) for i, title, _, _ in incident_rows(path)] == [
        (1, "Payroll late"),
        (2, "Payroll late[2J"),
    ]
