"""The workshop agenda in the JSON format (1.3): a file from before it (1.2) imports with
the default agenda, an edited agenda survives export and import, and a bad step is
refused at its own place with the workspace untouched."""

from __future__ import annotations

import copy
import json

import pytest

from rca_desk.interchange import json_format
from rca_desk.interchange.json_format import (
    FormatVersion,
    ImportRefusedError,
    dumps,
    import_incidents,
    parse_document,
)
from rca_desk.model import DEFAULT_AGENDA, AgendaStep, Incident
from rca_desk.store import Workspace
from tests.interchange.conftest import Doc


def test_an_export_carries_the_agenda_as_steps_and_minutes(doc: Doc) -> None:
    assert doc["incidents"][0]["agenda"] == [
        {"step": "Facts", "minutes": 10},
        {"step": "Causes", "minutes": 25},
        {"step": "Whys", "minutes": 20},
        {"step": "Actions", "minutes": 15},
    ]


def test_a_1_2_file_from_before_the_agenda_imports_with_the_default_one(
    doc: Doc, workspace: Workspace
) -> None:
    for incident in doc["incidents"]:
        del incident["agenda"]
    doc["version"] = "1.2"
    (older,) = parse_document(copy.deepcopy(doc))
    assert older.agenda == DEFAULT_AGENDA
    (incident_id,) = import_incidents(workspace, [older], source="old.json")
    assert workspace.load(incident_id).agenda == DEFAULT_AGENDA
    upgraded = json_format.upgrade(doc, FormatVersion(1, 2), now=json_format.datetime.now())
    assert upgraded["version"] == json_format.VERSION
    assert upgraded["incidents"][0]["agenda"][1] == {"step": "Causes", "minutes": 25}
    assert "agenda" not in doc["incidents"][0], "the caller's document is not changed"


def test_an_edited_agenda_goes_out_and_comes_back(sample: Incident, workspace: Workspace) -> None:
    sample.update_fields(agenda=(AgendaStep("Timeline", 5), AgendaStep("Fishbone  live", 40)))
    (read,) = parse_document(json.loads(dumps([sample])))
    assert read.agenda == (AgendaStep("Timeline", 5), AgendaStep("Fishbone live", 40))
    (incident_id,) = import_incidents(workspace, [read], source="edited.json")
    assert workspace.load(incident_id).agenda == read.agenda


@pytest.mark.parametrize(
    ("agenda", "place", "message"),
    [
        (
            [],
            "incidents[0].agenda",
            "must list 1 to 24 steps, not 0 (leave the field out for the default agenda)",
        ),
        ("Facts 10", "incidents[0].agenda", "must be a list, not text"),
        (
            [{"step": "Facts", "minutes": 10}, {"step": "Causes", "minutes": 0}],
            "incidents[0].agenda[1]",
            "Agenda step 2 (Causes) must last 1 to 240 minutes, not 0.",
        ),
        (
            [{"step": "Facts", "minutes": 241}],
            "incidents[0].agenda[0]",
            "Agenda step 1 (Facts) must last 1 to 240 minutes, not 241.",
        ),
        (
            [{"step": "   ", "minutes": 10}],
            "incidents[0].agenda[0]",
            "Agenda step 1 needs a name.",
        ),
        (
            [{"step": "x" * 61, "minutes": 10}],
            "incidents[0].agenda[0]",
            "Agenda step 1's name is longer than 60 characters.",
        ),
        (
            [{"step": "Facts", "minutes": "ten"}],
            "incidents[0].agenda[0].minutes",
            "must be a whole number, not text",
        ),
        (
            [{"step": "Facts"}],
            "incidents[0].agenda[0]",
            "lacks the required field 'minutes'",
        ),
        (
            [{"step": "Facts", "minutes": 10, "owner": "Dana"}],
            "incidents[0].agenda[0].owner",
            "is not a field of this format",
        ),
    ],
)
def test_a_bad_agenda_is_refused_at_its_place_and_nothing_is_written(
    doc: Doc, workspace: Workspace, agenda: object, place: str, message: str
) -> None:
    doc["incidents"][0]["agenda"] = agenda
    before = workspace.content()
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(doc)
    assert [(p.place, p.message) for p in caught.value.problems] == [(place, message)]
    assert workspace.content() == before
