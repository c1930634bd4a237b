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
#: The same without its bidi override: old text the model still reads (a stored bidi
#: override breaks a rule, so its incident opens as damaged until a migration mends it).
OLD_TEXT = "Deploy\x1b[2J\rdone\x9b31m by FR- MR"
#: OLD_TEXT as the model reads it: control characters stripped, the CR a line break.
MENDED = "Deploy[2J\ndone31m by FR- MR"


@pytest.fixture
def ws(sample_workspace: Workspace) -> Path:
    """The sample, with hostile text stored behind the app's back (as old data could be)."""
    path = sample_workspace.path
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE incidents SET title = ?", (OLD_TEXT,))
    conn.execute("UPDATE actions SET owner = ? WHERE position = 0", (OLD_TEXT,))
    conn.execute("UPDATE causes SET text = ? WHERE id = 'sop-4'", (OLD_TEXT + " forgot",))
    conn.close()
    return path


def test_a_stored_bidi_override_is_listed_harmless(
    sample_workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(sample_workspace.path, isolation_level=None)
    conn.execute("UPDATE incidents SET title = ?", (HOSTILE,))
    conn.close()
    assert main(["--workspace", str(sample_workspace.path), "list"]) == 0
    out = capsys.readouterr().out
    # The store reads stored text without control and bidi characters (it never locks an
    # incident for them); what is left of the escape sequences is plain text.
    assert "Deploy[2J done31m by FR- MR" in out
    assert not any(ch in out for ch in "\x1b\r\x9b\u202e\u202c")


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
    # The text as stored (the incident list), or as the model reads it.
    assert OLD_TEXT in found or MENDED in found


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
