"""Stored incidents that break a rule spanning rows, and the smallest repair for each.

Since schema 1.0 two writers can no longer store a cycle or an action on a cause that is
not a root cause. But a file can still hold one: written by an older rca-desk, edited by
hand, or restored from such a copy. Loading must not lock the user out of it, so the
loader plans repairs from the raw rows (:func:`plan_repairs`), applies them to what it
reads, and opens the incident read-only with the problems named; one click then writes
the same repairs (:meth:`Workspace.repair`). Each repair is the smallest change that
keeps everyone's text:

* a category a cause uses but the incident does not list is added to the list;
* a cycle is broken at its newest edge (the cause whose parent was written last is hung
  straight under the problem), and a cause whose parent is missing is hung there too;
* a link that closes a cycle (the newest first) or names a missing cause is dropped;
* an action on a cause that is no longer a root cause is unlinked from it, unless that is
  its only root cause: then the cause is marked a root cause again, so the action keeps a
  reason to exist; an action on a missing cause gets a placeholder root cause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rca_desk.model import HEAD

#: Text of the root cause put in for one an action names but the file lost.
PLACEHOLDER_TEXT = "Root cause lost outside rca-desk (added back by a repair)"


@dataclass(frozen=True)
class StoredCause:
    """A cause row as stored, with only what planning a repair needs."""

    id: str
    parent: str | None
    rev: int
    is_root: bool
    text: str
    category: str | None = None


@dataclass(frozen=True)
class StoredAction:
    """An action row as stored: the causes it names, in order, whatever they are now."""

    uid: str
    title: str
    causes: tuple[str, ...]


@dataclass(frozen=True)
class Repair:
    """One change that makes the stored incident keep the rules again."""

    #: ``add category`` (``cause`` is the category's name), ``rehang`` (cause under the
    #: problem), ``drop link``, ``unlink`` (action from cause), ``mark root`` (cause),
    #: ``placeholder`` (a lost root cause put back).
    kind: str
    cause: str
    #: The link's effect, or the action's uid.
    other: str = ""
    #: What was wrong and what the repair does, in plain words.
    problem: str = field(default="", compare=False)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def plan_repairs(
    causes: Iterable[StoredCause],
    links: Iterable[tuple[str, str, int]],
    actions: Iterable[StoredAction],
    categories: list[str] | None = None,
) -> list[Repair]:
    """The repairs that make these rows a valid incident (none for a sound one)."""
    by_id = {c.id: c for c in causes if c.id != HEAD}
    parent = {cid: (c.parent or HEAD) for cid, c in by_id.items()}
    repairs: list[Repair] = []

    # 0. A cause's category is one of the incident's: a missing one is added to the list.
    if categories is not None:
        missing = {c.category for c in by_id.values() if c.category not in (None, *categories)}
        repairs.extend(
            Repair(
                "add category",
                str(name),
                problem=f"Causes use the category {name!r}, which the incident does not "
                "list; it was added to the list.",
            )
            for name in sorted(str(m) for m in missing)
        )

    def name(cid: str) -> str:
        return repr(_short(by_id[cid].text)) if cid in by_id else repr(cid)

    # 1. Every cause must hang from the problem through its parents.
    for cid in sorted(by_id):
        if parent[cid] != HEAD and parent[cid] not in by_id:
            parent[cid] = HEAD
            repairs.append(
                Repair(
                    "rehang",
                    cid,
                    problem=f"Cause {name(cid)} hangs under a cause that is missing; it was "
                    "hung straight under the problem.",
                )
            )
    reached = _reached(parent)
    while len(reached) < len(by_id):
        # Parents of an unreached cause are unreached too, so following them must loop.
        cycle = _cycle_from(min(cid for cid in by_id if cid not in reached), parent)
        victim = max(cycle, key=lambda cid: (by_id[cid].rev, cid))
        others = ", ".join(name(c) for c in cycle if c != victim)
        together = f"and {others} explain each other" if others else "explains itself"
        parent[victim] = HEAD
        repairs.append(
            Repair(
                "rehang",
                victim,
                problem=f"Cause {name(victim)} {together} (a cycle); it was hung straight "
                "under the problem.",
            )
        )
        reached = _reached(parent)

    # 2. Links, oldest first: one that names a missing cause or closes a cycle goes.
    edges: dict[str, set[str]] = {}
    for cid, up in parent.items():
        edges.setdefault(up, set()).add(cid)
    for effect, cause, _ in sorted(links, key=lambda link: (link[2], link[0], link[1])):
        known = cause in by_id and (effect == HEAD or effect in by_id)
        repeats = known and cause in edges.get(effect, ())
        if known and not repeats and effect != cause and not _path(edges, cause, effect):
            edges.setdefault(effect, set()).add(cause)
            continue
        if not known:
            reason = "names a missing cause"
        elif repeats:
            reason = "repeats where the cause already hangs"
        else:
            reason = "would make a cycle"
        repairs.append(
            Repair(
                "drop link",
                cause,
                effect,
                problem=f"The link from {name(cause)} to {name(effect)} {reason}; it was removed.",
            )
        )

    # 3. Actions address root causes only.
    marked: set[str] = set()
    for action in actions:
        wrong = [c for c in action.causes if c not in by_id or not by_id[c].is_root]
        if not wrong:
            continue
        keep = [c for c in action.causes if c not in wrong]
        title = repr(_short(action.title))
        for cid in wrong:
            if cid in marked:
                continue
            if cid not in by_id:
                repairs.append(
                    Repair(
                        "placeholder",
                        cid,
                        action.uid,
                        problem=f"Action {title} addresses a root cause that is missing; a "
                        "placeholder root cause was put back for it.",
                    )
                )
                marked.add(cid)
            elif keep:
                repairs.append(
                    Repair(
                        "unlink",
                        cid,
                        action.uid,
                        problem=f"Action {title} addresses {name(cid)}, which is not a root "
                        "cause; the action was unlinked from it.",
                    )
                )
            else:
                repairs.append(
                    Repair(
                        "mark root",
                        cid,
                        action.uid,
                        problem=f"Action {title} addresses {name(cid)}, which is not marked "
                        "as a root cause; it was marked again.",
                    )
                )
                marked.add(cid)
    return repairs


def _reached(parent: dict[str, str]) -> set[str]:
    children: dict[str, list[str]] = {}
    for cid, up in parent.items():
        children.setdefault(up, []).append(cid)
    reached: set[str] = set()
    stack = [HEAD]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in reached:
                reached.add(child)
                stack.append(child)
    return reached


def _cycle_from(start: str, parent: dict[str, str]) -> list[str]:
    """Follow parents from an unreached cause until one repeats: that loop is a cycle."""
    path: list[str] = []
    seen: dict[str, int] = {}
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = parent[node]
    return path[seen[node] :]


def _path(edges: dict[str, set[str]], source: str, target: str) -> bool:
    stack, seen = [source], {source}
    while stack:
        node = stack.pop()
        if node == target:
            return True
        for nxt in edges.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False
