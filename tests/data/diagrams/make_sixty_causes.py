"""Build the committed 60-cause fixture: 6 categories (6M), 24 first-level causes,
30 second-level, 6 third-level; labels of 40-80 characters, as a real workshop writes.
Run once; the JSON is committed, uids and all, so measurements stay comparable."""

import sys
from datetime import datetime
from pathlib import Path

from rca_desk.interchange.json_format import dumps
from rca_desk.model import HEAD, CauseGraph, Incident

CATS = ["Methods", "Machines", "Materials", "Measurement", "Manpower", "Environment"]
TREE = {
    "Methods": [
        (
            "Release checklist covers code changes but not data migrations",
            [
                ("Checklist was written before tenants had separate schemas", []),
                (
                    "Nobody owns the checklist since the platform team was split",
                    [("Ownership of shared documents was never assigned after the reorg", [])],
                ),
            ],
        ),
        (
            "Data migrations run without a dry run on a copy of production",
            [
                (
                    "Staging holds only the demo tenant, so a dry run proves little",
                    [("Copying client data to staging needs a privacy approval", [])],
                )
            ],
        ),
        (
            "Rollback plan assumes a full restore and takes eight hours",
            [
                ("Restore runbook only describes a whole-database restore", []),
                ("Per-tenant restore was never designed or rehearsed", []),
            ],
        ),
        (
            "Change approval was given in chat without a recorded review",
            [("Change tool is slow, so people approve in chat to save time", [])],
        ),
    ],
    "Machines": [
        (
            "Migration tool deletes rows it cannot map instead of stopping",
            [
                ("Default mode of the tool is 'skip and delete' for unmapped rows", []),
                ("Tool upgrade changed the default without a release note", []),
            ],
        ),
        (
            "Job scheduler ran the migration during the client's month-end run",
            [("Scheduler calendar has no client blackout windows", [])],
        ),
        (
            "Database replica lag hid the missing rows for several hours",
            [
                (
                    "Reports read from a replica that was twelve hours behind",
                    [("Replica lag alert threshold is set to one full day", [])],
                )
            ],
        ),
        (
            "Disk quota on the export host filled up during the backfill",
            [("Capacity planning ignores one-off backfill jobs", [])],
        ),
    ],
    "Materials": [
        (
            "Legacy sales history uses a currency code the mapping lacks",
            [("Mapping table was built from the last two years of data only", [])],
        ),
        (
            "Client's import file had duplicated invoice lines in March",
            [
                (
                    "Client export changed format after their ERP upgrade",
                    [("We are not told about client system upgrades in advance", [])],
                )
            ],
        ),
        (
            "Reference data for regions was edited by hand in production",
            [("No tool exists to change reference data through a review", [])],
        ),
        (
            "Test data set has no records older than eighteen months",
            [("Test data is refreshed by a script that keeps recent rows only", [])],
        ),
    ],
    "Measurement": [
        (
            "Row counts are checked per database, not per tenant",
            [
                ("Validation script predates the multi-tenant schema", []),
                ("Totals are compared only for the demo tenant", []),
            ],
        ),
        (
            "No alert fires when a tenant's history shrinks overnight",
            [("Monitoring tracks uptime and latency but not data volume", [])],
        ),
        (
            "Quarter-end totals are reconciled by the client, not by us",
            [
                (
                    "Reconciliation report exists but nobody is asked to read it",
                    [("Report owner left and the task was not handed over", [])],
                )
            ],
        ),
        (
            "Migration logs are kept for one day and were gone by Monday",
            [("Log retention was cut to save storage without asking support", [])],
        ),
    ],
    "Manpower": [
        (
            "Release engineer was covering two roles on the release night",
            [("On-call rota had a gap after two resignations in the quarter", [])],
        ),
        (
            "On-call staff were not trained on tenant-level restores",
            [("Training plan covers incident handling but not data repair", [])],
        ),
        (
            "Release brought forward two days for a sales demo",
            [
                (
                    "Sales commitments are made without asking the release manager",
                    [("No rule says who may move a release date and how", [])],
                )
            ],
        ),
        (
            "Client success manager learned of the loss from the client",
            [
                ("Incident channel does not include the account team", []),
                ("No rule says when the client is told about a data problem", []),
            ],
        ),
    ],
    "Environment": [
        (
            "Client's quarter-end fell on a public holiday weekend",
            [
                (
                    "Support desk runs with one person on holiday weekends",
                    [("Holiday cover is planned per team, not for the whole service", [])],
                )
            ],
        ),
        (
            "Shared staging is booked by three teams in the same week",
            [("Environment booking is a spreadsheet without conflict checks", [])],
        ),
        (
            "Vendor maintenance window overlapped with the migration",
            [("Vendor notices go to a mailbox that nobody reads", [])],
        ),
        (
            "Office network outage delayed the first response by an hour",
            [("Remote access needs the office VPN, which went down too", [])],
        ),
    ],
}
PROBLEM = (
    "Northwind could not produce quarter-end sales reports for a business day because "
    "part of their sales history was lost in the v4.2 migration"
)
graph = CauseGraph(problem=PROBLEM, categories=CATS)
count = 0


def add(parent, items, category):
    global count
    for text, kids in items:
        assert 40 <= len(text) <= 80, (len(text), text)
        cid = graph.add_cause(parent, text=text, category=category)
        count += 1
        add(cid, kids, category)


for cat, items in TREE.items():
    add(HEAD, items, cat)
print("causes", count, file=sys.stderr)
incident = Incident(
    title="Sixty causes: quarter-end history lost",
    graph=graph,
    occurred_at=datetime(2026, 10, 1, 6, 40),
    affected="Northwind Retail",
)
Path(__file__).with_name("sixty-causes.json").write_text(dumps([incident]), "utf-8")
