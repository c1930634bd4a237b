"""follow_up_rows(): each incident's follow-up for the calendar, read without loading the
incidents, on a file and on a server alike."""

from __future__ import annotations

from datetime import date

from rca_desk.model import CheckIn, Incident
from rca_desk.store import FollowUpRow, Workspace


def test_incidents_with_check_ins_or_a_review_meeting_are_listed(workspace: Workspace) -> None:
    quiet = Incident(title="Nothing promised")
    reviewed = Incident(title="Reviewed", review_meeting=date(2026, 12, 14), affected="Contoso")
    followed = Incident(title="Followed", resolved_at=date(2026, 11, 2))
    for record in (CheckIn("k2", date(2026, 11, 16)), CheckIn("k1", date(2026, 11, 9))):
        followed.put_record("check_ins", record)
    for incident in (quiet, reviewed, followed):
        workspace.add_incident(incident)
    assert workspace.follow_up_rows() == [
        FollowUpRow(
            incident_id=reviewed.id or 0,
            incident_uid=reviewed.uid,
            incident_title="Reviewed",
            affected="Contoso",
            check_ins=(),
            review_meeting=date(2026, 12, 14),
        ),
        FollowUpRow(
            incident_id=followed.id or 0,
            incident_uid=followed.uid,
            incident_title="Followed",
            affected="",
            check_ins=(CheckIn("k2", date(2026, 11, 16)), CheckIn("k1", date(2026, 11, 9))),
            review_meeting=None,
        ),
    ]
