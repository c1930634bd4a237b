"""The incident: what happened, its cause graph and its preventive actions.

:class:`Incident` is the aggregate root. Rules that span the graph and the actions (an
action only addresses root causes of its own incident; a root cause with actions cannot
silently disappear) are checked here, so edit through these methods rather than through
``incident.graph`` directly whenever actions may be affected.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rca_desk.model.actions import PreventiveAction, covers
from rca_desk.model.agenda import DEFAULT_AGENDA, Agenda, checked_agenda
from rca_desk.model.cause_graph import (
    MAX_TEXT_LENGTH,
    Cause,
    CauseGraph,
    RemovedSubtree,
    clean_text,
)
from rca_desk.model.errors import RuleError
from rca_desk.model.follow_ups import (
    DEFAULT_CADENCE,
    Cadence,
    CheckIn,
    checked_cadence,
    checked_check_in,
)
from rca_desk.model.parking import ParkedIdea, idea
from rca_desk.model.record import (
    Participant,
    TimelineEvent,
    checked_event,
    checked_participant,
)
from rca_desk.model.recovery import (
    DEFAULT_STREAK,
    Apology,
    Confidence,
    MeasureValue,
    Restitution,
    TrustMeasure,
    checked_apology,
    checked_confidence,
    checked_measure,
    checked_measure_value,
    checked_restitution,
    checked_streak,
)
from rca_desk.model.text import typed
from rca_desk.model.vocab import IncidentStatus, Severity

DEFAULT_WHYS_DEPTH = 5
#: How deep a five-whys chain may be asked to go.
MIN_WHYS_DEPTH, MAX_WHYS_DEPTH = 1, 20
#: The incident's longer texts (affected, description, containment) may be this long.
MAX_LONG_TEXT_LENGTH = MAX_TEXT_LENGTH * 5


def new_incident_uid() -> str:
    return uuid.uuid4().hex


@dataclass
class Impact:
    """The harm done to the client, in the four usual dimensions (free text each)."""

    operational: str = ""
    financial: str = ""
    reputational: str = ""
    compliance: str = ""


_FIELD_NAMES = {
    "affected": "The affected client or service",
    "description": "The incident's description",
    "containment": "The incident's containment",
    "lessons": "The lessons learned",
}

#: The incident's lists of records (see :mod:`rca_desk.model.record`): the attribute,
#: how one record is checked, and what one is called in a refusal.
RECORD_KINDS: dict[str, tuple[Any, str]] = {
    "timeline": (checked_event, "timeline event"),
    "participants": (checked_participant, "participant"),
    "check_ins": (checked_check_in, "check-in"),
    # The client's recovery (issue 16). Values and ratings hang on a check-in (and a
    # value on its measure too), so those come after what they hang on.
    "restitution": (checked_restitution, "restitution offer"),
    "measures": (checked_measure, "trust measure"),
    "measure_values": (checked_measure_value, "measure value"),
    "confidence": (checked_confidence, "confidence rating"),
}
Record = (
    TimelineEvent | Participant | CheckIn | Restitution | TrustMeasure | MeasureValue | Confidence
)
#: What a record of each kind hangs on: (its field, the kind it names).
_HANGS_ON: dict[str, tuple[tuple[str, str], ...]] = {
    "measure_values": (("check_in_id", "check_ins"), ("measure_id", "measures")),
    "confidence": (("check_in_id", "check_ins"),),
}
IMPACT_FIELDS = ("operational", "financial", "reputational", "compliance")


def _checked_impact(impact: Impact) -> Impact:
    """``impact`` with each dimension's text as typed text (see :func:`typed`)."""
    if not isinstance(impact, Impact):
        return impact
    return Impact(
        **{name: typed(getattr(impact, name), what=f"The {name} impact") for name in IMPACT_FIELDS}
    )


@dataclass(eq=False)
class Incident:
    """One service failure that hurt a client, and everything the team found about it.

    The aggregate root: it holds the cause graph and the preventive actions together, so
    rules that span both (an action addresses only marked root causes of its own incident;
    a root cause with actions cannot silently disappear) are checked in one place. ``uid``
    identifies it across workspaces; ``id`` is the workspace's short number.
    """

    title: str
    graph: CauseGraph = field(default_factory=CauseGraph)
    occurred_at: datetime | None = None
    affected: str = ""  # the client or service affected
    severity: Severity = Severity.MEDIUM
    status: IncidentStatus = IncidentStatus.OPEN
    description: str = ""
    impact: Impact = field(default_factory=Impact)
    containment: str = ""
    whys_depth: int = DEFAULT_WHYS_DEPTH
    #: The workshop's steps and their minutes (the presentation header counts them down).
    agenda: Agenda = DEFAULT_AGENDA
    actions: list[PreventiveAction] = field(default_factory=list)
    #: Ideas from the room not yet placed on the diagram, in the order they came.
    parking: list[ParkedIdea] = field(default_factory=list)
    #: What the team learned, for the training record and the client's report.
    lessons: str = ""
    #: The day the client's service was back to normal: the check-ins count from it.
    resolved_at: date | None = None
    #: The day the team looks back at whether the actions worked (1-2 months later).
    review_meeting: date | None = None
    #: How many check-ins each phase of the follow-up proposes.
    cadence: Cadence = DEFAULT_CADENCE
    #: What happened when, as the team reconstructed it.
    timeline: list[TimelineEvent] = field(default_factory=list)
    #: Who took part in the analysis.
    participants: list[Participant] = field(default_factory=list)
    #: The follow-up promised to the client, planned and held.
    check_ins: list[CheckIn] = field(default_factory=list)
    #: Who owned the failure to the client, when and how.
    apology: Apology = field(default_factory=Apology)
    #: Check-ins in a row at which every trust measure must meet its target before
    #: recovery counts as restored (agreed with the client).
    restore_streak: int = DEFAULT_STREAK
    #: What was offered to make good, and where each offer stands.
    restitution: list[Restitution] = field(default_factory=list)
    #: The measures agreed with the client, reported at every check-in.
    measures: list[TrustMeasure] = field(default_factory=list)
    #: Each measure's value at a check-in.
    measure_values: list[MeasureValue] = field(default_factory=list)
    #: How confident the client said they feel at a check-in.
    confidence: list[Confidence] = field(default_factory=list)
    uid: str = field(default_factory=new_incident_uid)
    id: int | None = None  # the workspace's short id, set by the store
    #: The store's bookkeeping: the revision of each stored row this copy was read at or
    #: last wrote (see ``rca_desk.store.revisions``). The model never reads it.
    revisions: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name, value in self._checked_fields(self.__dict__).items():
            setattr(self, name, value)
        for action in self.actions:
            self._check_action(action)
        parked, self.parking = self.parking, []
        for kept in parked:
            self.park(kept.text, idea_id=kept.id)
        for kind in RECORD_KINDS:
            given: list[Record] = getattr(self, kind)
            setattr(self, kind, [])
            for record in given:
                self.put_record(kind, record)
        self._check_review(self.resolved_at, self.review_meeting)

    @staticmethod
    def _checked_fields(values: dict[str, Any]) -> dict[str, Any]:
        """The incident's own fields in ``values``, cleaned and checked (the one place).

        Values arrive from widgets and files as plain strings, so enums are parsed here.
        Raises :class:`RuleError` naming the first bad field; returns the cleaned values.
        """
        out: dict[str, Any] = {}
        if "title" in values:
            out["title"] = clean_text(values["title"], what="An incident title")
        if "severity" in values:
            out["severity"] = Severity(Severity.parse(str(values["severity"])))
        if "status" in values:
            out["status"] = IncidentStatus(IncidentStatus.parse(str(values["status"])))
        if "whys_depth" in values:
            depth = values["whys_depth"]
            if not isinstance(depth, int) or not MIN_WHYS_DEPTH <= depth <= MAX_WHYS_DEPTH:
                raise RuleError(
                    f"The five-whys depth must be between {MIN_WHYS_DEPTH} and {MAX_WHYS_DEPTH}."
                )
            out["whys_depth"] = depth
        for name in ("affected", "description", "containment", "lessons"):
            if name in values:
                text = typed(values[name], what=_FIELD_NAMES[name])
                if len(text) > MAX_LONG_TEXT_LENGTH:
                    raise RuleError(
                        f"The incident's {name} is longer than {MAX_LONG_TEXT_LENGTH} characters."
                    )
                out[name] = text
        if "occurred_at" in values:
            out["occurred_at"] = values["occurred_at"]
        if "impact" in values:
            out["impact"] = _checked_impact(values["impact"])
        if "agenda" in values:
            out["agenda"] = checked_agenda(values["agenda"])
        for name in ("resolved_at", "review_meeting"):
            if name in values:
                day = values[name]
                if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
                    raise RuleError(f"The incident's {name.replace('_', ' ')} must be a date.")
                out[name] = day
        if "cadence" in values:
            out["cadence"] = checked_cadence(values["cadence"])
        if "apology" in values:
            out["apology"] = checked_apology(values["apology"])
        if "restore_streak" in values:
            out["restore_streak"] = checked_streak(values["restore_streak"])
        return out

    @staticmethod
    def _check_review(resolved: date | None, review: date | None) -> None:
        if resolved is not None and review is not None and review < resolved:
            raise RuleError(
                f"The review meeting ({review.isoformat()}) cannot come before the service "
                f"was restored ({resolved.isoformat()})."
            )

    #: Fields :meth:`update_fields` may change (the graph and actions have their own edits).
    FIELDS = (
        "title",
        "occurred_at",
        "affected",
        "severity",
        "status",
        "description",
        "impact",
        "containment",
        "whys_depth",
        "agenda",
        "lessons",
        "resolved_at",
        "review_meeting",
        "cadence",
        "apology",
        "restore_streak",
    )

    def update_fields(self, **changes: Any) -> dict[str, Any]:
        """Change some of the incident's own fields, all or none; return the old values."""
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise RuleError(f"An incident has no field {sorted(unknown)[0]!r}.")
        checked = self._checked_fields(changes)
        self._check_review(
            checked.get("resolved_at", self.resolved_at),
            checked.get("review_meeting", self.review_meeting),
        )
        before = {name: getattr(self, name) for name in changes}
        for name, value in checked.items():
            setattr(self, name, value)
        return before

    # ------------------------------------------------------------------ reading
    def action(self, uid: str) -> PreventiveAction:
        for action in self.actions:
            if action.uid == uid:
                return action
        raise RuleError(f"There is no action {uid!r} in incident {self.title!r}.")

    def actions_for(self, cause_id: str) -> list[PreventiveAction]:
        return [a for a in self.actions if cause_id in a.root_causes]

    def is_covered(self, cause_id: str) -> bool:
        """Whether an agreed action addresses this root cause (see :func:`covers`)."""
        return covers(self.actions_for(cause_id))

    # ---------------------------------------------------------- graph changes
    def update_cause(self, cause_id: str, **changes: Any) -> Cause:
        """As :meth:`CauseGraph.update_cause`, but a root cause with actions stays one."""
        if changes.get("root_cause") is False and self.actions_for(cause_id):
            raise RuleError(
                f"{self._cause_name(cause_id)} has preventive actions; unlink them before "
                "unmarking it as a root cause."
            )
        return self.graph.update_cause(cause_id, **changes)

    def remove_cause(self, cause_id: str) -> RemovedSubtree:
        """Remove a cause and its sub-causes; refused while an action addresses one of them."""
        doomed = set(self.graph.subtree(cause_id))
        for action in self.actions:
            if doomed & set(action.root_causes):
                raise RuleError(
                    f"{self._cause_name(cause_id)} (or one of its sub-causes) is addressed by "
                    f"action {action.title!r}; unlink or delete the action first."
                )
        return self.graph.remove_cause(cause_id)

    # ------------------------------------------------------------ parking lot
    def park(
        self, text: str, *, idea_id: str | None = None, index: int | None = None
    ) -> ParkedIdea:
        """Add an idea to the parking lot (at the end, or at ``index``); return it."""
        parked = idea(text, idea_id)
        if any(kept.id == parked.id for kept in self.parking):
            raise RuleError(f"An idea with id {parked.id!r} is already in the parking lot.")
        position = len(self.parking) if index is None else max(0, min(index, len(self.parking)))
        self.parking.insert(position, parked)
        return parked

    def unpark(self, idea_id: str) -> tuple[int, ParkedIdea]:
        """Take an idea out of the parking lot; return where it was and the idea."""
        for index, kept in enumerate(self.parking):
            if kept.id == idea_id:
                del self.parking[index]
                return index, kept
        raise RuleError(f"There is no idea {idea_id!r} in the parking lot.")

    # ---------------------------------------------------------------- records
    def records(self, kind: str) -> list[Record]:
        """The list of ``kind`` (a key of :data:`RECORD_KINDS`), to read."""
        if kind not in RECORD_KINDS:
            raise RuleError(f"An incident has no records of kind {kind!r}.")
        records: list[Record] = getattr(self, kind)
        return records

    def record(self, kind: str, record_id: str) -> Record:
        for record in self.records(kind):
            if record.id == record_id:
                return record
        raise RuleError(f"There is no {RECORD_KINDS[kind][1]} {record_id!r} in this incident.")

    def put_record(
        self, kind: str, record: Record, *, index: int | None = None
    ) -> tuple[int, Record | None]:
        """Add ``record`` (at the end, or at ``index``), or replace the one with its id in
        place; return where it is and the record it replaced (None for a new one)."""
        records = self.records(kind)
        check, noun = RECORD_KINDS[kind]
        checked = check(record)
        for name, other in _HANGS_ON.get(kind, ()):
            if not any(kept.id == getattr(checked, name) for kept in self.records(other)):
                raise RuleError(
                    f"A {noun} needs its {RECORD_KINDS[other][1]} "
                    f"{getattr(checked, name)!r}, which this incident does not have."
                )
        for position, kept in enumerate(records):
            if kept.id == checked.id:
                records[position] = checked
                return position, kept
        position = len(records) if index is None else max(0, min(index, len(records)))
        records.insert(position, checked)
        return position, None

    def dependents(self, kind: str, record_id: str) -> list[tuple[str, Record]]:
        """The records that hang on one record (a check-in's values and rating, a
        measure's values): a removal takes them first, and undo puts them back after."""
        return [
            (other, kept)
            for other, links in _HANGS_ON.items()
            for kept in self.records(other)
            if any(to == kind and getattr(kept, name) == record_id for name, to in links)
        ]

    def drop_record(self, kind: str, record_id: str) -> tuple[int, Record]:
        """Take a record out; return where it was and the record (for undo). Refused
        while other records hang on it (see :meth:`dependents`)."""
        record = self.record(kind, record_id)
        hanging = self.dependents(kind, record_id)
        if hanging:
            counts: dict[str, int] = {}
            for other, _ in hanging:
                counts[other] = counts.get(other, 0) + 1
            listed = " and ".join(
                f"{n} {RECORD_KINDS[other][1]}{'s' if n > 1 else ''}" for other, n in counts.items()
            )
            raise RuleError(
                f"This {RECORD_KINDS[kind][1]} has {listed} recorded against it; remove "
                "those first."
            )
        records = self.records(kind)
        index = records.index(record)
        del records[index]
        return index, record

    # --------------------------------------------------------- action changes
    def add_action(self, action: PreventiveAction, *, index: int | None = None) -> None:
        if any(existing.uid == action.uid for existing in self.actions):
            raise RuleError(f"Action {action.uid!r} is already part of this incident.")
        self._check_action(action)
        self.actions.insert(len(self.actions) if index is None else index, action)

    def remove_action(self, uid: str) -> tuple[int, PreventiveAction]:
        action = self.action(uid)
        index = self.actions.index(action)
        del self.actions[index]
        return index, action

    def replace_action(self, action: PreventiveAction) -> PreventiveAction:
        """Put ``action`` in the place of the action with its uid; return the old one.

        Edits make a checked copy (:meth:`PreventiveAction.with_changes`) and replace the
        stored object, so a refused edit changes nothing and undo puts the old one back.
        """
        old = self.action(action.uid)
        self._check_action(action)
        self.actions[self.actions.index(old)] = action
        return old

    def _check_action(self, action: PreventiveAction) -> None:
        self._check_root_causes(action.title, action.root_causes)

    def _check_root_causes(self, title: str, root_causes: list[str]) -> None:
        for cause_id in root_causes:
            if cause_id not in self.graph:
                raise RuleError(f"Action {title!r} addresses unknown cause {cause_id!r}.")
            if not self.graph.cause(cause_id).root_cause:
                raise RuleError(
                    f"Action {title!r} addresses {self._cause_name(cause_id)}, which is not "
                    "marked as a root cause."
                )

    def _cause_name(self, cause_id: str) -> str:
        text = self.graph.cause(cause_id).text
        return f"cause {text if len(text) <= 40 else text[:39] + '…'!r}"
