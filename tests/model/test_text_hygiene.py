"""Text hygiene at the model boundary: every typed text loses control characters, has its
line endings normalised and refuses bidi overrides with a message that names them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Impact,
    Incident,
    PreventiveAction,
    RuleError,
)
from rca_desk.model.text import (
    bidi_problem,
    control_problem,
    is_rtl,
    strip_controls,
    stripped_for_storage,
    typed,
)

AT = datetime(2026, 3, 1, 9, 0)


def _graph() -> tuple[CauseGraph, str]:
    graph = CauseGraph(problem="Reports were late", categories=["Technology", "SOPs"])
    cause = graph.add_cause(HEAD, text="The backup job failed", root_cause=True)
    return graph, cause


def _action(**fields: object) -> PreventiveAction:
    _, cause = _graph()
    values: dict[str, object] = {"title": "Add a restore drill", "root_causes": [cause]}
    values.update(fields)
    return PreventiveAction(**values)  # type: ignore[arg-type]


def _committed() -> PreventiveAction:
    return _action(
        owner="Dana",
        due=date(2026, 4, 1),
        verify_on=date(2026, 5, 1),
        metric="restores tested",
        target="1 a month",
        status=ActionStatus.IMPLEMENTED,
    )


def cause_text(text: str) -> str:
    graph, _ = _graph()
    return graph.cause(graph.add_cause(HEAD, text=text)).text


def cause_text_edited(text: str) -> str:
    graph, cause = _graph()
    graph.update_cause(cause, text=text)
    return graph.cause(cause).text


def evidence_note(text: str) -> str:
    graph, _ = _graph()
    return graph.cause(graph.add_cause(HEAD, text="Disk full", evidence_note=text)).evidence_note


def stop_reason(text: str) -> str:
    graph, _ = _graph()
    return graph.cause(graph.add_cause(HEAD, text="Disk full", stop_reason=text)).stop_reason


def stop_reason_edited(text: str) -> str:
    graph, cause = _graph()
    graph.update_cause(cause, stop_reason=text)
    return graph.cause(cause).stop_reason


def problem_statement(text: str) -> str:
    return CauseGraph(problem=text).problem


def problem_statement_edited(text: str) -> str:
    graph, _ = _graph()
    graph.set_problem(text)
    return graph.problem


def category_name(text: str) -> str:
    return CauseGraph(categories=["SOPs", text]).categories[1]


def category_renamed(text: str) -> str:
    graph, _ = _graph()
    graph.rename_category("SOPs", text)
    return graph.categories[1]


def incident_title(text: str) -> str:
    return Incident(title=text).title


def incident_title_edited(text: str) -> str:
    incident = Incident(title="Late reports")
    incident.update_fields(title=text)
    return incident.title


def incident_affected(text: str) -> str:
    return Incident(title="Late reports", affected=text).affected


def incident_description(text: str) -> str:
    incident = Incident(title="Late reports")
    incident.update_fields(description=text)
    return incident.description


def incident_containment(text: str) -> str:
    return Incident(title="Late reports", containment=text).containment


def incident_impact(text: str) -> str:
    incident = Incident(title="Late reports")
    incident.update_fields(impact=Impact(financial=text))
    return incident.impact.financial


def action_title(text: str) -> str:
    return _action(title=text).title


def action_owner(text: str) -> str:
    return _action(owner=text).owner


def action_metric(text: str) -> str:
    return _action(metric=text).metric


def action_target(text: str) -> str:
    return _action().with_changes(target=text).target


def action_measured_result(text: str) -> str:
    return _action(measured_result=text).measured_result


def action_notes(text: str) -> str:
    return _action(notes=text).notes


def status_note(text: str) -> str:
    action = _committed()
    return action.change_status(ActionStatus.NOT_EFFECTIVE, at=AT, note=text).note


def creation_note(text: str) -> str:
    _, cause = _graph()
    action = PreventiveAction.propose(
        at=AT, note=text, title="Add a restore drill", root_causes=[cause]
    )
    return action.history[0].note


#: Every way free text enters the model, with the name its refusal gives the field.
ENTRY_POINTS: list[tuple[Callable[[str], str], str]] = [
    (cause_text, "A cause"),
    (cause_text_edited, "A cause"),
    (evidence_note, "An evidence note"),
    (stop_reason, "A stop reason"),
    (stop_reason_edited, "A stop reason"),
    (problem_statement, "The problem statement"),
    (problem_statement_edited, "The problem statement"),
    (category_name, "A category name"),
    (category_renamed, "A category name"),
    (incident_title, "An incident title"),
    (incident_title_edited, "An incident title"),
    (incident_affected, "The affected client or service"),
    (incident_description, "The incident's description"),
    (incident_containment, "The incident's containment"),
    (incident_impact, "The financial impact"),
    (action_title, "An action"),
    (action_owner, "The action's owner"),
    (action_metric, "The action's metric"),
    (action_target, "The action's target"),
    (action_measured_result, "The action's measured result"),
    (action_notes, "The action's notes"),
    (status_note, "A status note"),
    (creation_note, "A status note"),
]
ENTRY_IDS = [entry.__name__ for entry, _ in ENTRY_POINTS]

#: Entry points whose text may span lines and keep its tabs.
MULTILINE = [
    cause_text,
    evidence_note,
    incident_description,
    incident_impact,
    action_notes,
    status_note,
]

CONTROLS = {
    "NUL": "\x00",
    "BEL": "\x07",
    "ESC": "\x1b",
    "vertical tab": "\x0b",
    "DEL": "\x7f",
    "C1 NEL": "\x85",
    "C1 CSI": "\x9b",
}

BIDI = {
    "\u202a": "U+202A LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "U+202B RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "U+202C POP DIRECTIONAL FORMATTING",
    "\u202d": "U+202D LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\u2067": "U+2067 RIGHT-TO-LEFT ISOLATE",
    "\u2068": "U+2068 FIRST STRONG ISOLATE",
    "\u2069": "U+2069 POP DIRECTIONAL ISOLATE",
}

NEAR_MISSES = {
    "Hebrew": "השרת נפל אחרי העדכון",
    "Arabic": "تعطل الخادم بعد التحديث",
    "Hebrew with digits and Latin": "גיבוי 3 של DB נכשל",
    "RLM": "קובץ config.yaml\u200f נמחק",
    "LRM": "Fehler\u200e im Skript",
    "emoji with ZWJ": "On-call 👩\u200d💻 missed the page",
    "ZWNJ in Persian": "می\u200cخواهم",
    "combining marks": "Cafe\u0301 re\u0301sume\u0301 na\u0308ive",
}


@pytest.mark.parametrize(("entry", "what"), ENTRY_POINTS, ids=ENTRY_IDS)
@pytest.mark.parametrize("control", CONTROLS.values(), ids=CONTROLS.keys())
def test_control_characters_are_stripped_when_typed(
    entry: Callable[[str], str], what: str, control: str
) -> None:
    assert entry(f"Disk{control} full") == "Disk full"


@pytest.mark.parametrize(("entry", "what"), ENTRY_POINTS, ids=ENTRY_IDS)
def test_a_right_to_left_override_is_refused_naming_the_field(
    entry: Callable[[str], str], what: str
) -> None:
    with pytest.raises(RuleError) as refused:
        entry("Run \u202efr- mr\u202c now")
    assert str(refused.value) == (
        f"{what} contains U+202E RIGHT-TO-LEFT OVERRIDE and U+202C POP DIRECTIONAL "
        "FORMATTING, which show text in a different order than it is stored; remove them."
    )


@pytest.mark.parametrize(("char", "name"), BIDI.items(), ids=BIDI.values())
def test_each_bidi_control_is_refused_by_name(char: str, name: str) -> None:
    with pytest.raises(RuleError) as refused:
        cause_text(f"The job{char} failed")
    assert str(refused.value) == (
        f"A cause contains {name}, which shows text in a different order than it is stored; "
        "remove it."
    )


@pytest.mark.parametrize("entry", MULTILINE, ids=[e.__name__ for e in MULTILINE])
def test_newline_and_tab_are_kept_and_windows_line_ends_normalised(
    entry: Callable[[str], str],
) -> None:
    assert entry("first line\n\tindented") == "first line\n\tindented"
    assert entry("one\r\ntwo\rthree") == "one\ntwo\nthree"


@pytest.mark.parametrize(("entry", "what"), ENTRY_POINTS, ids=ENTRY_IDS)
@pytest.mark.parametrize("text", NEAR_MISSES.values(), ids=NEAR_MISSES.keys())
def test_right_to_left_text_marks_emoji_and_combining_marks_pass(
    entry: Callable[[str], str], what: str, text: str
) -> None:
    assert entry(text) == text


def test_only_the_escape_of_an_escape_sequence_goes() -> None:
    # The rest is printable text that can no longer steer a terminal; it stays visible.
    assert cause_text("Disk\x1b[2J\x1b[31m full") == "Disk[2J[31m full"


def test_a_cause_of_control_characters_only_is_empty() -> None:
    with pytest.raises(RuleError, match=r"^A cause needs text; it cannot be empty\.$"):
        cause_text("\x1b\x07\x00")


def test_typed_names_any_field_for_fields_still_to_come() -> None:
    assert typed("Enough \x1bevidence", what="The stop reason") == "Enough evidence"
    with pytest.raises(RuleError) as refused:
        typed("\u2067x", what="The measured result")
    assert str(refused.value) == (
        "The measured result contains U+2067 RIGHT-TO-LEFT ISOLATE, which shows text in a "
        "different order than it is stored; remove it."
    )
    with pytest.raises(RuleError, match=r"^The stop reason must be text\.$"):
        typed(None, what="The stop reason")  # type: ignore[arg-type]


def test_control_problem_names_the_first_and_counts() -> None:
    assert control_problem("plain\ttext\n") is None
    assert control_problem("a\x1bb") == "contains the control character U+001B (escape); remove it"
    assert control_problem("a\x00b\x9bc\x07") == (
        "contains 3 control characters, the first U+0000 (null); remove them"
    )
    assert control_problem("a\rb") == (
        "contains the control character U+000D (carriage return); remove it"
    )
    assert control_problem("\x9b") == (
        "contains the control character U+009B (control sequence introducer); remove it"
    )


def test_bidi_problem_names_each_distinct_character_once() -> None:
    assert bidi_problem("שלום\u200f abc\u200e") is None
    assert bidi_problem("\u202ea\u202eb\u2066") == (
        "contains U+202E RIGHT-TO-LEFT OVERRIDE and U+2066 LEFT-TO-RIGHT ISOLATE, which show "
        "text in a different order than it is stored; remove them"
    )
    assert bidi_problem("\u202a\u202b\u202c") == (
        "contains U+202A LEFT-TO-RIGHT EMBEDDING, U+202B RIGHT-TO-LEFT EMBEDDING and U+202C "
        "POP DIRECTIONAL FORMATTING, which show text in a different order than it is stored; "
        "remove them"
    )


def test_strip_controls_keeps_bidi_for_the_refusal() -> None:
    assert strip_controls("a\x1b\u202eb\r\n") == "a\u202eb\n"


def test_stored_text_is_mended_not_refused() -> None:
    old = "rm \u202e-rf\u202c\x1b[31m red\x00\r\nnext\tline \u200f"
    mended = stripped_for_storage(old)
    assert mended == "rm -rf[31m red\nnext\tline \u200f"
    assert typed(mended, what="A cause") == mended


@pytest.mark.parametrize(
    ("paragraph", "rtl"),
    [
        ("השרת נפל", True),
        ("تعطل الخادم", True),
        ("123 - השרת", True),
        ("\u200fabc", True),  # RLM is a strong right-to-left character
        ("DB גיבוי", False),
        ("The server", False),
        ("123 ...", False),
        ("", False),
    ],
)
def test_is_rtl_reads_the_first_strong_character(paragraph: str, rtl: bool) -> None:
    assert is_rtl(paragraph) is rtl


@pytest.mark.parametrize(
    "value", [5, None, "x" * 2001], ids=["a number", "nothing", "2,001 characters"]
)
def test_a_stop_reason_that_is_not_text_or_too_long_is_refused(value: object) -> None:
    graph, cause = _graph()
    with pytest.raises(RuleError) as refused:
        graph.update_cause(cause, stop_reason=value)  # type: ignore[arg-type]
    assert str(refused.value) == "A stop reason must be text of at most 2000 characters."
    assert stop_reason("x" * 2000) == "x" * 2000
