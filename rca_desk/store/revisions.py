"""Per-row revisions: which stored rows a copy of an incident was read at.

A copy of an incident (``Incident.revisions``) maps each stored row it knows to the
revision that row had when the copy read or last wrote it. The keys name rows the way a
person would, independent of SQL, so the document can also tell which rows another
window changed (:func:`changed_rows`) and refuse an undo that would overwrite them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: ``("incident", field)``, ``("cause", id)``, ``("link", effect, cause)``,
#: ``("action", uid)``, ``("idea", id)``, ``("record", kind, id)``, and ``("edited",)``:
#: the incident's newest revision of anything, to notice changes.
RowKey = tuple[str, ...]

EDITED: RowKey = ("edited",)


def field_row(name: str) -> RowKey:
    """One of the incident's own fields (``Incident.FIELDS`` or ``"categories"``)."""
    return ("incident", name)


def cause_row(cause_id: str) -> RowKey:
    return ("cause", cause_id)


def action_row(uid: str) -> RowKey:
    return ("action", uid)


def link_row(effect: str, cause: str) -> RowKey:
    return ("link", effect, cause)


def idea_row(idea_id: str) -> RowKey:
    """One idea of the parking lot."""
    return ("idea", idea_id)


def record_row(kind: str, record_id: str) -> RowKey:
    """One record of the incident's ``kind`` list (a key of ``Incident.RECORD_KINDS``:
    ``"timeline"``, ``"participants"``, ``"check_ins"``)."""
    return ("record", kind, record_id)


def mentions(key: RowKey, cause_ids: set[str]) -> bool:
    """Whether ``key`` is a cause in ``cause_ids`` or a link with an end among them."""
    return key[0] in ("cause", "link") and not cause_ids.isdisjoint(key[1:])


def changed_rows(before: Mapping[RowKey, int], after: Mapping[RowKey, int]) -> set[RowKey]:
    """Rows added, removed or rewritten between two reads of one incident."""
    keys = (before.keys() | after.keys()) - {EDITED}
    return {key for key in keys if before.get(key) != after.get(key)}


def find_cycle(edges: Iterable[tuple[str, str]]) -> bool:
    """Whether the directed edges (effect, cause) contain a cycle (Kahn's algorithm).

    Plain Python rather than networkx: it runs inside a write transaction on every move,
    and only needs a yes or no.
    """
    children: dict[str, list[str]] = {}
    incoming: dict[str, int] = {}
    for effect, cause in edges:
        children.setdefault(effect, []).append(cause)
        incoming[cause] = incoming.get(cause, 0) + 1
        incoming.setdefault(effect, 0)
    ready = [node for node, count in incoming.items() if count == 0]
    seen = 0
    while ready:
        node = ready.pop()
        seen += 1
        for child in children.get(node, ()):
            incoming[child] -= 1
            if incoming[child] == 0:
                ready.append(child)
    return seen != len(incoming)
