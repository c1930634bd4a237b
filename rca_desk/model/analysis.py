"""Findings a facilitator wants to see: gaps in the analysis and in the follow-up.

Findings are advice, not errors: the model allows all of these states, and ``rca-desk
check`` (and later the views) list them so nothing is quietly forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from rca_desk.model.actions import (
    COVERING_STATUSES,
    FAILED_STATUSES,
    NOTE_REQUIRED,
    PreventiveAction,
)
from rca_desk.model.follow_ups import CheckInState, check_in_state
from rca_desk.model.incident import Incident
from rca_desk.model.lifecycle import MIGRATED_NOTE, HistoryRule, history_problems
from rca_desk.model.recovery import DELIVERY_DAYS, RiskKind
from rca_desk.model.recovery_state import incident_risks
from rca_desk.model.vocab import ActionStatus, Evidence, Strength
from rca_desk.model.wording import blame_phrase, blames_a_person, weak_phrase

__all__ = ["REGISTRY", "Finding", "FindingKind", "KindInfo", "Level", "blames_a_person", "findings"]


class Level(StrEnum):
    """How much a finding matters: a problem to fix, a warning to look at, a note."""

    PROBLEM = "problem"
    WARNING = "warning"
    NOTE = "note"


class FindingKind(StrEnum):
    """What a facilitator would point out; the values are stable codes for ``check --json``.

    Everything else about a kind (its name for people, icon, level, and whether it makes
    ``rca-desk check`` exit 1) is in :data:`REGISTRY`, read by the guidance list, the
    command line and the README alike. A new kind is added to both.
    """

    NO_ROOT_CAUSE = "no-root-cause"
    UNCOVERED_ROOT_CAUSE = "root-cause-without-action"
    WEAK_COVER = "root-cause-only-weak-actions"
    SHALLOW_CHAIN = "shallow-chain"
    BLAME = "blames-a-person"
    WEAK_WORDING = "action-relies-on-effort"
    OVERDUE_ACTION = "overdue-action"
    VERIFICATION_OVERDUE = "verification-overdue"
    UNPROVEN_ROOT_CAUSE = "root-cause-is-hypothesis"
    RESTS_ON_HYPOTHESIS = "root-cause-rests-on-hypothesis"
    #: Left by data from before the 1.1 rules, which the upgrade could not mend.
    UNMEASURED = "verified-without-measured-result"
    UNRECORDED_REASON = "status-without-recorded-reason"
    HISTORY = "history-breaks-lifecycle"
    #: The follow-up promised to the client (issue 15): a check-in whose day has come.
    FOLLOW_UP_DUE = "check-in-due"
    FOLLOW_UP_MISSED = "check-in-missed"
    #: Winning the client back (issue 16): the reasons a client is at risk, in the
    #: model's words (:func:`rca_desk.model.recovery.risks`), but a missed check-in,
    #: which is ``check-in-missed`` already; and recovery begun without an apology.
    CONFIDENCE_FALLING = "confidence-falling"
    OFF_TARGET = "measure-off-target"
    NOT_DELIVERED = "restitution-not-delivered"
    NO_APOLOGY = "no-apology"
    #: Found by the store, not here: the stored incident breaks a rule spanning rows (a
    #: cycle, an action on a cause that is not a root cause) until it is repaired.
    BROKEN_RULE = "breaks-a-rule"

    @property
    def info(self) -> KindInfo:
        return REGISTRY[self]


@dataclass(frozen=True)
class KindInfo:
    """One kind of finding, as people see it."""

    #: A short name for the kind, in plain words (a heading, a legend, the README).
    name: str
    #: A freedesktop icon name; the app falls back to a standard icon for the level.
    icon: str
    level: Level
    #: Whether a finding of this kind makes ``rca-desk check`` exit with status 1.
    fails_check: bool
    #: The one character drawn on the kind's badge in the app, unique to the kind: a
    #: theme icon name is shared by several kinds, and the room must tell "blames a
    #: person" from "root cause without an action" at a glance.
    mark: str


REGISTRY: dict[FindingKind, KindInfo] = {
    FindingKind.NO_ROOT_CAUSE: KindInfo(
        "No root cause marked yet", "dialog-warning", Level.PROBLEM, True, "0"
    ),
    FindingKind.UNCOVERED_ROOT_CAUSE: KindInfo(
        "Root cause without an action that covers it", "dialog-error", Level.PROBLEM, True, "+"
    ),
    FindingKind.WEAK_COVER: KindInfo(
        "Root cause covered only by weak actions", "dialog-warning", Level.WARNING, True, "↑"
    ),
    FindingKind.SHALLOW_CHAIN: KindInfo(
        "Chain of whys stops early", "dialog-question", Level.WARNING, True, "?"
    ),
    FindingKind.BLAME: KindInfo(
        "Wording blames a person", "avatar-default", Level.WARNING, True, "@"
    ),
    FindingKind.WEAK_WORDING: KindInfo(
        "Action relies on people trying harder", "dialog-warning", Level.WARNING, True, "~"
    ),
    FindingKind.OVERDUE_ACTION: KindInfo(
        "Action past its due date", "appointment-missed", Level.PROBLEM, True, "!"
    ),
    FindingKind.VERIFICATION_OVERDUE: KindInfo(
        "Effectiveness check not done", "appointment-missed", Level.PROBLEM, True, "✓"
    ),
    FindingKind.UNPROVEN_ROOT_CAUSE: KindInfo(
        "Root cause still a hypothesis", "dialog-question", Level.WARNING, True, "H"
    ),
    FindingKind.RESTS_ON_HYPOTHESIS: KindInfo(
        "Root cause reached through unproven causes", "dialog-question", Level.NOTE, False, "…"
    ),
    FindingKind.UNMEASURED: KindInfo(
        "Verified effective without a measured result", "dialog-warning", Level.WARNING, True, "#"
    ),
    FindingKind.UNRECORDED_REASON: KindInfo(
        "Status change without a recorded reason", "dialog-warning", Level.WARNING, True, "¶"
    ),
    FindingKind.HISTORY: KindInfo(
        "Status history does not follow the lifecycle", "dialog-warning", Level.WARNING, True, "§"
    ),
    FindingKind.FOLLOW_UP_DUE: KindInfo(
        "Check-in with the client due", "call-start", Level.WARNING, True, "☎"
    ),
    FindingKind.FOLLOW_UP_MISSED: KindInfo(
        "Check-in with the client missed", "appointment-missed", Level.PROBLEM, True, "⊘"
    ),
    FindingKind.CONFIDENCE_FALLING: KindInfo(
        "Client confidence falling", "face-worried", Level.WARNING, True, "↘"
    ),
    FindingKind.OFF_TARGET: KindInfo(
        "Trust measure off its target", "dialog-warning", Level.WARNING, True, "≠"
    ),
    FindingKind.NOT_DELIVERED: KindInfo(
        "Restitution not delivered", "appointment-missed", Level.PROBLEM, True, "¤"
    ),
    FindingKind.NO_APOLOGY: KindInfo(
        "Client recovery without an apology", "mail-message-new", Level.WARNING, True, "✉"
    ),
    FindingKind.BROKEN_RULE: KindInfo(
        "Stored incident breaks a rule", "dialog-error", Level.PROBLEM, True, "×"
    ),
}


@dataclass(frozen=True)
class Finding:
    """One thing the analysis still lacks, shown in the guidance list and by ``rca-desk check``."""

    kind: FindingKind
    incident_uid: str
    subject: str  # a cause id or an action uid; the incident uid for incident-wide findings
    message: str


def _short(text: str) -> str:
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= 60 else line[:59] + "…"


def _history_findings(
    action: PreventiveAction, today: date, add: Callable[[FindingKind, str, str], None]
) -> None:
    """What the app's rules now refuse but data from an earlier version may still hold.

    The 1.1 upgrade adds missing history entries and fills missing reasons with
    :data:`MIGRATED_NOTE`, so the history reads whole; what it could not know (the
    evidence, the measured value, a move the lifecycle never allowed) is named here.
    """
    name = _short(action.title)
    if action.status is ActionStatus.VERIFIED_EFFECTIVE and not action.measured_result:
        add(
            FindingKind.UNMEASURED,
            action.uid,
            f"action {name!r} is verified effective but has no measured result; record the "
            f"value of {action.metric or 'its success measure'!r} when it was checked",
        )
    for change in action.history:
        if change.to_status in NOTE_REQUIRED and change.note == MIGRATED_NOTE:
            add(
                FindingKind.UNRECORDED_REASON,
                action.uid,
                f"action {name!r} was marked {change.to_status.label} on "
                f"{change.at.date().isoformat()} without {NOTE_REQUIRED[change.to_status]}; "
                "add it to the action's notes",
            )
    now = datetime.combine(today, time.max)
    problems = [p for p in history_problems(action, now=now) if p.rule not in _REPORTED_ELSEWHERE]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        add(
            FindingKind.HISTORY,
            action.uid,
            f"action {name!r}: {problems[0]}{more}; its history is kept as it was stored",
        )


#: History rules with a finding of their own.
_REPORTED_ELSEWHERE = frozenset({HistoryRule.MEASURED})


def findings(incident: Incident, *, today: date) -> list[Finding]:
    """Everything worth a facilitator's attention in one incident, in a stable order."""
    graph = incident.graph
    out: list[Finding] = []

    def add(kind: FindingKind, subject: str, message: str) -> None:
        out.append(Finding(kind, incident.uid, subject, message))

    roots = graph.root_causes()
    if len(graph) and not roots:
        add(FindingKind.NO_ROOT_CAUSE, incident.uid, "no cause is marked as a root cause yet")
    for cause_id in roots:
        cause = graph.cause(cause_id)
        actions = incident.actions_for(cause_id)
        covering = [a for a in actions if a.status in COVERING_STATUSES]
        if not covering:
            failed = [a for a in actions if a.status in FAILED_STATUSES]
            why = f": {_short(failed[-1].title)!r} was {failed[-1].status.label}" if failed else ""
            add(
                FindingKind.UNCOVERED_ROOT_CAUSE,
                cause_id,
                f"root cause {_short(cause.text)!r} has no committed preventive action{why}",
            )
        elif all(a.strength is Strength.WEAK for a in covering):
            names = ", ".join(repr(_short(a.title)) for a in covering)
            add(
                FindingKind.WEAK_COVER,
                cause_id,
                f"root cause {_short(cause.text)!r} is covered only by weak actions ({names}); "
                "add a stronger one: a design change, automation or a forcing function",
            )
        if cause.evidence == Evidence.HYPOTHESIS:
            add(
                FindingKind.UNPROVEN_ROOT_CAUSE,
                cause_id,
                f"root cause {_short(cause.text)!r} is still a hypothesis; gather evidence",
            )
        unproven = [
            c for c in graph.chain(cause_id)[:-1] if graph.cause(c).evidence == Evidence.HYPOTHESIS
        ]
        if unproven:
            add(
                FindingKind.RESTS_ON_HYPOTHESIS,
                cause_id,
                f"root cause {_short(cause.text)!r} is reached through "
                f"{_short(graph.cause(unproven[0]).text)!r}, which is still a hypothesis",
            )
    # A chain is open when it ends before the incident's depth, root cause or not: a root
    # cause found at why 1 is usually a symptom. It ends honestly when its last cause was
    # ruled out (a dead end) or the team wrote down why they stopped asking.
    for cause_id in graph.leaves():
        cause = graph.cause(cause_id)
        if cause.evidence == Evidence.RULED_OUT or cause.stop_reason:
            continue
        depth = graph.depth(cause_id)
        if depth < incident.whys_depth:
            where = "after one why" if depth == 1 else f"at why {depth} of {incident.whys_depth}"
            start = (
                f"root cause {_short(cause.text)!r} is marked {where}"
                if cause.root_cause
                else f"chain stops {where} at {_short(cause.text)!r}"
            )
            add(
                FindingKind.SHALLOW_CHAIN,
                cause_id,
                f"{start}; ask why again, or record why it stops here as a stop reason",
            )
    for cause in graph.causes():
        if blames_a_person(cause.text):
            ends = " and the chain ends there" if not graph.children(cause.id) else ""
            add(
                FindingKind.BLAME,
                cause.id,
                f"{_short(cause.text)!r} blames a person{ends}; ask what let the slip happen",
            )
    for action in incident.actions:
        if (phrase := blame_phrase(action.title)) is not None:
            add(
                FindingKind.BLAME,
                action.uid,
                f"action {_short(action.title)!r} blames a person ({phrase!r}); an action "
                "changes the system, not the people in it",
            )
        elif (phrase := weak_phrase(action.title)) is not None:
            add(
                FindingKind.WEAK_WORDING,
                action.uid,
                f"action {_short(action.title)!r} relies on people trying harder "
                f"({phrase!r}); pair it with a change to the system that makes the slip "
                "hard to repeat",
            )
        if action.is_overdue(today):
            assert action.due is not None
            days = (today - action.due).days
            add(
                FindingKind.OVERDUE_ACTION,
                action.uid,
                f"action {_short(action.title)!r} ({action.owner or 'no owner'}) was due "
                f"{action.due.isoformat()}, {days} day{'s' if days != 1 else ''} ago, "
                f"and is {action.status.label}",
            )
        _history_findings(action, today, add)
        if action.is_verification_overdue(today):
            assert action.verify_on is not None
            add(
                FindingKind.VERIFICATION_OVERDUE,
                action.uid,
                f"action {_short(action.title)!r} was implemented but its effectiveness check "
                f"({action.verify_on.isoformat()}) has not been done",
            )
    for check_in in incident.check_ins:
        state = check_in_state(check_in, today)
        if state is CheckInState.DUE:
            add(
                FindingKind.FOLLOW_UP_DUE,
                check_in.id,
                f"the check-in with the client planned for {check_in.planned.isoformat()} is "
                "due; hold it and record what was said",
            )
        elif state is CheckInState.MISSED:
            days = (today - check_in.planned).days
            add(
                FindingKind.FOLLOW_UP_MISSED,
                check_in.id,
                f"the check-in with the client planned for {check_in.planned.isoformat()} was "
                f"missed ({days} days ago); hold it now, or record when it was held",
            )
    _recovery_findings(incident, today, add)
    return out


def _recovery_findings(
    incident: Incident, today: date, add: Callable[[FindingKind, str, str], None]
) -> None:
    """The client at risk, in the words the review and the report use, each with what to
    do; a missed check-in is named above, once per check-in."""
    for risk in incident_risks(incident, today):
        if risk.kind is RiskKind.CONFIDENCE:
            add(
                FindingKind.CONFIDENCE_FALLING,
                risk.subject,
                f"{risk.text}; ask the client what worries them and answer it before the "
                "next check-in",
            )
        elif risk.kind is RiskKind.OFF_TARGET:
            add(
                FindingKind.OFF_TARGET,
                risk.subject,
                f"{risk.text}; tell the client at the next check-in what brings it back",
            )
        elif risk.kind is RiskKind.UNDELIVERED:
            assert risk.since is not None
            days = (today - risk.since).days
            if days > DELIVERY_DAYS:
                add(
                    FindingKind.NOT_DELIVERED,
                    risk.subject,
                    f"{risk.text}, {days} days ago; deliver what was accepted, or ask the "
                    "client for their answer",
                )
    # The records of a recovery show the client was hurt; the apology comes first.
    begun = incident.restitution or incident.measures or incident.confidence
    if begun and not incident.apology.made:
        add(
            FindingKind.NO_APOLOGY,
            incident.uid,
            "the client's recovery is under way (restitution offered, measures agreed or "
            "confidence asked) but no apology is on record; own the failure to the client "
            "and record when, by whom and how",
        )
