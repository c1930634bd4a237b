"""The finding registry, and the rules that decide whether a root cause is really covered.

Each rule has examples that must fire and near-misses that must not.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from rca_desk.model import (
    HEAD,
    REGISTRY,
    ActionStatus,
    CauseGraph,
    Evidence,
    FindingKind,
    Incident,
    Level,
    PreventiveAction,
    Strength,
    findings,
)

TODAY = date(2026, 11, 23)
AT = datetime(2026, 10, 1, 9, 0)
README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_kind_is_registered_with_a_name_an_icon_and_a_level() -> None:
    assert set(REGISTRY) == set(FindingKind)
    for kind, info in REGISTRY.items():
        assert kind.info is info
        assert info.name and info.name[0].isupper() and not info.name.endswith(".")
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", info.icon), info.icon
        assert isinstance(info.level, Level)
    # A note informs; problems always fail the check.
    assert all(i.fails_check for i in REGISTRY.values() if i.level is Level.PROBLEM)
    assert not any(i.fails_check for i in REGISTRY.values() if i.level is Level.NOTE)


def test_the_readme_documents_every_code() -> None:
    text = README.read_text(encoding="utf-8")
    for kind in FindingKind:
        assert f"`{kind.value}`" in text, kind.value


def root_cause_with(*actions: tuple[ActionStatus, Strength]) -> Incident:
    """One verified root cause under a verified why, addressed by the given actions."""
    graph = CauseGraph(problem="Orders shipped twice")
    why = graph.add_cause(HEAD, text="Retry resends", category="Technology", cause_id="w")
    graph.update_cause(why, evidence=Evidence.VERIFIED)
    graph.add_cause(
        why, text="No idempotency key", cause_id="r", root_cause=True, evidence="verified"
    )
    incident = Incident(title="Double shipping", graph=graph, uid="i1", whys_depth=2)
    for n, (status, strength) in enumerate(actions):
        action = PreventiveAction.propose(
            at=AT,
            title=f"Action {n}",
            root_causes=["r"],
            owner="Sam",
            due=date(2026, 12, 1),
            verify_on=date(2027, 1, 15),
            metric="duplicate shipments",
            target="0",
            strength=strength,
        )
        path = {
            ActionStatus.PROPOSED: [],
            ActionStatus.COMMITTED: [ActionStatus.COMMITTED],
            ActionStatus.IMPLEMENTED: [
                ActionStatus.COMMITTED,
                ActionStatus.IN_PROGRESS,
                ActionStatus.IMPLEMENTED,
            ],
            ActionStatus.NOT_EFFECTIVE: [
                ActionStatus.COMMITTED,
                ActionStatus.IN_PROGRESS,
                ActionStatus.IMPLEMENTED,
                ActionStatus.NOT_EFFECTIVE,
            ],
            ActionStatus.CANCELLED: [ActionStatus.CANCELLED],
        }[status]
        for step in path:
            action.change_status(step, at=AT, note="because")
        incident.add_action(action)
    return incident


def found(incident: Incident, kind: FindingKind) -> list[str]:
    return [f.message for f in findings(incident, today=TODAY) if f.kind is kind]


@pytest.mark.parametrize("failed", [ActionStatus.NOT_EFFECTIVE, ActionStatus.CANCELLED])
def test_an_action_that_failed_never_covers_and_is_named(failed: ActionStatus) -> None:
    incident = root_cause_with((failed, Strength.STRONG))
    assert not incident.is_covered("r")
    assert found(incident, FindingKind.UNCOVERED_ROOT_CAUSE) == [
        f"root cause 'No idempotency key' has no committed preventive action: 'Action 0' "
        f"was {failed.label}"
    ]


@pytest.mark.parametrize("status", [ActionStatus.COMMITTED, ActionStatus.IMPLEMENTED])
def test_an_agreed_action_covers(status: ActionStatus) -> None:
    incident = root_cause_with(
        (ActionStatus.NOT_EFFECTIVE, Strength.STRONG), (status, Strength.STRONG)
    )
    assert incident.is_covered("r")
    assert found(incident, FindingKind.UNCOVERED_ROOT_CAUSE) == []


def test_weak_actions_alone_ask_for_a_stronger_one() -> None:
    incident = root_cause_with(
        (ActionStatus.COMMITTED, Strength.WEAK), (ActionStatus.IMPLEMENTED, Strength.WEAK)
    )
    assert incident.is_covered("r")  # covered, but only by reminders and training
    assert found(incident, FindingKind.WEAK_COVER) == [
        "root cause 'No idempotency key' is covered only by weak actions ('Action 0', "
        "'Action 1'); add a stronger one: a design change, automation or a forcing function"
    ]


@pytest.mark.parametrize("strength", [Strength.INTERMEDIATE, Strength.STRONG])
def test_one_stronger_action_is_enough(strength: Strength) -> None:
    incident = root_cause_with(
        (ActionStatus.COMMITTED, Strength.WEAK), (ActionStatus.COMMITTED, strength)
    )
    assert found(incident, FindingKind.WEAK_COVER) == []


def test_a_weak_proposal_does_not_count_as_weak_cover() -> None:
    """Not covered at all is the finding, not "covered weakly"."""
    incident = root_cause_with((ActionStatus.PROPOSED, Strength.WEAK))
    assert found(incident, FindingKind.WEAK_COVER) == []
    assert len(found(incident, FindingKind.UNCOVERED_ROOT_CAUSE)) == 1


def test_a_root_cause_reached_through_a_hypothesis_is_noted() -> None:
    incident = root_cause_with((ActionStatus.COMMITTED, Strength.STRONG))
    assert found(incident, FindingKind.RESTS_ON_HYPOTHESIS) == []
    incident.graph.update_cause("w", evidence=Evidence.HYPOTHESIS)
    assert found(incident, FindingKind.RESTS_ON_HYPOTHESIS) == [
        "root cause 'No idempotency key' is reached through 'Retry resends', which is still "
        "a hypothesis"
    ]
    incident.graph.update_cause("w", evidence=Evidence.SUPPORTED)
    assert found(incident, FindingKind.RESTS_ON_HYPOTHESIS) == []  # near miss: supported


@pytest.mark.parametrize(
    ("title", "kind", "phrase"),
    [
        ("Remind engineers to be careful on production", FindingKind.WEAK_WORDING, "Remind"),
        ("Tell the operator he was careless", FindingKind.BLAME, "careless"),
    ],
)
def test_an_action_title_is_checked_for_blame_and_effort(
    title: str, kind: FindingKind, phrase: str
) -> None:
    incident = root_cause_with((ActionStatus.COMMITTED, Strength.STRONG))
    incident.replace_action(incident.actions[0].with_changes(title=title))
    messages = found(incident, kind)
    assert len(messages) == 1 and f"({phrase!r})" in messages[0]


def test_a_flagged_action_title_is_quoted_with_what_to_do_and_names_the_action() -> None:
    """The guidance list selects the action a finding is about by its subject."""
    incident = root_cause_with(
        (ActionStatus.COMMITTED, Strength.STRONG), (ActionStatus.COMMITTED, Strength.STRONG)
    )
    blamed, effort = incident.actions
    incident.replace_action(blamed.with_changes(title="Tell the operator he was careless"))
    incident.replace_action(
        effort.with_changes(title="Remind engineers to be careful on production")
    )
    assert subjects_and_messages(incident, FindingKind.BLAME) == [
        (
            blamed.uid,
            "action 'Tell the operator he was careless' blames a person ('careless'); an "
            "action changes the system, not the people in it",
        )
    ]
    assert subjects_and_messages(incident, FindingKind.WEAK_WORDING) == [
        (
            effort.uid,
            "action 'Remind engineers to be careful on production' relies on people trying "
            "harder ('Remind'); pair it with a change to the system that makes the slip hard "
            "to repeat",
        )
    ]


def subjects_and_messages(incident: Incident, kind: FindingKind) -> list[tuple[str, str]]:
    return [(f.subject, f.message) for f in findings(incident, today=TODAY) if f.kind is kind]


def test_weak_cover_and_a_hypothesis_on_the_way_name_the_root_cause() -> None:
    incident = root_cause_with((ActionStatus.COMMITTED, Strength.WEAK))
    incident.graph.update_cause("w", evidence=Evidence.HYPOTHESIS)
    assert [s for s, _ in subjects_and_messages(incident, FindingKind.WEAK_COVER)] == ["r"]
    assert [s for s, _ in subjects_and_messages(incident, FindingKind.RESTS_ON_HYPOTHESIS)] == ["r"]


@pytest.mark.parametrize(
    "title",
    [
        "Add idempotency keys to the shipping API",
        "Configure the scheduler to send reminder emails before each run",
        "Retrain the anomaly model on last year's traffic",
    ],
)
def test_a_systemic_action_title_is_not_flagged(title: str) -> None:
    incident = root_cause_with((ActionStatus.COMMITTED, Strength.STRONG))
    incident.replace_action(incident.actions[0].with_changes(title=title))
    assert found(incident, FindingKind.WEAK_WORDING) == []
    assert found(incident, FindingKind.BLAME) == []


def test_every_kind_has_a_mark_of_its_own() -> None:
    """One character on the kind's badge (issue 14: one "!" meant two kinds in the room)."""
    marks = [info.mark for info in REGISTRY.values()]
    assert all(len(mark) == 1 and not mark.isspace() for mark in marks)
    assert len(set(marks)) == len(marks)
