"""The bars above the tabs: who else has the workspace open, and a network-drive warning.

:class:`WorkspaceNotices` holds this app's presence on the open workspace
(:mod:`rca_desk.store.presence`): it claims it when a workspace is opened, looks again every
20 seconds (taking the file over once the other holder is gone or stale), and releases it
when the workspace is switched or the window closes. Both notices are plain, non-modal
bars that never stop anyone from working; they disappear when there is nothing to say. A
workspace on a server has no file to leave a presence file beside or to find on a network
drive: the server's own list of connections says who else is there, and nothing warns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from rca_desk.store import WorkspaceStore, filesystems
from rca_desk.store.presence import REFRESH_EVERY, Holder, Presence, presence_note
from rca_desk.ui.common.info_bar import InfoBar


class WorkspaceNotices(QWidget):
    """The presence and network-drive bars, and this app's presence on the workspace.

    ``clock`` gives the time (timezone-aware); tests pass a fake one and call
    :meth:`refresh` themselves instead of waiting for the timer.
    """

    def __init__(self, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.me = Holder.me(clock())  # "since" is when this app started
        self.presence: Presence | None = None
        self.workspace: WorkspaceStore | None = None
        self.presence_bar = InfoBar("info")
        self.network_bar = InfoBar("warning")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(6)
        layout.addWidget(self.network_bar)
        layout.addWidget(self.presence_bar)
        self.timer = QTimer(self)
        self.timer.setInterval(int(REFRESH_EVERY.total_seconds() * 1000))
        self.timer.timeout.connect(self.refresh)
        self._show()

    def follow(self, workspace: WorkspaceStore | None) -> None:
        """``workspace`` was opened: release the last one, claim this one.

        A file gets a presence file and the network-drive check. A server needs neither:
        it lists its own connections, which each look asks (``who_else``).
        """
        self.release()
        self.workspace = workspace
        path = workspace.file if workspace is not None else None
        if path is None:
            if workspace is not None:
                self.timer.start()
                self._show()
            return
        now = self.clock()
        self.presence = Presence.claim(path, now, me=self.me)
        kind = filesystems.network_filesystem(path)
        self.network_bar.show_text(filesystems.network_warning(path, kind) if kind else None)
        self.timer.start()
        self._show()

    def refresh(self) -> None:
        """Look again (the timer's slot): refresh ours, or see whether the other has gone."""
        if self.presence is not None:
            self.presence.refresh(self.clock())
        self._show()

    def release(self) -> None:
        """Remove our presence file (closing, or switching to another workspace)."""
        self.timer.stop()
        self.workspace = None
        if self.presence is not None:
            self.presence.release()
            self.presence = None
        self.network_bar.show_text(None)
        self._show()

    def _show(self) -> None:
        now = self.clock()
        if self.presence is not None:
            others = [self.presence.other] if self.presence.other else []
        elif self.workspace is not None and self.workspace.file is None:
            others = self.workspace.who_else(now)
        else:
            others = []
        self.presence_bar.show_text(
            presence_note(others[0], now, more=len(others) - 1) if others else None
        )
        self.setVisible(not (self.presence_bar.isHidden() and self.network_bar.isHidden()))
