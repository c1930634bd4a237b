"""Noticing what other windows and processes wrote, about once a second.

The store counts the commits made by *other* connections (``WorkspaceStore.data_version()``,
for a file SQLite's ``PRAGMA data_version``, on a server the LISTEN/NOTIFY notifications
other connections sent on commit); asking is cheap, so the watcher asks every
second, and only when the number moved does it read each incident's newest revision
(``WorkspaceStore.edited()``) and say which incidents changed. The window reloads those
that are open, and re-reads the incident list and the review. Our own commits never move
the number, so a window never reloads its own edits.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from rca_desk.model import RcaError
from rca_desk.store import WorkspaceStore

#: How often to look, in milliseconds: "within about a second".
POLL_MS = 1000


class WorkspaceWatcher(QObject):
    """Polls one workspace; emits ``changed(dict[int, int])``, each incident's revision."""

    changed = Signal(object)

    def __init__(self, workspace: WorkspaceStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.watch(workspace)

    def watch(self, workspace: WorkspaceStore) -> None:
        """Follow ``workspace`` from now on (after a switch); what it holds is the start."""
        self.workspace = workspace
        self._seen = self._version()

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> bool:
        """Look once; return whether others changed the workspace since the last look."""
        version = self._version()
        if version is None or version == self._seen:
            return False
        try:
            edited = self.workspace.edited()
        except RcaError:
            return False  # busy or unreadable for a moment: the next look tries again
        self._seen = version
        self.changed.emit(edited)
        return True

    def _version(self) -> int | None:
        try:
            return self.workspace.data_version()
        except RcaError:
            return None
