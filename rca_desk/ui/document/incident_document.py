"""One open incident: the model, its workspace, and the undo stack that edits both.

The document owns every change, as orange-canvas-core's ``Scheme.insert_node`` does: one
method per kind of change checks it against the model's rules, changes the model, writes
the workspace in one transaction, puts the model back if the write fails, and sends one
:class:`~rca_desk.ui.document.changes.Changes` notice saying what changed and who asked.
Undo commands (``cause_commands``, ``action_commands``) are pairs of calls to these
methods, so no command can forget a write or a notice, and views refresh from the notice
alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from rca_desk.model import (
    HEAD,
    ActionStatus,
    CauseGraph,
    Incident,
    ParkedIdea,
    PreventiveAction,
    RcaError,
    RemovedSubtree,
    RuleError,
    StatusChange,
)
from rca_desk.model.categories import clean_category_name
from rca_desk.model.incident import Record
from rca_desk.store import (
    BrokenIncidentError,
    DamagedIncidentError,
    StaleWriteError,
    WorkspaceStore,
)
from rca_desk.store.revisions import (
    EDITED,
    RowKey,
    action_row,
    cause_row,
    changed_rows,
    field_row,
    idea_row,
    link_row,
    record_row,
)
from rca_desk.ui.document.changes import (
    EVERYTHING,
    Changes,
    action_changes,
    cause_changes,
    incident_changes,
)

if TYPE_CHECKING:
    from rca_desk.ui.document.cause_commands import DocumentCommand


class IncidentDocument(QObject):
    """Owns the :class:`Incident` being edited, its :class:`QUndoStack`, and every change.

    Signals:

    * ``changed(Changes)``: the incident changed; the notice names what and who asked.
    * ``refused(str)``: a change was refused; the message is for the person.
    """

    changed = Signal(object)
    refused = Signal(str)
    #: :attr:`read_only` changed (a repair, or the file became read-only).
    readOnlyChanged = Signal()

    def __init__(
        self, workspace: WorkspaceStore, incident: Incident, parent: QObject | None = None
    ):
        super().__init__(parent)
        if incident.id is None:
            raise ValueError("an IncidentDocument needs an incident stored in the workspace")
        self.workspace = workspace
        self.incident = incident
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(1000)
        #: Why the last :meth:`execute` was refused (None when it was not), so a view can
        #: tell a passing refusal (the server away: keep what was typed) from a final one.
        self.last_refusal: RcaError | None = None
        self._batch: list[Changes] | None = None
        #: How many times other windows' changes were read in; a command remembers the
        #: number it was made at, so its undo can tell whose rows changed after it.
        self.generation = 0
        #: Rows other windows changed, and the generation that read the change in.
        self._foreign: dict[RowKey, int] = {}
        #: The generation of the command being undone or redone, or ``None``.
        self._replaying: int | None = None
        #: Why edits are refused, for a bar above the incident; ``None`` while editable.
        self.read_only: str | None = workspace.read_only
        #: The problems a repair would fix, when the stored incident breaks a rule.
        self.problems: list[str] = []

    @classmethod
    def open(
        cls, workspace: WorkspaceStore, incident_id: int, parent: QObject | None = None
    ) -> IncidentDocument:
        """The incident as stored; one that breaks a rule or is damaged opens read-only."""
        incident, read_only, problems = cls._read(workspace, incident_id)
        document = cls(workspace, incident, parent)
        document._set_read_only(read_only, problems)
        return document

    @staticmethod
    def _read(
        workspace: WorkspaceStore, incident_id: int
    ) -> tuple[Incident, str | None, list[str]]:
        """The incident to show, why it cannot be edited (or ``None``), and the problems
        a repair would fix."""
        try:
            return workspace.load(incident_id), workspace.read_only, []
        except BrokenIncidentError as broken:
            why = (
                "This incident breaks rules that rca-desk keeps (it was changed by an older "
                "version, by hand, or restored from such a copy), so it is shown read-only "
                "with the repair applied: " + " ".join(broken.problems)
            )
            return broken.incident, why, broken.problems
        except DamagedIncidentError as damaged:
            why = (
                f"{damaged} It is shown read-only, as far as it can be read; export it "
                "(File ▸ Export incident as JSON) to keep what is readable."
            )
            return workspace.salvage(incident_id), why, []

    def _set_read_only(self, read_only: str | None, problems: list[str]) -> None:
        before = (self.read_only, self.problems)
        self.read_only, self.problems = read_only, problems
        if (self.read_only, self.problems) != before:
            self.readOnlyChanged.emit()

    def repair(self) -> bool:
        """Write the repairs that make the stored incident keep the rules; then edit it."""
        assert self.incident.id is not None
        try:
            self.workspace.repair(self.incident.id)
        except RcaError as error:
            self.refused.emit(str(error))
            return False
        self.reload()
        return True

    @property
    def graph(self) -> CauseGraph:
        return self.incident.graph

    # ------------------------------------------------------------- commands
    def execute(self, command: DocumentCommand, *, initiator: object | None = None) -> bool:
        """Apply ``command`` and push it for undo; on refusal emit :attr:`refused`.

        ``initiator`` (a widget) is named in the first change notice, so that widget can
        skip refreshing from its own change; undo and redo are nobody's.
        """
        command.generation = self.generation
        self.last_refusal = None
        try:
            command.run_first(initiator)
        except StaleWriteError as error:
            self.last_refusal = error
            self._read_again()
            self.refused.emit(f"{error} The incident has been reloaded.")
            return False
        except RcaError as error:
            self.last_refusal = error
            self.refused.emit(str(error))
            return False
        self.undo_stack.push(command)
        return True

    @contextmanager
    def replaying(self, generation: int) -> Iterator[None]:
        """An undo or redo of a command made at ``generation`` runs inside this."""
        self._replaying = generation
        try:
            yield
        finally:
            self._replaying = None

    def replay_failed(self, error: RcaError) -> None:
        """An undo or redo could not be written: model and file agree, history is gone."""
        if isinstance(error, StaleWriteError):
            self._read_again()
            self.refused.emit(
                f"{error} The incident has been reloaded and the undo history cleared, "
                "so an undo cannot overwrite what others did."
            )
        else:
            self.refused.emit(f"{error} The undo history was cleared; your work is saved as shown.")
            self._notify(EVERYTHING)
        # We are inside QUndoStack.undo()/redo(): clearing now would delete the running
        # command under Qt's feet. Clear once control is back in the event loop.
        QTimer.singleShot(0, self.undo_stack.clear)

    def reload(self) -> None:
        """Re-read the incident from the workspace, dropping the undo history."""
        self.undo_stack.clear()
        self._read_again()

    def changed_elsewhere(self, edited: int | None) -> bool:
        """Whether another window or process changed the incident since this copy.

        ``edited`` is the incident's stored newest revision (``WorkspaceStore.edited()``);
        ``None`` means the incident is gone.
        """
        return edited is None or edited != self.incident.revisions.get(EDITED)

    def follow_others(self) -> Changes | None:
        """Read in what other windows changed, keeping the undo stack; ``None`` if nothing.

        The stack stays: an undo touching only rows nobody else changed still works. The
        rows that did change are remembered, and an undo or redo of an earlier command that
        would write one of them is refused (:meth:`_store`) before it overwrites them.
        """
        assert self.incident.id is not None
        if self._batch is not None:
            return None  # inside our own transaction; the next poll sees it
        before = self.incident.revisions
        fresh = self._fetch()
        changed = changed_rows(before, fresh.revisions)
        if not changed and fresh.revisions.get(EDITED) == before.get(EDITED):
            return None
        self.generation += 1
        for key in changed:
            self._foreign[key] = self.generation
        self.incident = fresh
        self.changed.emit(EVERYTHING)
        return EVERYTHING

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several changes as one: one transaction, one notice (nested batches join).

        If any change in the batch is refused, or the final commit fails, the transaction
        is rolled back, so the file holds none of the batch; the model is then read again
        from the file (when anything had changed), rather than undone step by step with
        writes that may fail in turn.
        """
        if self._batch is not None:
            yield
            return
        self._batch = []
        try:
            with self.workspace.transaction():
                yield
        except BaseException:
            changed, self._batch = bool(self._batch), None
            if changed:
                self._read_again()
            raise
        notices, self._batch = self._batch, None
        if notices:
            merged = notices[0]
            for notice in notices[1:]:
                merged = merged.merged(notice)
            self.changed.emit(merged)

    def _read_again(self) -> None:
        """Make the model what the file holds, and say that everything may have changed."""
        self.incident = self._fetch()
        self.changed.emit(EVERYTHING)

    def _fetch(self) -> Incident:
        """The stored incident; one that breaks a rule or is damaged makes the document
        read-only until it is repaired (or the other window's change is undone)."""
        assert self.incident.id is not None
        incident, read_only, problems = self._read(self.workspace, self.incident.id)
        self._set_read_only(read_only, problems)
        return incident

    # --------------------------------------------------------------- causes
    def add_cause(
        self,
        parent: str,
        *,
        text: str,
        cause_id: str,
        category: str | None = None,
        index: int | None = None,
        root_cause: bool = False,
        initiator: object | None = None,
    ) -> None:
        """Answer "why?" for ``parent`` with a new cause."""
        graph = self.graph
        graph.add_cause(
            parent,
            text=text,
            category=category,
            index=index,
            root_cause=root_cause,
            cause_id=cause_id,
        )
        self._store(
            lambda: self.workspace.save_cause(self.incident, cause_id),
            undo=lambda: graph.remove_cause(cause_id),
            rows={cause_row(cause_id)},
        )
        self._notify(cause_changes(cause_id, initiator=initiator), focus=cause_id)

    def remove_cause(self, cause_id: str, *, initiator: object | None = None) -> RemovedSubtree:
        """Remove a cause with its sub-causes and links; refused while actions need them.

        The change's focus is where the selection goes: the next sibling, else the one
        before, else the parent (one focus, so a view does not scroll to the parent first).
        A first-level cause's siblings are those on its bone; the last one's parent is
        then the problem (a view without category bones selects nothing less).
        """
        parent = self.graph.parent(cause_id)
        siblings = list(self.graph.children(parent))
        if parent == HEAD:  # first-level causes: their neighbours are on the same bone
            category = self.graph.cause(cause_id).category
            siblings = [c for c in siblings if self.graph.cause(c).category == category]
        i = siblings.index(cause_id)
        neighbour = siblings[i + 1] if i + 1 < len(siblings) else siblings[i - 1] if i else parent
        removed = self.incident.remove_cause(cause_id)
        self._store(
            lambda: self.workspace.delete_cause(self.incident, cause_id),
            undo=lambda: self.graph.restore(removed),
            rows={cause_row(c) for c in removed.ids},
        )
        self._notify(
            Changes(causes=frozenset(removed.ids) | {parent}, initiator=initiator), neighbour
        )
        return removed

    def restore_causes(self, removed: RemovedSubtree, *, initiator: object | None = None) -> None:
        """Put back what :meth:`remove_cause` took out, in the same places."""
        top = removed.causes[0].cause.id
        self.graph.restore(removed)
        self._store(
            lambda: self.workspace.save_subtree(self.incident, top),
            undo=lambda: self.graph.remove_cause(top),
            rows={cause_row(c) for c in removed.ids},
        )
        self._notify(Changes(causes=frozenset(removed.ids), initiator=initiator), focus=top)

    def update_cause(
        self, cause_id: str, *, initiator: object | None = None, **changes: Any
    ) -> dict[str, Any]:
        """Change fields of one cause; return their old values (for undo)."""
        before = self.incident.update_cause(cause_id, **changes)
        old = {name: getattr(before, name) for name in changes}
        self._store(
            lambda: self.workspace.save_cause(self.incident, cause_id),
            undo=lambda: self.graph.update_cause(cause_id, **old),
            rows={cause_row(cause_id)},
        )
        self._notify(cause_changes(cause_id, initiator=initiator), focus=cause_id)
        return old

    def move_cause(
        self,
        cause_id: str,
        parent: str,
        *,
        index: int | None = None,
        categories: dict[str, str] | None = None,
        initiator: object | None = None,
    ) -> None:
        """Hang a cause under ``parent`` at ``index``; ``categories`` recolours its branch."""
        graph = self.graph
        old_parent, old_index = graph.parent(cause_id), graph.index_of(cause_id)
        old_categories = {c: graph.cause(c).category for c in categories or {}}

        def place(to: str, at: int | None, colours: dict[str, str]) -> None:
            graph.move_cause(cause_id, to, at)
            for node, category in colours.items():
                if graph.cause(node).category != category:
                    graph.update_cause(node, category=category)

        try:
            place(parent, index, categories or {})
        except RcaError:
            place(old_parent, old_index, old_categories)
            raise
        save = self.workspace.save_subtree if categories else self.workspace.save_cause
        self._store(
            lambda: save(self.incident, cause_id),
            undo=lambda: place(old_parent, old_index, old_categories),
            rows={cause_row(c) for c in (cause_id, *(categories or {}))},
        )
        touched = {cause_id, old_parent, *(categories or {})}
        self._notify(Changes(causes=frozenset(touched), initiator=initiator), focus=cause_id)

    def set_link(
        self, effect: str, cause: str, *, present: bool, initiator: object | None = None
    ) -> None:
        """Add or remove an "also contributes to" link."""
        graph = self.graph
        if present:
            graph.add_link(effect, cause)
        else:
            graph.remove_link(effect, cause)
        self._store(
            lambda: self.workspace.save_link(self.incident, effect, cause, present=present),
            undo=lambda: (graph.remove_link if present else graph.add_link)(effect, cause),
            rows={link_row(effect, cause)},
        )
        self._notify(cause_changes(effect, cause, initiator=initiator), focus=cause)

    # ------------------------------------------------------------- incident
    def set_problem(self, text: str, *, initiator: object | None = None) -> str:
        """Reword the problem statement; return the old wording."""
        old = self.graph.set_problem(text)
        self._store(
            lambda: self.workspace.save_incident_fields(self.incident, ["problem"]),
            undo=lambda: self.graph.set_problem(old),
            rows={cause_row(HEAD)},
        )
        self._notify(incident_changes("problem", initiator=initiator), focus="problem")
        return old

    def set_categories(
        self, categories: list[str], *, initiator: object | None = None
    ) -> list[str]:
        """Replace the category list (add, remove unused, reorder); return the old one."""
        old = self.graph.set_categories(categories)
        self._store(
            lambda: self.workspace.save_incident_fields(self.incident, ["categories"]),
            undo=lambda: self.graph.set_categories(old),
            rows={field_row("categories")},
        )
        self._notify(incident_changes("categories", initiator=initiator))
        return old

    def rename_category(self, old: str, new: str, *, initiator: object | None = None) -> None:
        """Rename a category everywhere in the incident; its causes follow."""
        new = clean_category_name(new)  # the name the graph will hold, for the rollback
        graph = self.graph
        users = [c.id for c in graph.causes() if c.category == old]
        graph.rename_category(old, new)

        def store() -> None:
            with self.workspace.transaction():
                self.workspace.save_incident_fields(self.incident, ["categories"])
                for cause_id in users:
                    self.workspace.save_cause(self.incident, cause_id)

        self._store(
            store,
            undo=lambda: graph.rename_category(new, old),
            rows={field_row("categories"), *(cause_row(c) for c in users)},
        )
        self._notify(
            Changes(
                incident=frozenset({"categories"}), causes=frozenset(users), initiator=initiator
            )
        )

    def update_incident(self, *, initiator: object | None = None, **changes: Any) -> dict[str, Any]:
        """Change the incident's own fields, all or none; return their old values."""
        old = self.incident.update_fields(**changes)
        self._store(
            lambda: self.workspace.save_incident_fields(self.incident, list(changes)),
            undo=lambda: self.incident.update_fields(**old),
            rows={field_row(name) for name in changes},
        )
        self._notify(incident_changes(*changes, initiator=initiator))
        return old

    # -------------------------------------------------------------- actions
    def add_action(
        self,
        action: PreventiveAction,
        *,
        index: int | None = None,
        initiator: object | None = None,
    ) -> None:
        """Add an action (new, or put back by undo with its history) at ``index``."""
        self.incident.add_action(action, index=index)
        self._store(
            lambda: self.workspace.save_action(self.incident, action),
            undo=lambda: self.incident.remove_action(action.uid),
            rows={action_row(action.uid)},
        )
        self._notify(action_changes(action.uid, initiator=initiator))

    def park_idea(
        self,
        text: str,
        *,
        idea_id: str | None = None,
        index: int | None = None,
        initiator: object | None = None,
    ) -> ParkedIdea:
        """Add an idea to the parking lot (new, or put back by undo at ``index``)."""
        kept = self.incident.park(text, idea_id=idea_id, index=index)
        self._store(
            lambda: self.workspace.save_idea(self.incident, kept.id),
            undo=lambda: self.incident.unpark(kept.id),
            rows={idea_row(kept.id)},
        )
        self._notify(Changes(ideas=frozenset({kept.id}), initiator=initiator))
        return kept

    def unpark_idea(
        self, idea_id: str, *, initiator: object | None = None
    ) -> tuple[int, ParkedIdea]:
        """Take an idea out of the parking lot (placed or discarded); return where it was."""
        index, kept = self.incident.unpark(idea_id)
        self._store(
            lambda: self.workspace.delete_idea(self.incident, idea_id),
            undo=lambda: self.incident.park(kept.text, idea_id=kept.id, index=index),
            rows={idea_row(idea_id)},
        )
        self._notify(Changes(ideas=frozenset({idea_id}), initiator=initiator))
        return index, kept

    def put_record(
        self, kind: str, record: Record, *, index: int | None = None, initiator: object = None
    ) -> tuple[int, Record | None]:
        """Add a record (a timeline event, a participant, a check-in) or replace the one
        with its id; return where it is and the record it replaced."""
        position, old = self.incident.put_record(kind, record, index=index)

        def undo() -> object:
            if old is None:
                return self.incident.drop_record(kind, record.id)
            return self.incident.put_record(kind, old)

        self._store(
            lambda: self.workspace.save_record(self.incident, kind, record.id),
            undo=undo,
            rows={record_row(kind, record.id)},
        )
        self._notify(Changes(records=frozenset({(kind, record.id)}), initiator=initiator))
        return position, old

    def drop_record(
        self, kind: str, record_id: str, *, initiator: object = None
    ) -> tuple[int, Record]:
        """Take a record out; return where it was and the record (for undo)."""
        index, old = self.incident.drop_record(kind, record_id)
        self._store(
            lambda: self.workspace.delete_record(self.incident, kind, record_id),
            undo=lambda: self.incident.put_record(kind, old, index=index),
            rows={record_row(kind, record_id)},
        )
        self._notify(Changes(records=frozenset({(kind, record_id)}), initiator=initiator))
        return index, old

    def remove_action(
        self, uid: str, *, initiator: object | None = None
    ) -> tuple[int, PreventiveAction]:
        """Delete an action with its history; return where it was and the action."""
        index, action = self.incident.remove_action(uid)
        self._store(
            lambda: self.workspace.delete_action(self.incident, action),
            undo=lambda: self.incident.add_action(action, index=index),
            rows={action_row(uid)},
        )
        self._notify(action_changes(uid, initiator=initiator))
        return index, action

    def edit_action(
        self, uid: str, *, initiator: object | None = None, **changes: Any
    ) -> dict[str, Any]:
        """Change an action's own fields (all or none); return their old values."""
        old = self.incident.action(uid)
        self.replace_action(old.with_changes(**changes), initiator=initiator)
        return {name: getattr(old, name) for name in changes}

    def replace_action(
        self, action: PreventiveAction, *, initiator: object | None = None
    ) -> PreventiveAction:
        """Put ``action`` in place of the stored action with its uid; return the old one."""
        old = self.incident.replace_action(action)
        self._store(
            lambda: self.workspace.save_action(self.incident, action),
            undo=lambda: self.incident.replace_action(old),
            rows={action_row(action.uid)},
        )
        self._notify(action_changes(action.uid, initiator=initiator))
        return old

    def change_status(
        self,
        uid: str,
        to: ActionStatus,
        *,
        at: datetime,
        note: str = "",
        early: str = "",
        initiator: object | None = None,
    ) -> StatusChange:
        """Move an action along its lifecycle; the change joins its history.

        ``early`` says why an action is verified before its verification date (the model
        refuses that without one).
        """
        action = self.incident.action(uid)
        change = action.change_status(to, at=at, note=note, early=early)
        self._store(
            lambda: self.workspace.save_action(self.incident, action),
            undo=lambda: action.undo_status(change),
            rows={action_row(uid)},
        )
        self._notify(action_changes(uid, initiator=initiator))
        return change

    def undo_status(
        self, uid: str, change: StatusChange, *, initiator: object | None = None
    ) -> None:
        """Take back ``change``, which must be the action's latest status change."""
        action = self.incident.action(uid)
        action.undo_status(change)
        self._store(
            lambda: self.workspace.save_action(self.incident, action),
            undo=lambda: action.change_status(change.to_status, at=change.at, note=change.note),
            rows={action_row(uid)},
        )
        self._notify(action_changes(uid, initiator=initiator))

    # ------------------------------------------------------------ internals
    def _store(
        self,
        write: Callable[[], object],
        *,
        undo: Callable[[], object],
        rows: set[RowKey] | frozenset[RowKey] = frozenset(),
    ) -> None:
        """Write the change through; if the workspace refuses, take the model change back.

        ``rows`` are the stored rows the change writes. An undo or redo is refused when
        another window changed one of them after the command was made: the store's own
        check would pass (this copy was reloaded since), but the undo would put back a
        state that wipes out their change.
        """
        try:
            if self.read_only:
                raise RuleError(self.read_only)
            if self._replaying is not None and any(
                self._foreign.get(key, -1) > self._replaying for key in rows
            ):
                raise StaleWriteError(
                    "What this undo would change was changed in another window since."
                )
            write()
        except RcaError:
            undo()
            raise

    def _notify(self, changes: Changes, focus: str | None = None) -> None:
        if focus is not None:
            changes = replace(changes, focus=focus)
        if self._batch is not None:
            self._batch.append(changes)
        else:
            self.changed.emit(changes)
