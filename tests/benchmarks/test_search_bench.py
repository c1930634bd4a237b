"""Searching the library of lessons (issue 16) over 200 incidents and 20,000 causes.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/benchmarks --benchmarks \\
        -k search -p no:randomly

The session's synthetic workspace (``big_workspace``: 200 incidents, 20,000 causes, 5,000
actions; about 35,000 documents once evidence notes, stop reasons and actions are in)
is copied into a file and into a database of the throwaway server; each copy builds its
own index in the copy's transaction. Measured in-process on an open workspace: a ranked
search with snippets (``store.search``, 20 hits), the incident filter's
``matching_incidents`` and the review's similar root causes. Target: a median under
30 ms on the file, and its figure on the server. Times are reported, never asserted;
what each search found is.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from rca_desk.store import WorkspaceStore, open_workspace
from rca_desk.store.copying import copy_rows
from tests.benchmarks import summary
from tests.postgres import PostgresServer
from tests.synthetic import BigWorkspace

DATABASE = "rca_desk_search_bench"
ROUNDS = 40
#: What people type: a reworded cause (many words, synonyms), a few words, one word.
QUERIES = {
    "reworded cause": "No owner for the staging database refresh",
    "three words": "backup restore never tested",
    "one word": "runbook",
}


@pytest.fixture(scope="session")
def search_file(
    big_workspace: BigWorkspace, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkspaceStore]:
    path = tmp_path_factory.mktemp("search") / "big.rcadesk"
    with open_workspace(big_workspace.path, create=False) as source, open_workspace(path) as copy:
        begun = time.perf_counter()
        copy_rows(source, copy)
        print(f"\nfile: copied and indexed in {time.perf_counter() - begun:.2f} s")
    store = open_workspace(path, create=False)
    yield store
    store.close()


@pytest.fixture(scope="session")
def search_server(
    big_workspace: BigWorkspace, postgres_server: PostgresServer
) -> Iterator[WorkspaceStore]:
    postgres_server.create_database(DATABASE)
    url = postgres_server.url(DATABASE)
    with open_workspace(big_workspace.path, create=False) as source, open_workspace(url) as copy:
        begun = time.perf_counter()
        copy_rows(source, copy)
        print(f"\nserver: copied and indexed in {time.perf_counter() - begun:.2f} s")
    store = open_workspace(url, create=False)
    try:
        yield store
    finally:
        store.close()
        postgres_server.drop_database(DATABASE)


@pytest.fixture(params=summary.BACKENDS)
def store(request: pytest.FixtureRequest) -> WorkspaceStore:
    return request.getfixturevalue(f"search_{request.param}")  # type: ignore[no-any-return]


def _record(benchmark: Any, measure: str, store: WorkspaceStore) -> None:
    if benchmark.stats is not None:
        backend = "file" if store.file is not None else "server"
        summary.record(measure, backend, benchmark.stats.stats.median)


@pytest.mark.parametrize("name", list(QUERIES))
def test_search_library(benchmark: Any, store: WorkspaceStore, name: str) -> None:
    """``rca-desk search`` and the search dialog: 20 ranked hits with snippets."""
    benchmark.group = f"search: {name}"
    hits = benchmark.pedantic(
        lambda: store.search(QUERIES[name], limit=20), rounds=ROUNDS, warmup_rounds=2
    )
    assert len(hits) == 20
    assert all("[" in hit.snippet for hit in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    _record(benchmark, f"search: {name}", store)


def test_search_filter_incidents(benchmark: Any, store: WorkspaceStore) -> None:
    """The incident list's filter: the incidents holding every word."""
    benchmark.group = "search: incident filter"
    found = benchmark.pedantic(
        lambda: store.matching_incidents("staging database owner"),
        rounds=ROUNDS,
        warmup_rounds=2,
    )
    assert 0 < len(found) <= 200
    _record(benchmark, "search: incident filter", store)


def test_search_similar_root_causes(benchmark: Any, store: WorkspaceStore) -> None:
    """The review's "similar wording" list for one root cause's text."""
    benchmark.group = "search: similar root causes"
    similar = benchmark.pedantic(
        lambda: store.similar_to_text("the staging database had no owner", limit=10),
        rounds=ROUNDS,
        warmup_rounds=2,
    )
    assert len(similar) == 10
    _record(benchmark, "search: similar root causes", store)
