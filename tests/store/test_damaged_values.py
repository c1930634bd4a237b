"""One incident's unreadable values are quarantined; the rest of the workspace works.

Text that is not UTF-8, an unknown choice, a date that is not a date, a number or binary
data where text belongs: the list shows such an incident with a reason and placeholders,
``load`` refuses it with :class:`DamagedIncidentError`, the actions review leaves its actions
out, and ``salvage`` reads it as far as it can be read, for export. Damage SQLite reports
while reading (a page found malformed after opening) refuses the file in one line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from rca_desk.interchange.json_format import dumps, import_incidents, loads
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Evidence, Incident, Severity
from rca_desk.store import DamagedIncidentError, Workspace, WorkspaceError
from tests.conftest import TODAY

DAMAGED = 2  # the middle one of three sample incidents


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "team.rcadesk"
    with Workspace.open(path) as workspace:
        for _ in range(3):
            workspace.add_incidents(sample_incidents(TODAY))  # fresh uids each time
    return path


@pytest.fixture
def original(path: Path) -> Incident:
    with Workspace.open(path, create=False) as workspace:
        return workspace.load(DAMAGED)


def damage(path: Path, *statements: str) -> None:
    """Change stored values behind the app's back (the schema stays as it was)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        conn.execute(statement.replace("{id}", str(DAMAGED)))
    conn.close()


def with_untyped_column(path: Path, table: str, declaration: str, statement: str) -> None:
    """Store a value SQLite's column type would have converted (a number in a TEXT column):
    drop the type for one statement, then put the schema back exactly as it was."""
    conn = sqlite3.connect(path, isolation_level=None)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    untyped = sql.replace(declaration, declaration.split()[0] + " ANY", 1)
    assert untyped != sql
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (untyped, table))
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(statement.replace("{id}", str(DAMAGED)))
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", (sql, table))
    conn.close()


@pytest.fixture
def opened(path: Path) -> Iterator[Callable[[], Workspace]]:
    opened: list[Workspace] = []

    def open_it() -> Workspace:
        opened.append(Workspace.open(path, create=False))
        return opened[-1]

    yield open_it
    for workspace in opened:
        workspace.close()


# ------------------------------------------------------ the incident's own row
ROW_DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "title not UTF-8": (
        lambda p: damage(
            p, "UPDATE incidents SET title = CAST(x'4e6f72ff' AS TEXT) WHERE id = {id}"
        ),
        "the title is not valid UTF-8",
    ),
    "unknown severity": (
        lambda p: damage(p, "UPDATE incidents SET severity = 'bogus' WHERE id = {id}"),
        "unknown severity 'bogus'",
    ),
    "unknown status": (
        lambda p: damage(p, "UPDATE incidents SET status = 'paused' WHERE id = {id}"),
        "unknown incident status 'paused'",
    ),
    "date not a date": (
        lambda p: damage(p, "UPDATE incidents SET occurred_at = 'xyz' WHERE id = {id}"),
        "the occurred date 'xyz' is not a date and time",
    ),
    "binary title": (
        lambda p: damage(p, "UPDATE incidents SET title = x'00ff' WHERE id = {id}"),
        "the title is binary data, not text",
    ),
    "number where text belongs": (
        lambda p: with_untyped_column(
            p,
            "incidents",
            "affected TEXT NOT NULL DEFAULT ''",
            "UPDATE incidents SET affected = 42 WHERE id = {id}",
        ),
        "the affected client is a number, not text",
    ),
}


@pytest.mark.parametrize("case", ROW_DAMAGE, ids=list(ROW_DAMAGE))
def test_an_incident_with_unreadable_values_is_listed_with_the_reason(
    path: Path, opened: Callable[[], Workspace], case: str
) -> None:
    make, reason = ROW_DAMAGE[case]
    make(path)
    workspace = opened()
    summaries = workspace.incidents()
    assert [s.id for s in summaries] == [1, 2, 3]
    assert [s.damaged for s in summaries] == [None, reason, None]
    # Readable placeholders: text with replacement characters, defaults for the rest.
    damaged = summaries[1]
    assert isinstance(damaged.title, str) and isinstance(damaged.affected, str)
    assert damaged.causes == summaries[0].causes  # the counts still count


@pytest.mark.parametrize("case", ROW_DAMAGE, ids=list(ROW_DAMAGE))
def test_loading_it_says_why_and_the_others_still_load(
    path: Path, opened: Callable[[], Workspace], case: str
) -> None:
    make, reason = ROW_DAMAGE[case]
    make(path)
    workspace = opened()
    with pytest.raises(DamagedIncidentError) as caught:
        workspace.load(DAMAGED)
    assert caught.value.reason == reason
    assert caught.value.incident_id == DAMAGED
    assert str(caught.value) == (
        f"{path}: incident {DAMAGED} is damaged ({reason}); "
        "it can still be exported as far as it can be read."
    )
    assert isinstance(caught.value, WorkspaceError)
    assert [workspace.load(i).id for i in (1, 3)] == [1, 3]


@pytest.mark.parametrize("case", ROW_DAMAGE, ids=list(ROW_DAMAGE))
def test_the_review_leaves_its_actions_out_and_keeps_the_rest(
    path: Path, opened: Callable[[], Workspace], case: str
) -> None:
    make, _ = ROW_DAMAGE[case]
    make(path)
    workspace = opened()
    rows = workspace.action_rows()
    per_incident = len(workspace.load(1).actions)
    assert sorted({r.incident_id for r in rows}) == [1, 3]
    assert len(rows) == 2 * per_incident


@pytest.mark.parametrize("case", ROW_DAMAGE, ids=list(ROW_DAMAGE))
def test_salvage_reads_it_as_far_as_it_can_and_it_imports_again(
    path: Path, original: Incident, opened: Callable[[], Workspace], tmp_path: Path, case: str
) -> None:
    make, _ = ROW_DAMAGE[case]
    make(path)
    salvaged = opened().salvage(DAMAGED)
    assert salvaged.id == DAMAGED
    assert salvaged.uid == original.uid
    assert len(salvaged.graph) == len(original.graph)
    assert [a.uid for a in salvaged.actions] == [a.uid for a in original.actions]
    assert [a.status for a in salvaged.actions] == [a.status for a in original.actions]
    # What is exported can be imported: a rescue, not another broken file.
    with Workspace.open(tmp_path / "rescued.rcadesk") as rescued:
        import_incidents(rescued, loads(dumps([salvaged])), source="export.json")
        (back,) = rescued.incidents()
        assert back.damaged is None
        assert back.causes == len(original.graph)


def test_salvaged_text_shows_replacement_characters(
    path: Path, opened: Callable[[], Workspace]
) -> None:
    damage(path, "UPDATE incidents SET title = CAST(x'4e6f72ff74' AS TEXT) WHERE id = {id}")
    assert opened().salvage(DAMAGED).title == "Nor\ufffdt"


def test_unknown_values_fall_back_to_defaults(path: Path, opened: Callable[[], Workspace]) -> None:
    damage(
        path,
        "UPDATE incidents SET severity = 'bogus', occurred_at = 'xyz' WHERE id = {id}",
    )
    salvaged = opened().salvage(DAMAGED)
    assert (salvaged.severity, salvaged.occurred_at) == (Severity.MEDIUM, None)


# ------------------------------------------------------------ the rows below it
SUB_ROW_DAMAGE: dict[str, tuple[str, str]] = {
    "cause text not UTF-8": (
        "UPDATE causes SET text = CAST(x'42ff' AS TEXT) WHERE incident_id = {id} AND is_root",
        "the cause text is not valid UTF-8",
    ),
    "unknown evidence": (
        "UPDATE causes SET evidence = 'rumour' WHERE incident_id = {id} AND parent_id IS NOT NULL",
        "unknown evidence status 'rumour'",
    ),
    "unknown action status": (
        "UPDATE actions SET status = 'weird' WHERE incident_id = {id}",
        "unknown action status 'weird'",
    ),
    "text in a number column": (
        "UPDATE incidents SET whys_depth = 'deep' WHERE id = {id}",
        "the five-whys depth is text, not a whole number",
    ),
    "category list not JSON": (
        "UPDATE incidents SET categories = '[\"SOPs\", ' WHERE id = {id}",
        "the category list is not readable",
    ),
    "history time not a time": (
        "UPDATE action_history SET at = 'soon' WHERE action_id IN "
        "(SELECT id FROM actions WHERE incident_id = {id})",
        "the status change time 'soon' is not a date and time",
    ),
    # A cause cut off from the problem is not damage but a broken rule, which opens
    # read-only with a repair: tests/store/test_broken_incidents.py.
}


@pytest.mark.parametrize("case", SUB_ROW_DAMAGE, ids=list(SUB_ROW_DAMAGE))
def test_damage_below_the_incident_row_is_found_on_loading(
    path: Path, opened: Callable[[], Workspace], case: str
) -> None:
    statement, reason = SUB_ROW_DAMAGE[case]
    damage(path, statement)
    workspace = opened()
    assert len(workspace.incidents()) == 3
    with pytest.raises(DamagedIncidentError) as caught:
        workspace.load(DAMAGED)
    assert reason in caught.value.reason
    assert [workspace.load(i).id for i in (1, 3)] == [1, 3]
    rows = workspace.action_rows()  # never raises for one incident's values
    assert {1, 3} <= {r.incident_id for r in rows}
    salvaged = workspace.salvage(DAMAGED)
    assert len(salvaged.graph) > 0


def test_an_action_s_damage_keeps_its_incident_out_of_the_review(
    path: Path, opened: Callable[[], Workspace]
) -> None:
    damage(path, "UPDATE actions SET owner = CAST(x'ff' AS TEXT) WHERE incident_id = {id}")
    rows = opened().action_rows()
    assert sorted({r.incident_id for r in rows}) == [1, 3]


def test_salvage_keeps_what_it_can_of_sub_rows(
    path: Path, original: Incident, opened: Callable[[], Workspace]
) -> None:
    damage(
        path,
        "UPDATE causes SET evidence = 'rumour' WHERE incident_id = {id}",
        "UPDATE actions SET status = 'weird' WHERE incident_id = {id}",
        "UPDATE causes SET parent_id = 'gone' WHERE incident_id = {id} AND is_root",
    )
    salvaged = opened().salvage(DAMAGED)
    assert {c.evidence for c in salvaged.graph.causes()} == {Evidence.HYPOTHESIS}
    # An unreadable status falls back to where the history says the action went.
    assert [a.status for a in salvaged.actions] == [a.status for a in original.actions]
    # The cut-off root causes hang from the problem now, with their actions.
    assert len(salvaged.graph) == len(original.graph)
    assert sorted(salvaged.graph.root_causes()) == sorted(original.graph.root_causes())
    assert len(salvaged.actions) == len(original.actions)


def test_salvage_of_no_such_incident(opened: Callable[[], Workspace]) -> None:
    with pytest.raises(WorkspaceError, match="There is no incident 99"):
        opened().salvage(99)


def test_a_sound_incident_salvages_to_what_load_reads(
    opened: Callable[[], Workspace], original: Incident
) -> None:
    salvaged = opened().salvage(DAMAGED)
    assert dumps([salvaged]) == dumps([original])


# ------------------------------------------------------ damage found late: refused
class MalformedConnection:
    """A connection whose every statement finds a malformed page."""

    in_transaction = False

    def __init__(self, real: sqlite3.Connection, message: str) -> None:
        self.real = real
        self.message = message

    def execute(self, *args: Any) -> Any:
        raise sqlite3.DatabaseError(self.message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


READS: dict[str, Callable[[Workspace], object]] = {
    "incidents": lambda ws: ws.incidents(),
    "load": lambda ws: ws.load(1),
    "salvage": lambda ws: ws.salvage(1),
    "action_rows": lambda ws: ws.action_rows(),
    "incident_id": lambda ws: ws.incident_id("1"),
    "has_uid": lambda ws: ws.has_uid("x"),
    "existing_action_uids": lambda ws: ws.existing_action_uids(["x"]),
}


@pytest.mark.parametrize("read", READS, ids=list(READS))
def test_damage_found_while_reading_refuses_the_file_in_one_line(
    path: Path, opened: Callable[[], Workspace], read: str
) -> None:
    workspace = opened()
    real = workspace.conn
    workspace.conn = MalformedConnection(real, "database disk image is malformed")  # type: ignore[assignment]
    try:
        with pytest.raises(WorkspaceError) as caught:
            READS[read](workspace)
    finally:
        workspace.conn = real
    assert not isinstance(caught.value, DamagedIncidentError)
    assert str(caught.value) == f"{path}: is damaged (database disk image is malformed)."


def test_a_lock_is_not_called_damage(path: Path, opened: Callable[[], Workspace]) -> None:
    workspace = opened()
    real = workspace.conn
    workspace.conn = MalformedConnection(real, "database is locked")  # type: ignore[assignment]
    try:
        with pytest.raises(WorkspaceError) as caught:
            workspace.incidents()
    finally:
        workspace.conn = real
    assert "is busy" in str(caught.value)
    assert "damaged" not in str(caught.value)
