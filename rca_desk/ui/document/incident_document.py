"""One open incident: the model, its workspace, and the undo stack that edits both.

Views never change the model themselves. They build a command from ``commands.py`` and
hand it to :meth:`IncidentDocument.execute`, which applies it (model first, then the
workspace, in one transaction), pushes it on the undo stack, and tells every view what
changed through the signals below. If the workspace refuses the write (disk full, file
locked), the model change is rolled back, so screen and file never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from rca_desk.model import CauseGraph, Incident, RcaError
from rca_desk.store import Workspace

if TYPE_CHECKING:
    from rca_desk.ui.document.cause_commands import DocumentCommand


class IncidentDocument(QObject):
    """Owns the :class:`Incident` being edited and its :class:`QUndoStack`."""

    #: The cause graph changed; the argument is the set of cause ids to keep in view.
    graphChanged = Signal(object)
    #: The incident's own fields (title, problem statement, categories, depth) changed.
    incidentChanged = Signal()
    #: Preventive actions changed.
    actionsChanged = Signal()
    #: An edit was refused; the argument is the message for the person.
    refused = Signal(str)

    def __init__(self, workspace: Workspace, incident: Incident, parent: QObject | None = None):
        super().__init__(parent)
        if incident.id is None:
            raise ValueError("an IncidentDocument needs an incident stored in the workspace")
        self.workspace = workspace
        self.incident = incident
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(1000)

    @property
    def graph(self) -> CauseGraph:
        return self.incident.graph

    def execute(self, command: DocumentCommand) -> bool:
        """Apply ``command`` and push it for undo; on refusal emit :attr:`refused`."""
        try:
            command.apply()
        except RcaError as error:
            self.refused.emit(str(error))
            return False
        command.applied_once = True
        self.undo_stack.push(command)
        return True

    def write(
        self,
        change: Callable[[], object],
        revert: Callable[[], object],
        store: Callable[[], object],
    ) -> None:
        """Change the model, then the workspace; undo the model change if the write fails."""
        change()
        try:
            store()
        except RcaError:
            revert()
            raise

    def replay_failed(self, error: RcaError) -> None:
        """An undo or redo could not be written: model and file agree, history is gone."""
        self.refused.emit(f"{error} The undo history was cleared; your work is saved as shown.")
        # We are inside QUndoStack.undo()/redo(): clearing now would delete the running
        # command under Qt's feet. Clear once control is back in the event loop.
        QTimer.singleShot(0, self.undo_stack.clear)
        self.incidentChanged.emit()
        self.graphChanged.emit(set())
        self.actionsChanged.emit()

    def reload(self) -> None:
        """Re-read the incident from the workspace (after another process changed it)."""
        assert self.incident.id is not None
        self.incident = self.workspace.load(self.incident.id)
        self.undo_stack.clear()
        self.incidentChanged.emit()
        self.graphChanged.emit(set())
        self.actionsChanged.emit()
