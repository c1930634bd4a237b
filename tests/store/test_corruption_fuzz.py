"""A thousand byte-corrupted copies of a realistic workspace: nothing crashes, nothing leaks.

Each copy (seeded, so every run checks the same ones) has 1-8 bytes changed in the
header, in b-tree page headers, in cell content or anywhere. For each one, in-process:
open, list, load every incident (or be told it is damaged and salvage it), the actions
review, and ``rca-desk export-json`` through ``main()``. Promised: no exception but an
``RcaError``, no exit status 70, a refused file byte-for-byte as it was, and no
``-wal``/``-shm``/``-journal`` left beside any file. See ``tests/store/corruption.py``;
``tests/benchmarks/test_corruption_bench.py`` runs ten times as many and reports counts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

import rca_desk.cli.main as cli_main
from rca_desk.store import Workspace
from tests.store.corruption import HEADER, build_workspace, corrupt, exercise, run

COPIES = 1_000
SEED = 20_261_130


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: five incidents with causes, links, actions and their history."""
    return build_workspace(tmp_path_factory.mktemp("fuzz") / "source.rcadesk")


@pytest.mark.slow
def test_corrupted_copies_never_crash_and_refused_ones_stay_untouched(
    source: Path, tmp_path: Path
) -> None:
    tally = run(source, tmp_path, COPIES, SEED)
    assert not tally.failures, f"{len(tally.failures)} broken promises:\n" + "\n".join(
        tally.failures[:5]
    )
    assert sum(tally.outcomes.values()) == COPIES
    # The copies reach every answer, so each promise above was really put to the test.
    assert {"refused", "opened", "quarantined"} <= set(tally.outcomes), tally.summary()


def test_the_copies_are_damaged_where_it_matters_and_the_same_every_time(source: Path) -> None:
    data = source.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    rng = random.Random(SEED)
    offsets = [offset for _ in range(200) for offset in corrupt(data, rng)[1]]
    assert any(offset < HEADER for offset in offsets)  # the database header
    assert any(offset > page and offset % page < 12 for offset in offsets)  # b-tree headers
    assert any(offset % page >= page // 2 for offset in offsets)  # cell content

    def offsets_of(seed: int) -> list[list[int]]:
        rng = random.Random(seed)
        return [corrupt(data, rng)[1] for _ in range(20)]

    assert offsets_of(SEED) == offsets_of(SEED)
    damaged, changed = corrupt(data, random.Random(1))
    assert [i for i in range(len(data)) if data[i] != damaged[i]] == sorted(set(changed))


# ------------------------------------------------- the harness catches what it must
@pytest.fixture
def copy(source: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "copy" / "team.rcadesk"
    path.parent.mkdir()
    path.write_bytes(source.read_bytes())
    yield path


def test_a_crash_in_a_read_is_caught(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Workspace) -> list[object]:
        raise KeyError("a bug")

    monkeypatch.setattr(Workspace, "action_rows", broken)
    with pytest.raises(KeyError):
        exercise(copy, tmp_path / "out.json")


def test_an_internal_error_of_the_command_is_caught(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli_main, "dumps", broken)
    with pytest.raises(AssertionError, match="exited 70"):
        exercise(copy, tmp_path / "out.json")


def test_a_changed_refused_file_is_caught(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Workspace.open

    def open_and_scribble(path: Path, **kwargs: object) -> Workspace:
        Path(path).write_bytes(b"x" + Path(path).read_bytes()[1:])
        return real_open(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Workspace, "open", staticmethod(open_and_scribble))
    with pytest.raises(AssertionError, match="refused file was changed"):
        exercise(copy, tmp_path / "out.json")


def test_litter_is_caught(copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_close = Workspace.close

    def close_and_litter(self: Workspace) -> None:
        real_close(self)
        self.path.with_name(self.path.name + "-journal").write_bytes(b"")

    monkeypatch.setattr(Workspace, "close", close_and_litter)
    with pytest.raises(AssertionError, match="left beside the file"):
        exercise(copy, tmp_path / "out.json")
