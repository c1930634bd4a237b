"""Similar root causes on a server workspace: PostgreSQL full-text search, ranked.

The same words as the file's FTS5 search are looked for (:func:`significant_words`: no
stop words, each word once, at most :data:`~rca_desk.store.search.MAX_QUERY_WORDS`), and
they reach the server the same safe way: each word is its own bound parameter to
``plainto_tsquery``, which reads it as plain text, and the words are joined with the
``||`` (or) operator in SQL. Nothing a person typed (``&``, ``|``, ``!``, ``<->``, ``:*``,
quotes) becomes query syntax. Any synonyms are the client's business, so the server needs
no dictionary files. The index is the GIN index ``causes_root_text`` over the root causes'
``to_tsvector('english', text)``; ``ts_rank`` orders the hits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rca_desk.store.damage import reading
from rca_desk.store.search import SimilarRootCause, significant_words
from rca_desk.store.server_schema import TEXT_SEARCH_CONFIG

if TYPE_CHECKING:
    from rca_desk.store.server import ServerWorkspace

_VECTOR = f"to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, c.text)"


def any_word_query(count: int) -> str:
    """SQL for a tsquery matching any of ``count`` words, each a ``?`` parameter."""
    one = f"plainto_tsquery('{TEXT_SEARCH_CONFIG}'::regconfig, CAST(? AS TEXT))"
    return " || ".join([one] * count)


@reading
def similar_to_text(
    workspace: ServerWorkspace,
    text: str,
    *,
    exclude_incident: int | None = None,
    limit: int = 10,
) -> list[SimilarRootCause]:
    """Root causes whose text shares words with ``text``, best match first."""
    words = significant_words(text)
    if not words or limit <= 0:
        return []
    rows = workspace.conn.execute(
        f"SELECT c.incident_id, i.title, c.id, c.text, COALESCE(c.category, ''), "
        f"ts_rank({_VECTOR}, q.query) AS score "
        f"FROM causes c JOIN incidents i ON i.id = c.incident_id, "
        f"(SELECT {any_word_query(len(words))} AS query) q "
        f"WHERE c.is_root <> 0 AND {_VECTOR} @@ q.query AND c.incident_id <> ? "
        "ORDER BY score DESC, c.incident_id, c.id LIMIT ?",
        (*words, -1 if exclude_incident is None else exclude_incident, limit),
    ).fetchall()
    return [
        SimilarRootCause(
            incident_id=incident_id,
            incident_title=title,
            cause_id=cause_id,
            text=cause_text,
            category=category,
            score=float(score),
        )
        for incident_id, title, cause_id, cause_text, category, score in rows
    ]


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
