"""The corruption fuzz run at ten times the size, reporting what happened to the copies.

    .venv/bin/python -m pytest tests/benchmarks/test_corruption_bench.py --benchmarks -s

10,000 byte-corrupted copies of the fuzz test's workspace (another seed), each put
through the same steps and promises as ``tests/store/test_corruption_fuzz.py``. It
prints how many copies were refused on opening, opened whole, opened with incidents
quarantined, or refused on reading; pytest-benchmark adds the time of the one round, a
number for this machine only, never asserted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.store.corruption import build_workspace, run

COPIES = 10_000
SEED = 10


def test_ten_thousand_corrupted_copies(
    benchmark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = build_workspace(tmp_path / "source.rcadesk")
    work = tmp_path / "copies"
    work.mkdir()
    tally = benchmark.pedantic(run, args=(source, work, COPIES, SEED), rounds=1, iterations=1)
    benchmark.extra_info.update(tally.outcomes)
    with capsys.disabled():
        print(f"\ncorruption fuzz, seed {SEED}: {tally.summary()}")
    assert not tally.failures, f"{len(tally.failures)} broken promises:\n" + "\n".join(
        tally.failures[:5]
    )
    assert sum(tally.outcomes.values()) == COPIES
