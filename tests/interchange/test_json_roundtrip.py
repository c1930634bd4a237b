"""JSON round trips are lossless, checked field by field against what went in.

Both directions compare with the input, never with a second export:

* model -> JSON -> model (and on into a workspace and back): random incidents (cause trees
  of any shape, links, categories, evidence, actions in every lifecycle state with their
  history) come back with every field of the incident, of each cause (and where it hangs,
  in which sibling order), every link and every action with its whole history equal to the
  generated incident;
* JSON -> model: random documents, causes in any order, are read into incidents whose
  every value is the one the document holds.

The checks are themselves checked: an exporter that drops any field it writes, and an
importer that ignores any field, each make them fail.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from rca_desk.interchange import json_format
from rca_desk.interchange.json_format import (
    ImportRefusedError,
    dumps,
    import_incidents,
    incident_to_dict,
    loads,
    to_document,
)
from rca_desk.model import (
    HEAD,
    NOTE_REQUIRED,
    ActionStatus,
    Cadence,
    Cause,
    CauseGraph,
    Channel,
    CheckIn,
    Evidence,
    Impact,
    Incident,
    IncidentStatus,
    Participant,
    PreventiveAction,
    RuleError,
    Severity,
    StatusChange,
    Strength,
    TimelineEvent,
)
from rca_desk.model.agenda import (
    DEFAULT_AGENDA,
    MAX_MINUTES,
    MAX_STEP_NAME,
    MIN_MINUTES,
    AgendaStep,
    agenda_data,
)
from rca_desk.model.categories import MAX_CATEGORY_LENGTH
from rca_desk.model.follow_ups import MAX_PER_PHASE
from rca_desk.model.recovery import (
    MAX_STREAK,
    Apology,
    Confidence,
    Direction,
    MeasureValue,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
)
from rca_desk.store import Workspace
from rca_desk.store.schema import TABLES
from tests.conftest import MUTATION_RUN
from tests.typeable import typed_characters

#: A file that leaves ``agenda`` out means the default agenda.
DEFAULT_STEPS = agenda_data(DEFAULT_AGENDA)

# ------------------------------------------------------------------ strategies
S = ActionStatus
# Everything is drawn (uids included), so a failing example replays exactly. Incidents are
# made through the model's own methods (add_cause, add_link, change_status), so each one is
# an incident a person could have made in the app.
ID_PART = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-",
    min_size=1,
    max_size=12,
)

#: Any text a person could type, newlines and far-away planes included; never empty.
texts = st.text(typed_characters, min_size=1, max_size=60).map(
    lambda text: text if text.strip() else f"why{text}"
)
#: Free text fields, often empty.
notes = st.one_of(st.just(""), st.text(typed_characters, max_size=80))

category_names = st.text(typed_characters, min_size=1, max_size=MAX_CATEGORY_LENGTH).map(
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
#: The clock the generated files are read against: after every moment drawn (up to
#: 2100 and seven steps of at most 400 days).
NOW = datetime(2200, 1, 1, tzinfo=UTC)


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
    # Only what the app itself can make: a proposal, or an action made through the
    # lifecycle from its creation entry, each step later than the one before (an action
    # with no history stays proposed: any other status needs its history).
    if not draw(st.booleans()):
        return PreventiveAction(**fields)
    at = draw(moments)
    action = PreventiveAction.propose(at=at, note=draw(notes), **fields)
    for to in draw(paths()):
        note = draw(texts) if to in NOTE_REQUIRED else draw(notes)
        at = draw(later_than(at))
        if to is ActionStatus.VERIFIED_EFFECTIVE and not action.measured_result:
            action.measured_result = draw(texts)
        try:
            action.change_status(to, at=at, note=note, early=draw(texts))
        except RuleError:
            break  # not committable (no owner, dates or measure): it stays where it is
    return action


@st.composite
def paths(draw: st.DrawFn) -> list[ActionStatus]:
    """The moves after the creation entry to a status drawn evenly from all of them, so
    every status is where some action ends; a rework loop (implemented, not effective, in
    progress again) now and then on the way."""
    target = draw(st.sampled_from(S))
    work = [S.COMMITTED, S.IN_PROGRESS]
    if draw(st.booleans()):
        work += [S.IMPLEMENTED, S.NOT_EFFECTIVE, S.IN_PROGRESS]
    ends: dict[ActionStatus, list[ActionStatus]] = {
        S.PROPOSED: [],
        S.COMMITTED: [S.COMMITTED],
        S.IN_PROGRESS: work,
        S.IMPLEMENTED: [*work, S.IMPLEMENTED],
        S.VERIFIED_EFFECTIVE: [*work, S.IMPLEMENTED, S.VERIFIED_EFFECTIVE],
        S.NOT_EFFECTIVE: [*work, S.IMPLEMENTED, S.NOT_EFFECTIVE],
        S.CANCELLED: [*[*work, S.IMPLEMENTED][: draw(st.integers(0, len(work) + 1))], S.CANCELLED],
    }
    return ends[target]


@st.composite
def later_than(draw: st.DrawFn, before: datetime) -> datetime:
    """A time after ``before``, with or without a zone; never earlier on the wall clock
    when only one of the two has a zone (how the lifecycle compares those)."""
    moment = before + draw(st.timedeltas(timedelta(0), timedelta(days=400)))
    zone = draw(st.one_of(st.none(), offsets))
    if zone is None:
        return moment.replace(tzinfo=None)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


#: Agendas of one to five steps, each named (one line, as the model keeps it).
agendas = st.lists(
    st.builds(
        AgendaStep,
        st.text(st.characters(categories=("L", "N", "Zs")), min_size=1, max_size=MAX_STEP_NAME)
        .map(lambda name: " ".join(name.split()))
        .filter(bool),
        st.integers(MIN_MINUTES, MAX_MINUTES),
    ),
    min_size=1,
    max_size=5,
).map(tuple)


#: Short texts kept on one line (a source, a name, a role, who spoke), often empty.
lines = st.text(typed_characters, max_size=60)
#: A cadence of any counts the model allows.
cadences = st.builds(
    Cadence, *(st.integers(0, MAX_PER_PHASE) for _ in ("weekly", "fortnightly", "quarterly"))
)


@st.composite
def follow_up_days(draw: st.DrawFn) -> dict[str, date | None]:
    """The day of resolution and the review meeting, each maybe unset; the meeting never
    before the resolution (the model refuses that)."""
    resolved = draw(st.one_of(st.none(), days))
    review = draw(st.one_of(st.none(), days if resolved is None else st.just(resolved)))
    if resolved is not None and review is not None:
        review += timedelta(days=draw(st.integers(0, 90)))
    return {"resolved_at": resolved, "review_meeting": review}


def draw_record(draw: st.DrawFn, incident: Incident, key: str) -> None:
    """The incident's timeline, participants and check-ins, a few of each, ids unique."""
    for n in range(draw(st.integers(0, 3))):
        event = TimelineEvent(f"t{n}.{key}", draw(moments), draw(texts), draw(lines))
        incident.put_record("timeline", event)
    for n in range(draw(st.integers(0, 3))):
        incident.put_record("participants", Participant(f"p{n}.{key}", draw(texts), draw(lines)))
    for n in range(draw(st.integers(0, 3))):
        check_in = CheckIn(
            f"k{n}.{key}",
            draw(days),
            draw(st.one_of(st.none(), days)),
            draw(st.sampled_from(Channel)),
            draw(lines),
            draw(lines),
            draw(notes),
        )
        incident.put_record("check_ins", check_in)
    draw_recovery(draw, incident, key)


amounts = st.decimals(min_value="0.01", max_value="1000000", places=2)
numbers = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


def draw_recovery(draw: st.DrawFn, incident: Incident, key: str) -> None:
    """The client's recovery (issue 16), drawn last: the apology, the streak, a few offers
    and measures, and values and ratings at some of the drawn check-ins."""
    incident.update_fields(
        apology=Apology(
            draw(st.one_of(st.none(), days)),
            draw(lines),
            draw(lines),
            draw(st.sampled_from(Channel)),
        ),
        restore_streak=draw(st.integers(1, MAX_STREAK)),
    )
    for n in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(RestitutionKind))
        credit = kind is RestitutionKind.CREDIT
        offer = Restitution(
            f"r{n}.{key}",
            kind,
            draw(days),
            draw(st.sampled_from(OfferStatus)),
            draw(amounts) if credit else None,
            draw(st.sampled_from(["EUR", "USD", "GBP"])) if credit else "",
            draw(lines),
        )
        incident.put_record("restitution", offer)
    for n in range(draw(st.integers(0, 2))):
        measure = TrustMeasure(
            f"m{n}.{key}", draw(texts), draw(lines), draw(numbers), draw(st.sampled_from(Direction))
        )
        incident.put_record("measures", measure)
    for check_in in incident.check_ins:
        for measure in incident.measures:
            if draw(st.booleans()):
                incident.put_record(
                    "measure_values", MeasureValue(check_in.id, measure.id, draw(numbers))
                )
        if draw(st.booleans()):
            incident.put_record(
                "confidence", Confidence(check_in.id, draw(st.integers(1, 5)), draw(lines))
            )


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
    for n in range(draw(st.integers(0, 3))):
        incident.park(draw(texts), idea_id=f"p{n}.{key}")
    incident.update_fields(agenda=draw(agendas))
    # The record last: what is drawn before it is drawn as without it.
    incident.update_fields(lessons=draw(notes), cadence=draw(cadences), **draw(follow_up_days()))
    draw_record(draw, incident, key)
    return incident


@st.composite
def incident_lists(draw: st.DrawFn, max_size: int = 3) -> list[Incident]:
    count = draw(st.integers(0, max_size))
    return [draw(incidents(key=f"i{n}")) for n in range(count)]


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A document as another tool might write it: causes and links in any order."""
    document = document_of(draw(incident_lists()))
    for raw in document["incidents"]:
        raw["causes"] = draw(st.permutations(raw["causes"]))
        raw["links"] = draw(st.permutations(raw["links"]))
    return document


# ------------------------------------------------------------------ the checks
#: Every field of the model that a file carries; the graph, actions and the workspace's
#: own short ids (``Incident.id``, ``PreventiveAction.number``) are checked separately or
#: not at all. ``test_the_checks_cover_every_model_field`` keeps these lists complete.
INCIDENT_FIELDS = (
    "uid", "title", "occurred_at", "affected", "severity", "status", "description",
    "impact", "containment", "whys_depth", "agenda", "lessons", "resolved_at",
    "review_meeting", "cadence", "apology", "restore_streak",
)  # fmt: skip
APOLOGY_FIELDS = ("on", "by", "to", "channel")
#: Each kind of the incident's records (its list) and the fields a file carries, in order.
RECORD_FIELDS = {
    "timeline": ("id", "at", "what", "source"),
    "participants": ("id", "name", "role"),
    "check_ins": ("id", "planned", "held", "channel", "ours", "theirs", "summary"),
    "restitution": ("id", "kind", "offered_on", "status", "amount", "currency", "note"),
    "measures": ("id", "name", "unit", "target", "direction"),
    "measure_values": ("check_in_id", "measure_id", "value"),
    "confidence": ("check_in_id", "score", "words"),
}
IMPACT_FIELDS = ("operational", "financial", "reputational", "compliance")
CAUSE_FIELDS = ("text", "category", "evidence", "evidence_note", "root_cause", "stop_reason")
ACTION_FIELDS = (
    "uid", "title", "root_causes", "owner", "due", "strength", "metric", "target",
    "measured_result", "verify_on", "notes", "status",
)  # fmt: skip
CHANGE_FIELDS = ("at", "from_status", "to_status", "note")


def _same(got: Any, want: Any, place: str) -> None:
    """Equal, and for date-times also the same offset (or both naive)."""
    assert got == want, f"{place}: {got!r} != {want!r}"
    if isinstance(want, datetime):
        assert isinstance(got, datetime), place
        assert (got.tzinfo is None) == (want.tzinfo is None), f"{place}: {got!r} != {want!r}"
        assert got.utcoffset() == want.utcoffset(), f"{place}: {got!r} != {want!r}"


#: Fields the workspace does not store yet (the JSON format does): its schema gains them
#: with the store migration of issue 11. Only the workspace leg leaves them out.
NOT_STORED_YET = ("measured_result",)


def assert_same_incidents(
    got: list[Incident], want: list[Incident], *, skip: tuple[str, ...] = ()
) -> None:
    """``got`` holds every field of ``want`` (but ``skip``), incident by incident."""
    assert [i.uid for i in got] == [i.uid for i in want]
    for incident, expected in zip(got, want, strict=True):
        place = f"incident {expected.uid}"
        for name in INCIDENT_FIELDS:
            if name == "impact":
                for part in IMPACT_FIELDS:
                    _same(
                        getattr(incident.impact, part),
                        getattr(expected.impact, part),
                        f"{place}.impact.{part}",
                    )
            else:
                _same(getattr(incident, name), getattr(expected, name), f"{place}.{name}")
        graph, expected_graph = incident.graph, expected.graph
        _same(graph.problem, expected_graph.problem, f"{place}.problem")
        _same(graph.categories, expected_graph.categories, f"{place}.categories")
        # Parents before children, siblings in order: the whole tree's shape.
        _same(list(graph.cause_ids()), list(expected_graph.cause_ids()), f"{place} cause order")
        _same(list(graph.children(HEAD)), list(expected_graph.children(HEAD)), f"{place} top")
        for cause_id in expected_graph.cause_ids():
            cause, expected_cause = graph.cause(cause_id), expected_graph.cause(cause_id)
            for name in CAUSE_FIELDS:
                _same(getattr(cause, name), getattr(expected_cause, name), f"{cause_id}.{name}")
            _same(graph.parent(cause_id), expected_graph.parent(cause_id), f"{cause_id}.parent")
            _same(
                list(graph.children(cause_id)),
                list(expected_graph.children(cause_id)),
                f"{cause_id} children",
            )
        _same(sorted(graph.links()), sorted(expected_graph.links()), f"{place}.links")
        _same(incident.parking, expected.parking, f"{place}.parking")
        for kind, names in RECORD_FIELDS.items():
            records, expected_records = incident.records(kind), expected.records(kind)
            _same(len(records), len(expected_records), f"{place} number of {kind}")
            for n, (record, expected_record) in enumerate(
                zip(records, expected_records, strict=True)
            ):
                for name in names:
                    _same(
                        getattr(record, name),
                        getattr(expected_record, name),
                        f"{place}.{kind}[{n}].{name}",
                    )
        _same(len(incident.actions), len(expected.actions), f"{place} number of actions")
        for action, expected_action in zip(incident.actions, expected.actions, strict=True):
            action_place = f"action {expected_action.uid}"
            for name in (name for name in ACTION_FIELDS if name not in skip):
                _same(
                    getattr(action, name),
                    getattr(expected_action, name),
                    f"{action_place}.{name}",
                )
            _same(len(action.history), len(expected_action.history), f"{action_place} history")
            for n, (change, expected_change) in enumerate(
                zip(action.history, expected_action.history, strict=True)
            ):
                for name in CHANGE_FIELDS:
                    _same(
                        getattr(change, name),
                        getattr(expected_change, name),
                        f"{action_place}.history[{n}].{name}",
                    )


def assert_round_trip(document: list[Incident]) -> list[Incident]:
    """Export, import, and check the result against ``document`` field by field."""
    exported = dumps(document)
    try:
        parsed = loads(exported.encode("utf-8"), source="round-trip", now=NOW)
    except ImportRefusedError as error:
        raise AssertionError(f"the export does not import: {error}") from error
    assert_same_incidents(parsed, document)
    return parsed


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _as_written(value: object) -> object:
    """A record's value as the format writes it: dates in ISO 8601, a choice its name, an
    amount as decimal text."""
    if isinstance(value, date):  # (a datetime too)
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value.value if isinstance(value, Enum) else value


def assert_reads_as_written(parsed: list[Incident], document: dict[str, Any]) -> None:
    """Every value of the decoded ``document`` is in ``parsed``, where the format says."""
    raws = document["incidents"]
    assert [i.uid for i in parsed] == [raw["uid"] for raw in raws]
    for incident, raw in zip(parsed, raws, strict=True):
        place = f"incident {raw['uid']}"
        _same(incident.title, raw["title"], f"{place}.title")
        _same(_iso(incident.occurred_at), raw["occurred_at"], f"{place}.occurred_at")
        _same(incident.affected, raw["affected"], f"{place}.affected")
        _same(incident.severity.value, raw["severity"], f"{place}.severity")
        _same(incident.status.value, raw["status"], f"{place}.status")
        _same(incident.description, raw["description"], f"{place}.description")
        for part in IMPACT_FIELDS:
            _same(getattr(incident.impact, part), raw["impact"][part], f"{place}.impact.{part}")
        _same(incident.containment, raw["containment"], f"{place}.containment")
        _same(incident.whys_depth, raw["whys_depth"], f"{place}.whys_depth")
        _same(
            [(step.name, step.minutes) for step in incident.agenda],
            [(step["step"], step["minutes"]) for step in raw.get("agenda", DEFAULT_STEPS)],
            f"{place}.agenda",
        )
        _same(incident.lessons, raw["lessons"], f"{place}.lessons")
        _same(_iso(incident.resolved_at), raw["resolved_at"], f"{place}.resolved_at")
        _same(_iso(incident.review_meeting), raw["review_meeting"], f"{place}.review_meeting")
        _same(
            (incident.cadence.weekly, incident.cadence.fortnightly, incident.cadence.quarterly),
            (raw["cadence"]["weekly"], raw["cadence"]["fortnightly"], raw["cadence"]["quarterly"]),
            f"{place}.cadence",
        )
        _same(
            [_as_written(getattr(incident.apology, name)) for name in APOLOGY_FIELDS],
            [raw["apology"][name] for name in APOLOGY_FIELDS],
            f"{place}.apology",
        )
        _same(incident.restore_streak, raw["restore_streak"], f"{place}.restore_streak")
        for kind, names in RECORD_FIELDS.items():
            _same(
                [[_as_written(getattr(r, name)) for name in names] for r in incident.records(kind)],
                [[item[name] for name in names] for item in raw.get(kind, [])],
                f"{place}.{kind}",
            )
        graph = incident.graph
        _same(graph.categories, raw["categories"], f"{place}.categories")
        _same(graph.problem, raw["problem"], f"{place}.problem")
        _same(len(graph), len(raw["causes"]), f"{place} number of causes")
        for cause in raw["causes"]:
            cause_place = f"{place}.causes[{cause['id']}]"
            assert cause["id"] in graph, cause_place
            read = graph.cause(cause["id"])
            _same(graph.parent(cause["id"]), cause["parent"], f"{cause_place}.parent")
            _same(read.text, cause["text"], f"{cause_place}.text")
            _same(read.category, cause["category"], f"{cause_place}.category")
            _same(read.evidence.value, cause["evidence"], f"{cause_place}.evidence")
            _same(read.evidence_note, cause["evidence_note"], f"{cause_place}.evidence_note")
            _same(read.root_cause, cause["root_cause"], f"{cause_place}.root_cause")
            _same(read.stop_reason, cause["stop_reason"], f"{cause_place}.stop_reason")
        # Sibling order is the order in the file, wherever the parent is listed.
        for parent in [HEAD, *(cause["id"] for cause in raw["causes"])]:
            in_file = [cause["id"] for cause in raw["causes"] if cause["parent"] == parent]
            _same(list(graph.children(parent)), in_file, f"{place} children of {parent}")
        _same(
            sorted(graph.links()),
            sorted((link["effect"], link["cause"]) for link in raw["links"]),
            f"{place}.links",
        )
        _same(
            [(kept.id, kept.text) for kept in incident.parking],
            [(kept["id"], kept["text"]) for kept in raw.get("parking", [])],
            f"{place}.parking",
        )
        _same(len(incident.actions), len(raw["actions"]), f"{place} number of actions")
        for action, raw_action in zip(incident.actions, raw["actions"], strict=True):
            action_place = f"action {raw_action['uid']}"
            _same(action.uid, raw_action["uid"], f"{action_place}.uid")
            _same(action.title, raw_action["title"], f"{action_place}.title")
            _same(action.root_causes, raw_action["root_causes"], f"{action_place}.root_causes")
            _same(action.owner, raw_action["owner"], f"{action_place}.owner")
            _same(_iso(action.due), raw_action["due"], f"{action_place}.due")
            _same(action.strength.value, raw_action["strength"], f"{action_place}.strength")
            _same(action.metric, raw_action["metric"], f"{action_place}.metric")
            _same(action.target, raw_action["target"], f"{action_place}.target")
            _same(
                action.measured_result,
                raw_action["measured_result"],
                f"{action_place}.measured_result",
            )
            _same(_iso(action.verify_on), raw_action["verify_on"], f"{action_place}.verify_on")
            _same(action.notes, raw_action["notes"], f"{action_place}.notes")
            _same(action.status.value, raw_action["status"], f"{action_place}.status")
            _same(len(action.history), len(raw_action["history"]), f"{action_place} history")
            for n, (change, raw_change) in enumerate(
                zip(action.history, raw_action["history"], strict=True)
            ):
                change_place = f"{action_place}.history[{n}]"
                _same(change.at.isoformat(), raw_change["at"], f"{change_place}.at")
                _same(
                    None if change.from_status is None else change.from_status.value,
                    raw_change["from"],
                    f"{change_place}.from",
                )
                _same(change.to_status.value, raw_change["to"], f"{change_place}.to")
                _same(change.note, raw_change["note"], f"{change_place}.note")


def assert_imports_as_written(document: dict[str, Any]) -> list[Incident]:
    try:
        parsed = loads(json.dumps(document), source="document", now=NOW)
    except ImportRefusedError as error:
        raise AssertionError(f"the document does not import: {error}") from error
    assert_reads_as_written(parsed, document)
    return parsed


# ------------------------------------------------------------ a writer of our own
def _header() -> dict[str, Any]:
    """The format and version keys as this rca-desk writes them, whatever the version is."""
    return {key: value for key, value in to_document([]).items() if key != "incidents"}


def document_of(incidents: list[Incident]) -> dict[str, Any]:
    """The documented format (docs/json-format.md), written here without the exporter."""
    return {
        **_header(),
        "incidents": [
            {
                "uid": incident.uid,
                "title": incident.title,
                "occurred_at": _iso(incident.occurred_at),
                "affected": incident.affected,
                "severity": incident.severity.value,
                "status": incident.status.value,
                "description": incident.description,
                "impact": {part: getattr(incident.impact, part) for part in IMPACT_FIELDS},
                "containment": incident.containment,
                "whys_depth": incident.whys_depth,
                "agenda": [{"step": s.name, "minutes": s.minutes} for s in incident.agenda],
                "lessons": incident.lessons,
                "resolved_at": _iso(incident.resolved_at),
                "review_meeting": _iso(incident.review_meeting),
                "cadence": {
                    "weekly": incident.cadence.weekly,
                    "fortnightly": incident.cadence.fortnightly,
                    "quarterly": incident.cadence.quarterly,
                },
                "categories": list(incident.graph.categories),
                "problem": incident.graph.problem,
                "causes": [
                    {
                        "id": cause_id,
                        "parent": incident.graph.parent(cause_id),
                        "text": incident.graph.cause(cause_id).text,
                        "category": incident.graph.cause(cause_id).category,
                        "evidence": incident.graph.cause(cause_id).evidence.value,
                        "evidence_note": incident.graph.cause(cause_id).evidence_note,
                        "root_cause": incident.graph.cause(cause_id).root_cause,
                        "stop_reason": incident.graph.cause(cause_id).stop_reason,
                    }
                    for cause_id in incident.graph.cause_ids()
                ],
                "links": [{"effect": e, "cause": c} for e, c in incident.graph.links()],
                "actions": [
                    {
                        "uid": action.uid,
                        "title": action.title,
                        "root_causes": list(action.root_causes),
                        "owner": action.owner,
                        "due": _iso(action.due),
                        "strength": action.strength.value,
                        "metric": action.metric,
                        "target": action.target,
                        "measured_result": action.measured_result,
                        "verify_on": _iso(action.verify_on),
                        "notes": action.notes,
                        "status": action.status.value,
                        "history": [
                            {
                                "at": change.at.isoformat(),
                                "from": None
                                if change.from_status is None
                                else change.from_status.value,
                                "to": change.to_status.value,
                                "note": change.note,
                            }
                            for change in action.history
                        ],
                    }
                    for action in incident.actions
                ],
                "parking": [{"id": kept.id, "text": kept.text} for kept in incident.parking],
                "timeline": [
                    {"id": e.id, "at": e.at.isoformat(), "what": e.what, "source": e.source}
                    for e in incident.timeline
                ],
                "participants": [
                    {"id": p.id, "name": p.name, "role": p.role} for p in incident.participants
                ],
                "check_ins": [
                    {
                        "id": c.id,
                        "planned": c.planned.isoformat(),
                        "held": _iso(c.held),
                        "channel": c.channel.value,
                        "ours": c.ours,
                        "theirs": c.theirs,
                        "summary": c.summary,
                    }
                    for c in incident.check_ins
                ],
                "apology": {
                    "on": _iso(incident.apology.on),
                    "by": incident.apology.by,
                    "to": incident.apology.to,
                    "channel": incident.apology.channel.value,
                },
                "restore_streak": incident.restore_streak,
                "restitution": [
                    {
                        "id": r.id,
                        "kind": r.kind.value,
                        "offered_on": r.offered_on.isoformat(),
                        "status": r.status.value,
                        "amount": None if r.amount is None else str(r.amount),
                        "currency": r.currency,
                        "note": r.note,
                    }
                    for r in incident.restitution
                ],
                "measures": [
                    {
                        "id": m.id,
                        "name": m.name,
                        "unit": m.unit,
                        "target": m.target,
                        "direction": m.direction.value,
                    }
                    for m in incident.measures
                ],
                "measure_values": [
                    {"check_in_id": v.check_in_id, "measure_id": v.measure_id, "value": v.value}
                    for v in incident.measure_values
                ],
                "confidence": [
                    {"check_in_id": c.check_in_id, "score": c.score, "words": c.words}
                    for c in incident.confidence
                ],
            }
            for incident in incidents
        ],
    }


# ------------------------------------------------------------------ the properties
ROUND_TRIP = settings(
    max_examples=10 if MUTATION_RUN else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@ROUND_TRIP
@given(document=incident_lists())
def test_model_to_json_to_model_keeps_every_field(
    workspace: Workspace, document: list[Incident]
) -> None:
    """Lossless: whatever the model can hold, the file and the workspace hold exactly."""
    assert_round_trip(document)

    ids = import_incidents(workspace, loads(dumps(document), now=NOW), source="round-trip")
    assert len(ids) == len(document)
    assert_same_incidents(
        [workspace.load(incident_id) for incident_id in ids], document, skip=NOT_STORED_YET
    )

    # The same workspace serves the next example: deleting must leave no row behind.
    for incident_id in ids:
        workspace.delete_incident(incident_id)
    assert workspace.content() == {table: [] for table in TABLES}


@ROUND_TRIP
@given(document=documents())
def test_json_to_model_reads_every_value(document: dict[str, Any]) -> None:
    """Whatever order the causes and links come in, each value lands where it belongs."""
    assert_imports_as_written(document)


#: Each case a guard looks for, searched for on its own: up to 2,000 incidents, the same
#: ones every run, the first found kept as it is.
REACH = settings(
    max_examples=2000, deadline=None, database=None, derandomize=True, phases=[Phase.generate]
)


def assert_reaches(strategy: st.SearchStrategy[Incident], cases: dict[str, Any]) -> None:
    """``strategy`` makes, for each named case, an incident of which it holds."""
    for name, holds in cases.items():
        try:
            find(strategy, holds, settings=REACH)
        except NoSuchExample:
            pytest.fail(f"the strategy made no incident with {name} in 2,000 tries")


@pytest.mark.slow
def test_the_strategy_reaches_the_interesting_cases() -> None:
    """Guard against a strategy that quietly stopped producing links, history or states.

    Each case is looked for on its own. (Three hundred examples shared by all of them
    reached the rarest state only by luck, and lost it whenever any change moved
    hypothesis's examples: it also draws constants it finds in the package's code.)
    """
    statuses = (S.PROPOSED, S.COMMITTED, S.CANCELLED, S.VERIFIED_EFFECTIVE)
    assert_reaches(
        incidents(),
        {
            "links": lambda i: bool(i.graph.links()),
            "a chain four deep": lambda i: any(i.graph.depth(c) >= 4 for c in i.graph.cause_ids()),
            "a history of three": lambda i: any(len(a.history) >= 3 for a in i.actions),
            "a time zone": lambda i: i.occurred_at is not None and i.occurred_at.tzinfo is not None,
            **{
                f"an action {status.value}": lambda i, status=status: any(
                    a.status is status for a in i.actions
                )
                for status in statuses
            },
        },
    )


@pytest.mark.slow
def test_the_strategy_reaches_the_interesting_cases_of_the_record() -> None:
    """The same guard for the incident's record (issue 15)."""
    assert_reaches(
        incidents(max_causes=3),
        {
            "several events": lambda i: len(i.timeline) >= 2,
            "an event with a zone": lambda i: any(e.at.tzinfo is not None for e in i.timeline),
            "an event without": lambda i: any(e.at.tzinfo is None for e in i.timeline),
            "a held check-in": lambda i: any(c.held is not None for c in i.check_ins),
            "a planned one": lambda i: any(c.held is None for c in i.check_ins),
            "a review after the resolution": lambda i: (
                i.resolved_at is not None
                and i.review_meeting is not None
                and i.review_meeting > i.resolved_at
            ),
            "several participants": lambda i: len(i.participants) >= 2,
            "lessons": lambda i: bool(i.lessons),
            "a cadence of its own": lambda i: i.cadence != Cadence(),
        },
    )


def test_the_checks_cover_every_model_field() -> None:
    """A field added to the model must be added to the checks (and to the format)."""
    assert {f.name for f in fields(Incident)} == {
        *INCIDENT_FIELDS,
        "graph",
        "actions",
        "parking",
        *RECORD_FIELDS,
        "id",
        "revisions",
    }
    assert {f.name for f in fields(Cadence)} == {"weekly", "fortnightly", "quarterly"}
    for kind, record in {
        "timeline": TimelineEvent,
        "participants": Participant,
        "check_ins": CheckIn,
        "restitution": Restitution,
        "measures": TrustMeasure,
        "measure_values": MeasureValue,
        "confidence": Confidence,
    }.items():
        assert tuple(f.name for f in fields(record)) == RECORD_FIELDS[kind]
    assert tuple(f.name for f in fields(Apology)) == APOLOGY_FIELDS
    assert {f.name for f in fields(Impact)} == set(IMPACT_FIELDS)
    assert {f.name for f in fields(Cause)} == {"id", *CAUSE_FIELDS}
    assert {f.name for f in fields(PreventiveAction)} == {*ACTION_FIELDS, "history", "number"}
    assert {f.name for f in fields(StatusChange)} == set(CHANGE_FIELDS)


# ------------------------------------------------------------ checking the checks
def rich_incident() -> Incident:
    """One incident in which every field the file carries differs from its default."""
    graph = CauseGraph(
        problem="The client's quarter-end report lost a day",
        categories=["People", "Tools", "Checks"],
    )
    graph.add_cause(
        HEAD,
        cause_id="c1",
        text="A rushed update deleted part of the sales history",
        category="Tools",
        evidence=Evidence.VERIFIED,
        evidence_note="Seen in the audit log",
    )
    graph.add_cause(
        "c1",
        cause_id="c2",
        text="The migration had no dry run",
        category="Checks",
        evidence=Evidence.SUPPORTED,
        evidence_note="The runbook has no such step",
        root_cause=True,
    )
    # Added second but first among its siblings: sibling order is not insertion order.
    graph.add_cause(
        "c1",
        cause_id="c0",
        text="Nobody reviewed the script",
        category="People",
        evidence=Evidence.RULED_OUT,
        evidence_note="The review was done",
        root_cause=True,
        index=0,
    )
    graph.add_cause(
        HEAD,
        cause_id="c3",
        text="The restore took a day",
        category="Tools",
        stop_reason="Restore speed is the hosting provider's, outside our control",
    )
    graph.add_link("c3", "c2")
    incident = Incident(
        uid="rich-1",
        title="Quarter-end report delayed",
        graph=graph,
        occurred_at=datetime(2026, 9, 30, 17, 45, 12, 250000, tzinfo=timezone(timedelta(hours=2))),
        affected="Northwind Traders",
        severity=Severity.CRITICAL,
        status=IncidentStatus.MONITORING,
        description="Part of the sales history vanished during the update.",
        impact=Impact(
            operational="A day of reporting lost",
            financial="Service credit of 5%",
            reputational="Escalated to the client's CFO",
            compliance="Reported to the auditor",
        ),
        containment="History restored from the nightly backup",
        whys_depth=4,
    )
    action = PreventiveAction.propose(
        at=datetime(2026, 10, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5))),
        note="Agreed in the workshop",
        uid="rich-1.a0",
        title="Add a dry run to the migration runbook",
        root_causes=["c2", "c0"],
        owner="Priya Nair",
        due=date(2026, 11, 15),
        verify_on=date(2027, 1, 15),
        strength=Strength.STRONG,
        metric="Migrations without a dry run",
        target="0 per quarter",
        notes="Start with the billing migrations",
        measured_result="1 in the first month",
    )
    action.change_status(ActionStatus.COMMITTED, at=datetime(2026, 10, 2, 10, 0), note="Owned")
    action.change_status(ActionStatus.IN_PROGRESS, at=datetime(2026, 10, 9, 8, 5), note="Begun")
    incident.add_action(action)
    incident.park("Was the nightly export also affected?", idea_id="p1")
    incident.park("Ask the vendor about the script's defaults", idea_id="p2")
    incident.update_fields(
        agenda=(
            AgendaStep("Timeline", 15),
            AgendaStep("Fishbone", 30),
            AgendaStep("Actions and owners", 20),
        ),
        lessons="Dry-run every migration.\nRestore drills find runbook gaps.",
        resolved_at=date(2026, 10, 1),
        review_meeting=date(2026, 11, 12),
        cadence=Cadence(weekly=2, fortnightly=6, quarterly=3),
    )
    cet = timezone(timedelta(hours=2))
    incident.put_record(
        "timeline",
        TimelineEvent("t1", datetime(2026, 9, 30, 17, 45, tzinfo=cet), "History gone", "Audit log"),
    )
    incident.put_record(
        "timeline", TimelineEvent("t2", datetime(2026, 10, 1, 9, 0), "Restored", "Deploy log")
    )
    incident.put_record("participants", Participant("w1", "Priya Nair", "facilitator"))
    incident.put_record(
        "check_ins",
        CheckIn(
            "k1",
            date(2026, 10, 8),
            held=date(2026, 10, 9),
            channel=Channel.VIDEO,
            ours="Sam Whitfield",
            theirs="The client's CFO",
            summary="Reports are whole again; they want the dry run in writing.",
        ),
    )
    incident.put_record("check_ins", CheckIn("k2", date(2026, 10, 15)))
    incident.update_fields(
        apology=Apology(date(2026, 10, 1), "Sam Whitfield", "The client's CFO", Channel.MEETING),
        restore_streak=3,
    )
    incident.put_record(
        "restitution",
        Restitution(
            "r1",
            RestitutionKind.CREDIT,
            date(2026, 10, 2),
            OfferStatus.ACCEPTED,
            Decimal("6400.10"),
            "EUR",
            "A month's fee",
        ),
    )
    incident.put_record("measures", TrustMeasure("m1", "Reports on time", "%", 99.5))
    incident.put_record(
        "measures", TrustMeasure("m2", "Late reports", "per week", 1, Direction.LOWER)
    )
    incident.put_record("measure_values", MeasureValue("k1", "m1", 98.25))
    incident.put_record("measure_values", MeasureValue("k1", "m2", 2))
    incident.put_record("confidence", Confidence("k1", 2, "Better, but we are watching."))
    return incident


#: The same incident as a file would hold it, written out by hand.
RICH_INCIDENT: dict[str, Any] = {
    "uid": "rich-1",
    "title": "Quarter-end report delayed",
    "occurred_at": "2026-09-30T17:45:12.250000+02:00",
    "affected": "Northwind Traders",
    "severity": "critical",
    "status": "monitoring",
    "description": "Part of the sales history vanished during the update.",
    "impact": {
        "operational": "A day of reporting lost",
        "financial": "Service credit of 5%",
        "reputational": "Escalated to the client's CFO",
        "compliance": "Reported to the auditor",
    },
    "containment": "History restored from the nightly backup",
    "whys_depth": 4,
    "agenda": [
        {"step": "Timeline", "minutes": 15},
        {"step": "Fishbone", "minutes": 30},
        {"step": "Actions and owners", "minutes": 20},
    ],
    "lessons": "Dry-run every migration.\nRestore drills find runbook gaps.",
    "resolved_at": "2026-10-01",
    "review_meeting": "2026-11-12",
    "cadence": {"weekly": 2, "fortnightly": 6, "quarterly": 3},
    "categories": ["People", "Tools", "Checks"],
    "problem": "The client's quarter-end report lost a day",
    "causes": [
        {
            "id": "c1",
            "parent": "problem",
            "text": "A rushed update deleted part of the sales history",
            "category": "Tools",
            "evidence": "verified",
            "evidence_note": "Seen in the audit log",
            "root_cause": False,
            "stop_reason": "",
        },
        {
            "id": "c0",
            "parent": "c1",
            "text": "Nobody reviewed the script",
            "category": "People",
            "evidence": "ruled_out",
            "evidence_note": "The review was done",
            "root_cause": True,
            "stop_reason": "",
        },
        {
            "id": "c2",
            "parent": "c1",
            "text": "The migration had no dry run",
            "category": "Checks",
            "evidence": "supported",
            "evidence_note": "The runbook has no such step",
            "root_cause": True,
            "stop_reason": "",
        },
        {
            "id": "c3",
            "parent": "problem",
            "text": "The restore took a day",
            "category": "Tools",
            "evidence": "hypothesis",
            "evidence_note": "",
            "root_cause": False,
            "stop_reason": "Restore speed is the hosting provider's, outside our control",
        },
    ],
    "links": [{"effect": "c3", "cause": "c2"}],
    "actions": [
        {
            "uid": "rich-1.a0",
            "title": "Add a dry run to the migration runbook",
            "root_causes": ["c2", "c0"],
            "owner": "Priya Nair",
            "due": "2026-11-15",
            "strength": "strong",
            "metric": "Migrations without a dry run",
            "target": "0 per quarter",
            "measured_result": "1 in the first month",
            "verify_on": "2027-01-15",
            "notes": "Start with the billing migrations",
            "status": "in_progress",
            "history": [
                {
                    "at": "2026-10-01T09:30:00-05:00",
                    "from": None,
                    "to": "proposed",
                    "note": "Agreed in the workshop",
                },
                {
                    "at": "2026-10-02T10:00:00",
                    "from": "proposed",
                    "to": "committed",
                    "note": "Owned",
                },
                {
                    "at": "2026-10-09T08:05:00",
                    "from": "committed",
                    "to": "in_progress",
                    "note": "Begun",
                },
            ],
        }
    ],
    "parking": [
        {"id": "p1", "text": "Was the nightly export also affected?"},
        {"id": "p2", "text": "Ask the vendor about the script's defaults"},
    ],
    "timeline": [
        {
            "id": "t1",
            "at": "2026-09-30T17:45:00+02:00",
            "what": "History gone",
            "source": "Audit log",
        },
        {"id": "t2", "at": "2026-10-01T09:00:00", "what": "Restored", "source": "Deploy log"},
    ],
    "participants": [{"id": "w1", "name": "Priya Nair", "role": "facilitator"}],
    "check_ins": [
        {
            "id": "k1",
            "planned": "2026-10-08",
            "held": "2026-10-09",
            "channel": "video",
            "ours": "Sam Whitfield",
            "theirs": "The client's CFO",
            "summary": "Reports are whole again; they want the dry run in writing.",
        },
        {
            "id": "k2",
            "planned": "2026-10-15",
            "held": None,
            "channel": "call",
            "ours": "",
            "theirs": "",
            "summary": "",
        },
    ],
    "apology": {"on": "2026-10-01", "by": "Sam Whitfield", "to": "The client's CFO",
                "channel": "meeting"},
    "restore_streak": 3,
    "restitution": [
        {"id": "r1", "kind": "credit", "offered_on": "2026-10-02", "status": "accepted",
         "amount": "6400.10", "currency": "EUR", "note": "A month's fee"},
    ],
    "measures": [
        {"id": "m1", "name": "Reports on time", "unit": "%", "target": 99.5,
         "direction": "higher"},
        {"id": "m2", "name": "Late reports", "unit": "per week", "target": 1.0,
         "direction": "lower"},
    ],
    "measure_values": [
        {"check_in_id": "k1", "measure_id": "m1", "value": 98.25},
        {"check_in_id": "k1", "measure_id": "m2", "value": 2.0},
    ],
    "confidence": [{"check_in_id": "k1", "score": 2, "words": "Better, but we are watching."}],
}  # fmt: skip


def _field_paths(value: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every key in ``value`` as a path; ``*`` stands for each item of a list."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _field_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for item in value:
            yield from _field_paths(item, (*prefix, "*"))


def _drop(value: Any, path: tuple[str, ...]) -> None:
    """Remove the key at ``path`` from ``value`` (from every item where the path says ``*``)."""
    head, rest = path[0], path[1:]
    if head == "*":
        for item in value:
            _drop(item, rest)
    elif rest:
        _drop(value[head], rest)
    else:
        value.pop(head, None)


#: Every field the exporter writes for an incident, its causes, links, actions and history.
EXPORTED_FIELDS = list(dict.fromkeys(_field_paths(incident_to_dict(rich_incident()))))
WRITTEN_FIELDS = list(dict.fromkeys(_field_paths(RICH_INCIDENT)))


def _name(path: tuple[str, ...]) -> str:
    return ".".join(path)


def test_the_field_lists_are_complete() -> None:
    """The hand-written file has every field the exporter writes, and the lists are long."""
    assert set(WRITTEN_FIELDS) == set(EXPORTED_FIELDS)
    names = {_name(path) for path in EXPORTED_FIELDS}
    assert {
        "containment",
        "cadence.quarterly",
        "check_ins.*.held",
        "timeline.*.source",
        "impact.compliance",
        "causes.*.evidence_note",
        "causes.*.parent",
        "links.*.cause",
        "actions.*.verify_on",
        "actions.*.history.*.note",
    } <= names
    # ... "parking" and its id and text, "agenda" and its step and minutes; the cadence's
    # three phases, and the fields of a timeline event, a participant and a check-in; the
    # recovery's six keys, the apology's four fields, and those of an offer, a measure, a
    # value and a rating
    assert {"apology.on", "restitution.*.amount", "measure_values.*.value"} <= names
    assert len(names) == 30 + 4 + 8 + 2 + 13 + 4 + 2 + 2 + 3 + 4 + 3 + 7 + 4 + 7 + 5 + 3 + 3


def test_the_rich_incident_round_trips() -> None:
    assert_round_trip([rich_incident()])


def test_the_rich_document_reads_as_written() -> None:
    [incident] = assert_imports_as_written({**_header(), "incidents": [RICH_INCIDENT]})
    # A few values read off the file by eye, so the check above is not its own reference.
    assert incident.graph.children("c1") == ("c0", "c2")
    assert incident.occurred_at is not None
    assert incident.occurred_at.utcoffset() == timedelta(hours=2)
    assert [c.to_status for c in incident.actions[0].history] == [
        ActionStatus.PROPOSED,
        ActionStatus.COMMITTED,
        ActionStatus.IN_PROGRESS,
    ]


@pytest.mark.parametrize("path", EXPORTED_FIELDS, ids=_name)
def test_an_exporter_that_drops_a_field_fails_the_round_trip(
    monkeypatch: pytest.MonkeyPatch, path: tuple[str, ...]
) -> None:
    real: Callable[[Incident], dict[str, Any]] = json_format.incident_to_dict

    def dropping(incident: Incident) -> dict[str, Any]:
        written = real(incident)
        _drop(written, path)
        return written

    monkeypatch.setattr(json_format, "incident_to_dict", dropping)
    with pytest.raises(AssertionError):
        assert_round_trip([rich_incident()])


@pytest.mark.parametrize("path", WRITTEN_FIELDS, ids=_name)
def test_an_importer_that_ignores_a_field_fails_the_check(
    monkeypatch: pytest.MonkeyPatch, path: tuple[str, ...]
) -> None:
    real = json_format.parse_json_document

    def ignoring(data: Any, **options: Any) -> json_format.JsonDocument:
        # The importer sees the file without the field, as if it never read it.
        blind = copy.deepcopy(data)
        for raw in blind["incidents"]:
            _drop(raw, path)
        return real(blind, **options)

    monkeypatch.setattr(json_format, "parse_json_document", ignoring)
    with pytest.raises(AssertionError):
        assert_imports_as_written({**_header(), "incidents": [RICH_INCIDENT]})
