"""JSON round trips are lossless, for every incident the model can hold.

Random incidents (cause trees of any shape, links, categories, evidence, actions in every
lifecycle state with their history) go out to JSON, into a workspace and out again; the
two exports must be the same text.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rca_desk.interchange.json_format import dumps, import_incidents, loads
from rca_desk.model import (
    HEAD,
    NOTE_REQUIRED,
    TRANSITIONS,
    ActionStatus,
    CauseGraph,
    Evidence,
    Impact,
    Incident,
    IncidentStatus,
    PreventiveAction,
    RuleError,
    Severity,
    Strength,
)
from rca_desk.model.categories import MAX_CATEGORY_LENGTH
from rca_desk.store import Workspace
from rca_desk.store.schema import TABLES

# ------------------------------------------------------------------ strategies
# Everything is drawn (uids included), so a failing example replays exactly. Incidents are
# made through the model's own methods (add_cause, add_link, change_status), so each one is
# an incident a person could have made in the app.
ID_PART = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-",
    min_size=1,
    max_size=12,
)

#: Any text a person could type, newlines and far-away planes included; never empty.
texts = st.text(min_size=1, max_size=60).map(lambda text: text if text.strip() else f"why{text}")
#: Free text fields, often empty.
notes = st.one_of(st.just(""), st.text(max_size=80))

category_names = st.text(min_size=1, max_size=MAX_CATEGORY_LENGTH).map(
    lambda name: " ".join(name.split()) or "Other"
)

#: Fixed UTC offsets, whole minutes as people and ISO 8601 write them.
offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.one_of(st.none(), offsets),
)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))


@st.composite
def cause_graphs(draw: st.DrawFn, max_causes: int = 25) -> CauseGraph:
    categories = draw(st.lists(category_names, min_size=1, max_size=6, unique=True))
    graph = CauseGraph(problem=draw(texts), categories=categories)
    nodes = [HEAD]
    for n in range(draw(st.integers(0, max_causes))):
        cause_id = graph.add_cause(
            draw(st.sampled_from(nodes)),
            text=draw(texts),
            category=draw(st.one_of(st.none(), st.sampled_from(categories))),
            evidence=draw(st.sampled_from(Evidence)),
            evidence_note=draw(notes),
            root_cause=draw(st.booleans()),
            cause_id=f"{draw(ID_PART)}-{n}",
            index=draw(st.one_of(st.none(), st.integers(0, 4))),
        )
        nodes.append(cause_id)
    if len(nodes) > 2:
        for _ in range(draw(st.integers(0, 6))):
            effect = draw(st.sampled_from(nodes))
            cause = draw(st.sampled_from(nodes[1:]))
            # A cycle, a duplicate, or a cause linked to itself is refused, as in the app.
            with contextlib.suppress(RuleError):
                graph.add_link(effect, cause)
    return graph


@st.composite
def actions(draw: st.DrawFn, roots: list[str], uid: str) -> PreventiveAction:
    # Half of the actions are complete enough to be committed (owner, dates, measure);
    # the rest can only stay proposed or be cancelled.
    committable = draw(st.booleans())
    due = draw(days) if committable else draw(st.one_of(st.none(), days))
    verify_on = (
        due + timedelta(days=draw(st.sampled_from([0, 30, 60, 90, 400])))
        if due is not None and (committable or draw(st.booleans()))
        else None
    )
    fields = {
        "title": draw(texts),
        "root_causes": draw(st.lists(st.sampled_from(roots), min_size=1, max_size=3, unique=True)),
        "owner": draw(texts if committable else notes),
        "due": due,
        "verify_on": verify_on,
        "strength": draw(st.sampled_from(Strength)),
        "metric": draw(texts if committable else notes),
        "target": draw(texts if committable else notes),
        "notes": draw(notes),
        "uid": uid,
    }
    how = draw(st.sampled_from(["proposed", "no history", "set directly"]))
    if how == "set directly":
        # As an older file or another tool might have it: a status with no history.
        try:
            return PreventiveAction(status=draw(st.sampled_from(ActionStatus)), **fields)
        except RuleError:
            how = "no history"
    if how == "proposed":
        action = PreventiveAction.propose(at=draw(moments), note=draw(notes), **fields)
    else:
        action = PreventiveAction(**fields)
    for _ in range(draw(st.integers(0, 7))):
        choices = TRANSITIONS[action.status]
        if not choices:
            break
        to = draw(st.sampled_from(choices))
        note = draw(texts) if to in NOTE_REQUIRED else draw(notes)
        try:
            action.change_status(to, at=draw(moments), note=note)
        except RuleError:
            break  # not committable (no owner, dates or measure): it stays where it is
    return action


@st.composite
def incidents(draw: st.DrawFn, key: str = "i", max_causes: int = 25) -> Incident:
    """One incident; ``key`` makes its uid and its actions' uids unique in a document."""
    graph = draw(cause_graphs(max_causes=max_causes))
    incident = Incident(
        title=draw(texts),
        graph=graph,
        occurred_at=draw(st.one_of(st.none(), moments)),
        affected=draw(notes),
        severity=draw(st.sampled_from(Severity)),
        status=draw(st.sampled_from(IncidentStatus)),
        description=draw(notes),
        impact=Impact(
            operational=draw(notes),
            financial=draw(notes),
            reputational=draw(notes),
            compliance=draw(notes),
        ),
        containment=draw(notes),
        whys_depth=draw(st.integers(1, 20)),
        uid=f"{draw(ID_PART)}.{key}",
    )
    roots = graph.root_causes()
    if roots:
        for n in range(draw(st.integers(0, 4))):
            incident.add_action(draw(actions(roots, uid=f"{draw(ID_PART)}.{key}.a{n}")))
    return incident


@st.composite
def incident_lists(draw: st.DrawFn, max_size: int = 3) -> list[Incident]:
    count = draw(st.integers(0, max_size))
    return [draw(incidents(key=f"i{n}")) for n in range(count)]


# ------------------------------------------------------------------ the properties
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=incident_lists())
def test_export_import_export_is_identical(workspace: Workspace, document: list[Incident]) -> None:
    """Lossless: whatever the model can hold, the file and the workspace hold exactly."""
    exported = dumps(document)
    parsed = loads(exported.encode("utf-8"), source="round-trip")
    assert dumps(parsed) == exported
    assert [i.uid for i in parsed] == [i.uid for i in document]

    ids = import_incidents(workspace, loads(exported), source="round-trip")
    assert len(ids) == len(document)
    assert dumps(workspace.load(incident_id) for incident_id in ids) == exported

    # The same workspace serves the next example: deleting must leave no row behind.
    for incident_id in ids:
        workspace.delete_incident(incident_id)
    assert workspace.content() == {table: [] for table in TABLES}


def test_the_strategy_reaches_the_interesting_cases() -> None:
    """Guard against a strategy that quietly stopped producing links, history or states."""
    seen_statuses: set[ActionStatus] = set()
    seen = {"links": False, "deep": False, "history": False, "tz": False}

    @settings(max_examples=100, deadline=None, database=None, derandomize=True)
    @given(incidents())
    def collect(incident: Incident) -> None:
        graph = incident.graph
        seen["links"] |= bool(graph.links())
        seen["deep"] |= any(graph.depth(c) >= 4 for c in graph.cause_ids())
        seen["history"] |= any(len(a.history) >= 3 for a in incident.actions)
        seen["tz"] |= incident.occurred_at is not None and incident.occurred_at.tzinfo is not None
        seen_statuses.update(a.status for a in incident.actions)

    collect()
    assert all(seen.values()), seen
    assert seen_statuses >= {ActionStatus.PROPOSED, ActionStatus.COMMITTED, ActionStatus.CANCELLED}
