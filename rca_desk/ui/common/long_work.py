"""Long work off the GUI thread, behind a progress dialog that can be cancelled.

A report of a 300-cause incident, a large export or a print takes seconds; done on the
GUI thread it freezes the window (no repaint, no Cancel). :func:`run_long_work` runs the
work on a worker thread and waits in a local event loop, so the window keeps painting;
after :data:`SHOW_AFTER_MS` a window-modal progress dialog appears with a Cancel button.

The work receives ``cancelled()``, to check between its steps, and must not write the
destination itself: it returns what to write (bytes, pages) and the caller writes it only
when the work was not cancelled. So a cancel leaves no file and no temp file whatever
point the work had reached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

__all__ = ["SHOW_AFTER_MS", "Background", "run_in_steps", "run_long_work"]

T = TypeVar("T")

#: Work shorter than this shows no dialog at all (the issue's "about 200 ms").
SHOW_AFTER_MS = 200


class _Worker(QThread, Generic[T]):
    """Runs the work on its own thread (a QThread: Qt's text layout, which the report
    uses, needs the event dispatcher a plain Python thread lacks)."""

    def __init__(self, work: Callable[[Callable[[], bool]], T], stop: threading.Event) -> None:
        super().__init__()
        self.work = work
        self.stop = stop
        self.value: T | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.value = self.work(self.stop.is_set)
        except BaseException as error:  # handed to the GUI thread, raised there
            self.error = error


#: What a person does to a window: held back from the window under the work.
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Close,
    }
)


class _HoldInput(QObject):
    """The window under the work takes no input while it runs, from the first moment
    (the progress dialog, modal, appears only after :data:`SHOW_AFTER_MS`): no second
    export, no edit, no closing the tab the work reports to."""

    def __init__(self, window: QWidget | None) -> None:
        super().__init__()
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return (
            self.window is not None
            and event.type() in _INPUT
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        )


#: Work abandoned after a cancel, kept alive until its thread ends (a QThread destroyed
#: while running aborts the process).
_ABANDONED: set[_Worker[object]] = set()


def run_long_work(
    parent: QWidget | None,
    label: str,
    work: Callable[[Callable[[], bool]], T],
    *,
    show_after_ms: int = SHOW_AFTER_MS,
) -> T | None:
    """Run ``work(cancelled)`` on a worker thread; return its result, or None when the
    person cancelled (whatever the work then raised). An exception from work that was
    not cancelled is raised here, in the GUI thread."""
    stop = threading.Event()
    worker: _Worker[T] = _Worker(work, stop)
    loop = QEventLoop()
    worker.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName("longWork")
    dialog.setWindowTitle(label)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(show_after_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(stop.set)
    dialog.canceled.connect(loop.quit)
    hold = _HoldInput(parent.window() if parent is not None else None)
    application = QCoreApplication.instance()
    if application is not None:
        application.installEventFilter(hold)
    worker.start()
    dialog.setValue(0)  # starts the minimum-duration timer
    try:
        if not worker.isFinished():
            loop.exec()
    finally:
        if application is not None:
            application.removeEventFilter(hold)
    cancelled = stop.is_set()
    dialog.canceled.disconnect()  # closing a progress dialog says "canceled" too
    dialog.close()
    dialog.deleteLater()
    if cancelled:
        # Cancelled: the work stops at its next check; what it made is thrown away.
        _ABANDONED.add(worker)  # type: ignore[arg-type]
        worker.finished.connect(lambda: _ABANDONED.discard(worker))
        if worker.isFinished():  # it ended before the connection: nothing will call it
            _ABANDONED.discard(worker)
        return None
    worker.wait()
    if worker.error is not None:
        raise worker.error
    return worker.value


def run_in_steps(
    parent: QWidget | None,
    label: str,
    work: Callable[[Callable[[], bool]], T],
    *,
    show_after_ms: int = SHOW_AFTER_MS,
) -> T | None:
    """Run ``work(cancelled)`` on the GUI thread, for work that may not leave it (a
    native printer's device: the platform's print drivers are not known to be safe off
    it). The window stays painted and Cancel stays live because ``cancelled()``, which
    the work calls between its steps (each page), lets Qt handle what is pending; input to
    the window is held as in :func:`run_long_work`. Returns None when cancelled."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName("longWork")
    dialog.setWindowTitle(label)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(show_after_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    hold = _HoldInput(parent.window() if parent is not None else None)
    application = QCoreApplication.instance()
    if application is not None:
        application.installEventFilter(hold)
    dialog.setValue(0)  # starts the minimum-duration timer

    def cancelled() -> bool:
        QCoreApplication.processEvents()
        return dialog.wasCanceled()

    try:
        value = work(cancelled)
        stopped = dialog.wasCanceled()
    finally:
        if application is not None:
            application.removeEventFilter(hold)
        dialog.canceled.disconnect()  # closing a progress dialog says "canceled" too
        dialog.close()
        dialog.deleteLater()
    return None if stopped else value


class Background(QObject):
    """Work on a worker thread that nobody waits for (the report's preview): ``done``
    carries the result, ``failed`` the error's message. One run at a time; asking again
    while one runs cancels it and starts the new one when it has stopped."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker: _Worker[object] | None = None
        self._stop = threading.Event()
        self._next: Callable[[Callable[[], bool]], object] | None = None

    @property
    def busy(self) -> bool:
        return self._worker is not None

    def start(self, work: Callable[[Callable[[], bool]], object]) -> None:
        if self._worker is not None:
            self._next = work
            self._stop.set()
            return
        self._stop = threading.Event()
        worker: _Worker[object] = _Worker(work, self._stop)
        # Kept alive until its thread ends, even if this object goes first (a QThread
        # destroyed while running aborts the process); the slot is this object's, so Qt
        # drops the call when this object is gone.
        _ABANDONED.add(worker)
        worker.finished.connect(lambda: _ABANDONED.discard(worker))
        worker.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._worker = worker
        worker.start()

    def _finished(self) -> None:
        worker = self._worker
        if worker is None:
            return
        worker.wait()
        self._worker = None
        stopped = self._stop.is_set()
        if self._next is not None:
            work, self._next = self._next, None
            self.start(work)
        elif not stopped:
            if worker.error is not None:
                self.failed.emit(str(worker.error))
            else:
                self.done.emit(worker.value)
        worker.deleteLater()

    def stop(self) -> None:
        """Cancel what runs and wait for it (the owner is going away)."""
        self._next = None
        self._stop.set()
        if self._worker is not None:
            self._worker.wait()
