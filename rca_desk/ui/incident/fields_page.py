"""A scrolling page of the incident's own fields (the Incident, Record and Follow-up tabs).

Each page commits a field when it is left, through :class:`EditIncident`, so the edit is
undoable and written through like a diagram edit; an unchanged value makes no undo step,
and a refused one is replaced by the stored value again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QScrollArea, QWidget

from rca_desk.ui.document.cause_commands import EditIncident
from rca_desk.ui.document.incident_document import IncidentDocument

__all__ = ["FieldsPage"]


class FieldsPage(QScrollArea):
    """The page's scrolling body and its one way to commit fields (see module doc)."""

    def __init__(self, document: IncidentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        #: Filling the widgets from the incident: their change signals are not edits.
        self._loading = False
        self.setWidgetResizable(True)
        self.body = QWidget()
        self.setWidget(self.body)

    def load(self) -> None:
        """Show the incident's values (subclasses)."""
        raise NotImplementedError

    def _edit(self, **changes: Any) -> None:
        if self._loading:
            return
        incident = self.document.incident
        changes = {k: v for k, v in changes.items() if getattr(incident, k) != v}
        if changes and not self.document.execute(EditIncident(self.document, **changes)):
            self.load()  # put the refused value back
