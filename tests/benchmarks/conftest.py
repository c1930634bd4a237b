"""Benchmark fixtures: one big synthetic workspace, built once per session.

Benchmarks only run with ``--benchmarks`` (see ``tests/conftest.py``), so building 200
incidents with 20,000 causes and 5,000 actions costs nothing in the normal test run.
"""

from __future__ import annotations

import pytest

from tests.synthetic import BigWorkspace, build_big_workspace


@pytest.fixture(scope="session")
def big_workspace(tmp_path_factory: pytest.TempPathFactory) -> BigWorkspace:
    """200 incidents, 20,000 causes, 5,000 actions (seed 1). Benchmarks must not change it
    except through the edit benchmark, which only rewrites one cause's text."""
    path = tmp_path_factory.mktemp("big") / "big.rcadesk"
    return build_big_workspace(path, incidents=200, causes=20_000, actions=5_000, seed=1)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The file-and-server table of ``test_backends_bench.py``, when it ran."""
    from tests.benchmarks import summary

    if summary.MEDIANS:
        terminalreporter.write_sep("-", "backends side by side (medians)")
        for line in summary.table():
            terminalreporter.write_line(line)
