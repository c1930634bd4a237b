"""Random edits of an open incident, the way a person makes them: through commands.

Shared by the two-document state machine (Hypothesis draws the choices) and the
two-process race (``random.Random`` draws them), so both exercise the same edits: every
kind of cause, link, action and incident change, plus undo and redo.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from rca_desk.model import HEAD
from rca_desk.ui.document.action_commands import AddAction, ChangeStatus, DeleteAction, EditAction
from rca_desk.ui.document.cause_commands import (
    AddCause,
    DocumentCommand,
    EditCause,
    EditIncident,
    MoveCause,
    RemoveCause,
    RenameCategory,
    SetCategories,
    SetLink,
    SetProblem,
)
from rca_desk.ui.document.incident_document import IncidentDocument

T = TypeVar("T")

KINDS = (
    "add cause",
    "add cause",
    "edit cause",
    "toggle root",
    "move cause",
    "remove cause",
    "link",
    "unlink",
    "add action",
    "edit action",
    "change status",
    "delete action",
    "retitle",
    "problem",
    "add category",
    "drop category",
    "rename category",
    "recategorise",
    "undo",
    "redo",
)


class Chooser(Protocol):
    def choice(self, options: Sequence[T]) -> T: ...


def random_edit(document: IncidentDocument, pick: Chooser, tag: str) -> str:
    """Make one random edit (or undo/redo) in ``document``; return what was tried.

    The edit may be refused (by the model's rules or as stale); that is part of the test.
    """
    kind = pick.choice(KINDS)
    if kind == "undo":
        document.undo_stack.undo()
        return kind
    if kind == "redo":
        document.undo_stack.redo()
        return kind
    command = _command(document, pick, kind, tag)
    if command is not None:
        document.execute(command)
    return kind


def _command(
    document: IncidentDocument, pick: Chooser, kind: str, tag: str
) -> DocumentCommand | None:
    graph = document.graph
    causes = list(graph.cause_ids())
    roots = graph.root_causes()
    actions = [a.uid for a in document.incident.actions]
    word = pick.choice(("late", "skipped", "unowned", "untested", "unclear"))
    if kind == "add cause":
        parent = pick.choice([HEAD, *causes])
        category = pick.choice(graph.categories) if parent == HEAD else None
        return AddCause(document, parent, f"{tag}: step {word}", category=category)
    if kind == "retitle":
        return EditIncident(document, title=f"Incident, {tag} {word}")
    if kind == "problem":
        return SetProblem(document, f"The client saw a {word} report ({tag})")
    if kind == "add category":
        return SetCategories(document, [*graph.categories, f"{tag} {word}"])
    if kind == "drop category":  # refused by the model while a cause uses it
        dropped = pick.choice(graph.categories)
        return SetCategories(document, [c for c in graph.categories if c != dropped])
    if kind == "rename category":
        return RenameCategory(document, pick.choice(graph.categories), f"{tag} {word}")
    if not causes:
        return None
    cause = pick.choice(causes)
    if kind == "edit cause":
        return EditCause(document, cause, text=f"{tag} reworded: {word}")
    if kind == "recategorise":
        return EditCause(document, cause, category=pick.choice(graph.categories))
    if kind == "toggle root":
        return EditCause(document, cause, root_cause=not graph.cause(cause).root_cause)
    if kind == "move cause":
        parent = pick.choice([HEAD, *causes])
        category = pick.choice(graph.categories) if parent == HEAD else None
        return MoveCause(document, cause, parent, category=category)
    if kind == "remove cause":
        return RemoveCause(document, cause)
    if kind == "link":
        return SetLink(document, pick.choice(causes), cause, present=True)
    if kind == "unlink":
        links = graph.links()
        return SetLink(document, *pick.choice(links), present=False) if links else None
    if kind == "add action" and roots:
        return AddAction(document, title=f"{tag}: fix {word}", root_causes=[pick.choice(roots)])
    if not actions:
        return None
    uid = pick.choice(actions)
    if kind == "edit action":
        return EditAction(document, uid, title=f"{tag}: retitled {word}")
    if kind == "change status":
        allowed = document.incident.action(uid).allowed_next()
        if not allowed:
            return None
        return ChangeStatus(document, uid, pick.choice(allowed), note=f"{tag} says {word}")
    if kind == "delete action":
        return DeleteAction(document, uid)
    return None
