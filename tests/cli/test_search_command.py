"""``rca-desk search QUERY [--json] [--limit N]`` on a workspace file and on a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rca_desk.cli.main import main
from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import open_workspace
from tests.postgres import server_workspace_url
from tests.store.backends import write_raw


@pytest.fixture(params=["file", "server"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A workspace with two incidents, on either backend."""
    where = (
        str(tmp_path / "team.rcadesk") if request.param == "file" else server_workspace_url(request)
    )
    with open_workspace(where) as ws:
        for title, root, other in [
            ("Portal down for a morning", "The TLS certificate expired", "Alerts went to nobody"),
            ("Sales history lost", "Nobody owns refreshing staging", "Backups skip a table"),
        ]:  # fmt: skip
            graph = CauseGraph(problem=title)
            graph.add_cause(HEAD, text=root, category="SOPs", root_cause=True, cause_id="r1")
            graph.add_cause(HEAD, text=other, category="SOPs", cause_id="c2")
            ws.add_incident(Incident(title=title, graph=graph))
    return where


def run(location: str, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--workspace", location, *argv])
    out, err = capsys.readouterr()
    return code, out.replace(location, "<workspace>"), err


def test_search_prints_ranked_hits_with_snippets(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(location, capsys, "search", "certificates") == (
        0,
        "INCIDENT  TITLE                      FOUND IN       MATCH\n"
        "1         Portal down for a morning  Root cause r1  The TLS [certificate] expired\n",
        "",
    )
    code, out, _ = run(location, capsys, "search", "No owner for the staging refresh")
    assert code == 0
    assert out.splitlines()[1].split("  ")[-1] == "[Nobody] [owns] [refreshing] [staging]"


def test_search_as_json(location: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(location, capsys, "search", "owner staging", "--json", "--limit", "1")
    assert (code, err) == (0, "")
    (hit,) = json.loads(out)
    hit.pop("score")
    assert hit == {
        "incident_id": 2,
        "incident_title": "Sales history lost",
        "kind": "cause",
        "ref": "r1",
        "cause_id": "r1",
        "root_cause": True,
        "text": "Nobody owns refreshing staging",
        "snippet": "[Nobody] [owns] refreshing [staging]",
    }
    code, out, _ = run(location, capsys, "search", "nobody", "--json")
    hits = json.loads(out)
    assert {(h["incident_id"], h["ref"]) for h in hits} == {(1, "c2"), (2, "r1")}


def test_search_finds_nothing_or_has_nothing_to_look_for(
    location: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(location, capsys, "search", "payroll") == (
        0,
        "Nothing in <workspace> matches 'payroll'.\n",
        "",
    )
    assert run(location, capsys, "search", "payroll", "--json") == (0, "[]\n", "")
    code, out, err = run(location, capsys, "search", "the of 42")
    assert (code, out) == (2, "")
    assert err.startswith("rca-desk: error: Nothing to search for in 'the of 42'")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"certificate', {(1, "r1")}),
        ("certificate*", {(1, "r1")}),
        ("cert*", set()),
        ("NEAR(certificate", {(1, "r1")}),
        ("text:certificate", {(1, "r1")}),
        ("certificate & !expired", {(1, "r1")}),
        ("certificate NOT expired", {(1, "r1")}),
        ("'; DROP TABLE incidents; --", {(2, "c2")}),  # "table" is a word of a cause
    ],
)
def test_search_syntax_is_only_words(
    location: str, capsys: pytest.CaptureFixture[str], query: str, expected: set[tuple[int, str]]
) -> None:
    code, out, err = run(location, capsys, "search", query, "--json")
    assert (code, err) == (0, "")
    assert {(h["incident_id"], h["ref"]) for h in json.loads(out)} == expected
    assert len(json.loads(run(location, capsys, "list", "--json")[1])) == 2


def test_search_output_is_terminal_safe(location: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Text written behind the app's back (the model would have stripped the escape)."""
    write_raw(location, "UPDATE edit_counter SET last = last + 1 WHERE id = 1")
    write_raw(
        location,
        "UPDATE causes SET text = ? WHERE incident_id = 1 AND id = 'c2'",
        ("Alerts went to \x1b[31mnobody",),
    )
    write_raw(location, "UPDATE incidents SET edited = (SELECT last FROM edit_counter)")
    code, out, _ = run(location, capsys, "search", "alerts")
    assert code == 0
    assert "\x1b" not in out and "\ufffd[31m" in out
    code, out, _ = run(location, capsys, "search", "alerts", "--json")
    assert "\x1b" not in out
    assert json.loads(out)[0]["text"] == "Alerts went to \x1b[31mnobody"


@pytest.mark.parametrize("query", ["🙂", "*", "-", "\"'"])
def test_a_query_without_words_says_so(
    location: str, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    code, _out, err = run(location, capsys, "search", query)
    assert code == 2
    assert err == (
        f"rca-desk: error: Nothing to search for in {query!r}: it has no words, only symbols "
        "or punctuation.\n"
    )
