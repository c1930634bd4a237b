"""The workspace schema and its migrations.

The schema version lives in ``PRAGMA user_version`` (as qutebrowser does) and the file is
marked as ours with ``PRAGMA application_id``, so a foreign SQLite file is recognised from
its 100-byte header without being opened. Migrations run one step at a time, each in its
own transaction: ``MIGRATIONS[n]`` takes a workspace from version ``n`` to ``n + 1``.
"""

from __future__ import annotations

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

MIGRATIONS: list[str] = [_V1]
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = ("incidents", "causes", "cause_links", "actions", "action_causes", "action_history")
