"""The client's recovery in the JSON format (1.5): a 1.4 file from before it imports with
its defaults, an export carries it exactly, and a bad value is refused at its place in
the model's words, with nothing written."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from rca_desk.interchange import json_format
from rca_desk.interchange.json_format import (
    FormatVersion,
    ImportRefusedError,
    dumps,
    import_incidents,
    parse_document,
)
from rca_desk.model import Channel, Incident
from rca_desk.model.recovery import Apology, OfferStatus, RestitutionKind
from rca_desk.store import Workspace
from tests.interchange.conftest import Doc

RECOVERY_KEYS = ("apology", "restore_streak", "restitution", "measures", "measure_values",
                 "confidence")  # fmt: skip


def test_the_sample_exports_its_recovery_exactly(sample: Incident) -> None:
    raw = json.loads(dumps([sample]))["incidents"][0]
    assert raw["apology"]["by"] == "Sam Whitfield" and raw["apology"]["channel"] == "meeting"
    credit = raw["restitution"][0]
    assert (credit["kind"], credit["amount"], credit["currency"]) == ("credit", "6400.00", "EUR")
    assert raw["restitution"][1]["amount"] is None
    assert raw["measure_values"][0] == {"check_in_id": "ci-01", "measure_id": "tm-1", "value": 100}
    assert raw["confidence"][0]["score"] == 3


def test_a_1_4_file_from_before_the_recovery_imports_with_its_defaults(
    doc: Doc, workspace: Workspace
) -> None:
    for incident in doc["incidents"]:
        for key in RECOVERY_KEYS:
            del incident[key]
    doc["version"] = "1.4"
    (older,) = parse_document(copy.deepcopy(doc))
    assert (older.apology, older.restore_streak) == (Apology(), 2)
    assert (older.restitution, older.measures, older.measure_values, older.confidence) == (
        [],
        [],
        [],
        [],
    )
    assert len(older.check_ins) == 12, "what 1.4 had is read as before"
    (incident_id,) = import_incidents(workspace, [older], source="old.json")
    assert workspace.load(incident_id).restore_streak == 2
    upgraded = json_format.upgrade(doc, FormatVersion(1, 4), now=datetime(2026, 12, 1, 9, 0))
    assert upgraded["version"] == "1.5"
    assert {key: upgraded["incidents"][0][key] for key in RECOVERY_KEYS} == {
        "apology": {"on": None, "by": "", "to": "", "channel": "call"},
        "restore_streak": 2,
        "restitution": [],
        "measures": [],
        "measure_values": [],
        "confidence": [],
    }
    assert "apology" not in doc["incidents"][0], "the caller's document is not changed"


def test_an_amount_stays_exact_through_a_file(doc: Doc) -> None:
    doc["incidents"][0]["restitution"][0]["amount"] = "0.10"
    (incident,) = parse_document(doc)
    assert incident.restitution[0].amount == Decimal("0.10")
    again = json.loads(dumps([incident]))["incidents"][0]["restitution"][0]["amount"]
    assert again == "0.10"


@pytest.mark.parametrize(
    ("where", "change", "place", "message"),
    [
        (("restitution", 0), {"amount": None}, "restitution[0]",
         "A credit needs an amount above zero."),
        (("restitution", 0), {"amount": 6400}, "restitution[0].amount",
         '6400 is not an amount written as text ("6400.00")'),
        (("restitution", 0), {"amount": "-5"}, "restitution[0]",
         "A credit needs an amount above zero."),
        (("restitution", 0), {"currency": "euro"}, "restitution[0]",
         "A credit needs its currency as a three-letter code (EUR, USD), not 'EURO'."),
        (("restitution", 1), {"amount": "10.00"}, "restitution[1]",
         "Only a credit has an amount; a dedicated contact has none."),
        (("restitution", 1), {"status": "promised"}, "restitution[1].status",
         "'promised' is not one of: offered, accepted, declined, delivered"),
        (("restitution", 0), {"offered_on": "last week"}, "restitution[0].offered_on",
         "'last week' is not a date (YYYY-MM-DD)"),
        (("measures", 0), {"target": "99%"}, "measures[0].target",
         "must be a number, not text"),
        (("measures", 0), {"name": " "}, "measures[0].name",
         "A trust measure's name needs text; it cannot be empty."),
        (("measures", 1), {"direction": "up"}, "measures[1].direction",
         "'up' is not one of: higher, lower"),
        (("measure_values", 0), {"check_in_id": "ci-99"}, "measure_values[0]",
         "A measure value needs its check-in 'ci-99', which this incident does not have."),
        (("measure_values", 1), {"measure_id": "tm-1"}, "measure_values[1].id",
         "'ci-01/tm-1' is already the id of measure_values[0]; each id appears once in the "
         "list"),
        (("measure_values", 0), {"value": True}, "measure_values[0].value",
         "must be a number, not true/false"),
        (("confidence", 0), {"score": 6}, "confidence[0].score",
         "Client confidence is 1 to 5, not 6."),
        (("confidence", 0), {"score": 2.5}, "confidence[0].score",
         "must be a whole number, not a number"),
        (("measures", 0), {"target": 10**400}, "measures[0].target",
         "A trust measure's target must be between -1,000,000,000,000 and "
         "1,000,000,000,000."),
        (("measure_values", 0), {"value": -(10**400)}, "measure_values[0].value",
         "A measure's value must be between -1,000,000,000,000 and 1,000,000,000,000."),
        (("restitution", 0), {"amount": "1E+999999999"}, "restitution[0]",
         "A credit's amount must be at most 1,000,000,000,000."),
    ],
)  # fmt: skip
def test_a_bad_recovery_value_is_refused_at_its_place_and_nothing_is_written(
    doc: Doc,
    workspace: Workspace,
    where: tuple[str, int],
    change: dict[str, Any],
    place: str,
    message: str,
) -> None:
    kind, index = where
    doc["incidents"][0][kind][index].update(change)
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(doc)
    assert (caught.value.problems[0].place, caught.value.problems[0].message) == (
        f"incidents[0].{place}",
        message,
    )
    assert workspace.incidents() == []


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        ({"restore_streak": 0}, "restore_streak",
         "Recovery needs 1 to 36 check-ins in a row on target, not 0."),
        ({"restore_streak": "2"}, "restore_streak", "must be a whole number, not text"),
        ({"apology": {"on": "yesterday"}}, "apology.on", "'yesterday' is not a date (YYYY-MM-DD)"),
        ({"apology": {"channel": "pigeon"}}, "apology.channel",
         "'pigeon' is not one of: call, video, meeting, visit, email, other"),
        ({"apology": {"when": "2026-11-01"}}, "apology.when", "is not a field of this format"),
        ({"apology": {"by": "x" * 201}}, "apology.by",
         "Who apologised is longer than 200 characters."),
    ],
)  # fmt: skip
def test_a_bad_apology_or_streak_is_refused_at_its_place(
    doc: Doc, change: dict[str, Any], place: str, message: str
) -> None:
    doc["incidents"][0].update(change)
    with pytest.raises(ImportRefusedError) as caught:
        parse_document(doc)
    assert (caught.value.problems[0].place, caught.value.problems[0].message) == (
        f"incidents[0].{place}",
        message,
    )


def test_only_the_required_keys_of_each_part_import(doc: Doc) -> None:
    doc["incidents"][0].update(
        apology={},
        restitution=[{"id": "r9", "kind": "free_service", "offered_on": "2026-11-20"}],
        measures=[{"id": "m9", "name": "Tickets reopened", "unit": "", "target": 2}],
        measure_values=[{"check_in_id": "ci-01", "measure_id": "m9", "value": 1}],
        confidence=[{"check_in_id": "ci-01", "score": 5}],
    )
    del doc["incidents"][0]["restore_streak"]
    (incident,) = parse_document(doc)
    assert incident.apology == Apology(None, "", "", Channel.CALL)
    (offer,) = incident.restitution
    assert (offer.kind, offer.status, offer.amount, offer.offered_on) == (
        RestitutionKind.FREE_SERVICE,
        OfferStatus.OFFERED,
        None,
        date(2026, 11, 20),
    )
    assert incident.measures[0].direction.value == "higher"
    assert incident.confidence[0].words == ""
    assert incident.restore_streak == 2
