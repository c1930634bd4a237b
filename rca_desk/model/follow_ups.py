"""Follow-up with the client after the failure: check-ins, their cadence, the review.

Trust comes back through contact kept as promised: often at first, then less often.
The default cadence, counted from the day the client's service was back to normal
(``resolved_at``), is weekly for the first month, every two weeks for the next two, then
quarterly. It proposes planned dates; the team edits them, and records for each check-in
when it was held, how, who spoke for each side and what was said. A check-in whose day
has come and that was not held is **due** for a week, then **missed**: the review and
``rca-desk check`` say so.

The review meeting (the team looks back at whether the actions worked) is proposed six
weeks after resolution, within the one to two months the method asks for, on a weekday.

The next issue attaches trust measures and the client's confidence to each check-in; a
check-in has an id for that.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from rca_desk.model.cause_graph import check_cause_id
from rca_desk.model.errors import RuleError
from rca_desk.model.record import MAX_RECORD_TEXT, one_line
from rca_desk.model.text import typed

__all__ = [
    "DEFAULT_CADENCE",
    "DUE_DAYS",
    "MAX_PER_PHASE",
    "PHASES",
    "REVIEW_AFTER",
    "Cadence",
    "Channel",
    "CheckIn",
    "CheckInState",
    "cadence_data",
    "cadence_from_data",
    "check_in_state",
    "checked_cadence",
    "checked_check_in",
    "planned_dates",
    "proposed_review_meeting",
]

#: A check-in is due for this many days after its planned date, then missed.
DUE_DAYS = 7
#: The review meeting is proposed this long after the service was restored.
REVIEW_AFTER = timedelta(weeks=6)
#: No phase of a cadence has more check-ins than this.
MAX_PER_PHASE = 12


class Channel(StrEnum):
    """How a check-in was held."""

    CALL = "call"
    VIDEO = "video"
    MEETING = "meeting"
    VISIT = "visit"
    EMAIL = "email"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"video": "video call", "meeting": "meeting in person"}.get(self.value, self.value)


class CheckInState(StrEnum):
    """Where a check-in stands on a given day."""

    PLANNED = "planned"
    DUE = "due"
    MISSED = "missed"
    HELD = "held"


@dataclass(frozen=True)
class CheckIn:
    """One contact with the client after the failure, planned and (once held) recorded."""

    id: str
    planned: date
    held: date | None = None
    channel: Channel = Channel.CALL
    #: Who spoke for us, and who for the client (names or roles, one line each).
    ours: str = ""
    theirs: str = ""
    summary: str = ""


def checked_check_in(check_in: CheckIn) -> CheckIn:
    """``check_in`` as kept, or :class:`RuleError` naming what is wrong."""
    if not isinstance(check_in.planned, date):
        raise RuleError("A check-in needs its planned date.")
    if check_in.held is not None and not isinstance(check_in.held, date):
        raise RuleError("A check-in's held date must be a date.")
    summary = typed(check_in.summary, what="A check-in's summary").strip()
    if len(summary) > MAX_RECORD_TEXT:
        raise RuleError(f"A check-in's summary is longer than {MAX_RECORD_TEXT} characters.")
    return CheckIn(
        id=check_cause_id(check_in.id),
        planned=check_in.planned,
        held=check_in.held,
        channel=Channel(check_in.channel),
        ours=one_line(check_in.ours, what="Who spoke for us", required=False),
        theirs=one_line(check_in.theirs, what="Who spoke for the client", required=False),
        summary=summary,
    )


def check_in_state(check_in: CheckIn, today: date) -> CheckInState:
    """Held once it has a held date; before its day planned; then due for
    :data:`DUE_DAYS` days; then missed."""
    if check_in.held is not None:
        return CheckInState.HELD
    if check_in.planned > today:
        return CheckInState.PLANNED
    if (today - check_in.planned).days < DUE_DAYS:
        return CheckInState.DUE
    return CheckInState.MISSED


@dataclass(frozen=True)
class Cadence:
    """How many check-ins each phase proposes: weekly ones in the first month, then every
    two weeks, then quarterly."""

    weekly: int = 4
    fortnightly: int = 4
    quarterly: int = 4


DEFAULT_CADENCE = Cadence()


def checked_cadence(cadence: Cadence) -> Cadence:
    for name in ("weekly", "fortnightly", "quarterly"):
        value = getattr(cadence, name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuleError(f"The cadence's {name} check-ins must be a whole number.")
        if not 0 <= value <= MAX_PER_PHASE:
            raise RuleError(
                f"The cadence's {name} check-ins must be 0 to {MAX_PER_PHASE}, not {value}."
            )
    return cadence


#: The cadence's phases, in the order they come (and are written).
PHASES = ("weekly", "fortnightly", "quarterly")


def cadence_data(cadence: Cadence) -> dict[str, int]:
    """The cadence as plain values, as the JSON format and the store write it."""
    return {name: getattr(cadence, name) for name in PHASES}


def cadence_from_data(data: object) -> Cadence:
    """Read :func:`cadence_data`'s values back, checked; :class:`RuleError` if they are not."""
    if not isinstance(data, Mapping) or set(data) != set(PHASES):
        raise RuleError("The cadence must give the weekly, fortnightly and quarterly check-ins.")
    return checked_cadence(Cadence(**{name: data[name] for name in PHASES}))


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _weekday(day: date) -> date:
    """``day``, or the Monday after when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def planned_dates(resolved: date, cadence: Cadence = DEFAULT_CADENCE) -> list[date]:
    """The check-in dates ``cadence`` proposes from ``resolved``, on weekdays, in order.

    Weekly: 1, 2, 3, 4 weeks after. Every two weeks after the last weekly one. Quarterly:
    3 months after the previous phase's last date (counted in calendar months), then
    every 3 months.
    """
    days = [resolved + timedelta(weeks=n) for n in range(1, cadence.weekly + 1)]
    last = days[-1] if days else resolved
    days += [last + timedelta(weeks=2 * n) for n in range(1, cadence.fortnightly + 1)]
    last = days[-1] if days else resolved
    days += [_add_months(last, 3 * n) for n in range(1, cadence.quarterly + 1)]
    return sorted({_weekday(day) for day in days})


def proposed_review_meeting(resolved: date) -> date:
    """Six weeks after the service was restored, on a weekday."""
    return _weekday(resolved + REVIEW_AFTER)
