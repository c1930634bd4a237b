"""``rca-desk import`` judges history times by the real clock (``utc_now``, which tests
replace): a day's allowance for clocks that disagree, no more."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rca_desk.cli import main as cli
from rca_desk.cli.main import EXIT_ERROR, EXIT_OK, main

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def written(tmp_path: Path, at: datetime) -> Path:
    action = {
        "uid": "a1",
        "title": "Add a dry run",
        "root_causes": ["c"],
        "strength": "strong",
        "status": "proposed",
        "history": [{"at": at.isoformat(), "from": None, "to": "proposed", "note": ""}],
    }
    incident = {
        "uid": "i1",
        "title": "Reports late",
        "problem": "P",
        "categories": ["A"],
        "causes": [
            {"id": "c", "parent": "problem", "text": "C", "category": "A", "root_cause": True}
        ],
        "actions": [action],
    }
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps({"format": "rca-desk", "version": "1.1", "incidents": [incident]}),
        encoding="utf-8",
    )
    return path


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "utc_now", lambda: NOW)


def test_a_history_23_hours_ahead_of_the_clock_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = written(tmp_path, NOW + timedelta(hours=23))
    assert main(["--workspace", str(tmp_path / "w.rcadesk"), "import", str(source)]) == EXIT_OK
    assert capsys.readouterr().err == ""


def test_a_history_a_day_and_a_second_ahead_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = written(tmp_path, NOW + timedelta(days=1, seconds=1))
    assert main(["--workspace", str(tmp_path / "w.rcadesk"), "import", str(source)]) == EXIT_ERROR
    assert capsys.readouterr().err == (
        f"rca-desk: error: {source}: not imported: incidents[0].actions[0].history[0].at: "
        "2026-06-02T12:00:01+00:00 is in the future: the latest allowed is "
        "2026-06-02T12:00:00+00:00 (now plus 1 day for clocks that disagree)\n"
    )
    assert not (tmp_path / "w.rcadesk").exists()
