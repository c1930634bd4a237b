"""Undoable edits of preventive actions, written through at once like cause edits.

Same shape as :mod:`rca_desk.ui.document.cause_commands`: each command changes the model and the
workspace through :meth:`IncidentDocument.write` (a failed write rolls the model back),
runs its first :meth:`apply` inside :meth:`IncidentDocument.execute` (a refused change
never reaches the undo stack), and tells the views through ``actionsChanged``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from rca_desk.model import (
    ActionStatus,
    PreventiveAction,
    RcaError,
    RuleError,
    StatusChange,
    Strength,
)
from rca_desk.ui.document.cause_commands import DocumentCommand, short
from rca_desk.ui.document.incident_document import IncidentDocument


def now() -> datetime:
    """The time stamp of a status change: to the second, as people read history."""
    return datetime.now().replace(microsecond=0)


#: The fields :class:`EditAction` may change. Dates and root causes have their own checks.
EDITABLE = (
    "title",
    "owner",
    "due",
    "verify_on",
    "strength",
    "metric",
    "target",
    "notes",
    "root_causes",
)
_PLAIN = ("title", "owner", "strength", "metric", "target", "notes")


class ActionCommand(DocumentCommand):
    """Base class: the action is found by uid each time (undo may have replaced it)."""

    def __init__(self, document: IncidentDocument, uid: str, text: str) -> None:
        super().__init__(document, text)
        self.uid = uid

    @property
    def action(self) -> PreventiveAction:
        return self.document.incident.action(self.uid)

    def _save(self) -> None:
        doc = self.document
        doc.workspace.save_action(doc.incident, self.action)

    def _write(self, change: Callable[[], object], revert: Callable[[], object]) -> None:
        self.document.write(change, revert, self._save)
        self.document.actionsChanged.emit()


class AddAction(ActionCommand):
    """Propose a new action for one or more root causes (its history starts here)."""

    def __init__(
        self,
        document: IncidentDocument,
        *,
        title: str,
        root_causes: list[str],
        owner: str = "",
        due: date | None = None,
        strength: Strength = Strength.INTERMEDIATE,
        metric: str = "",
        target: str = "",
        verify_on: date | None = None,
        notes: str = "",
        index: int | None = None,
        at: datetime | None = None,
    ) -> None:
        super().__init__(document, "", f"Add action “{short(title)}”")
        # The action itself is built by the first apply(), so a bad title or a missing
        # root cause is refused by execute(); redo puts back that very action (same uid,
        # same history).
        self.fields: dict[str, Any] = {
            "title": title,
            "root_causes": list(root_causes),
            "owner": owner,
            "due": due,
            "strength": strength,
            "metric": metric,
            "target": target,
            "verify_on": verify_on,
            "notes": notes,
        }
        self.at = at or now()
        self.index = index
        self.new_action: PreventiveAction | None = None

    def apply(self) -> None:
        if self.new_action is None:
            self.new_action = PreventiveAction.propose(at=self.at, **self.fields)
            self.uid = self.new_action.uid
        action, incident = self.new_action, self.document.incident
        self._write(
            lambda: incident.add_action(action, index=self.index),
            lambda: incident.remove_action(action.uid),
        )

    def revert(self) -> None:
        doc = self.document
        assert self.new_action is not None
        action = self.new_action
        index = doc.incident.actions.index(action)
        doc.write(
            lambda: doc.incident.remove_action(action.uid),
            lambda: doc.incident.add_action(action, index=index),
            lambda: doc.workspace.delete_action(action),
        )
        doc.actionsChanged.emit()


def _snapshot(action: PreventiveAction) -> dict[str, Any]:
    values = {name: getattr(action, name) for name in EDITABLE}
    values["root_causes"] = list(action.root_causes)
    return values


class EditAction(ActionCommand):
    """Change any of the action's own fields, all or none, as one undo step."""

    def __init__(self, document: IncidentDocument, uid: str, **changes: Any) -> None:
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"EditAction cannot change {sorted(unknown)}")
        action = document.incident.action(uid)
        label = (
            "Link action to root causes"
            if set(changes) == {"root_causes"}
            else f"Edit action “{short(action.title)}”"
        )
        super().__init__(document, uid, label)
        self.changes = dict(changes)
        self.before: dict[str, Any] = {}

    def _set(self, values: dict[str, Any]) -> None:
        """Apply ``values`` through the model's own checks; on refusal change nothing."""
        action = self.action
        snapshot = _snapshot(action)
        try:
            if "due" in values or "verify_on" in values:
                action.set_dates(
                    due=values.get("due", action.due),
                    verify_on=values.get("verify_on", action.verify_on),
                )
            for name in _PLAIN:
                if name in values:
                    setattr(action, name, values[name])
            if "root_causes" in values:
                self.document.incident.set_action_root_causes(self.uid, values["root_causes"])
            # The constructor's checks are the model's one definition of a valid action
            # (text lengths, blank title, a committed action keeps owner and measure).
            action.__post_init__()
        except RuleError:
            self._restore(snapshot)
            raise

    def _restore(self, values: dict[str, Any]) -> None:
        action = self.action
        for name, value in values.items():
            setattr(action, name, list(value) if name == "root_causes" else value)

    def apply(self) -> None:
        if not self.before:
            self.before = {k: v for k, v in _snapshot(self.action).items() if k in self.changes}
        snapshot = _snapshot(self.action)
        self._write(lambda: self._set(self.changes), lambda: self._restore(snapshot))

    def revert(self) -> None:
        snapshot = _snapshot(self.action)
        self._write(lambda: self._restore(self.before), lambda: self._restore(snapshot))


class ChangeStatus(ActionCommand):
    """Move the action along its lifecycle; the change (time, note) joins its history."""

    def __init__(
        self,
        document: IncidentDocument,
        uid: str,
        to: ActionStatus,
        *,
        note: str = "",
        at: datetime | None = None,
    ) -> None:
        action = document.incident.action(uid)
        super().__init__(document, uid, f"Mark “{short(action.title)}” {to.label}")
        self.to = to
        self.note = note
        self.at = at or now()
        self.change: StatusChange | None = None

    def apply(self) -> None:
        action = self.action
        done: list[StatusChange] = []

        def change() -> None:
            done.append(action.change_status(self.to, at=self.at, note=self.note))

        self._write(change, lambda: action.undo_status(done[0]))
        self.change = done[0]

    def revert(self) -> None:
        action = self.action
        assert self.change is not None
        change = self.change
        self._write(
            lambda: action.undo_status(change),
            lambda: action.change_status(change.to_status, at=change.at, note=change.note),
        )


class DeleteAction(ActionCommand):
    """Delete an action with its history; undo puts it back at its place, history intact."""

    def __init__(self, document: IncidentDocument, uid: str) -> None:
        action = document.incident.action(uid)
        super().__init__(document, uid, f"Delete action “{short(action.title)}”")
        self.removed: tuple[int, PreventiveAction] | None = None

    def apply(self) -> None:
        doc = self.document
        found: list[tuple[int, PreventiveAction]] = []

        def remove() -> None:
            found.append(doc.incident.remove_action(self.uid))

        doc.write(
            remove,
            lambda: doc.incident.add_action(found[0][1], index=found[0][0]),
            lambda: doc.workspace.delete_action(found[0][1]),
        )
        self.removed = found[0]
        doc.actionsChanged.emit()

    def revert(self) -> None:
        doc = self.document
        assert self.removed is not None
        index, action = self.removed
        doc.write(
            lambda: doc.incident.add_action(action, index=index),
            lambda: doc.incident.remove_action(action.uid),
            lambda: doc.workspace.save_action(doc.incident, action),
        )
        doc.actionsChanged.emit()


class ActionSteps(DocumentCommand):
    """Several action commands as one undo step, all or none (save the form, then commit).

    If a later step is refused, the earlier ones are taken back before the refusal is
    reported, so nothing half-done stays in the model or the file.
    """

    def __init__(self, document: IncidentDocument, text: str, steps: list[DocumentCommand]):
        super().__init__(document, text)
        self.steps = list(steps)

    def apply(self) -> None:
        done: list[DocumentCommand] = []
        try:
            for step in self.steps:
                step.apply()
                done.append(step)
        except RcaError:
            for step in reversed(done):
                step.revert()
            raise

    def revert(self) -> None:
        for step in reversed(self.steps):
            step.revert()
