"""A server backend that refuses every address, for the callers' tests (issue 12).

The UI and CLI tests check that a ``postgresql://`` address reaches the server backend and
that its refusal is reported like any other, without needing a server or the backend's
code: :func:`refusing_server` stands in for ``rca_desk.store.server`` with a
``ServerWorkspace.open`` that records the address and raises the one-line
:class:`WorkspaceError` a server that cannot be reached gives. It is no store: nothing
ever opens.
"""

from __future__ import annotations

import sys
import types

import pytest

from rca_desk.store import ServerAddress, WorkspaceError

REFUSAL = "cannot reach the server (connection refused); nothing was opened."


class RefusingServer:
    """What the stand-in backend was asked to open."""

    def __init__(self) -> None:
        self.asked: list[tuple[ServerAddress, bool]] = []

    def open(self, address: ServerAddress, *, create: bool = True) -> object:
        self.asked.append((address, create))
        raise WorkspaceError(f"{address}: {REFUSAL}")


@pytest.fixture
def refusing_server(monkeypatch: pytest.MonkeyPatch) -> RefusingServer:
    """``rca_desk.store.server`` replaced, for this test, by one that refuses."""
    server = RefusingServer()
    module = types.ModuleType("rca_desk.store.server")
    module.ServerWorkspace = server  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rca_desk.store.server", module)
    return server
