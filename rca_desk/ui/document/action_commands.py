"""Undoable edits of preventive actions, written through at once like cause edits.

Same shape as :mod:`rca_desk.ui.document.cause_commands`: each command is a pair of calls
to :class:`IncidentDocument` methods (the document checks, writes and notifies), and its
first :meth:`apply` runs inside :meth:`IncidentDocument.execute`, so a refused change
never reaches the undo stack.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rca_desk.model import (
    ActionStatus,
    PreventiveAction,
    StatusChange,
    Strength,
)
from rca_desk.model.actions import EDITABLE_FIELDS
from rca_desk.ui.document.cause_commands import DocumentCommand, short
from rca_desk.ui.document.incident_document import IncidentDocument


def now() -> datetime:
    """The time stamp of a status change: to the second, as people read history."""
    return datetime.now().replace(microsecond=0)


class AddAction(DocumentCommand):
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
        measured_result: str = "",
        verify_on: date | None = None,
        notes: str = "",
        index: int | None = None,
        at: datetime | None = None,
    ) -> None:
        super().__init__(document, f"Add action “{short(title)}”")
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
            "measured_result": measured_result,
            "verify_on": verify_on,
            "notes": notes,
        }
        self.at = at or now()
        self.index = index
        self.new_action: PreventiveAction | None = None

    @property
    def uid(self) -> str:
        """The new action's uid (known once the command has been applied)."""
        assert self.new_action is not None
        return self.new_action.uid

    def apply(self) -> None:
        if self.new_action is None:
            self.new_action = PreventiveAction.propose(at=self.at, **self.fields)
        self.document.add_action(self.new_action, index=self.index, initiator=self.by)

    def revert(self) -> None:
        assert self.new_action is not None
        self.index, self.new_action = self.document.remove_action(self.new_action.uid)


class EditAction(DocumentCommand):
    """Change any of the action's own fields, all or none, as one undo step."""

    def __init__(self, document: IncidentDocument, uid: str, **changes: Any) -> None:
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"EditAction cannot change {sorted(unknown)}")
        action = document.incident.action(uid)
        label = (
            "Link action to root causes"
            if set(changes) == {"root_causes"}
            else f"Edit action “{short(action.title)}”"
        )
        super().__init__(document, label)
        self.uid = uid
        self.changes = dict(changes)
        self.before: dict[str, Any] = {}

    def apply(self) -> None:
        self.before = self.document.edit_action(self.uid, initiator=self.by, **self.changes)

    def revert(self) -> None:
        self.document.edit_action(self.uid, **self.before)


class ChangeStatus(DocumentCommand):
    """Move the action along its lifecycle; the change (time, note) joins its history."""

    def __init__(
        self,
        document: IncidentDocument,
        uid: str,
        to: ActionStatus,
        *,
        note: str = "",
        early: str = "",
        at: datetime | None = None,
    ) -> None:
        action = document.incident.action(uid)
        super().__init__(document, f"Mark “{short(action.title)}” {to.label}")
        self.uid = uid
        self.to = to
        self.note = note
        self.early = early
        self.at = at or now()
        self.change: StatusChange | None = None

    def apply(self) -> None:
        self.change = self.document.change_status(
            self.uid, self.to, at=self.at, note=self.note, early=self.early, initiator=self.by
        )

    def revert(self) -> None:
        assert self.change is not None
        self.document.undo_status(self.uid, self.change)


class DeleteAction(DocumentCommand):
    """Delete an action with its history; undo puts it back at its place, history intact."""

    def __init__(self, document: IncidentDocument, uid: str) -> None:
        action = document.incident.action(uid)
        super().__init__(document, f"Delete action “{short(action.title)}”")
        self.uid = uid
        self.removed: tuple[int, PreventiveAction] | None = None

    def apply(self) -> None:
        self.removed = self.document.remove_action(self.uid, initiator=self.by)

    def revert(self) -> None:
        assert self.removed is not None
        index, action = self.removed
        self.document.add_action(action, index=index)


class ActionSteps(DocumentCommand):
    """Several action commands as one undo step, all or none (save the form, then commit).

    The steps run in one document batch (one transaction, one change notice). If a later
    step is refused, the batch rolls the file back and reads the model again, so nothing
    half-done stays in the model or the file.
    """

    def __init__(self, document: IncidentDocument, text: str, steps: list[DocumentCommand]):
        super().__init__(document, text)
        self.steps = list(steps)

    def apply(self) -> None:
        with self.document.batch():
            try:
                for step in self.steps:
                    step.by = self.by
                    step.apply()
            finally:
                for step in self.steps:
                    step.by = None

    def revert(self) -> None:
        with self.document.batch():
            for step in reversed(self.steps):
                step.revert()
