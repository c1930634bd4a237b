"""What a person types to name an incident on the command line: its number or its uid."""

from __future__ import annotations

import pytest

from rca_desk.model import Incident
from rca_desk.store import Workspace, WorkspaceError


@pytest.fixture
def two(workspace: Workspace) -> Workspace:
    workspace.add_incident(Incident(title="Payroll late", uid="a" * 32))
    workspace.add_incident(Incident(title="Invoices doubled", uid="b" * 32))
    return workspace


@pytest.mark.parametrize(("typed", "number"), [("2", 2), (" 1 ", 1), (2, 2), ("b" * 32, 2)])
def test_an_incident_is_found_by_number_or_uid(two: Workspace, typed: str, number: int) -> None:
    assert two.incident_id(typed) == number


def test_a_uid_made_of_digits_is_found_when_no_number_matches(workspace: Workspace) -> None:
    workspace.add_incident(Incident(title="Payroll late", uid="20261123"))
    assert workspace.incident_id("20261123") == 1


@pytest.mark.parametrize("typed", ["3", "c" * 32, "  "])
def test_an_unknown_incident_is_named_with_the_workspace(two: Workspace, typed: str) -> None:
    with pytest.raises(WorkspaceError) as caught:
        two.incident_id(typed)
    assert str(caught.value) == f"There is no incident {typed.strip()!r} in {two.location}."


def test_loading_an_unknown_number_names_it_and_the_workspace(two: Workspace) -> None:
    with pytest.raises(WorkspaceError) as caught:
        two.load(7)
    assert str(caught.value) == f"There is no incident 7 in {two.location}."
