"""Byte-corrupted copies of a realistic workspace, and what the app must do with each.

Shared by the corruption fuzz test (``tests/store/test_corruption_fuzz.py``) and its larger
run among the benchmarks. Each copy has 1-8 bytes changed: some in the 100-byte database
header, some in b-tree page headers, some in the cell content at the end of a page, the
rest anywhere. Then, in-process, as a person would: open it, list, load every incident
(or be told it is damaged and salvage it), read the actions review, and export the whole
workspace as JSON through the command's ``main()``.

The promises checked for every copy: nothing but an :class:`RcaError` escapes, the command
never exits 70, a refused file keeps every byte, and nothing is left beside the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import shutil
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from unittest import mock

from rca_desk.cli.main import EXIT_INTERNAL, main
from rca_desk.interchange.sample import sample_incidents
from rca_desk.store import BrokenIncidentError, DamagedIncidentError, Workspace, WorkspaceError
from tests.synthetic import big_incidents

SIDECARS = ("-wal", "-shm", "-journal")
HEADER = 100  # bytes of the database header, at the start of page 1


def build_workspace(path: Path) -> Path:
    """Four synthetic incidents and the sample: causes, links, actions with history.

    Small enough that a thousand copies are checked in seconds, big enough that its
    tables span several pages (interior and leaf pages). The same bytes every time (no
    random uids, no clock), so a seed always makes the same copies.
    """
    made = big_incidents(incidents=4, causes=120, actions=16, seed=3)
    (sample,) = sample_incidents(date(2026, 11, 23))
    sample.uid = "sample"
    for number, action in enumerate(sample.actions):
        action.uid = f"sample.a{number}"
    with (
        mock.patch("rca_desk.store.incident_rows._now", return_value="2026-11-23T09:00:00"),
        Workspace.open(path) as workspace,
    ):
        workspace.add_incidents([*made, sample])
    return path


def corrupt(data: bytes, rng: random.Random) -> tuple[bytes, list[int]]:
    """``data`` with 1-8 bytes changed to other values; returns it and the offsets."""
    page_size = int.from_bytes(data[16:18], "big") or 65536
    pages = max(1, len(data) // page_size)
    out = bytearray(data)
    offsets = []
    for _ in range(rng.randint(1, 8)):
        region = rng.random()
        page = rng.randrange(pages)
        start = page * page_size
        if region < 0.2:
            offset = rng.randrange(HEADER)
        elif region < 0.45:
            # The b-tree page header (8 or 12 bytes; after the database header on page 1).
            offset = start + (HEADER if page == 0 else 0) + rng.randrange(12)
        elif region < 0.8:
            # Cell content, which fills a page from its end.
            offset = start + page_size - 1 - rng.randrange(page_size // 2)
        else:
            offset = rng.randrange(len(data))
        out[offset] = (out[offset] + rng.randrange(1, 256)) % 256
        offsets.append(offset)
    return bytes(out), offsets


@dataclass
class Tally:
    """What happened to the copies, and every broken promise (empty when all is well)."""

    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counts = ", ".join(f"{name} {count}" for name, count in sorted(self.outcomes.items()))
        return f"{sum(self.outcomes.values())} copies: {counts}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _litter(path: Path) -> list[str]:
    return [path.name + s for s in SIDECARS if path.with_name(path.name + s).exists()]


def exercise(path: Path, output: Path) -> str:
    """Do what a person would with the file at ``path``; return what happened.

    Raises AssertionError for a broken promise; anything but an RcaError escapes as is.
    """
    before = _digest(path)
    outcome = "opened"
    try:
        workspace = Workspace.open(path, create=False)
    except WorkspaceError:
        outcome = "refused"
        assert _digest(path) == before, "a refused file was changed"
    else:
        with workspace:
            try:
                for summary in workspace.incidents():
                    if summary.damaged:
                        outcome = "quarantined"
                    try:
                        workspace.load(summary.id)
                    except DamagedIncidentError:
                        outcome = "quarantined"
                        workspace.salvage(summary.id)
                    except BrokenIncidentError as broken:
                        outcome = "repairable"  # a byte made a cycle, say: shown repaired
                        assert broken.repairs and broken.incident.id == summary.id
                workspace.action_rows()
            except DamagedIncidentError as error:
                raise AssertionError(f"not quarantined by the list or review: {error}") from None
            except WorkspaceError:
                outcome = "damaged on reading"
    assert not _litter(path), f"left beside the file: {_litter(path)}"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--workspace", str(path), "export-json", "-o", str(output)])
    assert code != EXIT_INTERNAL, f"export-json exited {code}: {err.getvalue().strip()}"
    assert code in (0, 2), f"export-json exited {code}: {err.getvalue().strip()}"
    if outcome == "refused":
        assert code == 2, "the command opened a file the store refused"
        assert _digest(path) == before, "the command changed a refused file"
    assert not _litter(path), f"left beside the file by the command: {_litter(path)}"
    return outcome


def run(source: Path, work: Path, copies: int, seed: int) -> Tally:
    """Check ``copies`` corrupted copies of ``source`` (seeded: the same every time)."""
    rng = random.Random(seed)
    data = source.read_bytes()
    tally = Tally()
    output = work / "export.json"
    for number in range(copies):
        folder = work / f"copy-{number}"
        folder.mkdir()
        path = folder / "team.rcadesk"
        damaged, offsets = corrupt(data, rng)
        path.write_bytes(damaged)
        try:
            tally.outcomes[exercise(path, output)] += 1
        except Exception as error:  # a broken promise, or anything escaping the store
            tally.failures.append(
                f"copy {number} (offsets {offsets}): {type(error).__name__}: {error}\n"
                + "".join(traceback.format_exception(error)[-3:])
            )
        shutil.rmtree(folder)
        with contextlib.suppress(OSError):
            os.unlink(output)
    return tally
