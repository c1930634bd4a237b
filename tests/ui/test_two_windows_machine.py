"""Two windows editing one incident in any order: the file stays sound, nothing is lost.

A Hypothesis state machine holds two :class:`IncidentDocument` objects, each on its own
connection to one workspace, and interleaves random edits, undos, redos and reloads
(``follow_others``) from both. After every step, read through a third connection:

* every stored incident loads, and SQLite's integrity and foreign-key checks are clean;
* a document that believes it is up to date (the file's newest revision is the one it
  knows) holds exactly what the file holds;
* no acknowledged write is lost: every row a step rewrote or deleted was, in the copy of
  the document that wrote it, at the revision the file had. A write based on an older
  copy was refused with the stale-write message instead.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from PySide6.QtWidgets import QApplication

from rca_desk.interchange.json_format import dumps
from rca_desk.interchange.sample import sample_incidents
from rca_desk.store import Workspace
from rca_desk.store.revisions import RowKey, changed_rows
from rca_desk.ui.document.incident_document import IncidentDocument
from tests.conftest import MUTATION_RUN, TODAY
from tests.editing import random_edit

T = TypeVar("T")


class Draw:
    """``random_edit``'s chooser, drawing from Hypothesis so failures shrink."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def choice(self, options: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(list(options)))


class TwoWindows(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="two-windows-"))
        path = self.folder / "shared.rcadesk"
        with Workspace.open(path) as setup:
            self.incident_id = setup.add_incident(sample_incidents(TODAY)[0])
        self.connections = [Workspace.open(path, create=False) for _ in range(3)]
        self.reader = self.connections[2]
        self.windows = [
            IncidentDocument(ws, ws.load(self.incident_id)) for ws in self.connections[:2]
        ]
        self.refusals: list[str] = []
        for window in self.windows:
            window.refused.connect(self.refusals.append)

    def teardown(self) -> None:
        for window in self.windows:
            window.undo_stack.clear()
        for connection in self.connections:
            connection.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def stored_revisions(self) -> dict[RowKey, int]:
        return self.reader.load(self.incident_id).revisions

    @rule(who=st.integers(0, 1), data=st.data())
    def edit(self, who: int, data: st.DataObject) -> None:
        window = self.windows[who]
        file_before = self.stored_revisions()
        copy_before = dict(window.incident.revisions)
        refused_before = len(self.refusals)
        random_edit(window, Draw(data), tag=f"window {who}")
        QApplication.processEvents()  # a refused undo clears the stack from the event loop
        file_after = self.stored_revisions()
        for key in changed_rows(file_before, file_after):
            rewritten = key in file_before and key in file_after
            deleted = key in file_before and key not in file_after and key[0] != "link"
            if rewritten or deleted:
                # The writer knew the row as the file had it: nobody's write was lost.
                assert copy_before.get(key) == file_before[key], (key, self.refusals)
        for message in self.refusals[refused_before:]:
            assert "FOREIGN KEY" not in message
            assert "could not be saved" not in message

    @rule(who=st.integers(0, 1))
    def follow(self, who: int) -> None:
        self.windows[who].follow_others()

    @invariant()
    def the_file_is_sound_and_current_windows_match_it(self) -> None:
        conn = self.reader.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for summary in self.reader.incidents():
            self.reader.load(summary.id)
        stored = self.reader.load(self.incident_id)
        edited = self.reader.edited()[self.incident_id]
        for window in self.windows:
            if not window.changed_elsewhere(edited):
                assert dumps([window.incident]) == dumps([stored])


def test_two_windows_never_break_the_incident_or_lose_a_write(qapp: object) -> None:
    examples, steps = (3, 20) if MUTATION_RUN else (25, 40)
    examples = int(os.environ.get("RCA_DESK_MACHINE_EXAMPLES", examples))
    run_state_machine_as_test(
        TwoWindows,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
