"""The default workspace folder on each platform, as the README lists them (the platform
is pretended, so every branch runs on the one machine the tests run on)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rca_desk.store import data_dir


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    return tmp_path


def test_windows_uses_localappdata(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(home / "Roaming-not" / "Local"))
    assert data_dir() == home / "Roaming-not" / "Local" / "rca-desk"


def test_windows_without_localappdata_uses_the_usual_place(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    assert data_dir() == home / "AppData" / "Local" / "rca-desk"


def test_macos_uses_application_support(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg"))  # not looked at on macOS
    assert data_dir() == home / "Library" / "Application Support" / "rca-desk"


def test_linux_prefers_xdg_data_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg"))
    monkeypatch.setenv("LOCALAPPDATA", str(home / "win"))  # not looked at on Linux
    assert data_dir() == home / "xdg" / "rca-desk"
