"""Finding the same weakness in other incidents: full-text search over root causes.

The index (``root_cause_texts`` and its FTS5 table, schema version 2) is kept up to date
by triggers, so nothing here writes. Queries are built from the *words* of a cause's
text, each one quoted as an FTS5 string: whatever a person typed (``"``, ``*``, ``NEAR``,
``OR``, a column filter like ``text:``) reaches FTS5 as plain words and never as query
syntax.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rca_desk.model.review import RootCauseRecord
from rca_desk.store.damage import reading
from rca_desk.store.errors import WorkspaceError
from rca_desk.store.incident_rows import RowStore
from rca_desk.store.workspace import Workspace

FTS_TABLE = "root_cause_texts"

#: At most this many words go into one query; a long cause text is still a short query.
MAX_QUERY_WORDS = 24

_WORD = re.compile(r"\w+", re.UNICODE)

# Words too common in cause statements to say anything about similarity. English, like
# the tokenizer's stemmer.
_STOP_WORDS = """
    a about after again all also an and any are as at be been before being both but by
    can could did do does doing done during each for from had has have having he her his
    how if in into is it its itself just may more most no nor not of off on once only or
    other our out over own same she should so some such than that the their them then there
    these they this those through to too under until up very was we were what when where
    which while who why will with would you your
    never nobody none without because cause caused causes since yet
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def significant_words(text: str, *, limit: int = MAX_QUERY_WORDS) -> list[str]:
    """The words that carry meaning, in order, each once: no stop words, no single
    letters, no bare numbers."""
    out: dict[str, None] = {}
    for match in _WORD.finditer(text.casefold()):
        word = match.group().strip("_")
        if len(word) < 2 or word.isdigit() or word in STOP_WORDS:
            continue
        out.setdefault(word, None)
        if len(out) == limit:
            break
    return list(out)


def fts_quote(word: str) -> str:
    """One FTS5 string literal: inside double quotes nothing is an operator."""
    return '"' + word.replace('"', '""') + '"'


def any_word_query(words: Iterable[str]) -> str:
    """An FTS5 query matching rows with any of ``words`` (bm25 ranks those with more)."""
    return " OR ".join(fts_quote(word) for word in words)


@dataclass(frozen=True)
class SimilarRootCause:
    """A root cause of another incident worded like this one: a sign it keeps coming back."""

    incident_id: int
    incident_title: str
    cause_id: str
    text: str
    category: str
    score: float  # higher is more similar (negated bm25)


def similar_to_text(
    workspace: Workspace,
    text: str,
    *,
    exclude_incident: int | None = None,
    limit: int = 10,
) -> list[SimilarRootCause]:
    """Root causes whose text shares words with ``text``, best match first."""
    words = significant_words(text)
    if not words or limit <= 0:
        return []
    where = None
    args: dict[str, Any] = {}
    if exclude_incident is not None:
        where = "incident_id != :exclude"
        args["exclude"] = exclude_incident
    try:
        hits = list(
            workspace.db.table(FTS_TABLE).search(
                any_word_query(words),
                columns=["incident_id", "cause_id", "text"],
                where=where,
                where_args=args or None,
                limit=limit,
                include_rank=True,
            )
        )
    except (sqlite3.Error, ValueError) as error:  # ValueError: sqlite-utils finds no index
        raise WorkspaceError(
            f"{workspace.path}: the root-cause search index is damaged ({error})."
        ) from None
    if not hits:
        return []
    details = _details(workspace, {(h["incident_id"], h["cause_id"]) for h in hits})
    out = []
    for hit in hits:
        title, category = details.get((hit["incident_id"], hit["cause_id"]), ("", ""))
        out.append(
            SimilarRootCause(
                incident_id=hit["incident_id"],
                incident_title=title,
                cause_id=hit["cause_id"],
                text=hit["text"],
                category=category,
                score=-float(hit["rank"]),
            )
        )
    return out


@reading
def similar_root_causes(
    workspace: Workspace, incident_id: int, cause_id: str, *, limit: int = 10
) -> list[SimilarRootCause]:
    """Root causes of *other* incidents worded like ``cause_id`` of ``incident_id``."""
    row = workspace.conn.execute(
        "SELECT text FROM causes WHERE incident_id = ? AND id = ?", (incident_id, cause_id)
    ).fetchone()
    if row is None:
        return []
    return similar_to_text(workspace, row[0], exclude_incident=incident_id, limit=limit)


def _details(
    workspace: Workspace, keys: set[tuple[int, str]]
) -> dict[tuple[int, str], tuple[str, str]]:
    out: dict[tuple[int, str], tuple[str, str]] = {}
    for incident_id, cause_id in keys:
        row = workspace.conn.execute(
            "SELECT i.title, c.category FROM causes c JOIN incidents i ON i.id = c.incident_id "
            "WHERE c.incident_id = ? AND c.id = ?",
            (incident_id, cause_id),
        ).fetchone()
        if row is not None:
            out[(incident_id, cause_id)] = (row[0], row[1] or "")
    return out


@reading
def root_cause_records(workspace: RowStore, order: str = "c.rowid") -> list[RootCauseRecord]:
    """Every root cause of the workspace with its incident's title and date, by incident
    and then ``order`` (a file: as stored; a server, which has no rowid: as listed)."""
    rows = workspace.conn.execute(
        "SELECT c.incident_id, i.title, i.occurred_at, c.id, c.text, c.category "
        "FROM causes c JOIN incidents i ON i.id = c.incident_id "
        f"WHERE c.is_root <> 0 ORDER BY c.incident_id, {order}"
    ).fetchall()
    return [
        RootCauseRecord(
            incident_id=incident_id,
            incident_title=title,
            occurred_at=datetime.fromisoformat(occurred) if occurred else None,
            cause_id=cause_id,
            text=text,
            category=category or "",
        )
        for incident_id, title, occurred, cause_id, text, category in rows
    ]
