"""Regression guard for the PySide6 pin in pyproject.toml.

PySide6 6.12.0 drops references to ``None`` in QGraphicsItem setters on Python 3.11: after
a scene of a few thousand items the interpreter aborts at exit with "none_dealloc". The
diagram views build scenes like that, so a PySide6 upgrade that brings it back must fail
here, not on a user's machine when they close the app. It runs in a separate interpreter
because the failure is the interpreter's own exit.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

ITEMS = 10_000

SCRIPT = f"""
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QApplication, QGraphicsRectItem, QGraphicsScene

app = QApplication([])
scene = QGraphicsScene()
for i in range({ITEMS}):
    item = QGraphicsRectItem()
    item.setPos(QPointF(i % 100 * 12.0, i // 100 * 12.0))
    item.setPen(QPen(QColor(i % 256, 40, 90)))
    item.setRect(QRectF(0, 0, 10, 10))
    item.setBrush(QBrush(QColor(200, i % 256, 120)))
    scene.addItem(item)
assert len(scene.items()) == {ITEMS}
print("built", flush=True)
# No explicit cleanup: the interpreter's own exit is what is tested.
"""


@pytest.mark.subprocess
def test_a_large_scene_lets_the_interpreter_exit_cleanly() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.stdout.strip() == "built", result.stderr
    assert "none_dealloc" not in result.stderr
    assert result.returncode == 0, result.stderr
