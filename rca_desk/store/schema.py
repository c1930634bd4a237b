"""The workspace schema, its version and its migrations.

The schema version lives in ``PRAGMA user_version`` and the file is marked as ours with
``PRAGMA application_id``, so a foreign SQLite file is recognised from its 100-byte header
without being opened.

**Versions are major.minor** (after qutebrowser's ``UserVersion`` in
``qutebrowser/misc/sql.py``): the major number in the high 16 bits of ``user_version``, the
minor number in the low 16. A team never upgrades all at once, so an app opens a workspace
of a newer *minor* version as it is (it neither migrates it down nor rewrites its version)
and refuses only a newer *major* one. That only works if minor changes keep this rule:

    A minor step may only add what an older app can safely ignore: new tables, new
    columns that have a default (so the older app's INSERTs, which do not name them,
    still succeed; no CHECK, REFERENCES or computed value), and new indexes. Never a
    trigger or a view. Anything else (dropping or renaming a table or column, a new NOT
    NULL column without a default, a changed meaning of stored values, a new rule an
    older app's writes would break, a new trigger or view) is a major step.

Why no triggers or views: an app opens a workspace only when its schema is exactly what
the migrations it knows make, plus, for a newer minor version, tables and indexes (see
:mod:`rca_desk.store.integrity`). It cannot tell a trigger a newer rca-desk added from
one planted in the file, and a trigger runs inside the app's own writes, so any trigger
or view it does not know is refused.

**Legacy files.** Before major.minor, ``user_version`` was a plain integer, 1 or 2. Read
with the encoding above those are 0.1 and 0.2 (major 0, nothing in the high bits), and both
of those steps were additive (version 2 added a table, an FTS index and triggers, from
before triggers were kept out of minor steps; every app with that rule knows them), so they
*are* minor steps: no conversion is needed, a version-1 file migrates to 0.2 like any older
file, and a version-2 file opens unchanged (so an app from before this scheme can still
open what this one leaves behind).

Migrations run one step at a time, each in its own transaction: ``MIGRATIONS[n]`` takes a
workspace to ``MIGRATIONS[n].version`` from the step before it; a file is migrated through
every step whose version is above its own.
"""

from __future__ import annotations

from dataclasses import dataclass

#: "RCAD" in ASCII; written at offset 68 of the SQLite header.
APPLICATION_ID = 0x52434144

_V1 = """
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
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
    categories TEXT NOT NULL,          -- JSON array, in display order
    updated_at TEXT NOT NULL
);

-- The problem statement is the row with id 'problem' and no parent: every cause then
-- has a real parent row, and deleting a cause cascades to its whole subtree.
CREATE TABLE causes (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    parent_id TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    category TEXT,
    evidence TEXT NOT NULL DEFAULT 'hypothesis',
    evidence_note TEXT NOT NULL DEFAULT '',
    is_root INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id),
    FOREIGN KEY (incident_id, parent_id) REFERENCES causes(incident_id, id) ON DELETE CASCADE
);
CREATE INDEX causes_parent ON causes(incident_id, parent_id);

CREATE TABLE cause_links (
    incident_id INTEGER NOT NULL,
    effect_id TEXT NOT NULL,
    cause_id TEXT NOT NULL,
    PRIMARY KEY (incident_id, effect_id, cause_id),
    FOREIGN KEY (incident_id, effect_id) REFERENCES causes(incident_id, id) ON DELETE CASCADE,
    FOREIGN KEY (incident_id, cause_id) REFERENCES causes(incident_id, id) ON DELETE CASCADE
);
CREATE INDEX cause_links_cause ON cause_links(incident_id, cause_id);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due TEXT,
    strength TEXT NOT NULL,
    metric TEXT NOT NULL DEFAULT '',
    target TEXT NOT NULL DEFAULT '',
    verify_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL
);
CREATE INDEX actions_incident ON actions(incident_id);

CREATE TABLE action_causes (
    action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    incident_id INTEGER NOT NULL,
    cause_id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (action_id, cause_id),
    FOREIGN KEY (incident_id, cause_id) REFERENCES causes(incident_id, id) ON DELETE CASCADE
);
CREATE INDEX action_causes_cause ON action_causes(incident_id, cause_id);

CREATE TABLE action_history (
    action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (action_id, seq)
);
"""

# Version 2: full-text search over root-cause text, to find the same weakness in other
# incidents. ``root_cause_texts`` mirrors the root causes (triggers on ``causes`` keep it in
# step, whatever writes the rows: an edit, an import, a cascade from a deleted parent or
# incident). Its INTEGER PRIMARY KEY gives the FTS5 index a rowid that VACUUM never
# renumbers, which an index over ``causes`` itself (no integer key) would not have. The
# FTS table follows sqlite-utils' naming and trigger pattern (``<table>_fts``, content
# table, ``_ai``/``_ad``/``_au``), so ``db["root_cause_texts"].search()`` finds it.
_V2 = """
CREATE TABLE root_cause_texts (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL,
    cause_id TEXT NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (incident_id, cause_id)
);

CREATE VIRTUAL TABLE root_cause_texts_fts USING fts5(
    text,
    content="root_cause_texts",
    content_rowid="id",
    tokenize="porter unicode61 remove_diacritics 2"
);

CREATE TRIGGER root_cause_texts_ai AFTER INSERT ON root_cause_texts BEGIN
    INSERT INTO root_cause_texts_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER root_cause_texts_ad AFTER DELETE ON root_cause_texts BEGIN
    INSERT INTO root_cause_texts_fts (root_cause_texts_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER root_cause_texts_au AFTER UPDATE ON root_cause_texts BEGIN
    INSERT INTO root_cause_texts_fts (root_cause_texts_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
    INSERT INTO root_cause_texts_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER causes_root_text_ai AFTER INSERT ON causes WHEN new.is_root BEGIN
    INSERT INTO root_cause_texts (incident_id, cause_id, text)
        VALUES (new.incident_id, new.id, new.text);
END;
CREATE TRIGGER causes_root_text_ad AFTER DELETE ON causes WHEN old.is_root BEGIN
    DELETE FROM root_cause_texts WHERE incident_id = old.incident_id AND cause_id = old.id;
END;
CREATE TRIGGER causes_root_text_au AFTER UPDATE OF incident_id, id, text, is_root ON causes
WHEN old.incident_id IS NOT new.incident_id OR old.id IS NOT new.id
    OR old.text IS NOT new.text OR old.is_root IS NOT new.is_root
BEGIN
    DELETE FROM root_cause_texts WHERE incident_id = old.incident_id AND cause_id = old.id;
    INSERT INTO root_cause_texts (incident_id, cause_id, text)
        SELECT new.incident_id, new.id, new.text WHERE new.is_root;
END;

INSERT INTO root_cause_texts (incident_id, cause_id, text)
    SELECT incident_id, id, text FROM causes WHERE is_root ORDER BY incident_id, rowid;
"""

# Version 1.0 (a major step: an older app's writes would bypass both rules below).
#
# * **Revisions.** Every write transaction draws the next number from ``edit_counter``
#   and stamps it as ``rev`` on each row it writes (a cause, a link, an action with its
#   root causes and history), and as ``edited`` on the incident it touched. The
#   incident's own fields carry one revision each (``field_revs``, a JSON object), so a
#   scribe fixing the title and a facilitator setting the severity never collide. A
#   write names the revision its row was read at, and is refused when the stored one
#   differs: someone else changed that row since. ``edited`` lets an open
#   window see cheaply which incidents other processes changed. Numbers only grow, so the
#   newest of two rows is the one with the larger ``rev``.
# * **The search index without triggers that touch FTS5.** SQLite refuses a schema
#   trigger that writes a virtual table under ``trusted_schema=OFF``, the setting that
#   keeps a hostile file's own schema from acting for it. The triggers from 0.2 that wrote
#   the FTS5 index are replaced by ones that only append to a plain queue table; the
#   store's transaction moves the queue into the index before it commits, so the index is
#   still right whatever wrote the rows (an edit, an import, a cascade).
_V1_0 = """
CREATE TABLE edit_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO edit_counter (id, last) VALUES (1, 0);

ALTER TABLE incidents ADD COLUMN field_revs TEXT NOT NULL DEFAULT '{}';
ALTER TABLE incidents ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE causes ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cause_links ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actions ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER root_cause_texts_ai;
DROP TRIGGER root_cause_texts_ad;
DROP TRIGGER root_cause_texts_au;

CREATE TABLE root_cause_texts_queue (
    seq INTEGER PRIMARY KEY,
    id INTEGER NOT NULL,
    old_text TEXT,
    new_text TEXT
);
CREATE TRIGGER root_cause_texts_queue_ai AFTER INSERT ON root_cause_texts BEGIN
    INSERT INTO root_cause_texts_queue (id, old_text, new_text) VALUES (new.id, NULL, new.text);
END;
CREATE TRIGGER root_cause_texts_queue_ad AFTER DELETE ON root_cause_texts BEGIN
    INSERT INTO root_cause_texts_queue (id, old_text, new_text) VALUES (old.id, old.text, NULL);
END;
CREATE TRIGGER root_cause_texts_queue_au AFTER UPDATE ON root_cause_texts BEGIN
    INSERT INTO root_cause_texts_queue (id, old_text, new_text)
        VALUES (old.id, old.text, new.text);
END;
"""


# Version 1.1 (minor): a cause's stop reason (why the team asked no further "why?") and
# an action's measured result (its success measure's value when checked). Both are text
# columns with an empty default, so a 1.0 app's INSERTs still work. The step also mends
# the data under the rules 1.1 brings (see ``Workspace._mend_for_1_1``): control and bidi
# override characters are removed from stored text, and each action's history is
# completed where the old rules let it stop short.
_V1_1 = """
ALTER TABLE causes ADD COLUMN stop_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN measured_result TEXT NOT NULL DEFAULT '';
"""


# Version 1.2 (minor): the parking lot, ideas from the room not yet placed on the diagram
# (issue 14). A new table, which a 1.1 app ignores; rows carry revisions like causes.
_V1_2 = """
CREATE TABLE parked_ideas (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id)
);
"""

# Version 1.3 (minor): the workshop agenda (issue 14), one incident field written as JSON
# like the category list. The default is the agenda every incident had before, spelled
# out here (not read from the model) so this step means the same whatever the model's
# default becomes; a 1.2 app's INSERTs get it too.
AGENDA_BEFORE_1_3 = (
    '[{"step": "Facts", "minutes": 10}, {"step": "Causes", "minutes": 25}, '
    '{"step": "Whys", "minutes": 20}, {"step": "Actions", "minutes": 15}]'
)
_V1_3 = f"""
ALTER TABLE incidents ADD COLUMN agenda TEXT NOT NULL DEFAULT '{AGENDA_BEFORE_1_3}';
"""

# Version 1.4 (minor): the incident's record beyond the diagram (issue 15). Four incident
# fields as columns with defaults (dates as ISO text or NULL; the follow-up cadence as JSON,
# like the agenda, spelled out here for the same reason), and three lists of records, each
# row keyed by its incident and its own id and carrying a revision, like a parked idea.
# The key is what a later table hangs on: trust measures per check-in will reference
# ``check_ins (incident_id, id)``, so a check-in is updated in place, never re-inserted.
# (The server runs this same script with its wider integer types.)
CADENCE_BEFORE_1_4 = '{"weekly": 4, "fortnightly": 4, "quarterly": 4}'
RECORD_1_4 = f"""
ALTER TABLE incidents ADD COLUMN lessons TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN resolved_at TEXT;
ALTER TABLE incidents ADD COLUMN review_meeting TEXT;
ALTER TABLE incidents ADD COLUMN cadence TEXT NOT NULL DEFAULT '{CADENCE_BEFORE_1_4}';

CREATE TABLE timeline_events (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    at TEXT NOT NULL,
    what TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id)
);

CREATE TABLE participants (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id)
);

CREATE TABLE check_ins (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    planned TEXT NOT NULL,
    held TEXT,
    channel TEXT NOT NULL DEFAULT 'call',
    ours TEXT NOT NULL DEFAULT '',
    theirs TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id)
);
"""

# Version 1.5 (minor): the client's recovery (issue 16). The apology and the agreed streak
# are incident fields (columns with defaults); restitution offers, trust measures, their
# values per check-in and the client's confidence per check-in are lists of records like
# the check-ins. A value hangs on its check-in and its measure, a rating on its check-in
# (its id *is* the check-in's), so removing either takes them along even when an older
# app removes it. Numbers are DOUBLE PRECISION (REAL in SQLite, 8 bytes in PostgreSQL,
# whose REAL has 4); a credit's amount is decimal text, exact. (The server runs this
# same script with its wider integer types, as it runs 1.4's.)
RECOVERY_1_5 = """
ALTER TABLE incidents ADD COLUMN apology_on TEXT;
ALTER TABLE incidents ADD COLUMN apology_by TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN apology_to TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN apology_channel TEXT NOT NULL DEFAULT 'call';
ALTER TABLE incidents ADD COLUMN restore_streak INTEGER NOT NULL DEFAULT 2;

CREATE TABLE restitution_offers (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    offered_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'offered',
    amount TEXT,
    currency TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id)
);

CREATE TABLE trust_measures (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    target DOUBLE PRECISION NOT NULL,
    direction TEXT NOT NULL DEFAULT 'higher',
    rev INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id)
);

CREATE TABLE measure_values (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    check_in_id TEXT NOT NULL,
    measure_id TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    rev INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id),
    FOREIGN KEY (incident_id, check_in_id) REFERENCES check_ins(incident_id, id)
        ON DELETE CASCADE,
    FOREIGN KEY (incident_id, measure_id) REFERENCES trust_measures(incident_id, id)
        ON DELETE CASCADE
);
CREATE INDEX measure_values_check_in ON measure_values(incident_id, check_in_id);
CREATE INDEX measure_values_measure ON measure_values(incident_id, measure_id);

CREATE TABLE client_confidence (
    incident_id INTEGER NOT NULL,
    id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    score INTEGER NOT NULL,
    words TEXT NOT NULL DEFAULT '',
    rev INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, id),
    FOREIGN KEY (incident_id, id) REFERENCES check_ins(incident_id, id) ON DELETE CASCADE
);
"""


# Version 1.6 (minor): one search index over the library of lessons (issue 16). Its own
# step, kept whole here so renumbering it is one constant (:data:`SEARCH_INDEX_VERSION`).
#
# ``search_documents`` holds one row per piece of text a person may look for: an
# incident's title and lessons, its problem statement, each cause's text, evidence note
# and stop reason, each action (title, notes, success measure) and each timeline event,
# with the incident, the kind and a ``ref`` (the cause id, action uid or event id) that
# says what to select when a hit is opened; ``root`` marks a root cause's text, for
# "similar root causes". ``search_indexed`` says, per incident, which ``incidents.edited``
# revision the documents were made from. The rows are derived: the store's own write
# transaction makes them again for every incident whose ``edited`` moved (its own
# writes, and an older app's, which knows nothing of the index) and drops those of a
# deleted incident, just before it commits (see :mod:`rca_desk.store.search_index`), so
# no trigger is needed and the file works with ``trusted_schema=OFF``. The FTS5 table
# reads its text from ``search_documents`` (external content), keyed by its INTEGER
# PRIMARY KEY, which VACUUM never renumbers. The server has the same two tables and a GIN
# index instead of the FTS5 table (see :mod:`rca_desk.store.server_schema`).
SEARCH_DOCUMENTS = "search_documents"
SEARCH_INDEXED = "search_indexed"
SEARCH_FTS = "search_documents_fts"
SEARCH_TABLES_1_6 = f"""
CREATE TABLE {SEARCH_DOCUMENTS} (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    ref TEXT NOT NULL DEFAULT '',
    root INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL
);
CREATE INDEX {SEARCH_DOCUMENTS}_incident ON {SEARCH_DOCUMENTS}(incident_id);

CREATE TABLE {SEARCH_INDEXED} (
    incident_id INTEGER PRIMARY KEY,
    rev INTEGER NOT NULL
);
"""
SEARCH_1_6 = (
    SEARCH_TABLES_1_6
    + f"""
CREATE VIRTUAL TABLE {SEARCH_FTS} USING fts5(
    text,
    content="{SEARCH_DOCUMENTS}",
    content_rowid="id",
    tokenize="porter unicode61 remove_diacritics 2"
);
"""
)


@dataclass(frozen=True, order=True)
class SchemaVersion:
    """A workspace version, major.minor, packed into SQLite's 32-bit ``user_version``."""

    major: int
    minor: int

    def __post_init__(self) -> None:
        if not (0 <= self.major <= 0xFFFF and 0 <= self.minor <= 0xFFFF):
            raise ValueError(f"schema version {self.major}.{self.minor} is out of range")

    @classmethod
    def from_int(cls, number: int) -> SchemaVersion:
        """Unpack ``user_version``: signed as the pragma reports it, unsigned in the header.

        Both readings of one file must agree, so the number is taken as 32 unsigned bits
        first: a negative pragma value is then a huge major, i.e. refused as newer.
        """
        number &= 0xFFFF_FFFF
        return cls(number >> 16, number & 0xFFFF)

    def to_int(self) -> int:
        """The value for ``PRAGMA user_version`` (which takes a signed 32-bit integer)."""
        packed = self.major << 16 | self.minor
        return packed - (1 << 32) if packed >= 1 << 31 else packed

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


def refuse_newer_major(where: object, found: SchemaVersion) -> None:
    """The one rule for both backends: a newer *major* version is refused, in one line."""
    from rca_desk.store.errors import WorkspaceError

    if found.major > SCHEMA_VERSION.major:
        raise WorkspaceError(
            f"{where}: was written by a newer rca-desk (workspace format {found}; this "
            f"version is at {SCHEMA_VERSION} and opens format {SCHEMA_VERSION.major}.x "
            "only). Update rca-desk to open it."
        )


@dataclass(frozen=True)
class Migration:
    """One step: the SQL that takes a workspace from the previous version to ``version``."""

    version: SchemaVersion
    script: str


#: The step that adds the search index (see ``SEARCH_1_6`` above): a constant, so moving
#: the step to another number changes one line.
SEARCH_INDEX_VERSION = SchemaVersion(1, 6)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(SchemaVersion(0, 1), _V1),
    Migration(SchemaVersion(0, 2), _V2),
    Migration(SchemaVersion(1, 0), _V1_0),
    Migration(SchemaVersion(1, 1), _V1_1),
    Migration(SchemaVersion(1, 2), _V1_2),
    Migration(SchemaVersion(1, 3), _V1_3),
    Migration(SchemaVersion(1, 4), RECORD_1_4),
    Migration(SchemaVersion(1, 5), RECOVERY_1_5),
    Migration(SEARCH_INDEX_VERSION, SEARCH_1_6),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
TABLES = (
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
)
