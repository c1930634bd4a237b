"""Follow-up dates as an iCalendar file (RFC 5545), so they land in people's calendars.

Each action still being worked on gives one all-day event on its due date, "Due:
<title>"; an implemented action is past its due date's purpose and gives none. An open
action with a verification date gives one on that date, "Verify: <title>": implemented
is not done, and the day to check that an action worked is the one most easily
forgotten. Verified-effective and cancelled actions are settled and give no events.

The follow-up promised to the client goes in the same file (issue 15): each check-in
not yet held, "Check-in: <client> (<incident>)", and each incident's review meeting,
"Review meeting: <incident>".

UIDs are stable (``<action uid>-due@rca-desk``, ``<check-in id>-check-in@rca-desk``,
``<incident uid>-review@rca-desk``), so importing a newer file updates the
events instead of duplicating them. The text is written by hand (the ``icalendar``
package is only a test dependency): TEXT values escaped, lines folded at 75 octets
without splitting a UTF-8 character or an escape, CRLF line endings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from rca_desk import __version__
from rca_desk.interchange.files import atomic_write_bytes
from rca_desk.model.actions import OPEN_STATUSES
from rca_desk.model.follow_ups import CheckInState, check_in_state
from rca_desk.model.incident import Incident
from rca_desk.model.vocab import ActionStatus
from rca_desk.store.rows import ActionRow, FollowUpRow

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = f"-//rca-desk//rca-desk {__version__}//EN"
CALENDAR_NAME = "rca-desk follow-up"

DUE = "due"
VERIFY = "verify"
CHECK_IN = "check-in"
REVIEW = "review"
_KIND_ORDER = {DUE: 0, VERIFY: 1, CHECK_IN: 2, REVIEW: 3}
#: An action in these still has its due date ahead of it as work to do.
_DUE_STATUSES = OPEN_STATUSES - {ActionStatus.IMPLEMENTED}

_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# RFC 5545 TEXT holds no control character but HTAB (line breaks are escaped as \n).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_TEXT_SPECIALS = re.compile(r"[\\;,\n]")
# Folding units: an escape pair stays whole, anything else is one character.
_UNITS = re.compile(r"\\.|.", re.DOTALL)


def escape_text(value: str) -> str:
    """A TEXT property value: backslash, semicolon, comma and newline escaped."""
    value = _CONTROL.sub("\ufffd", _BREAKS.sub("\n", value))
    return _TEXT_SPECIALS.sub(lambda m: "\\n" if m.group(0) == "\n" else "\\" + m.group(0), value)


def fold(line: str) -> str:
    """``line`` folded so no physical line exceeds 75 octets (CRLF not counted).

    Continuation lines start with one space, which counts towards their 75. A break
    never falls inside a multi-byte UTF-8 character (a reader would see two invalid
    halves) nor, to spare lenient readers, between a backslash and what it escapes.
    """
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for unit in _UNITS.findall(line):
        octets = len(unit.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            current, size, limit = " ", 1, MAX_OCTETS
        current += unit
        size += octets
    parts.append(current)
    return CRLF.join(parts)


@dataclass(frozen=True)
class ActionEvent:
    """One all-day calendar entry: an action's due or verification date, a check-in, a
    review meeting."""

    uid: str
    kind: str  # DUE, VERIFY, CHECK_IN or REVIEW
    day: date
    summary: str
    description: str


#: One incident's follow-up with its client, as the calendar needs it (the store's row).
FollowUp = FollowUpRow


def follow_up_of(incident: Incident) -> FollowUp:
    return FollowUp(
        incident_id=incident.id or 0,
        incident_uid=incident.uid,
        incident_title=incident.title,
        affected=incident.affected,
        check_ins=tuple(incident.check_ins),
        review_meeting=incident.review_meeting,
    )


def follow_up_events(follow_ups: Iterable[FollowUp], *, today: date) -> list[ActionEvent]:
    """A check-in not yet held, and the review meeting, of each incident."""
    events = []
    for follow in follow_ups:
        incident = f"Incident {follow.incident_id}: " if follow.incident_id else "Incident: "
        incident += follow.incident_title
        client = follow.affected.splitlines()[0] if follow.affected else "the client"
        for check_in in follow.check_ins:
            if check_in.held is not None:
                continue
            lines = [incident, f"With: {client}", f"Planned: {check_in.planned.isoformat()}"]
            state = check_in_state(check_in, today)
            if state in (CheckInState.DUE, CheckInState.MISSED):
                lines.append(f"{state.value.upper()} as of {today.isoformat()}")
            events.append(
                ActionEvent(
                    uid=f"{check_in.id}-check-in@rca-desk",
                    kind=CHECK_IN,
                    day=check_in.planned,
                    summary=f"Check-in: {client} ({follow.incident_title})",
                    description="\n".join(lines),
                )
            )
        if follow.review_meeting is not None:
            events.append(
                ActionEvent(
                    uid=f"{follow.incident_uid}-review@rca-desk",
                    kind=REVIEW,
                    day=follow.review_meeting,
                    summary=f"Review meeting: {follow.incident_title}",
                    description="\n".join(
                        [incident, "Did the preventive actions work? Look back with the team."]
                    ),
                )
            )
    return events


def incident_rows(incident: Incident) -> list[ActionRow]:
    """``incident``'s actions as the rows the workspace gives, for a one-incident export."""
    rows = []
    for action in incident.actions:
        causes = [incident.graph.cause(cid) for cid in action.root_causes]
        rows.append(
            ActionRow(
                incident_id=incident.id or 0,
                incident_title=incident.title,
                action=action,
                root_cause_texts=tuple(c.text for c in causes),
                categories=tuple(dict.fromkeys(c.category for c in causes)),
            )
        )
    return rows


def _description(row: ActionRow, kind: str, today: date) -> str:
    action = row.action
    incident = f"Incident {row.incident_id}: " if row.incident_id else "Incident: "
    lines = [
        incident + row.incident_title,
        f"Owner: {action.owner or 'nobody yet'}",
        f"Status: {action.status.label}",
        f"Strength: {action.strength.label}",
    ]
    if action.metric or action.target:
        lines.append(f"Success measure: {action.metric or '?'} (target: {action.target or '?'})")
    if action.due is not None:
        lines.append(f"Due: {action.due.isoformat()}")
    if action.verify_on is not None:
        lines.append(f"Verify effectiveness on: {action.verify_on.isoformat()}")
    if kind == DUE and action.is_overdue(today):
        lines.append(f"OVERDUE as of {today.isoformat()}")
    if kind == VERIFY and action.is_verification_overdue(today):
        lines.append(f"Verification OVERDUE as of {today.isoformat()}")
    if row.root_cause_texts:
        lines.append("Root causes:")
        lines.extend(f"- {text}" for text in row.root_cause_texts)
    return "\n".join(lines)


def action_events(
    rows: Iterable[ActionRow] | Incident,
    *,
    today: date,
    follow_ups: Iterable[FollowUp] = (),
) -> list[ActionEvent]:
    """The events of ``rows`` (or of an incident's actions and follow-up), by date."""
    if isinstance(rows, Incident):
        follow_ups = [follow_up_of(rows)]
        rows = incident_rows(rows)
    events = follow_up_events(follow_ups, today=today)
    for row in rows:
        action = row.action
        if not action.is_open:
            continue
        due = action.due if action.status in _DUE_STATUSES else None
        for kind, day, verb in ((DUE, due, "Due"), (VERIFY, action.verify_on, "Verify")):
            if day is None:
                continue
            events.append(
                ActionEvent(
                    uid=f"{action.uid}-{kind}@rca-desk",
                    kind=kind,
                    day=day,
                    summary=f"{verb}: {action.title}",
                    description=_description(row, kind, today),
                )
            )
    events.sort(key=lambda e: (e.day, _KIND_ORDER[e.kind], e.summary, e.uid))
    return events


def _ical_date(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"  # strftime drops zeros before 1000


def _end(day: date) -> list[str]:
    """DTEND, the next day (exclusive); left out on the last representable day, where
    RFC 5545 reads a date-only event without an end as lasting that one day anyway."""
    return [] if day == date.max else [f"DTEND;VALUE=DATE:{_ical_date(day + timedelta(days=1))}"]


def _stamp(now: datetime) -> str:
    """``now`` in UTC, RFC 5545 form; a naive ``now`` is local time, as Python reads it."""
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def actions_to_ics(
    rows: Iterable[ActionRow] | Incident,
    *,
    today: date,
    now: datetime,
    follow_ups: Iterable[FollowUp] = (),
) -> str:
    """A VCALENDAR with the events of :func:`action_events`; ``now`` is every DTSTAMP."""
    stamp = _stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(CALENDAR_NAME)}",
    ]
    for event in action_events(rows, today=today, follow_ups=follow_ups):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_ical_date(event.day)}",
            *_end(event.day),
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def write_ics(
    path: str | os.PathLike[str],
    rows: Iterable[ActionRow] | Incident,
    *,
    today: date,
    now: datetime,
    follow_ups: Iterable[FollowUp] = (),
) -> None:
    """Write :func:`actions_to_ics` to ``path`` as UTF-8, all or nothing."""
    text = actions_to_ics(rows, today=today, now=now, follow_ups=follow_ups)
    atomic_write_bytes(path, text.encode("utf-8"))
