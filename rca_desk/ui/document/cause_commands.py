"""Undoable edits of an incident's causes, problem, categories and fields.

Each command is a pair of calls to :class:`IncidentDocument` methods, one to do and one
to undo; the document checks, writes through and notifies. The first :meth:`apply` runs
inside :meth:`IncidentDocument.execute` (so a refused edit never reaches the undo stack);
later redo/undo calls replay it.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtGui import QUndoCommand

from rca_desk.model import RcaError, RemovedSubtree
from rca_desk.model.categories import clean_category_name
from rca_desk.model.cause_graph import new_cause_id
from rca_desk.ui.document.incident_document import IncidentDocument


def short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DocumentCommand(QUndoCommand):
    """Base class: subclasses implement :meth:`apply` and :meth:`revert`.

    :attr:`by` is the widget that asked for the change while it is first applied, and
    ``None`` on undo and redo (then every view must follow, the asker included).
    """

    def __init__(self, document: IncidentDocument, text: str) -> None:
        super().__init__(text)
        self.document = document
        self.by: object | None = None
        #: The document's generation when the command was made (see ``replaying``).
        self.generation = 0
        self._skip_next_redo = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def run_first(self, initiator: object | None = None) -> None:
        """Apply for the first time, before the push; refusals propagate to the caller."""
        self.by = initiator
        try:
            self.apply()
        finally:
            self.by = None
        self._skip_next_redo = True  # QUndoStack.push() calls redo() at once

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            return
        self._replay(self.apply)

    def undo(self) -> None:
        self._replay(self.revert)

    def _replay(self, step: Any) -> None:
        try:
            with self.document.replaying(self.generation):
                step()
        except RcaError as error:
            self.setObsolete(True)  # Qt drops it from the stack once undo()/redo() returns
            self.document.replay_failed(error)


class TwoWayCommand(DocumentCommand):
    """A command whose undo is the same change the other way round (old and new swapped)."""

    def flip(self, forward: bool) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        self.flip(True)

    def revert(self) -> None:
        self.flip(False)


class AddCause(DocumentCommand):
    """Answer "why?" for ``parent`` with a new cause (Enter adds a sibling, Tab a child)."""

    def __init__(
        self,
        document: IncidentDocument,
        parent: str,
        text: str,
        *,
        category: str | None = None,
        index: int | None = None,
        root_cause: bool = False,
    ) -> None:
        super().__init__(document, f"Add cause “{short(text)}”")
        self.parent_id = parent
        self.cause_text = text
        self.category = category
        self.index = index
        self.root_cause = root_cause
        self.cause_id = new_cause_id()

    def apply(self) -> None:
        self.document.add_cause(
            self.parent_id,
            text=self.cause_text,
            category=self.category,
            index=self.index,
            root_cause=self.root_cause,
            cause_id=self.cause_id,
            initiator=self.by,
        )

    def revert(self) -> None:
        self.document.remove_cause(self.cause_id)


class EditCause(DocumentCommand):
    """Change fields of one cause (text, category, evidence, note, root-cause flag, stop reason)."""

    def __init__(self, document: IncidentDocument, cause_id: str, **changes: Any) -> None:
        what = {
            "text": "Rename cause",
            "category": "Change category",
            "evidence": "Change evidence",
            "evidence_note": "Edit evidence note",
            "stop_reason": "Edit stop reason",
            "root_cause": "Mark root cause" if changes.get("root_cause") else "Unmark root cause",
        }
        label = what[next(iter(changes))] if len(changes) == 1 else "Edit cause"
        super().__init__(document, label)
        self.cause_id = cause_id
        self.changes = changes
        self.before: dict[str, Any] = {}

    def apply(self) -> None:
        self.before = self.document.update_cause(self.cause_id, initiator=self.by, **self.changes)

    def revert(self) -> None:
        self.document.update_cause(self.cause_id, **self.before)


class RemoveCause(DocumentCommand):
    """Remove a cause with its sub-causes (and links); undo puts all of it back."""

    def __init__(self, document: IncidentDocument, cause_id: str) -> None:
        graph = document.graph
        count = len(graph.subtree(cause_id))
        extra = f" and {count - 1} sub-causes" if count > 1 else ""
        super().__init__(document, f"Delete “{short(graph.cause(cause_id).text)}”{extra}")
        self.cause_id = cause_id
        self.removed: RemovedSubtree | None = None

    def apply(self) -> None:
        self.removed = self.document.remove_cause(self.cause_id, initiator=self.by)

    def revert(self) -> None:
        assert self.removed is not None
        self.document.restore_causes(self.removed)


class MoveCause(TwoWayCommand):
    """Hang a cause (and its sub-causes) under another effect, or on another category bone.

    Moved to another category bone, the branch goes with it: every cause in the subtree
    that shared the moved cause's category takes the new one (others keep theirs).
    """

    def __init__(
        self,
        document: IncidentDocument,
        cause_id: str,
        new_parent: str,
        *,
        index: int | None = None,
        category: str | None = None,
    ) -> None:
        graph = document.graph
        super().__init__(document, f"Move “{short(graph.cause(cause_id).text)}”")
        self.cause_id = cause_id
        self.new_parent = new_parent
        self.index = index
        self.old_parent = graph.parent(cause_id)
        self.old_index = graph.index_of(cause_id)
        self.old_categories: dict[str, str] | None = None
        self.new_categories: dict[str, str] | None = None
        old_category = graph.cause(cause_id).category
        if category is not None and category != old_category:
            subtree = graph.subtree(cause_id)
            self.old_categories = {c: graph.cause(c).category for c in subtree}
            self.new_categories = {
                c: category for c, was in self.old_categories.items() if was == old_category
            }

    def flip(self, forward: bool) -> None:
        new = (self.new_parent, self.index, self.new_categories)
        old = (self.old_parent, self.old_index, self.old_categories)
        parent, index, categories = new if forward else old
        self.document.move_cause(
            self.cause_id, parent, index=index, categories=categories, initiator=self.by
        )


class SetLink(TwoWayCommand):
    """Add or remove a secondary "also contributes to" link."""

    def __init__(self, document: IncidentDocument, effect: str, cause: str, *, present: bool):
        super().__init__(document, "Link causes" if present else "Unlink causes")
        self.effect, self.cause, self.present = effect, cause, present

    def flip(self, forward: bool) -> None:
        self.document.set_link(
            self.effect, self.cause, present=self.present == forward, initiator=self.by
        )


class SetProblem(TwoWayCommand):
    """Reword the problem statement (the head of both diagrams)."""

    def __init__(self, document: IncidentDocument, text: str) -> None:
        super().__init__(document, "Reword problem statement")
        self.problem = text
        self.before = document.graph.problem

    def flip(self, forward: bool) -> None:
        self.document.set_problem(self.problem if forward else self.before, initiator=self.by)


class SetCategories(TwoWayCommand):
    """Replace the incident's category list (add, remove unused, reorder, apply a preset)."""

    def __init__(self, document: IncidentDocument, categories: list[str]) -> None:
        super().__init__(document, "Change categories")
        self.categories = list(categories)
        self.before = list(document.graph.categories)

    def flip(self, forward: bool) -> None:
        chosen = self.categories if forward else self.before
        self.document.set_categories(chosen, initiator=self.by)


class RenameCategory(TwoWayCommand):
    """Rename a category everywhere in the incident (its causes follow)."""

    def __init__(self, document: IncidentDocument, old: str, new: str) -> None:
        super().__init__(document, f"Rename category “{short(old)}”")
        # Undo renames back from the name the model stores, so keep the cleaned one.
        with contextlib.suppress(RcaError):  # a bad name is refused when applied
            new = clean_category_name(new)
        self.old, self.new = old, new

    def flip(self, forward: bool) -> None:
        old, new = (self.old, self.new) if forward else (self.new, self.old)
        self.document.rename_category(old, new, initiator=self.by)


class EditIncident(DocumentCommand):
    """Change the incident's own fields (title, client, severity, impact, depth, ...)."""

    def __init__(self, document: IncidentDocument, **changes: Any) -> None:
        names = ", ".join(name.replace("_", " ") for name in changes)
        super().__init__(document, f"Edit incident {names}")
        self.changes = changes
        self.before: dict[str, Any] = {}

    def apply(self) -> None:
        self.before = self.document.update_incident(initiator=self.by, **self.changes)

    def revert(self) -> None:
        self.document.update_incident(**self.before)
