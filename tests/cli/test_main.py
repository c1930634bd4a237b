"""The ``rca-desk`` command, called in-process: outputs, filters and exit statuses.

0 is success, 1 is ``check`` with findings, 2 is anything a person can cause (a bad file,
a wrong id, a file that is not a workspace): one ``rca-desk: error: ...`` line on stderr,
never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from rca_desk.cli.main import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, main
from rca_desk.interchange.json_format import dumps
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import HEAD, ActionStatus, CauseGraph, Incident, PreventiveAction, Strength
from rca_desk.store import ENV_VAR, Workspace
from rca_desk.store.paths import DEFAULT_NAME
from tests.conftest import TODAY

DAY = TODAY.isoformat()


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def rca(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*argv: str | Path) -> Run:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def one_error_line(result: Run, *words: str) -> None:
    assert result.code == EXIT_ERROR
    assert len(result.err_lines) == 1, result.err
    assert result.err.startswith("rca-desk: error: ")
    assert "Traceback" not in result.err
    for word in words:
        assert word in result.err


def state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


# ----------------------------------------------------------------- demo, check, list
def test_demo_then_check_reports_the_samples_findings(rca: Any, tmp_path: Path) -> None:
    ws = tmp_path / "w.rcadesk"
    demo = rca("--workspace", ws, "demo")
    assert demo.code == EXIT_OK
    assert "Added sample incident 1: Northwind Retail" in demo.out
    assert str(ws) in demo.out

    check = rca("--workspace", ws, "check")
    assert check.code == EXIT_FINDINGS
    lines = check.out.splitlines()
    kinds = [line.split(": ")[1] for line in lines[:-1]]
    assert kinds.count("overdue-action") == 2
    assert {"root-cause-without-action", "shallow-chain", "blames-a-person"} <= set(kinds)
    assert "forgot to snapshot" in check.out  # the blaming cause is named
    assert "Bi-weekly audit of staging data" in check.out  # an overdue action is named
    assert lines[-1] == f"{len(kinds)} finding(s) in 1 of 1 incident(s)"


def test_check_json_and_a_clean_workspace(rca: Any, sample_workspace: Workspace) -> None:
    ws = sample_workspace.path
    result = rca("--workspace", ws, "check", "--json", "--today", DAY)
    assert result.code == EXIT_FINDINGS
    records = json.loads(result.out)
    assert {r["kind"] for r in records} >= {"overdue-action", "blames-a-person"}
    keys = {"incident", "kind", "level", "fails_check", "subject", "message"}
    assert all(set(r) == keys for r in records)
    assert {r["level"] for r in records if r["kind"] == "overdue-action"} == {"problem"}
    assert {r["subject"] for r in records if r["kind"] == "blames-a-person"} == {"sop-4"}

    clean = Incident(title="Nothing to say")
    sample_workspace.add_incident(clean)
    only_clean = rca("--workspace", ws, "check", "--incident", clean.uid, "--today", DAY)
    assert only_clean.code == EXIT_OK
    assert only_clean.out == "No findings in 1 incident(s).\n"


def test_a_note_alone_does_not_fail_the_check(rca: Any, workspace: Workspace) -> None:
    """root-cause-rests-on-hypothesis is a note: listed, but the check still passes."""
    graph = CauseGraph(problem="Orders shipped twice")
    why = graph.add_cause(HEAD, text="Retry resends whole batches", category="Technology")
    root = graph.add_cause(why, text="No idempotency key", root_cause=True, evidence="verified")
    incident = Incident(title="Double shipping", graph=graph, whys_depth=2)
    incident.add_action(
        PreventiveAction.propose(
            at=datetime(2026, 10, 1, 9, 0),
            title="Add idempotency keys to the shipping API",
            root_causes=[root],
            owner="Sam",
            due=date(2027, 1, 15),
            verify_on=date(2027, 3, 1),
            metric="duplicate shipments",
            target="0",
            strength=Strength.STRONG,
        )
    )
    incident.actions[0].change_status(ActionStatus.COMMITTED, at=datetime(2026, 10, 2, 9, 0))
    workspace.add_incident(incident)
    result = rca("--workspace", workspace.path, "check", "--today", DAY)
    assert result.out.startswith("incident 1: root-cause-rests-on-hypothesis: ")
    assert result.code == EXIT_OK


def test_list_json_keys_and_values(rca: Any, sample_workspace: Workspace) -> None:
    result = rca("--workspace", sample_workspace.path, "list", "--json")
    assert result.code == EXIT_OK
    (record,) = json.loads(result.out)
    assert set(record) == {
        "id", "uid", "title", "status", "severity", "occurred_at", "affected",
        "causes", "root_causes", "actions", "open_actions", "damaged",
    }  # fmt: skip
    assert record["damaged"] is None
    assert record["causes"] == 22
    assert record["root_causes"] == 6
    assert (record["actions"], record["open_actions"]) == (6, 5)
    assert record["status"] == "monitoring"
    datetime.fromisoformat(record["occurred_at"])


def test_list_table_and_empty(rca: Any, workspace: Workspace) -> None:
    empty = rca("--workspace", workspace.path, "list")
    assert empty.code == EXIT_OK
    assert "No incidents" in empty.out
    workspace.add_incident(sample_incidents(TODAY)[0])
    table = rca("--workspace", workspace.path, "list")
    header, row = table.out.splitlines()
    assert header.split() == ["ID", "STATUS", "SEVERITY", "OCCURRED", "CAUSES", "ROOTS",
                              "OPEN", "ACTIONS", "TITLE"]  # fmt: skip
    assert row.split()[:7] == ["1", "monitoring", "high", "2026-11-02", "22", "6", "5/6"]


# ----------------------------------------------------------------------- actions
@pytest.fixture
def two_incidents(sample_workspace: Workspace) -> tuple[Workspace, Incident]:
    other = sample_incidents(TODAY)[0]
    other.update_fields(title="Second incident")
    for action in other.actions[1:]:
        other.remove_action(action.uid)
    other.actions[0].owner = "Olu Ade (Ops)"
    sample_workspace.add_incident(other)
    return sample_workspace, other


def actions_json(rca: Any, ws: Path, *extra: str) -> list[dict[str, Any]]:
    result = rca("--workspace", ws, "actions", "--format", "json", "--today", DAY, *extra)
    assert result.code == EXIT_OK, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_actions_json(rca: Any, two_incidents: tuple[Workspace, Incident]) -> None:
    workspace, _ = two_incidents
    records = actions_json(rca, workspace.path)
    assert len(records) == 7
    first = records[0]
    assert set(first) == {
        "id", "uid", "incident", "incident_title", "title", "owner", "due", "verify_on",
        "status", "strength", "overdue", "root_causes", "categories", "metric", "target",
    }  # fmt: skip
    assert first["root_causes"] == [
        {"id": "qc-3", "text": "The release pipeline has no per-tenant data reconciliation step"}
    ]
    assert first["categories"] == ["QC checkpoints"]
    assert [r["overdue"] for r in records[:6]] == [False, False, True, True, False, False]


@pytest.mark.parametrize(
    ("extra", "titles"),
    [
        (("--status", "in_progress"), ["Automated data", "Move month-end", "Automated data"]),
        (("--status", "In Progress"), ["Automated data", "Move month-end", "Automated data"]),
        (("--owner", "priya"), ["Automated data", "Move month-end"]),
        (("--owner", "OLU"), ["Automated data"]),
        (("--overdue",), ["Bi-weekly audit", "Move month-end"]),
        (("--incident", "2"), ["Automated data"]),
        (("--overdue", "--owner", "lena"), ["Bi-weekly audit"]),
        (("--status", "cancelled"), []),
    ],
)
def test_actions_filters(
    rca: Any, two_incidents: tuple[Workspace, Incident], extra: tuple[str, ...], titles: list[str]
) -> None:
    workspace, _ = two_incidents
    records = actions_json(rca, workspace.path, *extra)
    assert [r["title"][: len(t)] for r, t in zip(records, titles, strict=False)] == titles
    assert len(records) == len(titles)


def test_actions_incident_by_uid(rca: Any, two_incidents: tuple[Workspace, Incident]) -> None:
    workspace, other = two_incidents
    records = actions_json(rca, workspace.path, "--incident", other.uid)
    assert [r["incident_title"] for r in records] == ["Second incident"]


def test_actions_table(rca: Any, sample_workspace: Workspace) -> None:
    result = rca("--workspace", sample_workspace.path, "actions", "--today", DAY)
    assert result.code == EXIT_OK
    lines = result.out.splitlines()
    assert lines[0].split() == ["ID", "INC", "STATUS", "STRENGTH", "DUE", "OWNER", "TITLE"]
    assert len(lines) == 7
    assert sum("OVERDUE" in line for line in lines) == 2
    none = rca("--workspace", sample_workspace.path, "actions", "--status", "cancelled")
    assert none.out == "No actions match.\n"


def test_actions_csv_is_parseable_and_formula_safe(
    rca: Any, sample_workspace: Workspace, sample: Incident
) -> None:
    sample.update_cause("com-3", text="-Dangerous root cause")
    sample_workspace.save_cause(sample, "com-3")
    action = PreventiveAction(
        title='=HYPERLINK("http://evil.example","x")',
        root_causes=["com-3"],
        owner="+Mallory",
        metric="@SUM(1)",
        strength=Strength.WEAK,
        due=date(2026, 12, 24),
    )
    sample.add_action(action)
    sample_workspace.save_action(sample, action)

    result = rca("--workspace", sample_workspace.path, "actions", "--format", "csv", "--today", DAY)
    assert result.code == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 7
    evil = rows[-1]
    assert evil["title"] == "'" + action.title
    assert evil["owner"] == "'+Mallory"
    assert evil["root_causes"] == "'-Dangerous root cause"
    assert evil["due"] == "2026-12-24"
    assert evil["overdue"] == "no"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert [r["overdue"] for r in rows[:6]] == ["no", "no", "yes", "yes", "no", "no"]


def test_actions_bad_status_is_one_line(rca: Any, sample_workspace: Workspace) -> None:
    result = rca("--workspace", sample_workspace.path, "actions", "--status", "someday")
    one_error_line(result, "someday", "in_progress")


# ------------------------------------------------------------- export and import
def test_export_import_round_trip(rca: Any, sample_workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    exported = rca("--workspace", sample_workspace.path, "export-json", "-o", out)
    assert exported.code == EXIT_OK
    assert "Exported 1 incident(s)" in exported.err

    other = tmp_path / "other.rcadesk"
    imported = rca("--workspace", other, "import", out)
    assert imported.code == EXIT_OK
    assert imported.out == f"Imported 1 incident(s) from {out}: ids 1\n"

    again = rca("--workspace", other, "export-json", "-o", "-")
    assert again.code == EXIT_OK
    assert again.out == out.read_text(encoding="utf-8")
    assert json.loads(again.out)["incidents"][0]["title"].startswith("Northwind")

    # Importing the same file again clashes on the uid and changes nothing.
    with Workspace.open(other) as ws:
        before = ws.content()
    clash = rca("--workspace", other, "import", out)
    one_error_line(clash, str(out), "incidents[0].uid", "already in the workspace")
    with Workspace.open(other) as ws:
        assert ws.content() == before


def test_export_one_incident(rca: Any, two_incidents: tuple[Workspace, Incident]) -> None:
    workspace, other = two_incidents
    result = rca("--workspace", workspace.path, "export-json", "--incident", other.uid, "-o", "-")
    assert result.code == EXIT_OK
    assert result.out == dumps([workspace.load(2)])


def bad_document(sample: Incident, *, problems: int) -> str:
    doc = json.loads(dumps([sample]))
    doc["incidents"][0]["causes"][3]["category"] = "Weather"
    if problems > 1:
        doc["incidents"][0]["actions"][2]["due"] = "next week"
    return json.dumps(doc)


def test_import_of_a_bad_file_one_problem(
    rca: Any, sample_workspace: Workspace, sample: Incident, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(bad_document(sample_incidents(TODAY)[0], problems=1), encoding="utf-8")
    before = sample_workspace.content()
    result = rca("--workspace", sample_workspace.path, "import", bad)
    one_error_line(result, str(bad), "incidents[0].causes[3].category", "Weather")
    assert result.out == ""
    assert sample_workspace.content() == before


def test_import_of_a_bad_file_says_one_line_and_lists_every_problem_when_asked(
    rca: Any, sample_workspace: Workspace, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(bad_document(sample_incidents(TODAY)[0], problems=2), encoding="utf-8")
    before = sample_workspace.content()
    first = (
        f"rca-desk: error: {bad}: not imported: incidents[0].causes[3].category: 'Weather' "
        "is not one of the incident's categories (SOPs, Training, Technology, QC "
        "checkpoints, Communication) (1 more problem; --verbose lists them)"
    )
    result = rca("--workspace", sample_workspace.path, "import", bad)
    assert result.code == EXIT_ERROR
    assert result.err_lines == [first]

    verbose = rca("--workspace", sample_workspace.path, "import", "--verbose", bad)
    assert verbose.code == EXIT_ERROR
    assert verbose.err_lines == [
        first,
        "  - incidents[0].causes[3].category: 'Weather' is not one of the incident's "
        "categories (SOPs, Training, Technology, QC checkpoints, Communication)",
        "  - incidents[0].actions[2].due: 'next week' is not a date (YYYY-MM-DD)",
    ]
    assert sample_workspace.content() == before


@pytest.mark.parametrize(
    ("content", "word"),
    [(b"{not json", "not valid JSON"), (b"\xff\xfe", "not UTF-8"), (None, "cannot be read")],
    ids=["syntax", "encoding", "missing"],
)
def test_import_of_an_unreadable_file_creates_no_workspace(
    rca: Any, tmp_path: Path, content: bytes | None, word: str
) -> None:
    source = tmp_path / "in.json"
    if content is not None:
        source.write_bytes(content)
    new = tmp_path / "new.rcadesk"
    result = rca("--workspace", new, "import", source)
    one_error_line(result, str(source), word)
    assert not new.exists(), "a refused import must not leave an empty workspace behind"


@pytest.mark.parametrize(
    "argv",
    [
        ("export-json", "--incident", "999", "-o", "-"),
        ("export-json", "--incident", "no-such-uid", "-o", "-"),
        ("actions", "--incident", "7"),
        ("check", "--incident", "7"),
    ],
)
def test_unknown_incident(rca: Any, sample_workspace: Workspace, argv: tuple[str, ...]) -> None:
    result = rca("--workspace", sample_workspace.path, *argv)
    one_error_line(result, "There is no incident", repr(argv[2]))
    assert result.out == ""


# ------------------------------------------------------------------ the workspace
@pytest.mark.parametrize(
    "argv",
    [("list",), ("demo",), ("actions",), ("check",), ("export-json", "-o", "-")],
    ids=lambda argv: argv[0],
)
def test_workspace_that_is_a_text_file(rca: Any, tmp_path: Path, argv: tuple[str, ...]) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a workspace\n", encoding="utf-8")
    before = state(text)
    result = rca("--workspace", text, *argv)
    one_error_line(result, str(text), "not an rca-desk workspace")
    assert state(text) == before
    assert sorted(os.listdir(tmp_path)) == ["notes.txt"]


def test_import_into_a_text_file(rca: Any, tmp_path: Path, sample: Incident) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a workspace\n", encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(dumps([sample]), encoding="utf-8")
    before = state(text)
    result = rca("--workspace", text, "import", good)
    one_error_line(result, str(text))
    assert state(text) == before


def test_a_missing_workspace_is_not_created_by_reading(rca: Any, tmp_path: Path) -> None:
    missing = tmp_path / "missing.rcadesk"
    result = rca("--workspace", missing, "list")
    one_error_line(result, str(missing), "no such workspace", "rca-desk demo")
    assert not missing.exists()


def test_workspace_option_beats_variable_beats_default(
    rca: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rca_desk.store import resolve_workspace_path

    default = resolve_workspace_path()
    assert not default.exists()
    assert rca("demo").code == EXIT_OK
    assert default.is_file()

    from_env = tmp_path / "env.rcadesk"
    monkeypatch.setenv(ENV_VAR, str(from_env))
    assert rca("demo").code == EXIT_OK
    assert from_env.is_file()

    option = tmp_path / "opt.rcadesk"
    assert rca("--workspace", option, "demo").code == EXIT_OK
    assert option.is_file()

    listed = {
        path: len(json.loads(rca("--workspace", path, "list", "--json").out))
        for path in (default, from_env, option)
    }
    assert listed == {default: 1, from_env: 1, option: 1}
    assert (
        json.loads(rca("list", "--json").out)[0]["uid"]
        == json.loads(rca("--workspace", from_env, "list", "--json").out)[0]["uid"]
    )
    assert default.name == DEFAULT_NAME


# ---------------------------------------------------------------- statuses
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["actions", "--format", "xml"])
    assert caught.value.code == EXIT_ERROR
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["check", "--today", "someday"])
    assert caught.value.code == EXIT_ERROR


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == EXIT_OK
    assert capsys.readouterr().out.startswith("rca-desk ")


def test_an_internal_error_is_one_line_unless_debugging(
    rca: Any, sample_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Workspace) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Workspace, "incidents", broken)
    result = rca("--workspace", sample_workspace.path, "list")
    assert result.code == EXIT_INTERNAL
    assert result.err_lines == [
        "rca-desk: internal error: RuntimeError: disk on fire "
        "(set RCA_DESK_DEBUG=1 for details, and please report it)"
    ]
    monkeypatch.setenv("RCA_DESK_DEBUG", "1")
    debug = rca("--workspace", sample_workspace.path, "list")
    assert debug.code == EXIT_INTERNAL
    assert "Traceback" in debug.err
