"""Two real processes writing one workspace at once lose no write.

Each process is a separate ``python`` (no shared memory, no shared connection). Both open
the workspace and load the same incident, say "ready", and start writing only when the
test says "go", so their transactions really interleave. Each commits 100 causes and 100
actions, one transaction each; afterwards every one of the 400 rows is there.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from rca_desk.model import Incident
from rca_desk.store import Workspace
from tests.store.backends import assert_sound

WRITES = 100

WRITER = r"""
import sys
import time
from rca_desk.model import PreventiveAction
from rca_desk.store import open_workspace

location, incident_id, tag, parent, root, count = sys.argv[1:]
workspace = open_workspace(location, create=False)
incident = workspace.load(int(incident_id))
print("ready", flush=True)
assert sys.stdin.readline().strip() == "go"
for i in range(int(count)):
    cause_id = incident.graph.add_cause(parent, text=f"{tag} cause {i}", cause_id=f"{tag}-{i}")
    workspace.save_cause(incident, cause_id)
    action = PreventiveAction(title=f"{tag} action {i}", root_causes=[root])
    incident.add_action(action)
    workspace.save_action(incident, action)
    # A person edits between saves; without a pause one process would take every turn
    # (SQLite's busy handler sleeps), and the other would only write after it finished.
    time.sleep(0.002)
workspace.close()
print("done", flush=True)
"""


def start_writer(
    location: str, incident_id: int, tag: str, parent: str, root: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, location, str(incident_id), tag, parent, root, str(WRITES)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.subprocess
def test_two_processes_writing_at_once_lose_nothing(
    sample_workspace: Workspace, sample: Incident
) -> None:
    assert sample.id is not None
    causes_before = len(sample.graph)
    actions_before = len(sample.actions)
    location = sample_workspace.location
    writers = [
        start_writer(location, sample.id, "alpha", "tech-1", "qc-3"),
        start_writer(location, sample.id, "beta", "sop-1", "sop-3"),
    ]
    try:
        for writer in writers:
            assert writer.stdout is not None
            assert writer.stdout.readline().strip() == "ready", writer.stderr
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        results = [writer.communicate(timeout=240) for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "done"

    # A connection that was open the whole time sees everything too.
    loaded = sample_workspace.load(sample.id)
    assert len(loaded.graph) == causes_before + 2 * WRITES
    assert len(loaded.actions) == actions_before + 2 * WRITES
    for tag, parent in (("alpha", "tech-1"), ("beta", "sop-1")):
        mine = {f"{tag}-{i}" for i in range(WRITES)}
        assert mine <= set(loaded.graph.children(parent))
        titles = {a.title for a in loaded.actions}
        assert {f"{tag} action {i}" for i in range(WRITES)} <= titles
    summary = sample_workspace.incidents()[0]
    assert summary.actions == actions_before + 2 * WRITES
    assert_sound(sample_workspace)
