"""Import keeps the format's own rules (1.1): the lifecycle, required notes, no future
times, no silent defaults for required fields; a 1.0 file is mended on the way in.

Every refusal is checked word for word at its place; each has a near miss that imports.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings

from rca_desk.interchange.json_format import (
    ImportRefusedError,
    _to_1_1,
    incident_to_dict,
    loads,
    to_document,
)
from rca_desk.model import ActionStatus, PreventiveAction, StatusChange
from rca_desk.model.lifecycle import MIGRATED_NOTE, mend_history
from tests.interchange.test_json_roundtrip import NOW as FAR_NOW
from tests.interchange.test_json_roundtrip import incidents

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PLACE = "incidents[0].actions[0]"


def entry(at: str, frm: str | None, to: str, note: str = "") -> dict[str, Any]:
    return {"at": at, "from": frm, "to": to, "note": note}


CREATED = entry("2026-01-05T09:00:00", None, "proposed", "Workshop")
WORK = [
    CREATED,
    entry("2026-01-06T09:00:00", "proposed", "committed"),
    entry("2026-01-07T09:00:00", "committed", "in_progress"),
    entry("2026-01-20T09:00:00", "in_progress", "implemented"),
]


def action(**fields: Any) -> dict[str, Any]:
    return {
        "uid": "act-1",
        "title": "Add a dry run to the migration runbook",
        "root_causes": ["a"],
        "owner": "Priya",
        "due": "2026-02-01",
        "strength": "strong",
        "metric": "Migrations without a dry run",
        "target": "0",
        "verify_on": "2026-03-01",
        "status": "proposed",
        "history": [CREATED],
        **fields,
    }


def document(*actions: dict[str, Any], version: str = "1.1", **incident: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "uid": "inc-1",
        "title": "Reports lost a day",
        "problem": "Quarter-end report late",
        "categories": ["A"],
        "causes": [
            {
                "id": "a",
                "parent": "problem",
                "text": "No dry run",
                "category": "A",
                "root_cause": True,
            }
        ],
        "actions": list(actions),
        **incident,
    }
    return {"format": "rca-desk", "version": version, "incidents": [raw]}


def problems(doc: dict[str, Any], now: datetime = NOW) -> list[str]:
    with pytest.raises(ImportRefusedError) as refused:
        loads(json.dumps(doc), now=now)
    return [str(problem) for problem in refused.value.problems]


def imports(doc: dict[str, Any], now: datetime = NOW) -> list[Any]:
    (incident,) = loads(json.dumps(doc), now=now)
    return list(incident.actions)


VERIFIED_NO_NOTE = {"status": "verified_effective", "history": []}


# ------------------------------------------------------------------ required notes
@pytest.mark.parametrize(
    ("status", "needs"),
    [
        ("cancelled", "a reason for cancelling"),
        ("not_effective", "what showed that it did not work"),
        ("verified_effective", "the evidence that it worked"),
    ],
)
def test_a_required_note_of_only_spaces_is_refused(status: str, needs: str) -> None:
    history = [*WORK, entry("2026-03-02T09:00:00", "implemented", status, "   ")]
    doc = document(action(status=status, history=history, measured_result="0"))
    assert problems(doc) == [
        f"{PLACE}.history[4].note: must not be blank: an entry to {status} needs {needs}"
    ]


def test_a_cancelled_action_with_a_note_is_accepted() -> None:
    history = [CREATED, entry("2026-01-06T09:00:00", "proposed", "cancelled", "Superseded")]
    (imported,) = imports(document(action(status="cancelled", history=history)))
    assert imported.status is ActionStatus.CANCELLED
    assert imported.history[-1].note == "Superseded"


# ------------------------------------------------------------------ the lifecycle
def test_verified_effective_with_no_history_is_refused() -> None:
    assert problems(document(action(**VERIFIED_NO_NOTE, measured_result="0"))) == [
        f"{PLACE}.history: is empty, but the status is verified_effective: an action that "
        "is not proposed needs its history, from the creation entry (from null to one of: "
        "proposed, committed) to verified_effective"
    ]


def test_creation_straight_to_committed_is_accepted() -> None:
    history = [entry("2026-01-05T09:00:00", None, "committed", "Agreed in the workshop")]
    (imported,) = imports(document(action(status="committed", history=history)))
    assert imported.history[0].to_status is ActionStatus.COMMITTED


def test_creation_elsewhere_is_refused() -> None:
    history = [entry("2026-01-05T09:00:00", None, "in_progress")]
    assert problems(document(action(status="in_progress", history=history))) == [
        f"{PLACE}.history[0].to: must be one of: proposed, committed (where an action "
        "starts), not in_progress"
    ]


def test_a_skipped_step_names_the_allowed_ones() -> None:
    history = [*WORK[:2], entry("2026-01-07T09:00:00", "committed", "implemented")]
    assert problems(document(action(status="implemented", history=history))) == [
        f"{PLACE}.history[2].to: must be one of: in_progress, cancelled (allowed after "
        "committed), not implemented"
    ]


def test_a_history_that_does_not_end_at_the_status_is_refused() -> None:
    assert problems(document(action(status="implemented", history=WORK[:3]))) == [
        f"{PLACE}.status: is implemented, but the history ends at in_progress; the last "
        "entry's 'to' must be the status"
    ]


def test_times_that_go_back_are_refused() -> None:
    history = [CREATED, entry("2026-01-04T09:00:00", "proposed", "committed")]
    assert problems(document(action(status="committed", history=history))) == [
        f"{PLACE}.history[1].at: 2026-01-04T09:00:00 is earlier than the entry before it "
        "(2026-01-05T09:00:00); times must never go back"
    ]


def test_verified_without_the_measured_result_is_refused() -> None:
    history = [*WORK, entry("2026-03-02T09:00:00", "implemented", "verified_effective", "Ok")]
    assert problems(document(action(status="verified_effective", history=history))) == [
        f"{PLACE}.measured_result: must not be blank: history[4] verifies the action "
        "effective, which needs the measured result"
    ]


def test_verified_early_without_a_reason_is_refused_and_with_one_accepted() -> None:
    early = entry("2026-02-10T09:00:00", "implemented", "verified_effective", "Ok")
    doc = document(action(status="verified_effective", history=[*WORK, early], measured_result="0"))
    assert problems(doc) == [
        f"{PLACE}.history[4].note: needs a line 'Early: <why>': the entry (2026-02-10) is "
        "before verify_on (2026-03-01)"
    ]
    early["note"] = "Ok\nEarly: the quarterly audit came first"
    (imported,) = imports(doc)
    assert imported.status is ActionStatus.VERIFIED_EFFECTIVE


# ------------------------------------------------------------------ no future times
def test_a_history_entry_23_hours_ahead_is_accepted() -> None:
    ahead = (NOW + timedelta(hours=23)).isoformat()
    (imported,) = imports(document(action(history=[entry(ahead, None, "proposed")])))
    assert imported.history[0].at == NOW + timedelta(hours=23)


def test_a_history_entry_two_days_ahead_is_refused() -> None:
    ahead = (NOW + timedelta(days=2)).isoformat()
    assert problems(document(action(history=[entry(ahead, None, "proposed")]))) == [
        f"{PLACE}.history[0].at: 2026-06-03T12:00:00+00:00 is in the future: the latest "
        "allowed is 2026-06-02T12:00:00+00:00 (now plus 1 day for clocks that disagree)"
    ]


def test_a_history_a_year_ahead_is_refused_by_the_real_clock() -> None:
    """Without ``now`` the reader asks the clock."""
    ahead = (datetime.now(UTC) + timedelta(days=365)).isoformat()
    with pytest.raises(ImportRefusedError) as refused:
        loads(json.dumps(document(action(history=[entry(ahead, None, "proposed")]))))
    assert refused.value.problems[0].place == f"{PLACE}.history[0].at"
    assert "is in the future" in refused.value.problems[0].message


# ------------------------------------------------------------------ no silent defaults
@pytest.mark.parametrize("key", ["status", "strength"])
def test_an_action_without_status_or_strength_is_refused(key: str) -> None:
    raw = action()
    del raw[key]
    assert problems(document(raw)) == [f"{PLACE}: lacks the required field {key!r}"]


def test_a_history_entry_without_from_is_refused() -> None:
    raw = action(history=[{"at": "2026-01-05T09:00:00", "to": "proposed"}])
    assert problems(document(raw)) == [f"{PLACE}.history[0]: lacks the required field 'from'"]


def test_an_empty_category_list_is_refused_and_a_missing_one_is_the_default_set() -> None:
    assert problems(document(categories=[], causes=[])) == [
        "incidents[0].categories: must list at least one category (leave the field out "
        "for the default set)"
    ]
    raw = document(causes=[])
    del raw["incidents"][0]["categories"]
    (incident,) = loads(json.dumps(raw), now=NOW)
    assert incident.graph.categories == [
        "SOPs",
        "Training",
        "Technology",
        "QC checkpoints",
        "Communication",
    ]


def test_an_action_with_no_root_cause_is_refused_at_the_list() -> None:
    assert problems(document(action(root_causes=[]))) == [
        f"{PLACE}.root_causes: must list at least one root cause"
    ]


def test_a_root_cause_listed_twice_is_refused_at_the_second() -> None:
    assert problems(document(action(root_causes=["a", "a"]))) == [
        f"{PLACE}.root_causes[1]: 'a' is already root_causes[0]; each appears once"
    ]


# ------------------------------------------------------------------ limits at their field
def test_each_limit_is_named_at_its_field() -> None:
    long = "x" * 2001
    doc = document(
        action(owner=long, notes=long, measured_result=long),
        whys_depth=21,
        description="d" * 10_001,
        title=long,
    )
    assert problems(doc) == [
        "incidents[0].title: is longer than 2000 characters (limit 2000)",
        "incidents[0].description: is longer than 10000 characters (limit 10000)",
        "incidents[0].whys_depth: must be between 1 and 20, not 21",
        f"{PLACE}.owner: is longer than 2000 characters (limit 2000)",
        f"{PLACE}.measured_result: is longer than 2000 characters (limit 2000)",
        f"{PLACE}.notes: is longer than 2000 characters (limit 2000)",
    ]


def test_a_category_name_over_the_limit_is_named_at_its_place() -> None:
    assert problems(document(categories=["A", "c" * 61])) == [
        "incidents[0].categories[1]: is longer than 60 characters (limit 60)"
    ]
    assert problems(document(categories=["A", " "])) == [
        "incidents[0].categories[1]: must not be empty"
    ]


def test_texts_at_their_limit_are_accepted() -> None:
    full = "x" * 2000
    doc = document(
        action(owner=full, notes=full, metric=full),
        whys_depth=20,
        description="d" * 10_000,
        title=full,
    )
    (imported,) = imports(doc)
    assert len(imported.owner) == 2000


@pytest.mark.parametrize("depth", [0, 21])
def test_whys_depth_outside_1_to_20_is_refused_at_the_field(depth: int) -> None:
    assert problems(document(whys_depth=depth)) == [
        f"incidents[0].whys_depth: must be between 1 and 20, not {depth}"
    ]


def test_a_cause_text_over_the_limit_is_named_at_the_text() -> None:
    causes = [{"id": "a", "parent": "problem", "text": "t" * 2001, "category": "A"}]
    assert problems(document(causes=causes)) == [
        "incidents[0].causes[0].text: is longer than 2000 characters (limit 2000)"
    ]


def test_a_committed_action_names_each_missing_field() -> None:
    raw = action(status="committed", owner=" ", metric="", due=None, verify_on=None)
    raw["history"] = [CREATED, entry("2026-01-06T09:00:00", "proposed", "committed")]
    committed = "one of: committed, implemented, in_progress, not_effective, verified_effective"
    assert problems(document(raw)) == [
        f"{PLACE}.owner: is required when the status is committed ({committed})",
        f"{PLACE}.due: is required when the status is committed ({committed})",
        f"{PLACE}.metric: is required when the status is committed ({committed})",
        f"{PLACE}.verify_on: is required when the status is committed ({committed})",
    ]


def test_a_verification_date_before_the_due_date_is_named_at_verify_on() -> None:
    assert problems(document(action(verify_on="2026-01-15"))) == [
        f"{PLACE}.verify_on: 2026-01-15 is before due (2026-02-01); effectiveness is checked "
        "after the action is done"
    ]


# ------------------------------------------------------------------ 1.0 files are mended
def test_a_1_0_file_verified_with_no_note_and_no_history_imports_mended() -> None:
    doc = document(action(**VERIFIED_NO_NOTE), version="1.0")
    (imported,) = imports(doc)
    assert imported.status is ActionStatus.VERIFIED_EFFECTIVE
    assert imported.measured_result == ""  # findings, not the import, say it is missing
    assert imported.history == [
        StatusChange(
            at=NOW, from_status=None, to_status=ActionStatus.VERIFIED_EFFECTIVE, note=MIGRATED_NOTE
        )
    ]


def test_the_same_document_claiming_1_1_is_refused() -> None:
    doc = document(action(**VERIFIED_NO_NOTE), version="1.1")
    assert problems(doc) == [
        f"{PLACE}.history: is empty, but the status is verified_effective: an action that "
        "is not proposed needs its history, from the creation entry (from null to one of: "
        "proposed, committed) to verified_effective",
    ]


def test_a_1_0_file_gets_its_blank_notes_and_its_last_step_filled_in() -> None:
    history = [*WORK[:3], entry("2026-01-08T09:00:00", "in_progress", "cancelled", "")]
    legacy = action(status="cancelled", history=history)
    del legacy["strength"]
    short = action(uid="act-2", status="implemented", history=WORK[:3])
    del short["status"]  # 1.0 read a missing status as proposed: the history must end there
    short["status"] = "implemented"
    (cancelled, implemented) = imports(document(legacy, short, version="1.0"))
    assert cancelled.history[-1].note == MIGRATED_NOTE
    assert cancelled.strength.value == "intermediate"  # what 1.0 read a missing one as
    assert implemented.history[-1] == StatusChange(
        at=NOW,
        from_status=ActionStatus.IN_PROGRESS,
        to_status=ActionStatus.IMPLEMENTED,
        note=MIGRATED_NOTE,
    )


def test_a_1_0_file_with_a_missing_status_reads_it_as_proposed() -> None:
    legacy = action()
    del legacy["status"]
    (imported,) = imports(document(legacy, version="1.0"))
    assert imported.status is ActionStatus.PROPOSED


def test_a_1_0_file_keeps_the_rules_1_0_already_had() -> None:
    """A move the lifecycle never allowed was refused by 1.0 too, and still is."""
    history = [*WORK[:2], entry("2026-01-07T09:00:00", "committed", "implemented")]
    assert problems(document(action(status="implemented", history=history), version="1.0")) == [
        f"{PLACE}.history[2].to: must be one of: in_progress, cancelled (allowed after "
        "committed), not implemented"
    ]


def test_a_1_0_file_with_a_future_time_imports_for_the_findings_to_flag() -> None:
    ahead = entry("2027-06-01T09:00:00", None, "proposed")
    (imported,) = imports(document(action(history=[ahead]), version="1.0"))
    assert imported.history[0].at == datetime(2027, 6, 1, 9, 0)


def test_a_1_0_file_loses_control_and_bidi_characters() -> None:
    doc = document(
        action(title="Add\x1b[31m a dry\u202e run\x00", notes="line\r\nnext\tcol\u2066x\u2069"),
        version="1.0",
    )
    (imported,) = imports(doc)
    assert imported.title == "Add[31m a dry run"
    assert imported.notes == "line\nnext\tcolx"  # CR LF read as a newline, as typed text is


def test_a_1_0_file_is_stripped_at_every_depth_whatever_comes_first() -> None:
    """A number or null met on the way does not end the walk."""
    causes = [
        {
            "id": "a",
            "parent": "problem",
            "text": "No\x1b dry run",
            "category": "A",
            "root_cause": True,
        }
    ]
    doc = document(version="1.0", causes=causes, occurred_at=None, whys_depth=5)
    (incident,) = loads(json.dumps(doc), now=NOW)
    assert incident.graph.cause("a").text == "No dry run"


def test_a_1_0_file_keeps_the_notes_it_has_and_fills_the_ones_it_lacks() -> None:
    history = [
        *WORK,
        entry("2026-02-02T09:00:00", "implemented", "not_effective", "Two repeats"),
        {"at": "2026-02-03T09:00:00", "from": "not_effective", "to": "cancelled"},
    ]
    (imported,) = imports(document(action(status="cancelled", history=history), version="1.0"))
    assert [change.note for change in imported.history[4:]] == ["Two repeats", MIGRATED_NOTE]


def test_a_1_0_action_without_a_history_key_gets_its_creation_entry() -> None:
    legacy = action(status="committed")
    del legacy["history"]
    (imported,) = imports(document(legacy, version="1.0"))
    assert imported.history == [
        StatusChange(at=NOW, from_status=None, to_status=ActionStatus.COMMITTED, note=MIGRATED_NOTE)
    ]


def test_a_1_0_file_with_an_unknown_status_is_refused_with_its_history_untouched() -> None:
    assert problems(document(action(status="finished"), version="1.0")) == [
        f"{PLACE}.status: 'finished' is not one of: proposed, committed, in_progress, "
        "implemented, verified_effective, not_effective, cancelled"
    ]
    odd_end = [CREATED, entry("2026-01-06T09:00:00", "proposed", "done", "x")]
    assert problems(document(action(status="committed", history=odd_end), version="1.0")) == [
        f"{PLACE}.history[1].to: 'done' is not one of: proposed, committed, in_progress, "
        "implemented, verified_effective, not_effective, cancelled"
    ]


def test_the_upgrade_accepts_anything() -> None:
    """It runs before the checks: odd shapes are left for the checks to report."""
    for odd in (
        {"incidents": 5},
        {"incidents": [5, {"actions": "x"}, {"actions": [3, {"history": "h"}]}]},
        {"incidents": [{"actions": [{"status": 7, "history": [{"to": "nowhere"}, 4]}]}]},
        {"incidents": [{"actions": [{"status": "implemented", "history": [{"to": 3}]}]}]},
    ):
        kept = copy.deepcopy(odd)
        _to_1_1(odd, NOW)
        assert odd.keys() == kept.keys()


# ------------------------------------------------------------------ one repair, two places
@settings(max_examples=40, deadline=None)
@given(incidents())
def test_the_1_0_step_mends_as_mend_history_does(incident: Any) -> None:
    """The upgrade's mending of raw dicts and the model's agree, action by action, on
    histories stripped of their notes and their last entries as old data would have them."""
    for action_ in incident.actions:
        action_.history = [
            StatusChange(at=c.at, from_status=c.from_status, to_status=c.to_status, note="")
            for c in action_.history[: len(action_.history) // 2]
        ]
    raw = incident_to_dict(incident)
    _to_1_1({"incidents": [raw]}, FAR_NOW)
    for action_, raw_action in zip(incident.actions, raw["actions"], strict=True):
        mended = mend_history(*_of(action_), at=FAR_NOW)
        assert raw_action["history"] == [
            {
                "at": change.at.isoformat(),
                "from": None if change.from_status is None else change.from_status.value,
                "to": change.to_status.value,
                "note": change.note,
            }
            for change in mended
        ]


def test_an_export_is_the_current_version() -> None:
    assert to_document([])["version"] == "1.5"


def _of(action: PreventiveAction) -> tuple[ActionStatus, list[StatusChange]]:
    """What :func:`mend_history` takes of an action."""
    return action.status, action.history


def test_a_1_0_file_imported_shows_what_the_upgrade_could_not_know() -> None:
    """The mended history reads whole; the findings name the missing evidence, the
    missing measured value and the creation straight to verified, and `check` fails."""
    from rca_desk.model.analysis import FindingKind, findings

    doc = document(action(**VERIFIED_NO_NOTE), version="1.0")
    (incident,) = loads(json.dumps(doc), now=NOW)
    found = [(f.kind, f.subject) for f in findings(incident, today=NOW.date())]
    for kind in (FindingKind.UNMEASURED, FindingKind.UNRECORDED_REASON, FindingKind.HISTORY):
        assert (kind, "act-1") in found
        assert kind.info.fails_check
    (unrecorded,) = [
        f for f in findings(incident, today=NOW.date()) if f.kind is kind.UNRECORDED_REASON
    ]
    assert unrecorded.message == (
        "action 'Add a dry run to the migration runbook' was marked verified effective on "
        f"{NOW.date().isoformat()} without the evidence that it worked; add it to the "
        "action's notes"
    )
