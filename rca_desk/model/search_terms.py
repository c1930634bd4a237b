"""What a search for past lessons looks for (issue 16), the same on every backend.

Two failures of the first search taught this module its rules. "No owner for the
staging refresh" did not find "Nobody owns refreshing staging": "no" and "nobody" were
stop words, and a stemmer keeps "owner" but cuts "owns" to "own". In root cause analysis
the negations carry the meaning ("no check", "never trained", "not reviewed"), so they
are kept; and the few words that say the same thing in RCA ("nobody owns" is "no owner")
are expanded here, in the client, into groups of alternatives, rather than trusted to a
stemmer or a thesaurus that differs between SQLite and PostgreSQL.

The output is words, never query syntax: whatever a person types (quotes, ``*``,
``NEAR``, ``OR``, ``&``, ``!``, a column filter) is split into plain words, and each
backend quotes every word itself.
"""

from __future__ import annotations

import re

__all__ = ["KEPT_NEGATIONS", "MAX_TERMS", "STOP_WORDS", "SYNONYMS", "query_terms", "words"]

#: At most this many groups go into one query: a long cause text is still a short query.
MAX_TERMS = 24

#: Never dropped, although most stop lists drop them: in RCA they carry the meaning.
KEPT_NEGATIONS = frozenset({"no", "not", "nobody", "never"})

# Words too common in cause statements to say anything about them (English, like the
# backends' stemmers).
_STOP_TEXT = """
    a about after again all also an and any are as at be been before being both but by
    can could did do does doing done during each for from had has have having he her his
    how if in into is it its itself just may more most nor of off on once only or other
    our out over own same she should so some such than that the their them then there
    these they this those through to too under until up very was we were what when where
    which while who why will with would you your none without because cause caused causes
    since yet
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
assert not STOP_WORDS & KEPT_NEGATIONS, "a kept negation cannot be a stop word"

#: Words that mean the same in a cause statement; each is searched as any of its group.
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"owner", "owners", "owns", "owned", "ownership", "nobody"}),
    frozenset(
        {
            "check",
            "checks",
            "checked",
            "checking",
            "verify",
            "verified",
            "review",
            "reviewed",
            "reviews",
        }
    ),
    frozenset({"train", "trained", "training", "untrained"}),
)
_GROUP_OF = {word: group for group in SYNONYMS for word in group}

# A word keeps its combining marks ("i̇" of a lower-cased "İ", a decomposed "é").
_WORD = re.compile(r"[\w\u0300-\u036f]+", re.UNICODE)


def words(text: str) -> list[str]:
    """The plain words of ``text``, in lower case, in order (anything else,
    punctuation and query operators included, separates them)."""
    # lower(), not casefold(): the backends' tokenizers lower-case the stored text, and
    # casefold() would turn "Straße" into "strasse", which the index never holds.
    # A lower-cased "İ" is "i" and a combining dot, which both backends' lower-casing
    # (and FTS5's diacritics removal) make a plain "i".
    lowered = text.lower().replace("i\u0307", "i")
    return [w.strip("_") for w in _WORD.findall(lowered) if w.strip("_")]


def query_terms(text: str, *, limit: int = MAX_TERMS) -> list[tuple[str, ...]]:
    """What to look for: one group of alternatives per meaningful word of ``text``, in
    order, each group once. A word with synonyms brings its whole group (sorted, the word
    itself first); stop words, single letters and bare numbers are left out, negations
    kept."""
    out: dict[frozenset[str], tuple[str, ...]] = {}
    for word in words(text):
        if word in STOP_WORDS or word.isdigit() or (len(word) < 2 and word not in KEPT_NEGATIONS):
            continue
        group = _GROUP_OF.get(word, frozenset({word}))
        if group not in out:
            out[group] = (word, *sorted(group - {word}))
            if len(out) == limit:
                break
    return list(out.values())
