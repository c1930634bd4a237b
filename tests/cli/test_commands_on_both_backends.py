"""Every command does the same on a server workspace as on a file (issue 12).

The same steps run against a workspace file and a PostgreSQL workspace, each in its own
process state; what they print and write must be equal once the workspace's own name is
taken out.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from rca_desk.cli.main import main
from rca_desk.interchange.sample import sample_incidents
from rca_desk.store import open_workspace
from tests.conftest import TODAY
from tests.postgres import server_workspace_url

pytestmark = pytest.mark.subprocess


def run(location: str, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--workspace", location, *argv])
    out, err = capsys.readouterr()
    for name, placeholder in ((location, "<workspace>"), ("/server/", "/"), ("/file/", "/")):
        out, err = out.replace(name, placeholder), err.replace(name, placeholder)
    return code, out, err


SAMPLE = sample_incidents(TODAY)  # one set of uids for both workspaces


def session(location: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> list[object]:
    """A day's work on the command line; everything it printed and wrote."""
    folder.mkdir()
    seen: list[object] = []
    with open_workspace(location) as ws:
        ws.add_incidents(copy.deepcopy(SAMPLE))
    seen.append(run(location, capsys, "list"))
    seen.append(run(location, capsys, "check"))
    seen.append(run(location, capsys, "check", "--json"))
    seen.append(run(location, capsys, "actions", "--today", TODAY.isoformat()))
    seen.append(run(location, capsys, "actions", "--format", "csv", "--today", TODAY.isoformat()))
    for fmt in ("table", "json", "csv"):
        day = ("--today", TODAY.isoformat())
        seen.append(run(location, capsys, "recovery", "--incident", "1", "--format", fmt, *day))
    # The record was read, not only equally empty: the sample's credit and its rating.
    assert '"amount": "6400.00"' in seen[-2][1] and ",3,," in seen[-1][1]  # type: ignore[index]
    exported = folder / "all.json"
    seen.append(run(location, capsys, "export-json", "-o", str(exported)))
    document = json.loads(exported.read_text("utf-8"))
    document.pop("exported_at", None)
    seen.append(document)
    for kind in ("dot", "mermaid", "svg"):
        target = folder / f"fishbone.{kind}"
        seen.append(run(location, capsys, "export", "--incident", "1", "-o", str(target)))
        seen.append(target.read_bytes())
    # An import of a copy under new uids, then the list again.
    for incident in document["incidents"]:
        incident["uid"] = incident["uid"][::-1]
        for action in incident.get("actions", []):
            action["uid"] = action["uid"][::-1]
    again = folder / "again.json"
    again.write_text(json.dumps(document), "utf-8")
    seen.append(run(location, capsys, "import", str(again)))
    seen.append(run(location, capsys, "list"))
    backup = folder / "copy.rcadesk"
    code, out, err = run(location, capsys, "backup", "-o", str(backup))
    seen.append((code, out.replace(str(backup), "<backup>"), err))
    with open_workspace(backup, create=False) as backed_up:
        seen.append([(s.uid, s.title, s.causes, s.actions) for s in backed_up.incidents()])
    return seen


def test_the_commands_print_and_write_the_same_on_a_server_as_on_a_file(
    qapp: object,  # (the SVG export draws with Qt: the suite's one QApplication first)
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    on_file = session(str(tmp_path / "team.rcadesk"), tmp_path / "file", capsys)
    on_server = session(server_workspace_url(request), tmp_path / "server", capsys)
    assert len(on_file) == len(on_server)
    for step, (file_result, server_result) in enumerate(zip(on_file, on_server, strict=True)):
        assert server_result == file_result, f"step {step}"
    # and the steps did something: the list grew by the import, check found things.
    assert on_file[0] != on_file[-3]
    assert on_file[1][0] == 1  # type: ignore[index]
