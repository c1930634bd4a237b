"""Long work never freezes the window (issue 15): it runs off the GUI thread, the event
loop keeps turning, a progress dialog with Cancel appears after about 200 ms, and a
cancelled export leaves no file and no temp file."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from rca_desk.render.diagram import View
from rca_desk.render.export import Format
from rca_desk.ui.common.long_work import run_long_work
from rca_desk.ui.incident import incident_tab as incident_tab_module
from rca_desk.ui.incident.incident_tab import IncidentTab


def progress_dialog() -> QProgressDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QProgressDialog) and widget.isVisible():
            return widget
    return None


def cancel_when_shown(qtbot, seen: list[float], started: float) -> None:  # type: ignore[no-untyped-def]
    """Press Cancel on the progress dialog as soon as it is on screen."""

    def look() -> None:
        dialog = progress_dialog()
        if dialog is None:
            QTimer.singleShot(20, look)
            return
        seen.append(time.monotonic() - started)
        button = dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        button.click()  # as a person does

    QTimer.singleShot(20, look)


def test_quick_work_returns_its_result_without_a_dialog(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    shown: list[bool] = []
    QTimer.singleShot(0, lambda: shown.append(progress_dialog() is not None))
    assert run_long_work(parent, "Quick", lambda cancelled: 6 * 7) == 42
    assert shown in ([], [False])


def test_the_window_keeps_turning_and_cancel_stops_the_work(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    ticks: list[int] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start(10)
    noticed: list[bool] = []

    def slow(cancelled: Callable[[], bool]) -> str:
        for _ in range(500):  # up to 5 s
            if cancelled():
                noticed.append(True)
                return "stopped"
            time.sleep(0.01)
        return "done"

    seen: list[float] = []
    started = time.monotonic()
    cancel_when_shown(qtbot, seen, started)
    assert run_long_work(parent, "Slow", slow) is None
    ticker.stop()
    assert seen and seen[0] >= 0.15  # the dialog waits about 200 ms before it shows
    assert len(ticks) >= 10, "the event loop ran while the work did"
    qtbot.waitUntil(lambda: noticed == [True])  # the work saw the cancel and stopped


def test_an_error_in_the_work_reaches_the_caller(qtbot) -> None:
    def broken(cancelled: Callable[[], bool]) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        run_long_work(None, "Broken", broken)


def test_a_cancelled_export_leaves_no_file(
    qtbot, show_sample: Callable[[int, int], IncidentTab], tmp_path: Path, monkeypatch
) -> None:
    tab = show_sample(1200, 800)
    real = incident_tab_module.export_pages

    def slow_export(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(incident_tab_module, "export_pages", slow_export)
    messages: list[str] = []
    tab.message.connect(messages.append)
    seen: list[float] = []
    cancel_when_shown(qtbot, seen, time.monotonic())
    target = tmp_path / "out" / "fishbone.pdf"
    target.parent.mkdir()
    assert not tab.export_to(target, Format.PDF)
    assert messages[-1] == "Export cancelled; nothing was written."
    time.sleep(1.2)  # the abandoned work finishes in the background...
    QApplication.processEvents()
    assert list(target.parent.iterdir()) == []  # ...and writes nothing, not even a temp
    # Not cancelled, the same export writes its file.
    monkeypatch.setattr(incident_tab_module, "export_pages", real)
    assert tab.export_to(target, Format.PDF)
    assert target.read_bytes().startswith(b"%PDF")
    assert tab.view().kind is View.FISHBONE


def test_the_window_takes_no_input_while_the_work_runs(qtbot) -> None:
    """Before the modal dialog shows (200 ms), typing or closing the window does nothing:
    no second export, no edit behind the work's back."""
    from PySide6.QtWidgets import QLineEdit

    parent = QWidget()
    qtbot.addWidget(parent)
    field = QLineEdit(parent)
    parent.show()
    typed: list[str] = []

    def type_now() -> None:
        qtbot.keyClicks(field, "late")
        typed.append(field.text())

    QTimer.singleShot(20, type_now)
    assert run_long_work(parent, "Busy", lambda cancelled: time.sleep(0.15) or "done") == "done"
    assert typed == [""]  # held back while the work ran
    qtbot.keyClicks(field, "now")
    assert field.text() == "now"  # and taken again afterwards
