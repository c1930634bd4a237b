"""The one search index over the library of lessons (issue 16), kept by the store itself.

Every piece of text a person may look for later is a *document* (schema 1.6,
``search_documents``): an incident's title and lessons learned, its problem statement,
each cause's text, evidence note and stop reason, each preventive action (its title,
notes and success measure) and each timeline event. A document knows its incident, its
kind (:data:`KINDS`) and a ``ref`` that says what to select when a hit is opened: the
cause id (for the problem, a cause, its evidence note or stop reason), the action's uid,
or the timeline event's id (empty for the title and the lessons).

**Kept up to date inside the write transaction, without triggers.** Just before a write
transaction commits, :func:`catch_up` makes the documents again for every incident whose
``incidents.edited`` revision differs from the one they were made from
(``search_indexed``), and drops those of incidents that are gone. That one rule covers
this app's own writes (each stamps ``edited``), a whole import or copy, a cascade, and
the writes of an older rca-desk that knows nothing of the index (it stamps ``edited``
too): whatever wrote the rows, the next write (or search, see
:meth:`~rca_desk.store.incident_rows.RowStore.search_index_current`) catches up. Only the
documents that changed are rewritten. On a file the FTS5 table follows the same rows in
the same step (the backend's :meth:`~rca_desk.store.incident_rows.RowStore._fts_remove`
and ``_fts_add``); the server's GIN index follows its table by itself.

Hits carry a snippet with the matches between :data:`MATCH_OPEN` and :data:`MATCH_CLOSE`
(plain brackets; the text around is the stored text as it is). Callers show snippets as
plain text, never as markup.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rca_desk.model import HEAD
from rca_desk.model.search_terms import KEPT_NEGATIONS
from rca_desk.store import damage
from rca_desk.store.schema import SEARCH_DOCUMENTS, SEARCH_INDEXED

if TYPE_CHECKING:
    from rca_desk.store.incident_rows import RowStore

#: What a document is, in the order a reader thinks of an incident.
TITLE, PROBLEM, CAUSE, EVIDENCE, STOP_REASON, ACTION, LESSONS, TIMELINE = KINDS = (
    "title",
    "problem",
    "cause",
    "evidence",
    "stop_reason",
    "action",
    "lessons",
    "timeline",
)
#: How each kind is named to a person.
KIND_LABELS = {
    TITLE: "Title",
    PROBLEM: "Problem",
    CAUSE: "Cause",
    EVIDENCE: "Evidence note",
    STOP_REASON: "Stop reason",
    ACTION: "Action",
    LESSONS: "Lessons learned",
    TIMELINE: "Timeline",
}
#: The kinds whose ``ref`` is a cause id (the problem's is the head, ``"problem"``).
CAUSE_KINDS = frozenset({PROBLEM, CAUSE, EVIDENCE, STOP_REASON})

#: Around each match in a snippet (plain text: callers never read it as markup).
MATCH_OPEN = "["
MATCH_CLOSE = "]"
#: Where a snippet leaves text out.
ELLIPSIS = "…"
#: About this many words of context in a snippet.
SNIPPET_WORDS = 12
#: Between the parts of an action's document (title, notes, metric, target).
ACTION_PARTS = " — "

#: Statements with at most this many ``?`` (as the row code's ``CHUNK``).
_CHUNK = 500


@dataclass(frozen=True)
class SearchHit:
    """One document that matched, with what it takes to open it at the right place."""

    incident_id: int
    incident_title: str
    kind: str
    ref: str
    text: str
    #: The text around the matches, each between MATCH_OPEN and MATCH_CLOSE; plain text.
    snippet: str
    #: Higher is a better match (comparable within one result list only).
    score: float
    #: Whether the document is a root cause's text.
    root: bool = False

    @property
    def cause_id(self) -> str | None:
        """The cause to select when the hit is opened, if it is about one."""
        return self.ref if self.kind in CAUSE_KINDS and self.ref else None

    @property
    def kind_label(self) -> str:
        if self.kind == CAUSE and self.root:
            return "Root cause"
        return KIND_LABELS.get(self.kind, self.kind)


def content_groups(groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The groups a hit must match one of: those that are not only negations.

    "no", "not", "nobody" and "never" are kept because they carry the meaning ("not
    reviewed" is not "reviewed"), so a document that has them ranks higher; but they are
    in half of all cause statements, and a document that shares nothing else with the
    question is not an answer to it. A question of negations alone looks for them.
    """
    content = [group for group in groups if not set(group) <= KEPT_NEGATIONS]
    return content or groups


#: A document as the index keeps it: (kind, ref) -> (root, text).
Documents = dict[tuple[str, str], tuple[int, str]]


def _plain(value: object) -> str:
    """Stored text as text: a damaged value (bad UTF-8) with replacement characters, a
    value that is not text at all as nothing. The index never refuses a write for
    another incident's damage."""
    if isinstance(value, str):
        return value
    if isinstance(value, damage.StoredText):
        return bytes(value).decode("utf-8", "replace")
    return ""


def documents_of(store: RowStore, incident_id: int) -> Documents:
    """What the index should hold for one incident, read from its stored rows.

    Read as text first (the usual case, and the fast one); only when a value is not
    UTF-8 (a damaged file) again, leniently, with replacement characters.
    """
    try:
        return _documents_of(store, incident_id, lenient=False)
    except (UnicodeDecodeError, store.DRIVER_ERROR) as error:
        if not damage.quarantines(error):
            raise
    return _documents_of(store, incident_id, lenient=True)


def _documents_of(store: RowStore, incident_id: int, *, lenient: bool) -> Documents:
    conn = store.conn
    out: Documents = {}

    def put(kind: str, ref: object, text: object, root: bool = False) -> None:
        plain = _plain(text).strip()
        if plain:
            out[(kind, _plain(ref))] = (int(root), plain)

    with damage.stored_text(conn) if lenient else contextlib.nullcontext():
        row = conn.execute(
            "SELECT title, lessons FROM incidents WHERE id = ?", (incident_id,)
        ).fetchone()
        if row is None:
            return out
        put(TITLE, "", row[0])
        put(LESSONS, "", row[1])
        for cause_id, parent, text, note, stop, is_root in conn.execute(
            "SELECT id, parent_id, text, evidence_note, stop_reason, is_root FROM causes "
            "WHERE incident_id = ?",
            (incident_id,),
        ):
            if parent is None:
                put(PROBLEM, cause_id if cause_id is not None else HEAD, text)
                continue
            put(CAUSE, cause_id, text, root=bool(is_root) if isinstance(is_root, int) else False)
            put(EVIDENCE, cause_id, note)
            put(STOP_REASON, cause_id, stop)
        for uid, title, notes, metric, target in conn.execute(
            "SELECT uid, title, notes, metric, target FROM actions WHERE incident_id = ?",
            (incident_id,),
        ):
            parts = [_plain(part).strip() for part in (title, notes, metric, target)]
            put(ACTION, uid, ACTION_PARTS.join(part for part in parts if part))
        for event_id, what in conn.execute(
            "SELECT id, what FROM timeline_events WHERE incident_id = ?", (incident_id,)
        ):
            put(TIMELINE, event_id, what)
    return out


def stale_incidents(store: RowStore) -> tuple[list[tuple[int, int]], list[int]]:
    """(incidents whose documents are behind, with their ``edited``; incidents gone)."""
    conn = store.conn
    behind = [
        (int(incident_id), edited)
        for incident_id, edited in conn.execute(
            f"SELECT i.id, i.edited FROM incidents i LEFT JOIN {SEARCH_INDEXED} s "
            "ON s.incident_id = i.id WHERE s.rev IS NULL OR s.rev <> i.edited ORDER BY i.id"
        )
    ]
    gone = [
        int(row[0])
        for row in conn.execute(
            f"SELECT s.incident_id FROM {SEARCH_INDEXED} s WHERE NOT EXISTS "
            "(SELECT 1 FROM incidents i WHERE i.id = s.incident_id) ORDER BY s.incident_id"
        )
    ]
    return behind, gone


def catch_up(store: RowStore) -> int:
    """Bring the index up to the stored rows (inside the caller's write transaction);
    return how many incidents were indexed again or dropped."""
    behind, gone = stale_incidents(store)
    if not behind and not gone:
        return 0
    conn = store.conn
    next_id = [
        int(conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {SEARCH_DOCUMENTS}").fetchone()[0])
    ]
    for incident_id in gone:
        _replace(store, incident_id, {}, next_id)
        conn.execute(f"DELETE FROM {SEARCH_INDEXED} WHERE incident_id = ?", (incident_id,))
    for incident_id, edited in behind:
        _replace(store, incident_id, documents_of(store, incident_id), next_id)
        conn.execute(
            f"INSERT INTO {SEARCH_INDEXED} (incident_id, rev) VALUES (?, ?) "
            "ON CONFLICT (incident_id) DO UPDATE SET rev = excluded.rev",
            (incident_id, edited),
        )
    return len(behind) + len(gone)


def _replace(store: RowStore, incident_id: int, wanted: Documents, next_id: list[int]) -> None:
    """Make the stored documents of one incident ``wanted``, touching only those that
    differ (an edit of one cause rewrites one document, not the incident's hundred)."""
    conn = store.conn
    stored = conn.execute(
        f"SELECT id, kind, ref, root, text FROM {SEARCH_DOCUMENTS} WHERE incident_id = ?",
        (incident_id,),
    ).fetchall()
    keep: set[tuple[str, str]] = set()
    doomed: list[tuple[int, str]] = []
    for doc_id, kind, ref, root, text in stored:
        key = (kind, ref)
        if wanted.get(key) == (root, text) and key not in keep:
            keep.add(key)
        else:
            doomed.append((doc_id, text))
    if doomed:
        store._fts_remove(doomed)
        for start in range(0, len(doomed), _CHUNK):
            chunk = [doc_id for doc_id, _ in doomed[start : start + _CHUNK]]
            marks = ",".join("?" * len(chunk))
            conn.execute(f"DELETE FROM {SEARCH_DOCUMENTS} WHERE id IN ({marks})", chunk)
    added: list[tuple[Any, ...]] = []
    for (kind, ref), (root, text) in wanted.items():
        if (kind, ref) in keep:
            continue
        next_id[0] += 1
        added.append((next_id[0], incident_id, kind, ref, root, text))
    if added:
        conn.executemany(
            f"INSERT INTO {SEARCH_DOCUMENTS} (id, incident_id, kind, ref, root, text) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            added,
        )
        store._fts_add([(row[0], row[5]) for row in added])
