"""The default data folder on each platform (the platform is pretended, paths are not made)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rca_desk.store import data_dir


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    return tmp_path


def test_windows_uses_local_app_data(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert data_dir() == home / "AppData" / "Local" / "rca-desk"
    monkeypatch.setenv("LOCALAPPDATA", str(home / "elsewhere"))
    assert data_dir() == home / "elsewhere" / "rca-desk"


def test_macos_uses_application_support(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "ignored"))
    assert data_dir() == home / "Library" / "Application Support" / "rca-desk"


def test_linux_follows_xdg(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert data_dir() == home / ".local" / "share" / "rca-desk"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    assert data_dir() == home / "data" / "rca-desk"
