"""Shared fixtures. Qt runs offscreen so the suite needs no display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident
from rca_desk.store import Workspace
from tests.postgres import postgres_database, postgres_server
from tests.refusing_server import refusing_server

# The throwaway PostgreSQL server (tests/postgres.py): started once per session by the first
# test that asks for it, and only then. A server backend that refuses every address
# (tests/refusing_server.py), for the UI and CLI tests of what a refusal does.
__all__ = ["postgres_database", "postgres_server", "refusing_server"]

# The mutation run (docs/mutation.md) needs the same examples for every mutant, or a
# mutant "survives" only because it drew easier ones; and it runs the tests once per
# mutant, so property tests draw fewer examples there (MUTATION_RUN). mutmut sets
# MUTANT_UNDER_TEST; HYPOTHESIS_PROFILE=mutation selects the profile by hand.
MUTATION_RUN = (
    "MUTANT_UNDER_TEST" in os.environ or os.environ.get("HYPOTHESIS_PROFILE") == "mutation"
)
settings.register_profile(
    "mutation", derandomize=True, database=None, print_blob=False, max_examples=10
)
settings.load_profile("mutation" if MUTATION_RUN else "default")

#: A fixed "today" so date rules are tested at exact boundaries.
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the real user's default workspace."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("RCA_DESK_WORKSPACE", raising=False)


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "test.rcadesk"


@pytest.fixture
def workspace(workspace_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(workspace_path)
    yield ws
    ws.close()


@pytest.fixture
def sample() -> Incident:
    return sample_incidents(TODAY)[0]


@pytest.fixture
def sample_workspace(workspace: Workspace, sample: Incident) -> Workspace:
    workspace.add_incident(sample)
    return workspace


# --------------------------------------------------------------------- benchmarks
# Benchmarks live in tests/benchmarks and only run when asked for with --benchmarks, so the
# test command never depends on how busy the shared machine is.
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--benchmarks", action="store_true", help="run the benchmarks in tests/benchmarks"
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if "benchmarks" in collection_path.parts and not config.getoption("--benchmarks"):
        return True
    return None
