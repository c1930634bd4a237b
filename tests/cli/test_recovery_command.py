"""``rca-desk recovery`` (issue 16): the client's recovery record headless, as a table, a
JSON object of a stable shape, and a long CSV read back with the csv module; and
``check``'s findings for a client at risk, in text and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rca_desk.cli.main import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, main
from rca_desk.model import CheckIn, Incident
from rca_desk.model.follow_ups import Channel
from rca_desk.model.recovery import (
    Apology,
    Confidence,
    Direction,
    MeasureValue,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
)
from rca_desk.store import Workspace
from tests.cli.test_main import Run

TODAY = "2026-12-01"


@pytest.fixture
def rca(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*argv: str | Path) -> Run:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def recovering() -> Incident:
    """Two check-ins held (the second one planned first), one not held; confidence fell,
    one measure is off target, a credit accepted three weeks ago is not delivered."""
    return Incident(
        title="Reports late",
        uid="c0ffee",
        apology=Apology(on=date(2026, 11, 4), by="Sam", to="Their CFO", channel=Channel.MEETING),
        check_ins=[
            CheckIn("k1", date(2026, 11, 16), held=date(2026, 11, 16)),
            CheckIn("k2", date(2026, 11, 23), held=date(2026, 11, 24)),
            CheckIn("k3", date(2026, 12, 7)),
        ],
        measures=[
            TrustMeasure("m1", "Reports on time", "%", 99),
            TrustMeasure("m2", "Late reports", "per week", 1, Direction.LOWER),
        ],
        measure_values=[
            MeasureValue("k1", "m1", 99.5),
            MeasureValue("k2", "m1", 97.25),
            MeasureValue("k1", "m2", 2),
            MeasureValue("k2", "m2", 0),
        ],
        confidence=[
            Confidence("k1", 4, "Better"),
            Confidence("k2", 2, 'Worried, "again"'),
        ],
        restitution=[
            Restitution("r1", RestitutionKind.CREDIT, date(2026, 11, 10), OfferStatus.ACCEPTED,
                        Decimal("6400.00"), "EUR", "Next invoice"),
            Restitution("r2", RestitutionKind.DEDICATED_CONTACT, date(2026, 11, 10),
                        OfferStatus.DELIVERED),
        ],
    )  # fmt: skip


@pytest.fixture
def ws(workspace: Workspace) -> Path:
    workspace.add_incident(recovering())
    workspace.add_incident(Incident(title="Nothing to win back", uid="bare"))
    return workspace.path


def test_the_table_shows_the_whole_record(rca: Any, ws: Path) -> None:
    result = rca("--workspace", ws, "recovery", "--incident", "1", "--today", TODAY)
    assert result.code == EXIT_OK and result.err == ""
    assert result.out == (
        "Incident 1: Reports late\n"
        "Apology:      2026-11-04 by Sam to Their CFO (meeting in person)\n"
        "Restored:     no (when every measure is on target at 2 check-ins held in a row)\n"
        "At risk:      yes (as of 2026-12-01)\n"
        "  - confidence fell from 4 to 2 of 5\n"
        "  - Reports on time is 97.25 %, off its target (at least 99 %)\n"
        "  - 1 restitution offer not delivered (offered 2026-11-10)\n"
        "\n"
        "Restitution\n"
        "ID  KIND               OFFERED     STATUS     AMOUNT        NOTE\n"
        "r1  credit             2026-11-10  accepted   6,400.00 EUR  Next invoice\n"
        "r2  dedicated contact  2026-11-10  delivered\n"
        "\n"
        "Trust measures\n"
        "ID  TARGET              LATEST      TREND   MEASURE\n"
        "m1  at least 99 %       97.25 %     worse   Reports on time\n"
        "m2  at most 1 per week  0 per week  better  Late reports\n"
        "\n"
        "At each check-in\n"
        "CHECK-IN  HELD        VALUE       MET  WHAT\n"
        "k1        2026-11-16  99.5 %      yes  Reports on time\n"
        "k1        2026-11-16  2 per week  no   Late reports\n"
        "k1        2026-11-16  4 of 5           Client confidence: Better\n"
        "k2        2026-11-24  97.25 %     no   Reports on time\n"
        "k2        2026-11-24  0 per week  yes  Late reports\n"
        'k2        2026-11-24  2 of 5           Client confidence: Worried, "again"\n'
        "\n"
        "Client confidence: worse\n"
    )


def test_json_has_the_documented_shape_with_the_amount_as_decimal_text(rca: Any, ws: Path) -> None:
    result = rca(
        "--workspace", ws, "recovery", "--incident", "c0ffee", "--format", "json",
        "--today", TODAY,
    )  # fmt: skip
    assert result.code == EXIT_OK
    data = json.loads(result.out)
    assert list(data) == [
        "incident", "uid", "title", "today", "apology", "restore_streak", "restored",
        "at_risk", "restitution", "measures", "confidence",
    ]  # fmt: skip
    assert data["apology"] == {
        "on": "2026-11-04", "by": "Sam", "to": "Their CFO", "channel": "meeting"
    }  # fmt: skip
    assert (data["incident"], data["uid"], data["restore_streak"], data["restored"]) == (
        1, "c0ffee", 2, False
    )  # fmt: skip
    assert data["at_risk"] == [
        "confidence fell from 4 to 2 of 5",
        "Reports on time is 97.25 %, off its target (at least 99 %)",
        "1 restitution offer not delivered (offered 2026-11-10)",
    ]
    assert data["restitution"] == [
        {"id": "r1", "kind": "credit", "offered_on": "2026-11-10", "status": "accepted",
         "amount": "6400.00", "currency": "EUR", "note": "Next invoice"},
        {"id": "r2", "kind": "dedicated_contact", "offered_on": "2026-11-10",
         "status": "delivered", "amount": None, "currency": None, "note": ""},
    ]  # fmt: skip
    on_time, late = data["measures"]
    assert {k: v for k, v in on_time.items() if k != "values"} == {
        "id": "m1", "name": "Reports on time", "unit": "%", "target": 99,
        "direction": "higher", "trend": "worse",
    }  # fmt: skip
    assert on_time["values"] == [
        {"check_in": "k1", "held": "2026-11-16", "value": 99.5, "met": True},
        {"check_in": "k2", "held": "2026-11-24", "value": 97.25, "met": False},
    ]
    assert (late["direction"], late["trend"]) == ("lower", "better")
    assert [v["value"] for v in late["values"]] == [2, 0]
    assert data["confidence"] == {
        "trend": "worse",
        "ratings": [
            {"check_in": "k1", "held": "2026-11-16", "score": 4, "words": "Better"},
            {"check_in": "k2", "held": "2026-11-24", "score": 2, "words": 'Worried, "again"'},
        ],
    }


def test_csv_is_one_row_per_value_and_rating_at_each_check_in(rca: Any, ws: Path) -> None:
    result = rca("--workspace", ws, "recovery", "--incident", "1", "--format", "csv")
    assert result.code == EXIT_OK
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows == [
        ["incident", "check_in", "planned", "held", "kind", "measure_id", "name", "unit",
         "target", "direction", "value", "met", "words"],
        ["1", "k1", "2026-11-16", "2026-11-16", "measure", "m1", "Reports on time", "%",
         "99", "higher", "99.5", "yes", ""],
        ["1", "k1", "2026-11-16", "2026-11-16", "measure", "m2", "Late reports", "per week",
         "1", "lower", "2", "no", ""],
        ["1", "k1", "2026-11-16", "2026-11-16", "confidence", "", "Client confidence", "of 5",
         "", "higher", "4", "", "Better"],
        ["1", "k2", "2026-11-23", "2026-11-24", "measure", "m1", "Reports on time", "%",
         "99", "higher", "97.25", "no", ""],
        ["1", "k2", "2026-11-23", "2026-11-24", "measure", "m2", "Late reports", "per week",
         "1", "lower", "0", "yes", ""],
        ["1", "k2", "2026-11-23", "2026-11-24", "confidence", "", "Client confidence", "of 5",
         "", "higher", "2", "", 'Worried, "again"'],
    ]  # fmt: skip


def test_an_incident_without_a_recovery_says_so_in_every_format(rca: Any, ws: Path) -> None:
    table = rca("--workspace", ws, "recovery", "--incident", "bare")
    assert (table.code, table.out) == (EXIT_OK, "Incident 2 has no client recovery on record.\n")
    as_csv = rca("--workspace", ws, "recovery", "--incident", "2", "--format", "csv")
    assert list(csv.reader(io.StringIO(as_csv.out)))[1:] == []
    data = json.loads(rca("--workspace", ws, "recovery", "--incident", "2", "--format", "json").out)
    assert (data["apology"]["on"], data["restitution"], data["measures"]) == (None, [], [])
    assert data["confidence"] == {"trend": "", "ratings": []}


def test_bad_input_is_one_clear_line(
    rca: Any, ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = rca("--workspace", ws, "recovery", "--incident", "9")
    assert missing.code == EXIT_ERROR and missing.out == ""
    assert missing.err_lines == [f"rca-desk: error: There is no incident '9' in {ws}."]
    with pytest.raises(SystemExit) as exited:
        main(["--workspace", str(ws), "recovery", "--incident", "1", "--format", "xml"])
    assert exited.value.code == EXIT_ERROR
    assert "invalid choice: 'xml'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--workspace", str(ws), "recovery", "--incident", "1", "--today", "soon"])
    assert "'soon' is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_check_reports_the_client_at_risk_in_text_and_json(rca: Any, ws: Path) -> None:
    text = rca("--workspace", ws, "check", "--incident", "1", "--today", TODAY)
    assert text.code == EXIT_FINDINGS
    assert text.out.splitlines()[-4:] == [
        "incident 1: confidence-falling: confidence fell from 4 to 2 of 5; ask the client what "
        "worries them and answer it before the next check-in",
        "incident 1: measure-off-target: Reports on time is 97.25 %, off its target (at least "
        "99 %); tell the client at the next check-in what brings it back",
        "incident 1: restitution-not-delivered: 1 restitution offer not delivered (offered "
        "2026-11-10), 21 days ago; deliver what was accepted, or ask the client for their "
        "answer",
        "3 finding(s) in 1 of 1 incident(s)",
    ]
    records = json.loads(
        rca("--workspace", ws, "check", "--incident", "1", "--json", "--today", TODAY).out
    )
    assert [(r["kind"], r["level"], r["fails_check"], r["subject"]) for r in records] == [
        ("confidence-falling", "warning", True, "k2"),
        ("measure-off-target", "warning", True, "m1"),
        ("restitution-not-delivered", "problem", True, "r1"),
    ]
