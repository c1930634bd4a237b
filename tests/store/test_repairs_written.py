"""What a repair writes is what was shown, and a damaged incident is still listed and shown.

A broken incident (one that breaks a rule spanning rows) is shown as its repair would
leave it; pressing Repair must write exactly that, several repairs at once included, and
other windows must see the rows it changed. A damaged one (unreadable values) is listed
with its real counts and shown salvaged, with a note saying so.
"""

from __future__ import annotations

import pytest

from rca_desk.interchange.json_format import dumps
from rca_desk.model import HEAD, Incident
from rca_desk.store import BrokenIncidentError, Workspace
from rca_desk.store.repair import PLACEHOLDER_TEXT
from rca_desk.store.revisions import EDITED, changed_rows
from tests.store.backends import tamper


def broken(workspace: Workspace, incident_id: int) -> BrokenIncidentError:
    with pytest.raises(BrokenIncidentError) as caught:
        workspace.load(incident_id)
    return caught.value


def test_several_repairs_at_once_write_what_was_shown(
    sample_workspace: Workspace, sample: Incident
) -> None:
    incident_id = sample.id
    assert incident_id is not None
    lost = sample.actions[0]  # on qc-3: its root cause row goes missing
    two = next(a for a in sample.actions if a.root_causes == ["sop-3"])
    marked = next(a for a in sample.actions if a.root_causes == ["com-3"])
    tamper(
        sample_workspace.location,
        "UPDATE causes SET parent_id = 'gone' WHERE id = 'trn-2'",
        # A cycle whose newest edge is on the cause that sorts first.
        "UPDATE causes SET parent_id = 'sop-5', rev = 20 WHERE id = 'sop-4'",
        "UPDATE causes SET parent_id = 'sop-4', rev = 10 WHERE id = 'sop-5'",
        f"UPDATE action_causes SET cause_id = 'lost-1' WHERE action_id = {lost.number}",
        # sop-3's action also names sop-2, which is not a root cause: unlinked.
        f"INSERT INTO action_causes (action_id, incident_id, cause_id, position) "
        f"VALUES ({two.number}, {incident_id}, 'sop-2', 1)",
        # com-3 is unmarked, but its action has no other root cause: marked again.
        "UPDATE causes SET is_root = 0 WHERE id = 'com-3'",
    )
    error = broken(sample_workspace, incident_id)
    assert sorted((r.kind, r.cause) for r in error.repairs) == [
        ("mark root", "com-3"),
        ("placeholder", "lost-1"),
        ("rehang", "sop-4"),  # the newest edge, though sop-5 sorts after it
        ("rehang", "trn-2"),
        ("unlink", "sop-2"),
    ]
    assert str(error).startswith(
        f"Incident {incident_id} ({sample.title!r}) breaks 5 rules that span causes and actions: "
    )
    shown = error.incident
    assert shown.revisions[EDITED] == sample_workspace.edited()[incident_id]
    # Rehung causes go last under the problem, in order; the placeholder after them.
    assert list(shown.graph.children(HEAD)[-3:]) == ["sop-4", "trn-2", "lost-1"]

    sample_workspace.repair(incident_id)
    stored = sample_workspace.load(incident_id)
    assert dumps([stored]) == dumps([shown])
    assert stored.action(two.uid).root_causes == ["sop-3"]
    assert stored.graph.cause("lost-1").category == stored.graph.categories[0]
    (row,) = [r for r in sample_workspace.action_rows() if r.action.uid == lost.uid]
    assert (row.root_cause_texts, row.categories) == (
        (PLACEHOLDER_TEXT,),
        (stored.graph.categories[0],),
    )
    # A window that showed the broken incident sees every row the repair changed.
    changed = changed_rows(shown.revisions, stored.revisions)
    assert {("action", a.uid) for a in (lost, two, marked)} <= changed
    assert {("cause", c) for c in ("sop-4", "trn-2", "lost-1", "com-3")} <= changed


def test_one_broken_rule_is_named_in_the_message(
    sample_workspace: Workspace, sample: Incident
) -> None:
    tamper(sample_workspace.location, "UPDATE causes SET category = 'Suppliers' WHERE id = 'qc-1'")
    error = broken(sample_workspace, sample.id)  # type: ignore[arg-type]
    assert str(error) == (
        f"Incident {sample.id} ({sample.title!r}) breaks 1 rule that span causes and "
        "actions: Causes use the category 'Suppliers', which the incident does not list; "
        "it was added to the list."
    )


def test_a_damaged_incident_is_shown_salvaged_with_a_note(
    sample_workspace: Workspace, sample: Incident
) -> None:
    tamper(sample_workspace.location, "UPDATE incidents SET severity = 'bogus'")
    shown, note = sample_workspace.readable(sample.id)  # type: ignore[arg-type]
    assert shown.title == sample.title and len(shown.graph) == len(sample.graph)
    assert note is not None
    assert "unknown severity 'bogus'" in note
    assert note.endswith("Unreadable text shows as \ufffd and unusable values as their defaults.")


@pytest.mark.file_only  # (only a file can hold text that is not UTF-8)
def test_a_damaged_incident_is_listed_with_its_real_counts_and_why(
    sample_workspace: Workspace, sample: Incident
) -> None:
    (sound,) = sample_workspace.incidents()
    tamper(sample_workspace.location, "UPDATE incidents SET uid = CAST(x'61ff62' AS TEXT)")
    (listed,) = sample_workspace.incidents()
    assert listed.damaged == "the uid is not valid UTF-8"
    assert (listed.causes, listed.root_causes, listed.actions, listed.open_actions) == (
        sound.causes,
        sound.root_causes,
        sound.actions,
        sound.open_actions,
    )
    assert listed.uid == "a\ufffdb"
