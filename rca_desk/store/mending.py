"""Data mending run by a migration: what older rules let into a workspace, put right.

Schema steps change tables; some versions also tighten a rule on the values (1.1: no
control or bidi override characters in text, and an action's history that follows the
lifecycle to its status). Stored data is never refused for breaking a rule that came
later, so the step that brings the rule also mends what it mechanically can, in the same
transaction, and leaves the rest to the findings (``rca_desk.model.analysis``).

Mended rows are stamped with one revision like any other write, so another app that
still holds the old values is told its copy is stale instead of writing them back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime

from rca_desk.model import ActionStatus, StatusChange
from rca_desk.model.lifecycle import mend_history
from rca_desk.model.text import stripped_for_storage
from rca_desk.store.schema import SchemaVersion

#: Text a value becomes when nothing but unsafe characters was in it, so a required text
#: (a title, a cause) is never left empty by the mending.
EMPTIED = "(text removed on upgrade: it held only control characters)"

#: Free-text columns per table, and whether the row has a ``rev`` of its own.
_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "causes": ("text", "category", "evidence_note", "stop_reason"),
    "actions": ("title", "owner", "metric", "target", "measured_result", "notes"),
}
#: The incident's own text columns, by the field name its revision is kept under.
_INCIDENT_FIELDS: dict[str, str] = {
    "title": "title",
    "affected": "affected",
    "description": "description",
    "impact_operational": "impact",
    "impact_financial": "impact",
    "impact_reputational": "impact",
    "impact_compliance": "impact",
    "containment": "containment",
}


def clean(value: object) -> object:
    """``value`` without control and bidi override characters; other values as they are."""
    if not isinstance(value, str):
        return value
    cleaned = stripped_for_storage(value)
    if cleaned == value:
        return value
    return cleaned if cleaned.strip() or not value.strip() else EMPTIED


def mend_1_1(conn: sqlite3.Connection, revision: Callable[[], int], *, now: datetime) -> set[int]:
    """Strip unsafe characters from stored text and complete action histories; return the
    ids of the incidents it changed (they get the ``edited`` stamp, so open windows reload)."""
    mended: set[int] = set()
    _mend_incidents(conn, revision, mended)
    for table, columns in _TEXT_COLUMNS.items():
        _mend_rows(conn, table, columns, revision, mended)
    _mend_history_notes(conn, mended)
    _mend_histories(conn, revision, mended, now=now)
    if mended:
        rev = revision()
        conn.executemany(
            "UPDATE incidents SET edited = ? WHERE id = ?",
            [(rev, incident) for incident in sorted(mended)],
        )
    return mended


def _mend_incidents(
    conn: sqlite3.Connection, revision: Callable[[], int], mended: set[int]
) -> None:
    columns = [*_INCIDENT_FIELDS, "categories"]
    rows = conn.execute(f"SELECT id, field_revs, {', '.join(columns)} FROM incidents").fetchall()
    for incident_id, field_revs, *values in rows:
        changes: dict[str, object] = {}
        for column, value in zip(columns, values, strict=True):
            value_new = _clean_categories(value) if column == "categories" else clean(value)
            if value_new != value:
                changes[column] = value_new
        if not changes:
            continue
        rev = revision()
        try:
            revs = json.loads(field_revs) if isinstance(field_revs, str) else {}
        except ValueError:
            revs = {}
        if not isinstance(revs, dict):
            revs = {}
        for column in changes:
            revs[_INCIDENT_FIELDS.get(column, column)] = rev
        changes["field_revs"] = json.dumps(revs, sort_keys=True)
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(
            f"UPDATE incidents SET {assignments} WHERE id = ?", [*changes.values(), incident_id]
        )
        mended.add(incident_id)


def _clean_categories(stored: object) -> object:
    """The JSON category list with each name cleaned (a name cleaned into a duplicate of
    an earlier one is merged with it, as the causes' categories are cleaned alike)."""
    if not isinstance(stored, str):
        return stored
    try:
        names = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(names, list):
        return stored
    cleaned = list(dict.fromkeys(clean(name) for name in names))
    return stored if cleaned == names else json.dumps(cleaned)


def _mend_rows(
    conn: sqlite3.Connection,
    table: str,
    columns: tuple[str, ...],
    revision: Callable[[], int],
    mended: set[int],
) -> None:
    key = "rowid" if table == "causes" else "id"
    rows = conn.execute(f"SELECT {key}, incident_id, {', '.join(columns)} FROM {table}").fetchall()
    for row_key, incident_id, *values in rows:
        changes = {
            column: new
            for column, value in zip(columns, values, strict=True)
            if (new := clean(value)) != value
        }
        if not changes:
            continue
        changes["rev"] = revision()
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(
            f"UPDATE {table} SET {assignments} WHERE {key} = ?", [*changes.values(), row_key]
        )
        mended.add(incident_id)


def _mend_history_notes(conn: sqlite3.Connection, mended: set[int]) -> None:
    rows = conn.execute(
        "SELECT h.action_id, h.seq, h.note, a.incident_id FROM action_history h "
        "JOIN actions a ON a.id = h.action_id"
    ).fetchall()
    for action_id, seq, note, incident_id in rows:
        new = clean(note)
        if new != note:
            conn.execute(
                "UPDATE action_history SET note = ? WHERE action_id = ? AND seq = ?",
                (new, action_id, seq),
            )
            mended.add(incident_id)


def _mend_histories(
    conn: sqlite3.Connection, revision: Callable[[], int], mended: set[int], *, now: datetime
) -> None:
    """Complete each action's history where the old rules let it stop short."""
    statuses = {status.value: status for status in ActionStatus}
    history: dict[int, list[tuple[object, ...]]] = {}
    for row in conn.execute(
        "SELECT action_id, seq, at, from_status, to_status, note FROM action_history "
        "ORDER BY action_id, seq"
    ):
        history.setdefault(row[0], []).append(row[1:])
    for action_id, incident_id, status in conn.execute(
        "SELECT id, incident_id, status FROM actions"
    ).fetchall():
        rows = history.get(action_id, [])
        changes = _changes(rows, statuses)
        if status not in statuses or changes is None:
            continue  # unreadable: the damage reader reports it, nothing is guessed here
        mended_changes = mend_history(statuses[status], changes, at=now)
        if mended_changes == changes:
            continue
        conn.execute("DELETE FROM action_history WHERE action_id = ?", (action_id,))
        conn.executemany(
            "INSERT INTO action_history (action_id, seq, at, from_status, to_status, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    action_id,
                    seq,
                    change.at.isoformat(),
                    change.from_status.value if change.from_status else None,
                    change.to_status.value,
                    change.note,
                )
                for seq, change in enumerate(mended_changes)
            ],
        )
        conn.execute("UPDATE actions SET rev = ? WHERE id = ?", (revision(), action_id))
        mended.add(incident_id)


def _changes(
    rows: list[tuple[object, ...]], statuses: dict[str, ActionStatus]
) -> list[StatusChange] | None:
    """The stored history as status changes, or None when any of it cannot be read."""
    out = []
    for _seq, at, from_status, to_status, note in rows:
        if not isinstance(at, str) or not isinstance(note, str):
            return None
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            return None
        if to_status not in statuses or (from_status is not None and from_status not in statuses):
            return None
        out.append(
            StatusChange(
                at=when,
                from_status=statuses[from_status] if isinstance(from_status, str) else None,
                to_status=statuses[str(to_status)],
                note=note,
            )
        )
    return out


#: The mending each schema step runs after its SQL, in the same transaction.
MENDS: dict[SchemaVersion, Callable[..., set[int]]] = {SchemaVersion(1, 1): mend_1_1}
