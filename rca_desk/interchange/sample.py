"""The sample incident that ``rca-desk demo`` adds, so a newcomer sees real content.

The sample lives in ``resources/sample_incident.json`` in the ordinary JSON format, except
that dates are written relative to the day it is loaded (``@today-4``,
``@today-19T15:00``) and ids as ``@uid``. Loading it goes through the normal importer, so
the sample is checked like any other file, and it always shows overdue actions and
actions due soon whatever the day.

The follow-up is written as the app would propose it, whatever the day: a check-in's
``"planned": "@cadence"`` is the next date the incident's cadence proposes from its day of
resolution (:func:`~rca_desk.model.follow_ups.planned_dates`, which keeps to weekdays, so
the dates cannot be fixed offsets), ``"held": "@planned"`` is that same day, and
``"review_meeting": "@proposed"`` is the day
:func:`~rca_desk.model.follow_ups.proposed_review_meeting` proposes.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, time, timedelta
from importlib import resources
from typing import Any

from rca_desk.interchange.json_format import parse_document
from rca_desk.model import Incident
from rca_desk.model.follow_ups import (
    DEFAULT_CADENCE,
    cadence_from_data,
    planned_dates,
    proposed_review_meeting,
)

SAMPLE_RESOURCE = "sample_incident.json"
_RELATIVE = re.compile(r"^@today([+-]\d+)(T\d\d:\d\d)?$")


def _resolve(value: Any, today: date) -> Any:
    if isinstance(value, dict):
        return {key: _resolve(item, today) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, today) for item in value]
    if value == "@uid":
        return uuid.uuid4().hex
    if isinstance(value, str) and (match := _RELATIVE.match(value)):
        day = today + timedelta(days=int(match.group(1)))
        return day.isoformat() + (match.group(2) or "")
    return value


def _follow_up(incident: dict[str, Any]) -> None:
    """The incident's proposed review meeting and check-in dates, in place (see above)."""
    if "resolved_at" not in incident:
        return
    resolved = date.fromisoformat(incident["resolved_at"])
    if incident.get("review_meeting") == "@proposed":
        incident["review_meeting"] = proposed_review_meeting(resolved).isoformat()
    cadence = cadence_from_data(incident["cadence"]) if "cadence" in incident else DEFAULT_CADENCE
    proposed = iter(planned_dates(resolved, cadence))
    for check_in in incident.get("check_ins", []):
        if check_in["planned"] == "@cadence":
            check_in["planned"] = next(proposed).isoformat()
        if check_in.get("held") == "@planned":
            check_in["held"] = check_in["planned"]


def sample_incidents(today: date) -> list[Incident]:
    text = resources.files("rca_desk.resources").joinpath(SAMPLE_RESOURCE).read_text("utf-8")
    document = _resolve(json.loads(text), today)
    for incident in document["incidents"]:
        _follow_up(incident)
    # Its times are relative to ``today`` (and written without a zone, as the app writes
    # them), so they are checked against the end of that day, not the real clock.
    now = datetime.combine(today, time.max)
    return parse_document(document, source=SAMPLE_RESOURCE, now=now)
