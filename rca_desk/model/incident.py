"""The incident: what happened, its cause graph and its preventive actions.

:class:`Incident` is the aggregate root. Rules that span the graph and the actions (an
action only addresses root causes of its own incident; a root cause with actions cannot
silently disappear) are checked here, so edit through these methods rather than through
``incident.graph`` directly whenever actions may be affected.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
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
from rca_desk.model.parking import ParkedIdea, idea
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
        for name in ("affected", "description", "containment"):
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
        return out

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
    )

    def update_fields(self, **changes: Any) -> dict[str, Any]:
        """Change some of the incident's own fields, all or none; return the old values."""
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise RuleError(f"An incident has no field {sorted(unknown)[0]!r}.")
        checked = self._checked_fields(changes)
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
