"""The client's recovery in the store (issue 16, schema 1.5), on a file and on a server:
the apology and the agreed streak as incident fields; restitution offers, trust measures,
their values per check-in and the client's confidence as rows of their own. Written
through and seen by another connection, exact (a credit of 6400.10 stays 6400.10, a
measure's 99.95 stays 99.95 on PostgreSQL too), what hangs on a check-in goes with it
even when an older app deletes the check-in, an older workspace gains the defaults, and
a damaged value is named."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rca_desk.model import Channel, CheckIn, Incident
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
from rca_desk.store import DamagedIncidentError, Workspace, open_workspace
from rca_desk.store.copying import copy_rows
from rca_desk.store.damage import salvage_incident
from rca_desk.store.schema import SCHEMA_VERSION, SchemaVersion
from tests.store.backends import raw, write_raw
from tests.store.older_files import closed_and_back_to, older_server, server_version

HELD = CheckIn("k1", date(2026, 11, 10), held=date(2026, 11, 10))
NEXT = CheckIn("k2", date(2026, 11, 17), held=date(2026, 11, 18))
CREDIT = Restitution(
    "r1",
    RestitutionKind.CREDIT,
    date(2026, 11, 4),
    OfferStatus.ACCEPTED,
    Decimal("6400.10"),
    "EUR",
    "A month's fee",
)
CONTACT = Restitution("r2", RestitutionKind.DEDICATED_CONTACT, date(2026, 11, 4))
ON_TIME = TrustMeasure("m1", "Reports on time", "%", 99.95)
LATE = TrustMeasure("m2", "Late reports", "per week", 1, Direction.LOWER)


def recovering(title: str = "Payroll late") -> Incident:
    """An incident with every part of the client's recovery set."""
    return Incident(
        title=title,
        resolved_at=date(2026, 11, 3),
        check_ins=[HELD, NEXT],
        apology=Apology(date(2026, 11, 3), "Sam Whitfield", "Contoso's CFO", Channel.VISIT),
        restore_streak=3,
        restitution=[CREDIT, CONTACT],
        measures=[ON_TIME, LATE],
        measure_values=[
            MeasureValue("k1", "m1", 99.96),
            MeasureValue("k1", "m2", 0),
            MeasureValue("k2", "m1", 98.5),
        ],
        confidence=[Confidence("k1", 2, "We are watching."), Confidence("k2", 4)],
    )


def recovery_of(incident: Incident) -> tuple[object, ...]:
    """Everything issue 16 added to the incident, to compare two reads."""
    return (
        incident.apology,
        incident.restore_streak,
        incident.restitution,
        incident.measures,
        incident.measure_values,
        incident.confidence,
    )


@pytest.fixture
def stored(workspace: Workspace) -> Incident:
    incident = recovering()
    workspace.add_incident(incident)
    return incident


@pytest.fixture
def other(workspace: Workspace) -> Iterator[Workspace]:
    with open_workspace(workspace.location, create=False) as second:
        yield second


def test_a_new_incident_is_written_with_its_whole_recovery(
    workspace: Workspace, stored: Incident, other: Workspace
) -> None:
    assert stored.id is not None
    read = other.load(stored.id)
    assert recovery_of(read) == recovery_of(recovering())
    assert read.restitution[0].amount == Decimal("6400.10")
    assert read.measures[0].target == 99.95  # 8 bytes on the server too (its REAL has 4)
    assert raw(
        workspace.location,
        "SELECT id, kind, status, amount, currency FROM restitution_offers ORDER BY position",
    ) == [
        ("r1", "credit", "accepted", "6400.10", "EUR"),
        ("r2", "dedicated_contact", "offered", None, ""),
    ]
    assert raw(workspace.location, "SELECT apology_on, apology_channel FROM incidents") == [
        ("2026-11-03", "visit")
    ]


def test_each_part_is_written_through_one_by_one(
    workspace: Workspace, stored: Incident, other: Workspace
) -> None:
    assert stored.id is not None
    stored.update_fields(apology=Apology(None, "", "", Channel.CALL), restore_streak=2)
    workspace.save_incident_fields(stored, ["apology", "restore_streak"])
    stored.put_record("restitution", CREDIT.moved_to(OfferStatus.DELIVERED))
    workspace.save_record(stored, "restitution", "r1")
    stored.put_record("measure_values", MeasureValue("k2", "m2", 3))
    workspace.save_record(stored, "measure_values", "k2/m2")
    stored.put_record("confidence", Confidence("k2", 1, "Not again."))
    workspace.save_record(stored, "confidence", "k2")
    read = other.load(stored.id)
    assert read.apology == Apology() and read.restore_streak == 2
    assert read.restitution[0].status is OfferStatus.DELIVERED
    assert MeasureValue("k2", "m2", 3.0) in read.measure_values
    assert read.confidence[1] == Confidence("k2", 1, "Not again.")


def test_removing_a_check_in_takes_its_values_and_rating_along(
    workspace: Workspace, stored: Incident, other: Workspace
) -> None:
    assert stored.id is not None
    for kind, record in stored.dependents("check_ins", "k2"):
        stored.drop_record(kind, record.id)
        workspace.delete_record(stored, kind, record.id)
    stored.drop_record("check_ins", "k2")
    workspace.delete_record(stored, "check_ins", "k2")
    read = other.load(stored.id)
    assert [v.id for v in read.measure_values] == ["k1/m1", "k1/m2"]
    assert [c.id for c in read.confidence] == ["k1"]


def test_an_older_app_deleting_a_check_in_leaves_nothing_hanging(
    workspace: Workspace, stored: Incident
) -> None:
    """A 1.4 app knows no values or ratings; the keys take them along when it deletes."""
    assert stored.id is not None
    write_raw(workspace.location, "DELETE FROM check_ins WHERE id = 'k1'", keys=True)
    write_raw(workspace.location, "DELETE FROM trust_measures WHERE id = 'm1'", keys=True)
    read = workspace.load(stored.id)
    assert [v.id for v in read.measure_values] == []
    assert [c.id for c in read.confidence] == ["k2"]


def test_a_copy_between_backends_takes_the_recovery_along(
    workspace: Workspace, stored: Incident, tmp_path: Path
) -> None:
    assert stored.id is not None
    with Workspace.open(tmp_path / "copy.rcadesk") as copy:
        copy_rows(workspace, copy)
        assert copy.content() == workspace.content()
        assert recovery_of(copy.load(stored.id)) == recovery_of(recovering())


# ------------------------------------------------------------------ older workspaces
@pytest.mark.file_only
def test_a_1_4_file_gains_the_recovery_when_opened(sample_workspace: Workspace) -> None:
    path = closed_and_back_to(sample_workspace, SchemaVersion(1, 4))
    with Workspace.open(path, create=False) as workspace:
        incident = workspace.load(workspace.incidents()[0].id)
        assert recovery_of(incident) == (Apology(), 2, [], [], [], [])
        incident.put_record("measures", ON_TIME)
        workspace.save_record(incident, "measures", "m1")
        incident.put_record("measure_values", MeasureValue("ci-01", "m1", 100))
        workspace.save_record(incident, "measure_values", "ci-01/m1")
    assert raw(path, "PRAGMA user_version")[0][0] == SCHEMA_VERSION.to_int()
    assert raw(path, "SELECT id, value FROM measure_values") == [("ci-01/m1", 100.0)]


@pytest.mark.subprocess  # a real server
def test_a_1_4_server_gains_the_recovery_when_opened(request: pytest.FixtureRequest) -> None:
    url = older_server(request, SchemaVersion(1, 4), "Before the recovery")
    with open_workspace(url) as workspace:
        (summary,) = workspace.incidents()
        incident = workspace.load(summary.id)
        assert recovery_of(incident) == (Apology(), 2, [], [], [], [])
        incident.put_record("restitution", CREDIT)
        workspace.save_record(incident, "restitution", "r1")
        assert workspace.load(summary.id).restitution == [CREDIT]
    assert server_version(url) == str(SCHEMA_VERSION)
    assert raw(
        url,
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_name IN ('trust_measures', 'measure_values') "
        "AND column_name IN ('target', 'value', 'incident_id') ORDER BY 1, 2",
    ) == [
        ("measure_values", "incident_id", "bigint"),
        ("measure_values", "value", "double precision"),
        ("trust_measures", "incident_id", "bigint"),
        ("trust_measures", "target", "double precision"),
    ]


# ------------------------------------------------------------------ damaged values
@pytest.mark.file_only
@pytest.mark.parametrize(
    ("statement", "said", "salvaged", "shown"),
    [
        (
            "UPDATE restitution_offers SET amount = 'lots' WHERE id = 'r1'",
            "the restitution amount 'lots' is not an amount",
            lambda incident: [r.id for r in incident.restitution],
            ["r2"],  # a credit without its amount is left out
        ),
        (
            "UPDATE restitution_offers SET kind = 'voucher' WHERE id = 'r2'",
            "unknown restitution kind 'voucher'",
            lambda incident: [(r.id, r.kind.value) for r in incident.restitution],
            [("r1", "credit"), ("r2", "other")],  # kept, as "other", not a bare credit
        ),
        (
            "UPDATE restitution_offers SET status = 'promised' WHERE id = 'r2'",
            "unknown restitution status 'promised'",
            lambda incident: incident.restitution[1].status,
            OfferStatus.OFFERED,
        ),
        (
            "UPDATE trust_measures SET target = 'high' WHERE id = 'm2'",
            "the trust measure's target is text, not a number",
            lambda incident: ([m.id for m in incident.measures], len(incident.measure_values)),
            (["m1"], 2),  # the measure and its value are left out
        ),
        (
            "UPDATE client_confidence SET score = 9 WHERE id = 'k1'",
            "the confidence rating 'k1' was left out (Client confidence is 1 to 5, not 9.)",
            lambda incident: [c.id for c in incident.confidence],
            ["k2"],
        ),
        (
            "UPDATE incidents SET apology_channel = 'pigeon'",
            "unknown apology channel 'pigeon'",
            lambda incident: incident.apology.channel,
            Channel.CALL,
        ),
        (
            "UPDATE incidents SET restore_streak = 0",
            "0 check-ins on target to restore is not between 1 and 36",
            lambda incident: incident.restore_streak,
            2,
        ),
    ],
)
def test_a_damaged_value_is_named_and_salvage_shows_what_it_can(
    workspace: Workspace,
    stored: Incident,
    statement: str,
    said: str,
    salvaged: Callable[[Incident], object],
    shown: object,
) -> None:
    assert stored.id is not None
    write_raw(workspace.location, statement)
    with pytest.raises(DamagedIncidentError):
        workspace.load(stored.id)
    incident, problems = salvage_incident(workspace.conn, stored.id)  # type: ignore[arg-type]
    assert said in problems
    assert salvaged(incident) == shown
    assert incident.check_ins == [HELD, NEXT]


# ------------------------------------------------------------------ the review's rows
def test_recovery_rows_read_each_incident_without_its_diagram(
    workspace: Workspace, stored: Incident
) -> None:
    workspace.add_incident(Incident(title="Nothing to win back"))  # not listed
    apologised = Incident(title="Only apologised", apology=Apology(date(2026, 11, 30)))
    workspace.add_incident(apologised)
    followed = Incident(title="Only followed up", check_ins=[CheckIn("k9", date(2026, 12, 1))])
    workspace.add_incident(followed)
    first, only_apology, second = workspace.recovery_rows()
    assert (first.incident_id, first.incident_title) == (stored.id, "Payroll late")
    assert only_apology.apology == Apology(date(2026, 11, 30))
    assert recovery_of(first) == tuple(  # type: ignore[arg-type]
        tuple(part) if isinstance(part, list) else part for part in recovery_of(recovering())
    )
    assert first.check_ins == (HELD, NEXT)
    assert second.incident_id == followed.id and second.restitution == ()
    assert second.check_ins == (CheckIn("k9", date(2026, 12, 1)),)


@pytest.mark.file_only
def test_recovery_rows_leave_out_an_incident_whose_recovery_cannot_be_read(
    workspace: Workspace, stored: Incident
) -> None:
    workspace.add_incident(recovering("Second"))
    write_raw(
        workspace.location,
        f"UPDATE client_confidence SET score = 9 WHERE incident_id = {stored.id}",
    )
    assert [row.incident_title for row in workspace.recovery_rows()] == ["Second"]
