"""Stored text never steers the terminal: control characters and bidi overrides are shown
as U+FFFD in human output and escaped in JSON, which still reads back as the stored text.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from rca_desk.cli.main import main
from rca_desk.cli.terminal import UNSAFE, json_safe, shown
from rca_desk.store import Workspace
from tests.conftest import TODAY

#: An ESC sequence that clears the screen, a carriage return, a C1 CSI, and RLO.
HOSTILE = "Deploy\x1b[2J\rdone\x9b31m by \u202eFR- MR\u202c"


@pytest.fixture
def ws(sample_workspace: Workspace) -> Path:
    """The sample, with hostile text stored behind the app's back (as old data could be)."""
    path = sample_workspace.path
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE incidents SET title = ?", (HOSTILE,))
    conn.execute("UPDATE actions SET owner = ? WHERE position = 0", (HOSTILE,))
    conn.execute("UPDATE causes SET text = ? WHERE id = 'sop-4'", (HOSTILE + " forgot",))
    conn.close()
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["actions"],
        ["check", "--today", TODAY.isoformat()],
        ["actions", "--format", "csv"],
    ],
)
def test_human_output_carries_no_control_or_bidi_character(
    ws: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--workspace", str(ws), *argv])
    out, err = capsys.readouterr()
    assert "Deploy" in out  # the hostile text was printed...
    assert not UNSAFE.search(out) and not UNSAFE.search(err)  # ...made harmless


@pytest.mark.parametrize(
    "argv",
    [["list", "--json"], ["actions", "--format", "json"], ["export-json", "-o", "-"]],
)
def test_json_output_escapes_them_and_reads_back_as_stored(
    ws: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--workspace", str(ws), *argv]) == 0
    out = capsys.readouterr().out
    assert not UNSAFE.search(out)
    found = strings(json.loads(out))
    # The text as stored (the model reads a bare carriage return as a line break).
    assert HOSTILE in found or HOSTILE.replace("\r", "\n") in found


def strings(value: object) -> set[str]:
    """Every string anywhere in a parsed JSON value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings(v) for v in value)) if value else set()
    return set()


def test_the_helpers_keep_what_real_text_needs() -> None:
    arabic = "\u0645\u0631\u062d\u0628\u0627\u200f\tline\nnext"  # RLM, tab, newline
    assert shown(arabic) == arabic and json_safe(arabic) == arabic
    assert shown("a\x07b\u2066c") == "a\ufffdb\ufffdc"
    csi = "a\u009bb"
    assert json.loads('"' + json_safe(csi) + '"') == csi
