"""Damage found while reading: the file's, refused; one incident's, quarantined.

Opening checks the file (:func:`~rca_desk.store.workspace.Workspace.open`), but some damage
only shows when a page or a value is read. Two kinds, two answers:

* **The file is damaged** (SQLite reports a malformed page, a broken index): every read
  method goes through :func:`reading`, which turns any :class:`sqlite3.DatabaseError`
  into a :class:`WorkspaceError` naming the file, ``is damaged (...)``. Nothing is written.
* **One incident's values are damaged** (text that is not UTF-8, an unknown severity, a
  date that is not a date, a number where text belongs): the rest of the workspace is
  fine, so only that incident is quarantined. The list shows it with a reason, loading
  it raises :class:`DamagedIncidentError`, and :func:`salvage_incident` reads it as far as it
  can be read (replacement characters, defaults for unusable values) so it can be
  exported. The normal reads stay strict and fast; the lenient reading here runs only
  after a strict read has failed.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from rca_desk.model import (
    DEFAULT_CATEGORIES,
    HEAD,
    ActionStatus,
    CauseGraph,
    Channel,
    Evidence,
    Impact,
    Incident,
    IncidentStatus,
    PreventiveAction,
    RuleError,
    Severity,
    StatusChange,
    Strength,
)
from rca_desk.model.actions import new_action_uid
from rca_desk.model.agenda import DEFAULT_AGENDA, agenda_from_data
from rca_desk.model.categories import clean_category_name
from rca_desk.model.cause_graph import MAX_TEXT_LENGTH, check_cause_id, clean_text, new_cause_id
from rca_desk.model.follow_ups import DEFAULT_CADENCE, cadence_from_data
from rca_desk.model.incident import DEFAULT_WHYS_DEPTH, new_incident_uid
from rca_desk.model.record import MAX_NAME_LENGTH
from rca_desk.model.recovery import DEFAULT_STREAK, MAX_STREAK, Apology
from rca_desk.model.text import stripped_for_storage
from rca_desk.store.connection import Connection
from rca_desk.store.errors import WorkspaceError
from rca_desk.store.record_rows import (
    AMOUNT,
    CHOICE,
    DAY,
    MOMENT,
    NUMBER,
    RECORD_TABLES,
    WHOLE,
    Column,
    RecordTable,
)

_UNDECODABLE = re.compile(r"Could not decode to UTF-8 column '([^']*)'")
_UID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_SHOWN = 40  # characters of a damaged value shown in a reason
_REASON = 160  # characters of a reason at most

P = ParamSpec("P")
R = TypeVar("R")
E = TypeVar("E", bound=Enum)
T = TypeVar("T")


class UnreadableError(ValueError):
    """A stored value the strict read cannot use; its message is the reason."""


# ------------------------------------------------------------------ reasons
def one_line(text: str, limit: int = _REASON) -> str:
    """``text`` as one printable line of at most ``limit`` characters."""
    lines = [line.strip() for line in text.splitlines()]
    useful = [line for line in lines if line and not line.startswith("***")]
    line = useful[0] if useful else " ".join(lines).strip()
    line = "".join(ch if ch.isprintable() else "?" for ch in line)
    return line if len(line) <= limit else line[: limit - 1] + "…"


_VALUE_PROBLEM = re.compile(
    r"(?:NULL|NUMERIC|TEXT|non-\w+) value in \S+|CHECK constraint failed in \S+"
)


def is_value_problem(report: str) -> bool:
    """Whether a line of ``PRAGMA quick_check`` is about a stored value, not the file.

    (A NULL where the column says NOT NULL, a number in a TEXT column: the pages are
    sound, one row's value is not, so the incident holding it is quarantined.)
    """
    return bool(_VALUE_PROBLEM.fullmatch(report.strip()))


def is_undecodable(error: BaseException) -> bool:
    """Whether SQLite's error is about stored text that is not UTF-8 (a value, not a page)."""
    return isinstance(error, sqlite3.OperationalError) and bool(_UNDECODABLE.search(str(error)))


def quarantines(error: BaseException) -> bool:
    """Whether a strict read failed on one incident's values (not on the file itself)."""
    return isinstance(error, ValueError | KeyError | RuleError) or is_undecodable(error)


def describe(error: BaseException) -> str:
    """One line saying what was wrong, without the damaged bytes themselves."""
    if isinstance(error, sqlite3.Error) and (match := _UNDECODABLE.search(str(error))):
        return f"the text in column {match.group(1)!r} is not valid UTF-8"
    if isinstance(error, UnicodeDecodeError):
        return "SQLite's report of the damage is not readable text"
    return one_line(str(error) or type(error).__name__)


def _show(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, StoredText | str):
        return "text"
    if isinstance(value, bool | int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, bytes):
        return "binary data"
    return type(value).__name__


# -------------------------------------------------------------- file damage
class _Reader(Protocol):
    def _read_failure(self, error: BaseException) -> WorkspaceError | None: ...


S = TypeVar("S", bound=_Reader)


def file_error(path: Path, error: sqlite3.Error | UnicodeDecodeError) -> WorkspaceError:
    """The refusal for an SQLite error met while reading ``path``."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return WorkspaceError(f"{path}: is busy (another program holds a lock on it); try again.")
    return WorkspaceError(f"{path}: is damaged ({describe(error)}).")


def reading(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Make a read method refuse what the backend reports with one :class:`WorkspaceError`.

    Whatever the driver reports while reading (SQLite: a malformed page found late, an
    index that no longer matches its table, text it cannot decode outside a quarantined
    read; a server: a dropped connection) names the workspace and the reason in one line
    instead of escaping as an internal error. The backend words it
    (``_read_failure``); anything it does not claim goes on as it is.
    """

    @functools.wraps(method)
    def read(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            failure = self._read_failure(error)
            if failure is None:
                raise
            raise failure from None

    return read


# ---------------------------------------------------- strict value checks
def text(value: object, what: str) -> str:
    """``value`` if it is text; otherwise the strict read fails with the reason.

    Control and bidi override characters are left out: the model refuses them, and one
    written by an older rca-desk (or behind its back) must not lock the incident. The
    1.1 migration removed those stored before it; this covers what came in since.
    """
    if type(value) is str:
        return stripped_for_storage(value)
    raise UnreadableError(f"the {what} is {_kind(value)}, not text")


# ---------------------------------------------------------- lenient reading
class StoredText(bytes):
    """Text exactly as stored: what a lenient read gets instead of ``str``."""


@contextmanager
def stored_text(conn: Connection) -> Iterator[None]:
    """Read text as :class:`StoredText` for a while, so bad UTF-8 can be told and shown.

    (A BLOB still reads as plain ``bytes``, so text and binary data stay apart.) Only
    SQLite can hold text that is not UTF-8; a server's text is always valid, so there
    this changes nothing.
    """
    if not isinstance(conn, sqlite3.Connection):
        yield
        return
    before = conn.text_factory
    conn.text_factory = StoredText
    try:
        yield
    finally:
        conn.text_factory = before


class Values:
    """Reads stored values leniently: each unusable one is noted and replaced.

    Used with :func:`stored_text`. :attr:`reason` is the first problem, for the list's
    damaged mark and for :class:`DamagedIncidentError`.
    """

    def __init__(self) -> None:
        self.problems: list[str] = []

    def note(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    @property
    def reason(self) -> str | None:
        if not self.problems:
            return None
        more = len(self.problems) - 1
        return one_line(self.problems[0]) + (f"; and {more} more" if more else "")

    def text(self, value: object, what: str, default: str = "") -> str:
        if isinstance(value, StoredText):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                self.note(f"the {what} is not valid UTF-8")
                return value.decode("utf-8", "replace")
        if type(value) is str:
            return value
        self.note(f"the {what} is {_kind(value)}, not text")
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return default if value is None else str(value)

    def optional_text(self, value: object, what: str) -> str | None:
        return None if value is None else self.text(value, what)

    def choice(self, enum: type[E], value: object, default: E, what: str) -> E:
        raw = self.text(value, what, default=default.value)
        try:
            return enum(raw)
        except ValueError:
            self.note(f"unknown {what} {_show(raw)}")
            return default

    def day(self, value: object, what: str) -> date | None:
        raw = self.optional_text(value, what)
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            self.note(f"the {what} {_show(raw)} is not a date")
            return None

    def moment(self, value: object, what: str) -> datetime | None:
        raw = self.optional_text(value, what)
        try:
            return datetime.fromisoformat(raw) if raw else None
        except ValueError:
            self.note(f"the {what} {_show(raw)} is not a date and time")
            return None

    def number(self, value: object, what: str) -> object:
        """A number as stored; anything else is said and handed on, for the model to
        refuse (which leaves its record out)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        self.note(f"the {what} is {_kind(value)}, not a number")
        return value

    def amount(self, value: object, what: str) -> Decimal | None:
        if value is None:
            return None
        raw = self.text(value, what)
        try:
            return Decimal(raw)
        except InvalidOperation:
            self.note(f"the {what} {_show(raw)} is not an amount")
            return None

    def integer(self, value: object, what: str, default: int) -> int:
        if type(value) is int:
            return value
        self.note(f"the {what} is {_kind(value)}, not a whole number")
        return default

    def clean(self, value: object, what: str, placeholder: str) -> str:
        """Text the model accepts as a title or cause: stripped, not empty, not too long."""
        raw = self.text(value, what)
        try:
            return clean_text(raw[: MAX_TEXT_LENGTH * 2], what=what)
        except RuleError as error:
            if raw.strip():
                self.note(str(error))
                return clean_text(raw.strip()[:MAX_TEXT_LENGTH], what=what)
            self.note(f"the {what} is empty")
            return placeholder

    def note_text(self, value: object, what: str, limit: int = MAX_TEXT_LENGTH) -> str:
        raw = self.text(value, what)
        if len(raw) > limit:
            self.note(f"the {what} is longer than {limit} characters")
            return raw[:limit]
        return raw


def _uid(values: Values, value: object, what: str, new: Callable[[], str]) -> str:
    raw = values.text(value, what)
    if _UID.fullmatch(raw):
        return raw
    values.note(f"the {what} {_show(raw)} is not usable; it was given a new one")
    return new()


# ------------------------------------------------------------- salvage
def salvage_incident(conn: Connection, incident_id: int) -> tuple[Incident, list[str]]:
    """The incident as far as it can be read, and what could not be.

    Never fails on the incident's values: text that is not UTF-8 comes back with
    replacement characters, unknown choices as their defaults, unusable dates as none,
    causes that lost their place hang from the problem, actions that lost every root
    cause are left out. Each such change is one entry of the returned problems.
    Raises :class:`sqlite3.DatabaseError` only for damage to the file itself, and
    :class:`LookupError` when there is no such incident.
    """
    values = Values()
    with stored_text(conn):
        cursor = conn.execute("SELECT * FROM incidents WHERE id = ?", (incident_id,))
        row = cursor.fetchone()
        if row is None:
            raise LookupError(incident_id)
        rec = dict(zip([d[0] for d in cursor.description], row, strict=True))
        causes = conn.execute(
            "SELECT id, parent_id, text, category, evidence, evidence_note, is_root, "
            "stop_reason FROM causes WHERE incident_id = ? ORDER BY position, id",
            (incident_id,),
        ).fetchall()
        links = conn.execute(
            "SELECT effect_id, cause_id FROM cause_links WHERE incident_id = ? "
            "ORDER BY effect_id, cause_id",
            (incident_id,),
        ).fetchall()
        actions = conn.execute(
            "SELECT id, uid, title, owner, due, strength, metric, target, verify_on, notes, "
            "status, measured_result FROM actions WHERE incident_id = ? ORDER BY position, id",
            (incident_id,),
        ).fetchall()
        action_causes = conn.execute(
            "SELECT ac.action_id, ac.cause_id FROM action_causes ac "
            "JOIN actions a ON a.id = ac.action_id WHERE a.incident_id = ? "
            "ORDER BY ac.action_id, ac.position",
            (incident_id,),
        ).fetchall()
        history = conn.execute(
            "SELECT h.action_id, h.at, h.from_status, h.to_status, h.note FROM action_history h "
            "JOIN actions a ON a.id = h.action_id WHERE a.incident_id = ? "
            "ORDER BY h.action_id, h.seq",
            (incident_id,),
        ).fetchall()
        records = {
            kind: conn.execute(table.select("incident_id = ?"), (incident_id,)).fetchall()
            if _has_table(conn, table.table)
            else []
            for kind, table in RECORD_TABLES.items()
        }
    resolved_at, review_meeting = _follow_up_days(values, rec)
    graph, ids = _salvage_graph(values, rec.get("categories"), causes, links)
    incident = Incident(
        id=incident_id,
        uid=_uid(values, rec.get("uid"), "incident's uid", new_incident_uid),
        title=values.clean(rec.get("title"), "title", "(title unreadable)"),
        graph=graph,
        occurred_at=values.moment(rec.get("occurred_at"), "occurred date"),
        affected=values.note_text(rec.get("affected"), "affected client", MAX_TEXT_LENGTH * 5),
        severity=values.choice(Severity, rec.get("severity"), Severity.MEDIUM, "severity"),
        status=values.choice(
            IncidentStatus, rec.get("status"), IncidentStatus.OPEN, "incident status"
        ),
        description=values.note_text(rec.get("description"), "description", MAX_TEXT_LENGTH * 5),
        impact=Impact(
            operational=values.text(rec.get("impact_operational"), "operational impact"),
            financial=values.text(rec.get("impact_financial"), "financial impact"),
            reputational=values.text(rec.get("impact_reputational"), "reputational impact"),
            compliance=values.text(rec.get("impact_compliance"), "compliance impact"),
        ),
        containment=values.note_text(rec.get("containment"), "containment", MAX_TEXT_LENGTH * 5),
        whys_depth=_whys_depth(values, rec.get("whys_depth")),
        agenda=_salvage_json(
            values, rec.get("agenda"), "workshop agenda", agenda_from_data, DEFAULT_AGENDA
        ),
        lessons=values.note_text(rec.get("lessons", ""), "lessons learned", MAX_TEXT_LENGTH * 5),
        resolved_at=resolved_at,
        review_meeting=review_meeting,
        cadence=_salvage_json(
            values, rec.get("cadence"), "follow-up cadence", cadence_from_data, DEFAULT_CADENCE
        ),
        apology=Apology(
            on=values.day(rec.get("apology_on"), "apology date"),
            by=_name(values, rec.get("apology_by", ""), "apologiser"),
            to=_name(values, rec.get("apology_to", ""), "apology's addressee"),
            channel=values.choice(
                Channel, rec.get("apology_channel", "call"), Channel.CALL, "apology channel"
            ),
        ),
        restore_streak=_restore_streak(values, rec.get("restore_streak", DEFAULT_STREAK)),
    )
    roots: dict[int, list[str]] = {}
    for action_id, cause_id in action_causes:
        roots.setdefault(action_id, []).append(ids.get(values.text(cause_id, "cause id"), ""))
    changes: dict[int, list[StatusChange]] = {}
    for action_id, at, from_status, to_status, note in history:
        change = _salvage_change(values, at, from_status, to_status, note)
        if change is not None:
            changes.setdefault(action_id, []).append(change)
    for row in actions:
        action = _salvage_action(values, row, graph, roots.get(row[0], []), changes)
        if action is not None:
            try:
                incident.add_action(action)
            except RuleError as error:
                values.note(str(error))
    for kind, rows in records.items():
        _salvage_records(values, incident, RECORD_TABLES[kind], rows)
    return incident, values.problems


def _name(values: Values, value: object, what: str) -> str:
    """A name on one line as the model keeps it; one too long is cut, said."""
    text = " ".join(stripped_for_storage(values.text(value, what)).split())
    if len(text) > MAX_NAME_LENGTH:
        values.note(f"the {what} is longer than {MAX_NAME_LENGTH} characters; it was cut")
    return text[:MAX_NAME_LENGTH]


def _restore_streak(values: Values, value: object) -> int:
    streak = values.integer(value, "check-ins on target to restore", DEFAULT_STREAK)
    if not 1 <= streak <= MAX_STREAK:
        values.note(f"{streak} check-ins on target to restore is not between 1 and {MAX_STREAK}")
        return DEFAULT_STREAK
    return streak


def _whys_depth(values: Values, value: object) -> int:
    depth = values.integer(value, "five-whys depth", DEFAULT_WHYS_DEPTH)
    if not 1 <= depth <= 20:
        values.note(f"the five-whys depth {depth} is not between 1 and 20")
        return DEFAULT_WHYS_DEPTH
    return depth


def _salvage_json(
    values: Values, value: object, what: str, read: Callable[[object], T], default: T
) -> T:
    """A field stored as JSON (the agenda, the cadence), or its default (said) when it
    cannot be read. A file from before the field has no column for it: the default, as its
    upgrade would give it."""
    if value is None:
        return default
    try:
        return read(json.loads(values.text(value, what, default="")))
    except (ValueError, RuleError) as error:
        values.note(f"the {what} could not be read ({error}); the default is shown")
        return default


def _follow_up_days(values: Values, rec: dict[str, object]) -> tuple[date | None, date | None]:
    """The days the service was restored and the review meets, as far as they can be
    read; a review before the restoration (the model refuses it) is left out, said."""
    resolved = values.day(rec.get("resolved_at"), "resolved date")
    review = values.day(rec.get("review_meeting"), "review meeting date")
    if resolved is not None and review is not None and review < resolved:
        values.note(
            f"the review meeting date {review.isoformat()} is before the resolved date "
            f"{resolved.isoformat()}; it was left out"
        )
        review = None
    return resolved, review


def _has_table(conn: Connection, table: str) -> bool:
    """Whether ``table`` is there: a file of an older version, read as it is, may lack one
    a later step adds (its records are then none, as the upgrade would give it). A server
    workspace is always brought up to date before it is read."""
    if not isinstance(conn, sqlite3.Connection):
        return True
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return found is not None


def _salvage_records(
    values: Values, incident: Incident, table: RecordTable, rows: list[Any]
) -> None:
    """Each stored record of one kind as far as it can be read, in its order; one the
    model still refuses (its time unreadable, its text empty) is left out, said."""

    def lenient(column: Column, value: object) -> object:
        if column.kind == MOMENT:
            return values.moment(value, column.what)
        if column.kind == DAY:
            return values.day(value, column.what)
        if column.kind == CHOICE:
            assert column.choices is not None
            fallback = column.fallback or next(iter(column.choices))
            return values.choice(column.choices, value, fallback, column.what)
        if column.kind in (NUMBER, WHOLE):
            return values.number(value, column.what)
        if column.kind == AMOUNT:
            return values.amount(value, column.what)
        return values.text(value, column.what)

    for _incident_id, record_id, *stored, _rev in rows:
        shown = values.text(record_id, f"{table.noun} id")
        try:
            incident.put_record(table.kind, table.record(shown, stored, lenient))
        except RuleError as error:
            values.note(f"the {table.noun} {_show(shown)} was left out ({error})")


def _categories(values: Values, value: object, used: list[str]) -> list[str]:
    """The stored category list, then any category a cause uses that it lacks."""
    names: list[str] = []
    try:
        stored = json.loads(values.text(value, "category list", default="[]"))
    except ValueError:
        values.note("the category list is not readable")
        stored = []
    if not isinstance(stored, list):
        values.note("the category list is not a list")
        stored = []
    for name in [*stored, *used]:
        try:
            cleaned = clean_category_name(name) if isinstance(name, str) else ""
        except RuleError:
            cleaned = ""
        if cleaned and cleaned not in names:
            names.append(cleaned)
    if not names:
        names = list(DEFAULT_CATEGORIES)
    return names


def _salvage_graph(
    values: Values, categories: object, causes: list[Any], links: list[Any]
) -> tuple[CauseGraph, dict[str, str]]:
    """The cause graph, and each stored cause id (as read) to the id it got."""
    rows = [
        _CauseRow(
            stored=values.text(cid, "cause id"),
            parent=values.optional_text(parent, "cause's parent"),
            text=text,
            category=_category(values, category),
            evidence=evidence,
            note=note,
            is_root=is_root,
            stop=stop,
        )
        for cid, parent, text, category, evidence, note, is_root, stop in causes
    ]
    head = next((r for r in rows if r.parent is None and r.stored == HEAD), None)
    head = head or next((r for r in rows if r.parent is None), None)
    if head is None:
        values.note("the problem statement is missing")
        problem = "(problem statement missing)"
    else:
        problem = values.clean(head.text, "problem statement", "(problem statement unreadable)")
    used = [r.category for r in rows if r.category]
    graph = CauseGraph(problem=problem, categories=_categories(values, categories, used))
    ids: dict[str, str] = {}
    children: dict[str, list[_CauseRow]] = {}
    taken: set[str] = set()
    for row in rows:
        if row is head:
            continue
        try:
            row.usable = check_cause_id(row.stored)
        except RuleError:
            values.note(f"the cause id {_show(row.stored)} is not usable; it was given a new one")
        if row.usable in taken:
            values.note(f"the cause id {_show(row.stored)} appears twice")
            row.usable = ""
        row.usable = row.usable or new_cause_id()
        taken.add(row.usable)
        ids.setdefault(row.stored, row.usable)
        children.setdefault(row.parent or HEAD, []).append(row)

    placed: set[str] = set()

    def place_tree(parent: str, top: _CauseRow) -> None:
        stack = [(parent, top)]
        while stack:
            parent, row = stack.pop()
            if row.usable in placed:
                continue
            placed.add(row.usable)
            graph.add_cause(
                parent,
                text=values.clean(row.text, "cause text", "(cause text unreadable)"),
                category=row.category if row.category in graph.categories else None,
                evidence=values.choice(
                    Evidence, row.evidence, Evidence.HYPOTHESIS, "evidence status"
                ),
                evidence_note=values.note_text(row.note, "evidence note").strip(),
                root_cause=bool(values.integer(row.is_root, "root-cause flag", 0)),
                stop_reason=values.note_text(row.stop, "stop reason").strip(),
                cause_id=row.usable,
            )
            if ids.get(row.stored) == row.usable:
                below = children.get(row.stored, [])
                stack.extend((row.usable, child) for child in reversed(below))

    for row in children.get(HEAD, []):
        place_tree(HEAD, row)
    lost = [row for row in rows if row is not head and row.usable not in placed]
    if lost:
        values.note(f"{len(lost)} cause(s) lost their place and now hang from the problem")
    for row in lost:
        place_tree(HEAD, row)
    for effect, cause in links:
        effect_text = values.text(effect, "link")
        effect_id = HEAD if effect_text == HEAD else ids.get(effect_text)
        cause_id = ids.get(values.text(cause, "link"))
        try:
            if effect_id is None or cause_id is None:
                raise RuleError("an 'also contributes to' link names a cause that is gone")
            graph.add_link(effect_id, cause_id)
        except RuleError as error:
            values.note(str(error))
    return graph, ids


@dataclass
class _CauseRow:
    stored: str  # the id as read
    parent: str | None
    text: object
    category: str | None
    evidence: object
    note: object
    is_root: object
    stop: object
    usable: str = ""  # the id it gets in the salvaged graph


def _category(values: Values, value: object) -> str | None:
    name = values.optional_text(value, "cause's category")
    if name is None:
        return None
    try:
        return clean_category_name(name)
    except RuleError:
        values.note(f"the category {_show(name)} is not usable")
        return None


def _salvage_change(
    values: Values, at: object, from_status: object, to_status: object, note: object
) -> StatusChange | None:
    when = values.moment(at, "status change time")
    if when is None:
        values.note("a status change without a time was left out")
        return None
    before = (
        None
        if from_status is None
        else values.choice(ActionStatus, from_status, ActionStatus.PROPOSED, "action status")
    )
    return StatusChange(
        at=when,
        from_status=before,
        to_status=values.choice(ActionStatus, to_status, ActionStatus.PROPOSED, "action status"),
        note=values.text(note, "status change note"),
    )


def _salvage_action(
    values: Values,
    row: tuple[Any, ...],
    graph: CauseGraph,
    root_causes: list[str],
    changes: dict[int, list[StatusChange]],
) -> PreventiveAction | None:
    number, uid, title, owner, due, strength, metric, target, verify_on, notes, status, measured = (
        row
    )
    history = changes.get(number, []) if type(number) is int else []
    name = values.clean(title, "action title", "(action title unreadable)")
    roots = [
        cid for cid in dict.fromkeys(root_causes) if cid in graph and graph.cause(cid).root_cause
    ]
    if len(roots) != len(root_causes):
        values.note(f"action {name!r} lost root causes it addressed")
    if not roots:
        values.note(f"action {name!r} addresses no readable root cause and was left out")
        return None
    fields: dict[str, Any] = {
        "title": name,
        "root_causes": roots,
        "owner": values.note_text(owner, "action owner"),
        "due": values.day(due, "due date"),
        "strength": values.choice(Strength, strength, Strength.INTERMEDIATE, "strength"),
        "metric": values.note_text(metric, "success metric"),
        "target": values.note_text(target, "success target"),
        "measured_result": values.note_text(measured, "measured result"),
        "verify_on": values.day(verify_on, "verification date"),
        "notes": values.note_text(notes, "action notes"),
        # An unreadable status falls back to where the history says the action went.
        "status": values.choice(
            ActionStatus,
            status,
            history[-1].to_status if history else ActionStatus.PROPOSED,
            "action status",
        ),
        "history": history,
        "uid": _uid(values, uid, "action's uid", new_action_uid),
        "number": number if type(number) is int else None,
    }
    if fields["due"] and fields["verify_on"] and fields["verify_on"] < fields["due"]:
        values.note(f"action {name!r}: the verification date is before the due date")
        fields["verify_on"] = None
    try:
        return PreventiveAction(**fields)
    except RuleError as error:
        # A committed status without what commitment needs: kept as a proposal.
        values.note(str(error))
        fields["status"] = ActionStatus.PROPOSED
        return PreventiveAction(**fields)
