"""A workspace written under the 1.0 rules, opened by 1.1: what the upgrade mends, and
what it cannot know and leaves to the findings.

The 1.0 file is made the way 1.0 left files: the current app writes it, the two 1.1
columns are dropped again and the version set back, and the values the 1.0 rules let in
(control characters, a bidi override, an action verified without a note, a measured
result or any history) are written with plain sqlite3, as the 1.0 app or its importer did.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

from rca_desk.model import HEAD, ActionStatus, CauseGraph, Evidence, Incident, PreventiveAction
from rca_desk.model.analysis import FindingKind, findings
from rca_desk.model.lifecycle import MIGRATED_NOTE
from rca_desk.store import Workspace
from rca_desk.store.mending import EMPTIED
from rca_desk.store.schema import SCHEMA_VERSION, SchemaVersion
from tests.store.older_files import file_back_to

S = ActionStatus
TODAY = date(2026, 11, 30)


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def workspace_at_1_0(tmp_path: Path) -> Path:
    path = tmp_path / "team.rcadesk"
    graph = CauseGraph(problem="The payroll file reached the bank a day late")
    top = graph.add_cause(HEAD, text="The upload job failed", category="Technology", cause_id="c1")
    graph.add_cause(top, text="The certificate expired", category="Technology", cause_id="c2",
                    root_cause=True, evidence=Evidence.VERIFIED)  # fmt: skip
    graph.add_cause(HEAD, text="Nobody was paged", category="Communication", cause_id="c3")
    incident = Incident(title="Payroll late", graph=graph, uid="inc-old", affected="Contoso")
    incident.add_action(
        PreventiveAction(
            title="Alert 30 days before a certificate expires",
            root_causes=["c2"],
            owner="Ann",
            due=date(2026, 10, 1),
            verify_on=date(2026, 11, 1),
            metric="Certificates that expired unnoticed",
            target="0",
            uid="act-verified",
            status=S.IMPLEMENTED,
        )
    )
    with Workspace.open(path) as workspace:
        workspace.add_incident(incident)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    file_back_to(conn, SchemaVersion(1, 0))
    conn.execute("UPDATE incidents SET title = ?", ("Payroll\x00 late\x1b[2J",))
    conn.execute("UPDATE causes SET text = ? WHERE id = 'c1'", ("The upload job \x07failed",))
    conn.execute("UPDATE causes SET text = ? WHERE id = 'c3'", ("\x1b\x07",))
    conn.execute("UPDATE causes SET evidence_note = ? WHERE id = 'c2'", ("run \u202efr- mr\u202c",))
    # Verified effective with no note, no measured result and no history: 1.0's
    # importer took it.
    conn.execute("UPDATE actions SET status = 'verified_effective'")
    conn.execute("DELETE FROM action_history")
    conn.execute("COMMIT")
    conn.close()
    return path


def test_the_upgrade_mends_text_and_history_and_the_rest_are_findings(tmp_path: Path) -> None:
    path = workspace_at_1_0(tmp_path)
    before = datetime.now().replace(microsecond=0)
    with Workspace.open(path, create=False) as workspace:
        (summary,) = workspace.incidents()
        incident = workspace.load(summary.id)
    assert user_version(path) == SCHEMA_VERSION.to_int()  # 1.1, and on to the current
    # Text: control characters gone (an escape sequence loses only its ESC), a bidi
    # override gone, a text of nothing else replaced rather than left empty.
    assert incident.title == "Payroll late[2J"
    graph = incident.graph
    assert graph.cause("c1").text == "The upload job failed"
    assert graph.cause("c3").text == EMPTIED
    assert graph.cause("c2").evidence_note == "run fr- mr"
    # History: the missing entry added, saying so; nothing invented beyond it.
    action = incident.action("act-verified")
    assert action.status is S.VERIFIED_EFFECTIVE
    [entry] = action.history
    assert (entry.from_status, entry.to_status, entry.note) == (
        None,
        S.VERIFIED_EFFECTIVE,
        MIGRATED_NOTE,
    )
    assert entry.at >= before
    # What no upgrade can know is named: the evidence, the measured value, and a creation
    # entry straight to verified, which the lifecycle never allows.
    found = {(f.kind, f.subject) for f in findings(incident, today=TODAY)}
    assert (FindingKind.UNMEASURED, "act-verified") in found
    assert (FindingKind.UNRECORDED_REASON, "act-verified") in found
    assert (FindingKind.HISTORY, "act-verified") in found
    # The mended rows carry a new revision: a copy read before the upgrade is stale.
    conn = sqlite3.connect(path)
    try:
        revs = conn.execute("SELECT rev FROM causes WHERE id IN ('c1', 'c3')").fetchall()
        action_rev = conn.execute("SELECT rev FROM actions").fetchone()[0]
        edited = conn.execute("SELECT edited FROM incidents").fetchone()[0]
        last = conn.execute("SELECT last FROM edit_counter").fetchone()[0]
    finally:
        conn.close()
    assert all(rev > 0 for (rev,) in revs) and action_rev > 0
    # ...and the incident says it changed, so an open window reloads it.
    assert edited == last


def test_a_second_open_changes_nothing(tmp_path: Path) -> None:
    path = workspace_at_1_0(tmp_path)
    Workspace.open(path, create=False).close()
    first = path.read_bytes()
    with Workspace.open(path, create=False) as workspace:
        (summary,) = workspace.incidents()
        workspace.load(summary.id)
    assert path.read_bytes() == first


def test_the_backup_taken_first_holds_the_file_as_1_0_left_it(tmp_path: Path) -> None:
    path = workspace_at_1_0(tmp_path)
    Workspace.open(path, create=False).close()
    (backup,) = (tmp_path / "backups").iterdir()
    assert user_version(backup) == SchemaVersion(1, 0).to_int()
    conn = sqlite3.connect(backup)
    try:
        assert (
            conn.execute("SELECT title FROM incidents").fetchone()[0] == "Payroll\x00 late\x1b[2J"
        )
    finally:
        conn.close()


def test_text_written_later_by_a_1_0_app_still_opens(tmp_path: Path) -> None:
    """A 1.0 app may go on writing a 1.1 workspace: what it stores is read without the
    characters, never refused and never a damaged incident."""
    path = workspace_at_1_0(tmp_path)
    Workspace.open(path, create=False).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE causes SET text = ? WHERE id = 'c1'", ("Upload \u202eliaf\u202c job",))
    conn.close()
    with Workspace.open(path, create=False) as workspace:
        (summary,) = workspace.incidents()
        incident = workspace.load(summary.id)
    assert incident.graph.cause("c1").text == "Upload liaf job"
