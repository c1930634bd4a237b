"""Saving only some of an incident's fields leaves the others as they are in the file."""

from __future__ import annotations

from rca_desk.model import Incident
from rca_desk.store import Workspace


def test_two_people_saving_different_fields_keep_both_changes(
    workspace: Workspace, sample: Incident
) -> None:
    (incident_id,) = workspace.add_incidents([sample])
    first, second = workspace.load(incident_id), workspace.load(incident_id)
    first.update_fields(title="Renamed by the first")
    second.update_fields(affected="Changed by the second")
    second.graph.set_problem("A problem the second never saved")
    workspace.save_incident_fields(first, ["title"])
    workspace.save_incident_fields(second, ["affected"])

    stored = workspace.load(incident_id)
    assert stored.title == "Renamed by the first"
    assert stored.affected == "Changed by the second"
    assert stored.graph.problem == sample.graph.problem


def test_saving_the_problem_writes_the_head_of_the_graph(
    workspace: Workspace, sample: Incident
) -> None:
    (incident_id,) = workspace.add_incidents([sample])
    incident = workspace.load(incident_id)
    incident.graph.set_problem("A sharper problem statement")
    incident.update_fields(title="Not saved")
    workspace.save_incident_fields(incident, ["problem"])

    stored = workspace.load(incident_id)
    assert stored.graph.problem == "A sharper problem statement"
    assert stored.title == sample.title


def test_saving_some_fields_still_marks_the_incident_updated(
    workspace: Workspace, sample: Incident
) -> None:
    (incident_id,) = workspace.add_incidents([sample])
    before = workspace.conn.execute(
        "SELECT updated_at FROM incidents WHERE id = ?", (incident_id,)
    ).fetchone()[0]
    workspace.conn.execute("UPDATE incidents SET updated_at = '2000-01-01T00:00:00'")
    incident = workspace.load(incident_id)
    incident.update_fields(title="Renamed")
    workspace.save_incident_fields(incident, ["title"])
    after = workspace.conn.execute(
        "SELECT updated_at FROM incidents WHERE id = ?", (incident_id,)
    ).fetchone()[0]
    assert after != "2000-01-01T00:00:00"
    assert after >= before
