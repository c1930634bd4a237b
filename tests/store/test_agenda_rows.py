"""The workshop agenda in the store (issue 14, schema 1.3), on a file and on a server:
written through as one incident field with its revision, seen by another connection,
refused when stale, given the default when an older workspace is upgraded, and a damaged
one quarantines the incident with the agenda named."""

from __future__ import annotations

import sqlite3

import pytest

from rca_desk.model import DEFAULT_AGENDA, AgendaStep, Incident
from rca_desk.store import DamagedIncidentError, StaleWriteError, Workspace, open_workspace
from rca_desk.store.damage import salvage_incident
from rca_desk.store.schema import SCHEMA_VERSION, SchemaVersion
from tests.store.backends import raw
from tests.store.older_files import closed_and_back_to, older_server, server_version

SHORT = (AgendaStep("Timeline", 10), AgendaStep("Fishbone", 35), AgendaStep("Actions", 15))


def test_an_edited_agenda_is_written_through_and_read_by_another_connection(
    sample_workspace: Workspace,
) -> None:
    incident_id = sample_workspace.incidents()[0].id
    incident = sample_workspace.load(incident_id)
    assert incident.agenda == DEFAULT_AGENDA
    incident.update_fields(agenda=SHORT)
    sample_workspace.save_incident_fields(incident, ["agenda"])
    with open_workspace(sample_workspace.location, create=False) as other:
        assert other.load(incident_id).agenda == SHORT


def test_a_new_incident_is_written_with_its_agenda(sample_workspace: Workspace) -> None:
    incident = Incident(title="Payroll late", agenda=SHORT)
    sample_workspace.add_incident(incident)
    assert incident.id is not None
    assert sample_workspace.load(incident.id).agenda == SHORT


def test_a_stale_copy_cannot_overwrite_the_agenda(sample_workspace: Workspace) -> None:
    incident_id = sample_workspace.incidents()[0].id
    with open_workspace(sample_workspace.location, create=False) as other:
        a, b = sample_workspace.load(incident_id), other.load(incident_id)
        a.update_fields(agenda=SHORT)
        sample_workspace.save_incident_fields(a, ["agenda"])
        b.update_fields(agenda=(AgendaStep("Everything", 90),))
        with pytest.raises(StaleWriteError, match="agenda was changed in another window"):
            other.save_incident_fields(b, ["agenda"])
        # The title is another field: editing it in the stale copy still works.
        b.update_fields(title="Reworded in the other window")
        other.save_incident_fields(b, ["title"])
    assert sample_workspace.load(incident_id).agenda == SHORT


@pytest.mark.file_only
def test_a_1_2_file_gains_the_default_agenda_when_opened(sample_workspace: Workspace) -> None:
    path = closed_and_back_to(sample_workspace, SchemaVersion(1, 2))
    with Workspace.open(path, create=False) as workspace:
        incident = workspace.load(workspace.incidents()[0].id)
        assert incident.agenda == DEFAULT_AGENDA
        incident.update_fields(agenda=SHORT)
        workspace.save_incident_fields(incident, ["agenda"])
    assert raw(path, "PRAGMA user_version")[0][0] == SCHEMA_VERSION.to_int()
    with Workspace.open(path, create=False) as workspace:
        assert workspace.load(workspace.incidents()[0].id).agenda == SHORT


@pytest.mark.subprocess  # a real server
def test_a_1_2_server_gains_the_default_agenda_when_opened(request: pytest.FixtureRequest) -> None:
    url = older_server(request, SchemaVersion(1, 2), "Before the agenda")
    with open_workspace(url) as workspace:
        (summary,) = workspace.incidents()
        assert workspace.load(summary.id).agenda == DEFAULT_AGENDA
    assert server_version(url) == str(SCHEMA_VERSION)


@pytest.mark.file_only
@pytest.mark.parametrize(
    ("stored", "reason"),
    [
        (
            '[{"step": "Facts", "minutes": 0}]',
            "Agenda step 1 (Facts) must last 1 to 240 minutes, not 0.",
        ),
        ("Facts 10", "Expecting value: line 1 column 1 (char 0)"),
        ('[{"step": "Facts"}]', "Agenda step 1 must have a step name and its minutes."),
        ("[]", "The agenda needs at least one step."),
    ],
)
def test_a_damaged_agenda_is_named_and_salvage_shows_the_default(
    sample_workspace: Workspace, sample: Incident, stored: str, reason: str
) -> None:
    assert sample.id is not None
    conn = sqlite3.connect(sample_workspace.location, isolation_level=None)
    conn.execute("UPDATE incidents SET agenda = ?", (stored,))
    conn.close()
    said = f"the workshop agenda could not be read ({reason}); the default is shown"
    with pytest.raises(DamagedIncidentError) as caught:
        sample_workspace.load(sample.id)
    assert caught.value.reason == said
    salvaged, problems = salvage_incident(sample_workspace.conn, sample.id)  # type: ignore[arg-type]
    assert problems == [said]
    assert salvaged.agenda == DEFAULT_AGENDA
    assert len(salvaged.graph) == len(sample.graph)
