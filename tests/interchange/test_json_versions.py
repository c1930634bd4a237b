"""JSON format versions: "major.minor", one upgrade chain, newer minor read, newer major refused."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from rca_desk.interchange import json_format
from rca_desk.interchange.json_format import (
    FormatVersion,
    ImportRefusedError,
    Step,
    import_file,
    import_incidents,
    parse_document,
    parse_json_document,
)
from rca_desk.model import Incident
from rca_desk.store import Workspace
from tests.interchange.conftest import Doc


def written(tmp_path: Path, document: Doc, name: str = "incidents.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def with_unknown_fields(document: Doc) -> Doc:
    """What a newer minor version might add: optional fields at every level."""
    document = copy.deepcopy(document)
    document["exported_by"] = "rca-desk 9.1"
    incident = document["incidents"][0]
    incident["priority"] = "urgent"
    incident["impact"]["environmental"] = "none"
    incident["causes"][2]["weight"] = 3
    incident["actions"][0]["cost"] = {"amount": 400, "currency": "EUR"}
    incident["actions"][0]["history"][0]["by"] = "Dana"
    return document


# ------------------------------------------------------------------ the version
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.0", FormatVersion(1, 0)),
        ("1.12", FormatVersion(1, 12)),
        ("2.0", FormatVersion(2, 0)),
        (1, FormatVersion(1, 0)),  # the legacy integer
        (2, FormatVersion(2, 0)),
        ("1", None),
        ("01.0", None),
        ("1.0.0", None),
        (" 1.0", None),
        ("1.0\n", None),
        ("1.-1", None),
        (1.0, None),
        (True, None),
        (0, None),
        (None, None),
        ("9" * 5000 + ".0", None),
    ],
)
def test_versions_are_major_dot_minor_or_the_legacy_integer(value: Any, expected: Any) -> None:
    assert FormatVersion.parse(value) == expected


def test_an_export_says_version_1_5(doc: Doc) -> None:
    assert doc["format"] == "rca-desk"
    assert doc["version"] == "1.5"
    assert json_format.VERSION == "1.5"
    # 1.1: stop_reason and measured_result, and the lifecycle's rules on import;
    # 1.2: each incident's parking lot; 1.3: each incident's workshop agenda;
    # 1.4: each incident's record (lessons, follow-up, timeline, participants, check-ins);
    # 1.5: each incident's client recovery (apology, restitution, measures, confidence).
    assert [str(step.version) for step in json_format.STEPS] == ["1.1", "1.2", "1.3", "1.4", "1.5"]


#: The next minor version, whichever is current: a file from a newer rca-desk.
NEWER = FormatVersion(json_format.current_version().major, json_format.current_version().minor + 1)


# --------------------------------------------------------------- older: the chain
def test_the_chain_climbs_from_the_first_version_to_the_one_written() -> None:
    """Guards every step added later: strictly increasing, ending where exports are."""
    versions = [json_format.FIRST_VERSION, *(step.version for step in json_format.STEPS)]
    assert versions == sorted(set(versions))
    assert FormatVersion.parse(json_format.VERSION) == versions[-1]


def test_a_legacy_integer_version_1_document_imports(
    doc: Doc, sample: Incident, workspace: Workspace
) -> None:
    doc["version"] = 1
    (incident,) = parse_document(doc)
    assert incident.uid == sample.uid
    assert [incident.graph.cause(c).text for c in incident.graph.cause_ids()] == [
        sample.graph.cause(c).text for c in sample.graph.cause_ids()
    ]
    (incident_id,) = import_incidents(workspace, [incident], source="old.json")
    loaded = workspace.load(incident_id)
    assert loaded.title == "Northwind Retail quarter-end reporting disrupted after v4.2 update"
    assert len(loaded.graph) == 22
    assert len(loaded.actions) == 6


@pytest.fixture
def fake_chain(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """Two later format versions: 1.1 renames an incident's ``title`` to ``headline``, 1.2
    renames it back, marked. Only running both, once each, in order, gives a valid file."""
    calls: list[tuple[str, object]] = []

    def to_1_1(document: Doc, now: object) -> Doc:
        calls.append(("to 1.1", document["version"]))
        for incident in document.get("incidents", []):
            incident["headline"] = incident.pop("title")
        return document

    def to_1_2(document: Doc, now: object) -> Doc:
        calls.append(("to 1.2", document["version"]))
        for incident in document.get("incidents", []):
            incident["title"] = incident.pop("headline") + " [1.2]"
        return document

    monkeypatch.setattr(
        json_format,
        "STEPS",
        (Step(FormatVersion(1, 1), to_1_1), Step(FormatVersion(1, 2), to_1_2)),
    )
    return calls


def test_the_chain_runs_each_step_once_in_order(
    doc: Doc, fake_chain: list[tuple[str, object]]
) -> None:
    doc["version"] = 1
    untouched = copy.deepcopy(doc)
    result = parse_json_document(doc)
    assert fake_chain == [("to 1.1", 1), ("to 1.2", "1.1")]
    assert result.incidents[0].title == (
        "Northwind Retail quarter-end reporting disrupted after v4.2 update [1.2]"
    )
    assert result.notice is None
    assert doc == untouched, "the caller's document is not changed"


def test_the_chain_starts_after_the_documents_version(
    doc: Doc, fake_chain: list[tuple[str, object]]
) -> None:
    doc["version"] = "1.1"
    doc["incidents"][0]["headline"] = doc["incidents"][0].pop("title")
    (incident,) = parse_document(doc)
    assert fake_chain == [("to 1.2", "1.1")]
    assert incident.title.endswith("v4.2 update [1.2]")

    fake_chain.clear()
    doc["version"] = "1.2"
    doc["incidents"][0]["title"] = doc["incidents"][0].pop("headline")
    parse_document(doc)
    assert fake_chain == []  # the current version: nothing to upgrade


def test_a_version_before_the_first_is_refused(doc: Doc) -> None:
    doc["version"] = "0.9"
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(doc, source="odd.json")
    assert str(caught.value) == (
        "odd.json: not imported: version: '0.9' is not a format version (\"major.minor\")"
    )


# ------------------------------------------------------------------ newer minor
def test_a_newer_minor_document_is_read_without_its_unknown_fields(
    doc: Doc, tmp_path: Path, workspace: Workspace
) -> None:
    newer = with_unknown_fields(doc)
    newer["version"] = str(NEWER)
    path = written(tmp_path, newer)

    result = json_format.read_json_document(path)

    assert result.version == NEWER
    assert result.ignored == (
        "(top).exported_by",
        "incidents[0].priority",
        "incidents[0].impact.environmental",
        "incidents[0].causes[2].weight",
        "incidents[0].actions[0].cost",
        "incidents[0].actions[0].history[0].by",
    )
    assert result.notice == (
        f"{path}: format {NEWER} is newer than this rca-desk's {json_format.VERSION}; 6 field(s) "
        "unknown to this "
        "version were ignored ((top).exported_by, incidents[0].priority, "
        "incidents[0].impact.environmental and 3 more). Update rca-desk to keep them."
    )
    (incident_id,) = import_incidents(workspace, result.incidents, source=str(path))
    loaded = workspace.load(incident_id)
    plain = parse_document(doc)[0]
    assert loaded.uid == plain.uid
    assert len(loaded.graph) == len(plain.graph) == 22
    assert [a.uid for a in loaded.actions] == [a.uid for a in plain.actions]


def test_a_newer_minor_document_with_nothing_unknown_says_so(doc: Doc) -> None:
    doc["version"] = str(NEWER)
    result = parse_json_document(doc, source="same.json")
    assert result.ignored == ()
    assert result.notice == (
        f"same.json: format {NEWER} is newer than this rca-desk's {json_format.VERSION}; every "
        "field in it is known here, nothing was ignored."
    )


def test_a_newer_minor_document_is_still_checked(doc: Doc) -> None:
    newer = with_unknown_fields(doc)
    newer["version"] = str(NEWER)
    newer["incidents"][0]["causes"][3]["category"] = "Weather"
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(newer)
    assert [p.place for p in caught.value.problems] == ["incidents[0].causes[3].category"]


def test_unknown_fields_of_the_current_version_are_still_refused(doc: Doc) -> None:
    """Leniency is for newer files only: in a current file an unknown key is a typo."""
    newer = with_unknown_fields(doc)
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(newer)
    assert len(caught.value.problems) == 6
    assert all(p.message == "is not a field of this format" for p in caught.value.problems)


# ------------------------------------------------------------------ newer major
@pytest.mark.parametrize("version", ["2.0", "2.7", 2])
def test_a_newer_major_document_is_refused_and_the_workspace_unchanged(
    doc: Doc, tmp_path: Path, sample_workspace: Workspace, version: Any
) -> None:
    doc["version"] = version
    doc["incidents"][0]["uid"] = "from-the-future"
    path = written(tmp_path, doc)
    before = sample_workspace.content()

    with pytest.raises(ImportRefusedError) as caught:
        import_file(sample_workspace, path)

    shown = "2.0" if version == 2 else version
    assert str(caught.value) == (
        f"{path}: not imported: version: the file is format {shown}, written by a newer "
        f"rca-desk; this version reads format 1.x (up to {json_format.VERSION})"
    )
    assert sample_workspace.content() == before


def test_a_1_1_file_from_before_the_parking_lot_imports_with_an_empty_lot(doc: Doc) -> None:
    """The 1.2 step: a file written by 1.1 has no ``parking``; it reads with none, and
    the same file saying 1.2 reads alike (the key is optional)."""
    for incident in doc["incidents"]:
        incident.pop("parking", None)
    doc["version"] = "1.1"
    older = parse_document(copy.deepcopy(doc))
    assert older and all(incident.parking == [] for incident in older)
    doc["version"] = "1.2"
    assert [i.uid for i in parse_document(doc)] == [i.uid for i in older]
    upgraded = json_format.upgrade(
        {"version": "1.1", "incidents": [{"uid": "x"}]},
        FormatVersion(1, 1),
        now=datetime(2026, 11, 30, 9, 0),
    )
    assert upgraded["incidents"][0]["parking"] == [] and upgraded["version"] == json_format.VERSION
