"""A read that spans tables sees one state of the file, while another process writes."""

from __future__ import annotations

from typing import Any

import pytest

from rca_desk.model import Incident, PreventiveAction
from rca_desk.store import Workspace, open_workspace


def add_action_elsewhere(workspace: Workspace, incident: Incident, title: str) -> None:
    """Another process adds an action to the incident (its own connection and commit)."""
    with open_workspace(workspace.location, create=False) as other:
        assert incident.id is not None
        stored = other.load(incident.id)
        root = stored.graph.root_causes()[0]
        action = PreventiveAction(title=title, root_causes=[root])
        stored.add_action(action)
        other.save_action(stored, action)


def test_a_write_between_the_queries_of_a_load_is_not_half_seen(
    sample_workspace: Workspace, sample: Incident, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sample.id is not None
    before = [a.title for a in sample_workspace.load(sample.id).actions]
    real = sample_workspace._load_actions

    def racing(*args: Any, **kwargs: Any) -> list[PreventiveAction]:
        # The incident row and its causes have been read; now someone else writes.
        add_action_elsewhere(sample_workspace, sample, "Added while loading")
        return real(*args, **kwargs)

    monkeypatch.setattr(sample_workspace, "_load_actions", racing)
    seen = sample_workspace.load(sample.id)
    assert [a.title for a in seen.actions] == before  # the state when the load began
    monkeypatch.undo()
    after = sample_workspace.load(sample.id)
    assert [a.title for a in after.actions] == [*before, "Added while loading"]


def test_the_review_rows_come_from_one_snapshot(
    sample_workspace: Workspace, sample: Incident, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = len(sample_workspace.action_rows())
    real = sample_workspace._load_actions

    def racing(*args: Any, **kwargs: Any) -> list[PreventiveAction]:
        add_action_elsewhere(sample_workspace, sample, "Added while reviewing")
        return real(*args, **kwargs)

    # action_rows reads incident titles and action owners first, then the actions: an
    # action added in between used to have no incident to belong to (a KeyError).
    monkeypatch.setattr(sample_workspace, "_load_actions", racing)
    assert len(sample_workspace.action_rows()) == count
    monkeypatch.undo()
    assert len(sample_workspace.action_rows()) == count + 1


def test_a_snapshot_inside_a_write_transaction_joins_it(sample_workspace: Workspace) -> None:
    with sample_workspace.transaction():
        assert sample_workspace.conn.in_transaction
        with sample_workspace.snapshot():
            assert sample_workspace.incidents()
        assert sample_workspace.conn.in_transaction  # still the caller's transaction
    assert not sample_workspace.conn.in_transaction
