"""The workshop agenda's rules and the timer that walks it, on a fake clock."""

from __future__ import annotations

import pytest

from rca_desk.model import DEFAULT_AGENDA, AgendaStep, AgendaTimer, Incident, RuleError
from rca_desk.model.agenda import checked_agenda, countdown
from tests.clocks import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_new_incident_has_the_default_agenda() -> None:
    assert [(s.name, s.minutes) for s in Incident(title="T").agenda] == [
        ("Facts", 10),
        ("Causes", 25),
        ("Whys", 20),
        ("Actions", 15),
    ]


def test_an_edit_is_checked_and_cleaned_and_undone_by_its_old_value() -> None:
    incident = Incident(title="T")
    before = incident.update_fields(agenda=[AgendaStep("  Time\tline ", 5)])
    assert incident.agenda == (AgendaStep("Time line", 5),)
    assert before == {"agenda": DEFAULT_AGENDA}


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "The agenda needs at least one step."),
        ("Facts", "The agenda must be a list of steps."),
        ([AgendaStep("Facts", 0)], "Agenda step 1 (Facts) must last 1 to 240 minutes, not 0."),
        (
            [AgendaStep("Facts", 10), AgendaStep("Causes", 241)],
            "Agenda step 2 (Causes) must last 1 to 240 minutes, not 241.",
        ),
        ([AgendaStep("Facts", True)], "Agenda step 1 (Facts) needs its minutes as a whole number."),
        ([AgendaStep(" ", 5)], "Agenda step 1 needs a name."),
        ([AgendaStep("x" * 61, 5)], "Agenda step 1's name is longer than 60 characters."),
        ([AgendaStep("Facts", 1)] * 25, "The agenda has 25 steps; at most 24 fit."),
        ([("Facts", 10)], "Agenda step 1 is not a step."),
    ],
)
def test_a_bad_agenda_is_refused_with_the_step_named(steps: object, message: str) -> None:
    incident = Incident(title="T")
    with pytest.raises(RuleError) as caught:
        incident.update_fields(agenda=steps)
    assert str(caught.value) == message
    assert incident.agenda == DEFAULT_AGENDA


def test_the_limits_themselves_are_allowed() -> None:
    steps = [AgendaStep("x" * 60, 1)] + [AgendaStep("Long", 240)] * 23
    assert len(checked_agenda(steps)) == 24


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(600, "10:00"), (599.2, "10:00"), (59.01, "1:00"), (1, "0:01"), (0, "+0:00"), (-61, "+1:01")],
)
def test_the_countdown_reaches_zero_when_the_step_ends_then_counts_over(
    seconds: float, shown: str
) -> None:
    assert countdown(seconds) == shown


def test_the_timer_counts_only_while_running(clock: FakeClock) -> None:
    timer = AgendaTimer(DEFAULT_AGENDA, clock)
    clock.advance(300)
    assert timer.remaining() == 600 and not timer.running
    assert timer.describe() == "Facts 1/4  10:00  (press T to start)"
    timer.toggle()
    clock.advance(90)
    assert timer.remaining() == 510
    assert timer.describe() == "Facts 1/4  8:30"
    timer.toggle()
    clock.advance(1000)  # paused: the coffee break does not count
    assert timer.remaining() == 510
    assert timer.describe() == "Facts 1/4  8:30  paused"


def test_the_end_of_a_step_is_signalled_once(clock: FakeClock) -> None:
    timer = AgendaTimer(DEFAULT_AGENDA, clock)
    timer.start()
    clock.advance(599)
    assert not timer.take_end()
    clock.advance(1)
    assert timer.take_end()
    assert not timer.take_end()
    clock.advance(75)
    assert not timer.take_end() and timer.is_over()
    assert timer.describe() == "Facts 1/4  +1:15"


def test_next_step_starts_from_its_full_time_and_keeps_running(clock: FakeClock) -> None:
    timer = AgendaTimer(DEFAULT_AGENDA, clock)
    timer.start()
    clock.advance(700)
    assert timer.take_end()
    assert timer.next_step()
    assert (timer.step.name, timer.remaining(), timer.running) == ("Causes", 1500, True)
    clock.advance(1500)
    assert timer.take_end(), "the next step's end is signalled too"
    timer.go_to(3)
    assert not timer.next_step(), "there is no step after the last"
    assert timer.previous_step() and timer.step.name == "Whys"
    timer.reset()
    assert (timer.index, timer.running, timer.remaining()) == (0, False, 600)


def test_an_edited_agenda_keeps_the_step_number_and_its_time(clock: FakeClock) -> None:
    timer = AgendaTimer(DEFAULT_AGENDA, clock)
    timer.start()
    timer.go_to(3)
    clock.advance(60)
    timer.set_agenda((AgendaStep("Facts", 10), AgendaStep("Causes", 30)))
    assert (timer.index, timer.step.name) == (1, "Causes")
    clock.advance(60)
    assert timer.remaining() == 30 * 60 - 120
