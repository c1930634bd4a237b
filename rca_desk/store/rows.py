"""The rows a workspace lists, whatever stores them: the incident list, the actions and
the check-ins.

Kept apart from any backend so the views, the exports and a second backend share one
definition (the SQLite workspace builds them today; a server workspace will too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rca_desk.model import CheckIn, IncidentStatus, PreventiveAction, Severity
from rca_desk.model.recovery import (
    Apology,
    Confidence,
    MeasureValue,
    Restitution,
    TrustMeasure,
)


@dataclass(frozen=True)
class IncidentSummary:
    """One row of the incident list: enough to show and pick, without loading the graph."""

    id: int
    uid: str
    title: str
    status: IncidentStatus
    severity: Severity
    occurred_at: datetime | None
    affected: str
    causes: int
    root_causes: int
    actions: int
    open_actions: int
    #: Why the incident's own values cannot all be read (one line), or None. Such a row
    #: shows placeholders where values were unreadable; load() refuses the incident.
    damaged: str | None = None


@dataclass(frozen=True)
class ActionRow:
    """A preventive action with the names of its incident and root causes."""

    incident_id: int
    incident_title: str
    action: PreventiveAction
    root_cause_texts: tuple[str, ...]
    categories: tuple[str, ...]


@dataclass(frozen=True)
class CheckInRow:
    """A check-in with what the actions review shows beside it: whose incident it follows
    up, for which client, and the day the service was restored (the cadence counts from
    it), without loading the incident."""

    incident_id: int
    incident_title: str
    affected: str
    resolved_at: date | None
    check_in: CheckIn


@dataclass(frozen=True)
class FollowUpRow:
    """One incident's follow-up with its client, without loading the incident: its
    check-ins and its review meeting (the calendar's events)."""

    incident_id: int
    incident_uid: str
    incident_title: str
    affected: str
    check_ins: tuple[CheckIn, ...]
    review_meeting: date | None


@dataclass(frozen=True)
class RecoveryRow:
    """One incident's client recovery without its diagram: what the review's "Clients at
    risk" and its chart read (a :class:`~rca_desk.model.recovery_state.RecoveryLike`)."""

    incident_id: int
    incident_uid: str
    incident_title: str
    affected: str
    resolved_at: date | None
    apology: Apology
    restore_streak: int
    check_ins: tuple[CheckIn, ...]
    restitution: tuple[Restitution, ...]
    measures: tuple[TrustMeasure, ...]
    measure_values: tuple[MeasureValue, ...]
    confidence: tuple[Confidence, ...]
