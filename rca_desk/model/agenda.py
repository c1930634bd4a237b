"""The workshop's agenda: named steps with their minutes, and a timer that walks them.

A workshop that runs out of time ends with causes found and no actions agreed, which is
the part the client needed. The agenda keeps the room honest: each incident carries its
own steps (facts, causes, whys, actions by default), the presentation header counts the
current one down, and the end of a step is marked quietly (on screen, no sound) so the
facilitator decides whether to move on.

The agenda is one incident field, edited as a whole (it is a short list, and edits to it
are rare enough that two people changing it at once is a conflict worth reporting). The
timer is not stored: it is the room's stopwatch for this session. It reads time from a
clock it is given, so tests drive it with a fake one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rca_desk.model.errors import RuleError
from rca_desk.model.text import typed

__all__ = [
    "DEFAULT_AGENDA",
    "MAX_MINUTES",
    "MAX_STEPS",
    "MAX_STEP_NAME",
    "MIN_MINUTES",
    "Agenda",
    "AgendaStep",
    "AgendaTimer",
    "agenda_data",
    "agenda_from_data",
    "checked_agenda",
    "checked_step",
    "countdown",
]

#: A step lasts between one minute and four hours.
MIN_MINUTES, MAX_MINUTES = 1, 240
#: No agenda has more steps than this (a day's workshop in quarter hours still fits).
MAX_STEPS = 24
#: A step's name fits the header.
MAX_STEP_NAME = 60


@dataclass(frozen=True)
class AgendaStep:
    """One step of the workshop: what the room does, and for how many minutes."""

    name: str
    minutes: int


Agenda = tuple[AgendaStep, ...]

#: The steps every incident starts with (issue 14): establish the facts, collect causes
#: on the fishbone, ask why down the chains, agree actions for the root causes.
DEFAULT_AGENDA: Agenda = (
    AgendaStep("Facts", 10),
    AgendaStep("Causes", 25),
    AgendaStep("Whys", 20),
    AgendaStep("Actions", 15),
)


def checked_step(step: object, number: int) -> AgendaStep:
    """One step checked, named by its ``number`` (1-based, as the form shows it)."""
    if not isinstance(step, AgendaStep):
        raise RuleError(f"Agenda step {number} is not a step.")
    if not isinstance(step.name, str):
        raise RuleError(f"Agenda step {number} needs a name.")
    name = " ".join(typed(step.name, what=f"Agenda step {number}'s name").split())
    if not name:
        raise RuleError(f"Agenda step {number} needs a name.")
    if len(name) > MAX_STEP_NAME:
        raise RuleError(f"Agenda step {number}'s name is longer than {MAX_STEP_NAME} characters.")
    minutes = step.minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise RuleError(f"Agenda step {number} ({name}) needs its minutes as a whole number.")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise RuleError(
            f"Agenda step {number} ({name}) must last {MIN_MINUTES} to {MAX_MINUTES} minutes, "
            f"not {minutes}."
        )
    return AgendaStep(name, minutes)


def checked_agenda(steps: object) -> Agenda:
    """``steps`` as an agenda: 1 to :data:`MAX_STEPS` steps, each named (one line, blanks
    collapsed) and 1 to 240 minutes long. Raises :class:`RuleError` naming the first bad
    step, by its number as the form shows it."""
    if isinstance(steps, (str, bytes)) or not isinstance(steps, Iterable):
        raise RuleError("The agenda must be a list of steps.")
    listed = list(steps)
    if not listed:
        raise RuleError("The agenda needs at least one step.")
    if len(listed) > MAX_STEPS:
        raise RuleError(f"The agenda has {len(listed)} steps; at most {MAX_STEPS} fit.")
    return tuple(checked_step(step, number) for number, step in enumerate(listed, 1))


def agenda_data(agenda: Agenda) -> list[dict[str, Any]]:
    """The agenda as plain values, as the JSON format and the store write it."""
    return [{"step": step.name, "minutes": step.minutes} for step in agenda]


def agenda_from_data(data: object) -> Agenda:
    """Read :func:`agenda_data`'s values back, checked; :class:`RuleError` if they are not."""
    if not isinstance(data, list):
        raise RuleError("The agenda must be a list of steps.")
    steps: list[AgendaStep] = []
    for number, item in enumerate(data, 1):
        if not isinstance(item, Mapping) or set(item) != {"step", "minutes"}:
            raise RuleError(f"Agenda step {number} must have a step name and its minutes.")
        steps.append(AgendaStep(item["step"], item["minutes"]))
    return checked_agenda(steps)


def countdown(seconds: float) -> str:
    """``12:05`` while time is left, ``+1:30`` once the step runs over (whole seconds,
    rounded so the display reaches 0:00 exactly when the step ends)."""
    whole = -int(-seconds // 1) if seconds > 0 else int(-seconds // 1)
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}" if seconds > 0 else f"+{minutes}:{secs:02d}"


class AgendaTimer:
    """The room's stopwatch over an agenda: one step at a time, start, pause, next.

    Time comes from ``clock`` (seconds, monotonic); the timer keeps only what it read, so
    a fake clock moves it in tests. Moving to another step starts that step from its full
    time and keeps running (or paused) as before. :meth:`take_end` answers True once when
    the current step's time is used up: the moment for the quiet signal.
    """

    def __init__(
        self, agenda: Agenda = DEFAULT_AGENDA, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.clock = clock
        self._agenda = checked_agenda(agenda)
        self._index = 0
        self._used = 0.0  # seconds of this step counted before the last start
        self._started: float | None = None  # the clock when it last started, if running
        self._ended = False  # the end of this step was reported

    # ----------------------------------------------------------------- reading
    @property
    def agenda(self) -> Agenda:
        return self._agenda

    @property
    def index(self) -> int:
        return self._index

    @property
    def step(self) -> AgendaStep:
        return self._agenda[self._index]

    @property
    def running(self) -> bool:
        return self._started is not None

    def elapsed(self) -> float:
        """Seconds spent in this step so far (paused time not counted)."""
        if self._started is None:
            return self._used
        return self._used + max(0.0, self.clock() - self._started)

    def remaining(self) -> float:
        """Seconds left in this step; negative once it runs over."""
        return self.step.minutes * 60 - self.elapsed()

    def is_over(self) -> bool:
        return self.remaining() <= 0

    def take_end(self) -> bool:
        """True once per step, the first time it is asked after the step's time ran out."""
        if self._ended or not self.is_over():
            return False
        self._ended = True
        return True

    def describe(self) -> str:
        """``Causes 2/4  24:10`` (with ``paused`` while stopped part-way): the header."""
        state = ""
        if not self.running:
            state = "  (press T to start)" if self.elapsed() == 0 else "  paused"
        return (
            f"{self.step.name} {self._index + 1}/{len(self._agenda)}  "
            f"{countdown(self.remaining())}{state}"
        )

    # ---------------------------------------------------------------- changing
    def start(self) -> None:
        if self._started is None:
            self._started = self.clock()

    def pause(self) -> None:
        if self._started is not None:
            self._used = self.elapsed()
            self._started = None

    def toggle(self) -> None:
        """Start when paused, pause when running (the T key)."""
        if self.running:
            self.pause()
        else:
            self.start()

    def go_to(self, index: int) -> bool:
        """Move to step ``index`` (clamped to the agenda) from its full time; False if the
        timer was already there."""
        index = max(0, min(index, len(self._agenda) - 1))
        if index == self._index:
            return False
        self._index = index
        self._restart_step()
        return True

    def next_step(self) -> bool:
        return self.go_to(self._index + 1)

    def previous_step(self) -> bool:
        return self.go_to(self._index - 1)

    def reset(self) -> None:
        """Back to the first step, stopped, at its full time."""
        self._index = 0
        self._started = None
        self._used = 0.0
        self._ended = False

    def set_agenda(self, agenda: Agenda) -> None:
        """Follow an edited agenda: the same step number (or the last), its time kept."""
        self._agenda = checked_agenda(agenda)
        self._index = min(self._index, len(self._agenda) - 1)
        self._ended = self._ended and self.is_over()

    def _restart_step(self) -> None:
        self._used = 0.0
        self._ended = False
        if self._started is not None:
            self._started = self.clock()
