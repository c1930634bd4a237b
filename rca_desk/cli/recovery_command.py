"""``rca-desk recovery --incident ID``: the client's recovery record, headless (issue 16).

The apology, the agreed streak, whether recovery counts as restored and why the client is
at risk (as of ``--today``), the restitution offers, the trust measures with their
targets, and the values and the client's confidence at each check-in. Three formats:

* ``table`` (the default), for people;
* ``json``, one object whose shape is documented in the README and kept stable: dates as
  ISO text, a credit's amount as decimal text ("6400.00", never a float), measure values
  and targets as JSON numbers;
* ``csv``, the long form a spreadsheet charts: one row per measure value and one per
  confidence rating, at each check-in.

Every view reads the model's own answers (:mod:`rca_desk.model.recovery_state`), so the
words here are the review's and ``check``'s.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from rca_desk.cli.terminal import json_safe
from rca_desk.interchange.tables import to_csv, to_table
from rca_desk.model import CheckIn, Incident
from rca_desk.model.recovery import Restitution, TrustMeasure, number_text
from rca_desk.model.recovery_state import has_recovery, recovery_state, series

__all__ = ["CSV_HEADER", "print_recovery", "recovery_json"]

#: The CSV's columns: where (the check-in), what (a measure or the confidence), the value.
CSV_HEADER = (
    "incident", "check_in", "planned", "held", "kind", "measure_id", "name", "unit",
    "target", "direction", "value", "met", "words",
)  # fmt: skip


def _ordered(check_ins: list[CheckIn]) -> list[CheckIn]:
    """Held check-ins in the order held, then those not held yet by their planned day."""
    return sorted(
        check_ins,
        key=lambda c: (c.held is None, c.held or c.planned, c.planned, c.id),
    )


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _amount(offer: Restitution) -> str | None:
    return format(offer.amount, "f") if offer.amount is not None else None


def _offer_json(offer: Restitution) -> dict[str, Any]:
    return {
        "id": offer.id,
        "kind": offer.kind.value,
        "offered_on": offer.offered_on.isoformat(),
        "status": offer.status.value,
        "amount": _amount(offer),
        "currency": offer.currency or None,
        "note": offer.note,
    }


def recovery_json(incident: Incident, incident_id: int, today: date) -> dict[str, Any]:
    """The recovery record as the README's stable JSON shape."""
    state = recovery_state(incident, today)
    order = _ordered(incident.check_ins)
    values = {(v.check_in_id, v.measure_id): v.value for v in incident.measure_values}
    trends = {s.measure.id: s.trend for s in series(incident) if s.measure is not None}
    ratings = {c.check_in_id: c for c in incident.confidence}
    confidence_trend = series(incident)[-1].trend

    def measure_json(measure: TrustMeasure) -> dict[str, Any]:
        return {
            "id": measure.id,
            "name": measure.name,
            "unit": measure.unit,
            "target": measure.target,
            "direction": measure.direction.value,
            "trend": trends[measure.id],
            "values": [
                {
                    "check_in": c.id,
                    "held": _day(c.held),
                    "value": values[c.id, measure.id],
                    "met": measure.met(values[c.id, measure.id]),
                }
                for c in order
                if (c.id, measure.id) in values
            ],
        }

    apology = incident.apology
    return {
        "incident": incident_id,
        "uid": incident.uid,
        "title": incident.title,
        "today": today.isoformat(),
        "apology": {
            "on": _day(apology.on),
            "by": apology.by,
            "to": apology.to,
            "channel": apology.channel.value,
        },
        "restore_streak": incident.restore_streak,
        "restored": state.restored,
        "at_risk": list(state.risks),
        "restitution": [_offer_json(offer) for offer in incident.restitution],
        "measures": [measure_json(measure) for measure in incident.measures],
        "confidence": {
            "trend": confidence_trend,
            "ratings": [
                {
                    "check_in": c.id,
                    "held": _day(c.held),
                    "score": ratings[c.id].score,
                    "words": ratings[c.id].words,
                }
                for c in order
                if c.id in ratings
            ],
        },
    }


def _csv_rows(incident: Incident, incident_id: int) -> list[list[str]]:
    values = {(v.check_in_id, v.measure_id): v.value for v in incident.measure_values}
    ratings = {c.check_in_id: c for c in incident.confidence}
    rows = []
    for check_in in _ordered(incident.check_ins):
        where = [
            str(incident_id),
            check_in.id,
            check_in.planned.isoformat(),
            _day(check_in.held) or "",
        ]
        for measure in incident.measures:
            if (check_in.id, measure.id) not in values:
                continue
            value = values[check_in.id, measure.id]
            rows.append(
                [
                    *where,
                    "measure",
                    measure.id,
                    measure.name,
                    measure.unit,
                    number_text(measure.target),
                    measure.direction.value,
                    number_text(value),
                    "yes" if measure.met(value) else "no",
                    "",
                ]
            )
        if check_in.id in ratings:
            rating = ratings[check_in.id]
            rows.append(
                [
                    *where,
                    "confidence",
                    "",
                    "Client confidence",
                    "of 5",
                    "",
                    "higher",
                    str(rating.score),
                    "",
                    rating.words,
                ]
            )
    return rows


def _table(incident: Incident, incident_id: int, today: date) -> str:
    data = recovery_json(incident, incident_id, today)
    lines = [f"Incident {incident_id}: {incident.title}"]
    apology = incident.apology
    if apology.made:
        assert apology.on is not None
        who = "".join(
            part
            for part in (
                f" by {apology.by}" if apology.by else "",
                f" to {apology.to}" if apology.to else "",
            )
        )
        lines.append(f"Apology:      {apology.on.isoformat()}{who} ({apology.channel.label})")
    else:
        lines.append("Apology:      none on record")
    streak = incident.restore_streak
    lines.append(
        f"Restored:     {'yes' if data['restored'] else 'no'} (when every measure is on "
        f"target at {streak} check-in{'s' if streak != 1 else ''} held in a row)"
    )
    risks = data["at_risk"]
    lines.append(f"At risk:      {'yes' if risks else 'no'} (as of {today.isoformat()})")
    lines += [f"  - {risk}" for risk in risks]
    out = "\n".join(lines) + "\n"
    if incident.restitution:
        out += "\nRestitution\n" + to_table(
            ["ID", "KIND", "OFFERED", "STATUS", "AMOUNT", "NOTE"],
            [
                [
                    offer.id,
                    offer.kind.label,
                    offer.offered_on.isoformat(),
                    offer.status.value,
                    offer.amount_text,
                    offer.note,
                ]
                for offer in incident.restitution
            ],
        )
    if incident.measures:
        out += "\nTrust measures\n" + to_table(
            ["ID", "TARGET", "LATEST", "TREND", "MEASURE"],
            [
                [
                    m["id"],
                    measure.target_text,
                    measure.value_text(m["values"][-1]["value"]) if m["values"] else "",
                    m["trend"],
                    measure.name,
                ]
                for m, measure in zip(data["measures"], incident.measures, strict=True)
            ],
        )
    rows = _csv_rows(incident, incident_id)
    if rows:
        out += "\nAt each check-in\n" + to_table(
            ["CHECK-IN", "HELD", "VALUE", "MET", "WHAT"],
            [
                [
                    row[1],
                    row[3] or "not held",
                    f"{row[10]} {row[7]}".strip(),
                    row[11],
                    row[6] + (f": {row[12]}" if row[12] else ""),
                ]
                for row in rows
            ],
        )
    trend = data["confidence"]["trend"]
    if trend:
        out += f"\nClient confidence: {trend}\n"
    return out


def print_recovery(incident: Incident, incident_id: int, fmt: str, today: date) -> None:
    """Write the incident's recovery record to stdout in ``fmt`` (table, json or csv)."""
    if fmt == "json":
        text = json.dumps(recovery_json(incident, incident_id, today), ensure_ascii=False, indent=2)
        print(json_safe(text))
    elif fmt == "csv":
        sys.stdout.write(to_csv(CSV_HEADER, _csv_rows(incident, incident_id)))
    elif not has_recovery(incident):
        print(f"Incident {incident_id} has no client recovery on record.")
    else:
        sys.stdout.write(_table(incident, incident_id, today))
