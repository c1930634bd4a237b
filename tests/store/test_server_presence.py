"""How a server connection names its app, and how another app reads that name back."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest

from rca_desk.store import presence, server_presence
from rca_desk.store.presence import presence_note
from rca_desk.store.server_presence import application_name, holder_of

NOW = datetime(2026, 11, 23, 14, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("login", "host"),
    [("ann", "pc-12"), ("ånne ñ", "büro.example"), ("x" * 90, "h" * 300), ("", "")],
)
def test_the_name_fits_the_server_s_limit_and_reads_back(
    monkeypatch: pytest.MonkeyPatch, login: str, host: str
) -> None:
    monkeypatch.setattr(presence, "_login", lambda: login)
    monkeypatch.setattr(presence, "_host", lambda: host)
    monkeypatch.setattr(server_presence, "_login", lambda: login)
    monkeypatch.setattr(server_presence, "_host", lambda: host)
    name = application_name()
    assert len(name.encode()) <= 63 and name.isascii() and name.isprintable()
    holder = holder_of(name, NOW, NOW)
    assert holder is not None and holder.pid == os.getpid()


@pytest.mark.parametrize("name", ["", "psql", "rca-desk", "rca-desk:ann@pc", "rca-desk:@h:1"])
def test_other_programs_connections_name_nobody(name: str) -> None:
    assert holder_of(name, NOW, NOW) is None


def test_several_others_are_counted_in_one_line() -> None:
    holder = holder_of("rca-desk:ann@pc-12:4242", NOW, NOW)
    assert holder is not None
    one = presence_note(holder, NOW, UTC)
    assert one.startswith("ann on pc-12 (since 14:02) also has this workspace open. You can both")
    three = presence_note(holder, NOW, UTC, more=2)
    assert three.startswith("ann on pc-12 (since 14:02) and 2 others also have this workspace")
    assert "You can all edit" in three and "sees the others'" in three
