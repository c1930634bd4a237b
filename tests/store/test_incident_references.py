"""What a person types to name an incident: its short id or its uid."""

from __future__ import annotations

import pytest

from rca_desk.model import Incident
from rca_desk.store import Workspace, WorkspaceError


def test_an_incident_is_found_by_id_or_uid(workspace: Workspace) -> None:
    first, second = workspace.add_incidents(
        [Incident(title="One", uid="first-uid"), Incident(title="Two", uid="123456")]
    )
    assert workspace.incident_id(first) == first
    assert workspace.incident_id(str(second)) == second
    assert workspace.incident_id(f"  {first} ") == first
    assert workspace.incident_id("first-uid") == first
    # A uid made of digits is found when no incident has that number as its id.
    assert workspace.incident_id("123456") == second


@pytest.mark.parametrize("ref", ["99", "nope", "", "  "])
def test_an_unknown_reference_is_refused_naming_it_and_the_workspace(
    workspace: Workspace, ref: str
) -> None:
    workspace.add_incidents([Incident(title="One", uid="first-uid")])
    with pytest.raises(WorkspaceError) as refused:
        workspace.incident_id(ref)
    assert str(refused.value) == f"There is no incident {ref.strip()!r} in {workspace.location}."


def test_loading_an_unknown_incident_names_it_and_the_workspace(workspace: Workspace) -> None:
    with pytest.raises(WorkspaceError) as refused:
        workspace.load(99)
    assert str(refused.value) == f"There is no incident 99 in {workspace.location}."
