"""The rca-desk JSON format: whole incidents, lossless and versioned.

Import reads the file into plain values, checks every field and reference, collecting each
problem with its place in the file (``incidents[0].causes[3].category``), and only then
builds model objects. Nothing reaches the workspace unless the whole file is sound, and
then everything is written in one transaction. The format is documented in
``docs/json-format.md``.

Versions are ``"major.minor"`` (the legacy integer ``1`` is 1.0). An older document is
brought up to date by the one chain of steps in :data:`STEPS` before it is checked; a newer
*minor* document is read with the fields this version does not know left out (and said so
in :attr:`JsonDocument.notice`); a newer *major* one is refused.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import MISSING, dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from rca_desk.interchange.files import atomic_write_bytes
from rca_desk.model import (
    HEAD,
    ActionStatus,
    Cadence,
    CauseGraph,
    Channel,
    CheckIn,
    Evidence,
    Impact,
    Incident,
    IncidentStatus,
    Participant,
    PreventiveAction,
    RcaError,
    Severity,
    StatusChange,
    Strength,
    TimelineEvent,
)
from rca_desk.model.actions import COMMITTED_STATUSES, NOTE_REQUIRED
from rca_desk.model.agenda import (
    DEFAULT_AGENDA,
    MAX_STEPS,
    Agenda,
    AgendaStep,
    agenda_data,
    checked_step,
)
from rca_desk.model.categories import MAX_CATEGORY_LENGTH
from rca_desk.model.cause_graph import MAX_TEXT_LENGTH
from rca_desk.model.follow_ups import DEFAULT_CADENCE, PHASES, cadence_data, checked_cadence
from rca_desk.model.incident import (
    MAX_LONG_TEXT_LENGTH,
    MAX_WHYS_DEPTH,
    MIN_WHYS_DEPTH,
    RECORD_KINDS,
    Record,
)
from rca_desk.model.lifecycle import MIGRATED_NOTE, RULES_BEFORE_1_1, history_problems
from rca_desk.model.recovery import (
    DEFAULT_STREAK,
    Apology,
    Confidence,
    Direction,
    MeasureValue,
    OfferStatus,
    Restitution,
    RestitutionKind,
    TrustMeasure,
    checked_apology,
    checked_streak,
)
from rca_desk.model.text import (
    bidi_problem,
    control_problem,
    normalise_newlines,
    stripped_for_storage,
)
from rca_desk.store import WorkspaceStore

FORMAT = "rca-desk"
MAX_FILE_BYTES = 200 * 1024 * 1024
# fullmatch, not match: "$" also matches before a final newline.
_UID_RE = re.compile(r"[A-Za-z0-9_.-]{1,64}")

E = TypeVar("E", bound=Any)
# Canonical "major.minor": no signs, spaces or leading zeros, so one version has one spelling.
_VERSION_RE = re.compile(r"(0|[1-9][0-9]{0,4})\.(0|[1-9][0-9]{0,4})")


@dataclass(frozen=True, order=True)
class FormatVersion:
    """A version of this JSON format; ordered major first, then minor."""

    major: int
    minor: int

    @classmethod
    def parse(cls, value: Any) -> FormatVersion | None:
        """Read ``"major.minor"``, or a legacy whole number ``N`` (meaning N.0); else None.

        Only ``1`` was ever written as a number; any other number is read the same way so
        that, say, ``2`` is refused as a newer major rather than as nonsense.
        """
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value, 0) if 1 <= value <= 99_999 else None
        if isinstance(value, str) and (match := _VERSION_RE.fullmatch(value)):
            return cls(int(match[1]), int(match[2]))
        return None

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


Document = dict[str, Any]


@dataclass(frozen=True)
class Step:
    """One link of the upgrade chain: takes a document of the version before to ``version``.

    ``upgrade(document, now)`` runs on the parsed document *before* it is checked, so it
    must accept anything: change only what has the shape it expects and leave the rest for
    the checks to report. It may change the document in place (it gets a copy); it returns
    it. ``now`` is the reader's clock, the date of anything the step has to add.
    """

    version: FormatVersion
    upgrade: Callable[[Document, datetime], Document]


#: What ``"version": 1`` files are: the format before versions had a minor part.
FIRST_VERSION = FormatVersion(1, 0)


def _strip_controls(value: dict[str, Any]) -> None:
    """Every string in the decoded object ``value``, at any depth, passed through
    :func:`~rca_desk.model.text.stripped_for_storage` (as the workspace's 1.1 step does),
    in place; lists and objects are walked without recursion."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            pairs: Iterable[tuple[Any, Any]] = list(item.items())
        elif isinstance(item, list):
            pairs = list(enumerate(item))
        else:
            continue
        for key, child in pairs:
            if isinstance(child, str):
                item[key] = stripped_for_storage(child)
            else:
                stack.append(child)


def _to_1_1(document: Document, now: datetime) -> Document:
    """1.0 to 1.1: mend what a file written under 1.0's looser rules breaks.

    1.1 adds two optional fields (``causes[].stop_reason``, ``actions[].measured_result``)
    and stricter rules: an action's ``status`` and ``strength`` are required, a history
    entry's ``from`` is required, and the history keeps the lifecycle's rules
    (:mod:`rca_desk.model.lifecycle`). So, mechanically, as the workspace migration does:

    * every text is stripped as the workspace's 1.1 step strips stored text
      (:func:`~rca_desk.model.text.stripped_for_storage`): line ends become newlines, and
      control characters (but newline and tab) and bidi embeddings, overrides and
      isolates are removed;
    * a missing ``status`` is ``"proposed"``, a missing ``strength`` ``"intermediate"``,
      and a history entry's missing ``from`` null: what 1.0 read them as;
    * the history is mended as :func:`~rca_desk.model.lifecycle.mend_history` mends it:
      an action that is not proposed and has no history gets its creation entry, a history
      that does not end at the status gets an entry to it, both dated ``now``, and an
      entry to a status that needs a note gets :data:`MIGRATED_NOTE` for a blank one.

    What does not have the expected shape is left as it is, for the checks to report.
    """
    _strip_controls(document)
    incidents = document.get("incidents")
    for incident in incidents if isinstance(incidents, list) else []:
        actions = incident.get("actions") if isinstance(incident, dict) else None
        for action in actions if isinstance(actions, list) else []:
            if isinstance(action, dict):
                _mend_raw_action(action, now)
    return document


_STATUS_VALUES = frozenset(status.value for status in ActionStatus)
_NOTE_REQUIRED_VALUES = frozenset(status.value for status in NOTE_REQUIRED)


def _raw_status(value: Any) -> str | None:
    """``value`` if it names a status (a file may hold anything there), else None."""
    return value if isinstance(value, str) and value in _STATUS_VALUES else None


def _mend_raw_action(action: dict[str, Any], now: datetime) -> None:
    """:func:`~rca_desk.model.lifecycle.mend_history` on an action as a 1.0 file has it."""
    action.setdefault("status", ActionStatus.PROPOSED.value)
    action.setdefault("strength", Strength.INTERMEDIATE.value)
    history = action.setdefault("history", [])
    if not isinstance(history, list) or not all(isinstance(c, dict) for c in history):
        return
    for change in history:
        change.setdefault("from", None)
        note = change.get("note", "")
        to = _raw_status(change.get("to"))
        if to in _NOTE_REQUIRED_VALUES and isinstance(note, str) and not note.strip():
            change["note"] = MIGRATED_NOTE
    status = _raw_status(action["status"])
    if status is None:
        return
    if not history:
        if status != ActionStatus.PROPOSED.value:
            history.append(
                {"at": now.isoformat(), "from": None, "to": status, "note": MIGRATED_NOTE}
            )
        return
    last = _raw_status(history[-1].get("to"))
    if last is not None and last != status:
        history.append({"at": now.isoformat(), "from": last, "to": status, "note": MIGRATED_NOTE})


def _to_1_2(document: Document, _now: datetime) -> Document:
    """1.1 to 1.2: each incident gains its parking lot (issue 14), empty before it."""
    incidents = document.get("incidents")
    for incident in incidents if isinstance(incidents, list) else []:
        if isinstance(incident, dict):  # anything else is reported by the reader
            incident.setdefault("parking", [])
    return document


def _to_1_3(document: Document, _now: datetime) -> Document:
    """1.2 to 1.3: each incident gains its workshop agenda (issue 14): the default one,
    which every incident had before it could be edited."""
    incidents = document.get("incidents")
    for incident in incidents if isinstance(incidents, list) else []:
        if isinstance(incident, dict):  # anything else is reported by the reader
            incident.setdefault("agenda", agenda_data(DEFAULT_AGENDA))
    return document


def _to_1_4(document: Document, _now: datetime) -> Document:
    """1.3 to 1.4: each incident gains its record (issue 15), as it was before it could be
    kept: no lessons, no day of resolution or review meeting, the default cadence, and no
    timeline, participants or check-ins."""
    incidents = document.get("incidents")
    for incident in incidents if isinstance(incidents, list) else []:
        if isinstance(incident, dict):  # anything else is reported by the reader
            incident.setdefault("lessons", "")
            incident.setdefault("resolved_at", None)
            incident.setdefault("review_meeting", None)
            incident.setdefault("cadence", cadence_data(DEFAULT_CADENCE))
            for kind in ("timeline", "participants", "check_ins"):
                incident.setdefault(kind, [])
    return document


def _to_1_5(document: Document, _now: datetime) -> Document:
    """1.4 to 1.5: each incident gains the client's recovery (issue 16), as it was before
    it could be kept: no apology on record, the default streak of check-ins on target,
    and no restitution, trust measures, values or confidence ratings."""
    incidents = document.get("incidents")
    for incident in incidents if isinstance(incidents, list) else []:
        if isinstance(incident, dict):  # anything else is reported by the reader
            incident.setdefault("apology", record_data(Apology()))
            incident.setdefault("restore_streak", DEFAULT_STREAK)
            for kind in ("restitution", "measures", "measure_values", "confidence"):
                incident.setdefault(kind, [])
    return document


#: The one chain that brings any older document to the current version, oldest step
#: first. Every later change to the format adds one minor step here (a major step only
#: for a change an older reader must not misread); no import path has a chain of its own.
STEPS: tuple[Step, ...] = (
    Step(FormatVersion(1, 1), _to_1_1),
    Step(FormatVersion(1, 2), _to_1_2),
    Step(FormatVersion(1, 3), _to_1_3),
    Step(FormatVersion(1, 4), _to_1_4),
    Step(FormatVersion(1, 5), _to_1_5),
)


def current_version() -> FormatVersion:
    """The version this code reads natively: where the chain ends.

    Asked of :data:`STEPS` each time rather than fixed at import, so the chain is the one
    place that says it.
    """
    return STEPS[-1].version if STEPS else FIRST_VERSION


VERSION = str(current_version())


def upgrade(document: Document, found: FormatVersion, *, now: datetime) -> Document:
    """Run every step of :data:`STEPS` above ``found``, in order, on a copy of ``document``.

    The caller's document is never changed. The result says the version it reached.
    ``now`` is passed to each step (the date of anything a step adds).
    """
    pending = [step for step in STEPS if step.version > found]
    if not pending:
        return document
    document = copy.deepcopy(document)
    for step in pending:
        document = step.upgrade(document, now)
        document["version"] = str(step.version)
    return document


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an imported file, with its place (``incidents[0].causes[3].category``)
    so the person can find and fix it."""

    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class ImportRefusedError(RcaError):
    """The file was not imported; :attr:`problems` says every reason and where.

    Its message is one line: the source, the first problem, and how many more there are
    (``f.json: not imported: incidents[0].title: must not be empty (2 more problems;
    --verbose lists them)``), so a command prints one line however bad the file.
    """

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(self.headline("--verbose lists them"))

    def headline(self, how_to_list: str) -> str:
        """The one-line message, saying ``how_to_list`` the other problems, if any."""
        more = len(self.problems) - 1
        counted = f" ({more} more problem{'s' if more > 1 else ''}; {how_to_list})" if more else ""
        return f"{self.source}: not imported: {self.problems[0]}{counted}"


# ------------------------------------------------------------------- export
def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value: object) -> object:
    """A record's value as a file holds it: dates as ISO text, a choice as its value."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact: a credit of 0.10 stays 0.10
    return value.value if isinstance(value, Enum) else value


def record_data(record: Record | Apology) -> dict[str, Any]:
    """One record of the incident's lists as a file holds it: its fields, in order."""
    return {field.name: _plain(getattr(record, field.name)) for field in dataclass_fields(record)}


def incident_to_dict(incident: Incident) -> dict[str, Any]:
    graph = incident.graph
    return {
        "uid": incident.uid,
        "title": incident.title,
        "occurred_at": _iso(incident.occurred_at),
        "affected": incident.affected,
        "severity": incident.severity.value,
        "status": incident.status.value,
        "description": incident.description,
        "impact": {
            "operational": incident.impact.operational,
            "financial": incident.impact.financial,
            "reputational": incident.impact.reputational,
            "compliance": incident.impact.compliance,
        },
        "containment": incident.containment,
        "whys_depth": incident.whys_depth,
        "agenda": agenda_data(incident.agenda),
        "lessons": incident.lessons,
        "resolved_at": _iso(incident.resolved_at),
        "review_meeting": _iso(incident.review_meeting),
        "cadence": cadence_data(incident.cadence),
        "apology": record_data(incident.apology),
        "restore_streak": incident.restore_streak,
        "categories": list(graph.categories),
        "problem": graph.problem,
        "causes": [
            {
                "id": cause.id,
                "parent": graph.parent(cause.id),
                "text": cause.text,
                "category": cause.category,
                "evidence": cause.evidence.value,
                "evidence_note": cause.evidence_note,
                "root_cause": cause.root_cause,
                "stop_reason": cause.stop_reason,
            }
            for cause in graph.causes()
        ],
        "links": [{"effect": e, "cause": c} for e, c in sorted(graph.links())],
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
                        "from": change.from_status.value if change.from_status else None,
                        "to": change.to_status.value,
                        "note": change.note,
                    }
                    for change in action.history
                ],
            }
            for action in incident.actions
        ],
        "parking": [{"id": kept.id, "text": kept.text} for kept in incident.parking],
        **{kind: [record_data(r) for r in incident.records(kind)] for kind in RECORD_KINDS},
    }


def to_document(incidents: Iterable[Incident]) -> Document:
    return {
        "format": FORMAT,
        "version": VERSION,
        "incidents": [incident_to_dict(incident) for incident in incidents],
    }


def dumps(incidents: Iterable[Incident]) -> str:
    return json.dumps(to_document(incidents), ensure_ascii=False, indent=2) + "\n"


def write_json(path: str | Path, incidents: Iterable[Incident]) -> None:
    atomic_write_bytes(path, dumps(incidents).encode("utf-8"))


# ------------------------------------------------------------------- import
class _Reader:
    """Typed access to untrusted JSON values that records problems instead of raising.

    With ``ignore_unknown`` (a document of a newer minor version) a key this version does
    not know is not a problem: by the minor rule it is an optional addition, so it is left
    out and its place kept in :attr:`ignored`.
    """

    def __init__(self, *, now: datetime, ignore_unknown: bool = False, older: bool = False) -> None:
        self.problems: list[Problem] = []
        self.ignore_unknown = ignore_unknown
        self.ignored: list[str] = []
        #: The reader's clock: no history entry may be later (beyond the slack).
        self.now = now
        #: The document was upgraded from before 1.1: the history rules 1.1 added are left
        #: to the findings rather than refused (see :func:`_to_1_1`).
        self.older = older

    def problem(self, place: str, message: str) -> None:
        self.problems.append(Problem(place, message))

    def fields(
        self, value: Any, place: str, known: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(place, f"must be an object, not {_kind(value)}")
            return None
        for key in value:
            if key not in known:
                if self.ignore_unknown:
                    self.ignored.append(f"{place}.{key}")
                else:
                    self.problem(f"{place}.{key}", "is not a field of this format")
        for key in required:
            if key not in value:
                self.problem(place, f"lacks the required field {key!r}")
        return value

    def record(self, value: Any, place: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        """An object whose ``keys`` are all required (a link, an idea, an agenda step);
        None, with the problem said, when it is not one or lacks one."""
        found = self.fields(value, place, keys, keys)
        return found if found is not None and all(key in found for key in keys) else None

    def text(self, obj: dict[str, Any], key: str, place: str, default: str = "") -> str:
        return self.string(obj.get(key, default), f"{place}.{key}", default)

    def string(self, value: Any, place: str, default: str = "") -> str:
        """``value`` if it is text the workspace can store, else a problem.

        Every imported text passes here, so the model's text rules are checked at the
        field's place: no lone surrogates, no control characters but newline and tab, no
        bidi overrides (``rca_desk.model.text``). Windows line ends become "\\n".
        """
        if not isinstance(value, str):
            self.problem(place, f"must be text, not {_kind(value)}")
            return default
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.problem(place, "contains characters that are not valid Unicode")
            return default
        text = normalise_newlines(value)
        problem = control_problem(text) or bidi_problem(text)
        if problem is not None:
            self.problem(place, problem)
            return default
        return text

    def limited(
        self,
        obj: dict[str, Any],
        key: str,
        place: str,
        limit: int,
        *,
        required: bool = False,
        clean: Callable[[str], str] = lambda text: text,
    ) -> str:
        """:meth:`text`, then :meth:`check_limit` on it if it is there and text at all."""
        if key not in obj:
            return ""
        seen = len(self.problems)
        value = self.text(obj, key, place)
        if len(self.problems) == seen:
            self.check_limit(value, f"{place}.{key}", limit, required=required, clean=clean)
        return value

    def check_limit(
        self,
        value: str,
        place: str,
        limit: int,
        *,
        required: bool = False,
        clean: Callable[[str], str] = lambda text: text,
    ) -> bool:
        """At most ``limit`` characters once ``clean``-ed (as the model cleans it), and not
        blank if ``required``; else a problem at ``place`` naming the limit. True if fine."""
        cleaned = clean(value)
        if required and not cleaned.strip():
            self.problem(place, "must not be empty")
            return False
        if len(cleaned) > limit:
            self.problem(place, f"is longer than {limit} characters (limit {limit})")
            return False
        return True

    def uid(self, obj: dict[str, Any], key: str, place: str) -> str:
        value = self.text(obj, key, place)
        if key in obj and isinstance(obj[key], str) and not _UID_RE.fullmatch(value):
            self.problem(f"{place}.{key}", "must be 1-64 letters, digits, '_', '.' or '-'")
        return value

    def choice(self, obj: dict[str, Any], key: str, place: str, enum: type[E], default: E) -> E:
        if key not in obj:
            return default
        value = obj[key]
        try:
            member: E = enum(value)
        except (ValueError, TypeError):
            allowed = ", ".join(member.value for member in enum)
            self.problem(f"{place}.{key}", f"{_show(value)} is not one of: {allowed}")
            return default
        return member

    def integer(self, obj: dict[str, Any], key: str, place: str, default: int) -> int:
        value = obj.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{place}.{key}", f"must be a whole number, not {_kind(value)}")
            return default
        return value

    def number(self, obj: dict[str, Any], key: str, place: str, *, whole: bool) -> Any:
        """A JSON number (a whole one when ``whole``), handed to the model as it is."""
        value = obj.get(key)
        kinds = (int,) if whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            what = "a whole number" if whole else "a number"
            self.problem(f"{place}.{key}", f"must be {what}, not {_kind(value)}")
            return None
        return value

    def amount(self, obj: dict[str, Any], key: str, place: str) -> Decimal | None:
        """An exact amount, written as text ("6400.00") so no float rounds it; or null."""
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                amount = Decimal(value)
            except InvalidOperation:
                pass
            else:
                if amount.is_finite():
                    return amount
        self.problem(
            f"{place}.{key}", f'{_show(value)} is not an amount written as text ("6400.00")'
        )
        return None

    def flag(self, obj: dict[str, Any], key: str, place: str) -> bool:
        value = obj.get(key, False)
        if not isinstance(value, bool):
            self.problem(f"{place}.{key}", f"must be true or false, not {_kind(value)}")
            return False
        return value

    def when(
        self, obj: dict[str, Any], key: str, place: str, parse: Callable[[str], E], what: str
    ) -> E | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return parse(value)
            except ValueError:
                pass
        self.problem(f"{place}.{key}", f"{_show(value)} is not {what}")
        return None

    def items(self, obj: dict[str, Any], key: str, place: str) -> list[Any]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.problem(f"{place}.{key}", f"must be a list, not {_kind(value)}")
            return []
        return value


def _cleaned(text: str) -> str:
    """Text as :func:`rca_desk.model.cause_graph.clean_text` stores it (stripped, lines
    right-stripped), so a limit is checked on what would be kept."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _category_name(text: str) -> str:
    """A category name as the model keeps it: runs of white space made one space."""
    return " ".join(text.split())


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


_INCIDENT_KEYS = (
    "uid", "title", "occurred_at", "affected", "severity", "status", "description",
    "impact", "containment", "whys_depth", "agenda", "lessons", "resolved_at",
    "review_meeting", "cadence", "categories", "problem", "causes", "links", "actions",
    "parking", "timeline", "participants", "check_ins", "apology", "restore_streak",
    "restitution", "measures", "measure_values", "confidence",
)  # fmt: skip
_CAUSE_KEYS = (
    "id", "parent", "text", "category", "evidence", "evidence_note", "root_cause",
    "stop_reason",
)  # fmt: skip
_ACTION_KEYS = (
    "uid", "title", "root_causes", "owner", "due", "strength", "metric", "target",
    "measured_result", "verify_on", "notes", "status", "history",
)  # fmt: skip


@dataclass(frozen=True)
class JsonDocument:
    """A checked document: its incidents, and what reading it left out (a newer minor)."""

    incidents: list[Incident]
    version: FormatVersion
    ignored: tuple[str, ...] = ()
    #: One line for the person importing, when the file was of a newer minor version.
    notice: str | None = None


def _newer_minor_notice(source: str, found: FormatVersion, ignored: list[str]) -> str:
    """Say, on one line, that the file is newer and which fields were left out."""
    head = f"{source}: format {found} is newer than this rca-desk's {current_version()}"
    if not ignored:
        return f"{head}; every field in it is known here, nothing was ignored."
    shown = ", ".join(ignored[:3])
    more = f" and {len(ignored) - 3} more" if len(ignored) > 3 else ""
    return (
        f"{head}; {len(ignored)} field(s) unknown to this version were ignored "
        f"({shown}{more}). Update rca-desk to keep them."
    )


def _read_version(reader: _Reader, data: Any) -> FormatVersion | None:
    """Check ``format`` and ``version`` first: they decide how the rest is read."""
    if not isinstance(data, dict):
        reader.problem("(top)", f"must be an object, not {_kind(data)}")
        return None
    for key in ("format", "version"):
        if key not in data:
            reader.problem("(top)", f"lacks the required field {key!r}")
    if reader.problems:
        return None
    if data["format"] != FORMAT:
        reader.problem("format", f"must be {FORMAT!r}; this is not an rca-desk file")
        return None
    found = FormatVersion.parse(data["version"])
    current = current_version()
    if found is None or found < FIRST_VERSION:
        reader.problem(
            "version", f'{_show(data["version"])} is not a format version ("major.minor")'
        )
        return None
    if found.major > current.major:
        reader.problem(
            "version",
            f"the file is format {found}, written by a newer rca-desk; this version reads "
            f"format {current.major}.x (up to {current})",
        )
        return None
    return found


def parse_document(
    data: Any, *, source: str = "document", now: datetime | None = None
) -> list[Incident]:
    """Turn decoded JSON into incidents, or raise :class:`ImportRefusedError` with every problem."""
    return parse_json_document(data, source=source, now=now).incidents


#: The first version whose history rules are refused on import (older files are mended).
STRICT_HISTORY_VERSION = FormatVersion(1, 1)


def parse_json_document(
    data: Any, *, source: str = "document", now: datetime | None = None
) -> JsonDocument:
    """Like :func:`parse_document`, and also say what reading a newer file left out.

    An older document goes through the upgrade chain first, so everything after that
    reads only the current version. ``now`` is the clock history times are checked
    against (none may be later than it plus a day); by default the real one.
    """
    now = datetime.now(UTC) if now is None else now
    reader = _Reader(now=now)
    found = _read_version(reader, data)
    if found is None:
        raise ImportRefusedError(source, reader.problems)
    newer = found > current_version()
    if not newer:
        data = upgrade(data, found, now=now)
    reader.ignore_unknown = newer
    reader.older = found < STRICT_HISTORY_VERSION
    top = reader.fields(data, "(top)", ("format", "version", "incidents"), ("format", "version"))
    assert top is not None  # _read_version saw an object
    incidents: list[Incident] = []
    uids: set[str] = set()
    action_uids: set[str] = set()
    for index, raw in enumerate(reader.items(top, "incidents", "(top)")):
        incident = _parse_incident(reader, raw, f"incidents[{index}]", uids, action_uids)
        if incident is not None:
            incidents.append(incident)
    if reader.problems:
        raise ImportRefusedError(source, reader.problems)
    return JsonDocument(
        incidents=incidents,
        version=found,
        ignored=tuple(reader.ignored),
        notice=_newer_minor_notice(source, found, reader.ignored) if newer else None,
    )


def _parse_incident(
    reader: _Reader, raw: Any, place: str, uids: set[str], action_uids: set[str]
) -> Incident | None:
    before = len(reader.problems)  # a missing required field is reason enough not to build it
    obj = reader.fields(raw, place, _INCIDENT_KEYS, ("uid", "title", "problem"))
    if obj is None:
        return None
    _check_incident_limits(reader, obj, place)
    uid = reader.uid(obj, "uid", place)
    if uid in uids:
        reader.problem(f"{place}.uid", f"{uid!r} appears twice in the file")
    uids.add(uid)
    impact_obj = reader.fields(
        obj.get("impact", {}),
        f"{place}.impact",
        ("operational", "financial", "reputational", "compliance"),
    )
    impact = Impact()
    if impact_obj is not None:
        impact = Impact(
            **{
                name: reader.text(impact_obj, name, f"{place}.impact")
                for name in ("operational", "financial", "reputational", "compliance")
            }
        )
    graph_seen = len(reader.problems)
    problem = reader.limited(obj, "problem", place, MAX_TEXT_LENGTH, required=True, clean=_cleaned)
    categories = []
    refused: set[int] = set()
    for i, name in enumerate(reader.items(obj, "categories", place)):
        # Through the same check as every other text, so a lone surrogate is a located
        # problem here rather than an encoding error half-way into the workspace.
        seen = len(reader.problems)
        categories.append(reader.string(name, f"{place}.categories[{i}]"))
        if len(reader.problems) > seen:
            refused.add(i)  # said once, at its place: not "empty" as well
    _check_categories(reader, obj, categories, place, refused)
    graph_readable = len(reader.problems) == graph_seen and "problem" in obj
    fields: dict[str, Any] = {
        "uid": uid,
        "title": reader.text(obj, "title", place),
        "occurred_at": reader.when(
            obj, "occurred_at", place, datetime.fromisoformat, "a date and time (ISO 8601)"
        ),
        "affected": reader.text(obj, "affected", place),
        "severity": reader.choice(obj, "severity", place, Severity, Severity.MEDIUM),
        "status": reader.choice(obj, "status", place, IncidentStatus, IncidentStatus.OPEN),
        "description": reader.text(obj, "description", place),
        "impact": impact,
        "containment": reader.text(obj, "containment", place),
        "whys_depth": reader.integer(obj, "whys_depth", place, 5),
        "agenda": _parse_agenda(reader, obj, place),
        "lessons": reader.text(obj, "lessons", place),
        "cadence": _parse_cadence(reader, obj, place),
        **_parse_follow_up_days(reader, obj, place),
        "apology": _parse_apology(reader, obj, place),
        "restore_streak": _parse_streak(reader, obj, place),
    }
    causes_seen = len(reader.problems)
    causes = reader.items(obj, "causes", place)
    causes_readable = len(reader.problems) == causes_seen
    links = reader.items(obj, "links", place)
    actions = reader.items(obj, "actions", place)
    parking = reader.items(obj, "parking", place)
    # The incident's own fields and its cause graph are checked independently, so one
    # pass reports the mistakes in both; the graph needs its problem and categories.
    if not graph_readable:
        return None
    try:
        graph = CauseGraph(problem=problem, categories=categories or _default_categories())
    except RcaError as error:
        reader.problem(place, str(error))
        return None
    incident: Incident | None = None
    if len(reader.problems) == before:
        try:
            incident = Incident(graph=graph, **fields)
        except RcaError as error:
            reader.problem(place, str(error))
    # Links and root causes are only checked against a complete graph (a cause missing
    # for another reason would be reported twice), but actions' own fields always are.
    graph_complete = causes_readable and _parse_causes(reader, graph, causes, place)
    for i, raw_link in enumerate(links if graph_complete else []):
        link_place = f"{place}.links[{i}]"
        link = reader.record(raw_link, link_place, ("effect", "cause"))
        if link is None:
            continue
        seen = len(reader.problems)
        effect = reader.text(link, "effect", link_place)
        cause = reader.text(link, "cause", link_place)
        if len(reader.problems) > seen:
            continue
        for key, node in (("effect", effect), ("cause", cause)):
            if node not in graph and not (key == "effect" and node == HEAD):
                reader.problem(f"{link_place}.{key}", f"no cause has the id {_show(node)}")
        if len(reader.problems) > seen:
            continue
        try:
            graph.add_link(effect, cause)
        except RcaError as error:
            reader.problem(link_place, str(error))
    for i, raw_action in enumerate(actions):
        action_place = f"{place}.actions[{i}]"
        action = _parse_action(reader, raw_action, action_place, action_uids)
        if action is None or not graph_complete:
            continue
        seen = len(reader.problems)
        for j, cause_id in enumerate(action.root_causes):
            if cause_id not in graph:
                reader.problem(
                    f"{action_place}.root_causes[{j}]", f"no cause has the id {_show(cause_id)}"
                )
            elif not graph.cause(cause_id).root_cause:
                reader.problem(
                    f"{action_place}.root_causes[{j}]",
                    f"cause {cause_id!r} is not marked as a root cause",
                )
        if len(reader.problems) > seen or incident is None:
            continue
        try:
            incident.add_action(action)
        except RcaError as error:
            reader.problem(action_place, str(error))
    for i, raw_idea in enumerate(parking):
        idea_place = f"{place}.parking[{i}]"
        kept = reader.record(raw_idea, idea_place, ("id", "text"))
        if kept is None:
            continue
        seen = len(reader.problems)
        idea_id = reader.text(kept, "id", idea_place)
        text = reader.limited(kept, "text", idea_place, MAX_TEXT_LENGTH, required=True)
        if len(reader.problems) > seen or incident is None:
            continue
        try:
            incident.park(text, idea_id=idea_id)
        except RcaError as error:
            reader.problem(idea_place, str(error))
    for kind in RECORD_KINDS:
        _parse_records(reader, obj, place, kind, incident)
    return incident if len(reader.problems) == before else None


def _parse_follow_up_days(reader: _Reader, obj: dict[str, Any], place: str) -> dict[str, Any]:
    """The day the service was restored and the day of the review meeting; a meeting
    before the restoration is refused at its place, in the model's words."""
    resolved, review = (
        reader.when(obj, key, place, date.fromisoformat, "a date (YYYY-MM-DD)")
        for key in ("resolved_at", "review_meeting")
    )
    if resolved is not None and review is not None:
        try:
            Incident(title="-", resolved_at=resolved, review_meeting=review)  # (its rule)
        except RcaError as error:
            reader.problem(f"{place}.review_meeting", str(error))
            review = None
    return {"resolved_at": resolved, "review_meeting": review}


def _one_value(
    reader: _Reader, place: str, check: Callable[[Any], object], template: Any, key: str, value: Any
) -> bool:
    """Ask the model about one value: ``check`` on ``template`` (a valid whole) with only
    ``key`` set to ``value``, so its refusal is said at the value's own place."""
    try:
        check(replace(template, **{key: value}))
    except RcaError as error:
        reader.problem(place, str(error))
        return False
    return True


def _parse_apology(reader: _Reader, obj: dict[str, Any], place: str) -> Apology:
    """The apology, each value checked by the model at its place; none when left out."""
    if "apology" not in obj:
        return Apology()
    apology_place = f"{place}.apology"
    found = reader.fields(obj["apology"], apology_place, _APOLOGY_FORMAT_KEYS)
    if found is None:
        return Apology()
    values: dict[str, Any] = {}
    for key, how in _APOLOGY_FORMAT:
        if key not in found:
            continue
        seen = len(reader.problems)
        value = _record_value(reader, found, key, how, apology_place)
        if len(reader.problems) == seen and _one_value(
            reader, f"{apology_place}.{key}", checked_apology, Apology(), key, value
        ):
            values[key] = value
    return Apology(**values)


def _parse_streak(reader: _Reader, obj: dict[str, Any], place: str) -> int:
    seen = len(reader.problems)
    streak = reader.integer(obj, "restore_streak", place, DEFAULT_STREAK)
    if len(reader.problems) > seen:
        return DEFAULT_STREAK
    try:
        return checked_streak(streak)
    except RcaError as error:
        reader.problem(f"{place}.restore_streak", str(error))
        return DEFAULT_STREAK


def _parse_cadence(reader: _Reader, obj: dict[str, Any], place: str) -> Cadence:
    """The follow-up cadence, each phase's count checked by the model at its place; the
    default when the field is left out."""
    if "cadence" not in obj:
        return DEFAULT_CADENCE
    cadence_place = f"{place}.cadence"
    found = reader.record(obj["cadence"], cadence_place, PHASES)
    if found is None:
        return DEFAULT_CADENCE
    counts: dict[str, int] = {}
    for name in PHASES:
        seen = len(reader.problems)
        count = reader.integer(found, name, cadence_place, 0)
        if len(reader.problems) == seen and _one_value(
            reader, f"{cadence_place}.{name}", checked_cadence, DEFAULT_CADENCE, name, count
        ):
            counts[name] = count
    return Cadence(**counts) if len(counts) == len(PHASES) else DEFAULT_CADENCE


#: How each kind of the incident's records is written: its keys, in order, and how each
#: value is read (``id``, ``text``, ``day``: an ISO date or null, ``moment``: an ISO date
#: and time, ``number``, ``whole``, ``amount``: a decimal as text, or null, or an enum
#: whose values are the choices). A key whose field has a default in the model is
#: optional. The rules of each value are the model's (``RECORD_KINDS``), asked of one
#: value at a time. A record's identity is its ``id`` (a measure value's: its check-in and
#: measure; a confidence rating's: its check-in).
_RECORD_FORMATS: dict[str, tuple[tuple[str, str | type[Enum]], ...]] = {
    "timeline": (("id", "id"), ("at", "moment"), ("what", "text"), ("source", "text")),
    "participants": (("id", "id"), ("name", "text"), ("role", "text")),
    "check_ins": (
        ("id", "id"), ("planned", "day"), ("held", "day"), ("channel", Channel),
        ("ours", "text"), ("theirs", "text"), ("summary", "text"),
    ),
    "restitution": (
        ("id", "id"), ("kind", RestitutionKind), ("offered_on", "day"),
        ("status", OfferStatus), ("amount", "amount"), ("currency", "text"), ("note", "text"),
    ),
    "measures": (
        ("id", "id"), ("name", "text"), ("unit", "text"), ("target", "number"),
        ("direction", Direction),
    ),
    "measure_values": (("check_in_id", "id"), ("measure_id", "id"), ("value", "number")),
    "confidence": (("check_in_id", "id"), ("score", "whole"), ("words", "text")),
}  # fmt: skip
#: Values whose rule spans the record (a credit needs an amount and a currency, another
#: kind has neither): checked with the whole record, at the record's place.
_CHECKED_TOGETHER: dict[str, frozenset[str]] = {
    "restitution": frozenset({"kind", "amount", "currency"}),
}
_APOLOGY_FORMAT: tuple[tuple[str, str | type[Enum]], ...] = (
    ("on", "day"), ("by", "text"), ("to", "text"), ("channel", Channel),
)  # fmt: skip
_APOLOGY_FORMAT_KEYS = tuple(key for key, _ in _APOLOGY_FORMAT)
#: A valid record of each kind, made with its required fields only: the whole each value
#: is checked in, and the defaults of the keys a file leaves out.
_TEMPLATES: dict[str, Record] = {
    "timeline": TimelineEvent("id", datetime(2000, 1, 1), "what"),
    "participants": Participant("id", "name"),
    "check_ins": CheckIn("id", date(2000, 1, 1)),
    "restitution": Restitution("id", RestitutionKind.OTHER, date(2000, 1, 1)),
    "measures": TrustMeasure("id", "name", "", 1.0),
    "measure_values": MeasureValue("check_in", "measure", 1.0),
    "confidence": Confidence("check_in", 3),
}


def _record_value(
    reader: _Reader, obj: dict[str, Any], key: str, how: str | type[Enum], place: str
) -> Any:
    if isinstance(how, type):
        return reader.choice(obj, key, place, how, next(iter(how)))
    if how == "id":
        return reader.uid(obj, key, place)
    if how == "moment":
        return reader.when(obj, key, place, datetime.fromisoformat, "a date and time (ISO 8601)")
    if how == "day":
        return reader.when(obj, key, place, date.fromisoformat, "a date (YYYY-MM-DD)")
    if how in ("number", "whole"):
        return reader.number(obj, key, place, whole=how == "whole")
    if how == "amount":
        return reader.amount(obj, key, place)
    return reader.text(obj, key, place)


def _parse_records(
    reader: _Reader, obj: dict[str, Any], place: str, kind: str, incident: Incident | None
) -> None:
    """The incident's ``kind`` list, into ``incident`` (when it could be built): every
    value checked at its own place, each id once in the list."""
    shape = _RECORD_FORMATS[kind]
    template = _TEMPLATES[kind]
    check = RECORD_KINDS[kind][0]
    required = tuple(f.name for f in dataclass_fields(template) if f.default is MISSING)
    first: dict[str, int] = {}
    for i, raw in enumerate(reader.items(obj, kind, place)):
        item_place = f"{place}.{kind}[{i}]"
        found = reader.fields(raw, item_place, tuple(key for key, _ in shape), required)
        if found is None or not all(key in found for key in required):
            continue
        present = [(key, how) for key, how in shape if key in found]
        values: dict[str, Any] = {}
        for key, how in present:
            seen = len(reader.problems)
            value = _record_value(reader, found, key, how, item_place)
            if len(reader.problems) == seen and (
                key in _CHECKED_TOGETHER.get(kind, ())
                or _one_value(reader, f"{item_place}.{key}", check, template, key, value)
            ):
                values[key] = value
        if len(values) < len(present):
            continue
        record = replace(template, **values)
        record_id = record.id
        if record_id in first:
            reader.problem(
                f"{item_place}.id",
                f"{_show(record_id)} is already the id of {kind}[{first[record_id]}]; "
                "each id appears once in the list",
            )
            continue
        first[record_id] = i
        if incident is not None:
            try:
                incident.put_record(kind, record)
            except RcaError as error:
                reader.problem(item_place, str(error))


def _parse_agenda(reader: _Reader, obj: dict[str, Any], place: str) -> Agenda:
    """The incident's agenda, each step's problem named at its place; the default when
    the field is left out (it is optional, like the parking lot)."""
    if "agenda" not in obj:
        return DEFAULT_AGENDA
    raw = reader.items(obj, "agenda", place)
    if isinstance(obj["agenda"], list) and not 1 <= len(raw) <= MAX_STEPS:
        reader.problem(
            f"{place}.agenda",
            f"must list 1 to {MAX_STEPS} steps, not {len(raw)} "
            "(leave the field out for the default agenda)",
        )
        return DEFAULT_AGENDA
    steps: list[AgendaStep] = []
    for i, raw_step in enumerate(raw):
        step_place = f"{place}.agenda[{i}]"
        step = reader.record(raw_step, step_place, ("step", "minutes"))
        if step is None:
            continue
        seen = len(reader.problems)
        name = reader.text(step, "step", step_place)
        minutes = reader.integer(step, "minutes", step_place, 0)
        if len(reader.problems) > seen:
            continue
        try:
            steps.append(checked_step(AgendaStep(name, minutes), i + 1))
        except RcaError as error:
            reader.problem(step_place, str(error))
    return tuple(steps) if len(steps) == len(raw) else DEFAULT_AGENDA


def _check_incident_limits(reader: _Reader, obj: dict[str, Any], place: str) -> None:
    """The incident's own limits, each named at its field (the model would name the
    incident), before the model sees the values. A value that is not text is reported
    where it is read."""
    limits = {
        "title": MAX_TEXT_LENGTH,
        "affected": MAX_LONG_TEXT_LENGTH,
        "description": MAX_LONG_TEXT_LENGTH,
        "containment": MAX_LONG_TEXT_LENGTH,
        "lessons": MAX_LONG_TEXT_LENGTH,
    }
    for name, limit in limits.items():
        if isinstance(obj.get(name), str):
            title = name == "title"
            clean = _cleaned if title else str
            reader.check_limit(obj[name], f"{place}.{name}", limit, required=title, clean=clean)
    depth = obj.get("whys_depth")
    in_range = not isinstance(depth, int) or MIN_WHYS_DEPTH <= depth <= MAX_WHYS_DEPTH
    if not isinstance(depth, bool) and not in_range:
        reader.problem(
            f"{place}.whys_depth",
            f"must be between {MIN_WHYS_DEPTH} and {MAX_WHYS_DEPTH}, not {depth}",
        )


def _check_categories(
    reader: _Reader, obj: dict[str, Any], categories: list[str], place: str, refused: set[int]
) -> None:
    """Each category named at its place: not empty, not too long, not repeated; and a
    list that is given is not empty (only a missing one means the default set)."""
    if "categories" in obj and isinstance(obj["categories"], list) and not categories:
        reader.problem(
            f"{place}.categories",
            "must list at least one category (leave the field out for the default set)",
        )
    seen: dict[str, int] = {}
    for i, name in enumerate(categories):
        if i in refused:
            continue
        cleaned = _category_name(name)
        if not cleaned:
            reader.problem(f"{place}.categories[{i}]", "must not be empty")
        elif len(cleaned) > MAX_CATEGORY_LENGTH:
            reader.problem(
                f"{place}.categories[{i}]",
                f"is longer than {MAX_CATEGORY_LENGTH} characters (limit {MAX_CATEGORY_LENGTH})",
            )
        elif cleaned in seen:
            reader.problem(
                f"{place}.categories[{i}]",
                f"{_show(cleaned)} is already categories[{seen[cleaned]}]; each appears once",
            )
        else:
            seen[cleaned] = i


def _default_categories() -> list[str]:
    from rca_desk.model import DEFAULT_CATEGORIES

    return list(DEFAULT_CATEGORIES)


def _parse_causes(reader: _Reader, graph: CauseGraph, causes: list[Any], place: str) -> bool:
    """Add causes parents first, whatever their order in the file; False on any problem."""
    before = len(reader.problems)
    records: dict[str, tuple[int, dict[str, Any]]] = {}
    children: dict[str, list[str]] = {}
    for i, raw in enumerate(causes):
        cause_place = f"{place}.causes[{i}]"
        obj = reader.fields(raw, cause_place, _CAUSE_KEYS, ("id", "parent", "text", "category"))
        if obj is None or not all(key in obj for key in ("id", "parent")):
            continue
        cause_id = reader.uid(obj, "id", cause_place)
        parent = reader.text(obj, "parent", cause_place)
        if cause_id in records or cause_id == HEAD:
            reader.problem(f"{cause_place}.id", f"{cause_id!r} is used by another cause")
            continue
        records[cause_id] = (i, obj)
        children.setdefault(parent, []).append(cause_id)
    for parent in children:
        if parent != HEAD and parent not in records:
            i, _ = records[children[parent][0]]
            reader.problem(f"{place}.causes[{i}].parent", f"no cause has the id {parent!r}")
    stack = [HEAD]
    while stack:
        parent = stack.pop()
        for cause_id in children.get(parent, []):
            i, obj = records[cause_id]
            cause_place = f"{place}.causes[{i}]"
            seen = len(reader.problems)
            text = reader.limited(
                obj, "text", cause_place, MAX_TEXT_LENGTH, required=True, clean=_cleaned
            )
            category = reader.text(obj, "category", cause_place)
            evidence = reader.choice(obj, "evidence", cause_place, Evidence, Evidence.HYPOTHESIS)
            evidence_note = reader.limited(obj, "evidence_note", cause_place, MAX_TEXT_LENGTH)
            root_cause = reader.flag(obj, "root_cause", cause_place)
            stop_reason = reader.limited(obj, "stop_reason", cause_place, MAX_TEXT_LENGTH)
            if len(reader.problems) > seen:
                continue
            # The mistake people make by hand, named at the field rather than the cause.
            if category not in graph.categories:
                reader.problem(
                    f"{cause_place}.category",
                    f"{_show(category)} is not one of the incident's categories "
                    f"({', '.join(graph.categories)})",
                )
                continue
            try:
                graph.add_cause(
                    parent,
                    cause_id=cause_id,
                    text=text,
                    category=category,
                    evidence=evidence,
                    evidence_note=evidence_note,
                    root_cause=root_cause,
                    stop_reason=stop_reason,
                )
            except RcaError as error:
                reader.problem(cause_place, str(error))
                continue
            stack.append(cause_id)
    unplaced = [cid for cid in records if cid not in graph]
    if unplaced and len(reader.problems) == before:
        i, _ = records[unplaced[0]]
        reader.problem(
            f"{place}.causes[{i}].parent",
            "the causes' parents form a cycle; every chain must lead back to the problem",
        )
    return len(reader.problems) == before


def _parse_action(
    reader: _Reader, raw: Any, place: str, action_uids: set[str]
) -> PreventiveAction | None:
    before = len(reader.problems)  # a missing required field is reason enough not to build it
    obj = reader.fields(
        raw, place, _ACTION_KEYS, ("uid", "title", "root_causes", "strength", "status")
    )
    if obj is None:
        return None
    uid = reader.uid(obj, "uid", place)
    if uid in action_uids:
        reader.problem(f"{place}.uid", f"action {uid!r} appears twice in the file")
    action_uids.add(uid)
    root_causes: list[str] = []
    for i, cause_id in enumerate(reader.items(obj, "root_causes", place)):
        if not isinstance(cause_id, str):
            reader.problem(
                f"{place}.root_causes[{i}]", f"must be a cause id, not {_kind(cause_id)}"
            )
        elif cause_id in root_causes:
            reader.problem(
                f"{place}.root_causes[{i}]",
                f"{_show(cause_id)} is already root_causes[{root_causes.index(cause_id)}]; "
                "each appears once",
            )
        else:
            root_causes.append(cause_id)
    if "root_causes" in obj and isinstance(obj["root_causes"], list) and not obj["root_causes"]:
        reader.problem(f"{place}.root_causes", "must list at least one root cause")
    history = _parse_history(reader, obj, place)
    status = reader.choice(obj, "status", place, ActionStatus, ActionStatus.PROPOSED)
    fields: dict[str, Any] = {
        "uid": uid,
        "title": reader.limited(
            obj, "title", place, MAX_TEXT_LENGTH, required=True, clean=_cleaned
        ),
        "root_causes": root_causes,
        "owner": reader.limited(obj, "owner", place, MAX_TEXT_LENGTH, clean=str.strip),
        "due": reader.when(obj, "due", place, date.fromisoformat, "a date (YYYY-MM-DD)"),
        "strength": reader.choice(obj, "strength", place, Strength, Strength.INTERMEDIATE),
        "metric": reader.limited(obj, "metric", place, MAX_TEXT_LENGTH),
        "target": reader.limited(obj, "target", place, MAX_TEXT_LENGTH),
        "measured_result": reader.limited(obj, "measured_result", place, MAX_TEXT_LENGTH),
        "verify_on": reader.when(
            obj, "verify_on", place, date.fromisoformat, "a date (YYYY-MM-DD)"
        ),
        "notes": reader.limited(obj, "notes", place, MAX_TEXT_LENGTH),
        "status": status,
        "history": history,
    }
    if len(reader.problems) > before:
        return None
    _check_commitment(reader, fields, place)
    if len(reader.problems) > before:
        return None
    try:
        action = PreventiveAction(**fields)
    except RcaError as error:
        reader.problem(place, str(error))
        return None
    for problem in history_problems(action, now=reader.now):
        # A file from before 1.1 was mended on the way in; what the mending cannot
        # mend and 1.0 allowed is left to the findings rather than refused.
        if not reader.older or problem.rule in RULES_BEFORE_1_1:
            reader.problem(f"{place}.{problem.field}", problem.message)
    return action if len(reader.problems) == before else None


def _parse_history(reader: _Reader, obj: dict[str, Any], place: str) -> list[StatusChange]:
    """The entries of an action's history as they are; whether they keep the lifecycle's
    rules is :func:`~rca_desk.model.lifecycle.history_problems`' to say."""
    history: list[StatusChange] = []
    for i, raw_change in enumerate(reader.items(obj, "history", place)):
        change_place = f"{place}.history[{i}]"
        change = reader.fields(
            raw_change, change_place, ("at", "from", "to", "note"), ("at", "from", "to")
        )
        if change is None or any(key not in change for key in ("at", "from", "to")):
            continue
        seen = len(reader.problems)
        at = reader.when(change, "at", change_place, datetime.fromisoformat, "a date and time")
        if at is None and change["at"] is None:
            reader.problem(f"{change_place}.at", "is required")
        from_status = (
            None
            if change["from"] is None
            else reader.choice(change, "from", change_place, ActionStatus, ActionStatus.PROPOSED)
        )
        to_status = reader.choice(change, "to", change_place, ActionStatus, ActionStatus.PROPOSED)
        note = reader.text(change, "note", change_place)
        if at is not None and len(reader.problems) == seen:
            history.append(
                StatusChange(at=at, from_status=from_status, to_status=to_status, note=note)
            )
    return history


def _check_commitment(reader: _Reader, fields: dict[str, Any], place: str) -> None:
    """The action's rules across fields, each named at the field that breaks it: the
    verification date is not before the due date, and an action that is committed or
    later has an owner, a due date, a metric, a target and a verification date."""
    due, verify_on = fields["due"], fields["verify_on"]
    if due is not None and verify_on is not None and verify_on < due:
        reader.problem(
            f"{place}.verify_on",
            f"{verify_on.isoformat()} is before due ({due.isoformat()}); effectiveness is "
            "checked after the action is done",
        )
    status: ActionStatus = fields["status"]
    if status not in COMMITTED_STATUSES:
        return
    committed = ", ".join(sorted(s.value for s in COMMITTED_STATUSES))
    for name in ("owner", "due", "metric", "target", "verify_on"):
        value = fields[name]
        # As the model has it: an owner is kept stripped, the other texts as they are.
        if not (value.strip() if name == "owner" else value):
            reader.problem(
                f"{place}.{name}",
                f"is required when the status is {status.value} (one of: {committed})",
            )


def read_json(path: str | Path, *, now: datetime | None = None) -> list[Incident]:
    """Read and check a JSON file; raise :class:`ImportRefusedError` naming the file.

    ``now`` is the clock history times are checked against (default: the real one)."""
    return read_json_document(path, now=now).incidents


def read_json_document(path: str | Path, *, now: datetime | None = None) -> JsonDocument:
    """Like :func:`read_json`, with the notice to show when the file was newer."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportRefusedError(source, [Problem("", "is larger than 200 MB")])
        raw = path.read_bytes()
    except OSError as error:
        raise ImportRefusedError(
            source, [Problem("", f"cannot be read ({error.strerror})")]
        ) from None
    return parse_json_document(_decode(raw, source), source=source, now=now)


def loads(
    raw: bytes | str, *, source: str = "document", now: datetime | None = None
) -> list[Incident]:
    return parse_json_document(_decode(raw, source), source=source, now=now).incidents


def _decode(raw: bytes | str, source: str) -> Any:
    """The JSON value in ``raw``, or a refusal saying why it is not JSON at all."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise ImportRefusedError(
            source, [Problem("", f"is not UTF-8 text (byte {error.start})")]
        ) from None
    try:
        doubled: dict[int, list[str]] = {}
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            object_pairs_hook=lambda pairs: _object(pairs, doubled),
        )
    except json.JSONDecodeError as error:
        raise ImportRefusedError(
            source,
            [
                Problem(
                    "",
                    f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                )
            ],
        ) from None
    except (RecursionError, ValueError) as error:
        raise ImportRefusedError(source, [Problem("", f"is not valid JSON ({error})")]) from None
    if doubled:  # only then is the document walked, to name the places
        raise ImportRefusedError(
            source,
            [
                Problem(place, "appears twice in one object; keep one")
                for place in _doubled_places(data, doubled)
            ],
        )
    return data


def _object(pairs: list[tuple[str, Any]], doubled: dict[int, list[str]]) -> dict[str, Any]:
    """A decoded JSON object; keys it saw twice are noted in ``doubled`` by its id.

    ``json.loads`` keeps the last of two equal keys without a word, so a hand-edited file
    could say two things about one field and import the one nobody reviewed.
    """
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = doubled.setdefault(id(obj), [])
        for key, _value in pairs:
            if key in seen and key not in twice:
                twice.append(key)
            seen.add(key)
    return obj


def _doubled_places(value: Any, doubled: dict[int, list[str]]) -> list[str]:
    """The place of every key noted twice, as the importer names places."""
    out: list[str] = []
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:  # iterative: a deeply nested file must not exhaust the recursion limit
        item, where = stack.pop()
        if isinstance(item, dict):
            out.extend(f"{where}.{key}" if where else key for key in doubled.get(id(item), ()))
            stack.extend((child, f"{where}.{key}" if where else key) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]") for i, child in enumerate(item))
    return sorted(out)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def import_incidents(
    workspace: WorkspaceStore, incidents: list[Incident], *, source: str
) -> list[int]:
    """Add checked incidents to the workspace, all in one transaction, or none."""
    clashes = [
        Problem(f"incidents[{i}].uid", f"incident {inc.title!r} is already in the workspace")
        for i, inc in enumerate(incidents)
        if workspace.has_uid(inc.uid)
    ]
    if clashes:
        raise ImportRefusedError(source, clashes)
    clashing_actions = workspace.existing_action_uids(
        [action.uid for incident in incidents for action in incident.actions]
    )
    if clashing_actions:
        raise ImportRefusedError(
            source,
            [
                Problem(
                    f"incidents[{i}].actions[{j}].uid",
                    f"action {action.title!r} is already in the workspace",
                )
                for i, incident in enumerate(incidents)
                for j, action in enumerate(incident.actions)
                if action.uid in clashing_actions
            ],
        )
    return workspace.add_incidents(incidents)


def import_file(
    workspace: WorkspaceStore, path: str | Path, *, now: datetime | None = None
) -> list[int]:
    return import_incidents(workspace, read_json(path, now=now), source=str(path))
