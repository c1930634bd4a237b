"""The workshop timer of one open incident, shared by its tab and its presentation.

It wraps the model's :class:`~rca_desk.model.agenda.AgendaTimer` (which only reads a
clock) with a Qt tick, so labels follow it and the end of a step is announced once. It
lives with the incident's tab, not with presentation mode: leaving the slide to start an
action and coming back must not reset the room's clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent

from rca_desk.model.agenda import AgendaTimer
from rca_desk.ui.document.changes import Changes
from rca_desk.ui.document.incident_document import IncidentDocument

__all__ = ["AGENDA_KEYS", "TICK_MS", "AgendaClock", "agenda_key", "step_end_hint"]

#: How often a running timer refreshes its labels: often enough that the seconds never
#: skip one, rarely enough to cost nothing.
TICK_MS = 250

#: The timer's keys, the same on the diagram in the tab and in presentation mode.
AGENDA_KEYS: tuple[tuple[str, str], ...] = (
    ("T", "start or pause the agenda timer (the current step's countdown)"),
    ("Shift+T", "the agenda's next step, from its full time"),
    ("Ctrl+Shift+T", "the agenda's previous step"),
)


class AgendaClock(QObject):
    """The incident's agenda timer: start, pause, next and previous step, follow edits."""

    #: Something shown changed: a second passed, the step or the running state.
    changed = Signal()
    #: The current step's time is up (once per step); carries the step's name.
    stepEnded = Signal(str)

    def __init__(
        self,
        document: IncidentDocument,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.timer = AgendaTimer(document.incident.agenda, clock)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.poll)
        document.changed.connect(self._document_changed)

    # ------------------------------------------------------------ reading
    def describe(self) -> str:
        return self.timer.describe()

    @property
    def over(self) -> bool:
        """The current step ran out of time (the header shows it until the next step)."""
        return self.timer.is_over()

    def next_name(self) -> str | None:
        agenda, index = self.timer.agenda, self.timer.index
        return agenda[index + 1].name if index + 1 < len(agenda) else None

    # ----------------------------------------------------------- changing
    def toggle(self) -> None:
        self.timer.toggle()
        self._follow()

    def next_step(self) -> None:
        if self.timer.next_step():
            self._follow()

    def previous_step(self) -> None:
        if self.timer.previous_step():
            self._follow()

    def reset(self) -> None:
        self.timer.reset()
        self._follow()

    def poll(self) -> None:
        """Read the clock: announce a step's end once, refresh what shows the time."""
        if self.timer.take_end():
            self.stepEnded.emit(self.timer.step.name)
        self.changed.emit()

    def _follow(self) -> None:
        if self.timer.running:
            self._tick.start()
        else:
            self._tick.stop()
        self.poll()

    def _document_changed(self, changes: Changes) -> None:
        if changes.everything or "agenda" in changes.incident:
            self.timer.set_agenda(self.document.incident.agenda)
            self.poll()


_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def agenda_key(clock: AgendaClock, event: QKeyEvent) -> bool:
    """Act on one of :data:`AGENDA_KEYS` pressed on a diagram; False for any other key."""
    if event.key() != Qt.Key.Key_T:
        return False
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if mods == Qt.KeyboardModifier.NoModifier:
        clock.toggle()
    elif mods == _SHIFT:
        clock.next_step()
    elif mods == _CTRL_SHIFT:
        clock.previous_step()
    else:
        return False
    return True


def step_end_hint(clock: AgendaClock, name: str) -> str:
    """What the room is told, once, when a step's time is up."""
    following = clock.next_name()
    then = f"Shift+T moves on to {following}." if following else "It was the last step."
    return f"Time is up for {name}. {then}"
