"""The sample incident with the record a report shows (issue 15), for the report's tests.

The sample in ``resources/sample_incident.json`` does not yet carry the incident's record
(timeline, participants, check-ins, lessons, dates): that arrives with the JSON format's
next version. Until then this one module adds it through the model's own edits
(``update_fields``, ``put_record``); when the sample carries it, ``enriched_sample``
becomes ``sample_incidents(today)[0]`` and the tests stay as they are.

Every text here is distinct, so a test can look for it in a report, or for its absence.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Channel, CheckIn, Incident, Participant, TimelineEvent


def enriched_sample(today: date) -> Incident:
    """The sample incident, resolved the day after it occurred, with its timeline, the
    people of the analysis, four check-ins (two held) and the lessons learned."""
    incident = sample_incidents(today)[0]
    occurred = incident.occurred_at
    assert occurred is not None
    start = occurred.date()

    def at(days: int, hour: int, minute: int) -> datetime:
        return datetime.combine(start + timedelta(days=days), datetime.min.time()).replace(
            hour=hour, minute=minute
        )

    incident.update_fields(
        resolved_at=start + timedelta(days=1),
        review_meeting=start + timedelta(days=43),
        lessons=(
            "A data migration is part of the release: it is not done until every "
            "tenant's totals reconcile.\n"
            "A key account hears about an incident from us first, within the hour."
        ),
    )
    timeline = [
        (at(-1, 22, 0), "Release v4.2 deployed, migration 0412 runs on all tenants",
         "Deploy log run 8812"),
        (at(0, 7, 10), "Northwind's finance team finds gaps in the sales history",
         "Client ticket NW-3391"),
        (at(0, 8, 5), "Our first alert fires on the reporting error rate",
         "Pager history export"),
        (at(0, 9, 30), "Releases frozen for the tenant; restore from the nightly backup starts",
         "Bridge call notes by Ines Moreau"),
        (at(1, 16, 30), "Reports back for Northwind, totals reconciled line by line",
         "Reconciliation sheet v3"),
    ]  # fmt: skip
    for number, (when, what, source) in enumerate(timeline, 1):
        event = TimelineEvent(f"ev-{number}", when, what, source)
        incident.put_record("timeline", event)
    for person in (
        Participant("p-1", "Ines Moreau", "Facilitator from the quality office"),
        Participant("p-2", "Priya Nair", "Platform engineering lead"),
        Participant("p-3", "Tom Becker", "Release train manager"),
        Participant("p-4", "Kofi Mensah", "Account director for Northwind"),
    ):
        incident.put_record("participants", person)
    for check_in in (
        CheckIn("ci-1", start + timedelta(days=8), start + timedelta(days=8), Channel.VIDEO,
                ours="Kofi Mensah", theirs="Dana Holt, Northwind CFO",
                summary="Walked through the restore and the first actions; the client asked "
                "for weekly updates until the release checkpoint is live."),
        CheckIn("ci-2", start + timedelta(days=15), start + timedelta(days=16), Channel.CALL,
                ours="Kofi Mensah and Tom Becker", theirs="Northwind financial controller",
                summary="Release checkpoint published; the client accepted the "
                "reconciliation report."),
        CheckIn("ci-3", start + timedelta(days=22)),
        CheckIn("ci-4", start + timedelta(days=36)),
    ):  # fmt: skip
        incident.put_record("check_ins", check_in)
    return incident
