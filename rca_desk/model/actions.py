"""Preventive actions and their lifecycle.

::

    proposed -> committed -> in progress -> implemented -> verified effective
                                                        -> not effective -> in progress
    any open state -> cancelled (reason required)

Implemented is not done: effectiveness is checked on ``verify_on``, a date set when the
action is committed. Every status change is kept in :attr:`PreventiveAction.history`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from rca_desk.model.cause_graph import MAX_TEXT_LENGTH, clean_text
from rca_desk.model.errors import RuleError
from rca_desk.model.text import typed
from rca_desk.model.vocab import ActionStatus, Strength

S = ActionStatus

TRANSITIONS: dict[ActionStatus, tuple[ActionStatus, ...]] = {
    S.PROPOSED: (S.COMMITTED, S.CANCELLED),
    S.COMMITTED: (S.IN_PROGRESS, S.CANCELLED),
    S.IN_PROGRESS: (S.IMPLEMENTED, S.CANCELLED),
    S.IMPLEMENTED: (S.VERIFIED_EFFECTIVE, S.NOT_EFFECTIVE, S.CANCELLED),
    S.NOT_EFFECTIVE: (S.IN_PROGRESS, S.CANCELLED),
    S.VERIFIED_EFFECTIVE: (),
    S.CANCELLED: (),
}

#: Statuses that need a note, and what the note must say.
NOTE_REQUIRED: dict[ActionStatus, str] = {
    S.CANCELLED: "a reason for cancelling",
    S.VERIFIED_EFFECTIVE: "the evidence that it worked",
    S.NOT_EFFECTIVE: "what showed that it did not work",
}

OPEN_STATUSES = frozenset(s for s, nxt in TRANSITIONS.items() if nxt)
#: An action in one of these has been agreed to: its root cause counts as covered.
COMMITTED_STATUSES = frozenset(
    {S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED, S.NOT_EFFECTIVE, S.VERIFIED_EFFECTIVE}
)
#: Only these cover a root cause: agreed to and not (yet) shown to fail. An action judged
#: not effective is back in work but protects nothing, and a cancelled one never will.
COVERING_STATUSES = frozenset({S.COMMITTED, S.IN_PROGRESS, S.IMPLEMENTED, S.VERIFIED_EFFECTIVE})
#: Tried or dropped without result: named when a root cause is left uncovered.
FAILED_STATUSES = frozenset({S.NOT_EFFECTIVE, S.CANCELLED})
#: Work still to do before the due date is met.
UNFINISHED_STATUSES = frozenset({S.PROPOSED, S.COMMITTED, S.IN_PROGRESS, S.NOT_EFFECTIVE})

VERIFICATION_OFFSETS = (30, 60, 90)

#: The fields :meth:`PreventiveAction.with_changes` may change; status and history change
#: only through the lifecycle (:meth:`PreventiveAction.change_status`).
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "owner",
        "due",
        "verify_on",
        "strength",
        "metric",
        "target",
        "measured_result",
        "notes",
        "root_causes",
    }
)

#: How a status note says why an action was checked before its verification date: a line
#: of the note starting with this. People write it by hand in JSON files too, so it is a
#: plain word and not a hidden field.
EARLY_PREFIX = "Early:"


def early_reason(note: str) -> str | None:
    """The reason a note gives for checking early, or None when it gives none."""
    for line in note.splitlines():
        if line.strip().startswith(EARLY_PREFIX):
            reason = line.strip().removeprefix(EARLY_PREFIX).strip()
            return reason or None
    return None


def is_early(verify_on: date | None, at: datetime) -> bool:
    """Whether a check at ``at`` comes before the day set for it."""
    return verify_on is not None and at.date() < verify_on


def covers(actions: Iterable[PreventiveAction]) -> bool:
    """The one rule for "a root cause is covered", given the actions that address it.

    A root cause counts as covered once an action for it has been committed to and not
    shown to fail (:data:`COVERING_STATUSES`). A proposal is not cover (nobody has agreed
    to do it), a cancelled action never will be, and one judged not effective protects
    nothing until it is reworked and implemented again. Every caller (findings, the review,
    the diagram's marks, the inspector) asks this, through :meth:`Incident.is_covered` or
    directly when it already holds the actions.
    """
    return any(action.status in COVERING_STATUSES for action in actions)


def new_action_uid() -> str:
    return uuid.uuid4().hex


def verification_choices(due: date) -> list[date]:
    """The verification dates offered once an action is due: 30, 60 and 90 days later."""
    return [due + timedelta(days=days) for days in VERIFICATION_OFFSETS]


@dataclass(frozen=True)
class StatusChange:
    """One step of an action's lifecycle, kept forever: reviewers ask who moved it when,
    and why (the note), long after the workshop."""

    at: datetime
    from_status: ActionStatus | None  # None for the creation entry
    to_status: ActionStatus
    note: str = ""


@dataclass
class PreventiveAction:
    """An action that addresses one or more root causes of one incident.

    ``uid`` identifies the action everywhere (workspace, JSON); ``number`` is the short
    workspace id people type on the command line, set by the store.
    """

    title: str
    root_causes: list[str]
    owner: str = ""
    due: date | None = None
    strength: Strength = Strength.INTERMEDIATE
    metric: str = ""
    target: str = ""
    #: The value of the success measure when effectiveness was checked ("0 repeat
    #: failures in 60 days"): what a reviewer compares with ``target``.
    measured_result: str = ""
    verify_on: date | None = None
    notes: str = ""
    status: ActionStatus = S.PROPOSED
    history: list[StatusChange] = field(default_factory=list)
    uid: str = field(default_factory=new_action_uid)
    number: int | None = None

    def __post_init__(self) -> None:
        self.title = clean_text(self.title, what="An action")
        if not self.root_causes:
            raise RuleError(f"Action {self.title!r} must address at least one root cause.")
        if len(set(self.root_causes)) != len(self.root_causes):
            raise RuleError(f"Action {self.title!r} lists the same root cause twice.")
        self.owner = typed(self.owner, what="The action's owner").strip()
        self.metric = typed(self.metric, what="The action's metric")
        self.target = typed(self.target, what="The action's target")
        self.measured_result = typed(self.measured_result, what="The action's measured result")
        self.notes = typed(self.notes, what="The action's notes")
        for name in ("owner", "metric", "target", "measured_result", "notes"):
            if len(getattr(self, name)) > MAX_TEXT_LENGTH:
                raise RuleError(f"The action's {name} is longer than {MAX_TEXT_LENGTH} characters.")
        self._check_dates(self.due, self.verify_on)
        if self.status in COMMITTED_STATUSES:
            self._require_commitment(f"be {self.status.label}")

    @classmethod
    def propose(cls, *, at: datetime, note: str = "", **fields: Any) -> PreventiveAction:
        """A new action, its history opened with the creation entry."""
        action = cls(**fields)
        note = typed(note, what="A status note").strip()
        action.history.append(
            StatusChange(at=at, from_status=None, to_status=action.status, note=note)
        )
        return action

    def with_changes(self, **changes: Any) -> PreventiveAction:
        """A checked copy with some fields changed; ``self`` stays as it was.

        The copy goes through the constructor's checks (text lengths, a blank title, a
        committed action keeps its owner, dates and measure), so an edit is refused whole
        and an undo can put the old object back. Lists are copied, never shared.
        """
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise RuleError(f"An action has no editable field {sorted(unknown)[0]!r}.")
        if "due" in changes or "verify_on" in changes:
            due = changes.get("due", self.due)
            verify_on = changes.get("verify_on", self.verify_on)
            self._check_kept_dates(due, verify_on)
        changes.setdefault("root_causes", self.root_causes)
        changes["root_causes"] = list(changes["root_causes"])
        return replace(self, history=list(self.history), **changes)

    # -------------------------------------------------------------- questions
    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_committed(self) -> bool:
        return self.status in COMMITTED_STATUSES

    def is_overdue(self, today: date) -> bool:
        """Due date passed and the work is not implemented (nor cancelled)."""
        return self.due is not None and self.due < today and self.status in UNFINISHED_STATUSES

    def is_awaiting_verification(self) -> bool:
        return self.status == S.IMPLEMENTED

    def is_verification_overdue(self, today: date) -> bool:
        """Implemented, and the day to check effectiveness has passed unchecked."""
        return (
            self.status == S.IMPLEMENTED and self.verify_on is not None and self.verify_on < today
        )

    def allowed_next(self) -> tuple[ActionStatus, ...]:
        return TRANSITIONS[self.status]

    # ----------------------------------------------------------------- change
    def change_status(
        self, to: ActionStatus, *, at: datetime, note: str = "", early: str = ""
    ) -> StatusChange:
        """Move along the lifecycle, or refuse with the reason and the allowed moves.

        Verifying an action as effective needs its measured result, and doing it before
        its verification date needs ``early``: why it could be judged sooner (kept in the
        note as a line starting with :data:`EARLY_PREFIX`). A check made too soon is the
        commonest way a weak action gets called effective.
        """
        if to not in TRANSITIONS[self.status]:
            allowed = ", ".join(s.label for s in TRANSITIONS[self.status]) or "none (it is final)"
            raise RuleError(
                f"Action {self.title!r} cannot go from {self.status.label} to {to.label}; "
                f"allowed: {allowed}."
            )
        note = typed(note, what="A status note").strip()
        if to in NOTE_REQUIRED and not note:
            raise RuleError(f"Marking an action {to.label} needs a note: {NOTE_REQUIRED[to]}.")
        if to == S.COMMITTED:
            self._require_commitment("be committed")
        if to == S.VERIFIED_EFFECTIVE:
            note = self._verification_note(note, at=at, early=early.strip())
        change = StatusChange(at=at, from_status=self.status, to_status=to, note=note)
        self.status = to
        self.history.append(change)
        return change

    def _verification_note(self, note: str, *, at: datetime, early: str) -> str:
        if not self.measured_result.strip():
            raise RuleError(
                f"Action {self.title!r} cannot be verified effective without its measured "
                f"result: the value of {self.metric or 'its success measure'!r} when checked."
            )
        if not is_early(self.verify_on, at) or early_reason(note) is not None:
            return note
        if not early:
            assert self.verify_on is not None
            raise RuleError(
                f"Action {self.title!r} is to be checked on {self.verify_on.isoformat()}; "
                "verifying it before then needs a note saying why it is early."
            )
        return f"{note}\n{EARLY_PREFIX} {early}"

    def undo_status(self, change: StatusChange) -> None:
        """Take back the last status change (for undo); it must be the last one."""
        if not self.history or self.history[-1] != change or change.from_status is None:
            raise RuleError("Only the latest status change can be undone.")
        self.history.pop()
        self.status = change.from_status

    def _check_kept_dates(self, due: date | None, verify_on: date | None) -> None:
        """A committed action keeps both dates: they are what the review checks it by."""
        self._check_dates(due, verify_on)
        if self.is_committed and (due is None or verify_on is None):
            raise RuleError(
                f"Action {self.title!r} is {self.status.label}: it keeps a due date "
                "and a verification date."
            )

    def _require_commitment(self, doing: str) -> None:
        """A committed action is checkable: someone owns it, by a date, against a measure."""
        missing = [
            what
            for what, value in (
                ("an owner", self.owner),
                ("a due date", self.due),
                ("a success measure (metric and target)", self.metric and self.target),
                ("a verification date", self.verify_on),
            )
            if not value
        ]
        if missing:
            raise RuleError(f"Action {self.title!r} cannot {doing} without {', '.join(missing)}.")

    @staticmethod
    def _check_dates(due: date | None, verify_on: date | None) -> None:
        if due is not None and verify_on is not None and verify_on < due:
            raise RuleError(
                f"The verification date {verify_on.isoformat()} is before the due date "
                f"{due.isoformat()}; effectiveness is checked after the action is done."
            )
