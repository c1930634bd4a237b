"""The parking lot in the store (issue 14), on a file and on a server alike: each idea is
its own row with its revision, the lot keeps its order, a stale write is refused, and a
workspace from before the lot (1.1) gains it when opened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from rca_desk.interchange.json_format import dumps
from rca_desk.model import Incident
from rca_desk.store import StaleWriteError, Workspace, open_workspace
from rca_desk.store.schema import SCHEMA_VERSION, SchemaVersion
from rca_desk.store.server_schema import META_TABLE
from tests.postgres import server_workspace_url
from tests.store.backends import assert_sound, raw
from tests.store.older_files import closed_and_back_to, server_back_to


@pytest.fixture
def other(sample_workspace: Workspace) -> Iterator[Workspace]:
    with open_workspace(sample_workspace.location, create=False) as second:
        yield second


def lot(workspace: Workspace, incident: Incident) -> list[tuple[str, str]]:
    assert incident.id is not None
    return [(kept.id, kept.text) for kept in workspace.load(incident.id).parking]


def test_ideas_are_written_one_by_one_in_order(
    sample_workspace: Workspace, other: Workspace
) -> None:
    incident = sample_workspace.load(sample_workspace.incidents()[0].id)
    for text in ("Queue depth unwatched", "Retries made it worse"):
        kept = incident.park(text)
        sample_workspace.save_idea(incident, kept.id)
    early = incident.park("Alert went to an old channel", index=0)
    sample_workspace.save_idea(incident, early.id)
    expected = [(k.id, k.text) for k in incident.parking]
    assert expected[0][1] == "Alert went to an old channel"
    assert lot(other, incident) == expected  # seen by another connection at once
    # Placed or discarded: gone from the stored lot; put back (undo): at its place again.
    index, taken = incident.unpark(expected[1][0])
    sample_workspace.delete_idea(incident, taken.id)
    assert lot(other, incident) == [expected[0], expected[2]]
    incident.park(taken.text, idea_id=taken.id, index=index)
    sample_workspace.save_idea(incident, taken.id)
    assert lot(other, incident) == expected
    assert dumps([other.load(incident.id)]) == dumps([incident])  # type: ignore[arg-type]
    assert_sound(other)


def test_a_new_incident_is_written_with_its_lot(sample_workspace: Workspace) -> None:
    incident = Incident(title="Payroll late")
    incident.park("Bank holiday in the calendar?")
    incident.park("Who approves the run?")
    sample_workspace.add_incident(incident)
    assert lot(sample_workspace, incident) == [(k.id, k.text) for k in incident.parking]


def test_a_stale_copy_cannot_overwrite_or_remove_an_idea(
    sample_workspace: Workspace, other: Workspace
) -> None:
    incident_id = sample_workspace.incidents()[0].id
    mine = sample_workspace.load(incident_id)
    kept = mine.park("Was the export affected too?")
    sample_workspace.save_idea(mine, kept.id)
    a, b = sample_workspace.load(incident_id), other.load(incident_id)
    a.unpark(kept.id)
    sample_workspace.delete_idea(a, kept.id)  # placed in one window...
    b.unpark(kept.id)
    b.park("Was the export affected too? (edited)", idea_id=kept.id)
    with pytest.raises(StaleWriteError, match="another window"):
        other.save_idea(b, kept.id)  # ...so the other cannot bring it back unseen
    with pytest.raises(StaleWriteError, match="another window"):
        other.delete_idea(b, kept.id)
    assert sample_workspace.load(incident_id).parking == []


@pytest.mark.file_only
def test_a_1_1_file_gains_the_parking_lot_when_opened(
    sample_workspace: Workspace, tmp_path: Path
) -> None:
    path = closed_and_back_to(sample_workspace, SchemaVersion(1, 1))
    with Workspace.open(path, create=False) as workspace:
        incident = workspace.load(workspace.incidents()[0].id)
        assert incident.parking == []
        kept = incident.park("Parked after the upgrade")
        workspace.save_idea(incident, kept.id)
    assert raw(path, "PRAGMA user_version")[0][0] == SCHEMA_VERSION.to_int()
    assert raw(path, "SELECT text FROM parked_ideas") == [("Parked after the upgrade",)]


@pytest.mark.subprocess  # a real server
def test_a_1_1_server_gains_the_parking_lot_when_opened(request: pytest.FixtureRequest) -> None:
    url = server_workspace_url(request)
    open_workspace(url).close()
    with psycopg.connect(url, autocommit=True) as conn:
        server_back_to(conn, SchemaVersion(1, 1))
    with open_workspace(url) as workspace:
        incident = Incident(title="On the server")
        incident.park("An idea on the server")
        workspace.add_incident(incident)
        assert lot(workspace, incident)[0][1] == "An idea on the server"
    assert raw(url, f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
