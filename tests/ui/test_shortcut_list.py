"""F1 / Ctrl+? lists every shortcut (issue 14), built from the real actions and the
canvas's own key table; every key in that table does something on the canvas; F9 hides
and shows the side panels."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication

from rca_desk.model import HEAD
from rca_desk.store import Workspace
from rca_desk.ui.canvas.interactions import CANVAS_KEYS
from rca_desk.ui.workspace.main_window import MainWindow
from rca_desk.ui.workspace.shortcut_list import ShortcutList
from tests.ui.conftest import leave_presenting, shown_window

# The category picker (C) opens a popup the offscreen platform cannot raise or grab.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def window(qtbot, sample_workspace: Workspace) -> Iterator[MainWindow]:
    win = shown_window(qtbot, sample_workspace, (1400, 900))
    yield win
    leave_presenting(win)


def shown_list(qtbot) -> ShortcutList:
    qtbot.waitUntil(
        lambda: isinstance(QApplication.activeModalWidget() or find_list(), ShortcutList)
    )
    found = find_list()
    assert found is not None
    return found


def find_list() -> ShortcutList | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ShortcutList) and widget.isVisible():
            return widget
    return None


@pytest.mark.parametrize("keys", ["F1", "Ctrl+?"])
def test_f1_and_ctrl_question_list_every_shortcut(qtbot, window: MainWindow, keys: str) -> None:
    tab = window.open_incident(window.workspace.incidents()[0].id)
    tab.fishbone.setFocus()
    sequence = QKeySequence(keys)[0]
    qtbot.keyClick(tab.fishbone, sequence.key(), sequence.keyboardModifiers())
    dialog = shown_list(qtbot)
    rows = dialog.rows()
    texts = [f"{k} {w}" for k, w in rows]
    native = QKeySequence.SequenceFormat.NativeText
    # Every action with a shortcut, in the window and in the incident, is listed.
    actions = [*tab.actions(), window.undo_action, window.new_action, window.shortcuts_action]
    for action in actions:
        for shortcut in action.shortcuts():
            assert any(shortcut.toString(native) in k for k, _ in rows), action.text()
    # The canvas's own keys and the editor's, too; and nothing is shown as rich text.
    for portable, what in CANVAS_KEYS:
        assert (QKeySequence(portable).toString(native), what[:1].upper() + what[1:]) in rows
    assert any("Shift+Return" in t for t in texts)
    assert any("Side panels" in t and "F9" in t for t in texts)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_every_listed_canvas_key_does_something(qtbot, window: MainWindow) -> None:
    """Each key of the table, pressed on a canvas with a cause selected, is handled there
    (so the list cannot promise a key the canvas ignores)."""
    tab = window.open_incident(window.workspace.incidents()[0].id)
    canvas = tab.fishbone
    from PySide6.QtCore import QTimer

    for portable, _what in CANVAS_KEYS:
        cause = tab.document.graph.children(HEAD)[0]
        canvas.set_current(cause)
        combo = QKeySequence(portable)[0]
        if combo.key() == Qt.Key.Key_C:  # the picker's menu is modal: close it again
            QTimer.singleShot(
                50,
                lambda: qtbot.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_Escape),
            )
        event = QKeyEvent(QEvent.Type.KeyPress, combo.key(), combo.keyboardModifiers())
        assert canvas.interactions.key_press(event), portable
        canvas.close_editor()
        while tab.document.undo_stack.canUndo():
            tab.undo_action.trigger()


def test_f9_hides_and_shows_the_side_panels(qtbot, window: MainWindow) -> None:
    tab = window.open_incident(window.workspace.incidents()[0].id)
    tab.inspector.setFocus()
    wide = tab.fishbone.width()
    qtbot.keyClick(tab.fishbone, Qt.Key.Key_F9)
    assert not tab.side_panels.isVisible() and not tab.inspector.isVisible()
    qtbot.waitUntil(lambda: tab.fishbone.width() > wide + 100)
    qtbot.keyClick(tab.fishbone, Qt.Key.Key_F9)
    assert tab.inspector.isVisible()
    qtbot.waitUntil(lambda: tab.fishbone.width() < wide + 10)
