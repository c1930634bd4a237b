"""Searching a workspace file: the library of lessons and similar root causes (FTS5).

The index is the one of schema 1.6 (``search_documents`` and its FTS5 table, kept by the
store's write transactions: :mod:`rca_desk.store.search_index`). What to look for comes
from :func:`rca_desk.model.search_terms.query_terms`, the rule both backends share
(negations kept, RCA's synonyms expanded); each word reaches FTS5 as a string literal,
so whatever a person typed (``"``, ``*``, ``NEAR``, ``OR``, a column filter like
``text:``) is plain words and never query syntax. The Porter stemmer of the index's
tokenizer matches "restored" with "restore". Snippets come from FTS5's ``snippet()``.

The root-cause index of schema 0.2 (``root_cause_texts``) is still kept, for older apps
that read it; this app no longer searches it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rca_desk.model.review import RootCauseRecord
from rca_desk.model.search_terms import query_terms
from rca_desk.store.damage import reading
from rca_desk.store.errors import WorkspaceError
from rca_desk.store.incident_rows import RowStore
from rca_desk.store.schema import SEARCH_DOCUMENTS, SEARCH_FTS
from rca_desk.store.search_index import (
    ELLIPSIS,
    MATCH_CLOSE,
    MATCH_OPEN,
    SNIPPET_WORDS,
    SearchHit,
    content_groups,
)
from rca_desk.store.workspace import Workspace

#: The root-cause index of schema 0.2, still kept for older apps (see schema 1.0).
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


def fts_query(groups: list[tuple[str, ...]]) -> str:
    """An FTS5 query from :func:`~rca_desk.model.search_terms.query_terms` groups: each
    word an FTS5 string (never syntax), the alternatives of a group OR'd, and the groups
    OR'd; a hit must match a group that is not only a negation (:func:`content_groups`).
    :func:`search` ranks the hits by how many groups each matches, then by bm25."""
    content = content_groups(groups)
    every = " OR ".join(f"({any_word_query(group)})" for group in groups)
    if content == groups:
        return every
    return f"({every}) AND ({' OR '.join(f'({any_word_query(g)})' for g in content)})"


def _fts_failure(workspace: Workspace, error: Exception) -> WorkspaceError:
    return WorkspaceError(f"{workspace.path}: the search index is damaged ({error}).")


@reading
def search(
    workspace: Workspace,
    text: str,
    *,
    limit: int = 20,
    roots_only: bool = False,
    exclude_incident: int | None = None,
) -> list[SearchHit]:
    """The documents that match what a person typed, best first, with snippets."""
    groups = query_terms(text)
    if not groups or limit <= 0:
        return []
    workspace.search_index_current()
    where = ""
    args: list[Any] = [fts_query(groups)]
    if roots_only:
        where += " AND d.root <> 0 AND d.kind = 'cause'"
    if exclude_incident is not None:
        where += " AND d.incident_id <> ?"
        args.append(exclude_incident)
    # How many of the groups each document matches: a word's synonyms are one group, so
    # "reviewed, checked and verified" is one word matched, not three (bm25 alone would
    # rank it above "not reviewed", which matches both words asked for).
    per_group = " UNION ALL ".join(
        f"SELECT rowid AS id FROM {SEARCH_FTS} WHERE {SEARCH_FTS} MATCH ?" for _ in groups
    )
    counted = len(groups) > 1  # (one group: every hit matches it)
    try:
        # Ranked first, on the index alone; the snippets only for the hits kept (FTS5
        # would make one for every match before sorting).
        ranked = workspace.conn.execute(
            (
                f"WITH matched AS (SELECT id, count(*) AS groups FROM ({per_group}) GROUP BY id) "
                if counted
                else ""
            )
            + f"SELECT f.rowid, bm25({SEARCH_FTS}) AS score FROM {SEARCH_FTS} f "
            f"JOIN {SEARCH_DOCUMENTS} d ON d.id = f.rowid "
            + ("JOIN matched m ON m.id = f.rowid " if counted else "")
            + f"WHERE {SEARCH_FTS} MATCH ?{where} ORDER BY "
            + ("m.groups DESC, " if counted else "")
            + "score, f.rowid LIMIT ?",
            (*(any_word_query(g) for g in groups if counted), *args, limit),
        ).fetchall()
        if not ranked:
            return []
        ids = [row[0] for row in ranked]
        marks = ",".join("?" * len(ids))
        snippets = dict(
            workspace.conn.execute(
                f"SELECT rowid, snippet({SEARCH_FTS}, 0, ?, ?, ?, ?) FROM {SEARCH_FTS} "
                f"WHERE {SEARCH_FTS} MATCH ? AND rowid IN ({marks})",
                (MATCH_OPEN, MATCH_CLOSE, ELLIPSIS, SNIPPET_WORDS, args[0], *ids),
            ).fetchall()
        )
        details = {
            row[0]: row[1:]
            for row in workspace.conn.execute(
                "SELECT d.id, d.incident_id, i.title, d.kind, d.ref, d.text, d.root "
                f"FROM {SEARCH_DOCUMENTS} d JOIN incidents i ON i.id = d.incident_id "
                f"WHERE d.id IN ({marks})",
                ids,
            )
        }
    except sqlite3.OperationalError as error:
        raise _fts_failure(workspace, error) from None
    out = []
    for doc_id, score in ranked:
        found = details.get(doc_id)
        if found is None:
            continue
        incident_id, title, kind, ref, doc_text, root = found
        out.append(
            SearchHit(
                incident_id=incident_id,
                incident_title=title if isinstance(title, str) else "",
                kind=kind,
                ref=ref,
                text=doc_text,
                snippet=snippets.get(doc_id) or doc_text,
                score=-float(score),
                root=bool(root),
            )
        )
    return out


@reading
def matching_incidents(workspace: Workspace, text: str) -> set[int]:
    """The incidents with every group of ``text`` somewhere in their documents (the
    incident list's filter: each word narrows, as in the title filter)."""
    groups = query_terms(text)
    if not groups:
        return set()
    workspace.search_index_current()
    found: set[int] | None = None
    try:
        for group in groups:
            ids = {
                int(row[0])
                for row in workspace.conn.execute(
                    f"SELECT DISTINCT d.incident_id FROM {SEARCH_FTS} f "
                    f"JOIN {SEARCH_DOCUMENTS} d ON d.id = f.rowid WHERE {SEARCH_FTS} MATCH ?",
                    (any_word_query(group),),
                )
            }
            found = ids if found is None else found & ids
            if not found:
                return set()
    except sqlite3.OperationalError as error:
        raise _fts_failure(workspace, error) from None
    return found or set()


def similar_to_text(
    workspace: Workspace,
    text: str,
    *,
    exclude_incident: int | None = None,
    limit: int = 10,
) -> list[SimilarRootCause]:
    """Root causes worded like ``text``, best match first (the search index, root causes
    only: negations kept, RCA's synonyms expanded, stemmed)."""
    hits = search(workspace, text, limit=limit, roots_only=True, exclude_incident=exclude_incident)
    return similar_from_hits(workspace, hits)


def similar_from_hits(workspace: RowStore, hits: list[SearchHit]) -> list[SimilarRootCause]:
    """Root-cause hits as the review lists them, with each cause's category."""
    if not hits:
        return []
    details = _details(workspace, {(h.incident_id, h.ref) for h in hits})
    return [
        SimilarRootCause(
            incident_id=hit.incident_id,
            incident_title=hit.incident_title,
            cause_id=hit.ref,
            text=hit.text,
            category=details.get((hit.incident_id, hit.ref), ("", ""))[1],
            score=hit.score,
        )
        for hit in hits
    ]


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
    workspace: RowStore, keys: set[tuple[int, str]]
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
