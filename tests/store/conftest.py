"""The store suite runs on both backends: each test that takes ``workspace`` (or
``sample_workspace``) runs once on a workspace file and once on a PostgreSQL workspace.

Tests about what only a file has (its header, pages, journal, folder, backups folder)
build a file workspace themselves and run once. ``reopen`` opens another connection to
the same workspace, whichever it is: a second window, or a second program.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rca_desk.store import Workspace, WorkspaceStore, open_workspace
from tests.postgres import PostgresServer, server_workspace_url
from tests.store import backends

BACKENDS = ("file", "server")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "file_only: about what only a workspace file has; runs on the file only"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        only_file = metafunc.definition.get_closest_marker("file_only") is not None
        metafunc.parametrize("backend", ["file"] if only_file else list(BACKENDS))


@pytest.fixture
def workspace_location(backend: str, request: pytest.FixtureRequest, workspace_path: Path) -> str:
    """Where this test's workspace is: a file path or a ``postgresql://`` address."""
    if backend == "file":
        return str(workspace_path)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    backends.SUPERUSER[:] = [server.superuser]
    return server_workspace_url(request)


@pytest.fixture
def workspace(workspace_location: str) -> Iterator[Workspace]:
    store = open_workspace(workspace_location)
    yield store  # type: ignore[misc]
    store.close()


@pytest.fixture
def reopen(workspace_location: str) -> Iterator[Callable[[], WorkspaceStore]]:
    """Open another connection to the test's workspace (closed at the end)."""
    opened: list[WorkspaceStore] = []

    def again() -> WorkspaceStore:
        store = open_workspace(workspace_location)
        opened.append(store)
        return store

    yield again
    for store in opened:
        store.close()
