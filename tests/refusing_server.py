"""The real server backend, watched, for addresses where no server answers (issue 12).

The UI and CLI tests check that a ``postgresql://`` address reaches the server backend as
typed, with the right ``create`` flag, and that the backend's refusal is reported like
any other. :func:`refusing_server` records each call of the *real*
``ServerWorkspace.open`` and lets it run: the test addresses name hosts that do not exist
(``db.example``), so the real driver fails and the real one-line refusal is what the
caller gets.
"""

from __future__ import annotations

from typing import Any

import pytest

from rca_desk.store import ServerAddress
from rca_desk.store.server import ServerWorkspace

#: How the real backend's refusal of an unreachable server begins (after the address).
REFUSAL = "cannot reach the server ("


class RefusingServer:
    """What the backend was asked to open."""

    def __init__(self) -> None:
        self.asked: list[tuple[ServerAddress, bool]] = []


@pytest.fixture
def refusing_server(monkeypatch: pytest.MonkeyPatch) -> RefusingServer:
    """``ServerWorkspace.open`` watched: each call is recorded, then runs for real."""
    server = RefusingServer()
    real = ServerWorkspace.open.__func__  # type: ignore[attr-defined]

    def watched(cls: type[ServerWorkspace], address: ServerAddress, **kwargs: Any) -> Any:
        server.asked.append((address, bool(kwargs.get("create", True))))
        return real(cls, address, **kwargs)

    monkeypatch.setattr(ServerWorkspace, "open", classmethod(watched))
    monkeypatch.setenv("PGCONNECT_TIMEOUT", "2")
    return server
