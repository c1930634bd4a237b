"""Small, visible details of the exports and of the importer's messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rca_desk.interchange import json_format
from rca_desk.interchange.dot import to_dot, write_dot
from rca_desk.interchange.json_format import (
    ImportRefusedError,
    dumps,
    import_file,
    loads,
    read_json,
    to_document,
)
from rca_desk.interchange.mermaid import to_mermaid
from rca_desk.interchange.tables import to_table
from rca_desk.model import HEAD, CauseGraph, Incident
from rca_desk.store import Workspace


def graph() -> CauseGraph:
    g = CauseGraph(problem="P", categories=["A"])
    g.add_cause(HEAD, text="one", cause_id="a")
    return g


def test_an_unknown_view_is_refused_listing_the_views() -> None:
    with pytest.raises(ValueError) as dot:
        to_dot(graph(), view="side")
    assert str(dot.value) == "unknown view 'side'; use one of: fishbone, whys"
    with pytest.raises(ValueError) as mermaid:
        to_mermaid(graph(), view="side")
    assert str(mermaid.value) == "unknown view 'side'; use one of: fishbone, whys"


def test_a_written_fishbone_has_its_category_clusters(tmp_path: Path) -> None:
    write_dot(tmp_path / "f.dot", graph())
    assert "subgraph cluster_0 {" in (tmp_path / "f.dot").read_text(encoding="utf-8")
    write_dot(tmp_path / "g.dot", graph(), clusters=False)
    assert "subgraph" not in (tmp_path / "g.dot").read_text(encoding="utf-8")


def test_the_last_column_is_cut_at_60_characters() -> None:
    table = to_table(["id", "title"], [["1", "x" * 60], ["22", "y" * 61]])
    assert table.splitlines() == [
        "id  title",
        "1   " + "x" * 60,
        "22  " + "y" * 59 + "…",
    ]
    assert to_table(["a", "b"], [["1", "2"]], wrap_last=1) == "a  b\n1  2\n"
    assert to_table(["a", "b"], [["1", "23"]], wrap_last=1) == "a  b\n1  …\n"


def test_values_in_messages_are_cut_at_40_characters() -> None:
    header = {key: value for key, value in to_document([]).items() if key != "incidents"}
    for value, shown in (("s" * 38, repr("s" * 38)), ("s" * 39, repr("s" * 39)[:39] + "…")):
        raw = {"uid": "u", "title": "T", "problem": "P", "severity": value}
        with pytest.raises(ImportRefusedError) as refused:
            loads(json.dumps({**header, "incidents": [raw]}))
        assert str(refused.value.problems[0]) == (
            f"incidents[0].severity: {shown} is not one of: low, medium, high, critical"
        )


def test_not_a_number_is_not_json() -> None:
    with pytest.raises(ImportRefusedError) as refused:
        loads('{"format": NaN}')
    assert (
        str(refused.value) == "document: not imported: is not valid JSON (NaN is not a JSON number)"
    )


def test_a_file_at_the_size_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "exact.json"
    path.write_text(dumps([]), encoding="utf-8")
    monkeypatch.setattr(json_format, "MAX_FILE_BYTES", path.stat().st_size)
    assert read_json(path) == []


def test_a_file_that_cannot_be_read_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ImportRefusedError) as refused:
        read_json(tmp_path / "missing.json")
    assert str(refused.value) == (
        f"{tmp_path / 'missing.json'}: not imported: cannot be read (No such file or directory)"
    )


def test_importing_a_file_names_the_file_in_a_clash(tmp_path: Path, workspace: Workspace) -> None:
    path = tmp_path / "one.json"
    path.write_text(dumps([Incident(title="Once", uid="once")]), encoding="utf-8")
    assert len(import_file(workspace, path)) == 1
    with pytest.raises(ImportRefusedError) as refused:
        import_file(workspace, path)
    assert str(refused.value) == (
        f"{path}: not imported: incidents[0].uid: incident 'Once' is already in the workspace"
    )
