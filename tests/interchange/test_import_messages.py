"""What a refused import says, word for word, and the small formats' fixed texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rca_desk.interchange import json_format
from rca_desk.interchange.ical import fold
from rca_desk.interchange.json_format import (
    ImportRefusedError,
    Problem,
    dumps,
    import_incidents,
    loads,
    read_json,
    to_document,
)
from rca_desk.interchange.tables import to_csv
from rca_desk.model import Incident
from rca_desk.store import Workspace


def header() -> dict[str, object]:
    return {key: value for key, value in to_document([]).items() if key != "incidents"}


def refusal(raw: str | bytes, **options: str) -> str:
    with pytest.raises(ImportRefusedError) as refused:
        loads(raw, **options)
    return str(refused.value)


def test_a_problem_without_a_place_is_just_its_message() -> None:
    assert str(Problem("", "is not UTF-8 text")) == "is not UTF-8 text"
    assert str(Problem("incidents[0].title", "must be text")) == "incidents[0].title: must be text"


def test_bad_json_is_named_with_line_and_column() -> None:
    assert refusal("{\n  oops") == (
        "document: not imported: is not valid JSON: "
        "Expecting property name enclosed in double quotes at line 2, column 3"
    )
    assert (
        refusal("[]", source="f.json")
        == "f.json: not imported: (top): must be an object, not a list"
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [([], "a list"), (None, "null"), ({}, "an object"), (True, "true/false"), (1.5, "a number")],
)
def test_a_wrong_type_is_named_in_plain_words(value: object, kind: str) -> None:
    document = {**header(), "incidents": [{"uid": "u", "title": value, "problem": "P"}]}
    assert refusal(json.dumps(document)) == (
        f"document: not imported: incidents[0].title: must be text, not {kind}"
    )


def test_a_file_over_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.json"
    path.write_text(dumps([]), encoding="utf-8")
    monkeypatch.setattr(json_format, "MAX_FILE_BYTES", 10)
    with pytest.raises(ImportRefusedError) as refused:
        read_json(path)
    assert str(refused.value) == f"{path}: not imported: is larger than 200 MB"


def test_an_action_already_in_the_workspace_is_named(
    workspace: Workspace, sample: Incident
) -> None:
    workspace.add_incident(sample)
    document = json.loads(dumps([sample]))
    document["incidents"][0]["uid"] = "another-incident"
    incidents = loads(json.dumps(document))
    with pytest.raises(ImportRefusedError) as refused:
        import_incidents(workspace, incidents, source="again.json")
    message = str(refused.value)
    assert message.startswith("again.json: not imported: incidents[0].actions[0].uid: action ")
    assert (
        f"' is already in the workspace ({len(sample.actions) - 1} more problems; --verbose "
        "lists them)" in message
    )


def test_json_keeps_non_ascii_text_readable(sample: Incident) -> None:
    sample.title = "Café — 漢字"
    assert '"title": "Café — 漢字"' in dumps([sample])


def test_csv_rows_end_in_a_plain_newline() -> None:
    assert to_csv(["a", "b"], [["1", "=2"]]) == "a,b\n1,'=2\n"


def test_folded_lines_are_at_most_75_octets_counting_the_leading_space() -> None:
    folded = fold("x" * 160)
    assert folded.split("\r\n") == ["x" * 75, " " + "x" * 74, " " + "x" * 11]


def test_a_refusal_keeps_its_source_and_counts_the_other_problems() -> None:
    document = {**header(), "incidents": [{"uid": "u", "title": 1, "problem": 2}]}
    with pytest.raises(ImportRefusedError) as refused:
        loads(json.dumps(document), source="two.json")
    assert refused.value.source == "two.json"
    assert str(refused.value) == (
        "two.json: not imported: incidents[0].problem: must be text, not a number "
        "(1 more problem; --verbose lists them)"
    )
