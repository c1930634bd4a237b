"""What a valid action history is, stated once, and the mechanical repair of old ones.

:func:`history_problems` is the one statement of the rules an action's status history
keeps. Import refuses a file whose actions break them; the store's migration and the
findings use the same function on stored data, which is never refused (it may have been
written by a version that did not know a rule), and :func:`mend_history` is the repair
that can be made without a person: adding the entries an earlier version did not record
and filling required notes it did not ask for, each marked with :data:`MIGRATED_NOTE`.

The rules, for an action with status ``s`` and history ``h``:

* ``h[0]`` is the creation entry: ``from`` is null and ``to`` is one of
  :data:`CREATION_STATUSES` (the app creates actions proposed; a file may start one
  committed);
* every later entry's ``from`` is the previous entry's ``to``, and every move is allowed
  by :data:`~rca_desk.model.actions.TRANSITIONS`;
* an entry to a status in :data:`~rca_desk.model.actions.NOTE_REQUIRED` has a note that is
  not blank;
* times never go back, and none is later than ``now`` plus :data:`CLOCK_SLACK`;
* the history ends at ``s``; an action that is not proposed has a history;
* an entry to verified effective needs the action's measured result, and one dated before
  ``verify_on`` needs an ``Early:`` line in its note (:func:`early_reason`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from rca_desk.model.actions import (
    EARLY_PREFIX,
    NOTE_REQUIRED,
    TRANSITIONS,
    PreventiveAction,
    StatusChange,
    early_reason,
    is_early,
)
from rca_desk.model.vocab import ActionStatus

S = ActionStatus

#: How far ahead of the reader's clock a time may be: clocks of different machines
#: disagree, and a time written without a zone (the app's own, local) may be read
#: against a clock in another zone; no zone is more than 14 hours from UTC.
CLOCK_SLACK = timedelta(days=1)

#: The statuses an action's creation entry may go to: the app creates actions proposed,
#: and a file (or another tool) may record one agreed in the workshop as committed.
CREATION_STATUSES: tuple[ActionStatus, ...] = (S.PROPOSED, S.COMMITTED)

#: The note of every entry :func:`mend_history` adds or fills in.
MIGRATED_NOTE = (
    "Added when this workspace/file was upgraded: the earlier version did not record this change."
)


class HistoryRule(StrEnum):
    """Which rule a :class:`HistoryProblem` breaks.

    Import of an older file needs it: the rules the older version already enforced
    (:data:`RULES_BEFORE_1_1`) still refuse the file, the newer ones are left to the
    findings.
    """

    CREATION = "creation"  # the first entry is from null to proposed or committed
    CHAIN = "chain"  # an entry starts where the one before it ended
    TRANSITION = "transition"  # every move is one the lifecycle allows
    NOTE = "note"  # an entry to a status that needs a note has one
    ORDER = "order"  # times never go back
    FUTURE = "future"  # no time after now plus the slack
    END = "end"  # the history ends at the status
    MISSING = "missing"  # an action that is not proposed has a history
    MEASURED = "measured"  # verified effective needs the measured result
    EARLY = "early"  # verified effective before verify_on needs an Early: line


#: The rules the JSON format 1.0 reader already refused a file for.
RULES_BEFORE_1_1 = frozenset({HistoryRule.CHAIN, HistoryRule.TRANSITION, HistoryRule.END})


@dataclass(frozen=True)
class HistoryProblem:
    """One rule an action's history breaks.

    ``field`` is relative to the action (``"history"``, ``"history[2].note"``,
    ``"status"``, ``"measured_result"``), so an importer prefixes the action's place and a
    finding names it in the action.
    """

    field: str
    message: str
    rule: HistoryRule = HistoryRule.TRANSITION

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _values(statuses: tuple[ActionStatus, ...]) -> str:
    return ", ".join(status.value for status in statuses)


def _comparable(a: datetime, b: datetime) -> tuple[datetime, datetime]:
    """``a`` and ``b`` in a form Python can compare.

    Two aware times (or two naive ones) compare as they are. When only one has a zone,
    the naive one's zone is unknown (the app writes local time without one), so the two
    wall-clock readings are compared; they may be off by the zone's offset, which
    :data:`CLOCK_SLACK` absorbs wherever the rules allow for it.
    """
    if (a.utcoffset() is None) == (b.utcoffset() is None):
        return a, b
    return a.replace(tzinfo=None), b.replace(tzinfo=None)


def _ahead(a: datetime, b: datetime) -> timedelta:
    """How far ``a`` is after ``b`` (negative when before), compared as :func:`_comparable`
    says. A difference, never a sum, so no time near the ends of the calendar overflows."""
    x, y = _comparable(a, b)
    return x - y


def _mixed(a: datetime, b: datetime) -> bool:
    return (a.utcoffset() is None) != (b.utcoffset() is None)


def history_problems(action: PreventiveAction, *, now: datetime) -> list[HistoryProblem]:
    """Every rule ``action``'s history breaks (see the module docstring), in file order.

    ``now`` is the reader's clock: import passes the real time, tests a fixed one. Times
    are compared as :func:`_comparable` says: both with a zone, or both without, exactly;
    one with and one without, by their wall-clock readings. So "never goes back" allows a
    step back of up to :data:`CLOCK_SLACK` only between a zoned and an unzoned time, and
    "not in the future" allows :data:`CLOCK_SLACK` always.
    """
    out: list[HistoryProblem] = []
    history = action.history
    status = action.status
    if not history:
        if status is not S.PROPOSED:
            out.append(
                HistoryProblem(
                    "history",
                    f"is empty, but the status is {status.value}: an action that is not "
                    "proposed needs its history, from the creation entry (from null to "
                    f"one of: {_values(CREATION_STATUSES)}) to {status.value}",
                    HistoryRule.MISSING,
                )
            )
        return out
    for i, change in enumerate(history):
        place = f"history[{i}]"
        if i == 0:
            if change.from_status is not None:
                out.append(
                    HistoryProblem(
                        f"{place}.from",
                        f"must be null: the first entry is the creation entry, but it is "
                        f"from {change.from_status.value}",
                        HistoryRule.CREATION,
                    )
                )
            elif change.to_status not in CREATION_STATUSES:
                out.append(
                    HistoryProblem(
                        f"{place}.to",
                        f"must be one of: {_values(CREATION_STATUSES)} (where an action "
                        f"starts), not {change.to_status.value}",
                        HistoryRule.CREATION,
                    )
                )
        else:
            previous = history[i - 1].to_status
            if change.from_status != previous:
                found = "null" if change.from_status is None else change.from_status.value
                out.append(
                    HistoryProblem(
                        f"{place}.from",
                        f"must be {previous.value}, where the previous entry ended, not {found}",
                        HistoryRule.CHAIN,
                    )
                )
        if change.from_status is not None and (
            i == 0 or change.from_status == history[i - 1].to_status
        ):
            allowed = TRANSITIONS[change.from_status]
            if change.to_status not in allowed:
                after = change.from_status.value
                message = (
                    f"must be one of: {_values(allowed)} (allowed after {after}), "
                    f"not {change.to_status.value}"
                    if allowed
                    else f"cannot follow {after}: nothing is allowed after it (it is final)"
                )
                out.append(HistoryProblem(f"{place}.to", message, HistoryRule.TRANSITION))
        if change.to_status in NOTE_REQUIRED and not change.note.strip():
            out.append(
                HistoryProblem(
                    f"{place}.note",
                    f"must not be blank: an entry to {change.to_status.value} needs "
                    f"{NOTE_REQUIRED[change.to_status]}",
                    HistoryRule.NOTE,
                )
            )
        if i > 0:
            before = history[i - 1].at
            back = _ahead(before, change.at)
            if back > (CLOCK_SLACK if _mixed(before, change.at) else timedelta(0)):
                out.append(
                    HistoryProblem(
                        f"{place}.at",
                        f"{change.at.isoformat()} is earlier than the entry before it "
                        f"({before.isoformat()}); times must never go back",
                        HistoryRule.ORDER,
                    )
                )
        if _ahead(change.at, now) > CLOCK_SLACK:
            out.append(
                HistoryProblem(
                    f"{place}.at",
                    f"{change.at.isoformat()} is in the future: the latest allowed is "
                    f"{(now + CLOCK_SLACK).isoformat()} (now plus {CLOCK_SLACK.days} day "
                    "for clocks that disagree)",
                    HistoryRule.FUTURE,
                )
            )
        if change.to_status is S.VERIFIED_EFFECTIVE:
            if not action.measured_result.strip():
                out.append(
                    HistoryProblem(
                        "measured_result",
                        f"must not be blank: {place} verifies the action effective, which "
                        "needs the measured result",
                        HistoryRule.MEASURED,
                    )
                )
            if is_early(action.verify_on, change.at) and early_reason(change.note) is None:
                assert action.verify_on is not None
                out.append(
                    HistoryProblem(
                        f"{place}.note",
                        f"needs a line '{EARLY_PREFIX} <why>': the entry "
                        f"({change.at.date().isoformat()}) is before verify_on "
                        f"({action.verify_on.isoformat()})",
                        HistoryRule.EARLY,
                    )
                )
    if history[-1].to_status is not status:
        out.append(
            HistoryProblem(
                "status",
                f"is {status.value}, but the history ends at {history[-1].to_status.value}; "
                "the last entry's 'to' must be the status",
                HistoryRule.END,
            )
        )
    return out


def mend_history(
    status: ActionStatus, history: Sequence[StatusChange], *, at: datetime
) -> list[StatusChange]:
    """An action's ``history`` with what an earlier version did not record put in.

    It takes the status and the history, not the action, because the store's migration
    mends rows it has not built actions from (an old row may break the action's own
    checks).

    Exactly this, each added or filled-in note being :data:`MIGRATED_NOTE`:

    1. an empty history of an action that is not proposed gets one entry, the creation
       entry, from null straight to the status, dated ``at`` (a proposed action with no
       history breaks no rule and is left alone);
    2. a history whose last entry does not end at the status gets one more entry, from
       that last ``to`` to the status, dated ``at``;
    3. an entry to a status that needs a note (:data:`NOTE_REQUIRED`) whose note is blank
       gets :data:`MIGRATED_NOTE` as its note.

    Nothing is dropped, reordered or re-dated, and no intermediate step is invented, so
    what it cannot mend (a creation entry straight to verified effective, a move the
    lifecycle does not allow, times out of order, a missing measured result) stays for
    :func:`history_problems` to report. The result is a new list; ``history`` is unchanged.
    Mending twice gives what mending once did.
    """
    history = [
        StatusChange(at=c.at, from_status=c.from_status, to_status=c.to_status, note=MIGRATED_NOTE)
        if c.to_status in NOTE_REQUIRED and not c.note.strip()
        else c
        for c in history
    ]
    if not history:
        if status is not S.PROPOSED:
            history.append(
                StatusChange(at=at, from_status=None, to_status=status, note=MIGRATED_NOTE)
            )
    elif history[-1].to_status is not status:
        history.append(
            StatusChange(
                at=at, from_status=history[-1].to_status, to_status=status, note=MIGRATED_NOTE
            )
        )
    return history
