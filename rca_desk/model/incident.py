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

from rca_desk.model.actions import PreventiveAction
from rca_desk.model.cause_graph import (
    MAX_TEXT_LENGTH,
    Cause,
    CauseGraph,
    RemovedSubtree,
    clean_text,
)
from rca_desk.model.errors import RuleError
from rca_desk.model.vocab import IncidentStatus, Severity

DEFAULT_WHYS_DEPTH = 5


def new_incident_uid() -> str:
    return uuid.uuid4().hex


@dataclass
class Impact:
    """The harm done to the client, in the four usual dimensions (free text each)."""

    operational: str = ""
    financial: str = ""
    reputational: str = ""
    compliance: str = ""


@dataclass(eq=False)
class Incident:
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
    actions: list[PreventiveAction] = field(default_factory=list)
    uid: str = field(default_factory=new_incident_uid)
    id: int | None = None  # the workspace's short id, set by the store

    def __post_init__(self) -> None:
        self.title = clean_text(self.title, what="An incident title")
        # Values arrive from widgets and files as plain strings; keep the enum types.
        self.severity = Severity(Severity.parse(str(self.severity)))
        self.status = IncidentStatus(IncidentStatus.parse(str(self.status)))
        if not 1 <= self.whys_depth <= 20:
            raise RuleError("The five-whys depth must be between 1 and 20.")
        for name in ("affected", "description", "containment"):
            if len(getattr(self, name)) > MAX_TEXT_LENGTH * 5:
                raise RuleError(f"The incident's {name} is too long.")
        for action in self.actions:
            self._check_action(action)

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
    )

    def update_fields(self, **changes: Any) -> dict[str, Any]:
        """Change some of the incident's own fields, all or none; return the old values."""
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise RuleError(f"An incident has no field {sorted(unknown)[0]!r}.")
        before = {name: getattr(self, name) for name in changes}
        for name, value in changes.items():
            setattr(self, name, value)
        try:
            self.__post_init__()
        except RuleError:
            for name, value in before.items():
                setattr(self, name, value)
            raise
        return before

    # ------------------------------------------------------------------ reading
    def action(self, uid: str) -> PreventiveAction:
        for action in self.actions:
            if action.uid == uid:
                return action
        raise RuleError(f"There is no action {uid!r} in incident {self.title!r}.")

    def actions_for(self, cause_id: str) -> list[PreventiveAction]:
        return [a for a in self.actions if cause_id in a.root_causes]

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

    def set_action_root_causes(self, uid: str, root_causes: list[str]) -> list[str]:
        action = self.action(uid)
        if not root_causes:
            raise RuleError(f"Action {action.title!r} must address at least one root cause.")
        self._check_root_causes(action.title, root_causes)
        before = action.root_causes
        action.root_causes = list(root_causes)
        return before

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
