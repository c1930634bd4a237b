"""The server workspace's schema: the same tables, columns and version as the file's.

A PostgreSQL workspace holds exactly the tables of a workspace file at the same
major.minor version (:data:`rca_desk.store.schema.SCHEMA_VERSION`), column for column and
in the same order, so the shared row code (:mod:`rca_desk.store.incident_rows`) and a
copy between the two (``rca-desk copy``) see one shape. Values keep the file's types:
ISO text for dates, JSON text for the category list, integers for flags.

What the server has instead of the file's mechanisms:

- **The version** is in ``rca_desk_meta`` (``application`` = ``rca-desk``,
  ``schema_version`` = ``major.minor``), since a database has no ``user_version``. A
  database without that table is not a workspace; one whose ``application`` is not ours is
  refused untouched.
- **Search**: the root causes' GIN index over ``to_tsvector`` (from 1.1), and from 1.6
  the same ``search_documents`` table as the file's, kept by the same row code, plus a
  column the server computes (its ``tsvector``) with a GIN index, where the file has an
  FTS5 table; both used by :mod:`rca_desk.store.server_search`.
- **No FTS queue, no integrity pragmas**: the server enforces its own types and
  constraints.

Migrations follow the file's rule (a minor step only adds what an older app can ignore).
The server's history starts at 1.1; every later step is written for both backends, in
the same commit.
"""

from __future__ import annotations

from rca_desk.store.schema import (
    AGENDA_BEFORE_1_3,
    RECORD_1_4,
    RECOVERY_1_5,
    SEARCH_DOCUMENTS,
    SEARCH_INDEX_VERSION,
    SEARCH_INDEXED,
    SEARCH_TABLES_1_6,
    Migration,
    SchemaVersion,
)

META_TABLE = "rca_desk_meta"
APPLICATION = "rca-desk"
#: The text search configuration of the root-cause index: English, like the file's
#: Porter stemmer. Named in the index and in every query, so the index is used.
TEXT_SEARCH_CONFIG = "english"

_S1_1 = f"""
CREATE TABLE {META_TABLE} (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO {META_TABLE} (key, value) VALUES ('application', '{APPLICATION}');
INSERT INTO {META_TABLE} (key, value) VALUES ('schema_version', '1.1');

CREATE TABLE edit_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last BIGINT NOT NULL
);
INSERT INTO edit_counter (id, last) VALUES (1, 0);

CREATE TABLE incidents (
    id BIGINT PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    occurred_at TEXT,
    affected TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    impact_operational TEXT NOT NULL DEFAULT '',
    impact_financial TEXT NOT NULL DEFAULT '',
    impact_reputational TEXT NOT NULL DEFAULT '',
    impact_compliance TEXT NOT NULL DEFAULT '',
    containment TEXT NOT NULL DEFAULT '',
    whys_depth INTEGER NOT NULL DEFAULT 5,
    categories TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    field_revs TEXT NOT NULL DEFAULT '{{}}',
    edited BIGINT NOT NULL DEFAULT 0
);

-- The parent reference is checked at commit: a whole incident is written in one
-- transaction, and its rows need not come parents first.
CREATE TABLE causes (
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    parent_id TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    category TEXT,
    evidence TEXT NOT NULL DEFAULT 'hypothesis',
    evidence_note TEXT NOT NULL DEFAULT '',
    is_root INTEGER NOT NULL DEFAULT 0,
    rev BIGINT NOT NULL DEFAULT 0,
    stop_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (incident_id, id),
    FOREIGN KEY (incident_id, parent_id) REFERENCES causes(incident_id, id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX causes_parent ON causes(incident_id, parent_id);
CREATE INDEX causes_root_text ON causes
    USING gin (to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, text)) WHERE is_root <> 0;

CREATE TABLE cause_links (
    incident_id BIGINT NOT NULL,
    effect_id TEXT NOT NULL,
    cause_id TEXT NOT NULL,
    rev BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, effect_id, cause_id),
    FOREIGN KEY (incident_id, effect_id) REFERENCES causes(incident_id, id) ON DELETE CASCADE,
    FOREIGN KEY (incident_id, cause_id) REFERENCES causes(incident_id, id) ON DELETE CASCADE
);
CREATE INDEX cause_links_cause ON cause_links(incident_id, cause_id);

CREATE TABLE actions (
    id BIGINT PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due TEXT,
    strength TEXT NOT NULL,
    metric TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '',
    verify_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    rev BIGINT NOT NULL DEFAULT 0,
    measured_result TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actions_incident ON actions(incident_id);

CREATE TABLE action_causes (
    action_id BIGINT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    incident_id BIGINT NOT NULL,
    cause_id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (action_id, cause_id),
    FOREIGN KEY (incident_id, cause_id) REFERENCES causes(incident_id, id) ON DELETE CASCADE
);
CREATE INDEX action_causes_cause ON action_causes(incident_id, cause_id);

CREATE TABLE action_history (
    action_id BIGINT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (action_id, seq)
);
"""

# 1.2: the parking lot (see schema._V1_2).
_S1_2 = """
CREATE TABLE parked_ideas (
    incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    rev BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id)
);
"""

# 1.3: the workshop agenda (see schema._V1_3).
_S1_3 = f"""
ALTER TABLE incidents ADD COLUMN agenda TEXT NOT NULL DEFAULT '{AGENDA_BEFORE_1_3}';
"""

# 1.4: the incident's record (see schema.RECORD_1_4), the file's step itself with the server's
# 64-bit ids and revisions (SQLite's INTEGER is 64 bits already, PostgreSQL's 32), so the
# two cannot drift apart.


def _wider(script: str) -> str:
    """A file's step with the server's 64-bit ids and revisions."""
    return script.replace("incident_id INTEGER", "incident_id BIGINT").replace(
        "rev INTEGER", "rev BIGINT"
    )


_S1_4 = _wider(RECORD_1_4)
# 1.5: the client's recovery (see schema.RECOVERY_1_5), the same way.
_S1_5 = _wider(RECOVERY_1_5)

# 1.6: the search index (see schema.SEARCH_1_6): the file's two tables, with the server's
# 64-bit ids. Where the file has its FTS5 table, the server's documents carry their
# ``tsvector`` in one more column, computed by the server from the text (a stored generated
# column: the row code never names it, so both backends write the same columns), with a
# GIN index over it. Stored rather than an expression index because ranking reads the
# vector of every match: made again per query from the text it cost about 5 µs a match,
# 30 ms for a five-word question over the 20,000-cause benchmark workspace; stored, 5 ms.
# No older app reads or writes this table, so the computed column breaks nothing of the
# minor-step rule (which keeps computed values out of columns *added to* older tables).
# The text search configuration is the server's English one with a Snowball stemmer that
# has no stop-word list: PostgreSQL's English list drops "no" and "not", which in a cause
# statement carry the meaning (see rca_desk.model.search_terms). Both are plain catalogue
# objects of the workspace's schema (no files on the server, no extension).
SEARCH_CONFIG = "rca_desk_search"
SEARCH_DICTIONARY = "rca_desk_stem"
SEARCH_VECTOR = "vector"
_S1_6 = (
    SEARCH_TABLES_1_6.replace("id INTEGER PRIMARY KEY", "id BIGINT PRIMARY KEY")
    .replace("incident_id INTEGER", "incident_id BIGINT")
    .replace("rev INTEGER", "rev BIGINT")
    + f"""
CREATE TEXT SEARCH DICTIONARY {SEARCH_DICTIONARY} (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION {SEARCH_CONFIG} (COPY = english);
ALTER TEXT SEARCH CONFIGURATION {SEARCH_CONFIG}
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH {SEARCH_DICTIONARY};
ALTER TABLE {SEARCH_DOCUMENTS} ADD COLUMN {SEARCH_VECTOR} tsvector
    GENERATED ALWAYS AS (to_tsvector('{SEARCH_CONFIG}'::regconfig, text)) STORED;
CREATE INDEX {SEARCH_DOCUMENTS}_{SEARCH_VECTOR} ON {SEARCH_DOCUMENTS}
    USING gin ({SEARCH_VECTOR});
"""
)

SERVER_MIGRATIONS: tuple[Migration, ...] = (
    Migration(SchemaVersion(1, 1), _S1_1),
    Migration(SchemaVersion(1, 2), _S1_2),
    Migration(SchemaVersion(1, 3), _S1_3),
    Migration(SchemaVersion(1, 4), _S1_4),
    Migration(SchemaVersion(1, 5), _S1_5),
    Migration(SEARCH_INDEX_VERSION, _S1_6),
)
#: Every table of a server workspace, the meta table included (an empty database has none).
SERVER_TABLES = (
    META_TABLE,
    "edit_counter",
    "incidents",
    "causes",
    "cause_links",
    "actions",
    "action_causes",
    "action_history",
    "parked_ideas",
    "timeline_events",
    "participants",
    "check_ins",
    "restitution_offers",
    "trust_measures",
    "measure_values",
    "client_confidence",
    SEARCH_DOCUMENTS,
    SEARCH_INDEXED,
)


def parse_version(text: str) -> SchemaVersion | None:
    """``major.minor`` from the meta table, or None when it is not one."""
    major, dot, minor = text.strip().partition(".")
    if not dot or not major.isdigit() or not minor.isdigit():
        return None
    try:
        return SchemaVersion(int(major), int(minor))
    except ValueError:
        return None
