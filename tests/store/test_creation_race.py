"""Several processes creating the same new workspace at once all end up in one sound file.

Four real ``python`` processes are told to go at the same moment; each creates (or opens)
the same 15 new workspaces in turn and adds one incident to each. Before, up to 16 of the
60 opens failed ("is an empty file", "table incidents already exists").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rca_desk.store import Workspace

CREATOR = r"""
import sys
from pathlib import Path
from rca_desk.model import Incident
from rca_desk.store import Workspace, WorkspaceError

folder, tag, count = sys.argv[1:]
print("ready", flush=True)
assert sys.stdin.readline().strip() == "go"
failures = 0
for i in range(int(count)):
    try:
        with Workspace.open(Path(folder) / f"w{i}.rcadesk") as workspace:
            workspace.add_incident(Incident(title=f"{tag} {i}"))
    except WorkspaceError as error:
        failures += 1
        print(f"failed: {error}", file=sys.stderr, flush=True)
print(f"failures {failures}", flush=True)
"""

PROCESSES = 4
WORKSPACES = 15


@pytest.mark.subprocess
def test_processes_creating_one_new_workspace_at_once_all_succeed(tmp_path: Path) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CREATOR, str(tmp_path), f"p{n}", str(WORKSPACES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [proc.communicate(timeout=120) for proc in procs]
    for out, err in results:
        assert out.strip() == "failures 0", err
    for i in range(WORKSPACES):
        with Workspace.open(tmp_path / f"w{i}.rcadesk", create=False) as workspace:
            titles = sorted(s.title for s in workspace.incidents())
        assert titles == [f"p{n} {i}" for n in range(PROCESSES)]
    # No private creation files are left behind.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
