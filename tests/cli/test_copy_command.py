"""``rca-desk copy SRC DST``: a whole workspace between files and servers (issue 12).

Every test that names a server runs against the throwaway PostgreSQL of tests/postgres.py
(skipped without one, a failure when RCA_DESK_REQUIRE_POSTGRES=1).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from rca_desk.cli import copy_command
from rca_desk.cli.copy_command import Meter
from rca_desk.cli.main import EXIT_ERROR, EXIT_OK, main
from rca_desk.interchange.json_format import dumps
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Evidence,
    Incident,
    PreventiveAction,
    Strength,
)
from rca_desk.store import IncidentSummary, Workspace, open_workspace
from tests.conftest import TODAY
from tests.postgres import PostgresServer

RLM = "\u200f"
LONG = " ".join(["Die Abrechnung lief doppelt, weil der Wiederholungsversuch"] * 30)[:1990]


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def rca(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*argv: str | Path) -> Run:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def new_database(postgres_server: PostgresServer) -> Iterator[Callable[[], str]]:
    """Make empty databases on the throwaway server (their URLs); dropped after the test."""
    made: list[str] = []

    def make() -> str:
        name = f"rca_desk_c{uuid.uuid4().hex[:12]}"
        postgres_server.create_database(name)
        made.append(name)
        return postgres_server.url(name)

    yield make
    for name in made:
        postgres_server.drop_database(name)


def unusual_incident() -> Incident:
    """Text from many scripts, right-to-left paragraphs, labels at the length limit, links,
    a cause moved under a newer one, and actions with long histories."""
    graph = CauseGraph(
        problem=f"{RLM}فواتير مكررة للعميل — Rechnungen doppelt verschickt 🧾",
        categories=["Menschen", "Technik ⚙", "עבודה", "流程"],
    )
    older = graph.add_cause(HEAD, text="שגיאה בתהליך האישור", category="עבודה")
    why = graph.add_cause(HEAD, text=LONG, category="Technik ⚙", evidence=Evidence.VERIFIED)
    root = graph.add_cause(
        why,
        text="再試行でバッチ全体が再送される\nzweite Zeile\tmit Tab",
        root_cause=True,
        evidence=Evidence.VERIFIED,
        evidence_note="Log-Auszug: ‘retry=3’ „überall“ 👀",
        stop_reason="Beyond our control: der Anbieter",
    )
    other = graph.add_cause(older, text="Ελλείπουσα επιθεώρηση", root_cause=True)
    # Worded like a root cause of the demo incident, so search finds the two alike.
    graph.add_cause(older, text="The incident communication plan says nothing", root_cause=True)
    graph.add_link(why, other)
    graph.add_link(HEAD, root)
    incident = Incident(
        title="Ünïcödé — חשבוניות כפולות / 请求重复 " + "x" * 150,
        graph=graph,
        occurred_at=datetime(2026, 2, 28, 23, 59, 58),
        affected="Ørsted & Søn (Kunde) — عميل مهم",
        description=f"{RLM}تم إرسال الفواتير مرتين.\nSecond line with a tab\there.",
        containment="Batch angehalten; ‹manuell› geprüft",
        whys_depth=7,
    )
    action = PreventiveAction.propose(
        at=datetime(2026, 10, 1, 9, 0, 5, 123456),
        note="Vorschlag aus dem Workshop — הצעה",
        title="Idempotenz-Schlüssel einführen 🔑",
        root_causes=[root],
        owner="Zoë Ångström",
        due=date(2026, 12, 15),
        verify_on=date(2027, 1, 30),
        metric="doppelte Rechnungen",
        target="0 in 60 Tagen",
        strength=Strength.STRONG,
        notes="See https://tickets.example/ABC-123?x=1&y=ü",
    )
    action.change_status(ActionStatus.COMMITTED, at=datetime(2026, 10, 2, 10, 0))
    action.change_status(ActionStatus.IN_PROGRESS, at=datetime(2026, 10, 3, 11, 0))
    action.change_status(ActionStatus.IMPLEMENTED, at=datetime(2026, 11, 1, 12, 0), note="✓")
    incident.add_action(action)
    cancelled = PreventiveAction.propose(
        at=datetime(2026, 10, 1, 9, 30), title="עדכון נוהל", root_causes=[other]
    )
    cancelled.change_status(
        ActionStatus.CANCELLED, at=datetime(2026, 10, 5, 8, 0), note="ersetzt durch — #1"
    )
    incident.add_action(cancelled)
    return incident


def file_with_incidents(path: Path) -> Workspace:
    """A workspace file with the demo incident and the unusual one, with ids and action
    numbers with gaps (incident 2 and action 2 were deleted), and a cause moved
    under one made after it. Returned open; close it."""
    workspace = Workspace.open(path)
    workspace.add_incidents(sample_incidents(TODAY))
    doomed = workspace.add_incident(Incident(title="Deleted again"))
    unusual = unusual_incident()
    workspace.add_incident(unusual)
    workspace.delete_incident(doomed)
    sample = workspace.load(1)
    workspace.delete_action(sample, sample.actions[1])
    newer = unusual.graph.add_cause(HEAD, text="Neu", category="Menschen")
    workspace.save_cause(unusual, newer)
    moved = unusual.graph.children(HEAD)[0]
    unusual.graph.move_cause(moved, newer)
    workspace.save_cause(unusual, moved)
    return workspace


@dataclass
class Contents:
    summaries: list[IncidentSummary]
    action_numbers: list[tuple[int, str, int | None]]
    export: str


def contents(location: str | Path) -> Contents:
    """What a workspace holds, read through the store interface and the JSON exporter."""
    with open_workspace(location, create=False) as store:
        summaries = store.incidents()
        return Contents(
            summaries,
            [(r.incident_id, r.action.uid, r.action.number) for r in store.action_rows()],
            dumps([store.readable(s.id)[0] for s in summaries]),
        )


def copied_message(src: str | Path, dst: str | Path, incidents: int, rows: int) -> str:
    return (
        f"Copied {incidents} incidents ({rows} rows) from {src} to {dst}; "
        "the JSON exports of both ends are identical.\n"
    )


# ------------------------------------------------------------------ round trips
def test_file_to_server_to_file_gives_the_same_json_byte_for_byte(
    rca: Callable[..., Run], tmp_path: Path, new_database: Callable[[], str]
) -> None:
    src, back = tmp_path / "team.rcadesk", tmp_path / "back" / "team.rcadesk"
    file_with_incidents(src).close()
    server = new_database()

    there = rca("copy", src, server)
    assert there.code == EXIT_OK, there.err
    assert there.out.startswith("Copied 2 incidents (")
    home = rca("copy", server, back)
    assert home.code == EXIT_OK, home.err

    assert rca("--workspace", src, "export-json", "-o", tmp_path / "src.json").code == EXIT_OK
    assert rca("--workspace", back, "export-json", "-o", tmp_path / "back.json").code == EXIT_OK
    exported = (tmp_path / "src.json").read_bytes()
    assert exported == (tmp_path / "back.json").read_bytes()
    assert contents(server).export.encode("utf-8") == exported
    text = exported.decode("utf-8")
    assert "فواتير" in text and "再試行" in text and LONG in text  # the unusual one is there
    assert '"history"' in text and "tickets.example" in text


def test_ids_uids_and_action_numbers_are_kept_and_the_copy_works_on(
    rca: Callable[..., Run], tmp_path: Path, new_database: Callable[[], str]
) -> None:
    src, server, back = tmp_path / "team.rcadesk", new_database(), tmp_path / "back.rcadesk"
    file_with_incidents(src).close()
    assert rca("copy", src, server).code == EXIT_OK
    assert rca("copy", server, back).code == EXIT_OK

    original = contents(src)
    with Workspace.open(src, create=False) as workspace:
        alike = [(m.incident_id, m.cause_id) for m in workspace.similar_root_causes(1, "com-3")]
    assert [incident_id for incident_id, _ in alike] == [3]
    assert [s.id for s in original.summaries] == [1, 3]  # incident 2 was deleted
    assert [number for _, _, number in original.action_numbers] == [1, 3, 4, 5, 6, 7, 8]
    for copy in (contents(server), contents(back)):
        assert copy.summaries == original.summaries
        assert copy.action_numbers == original.action_numbers

    # The copy goes on where the original stopped: new ids after the old ones, and an
    # edit of a copied incident passes the revision check (the counter came along).
    for location in (server, back):
        with open_workspace(location, create=False) as store:
            assert store.add_incident(Incident(title="After the move")) == 4
            incident = store.load(3)
            incident.update_fields(title="Edited after the move")
            store.save_incident_fields(incident, ["title"])
            action = PreventiveAction(title="New", root_causes=[incident.graph.root_causes()[0]])
            incident.add_action(action)
            assert store.save_action(incident, action) == 9
            found = store.similar_root_causes(1, "com-3")
            assert [(m.incident_id, m.cause_id) for m in found] == alike  # search works


# ------------------------------------------------------------------ refusals
def test_a_file_that_holds_incidents_is_refused_and_left_as_it_was(
    rca: Callable[..., Run], tmp_path: Path, new_database: Callable[[], str]
) -> None:
    src, dst = tmp_path / "team.rcadesk", tmp_path / "other.rcadesk"
    file_with_incidents(src).close()
    with Workspace.open(dst) as other:
        other.add_incident(Incident(title="Someone else's"))
    before, content = dst.read_bytes(), contents(dst)

    for source in (src, new_database()):
        if source != src:
            assert rca("copy", src, source).code == EXIT_OK
        result = rca("copy", source, dst)
        assert result.code == EXIT_ERROR
        assert result.out == ""
        assert result.err.splitlines()[-1] == (
            f"rca-desk: error: {dst}: already holds 1 incident; a copy goes only into a "
            "new or empty workspace. Nothing was copied."
        )
        assert dst.read_bytes() == before
        assert contents(dst) == content


def test_a_database_that_holds_incidents_is_refused_and_left_as_it_was(
    rca: Callable[..., Run], tmp_path: Path, new_database: Callable[[], str]
) -> None:
    src, other = tmp_path / "team.rcadesk", tmp_path / "other.rcadesk"
    file_with_incidents(src).close()
    with Workspace.open(other) as workspace:
        workspace.add_incident(Incident(title="Someone else's"))
    server = new_database()
    assert rca("copy", other, server).code == EXIT_OK
    content = contents(server)

    result = rca("copy", src, server)
    assert result.code == EXIT_ERROR
    assert result.err.splitlines()[-1] == (
        f"rca-desk: error: {server}: already holds 1 incident; a copy goes only into a "
        "new or empty workspace. Nothing was copied."
    )
    assert contents(server) == content


def test_what_cannot_be_a_source_or_a_target_is_refused_in_one_line(
    rca: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "team.rcadesk"
    file_with_incidents(src).close()
    missing = rca("copy", "nothing.rcadesk", "new.rcadesk")
    assert (missing.code, missing.err) == (
        EXIT_ERROR,
        "rca-desk: error: nothing.rcadesk: no such workspace.\n",
    )
    itself = rca("copy", src, f"{tmp_path}/./team.rcadesk")
    assert itself.code == EXIT_ERROR and "is both SRC and DST" in itself.err
    secret = rca("copy", src, "postgresql://ann:hunter2@db.example/rca")
    assert secret.code == EXIT_ERROR and "hunter2" not in secret.err + secret.out
    assert secret.err.startswith("rca-desk: error: postgresql://ann:***@db.example/rca: holds")
    assert len(secret.err.splitlines()) == 1
    empty = rca("copy", src, "")
    assert empty.code == EXIT_ERROR and len(empty.err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.rcadesk"]


# ------------------------------------------------------------------ all or nothing
def interrupt_half_way(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Make the copy's progress report raise once some rows, not all, were written."""
    seen: list[tuple[int, int]] = []
    report = Meter.__call__

    def call(self: Meter, done: int, total: int) -> None:
        report(self, done, total)
        if self.unit == "rows":
            seen.append((done, total))
            if 0 < done < total:
                raise KeyboardInterrupt  # Ctrl+C in the middle of the copy

    monkeypatch.setattr(Meter, "__call__", call)
    return seen


@pytest.mark.parametrize("target", ["new file", "empty file", "new database", "empty workspace"])
def test_an_interrupted_copy_leaves_the_target_as_empty_as_it_was(
    rca: Callable[..., Run],
    tmp_path: Path,
    new_database: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    src = tmp_path / "team.rcadesk"
    file_with_incidents(src).close()
    dst: str | Path
    if target.endswith("file"):
        dst = tmp_path / "copy.rcadesk"
        if target == "empty file":
            Workspace.open(dst).close()
    else:
        dst = new_database()
        if target == "empty workspace":
            open_workspace(dst).close()
    seen = interrupt_half_way(monkeypatch)

    assert rca("copy", src, dst).code == 130
    assert any(0 < done < total for done, total in seen)
    if target == "new file":
        assert sorted(p.name for p in tmp_path.iterdir()) == ["team.rcadesk"]
    else:
        assert contents(dst).summaries == []
        assert contents(dst).action_numbers == []


def test_a_row_the_server_refuses_leaves_the_database_empty(
    rca: Callable[..., Run], tmp_path: Path, new_database: Callable[[], str]
) -> None:
    """A file edited by hand can hold text a server takes no part of (a NUL character):
    the copy stops at that row, the rows before it are rolled back, and the one line says
    so."""
    src = tmp_path / "team.rcadesk"
    with file_with_incidents(src) as workspace:
        workspace.conn.execute(
            "UPDATE action_history SET note = ? "
            "WHERE rowid = (SELECT max(rowid) FROM action_history)",
            ("hand\x00edited",),
        )
    server = new_database()

    result = rca("copy", src, server)
    assert result.code == EXIT_ERROR
    error = result.err.splitlines()[-1]
    assert error.startswith(f"rca-desk: error: {server}: ")
    assert error.endswith("; nothing was copied (it failed at the action_history rows).")
    assert "rca-desk: copying: " in result.err  # other rows had gone before it
    assert contents(server).summaries == []


# ------------------------------------------------------------------ what it says
def test_progress_goes_to_stderr_and_the_end_is_one_line(
    rca: Callable[..., Run], tmp_path: Path, new_database: Callable[[], str]
) -> None:
    src = tmp_path / "team.rcadesk"
    file_with_incidents(src).close()
    server = new_database()

    result = rca("copy", src, server)
    assert result.code == EXIT_OK
    lines = result.err.splitlines()
    rows = [line for line in lines if line.startswith("rca-desk: copying: ")]
    assert rows[0].startswith("rca-desk: copying: 0/") and rows[0].endswith(" rows (0%)")
    total = int(rows[0].split("/")[1].split()[0])
    assert rows[-1] == f"rca-desk: copying: {total}/{total} rows (100%)"
    assert 2 <= len(rows) <= 5  # not a line per batch: a log stays short
    assert lines[-1] == "rca-desk: comparing the JSON exports: 2/2 incidents (100%)"
    assert "\r" not in result.err  # plain lines when stderr is not a terminal
    assert result.out == copied_message(src, server, 2, total)


def test_on_a_terminal_the_progress_line_is_rewritten_in_place() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    meter = Meter("copying", "rows", stream)
    for done in (0, 0, 2000, 4000, 4100):
        meter(done, 4100)
    meter.end()
    assert stream.getvalue() == (
        "\rrca-desk: copying: 0/4100 rows (0%)"
        "\rrca-desk: copying: 2000/4100 rows (48%)"
        "\rrca-desk: copying: 4000/4100 rows (97%)"
        "\rrca-desk: copying: 4100/4100 rows (100%)\n"
    )
    many = Terminal()
    meter = Meter("comparing the JSON exports", "incidents", many)
    for done in range(100_001):
        meter(done, 100_000)
    assert many.getvalue().count("\r") == 101  # once a percent, not once an incident


def test_a_copy_that_exports_differently_is_an_error_naming_the_incident(
    rca: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, dst = tmp_path / "team.rcadesk", tmp_path / "copy.rcadesk"
    file_with_incidents(src).close()
    export = copy_command._export

    def differing(store: Any, incident_id: int) -> str:
        text = export(store, incident_id)
        return text + " " if store.location == str(dst) and incident_id == 3 else text

    monkeypatch.setattr(copy_command, "_export", differing)
    result = rca("copy", src, dst)
    assert result.code == EXIT_ERROR
    assert result.out == ""
    with Workspace.open(dst, create=False) as copy:
        uid = copy.incidents()[1].uid
    error = result.err.splitlines()[-1]
    assert error.startswith(
        f"rca-desk: error: {dst}: the copy differs from {src}: incident 3 ({uid}) exports "
        "different JSON;"
    )


# ------------------------------------------------------------------ server to server
def test_server_to_server(
    rca: Callable[..., Run], tmp_path: Path, new_database: Callable[[], str]
) -> None:
    src = tmp_path / "team.rcadesk"
    file_with_incidents(src).close()
    first, second = new_database(), new_database()
    assert rca("copy", src, first).code == EXIT_OK

    result = rca("copy", first, second)
    assert result.code == EXIT_OK, result.err
    assert result.out.startswith("Copied 2 incidents (")
    assert f"from {first} to {second};" in result.out
    assert contents(second) == contents(first) == contents(src)
