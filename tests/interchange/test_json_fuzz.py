"""Fuzzing the importer: a bad file never raises anything but a refusal, never half-imports.

Thousands of documents in all: the sample's export mutated (keys deleted, types changed,
random values, duplicate ids, parent cycles, dangling references, huge and odd Unicode
strings, truncated or flipped bytes), plausible-looking random documents, and random
bytes. For each one, importing either

* raises :class:`ImportRefusedError` carrying at least one located message, and the
  workspace's content is exactly what it was, or
* imports the whole file: every incident, with every cause and action in it.

One workspace serves each test function (opening one per example would be slow); it
holds an incident from the start, so "unchanged" compares real rows and a mutated uid
can clash with it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rca_desk.interchange.json_format import (
    _ACTION_KEYS,
    _CAUSE_KEYS,
    _INCIDENT_KEYS,
    ImportRefusedError,
    current_version,
    dumps,
    import_incidents,
    loads,
)
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident
from rca_desk.store import Workspace
from tests.conftest import TODAY

FUZZ = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

PRELOADED_UID = "already-here"


def fixed_uids(incident: Incident, uid: str) -> Incident:
    """Drawn examples must replay exactly, so no random uids in the base documents."""
    incident.uid = uid
    for n, action in enumerate(incident.actions):
        action.uid = f"{uid}.a{n}"
    return incident


BASE: dict[str, Any] = json.loads(
    dumps(
        [
            fixed_uids(sample_incidents(TODAY)[0], "fuzz-one"),
            fixed_uids(sample_incidents(TODAY)[0], "fuzz-two"),
        ]
    )
)


@pytest.fixture
def preloaded(workspace: Workspace) -> Iterator[Workspace]:
    workspace.add_incident(fixed_uids(sample_incidents(TODAY)[0], PRELOADED_UID))
    yield workspace


# ------------------------------------------------------------------ strategies
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
odd_strings = st.one_of(
    st.text(max_size=50),  # any Unicode: other scripts, emoji, combining marks, controls
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
    st.integers(1_990, 2_010).map(lambda n: "x" * n),  # around the model's 2000 limit
    st.integers(10_000, 100_000).map(lambda n: "huge " * (n // 5)),
    st.sampled_from(["", " ", "\n", "\x00", "problem", "tech-1", "qc-3", "@uid", "\u2028"]),
    st.sampled_from(["2026-02-30", "2026-11-23T25:00", "9999-12-31", "0001-01-01", "today"]),
)


TEXT_FIELDS = frozenset(
    {"title", "problem", "text", "evidence_note", "owner", "metric", "target", "notes",
     "description", "affected", "containment", "note", "operational", "financial"}
)  # fmt: skip


def paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON value, as the keys and indexes that lead there."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*path, index))


def at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def mutate(data: st.DataObject, doc: dict[str, Any], kind: str | None = None) -> None:
    """Apply one random mutation (or one of ``kind``) in place."""
    kind = kind or data.draw(
        st.sampled_from(
            [
                "delete",
                "replace",
                "retype",
                "string",
                "duplicate",
                "same-id",
                "cycle",
                "dangle",
                "extra-key",
                "uid-clash",
                "newer-minor",
                "older",
                # Edits that keep the file valid more often, so imports get exercised too.
                "text-field",
                "text-field",
                "category",
                "category",
            ]
        ),
        label="mutation",
    )
    everywhere = [p for p in paths(doc) if p]
    incidents = doc.get("incidents")
    causes = [
        (i, c)
        for i, incident in enumerate(incidents if isinstance(incidents, list) else [])
        if isinstance(incident, dict) and isinstance(incident.get("causes"), list)
        for c in range(len(incident["causes"]))
        if isinstance(incident["causes"][c], dict)
    ]
    if kind in ("same-id", "cycle", "dangle", "uid-clash", "category") and not causes:
        kind = "replace"
    if kind == "delete" and everywhere:
        path = data.draw(st.sampled_from(everywhere), label="path")
        del at(doc, path[:-1])[path[-1]]
    elif kind == "replace" and everywhere:
        path = data.draw(st.sampled_from(everywhere), label="path")
        at(doc, path[:-1])[path[-1]] = data.draw(json_values, label="value")
    elif kind == "retype" and everywhere:
        path = data.draw(st.sampled_from(everywhere), label="path")
        value = at(doc, path)
        swaps: list[Any] = [None, True, 0, 1.5, "text", [], {}, [value], {"value": value}]
        at(doc, path[:-1])[path[-1]] = data.draw(
            st.sampled_from([s for s in swaps if type(s) is not type(value)]), label="new type"
        )
    elif kind == "string":
        strings = [p for p in everywhere if isinstance(at(doc, p), str)] or everywhere
        if strings:
            path = data.draw(st.sampled_from(strings), label="path")
            at(doc, path[:-1])[path[-1]] = data.draw(odd_strings, label="string")
    elif kind == "duplicate":
        lists = [p for p in paths(doc) if isinstance(at(doc, p), list) and at(doc, p)]
        if lists:
            target = at(doc, data.draw(st.sampled_from(lists), label="list"))
            item = data.draw(st.sampled_from(target), label="item")
            target.insert(data.draw(st.integers(0, len(target))), copy.deepcopy(item))
    elif kind == "same-id":
        i, a = data.draw(st.sampled_from(causes), label="cause")
        _, b = data.draw(st.sampled_from([c for c in causes if c[0] == i]), label="other")
        doc["incidents"][i]["causes"][a]["id"] = doc["incidents"][i]["causes"][b].get("id")
    elif kind == "cycle":
        # Hang a cause under itself or one of its own descendants.
        i, a = data.draw(st.sampled_from(causes), label="cause")
        rows = doc["incidents"][i]["causes"]
        below = {str(rows[a].get("id"))}
        for row in rows:
            if isinstance(row, dict) and str(row.get("parent")) in below:
                below.add(str(row.get("id")))
        ids = sorted(below)
        rows[a]["parent"] = data.draw(st.sampled_from(ids), label="new parent")
    elif kind == "dangle":
        i, a = data.draw(st.sampled_from(causes), label="cause")
        incident = doc["incidents"][i]
        ref = data.draw(st.sampled_from(["parent", "link", "root"]), label="reference")
        missing = data.draw(st.sampled_from(["nobody", "problem", "", "tech-1 "]), label="to")
        if ref == "parent":
            incident["causes"][a]["parent"] = missing
        elif ref == "link" and isinstance(incident.get("links"), list) and incident["links"]:
            incident["links"][0] = {"effect": "problem", "cause": missing}
        elif isinstance(incident.get("actions"), list) and incident["actions"]:
            action = incident["actions"][0]
            if isinstance(action, dict):
                action["root_causes"] = [missing]
    elif kind == "extra-key":
        target_paths = [p for p in paths(doc) if isinstance(at(doc, p), dict)]
        target = at(doc, data.draw(st.sampled_from(target_paths), label="object"))
        target[data.draw(st.text(max_size=8), label="key")] = data.draw(json_values)
    elif kind == "text-field":
        texts = [p for p in everywhere if p[-1] in TEXT_FIELDS and isinstance(at(doc, p), str)]
        if texts:
            path = data.draw(st.sampled_from(texts), label="path")
            at(doc, path[:-1])[path[-1]] = data.draw(odd_strings, label="string")
    elif kind == "category":
        # Add a category, or rename one everywhere it is used: valid unless the name is not.
        i, _ = data.draw(st.sampled_from(causes), label="incident")
        incident = doc["incidents"][i]
        names = incident.get("categories")
        if isinstance(names, list) and data.draw(st.booleans(), label="add one?"):
            names.append(data.draw(odd_strings, label="new category"))  # used by no cause
        elif isinstance(names, list) and names:
            old_name = data.draw(st.sampled_from(names), label="category")
            new_name = data.draw(odd_strings, label="new name")
            incident["categories"] = [new_name if n == old_name else n for n in names]
            for row in incident["causes"]:
                if isinstance(row, dict) and row.get("category") == old_name:
                    row["category"] = new_name
    elif kind == "newer-minor":
        # Written by a newer minor version: unknown keys (from "extra-key") are then left
        # out with a note instead of refused, and everything else is checked as before.
        newest = current_version()
        doc["version"] = f"{newest.major}.{newest.minor + 1}"
    elif kind == "older":
        # Written by 1.0: the upgrade step runs on whatever the other mutations left,
        # so it must accept anything.
        doc["version"] = data.draw(st.sampled_from([1, "1.0"]), label="old version")
    elif kind == "uid-clash":
        i, _ = data.draw(st.sampled_from(causes), label="incident")
        incident = doc["incidents"][i]
        actions = incident.get("actions")
        if data.draw(st.booleans(), label="action?") and isinstance(actions, list) and actions:
            action = actions[0]
            if isinstance(action, dict):
                action["uid"] = f"{PRELOADED_UID}.a0"
        else:
            incident["uid"] = data.draw(st.sampled_from([PRELOADED_UID, "fuzz-one", "fuzz-two"]))


def serialise(data: st.DataObject, doc: Any) -> bytes:
    ascii_only = data.draw(st.booleans(), label="ensure_ascii")
    raw = json.dumps(doc, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    damage = data.draw(st.sampled_from(["none"] * 4 + ["truncate", "flip"]), label="damage")
    if damage == "truncate" and raw:
        raw = raw[: data.draw(st.integers(0, len(raw) - 1), label="cut at")]
    elif damage == "flip" and raw:
        spot = data.draw(st.integers(0, len(raw) - 1), label="flip at")
        raw = raw[:spot] + bytes([data.draw(st.integers(0, 255))]) + raw[spot + 1 :]
    return raw


# ------------------------------------------------------------------ the check
def import_and_check(workspace: Workspace, raw: bytes | str) -> str:
    """Import ``raw``; assert refused-and-unchanged or imported-whole; say which."""
    before = workspace.content()
    uids_before = {s.uid for s in workspace.incidents()}
    try:
        ids = import_incidents(workspace, loads(raw, source="fuzz.json"), source="fuzz.json")
    except ImportRefusedError as refusal:
        assert refusal.problems, "a refusal must say why"
        assert all(p.message for p in refusal.problems)
        assert str(refusal).startswith("fuzz.json: not imported: ")
        assert workspace.content() == before
        return "refused"

    # Accepted: then it must be valid JSON of our format, imported whole.
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    doc = json.loads(text)
    expected = doc.get("incidents", [])
    assert len(ids) == len(expected)
    summaries = {s.uid: s for s in workspace.incidents()}
    assert set(summaries) == uids_before | {incident["uid"] for incident in expected}
    for incident_id, record in zip(ids, expected, strict=True):
        loaded = workspace.load(incident_id)
        assert loaded.uid == record["uid"]
        assert len(loaded.graph) == len(record.get("causes", []))
        assert len(loaded.graph.links()) == len(record.get("links", []))
        assert len(loaded.actions) == len(record.get("actions", []))
    for incident_id in ids:
        workspace.delete_incident(incident_id)
    assert workspace.content() == before
    return "imported"


# ------------------------------------------------------------------ the fuzzers
@settings(FUZZ, max_examples=1000)
@given(data=st.data())
def test_mutated_exports(preloaded: Workspace, data: st.DataObject) -> None:
    doc = copy.deepcopy(BASE)
    for _ in range(data.draw(st.sampled_from([1, 1, 1, 2, 3]), label="mutations")):
        mutate(data, doc)
    event(import_and_check(preloaded, serialise(data, doc)))


@settings(FUZZ, max_examples=200)
@given(data=st.data())
def test_odd_text_in_any_text_field_or_category(preloaded: Workspace, data: st.DataObject) -> None:
    """One odd string (lone surrogates, NUL, 100 kB, other scripts) in an otherwise valid file.

    Text is where a file most often goes wrong without being broken JSON, and where an
    encoding problem would surface only inside the workspace's transaction.
    """
    doc = copy.deepcopy(BASE)
    kind = data.draw(st.sampled_from(["text-field", "category"]))
    mutate(data, doc, kind=kind)
    raw = json.dumps(doc, ensure_ascii=True)  # escapes survive to the parser as they are
    event(import_and_check(preloaded, raw))


def plausible(keys: tuple[str, ...], values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Objects with (some of) the right keys and arbitrary values: reaches deep checks."""
    return st.fixed_dictionaries({}, optional=dict.fromkeys(keys, values))


ids_or_junk = st.one_of(st.sampled_from(["problem", "a", "b", "c", "r"]), json_values)
causes_strategy = st.lists(
    st.one_of(
        plausible(_CAUSE_KEYS, ids_or_junk),
        st.fixed_dictionaries(
            {
                "id": st.sampled_from(["a", "b", "c", "r"]),
                "parent": st.sampled_from(["problem", "a", "b", "c"]),
                "text": st.text(max_size=20),
                "category": st.sampled_from(["SOPs", "Training", "Nope"]),
            },
            optional={"root_cause": st.booleans(), "evidence": st.sampled_from(["verified", "x"])},
        ),
    ),
    max_size=5,
)
incident_strategy = st.one_of(
    json_values,
    plausible(_INCIDENT_KEYS, json_values),
    st.fixed_dictionaries(
        {
            "uid": st.sampled_from(["u1", "u2", PRELOADED_UID, "bad uid"]),
            "title": st.text(max_size=20),
            "problem": st.text(max_size=20),
        },
        optional={
            "causes": causes_strategy,
            "links": st.lists(plausible(("effect", "cause"), ids_or_junk), max_size=3),
            "actions": st.lists(plausible(_ACTION_KEYS, ids_or_junk), max_size=3),
            "categories": st.lists(st.text(max_size=10), max_size=4),
            "whys_depth": json_scalars,
            "occurred_at": st.one_of(json_scalars, st.datetimes().map(lambda d: d.isoformat())),
        },
    ),
)
documents = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "format": st.just("rca-desk"),
            "version": st.sampled_from(
                [1, "1.0", "1.0", "1.1", "1.1", "1.99999", 0, 2, "2.0", "0.9", "1", "1.0.0", True]
            ),
        },
        optional={"incidents": st.one_of(json_values, st.lists(incident_strategy, max_size=3))},
    ),
)


@settings(FUZZ, max_examples=700)
@given(doc=documents, as_text=st.booleans())
def test_random_documents(preloaded: Workspace, doc: Any, as_text: bool) -> None:
    text = json.dumps(doc)
    event(import_and_check(preloaded, text if as_text else text.encode("utf-8")))


@settings(FUZZ, max_examples=300)
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_random_bytes(preloaded: Workspace, raw: bytes) -> None:
    assert import_and_check(preloaded, raw) == "refused"


def test_the_fuzzer_reaches_both_outcomes(preloaded: Workspace) -> None:
    """Guard: the mutations must neither all be fatal nor all be harmless."""
    outcomes: set[str] = set()

    @settings(max_examples=60, deadline=None, database=None, derandomize=True)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        doc = copy.deepcopy(BASE)
        mutate(data, doc)
        outcomes.add(import_and_check(preloaded, serialise(data, doc)))

    run()
    assert outcomes == {"refused", "imported"}
