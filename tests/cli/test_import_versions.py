"""``rca-desk import`` of newer files: a newer minor imports with a one-line note, a newer
major is refused with one error line, exit 2, and nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rca_desk.cli.main import EXIT_ERROR, EXIT_OK, main
from rca_desk.interchange.json_format import VERSION, current_version, dumps
from rca_desk.model import Incident


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def document(sample: Incident, version: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(dumps([sample]))
    doc["version"] = version
    doc["incidents"][0]["priority"] = "urgent"  # a field a newer version might add
    return doc


#: The next minor version, whichever is current.
NEWER = f"{current_version().major}.{current_version().minor + 1}"


def test_a_newer_minor_file_imports_with_one_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Incident
) -> None:
    source = tmp_path / "newer.json"
    source.write_text(json.dumps(document(sample, NEWER)), encoding="utf-8")
    workspace = tmp_path / "w.rcadesk"

    code, out, err = run(capsys, "--workspace", workspace, "import", source)

    assert code == EXIT_OK
    assert out == f"Imported 1 incident(s) from {source}: ids 1\n"
    assert err == (
        f"rca-desk: note: {source}: format {NEWER} is newer than this rca-desk's {VERSION}; "
        "1 field(s) "
        "unknown to this version were ignored (incidents[0].priority). Update rca-desk to "
        "keep them.\n"
    )


def test_a_newer_major_file_is_refused_in_one_line_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Incident
) -> None:
    source = tmp_path / "future.json"
    source.write_text(json.dumps(document(sample, "2.0")), encoding="utf-8")
    workspace = tmp_path / "w.rcadesk"

    code, out, err = run(capsys, "--workspace", workspace, "import", source)

    assert code == EXIT_ERROR
    assert out == ""
    assert err == (
        f"rca-desk: error: {source}: not imported: version: the file is format 2.0, written "
        f"by a newer rca-desk; this version reads format 1.x (up to {VERSION})\n"
    )
    assert not workspace.exists()
