"""A writer in its own process, for ``test_backends_bench.py``: another person's app.

Run as ``python -m tests.benchmarks.backend_writer MODE LOCATION INCIDENT_ID [EDITS TAG]``
from the repository's root. It imports the store only (no Qt), opens its own connection
with :func:`rca_desk.store.open_workspace`, loads its incident, prints one JSON line
``{"ready": ...}`` and then waits for orders on standard input, one line each:

``burst`` (``EDITS`` and ``TAG`` given): on the line ``go``, make ``EDITS`` small edits as
fast as it can, alternating a cause rename and an action's notes, each edit its own
transaction and each on a row of its own (so every acknowledged edit can be read back),
then print one JSON line: what it wrote and when, and exit. A stale write
(:class:`~rca_desk.store.StaleWriteError`) re-reads the incident and tries again.

``echo``: on each line ``edit K``, rename the incident's first cause to a text naming
``K``, then print one JSON line with the times the order arrived and the write returned;
``quit`` ends it.

Times are :func:`time.monotonic`, one clock for every process of the machine.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from rca_desk.model import Incident
from rca_desk.store import StaleWriteError, WorkspaceError, WorkspaceStore, open_workspace

#: How often one edit is tried again after a stale write before it counts as refused.
STALE_RETRIES = 20


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _rename(store: WorkspaceStore, incident: Incident, cause_id: str, text: str) -> None:
    incident.update_cause(cause_id, text=text)
    store.save_cause(incident, cause_id)


def _note(store: WorkspaceStore, incident: Incident, uid: str, text: str) -> None:
    action = incident.action(uid)
    action.notes = text
    store.save_action(incident, action)


def burst(store: WorkspaceStore, incident_id: int, edits: int, tag: str) -> None:
    incident = store.load(incident_id)
    causes = sorted(incident.graph.cause_ids(), key=lambda c: int(c.lstrip("c") or 0))
    actions = [a.uid for a in incident.actions]
    if (edits + 1) // 2 > len(causes) or edits // 2 > len(actions):
        raise SystemExit(f"incident {incident_id} has too few causes or actions for {edits}")
    _say({"ready": True, "pid": os.getpid()})
    if sys.stdin.readline().strip() != "go":
        return
    acked: list[list[str]] = []  # [kind, row, text] of every write that returned
    refused: list[str] = []
    retries = 0
    begun = time.monotonic()
    for k in range(edits):
        kind, row = ("cause", causes[k // 2]) if k % 2 == 0 else ("action", actions[k // 2])
        text = f"{tag} edit {k}"
        for _attempt in range(STALE_RETRIES):
            try:
                if kind == "cause":
                    _rename(store, incident, row, text)
                else:
                    _note(store, incident, row, text)
            except StaleWriteError:
                retries += 1
                incident = store.load(incident_id)
                continue
            except WorkspaceError as error:
                refused.append(f"{kind} {row}: {error}")
            else:
                acked.append([kind, row, text])
            break
        else:
            refused.append(f"{kind} {row}: stale {STALE_RETRIES} times in a row")
    ended = time.monotonic()
    _say(
        {
            "incident": incident_id,
            "acked": acked,
            "refused": refused,
            "retries": retries,
            "begun": begun,
            "ended": ended,
        }
    )


def echo(store: WorkspaceStore, incident_id: int) -> None:
    incident = store.load(incident_id)
    cause_id = min(incident.graph.cause_ids(), key=lambda c: int(c.lstrip("c") or 0))
    _say({"ready": True, "cause": cause_id})
    for line in sys.stdin:
        order = line.split()
        if not order or order[0] == "quit":
            return
        got = time.monotonic()
        _rename(store, incident, cause_id, f"Seen elsewhere, edit {order[1]}")
        _say({"k": int(order[1]), "got": got, "acked": time.monotonic()})


def main(argv: list[str]) -> None:
    mode, location, incident_id = argv[0], argv[1], int(argv[2])
    with open_workspace(location, create=False) as store:
        if mode == "burst":
            burst(store, incident_id, int(argv[3]), argv[4])
        elif mode == "echo":
            echo(store, incident_id)
        else:
            raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
