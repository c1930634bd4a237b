"""docs/json-format.md describes what the code does: every key the exporter writes has its
row, in the right table; the lifecycle table is TRANSITIONS; the title and the versions
table follow the upgrade chain."""

from __future__ import annotations

import re
from pathlib import Path

from rca_desk.interchange.json_format import STEPS, VERSION, incident_to_dict, to_document
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import TRANSITIONS
from rca_desk.model.lifecycle import CREATION_STATUSES
from tests.conftest import TODAY

DOC = (Path(__file__).parents[2] / "docs" / "json-format.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text under the heading ``title`` up to the next heading of any level."""
    match = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#|\Z)", DOC, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def table_keys(title: str) -> list[str]:
    """The first column's `key`s of the table under ``title``."""
    return re.findall(r"^\| `([a-z_]+)`", section(title), re.M)


def test_every_key_the_exporter_writes_has_its_row() -> None:
    (incident,) = sample_incidents(TODAY)
    raw = incident_to_dict(incident)
    assert list(to_document([])) == ["format", "version", "incidents"]
    assert table_keys("Document") == ["format", "version", "incidents"]
    assert table_keys("Incident") == list(raw)
    assert table_keys("Cause") == list(raw["causes"][0])
    assert table_keys("Link") == list(raw["links"][0])
    assert table_keys("Preventive action") == list(raw["actions"][0])
    assert table_keys("Status change (an entry of `history`)") == list(
        raw["actions"][0]["history"][0]
    )
    impact_row = next(line for line in section("Incident").splitlines() if "`impact`" in line)
    for part in raw["impact"]:
        assert f"`{part}`" in impact_row
    cadence_row = next(line for line in section("Incident").splitlines() if "`cadence`" in line)
    for phase in raw["cadence"]:
        assert f'"{phase}"' in cadence_row
    assert table_keys("Timeline event") == list(raw["timeline"][0])
    assert table_keys("Participant") == list(raw["participants"][0])
    assert table_keys("Check-in") == list(raw["check_ins"][0])
    apology_row = next(line for line in section("Incident").splitlines() if "`apology`" in line)
    for key in raw["apology"]:
        assert f"`{key}`" in apology_row
    assert table_keys("Restitution offer") == list(raw["restitution"][0])
    assert table_keys("Trust measure") == list(raw["measures"][0])
    assert table_keys("Measure value") == list(raw["measure_values"][0])
    assert table_keys("Confidence rating") == list(raw["confidence"][0])


def test_every_row_says_required_or_optional() -> None:
    titles = ("Incident", "Cause", "Link", "Preventive action")
    records = ("Timeline event", "Participant", "Check-in", "Restitution offer", "Trust measure")
    for title in (*titles, *records, "Measure value", "Confidence rating"):
        for line in section(title).splitlines():
            if line.startswith("| `"):
                assert re.match(r"\| `\w+` \| (required|optional)", line), line


def test_the_lifecycle_table_is_the_lifecycle() -> None:
    rows = dict(
        re.findall(r"^\| (`\w+`|\(creation: `null`\)) \| (.+) \|$", section("The lifecycle"), re.M)
    )
    creation = rows.pop("(creation: `null`)")
    assert re.findall(r"`(\w+)`", creation) == [s.value for s in CREATION_STATUSES]
    documented = {key.strip("`"): re.findall(r"`(\w+)`", allowed) for key, allowed in rows.items()}
    assert documented == {s.value: [t.value for t in nxt] for s, nxt in TRANSITIONS.items()}


def test_the_title_and_the_versions_table_follow_the_chain() -> None:
    assert DOC.startswith(f"# The rca_desk JSON format (version {VERSION})\n")
    versions = re.findall(r"^\| (\d+\.\d+|1 / 1\.0) \|", section("The upgrade chain"), re.M)
    assert versions == ["1 / 1.0", *(str(step.version) for step in STEPS)]
