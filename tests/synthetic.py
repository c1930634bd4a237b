"""A big, realistic, deterministic workspace for benchmarks (and any test that needs bulk).

``build_big_workspace(path)`` writes 200 incidents with 20,000 causes and 5,000 actions
by default. The same seed gives the same workspace byte for byte in content (uids, ids,
texts, dates): nothing reads the clock or ``uuid4``. The shape follows real analyses:

* each incident uses the default categories or one of the classic presets;
* causes hang in chains 2-6 deep under first-level causes spread over the categories,
  some branching where one "why" has several answers;
* about a fifth of the chain ends are root causes, with evidence of every kind;
* a few "also contributes to" links per incident, where they close no cycle;
* actions address root causes and sit in every lifecycle state, with the history that
  got them there (committed ones have owner, dates and a success measure).

Everything is written through :meth:`Workspace.add_incidents`, one transaction.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from rca_desk.model import (
    HEAD,
    NOTE_REQUIRED,
    PRESETS,
    TRANSITIONS,
    ActionStatus,
    CauseGraph,
    Evidence,
    Incident,
    IncidentStatus,
    PreventiveAction,
    RuleError,
    Severity,
    Strength,
)
from rca_desk.store import Workspace

#: The day the synthetic workspace is "as of"; dates spread around it.
BASE_DAY = date(2026, 11, 23)

_SUBJECTS = [
    "the release job", "the on-call engineer", "the staging database", "the runbook",
    "the nightly export", "the client portal", "the billing batch", "the vendor feed",
    "the change review", "the monitoring alert", "the support queue", "the data migration",
    "the access policy", "the backup restore", "the QA checklist", "the status page",
]  # fmt: skip
_PROBLEMS = [
    "did not run", "ran against the wrong tenant", "was skipped under time pressure",
    "had no owner", "was out of date", "gave no warning", "was misconfigured",
    "depended on a manual step", "was never tested", "was not documented",
    "timed out silently", "used stale data", "was changed without review",
]  # fmt: skip
_OWNERS = ["Priya Nair", "Tom Becker", "Lena Ortiz", "Sam Whitfield", "Grace Kim", "Olu Ade"]
_ACTIONS = [
    "Automate", "Add a checkpoint for", "Write a runbook for", "Train the team on",
    "Add monitoring to", "Remove the manual step in", "Assign an owner to", "Review",
]  # fmt: skip


@dataclass(frozen=True)
class BigWorkspace:
    path: Path
    incidents: int
    causes: int
    actions: int
    links: int


def _uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(_SUBJECTS).capitalize()} {rng.choice(_PROBLEMS)}"


def _graph(rng: random.Random, n_causes: int) -> CauseGraph:
    preset = rng.choice([*PRESETS.values(), PRESETS["Service (default)"]])
    categories = list(preset)
    graph = CauseGraph(problem=f"Service failure: {_sentence(rng)}", categories=categories)
    made = 0
    # Chains of 2-6 whys under first-level causes, sometimes branching off a chain.
    while made < n_causes:
        if made and rng.random() < 0.3:
            start = rng.choice(list(graph.cause_ids()))
            if graph.depth(start) >= 6:
                continue
            parent, depth = start, graph.depth(start)
        else:
            parent, depth = HEAD, 0
        length = min(rng.randint(2, 6) - depth, n_causes - made)
        category = rng.choice(categories) if parent == HEAD else None
        for step in range(max(length, 1)):
            last = step == max(length, 1) - 1
            parent = graph.add_cause(
                parent,
                text=f"{_sentence(rng)} ({made})",
                category=category if step == 0 and parent == HEAD else None,
                evidence=rng.choice(list(Evidence)),
                evidence_note=rng.choice(["", "", "Seen in the logs.", "Confirmed in the review."]),
                root_cause=last and rng.random() < 0.6,
                cause_id=f"c{made}",
            )
            made += 1
            if made >= n_causes:
                break
    nodes = list(graph.cause_ids())
    for _ in range(rng.randint(0, 4)):
        # One that would close a cycle or repeat an edge is refused, as in the app.
        with contextlib.suppress(RuleError):
            graph.add_link(rng.choice([HEAD, *nodes]), rng.choice(nodes))
    if not graph.root_causes() and nodes:
        graph.update_cause(nodes[-1], root_cause=True)
    return graph


def _action(rng: random.Random, roots: list[str], number: int) -> PreventiveAction:
    due = BASE_DAY + timedelta(days=rng.randint(-90, 90))
    fields: dict[str, object] = {
        "title": f"{rng.choice(_ACTIONS)} {rng.choice(_SUBJECTS)} ({number})",
        "root_causes": rng.sample(roots, k=min(len(roots), rng.choice([1, 1, 1, 2]))),
        "owner": rng.choice(_OWNERS),
        "due": due,
        "verify_on": due + timedelta(days=rng.choice([30, 60, 90])),
        "strength": rng.choice(list(Strength)),
        "metric": "Repeat incidents of this kind",
        "target": "0 per quarter",
        "uid": _uid(rng),
    }
    # Its history starts 60 days before the due date, or before BASE_DAY if it is due
    # later, and never reaches past BASE_DAY: a history in the future is refused on import.
    start = min(due, BASE_DAY) - timedelta(days=60)
    at = datetime.combine(start, datetime.min.time()).replace(hour=9)
    action = PreventiveAction.propose(at=at, note="Workshop", **fields)
    for _ in range(rng.choice([0, 1, 2, 3, 3, 4, 5])):
        choices = TRANSITIONS[action.status]
        if not choices:
            break
        # Mostly forward along the lifecycle; now and then one is cancelled.
        onward = [c for c in choices if c is not ActionStatus.CANCELLED]
        to = rng.choice(onward) if onward and rng.random() < 0.93 else ActionStatus.CANCELLED
        at += timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8))
        if to is ActionStatus.VERIFIED_EFFECTIVE:
            action.measured_result = "0 this quarter"
        note = "Reviewed" if to in NOTE_REQUIRED else ""
        action.change_status(to, at=at, note=note, early="the quarter's audit came early")
    return action


def big_incidents(
    *, incidents: int = 200, causes: int = 20_000, actions: int = 5_000, seed: int = 1
) -> list[Incident]:
    """The incidents of :func:`build_big_workspace`, in memory."""
    rng = random.Random(seed)
    out = []
    for n in range(incidents):
        # Spread the totals evenly, the remainder on the first incidents.
        n_causes = causes // incidents + (n < causes % incidents)
        n_actions = actions // incidents + (n < actions % incidents)
        graph = _graph(rng, n_causes)
        incident = Incident(
            title=f"Incident {n + 1}: {_sentence(rng)}",
            graph=graph,
            occurred_at=datetime.combine(BASE_DAY, datetime.min.time())
            - timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 1439)),
            affected=f"Client {rng.randint(1, 40)}",
            severity=rng.choice(list(Severity)),
            status=rng.choice(list(IncidentStatus)),
            description=f"{_sentence(rng)}; {_sentence(rng)}.",
            uid=_uid(rng),
        )
        roots = graph.root_causes()
        for k in range(n_actions):
            incident.add_action(_action(rng, roots, k))
        out.append(incident)
    return out


def build_big_workspace(
    path: Path,
    *,
    incidents: int = 200,
    causes: int = 20_000,
    actions: int = 5_000,
    seed: int = 1,
) -> BigWorkspace:
    """Write the synthetic workspace to ``path`` (which must not exist yet)."""
    if path.exists():
        raise FileExistsError(path)
    made = big_incidents(incidents=incidents, causes=causes, actions=actions, seed=seed)
    with Workspace.open(path) as workspace:
        workspace.add_incidents(made)
    return BigWorkspace(
        path=path,
        incidents=len(made),
        causes=sum(len(i.graph) for i in made),
        actions=sum(len(i.actions) for i in made),
        links=sum(len(i.graph.links()) for i in made),
    )
