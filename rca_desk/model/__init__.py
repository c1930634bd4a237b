"""The domain model: incidents, cause graphs, categories, preventive actions.

Pure Python (networkx for the graph). No Qt, no SQL: every other layer builds on this.
"""

from rca_desk.model.actions import (
    COMMITTED_STATUSES,
    COVERING_STATUSES,
    NOTE_REQUIRED,
    OPEN_STATUSES,
    TRANSITIONS,
    PreventiveAction,
    StatusChange,
    verification_choices,
)
from rca_desk.model.agenda import DEFAULT_AGENDA, AgendaStep, AgendaTimer
from rca_desk.model.analysis import (
    REGISTRY,
    Finding,
    FindingKind,
    KindInfo,
    Level,
    blames_a_person,
    findings,
)
from rca_desk.model.categories import DEFAULT_CATEGORIES, PRESETS, preset
from rca_desk.model.cause_graph import HEAD, Cause, CauseGraph, PlacedCause, RemovedSubtree
from rca_desk.model.errors import RcaError, RuleError
from rca_desk.model.follow_ups import Cadence, Channel, CheckIn, CheckInState
from rca_desk.model.incident import Impact, Incident
from rca_desk.model.parking import ParkedIdea
from rca_desk.model.record import Participant, TimelineEvent
from rca_desk.model.vocab import ActionStatus, Evidence, IncidentStatus, Severity, Strength

__all__ = [
    "COMMITTED_STATUSES",
    "COVERING_STATUSES",
    "DEFAULT_AGENDA",
    "DEFAULT_CATEGORIES",
    "HEAD",
    "NOTE_REQUIRED",
    "OPEN_STATUSES",
    "PRESETS",
    "REGISTRY",
    "TRANSITIONS",
    "ActionStatus",
    "AgendaStep",
    "AgendaTimer",
    "Cadence",
    "Cause",
    "CauseGraph",
    "Channel",
    "CheckIn",
    "CheckInState",
    "Evidence",
    "Finding",
    "FindingKind",
    "Impact",
    "Incident",
    "IncidentStatus",
    "KindInfo",
    "Level",
    "ParkedIdea",
    "Participant",
    "PlacedCause",
    "PreventiveAction",
    "RcaError",
    "RemovedSubtree",
    "RuleError",
    "Severity",
    "StatusChange",
    "Strength",
    "TimelineEvent",
    "blames_a_person",
    "findings",
    "preset",
    "verification_choices",
]
