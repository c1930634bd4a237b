"""Two real processes editing one incident: the races are decided, never stored broken.

Each worker is a separate ``python`` with its own Qt application, connection and
:class:`IncidentDocument`, driven line by line over stdin. The test is the barrier: both
workers load the incident and say so before either writes, then the first writes and
answers, and only then the second tries its (now stale) edit. So every race below has
one outcome: the first write stands, the second is refused with the stale-write message,
nothing is lost and the incident still opens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import ActionStatus
from rca_desk.store import open_workspace
from tests.conftest import TODAY
from tests.postgres import server_workspace_url
from tests.store.backends import assert_sound

ROOT = Path(__file__).resolve().parents[2]

WORKER = r"""
import json, random, sys
from datetime import datetime
from PySide6.QtWidgets import QApplication
from rca_desk.model import ActionStatus
from rca_desk.store import open_workspace
from rca_desk.store import open_workspace
from rca_desk.ui.document.action_commands import AddAction, ChangeStatus, EditAction
from rca_desk.ui.document.cause_commands import EditCause, MoveCause
from rca_desk.ui.document.incident_document import IncidentDocument
from tests.editing import random_edit

app = QApplication([])
location, incident_id = sys.argv[1], int(sys.argv[2])
workspace = open_workspace(location, create=False)
document = IncidentDocument(workspace, workspace.load(incident_id))
said = []
document.refused.connect(said.append)

def run(op):
    kind = op["op"]
    if kind == "move":
        return MoveCause(document, op["cause"], op["parent"])
    if kind == "unmark":
        return EditCause(document, op["cause"], root_cause=False)
    if kind == "add action":
        return AddAction(document, title=op["title"], root_causes=[op["cause"]])
    if kind == "status":
        return ChangeStatus(document, op["uid"], ActionStatus(op["to"]), note=op["note"])
    if kind == "retitle action":
        return EditAction(document, op["uid"], title=op["title"])
    raise ValueError(kind)

print("loaded", flush=True)
for line in sys.stdin:
    op = json.loads(line)
    if op["op"] == "random":
        rng = random.Random(op["seed"])
        for step in range(op["count"]):
            random_edit(document, rng, tag=op["tag"])
            app.processEvents()
            if step % 7 == 0:  # what the window's watcher does about once a second
                document.follow_others()
        print(json.dumps({"refused": said}), flush=True)
        continue
    del said[:]
    accepted = document.execute(run(op))
    app.processEvents()
    print(json.dumps({"accepted": accepted, "refused": said}), flush=True)
workspace.close()
"""


class Worker:
    def __init__(self, location: str, incident_id: int) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, location, str(incident_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )

    def loaded(self) -> None:
        assert self.read_line() == "loaded"

    def ask(self, **op: Any) -> dict[str, Any]:
        """Send one edit and wait for its outcome: the barrier between the two workers."""
        self.send(op)
        return dict(json.loads(self.read_line()))

    def send(self, op: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(op) + "\n")
        self.process.stdin.flush()

    def read_line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line:
            self.process.kill()
            _, err = self.process.communicate()
            raise AssertionError(f"worker died: {err}")
        return line

    def finish(self) -> None:
        """End the worker: it closes its workspace and must exit cleanly."""
        _, err = self.process.communicate(timeout=60)  # closes stdin, and every pipe
        assert self.process.returncode == 0, err


@pytest.fixture(params=["file", "server"])
def shared(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[str, int]:
    """One incident in a workspace file, or in a workspace on the PostgreSQL server."""
    if request.param == "file":
        location = str(tmp_path / "shared.rcadesk")
    else:
        location = server_workspace_url(request)
    incident = sample_incidents(TODAY)[0]
    # A root cause no action addresses yet, for the unmark-versus-add-action race.
    incident.graph.add_cause(
        "sop-2", text="Nobody reviews the checklist", root_cause=True, cause_id="sop-6"
    )
    with open_workspace(location) as workspace:
        incident_id = workspace.add_incident(incident)
    return location, incident_id


@pytest.fixture
def pair(shared: tuple[str, int]) -> Iterator[tuple[Worker, Worker]]:
    first, second = Worker(*shared), Worker(*shared)
    first.loaded()
    second.loaded()  # both hold the same copy before either writes
    yield first, second
    for worker in (first, second):
        if worker.process.returncode is None:  # a test failed before finish()
            worker.process.kill()
            worker.process.communicate()


def sound(location: str, incident_id: int) -> Any:
    with open_workspace(location, create=False) as workspace:
        assert_sound(workspace)
        return workspace.load(incident_id)


pytestmark = pytest.mark.subprocess


def test_the_cycle_race(shared: tuple[str, int], pair: tuple[Worker, Worker]) -> None:
    first, second = pair
    assert first.ask(op="move", cause="sop-4", parent="sop-5")["accepted"]
    answer = second.ask(op="move", cause="sop-5", parent="sop-4")
    assert not answer["accepted"]
    assert "would explain themselves (a cycle)" in answer["refused"][0]
    assert "has been reloaded" in answer["refused"][0]
    for worker in pair:
        worker.finish()
    incident = sound(*shared)
    assert (incident.graph.parent("sop-4"), incident.graph.parent("sop-5")) == ("sop-5", "sop-1")


def test_the_unmark_versus_add_action_race(
    shared: tuple[str, int], pair: tuple[Worker, Worker]
) -> None:
    first, second = pair
    assert first.ask(op="unmark", cause="sop-6")["accepted"]
    answer = second.ask(op="add action", cause="sop-6", title="Add a reviewer")
    assert not answer["accepted"]
    assert answer["refused"][0].startswith(
        "A root cause of this action was removed or unmarked in another window"
    )
    for worker in pair:
        worker.finish()
    stored = sound(*shared)
    assert not stored.graph.cause("sop-6").root_cause
    assert all(stored.graph.cause(c).root_cause for a in stored.actions for c in a.root_causes)


def test_the_add_action_versus_unmark_race(
    shared: tuple[str, int], pair: tuple[Worker, Worker]
) -> None:
    first, second = pair
    assert first.ask(op="add action", cause="sop-6", title="Add a reviewer")["accepted"]
    answer = second.ask(op="unmark", cause="sop-6")
    assert not answer["accepted"]
    assert answer["refused"][0].startswith(
        "A preventive action was added for this root cause in another window"
    )
    for worker in pair:
        worker.finish()
    stored = sound(*shared)
    assert stored.graph.cause("sop-6").root_cause
    assert [a.title for a in stored.actions_for("sop-6")] == ["Add a reviewer"]


def test_the_cancel_versus_retitle_race(
    shared: tuple[str, int], pair: tuple[Worker, Worker]
) -> None:
    first, second = pair
    path, incident_id = shared
    uid = sound(path, incident_id).actions[0].uid
    cancelled = first.ask(op="status", uid=uid, to="cancelled", note="Replaced by a check")
    assert cancelled["accepted"], cancelled
    answer = second.ask(op="retitle action", uid=uid, title="Retitled elsewhere")
    assert not answer["accepted"]
    assert answer["refused"] == [
        "This action was changed in another window a moment ago. The incident has been reloaded."
    ]
    for worker in pair:
        worker.finish()
    action = sound(path, incident_id).action(uid)
    assert action.status is ActionStatus.CANCELLED
    assert action.history[-1].note == "Replaced by a check"
    assert action.title != "Retitled elsewhere"


def test_two_processes_making_500_random_edits_each(
    shared: tuple[str, int], pair: tuple[Worker, Worker]
) -> None:
    first, second = pair
    first.send({"op": "random", "seed": 1, "count": 500, "tag": "first"})
    second.send({"op": "random", "seed": 2, "count": 500, "tag": "second"})
    reports = [json.loads(worker.read_line()) for worker in pair]
    for worker in pair:
        worker.finish()
    sound(*shared)  # the incident opens
    messages = [m for report in reports for m in report["refused"]]
    assert not [m for m in messages if "FOREIGN KEY" in m or "could not be saved" in m]
    assert not [m for m in messages if "busy" in m]
