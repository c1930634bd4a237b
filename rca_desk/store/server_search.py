"""Searching a server workspace: the library of lessons and similar root causes.

The same documents as a file's (``search_documents``, schema 1.6, kept by the shared row
code: :mod:`rca_desk.store.search_index`) and the same words
(:func:`rca_desk.model.search_terms.query_terms`: negations kept, RCA's synonyms expanded
in the client, so the server needs no thesaurus). Each word is its own bound parameter to
``plainto_tsquery``, which reads it as plain text; the alternatives and the groups are
joined with the ``||`` (or) operator in SQL, and a hit must also match a word that is
not only a negation (``&&``, see :func:`~rca_desk.store.search_index.content_groups`).
Nothing a person typed (``&``, ``|``, ``!``, ``<->``, ``:*``, quotes, backslashes) becomes
query syntax. The text search configuration
is the workspace's own ``rca_desk_search`` (English Snowball stemming without the stop
words that would drop "no" and "not"); the GIN index over the documents' stored
``tsvector`` (schema 1.6) finds the matches, ``ts_rank`` orders them (a document matching more of
the words ranks higher) and ``ts_headline`` makes the snippets, marked as the file's are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rca_desk.model.search_terms import query_terms
from rca_desk.store.damage import reading
from rca_desk.store.schema import SEARCH_DOCUMENTS
from rca_desk.store.search import SimilarRootCause, similar_from_hits
from rca_desk.store.search_index import (
    ELLIPSIS,
    MATCH_CLOSE,
    MATCH_OPEN,
    SNIPPET_WORDS,
    SearchHit,
    content_groups,
)
from rca_desk.store.server_schema import SEARCH_CONFIG, SEARCH_VECTOR

if TYPE_CHECKING:
    from rca_desk.store.server import ServerWorkspace

_CONFIG = f"'{SEARCH_CONFIG}'::regconfig"
#: The documents' stored tsvector (a generated column), which the GIN index covers.
_VECTOR = f"d.{SEARCH_VECTOR}"
#: ts_headline's options: our markers, about SNIPPET_WORDS words, one fragment. (Ours, not
#: a person's: nothing typed reaches this string.)
_HEADLINE = (
    f'StartSel="{MATCH_OPEN}", StopSel="{MATCH_CLOSE}", MaxWords={SNIPPET_WORDS}, '
    f'MinWords={SNIPPET_WORDS // 2}, ShortWord=1, MaxFragments=1, FragmentDelimiter="{ELLIPSIS}"'
)


def any_word_query(count: int) -> str:
    """SQL for a tsquery matching any of ``count`` words, each a ``?`` parameter."""
    one = f"plainto_tsquery({_CONFIG}, CAST(? AS TEXT))"
    return "(" + " || ".join([one] * count) + ")"


@reading
def search(
    workspace: ServerWorkspace,
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
    words = [word for group in groups for word in group]
    content = [word for group in content_groups(groups) for word in group]
    query = any_word_query(len(words))
    args: list[Any] = [*words]
    if len(content) < len(words):  # a hit needs a word that is not only a negation
        query = f"({query} && {any_word_query(len(content))})"
        args += content
    # How many of the groups each document matches, as on a file: a word's synonyms are
    # one group (see rca_desk.store.search.search).
    per_group = [f"{any_word_query(len(group))} AS g{n}" for n, group in enumerate(groups)]
    args += [word for group in groups for word in group]
    matched = " + ".join(f"({_VECTOR} @@ q.g{n})::int" for n in range(len(groups)))
    where = ""
    if roots_only:
        where += " AND d.root <> 0 AND d.kind = 'cause'"
    if exclude_incident is not None:
        where += " AND d.incident_id <> ?"
        args.append(exclude_incident)
    rows = workspace.conn.execute(
        # Ranked first; the headlines only for the hits kept.
        "WITH q AS (SELECT " + query + " AS query, " + ", ".join(per_group) + "), "
        "hits AS (SELECT d.id, d.incident_id, d.kind, d.ref, d.text, d.root, "
        f"ts_rank({_VECTOR}, q.query) AS score, {matched} AS groups "
        f"FROM {SEARCH_DOCUMENTS} d, q "
        f"WHERE {_VECTOR} @@ q.query{where} ORDER BY groups DESC, score DESC, d.id LIMIT ?) "
        "SELECT h.incident_id, i.title, h.kind, h.ref, h.text, h.root, h.score, "
        f"ts_headline({_CONFIG}, h.text, q.query, ?) "
        "FROM hits h JOIN incidents i ON i.id = h.incident_id, q "
        "ORDER BY h.groups DESC, h.score DESC, h.id",
        (*args, limit, _HEADLINE),
    ).fetchall()
    return [
        SearchHit(
            incident_id=incident_id,
            incident_title=title,
            kind=kind,
            ref=ref,
            text=doc_text,
            snippet=snippet or doc_text,
            score=float(score),
            root=bool(root),
        )
        for incident_id, title, kind, ref, doc_text, root, score, snippet in rows
    ]


@reading
def matching_incidents(workspace: ServerWorkspace, text: str) -> set[int]:
    """The incidents with every group of ``text`` somewhere in their documents."""
    groups = query_terms(text)
    if not groups:
        return set()
    workspace.search_index_current()
    found: set[int] | None = None
    for group in groups:
        ids = {
            int(row[0])
            for row in workspace.conn.execute(
                f"SELECT DISTINCT d.incident_id FROM {SEARCH_DOCUMENTS} d "
                f"WHERE {_VECTOR} @@ {any_word_query(len(group))}",
                tuple(group),
            )
        }
        found = ids if found is None else found & ids
        if not found:
            return set()
    return found or set()


def similar_to_text(
    workspace: ServerWorkspace,
    text: str,
    *,
    exclude_incident: int | None = None,
    limit: int = 10,
) -> list[SimilarRootCause]:
    """Root causes worded like ``text``, best match first (root causes only)."""
    hits = search(workspace, text, limit=limit, roots_only=True, exclude_incident=exclude_incident)
    return similar_from_hits(workspace, hits)


@reading
def similar_root_causes(
    workspace: ServerWorkspace, incident_id: int, cause_id: str, *, limit: int = 10
) -> list[SimilarRootCause]:
    """Root causes of *other* incidents worded like ``cause_id`` of ``incident_id``."""
    row = workspace.conn.execute(
        "SELECT text FROM causes WHERE incident_id = ? AND id = ?", (incident_id, cause_id)
    ).fetchone()
    if row is None:
        return []
    return similar_to_text(workspace, row[0], exclude_incident=incident_id, limit=limit)
