"""A bad file is refused with every problem named at its place in the file.

Each case starts from the sample's export, breaks one thing the way a person editing the
file by hand (or another tool) would, and expects the refusal to point at that spot, e.g.
``incidents[0].causes[3].category``. Nothing reaches the workspace.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rca_desk.interchange.json_format import (
    ImportRefusedError,
    dumps,
    import_file,
    import_incidents,
    loads,
    parse_document,
    read_json,
    write_json,
)
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident
from rca_desk.store import Workspace
from tests.conftest import TODAY

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def base() -> Doc:
    """The sample's export (causes in file order: tech-1..5, tech-6, tech-7, sop-1..5, ...)."""
    return json.loads(dumps(sample_incidents(TODAY)))  # type: ignore[no-any-return]


def inc(doc: Doc) -> Doc:
    return doc["incidents"][0]  # type: ignore[no-any-return]


def set_cause(index: int, key: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        inc(doc)["causes"][index][key] = value

    return change


def set_action(index: int, key: str, value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        inc(doc)["actions"][index][key] = value

    return change


def duplicate_incident(doc: Doc) -> None:
    doc["incidents"].append(copy.deepcopy(inc(doc)))
    for action in doc["incidents"][1]["actions"]:
        action["uid"] += "x"  # only the incident uid clashes


def parent_cycle(doc: Doc) -> None:
    causes = inc(doc)["causes"]
    causes[7]["parent"] = "sop-2"  # sop-1 under its own child sop-2


def history_gap(doc: Doc) -> None:
    inc(doc)["actions"][0]["history"][1]["from"] = "in_progress"


def status_unlike_history(doc: Doc) -> None:
    inc(doc)["actions"][3]["status"] = "implemented"


def forbidden_step(doc: Doc) -> None:
    history = inc(doc)["actions"][1]["history"]
    history[2] = {**history[2], "to": "verified_effective"}


def drop_required(doc: Doc) -> None:
    del inc(doc)["causes"][5]["parent"]


def unknown_field(doc: Doc) -> None:
    inc(doc)["colour"] = "red"


def change(key: str, value: Any) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        inc(doc)[key] = value

    return apply


def impact(key: str, value: Any) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        inc(doc)["impact"][key] = value

    return apply


def link(key: str, value: Any) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        inc(doc)["links"][0][key] = value

    return apply


def top(key: str, value: Any) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        doc[key] = value

    return apply


def category_item(value: Any) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        inc(doc)["categories"][2] = value

    return apply


def root_cause_item(action: int, value: Any) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        inc(doc)["actions"][action]["root_causes"] = [value]

    return apply


# (what is broken, where the problem must be, a word the message must contain)
CASES: list[tuple[Callable[[Doc], None], str, str]] = [
    (set_cause(3, "category", "Weather"), "incidents[0].causes[3].category", "categories"),
    (set_cause(3, "category", 7), "incidents[0].causes[3].category", "text"),
    (set_cause(2, "text", "   "), "incidents[0].causes[2].text", "empty"),
    (set_cause(4, "evidence", "certain"), "incidents[0].causes[4].evidence", "hypothesis"),
    (set_cause(4, "root_cause", "yes"), "incidents[0].causes[4].root_cause", "true or false"),
    (set_cause(6, "parent", "tech-99"), "incidents[0].causes[6].parent", "tech-99"),
    (set_cause(9, "id", "sop-2"), "incidents[0].causes[9].id", "another cause"),
    (set_cause(9, "id", "has space"), "incidents[0].causes[9].id", "letters"),
    (set_cause(9, "id", "trailing\n"), "incidents[0].causes[9].id", "letters"),
    (parent_cycle, "incidents[0].causes[", "cycle"),
    (drop_required, "incidents[0].causes[5]", "parent"),
    (link("cause", "nowhere"), "incidents[0].links[0].cause", "nowhere"),
    (link("effect", "nowhere"), "incidents[0].links[0].effect", "nowhere"),
    (link("cause", "qc-1"), "incidents[0].links[0]", "cycle"),
    (root_cause_item(0, "qc-2"), "incidents[0].actions[0].root_causes[0]", "root cause"),
    (root_cause_item(0, "ghost"), "incidents[0].actions[0].root_causes[0]", "ghost"),
    (root_cause_item(0, 5), "incidents[0].actions[0].root_causes[0]", "cause id"),
    (set_action(2, "due", "next week"), "incidents[0].actions[2].due", "YYYY-MM-DD"),
    (set_action(2, "strength", "mighty"), "incidents[0].actions[2].strength", "strong"),
    (set_action(2, "uid", "a b"), "incidents[0].actions[2].uid", "letters"),
    (set_action(4, "owner", None), "incidents[0].actions[4].owner", "text"),
    (history_gap, "incidents[0].actions[0].history[1].from", "previous entry"),
    (forbidden_step, "incidents[0].actions[1].history[2].to", "allowed after committed"),
    (status_unlike_history, "incidents[0].actions[3].status", "history"),
    (change("whys_depth", "five"), "incidents[0].whys_depth", "whole number"),
    (change("whys_depth", 50), "incidents[0].whys_depth", "between 1 and 20"),
    (change("occurred_at", "yesterday"), "incidents[0].occurred_at", "ISO 8601"),
    (change("severity", "apocalyptic"), "incidents[0].severity", "critical"),
    (change("causes", {}), "incidents[0].causes", "list"),
    (change("title", ""), "incidents[0].title", "empty"),
    (impact("financial", 6400), "incidents[0].impact.financial", "text"),
    (category_item(3), "incidents[0].categories[2]", "text"),
    (category_item("bad\ud800"), "incidents[0].categories[2]", "Unicode"),
    (unknown_field, "incidents[0].colour", "not a field"),
    (duplicate_incident, "incidents[1].uid", "twice"),
    (top("format", "drawio"), "format", "rca-desk"),
    (top("version", 2), "version", "newer"),
    (top("version", "2.0"), "version", "newer"),
    (top("version", "1"), "version", "format version"),
    (top("version", "1.0.1"), "version", "format version"),
    (top("version", 1.0), "version", "format version"),
    (top("version", "0.1"), "version", "format version"),
    (top("incidents", "all"), "(top).incidents", "list"),
]


@pytest.mark.parametrize(("breaks", "place", "word"), CASES, ids=[f"{c[1]}:{c[2]}" for c in CASES])
def test_each_mistake_is_named_at_its_place(
    base: Doc, breaks: Callable[[Doc], None], place: str, word: str
) -> None:
    doc = copy.deepcopy(base)
    breaks(doc)
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(doc, source="hand-edited.json")
    problems = caught.value.problems
    assert problems
    hits = [p for p in problems if p.place.startswith(place) and word in p.message]
    assert hits, [str(p) for p in problems]
    assert str(caught.value).startswith("hand-edited.json: not imported: ")


def test_every_problem_is_collected_not_just_the_first(base: Doc) -> None:
    doc = copy.deepcopy(base)
    for breaks in (
        set_cause(3, "category", "Weather"),
        set_action(2, "due", "next week"),
        impact("financial", 6400),
    ):
        breaks(doc)
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(doc)
    places = {p.place for p in caught.value.problems}
    assert {
        "incidents[0].causes[3].category",
        "incidents[0].actions[2].due",
        "incidents[0].impact.financial",
    } <= places
    assert str(caught.value).endswith(" (2 more problems; --verbose lists them)")


@pytest.mark.parametrize(
    ("raw", "word"),
    [
        (b"", "not valid JSON"),
        (b'{"format": "rca-desk", "version": 1, "incidents": [', "line 1"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"format": "rca-desk", "version": 1, "incidents": [NaN]}', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b'{"format": "rca-desk", "version": 1, "x": ' + b"9" * 5000 + b"}", "not valid JSON"),
        (b"[1, 2, 3]", "must be an object"),
        (b'"rca-desk"', "must be an object"),
    ],
    ids=["empty", "truncated", "not-utf8", "nan", "deep", "huge-number", "list", "string"],
)
def test_unreadable_documents_are_refused_whole(raw: bytes, word: str) -> None:
    with pytest.raises(ImportRefusedError) as caught:
        loads(raw, source="in.json")
    assert caught.value.problems
    assert word in str(caught.value)


def test_a_byte_order_mark_is_accepted(sample: Incident) -> None:
    text = dumps([sample])
    assert dumps(loads(b"\xef\xbb\xbf" + text.encode("utf-8"))) == text


def test_a_refused_file_changes_nothing(
    sample_workspace: Workspace, tmp_path: Path, base: Doc
) -> None:
    doc = copy.deepcopy(base)
    set_cause(3, "category", "Weather")(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    before = sample_workspace.content()
    with pytest.raises(ImportRefusedError) as caught:
        import_file(sample_workspace, bad)
    assert str(caught.value).startswith(f"{bad}: not imported: incidents[0].causes[3].category")
    assert sample_workspace.content() == before


def test_uids_already_in_the_workspace_are_refused(
    sample_workspace: Workspace, sample: Incident
) -> None:
    before = sample_workspace.content()
    again = loads(dumps([sample]))
    with pytest.raises(ImportRefusedError) as caught:
        import_incidents(sample_workspace, again, source="again.json")
    assert caught.value.problems[0].place == "incidents[0].uid"

    # Same actions under a new incident uid: the actions clash, at their own places.
    again[0].uid = "a-new-incident"
    with pytest.raises(ImportRefusedError) as caught:
        import_incidents(sample_workspace, again, source="again.json")
    places = [p.place for p in caught.value.problems]
    assert places == [f"incidents[0].actions[{j}].uid" for j in range(len(sample.actions))]
    assert sample_workspace.content() == before


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefusedError, match="cannot be read") as caught:
        read_json(tmp_path / "missing.json")
    assert str(tmp_path / "missing.json") in str(caught.value)
    with pytest.raises(ImportRefusedError, match="cannot be read"):
        read_json(tmp_path)  # a folder


def test_write_then_read_a_file(tmp_path: Path, sample: Incident) -> None:
    path = tmp_path / "out.json"
    write_json(path, [sample])
    assert dumps(read_json(path)) == dumps([sample])
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left behind
