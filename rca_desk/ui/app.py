"""Starting the desktop app: one QApplication, one workspace, one main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from rca_desk import __version__
from rca_desk.layout.text import FONT_FAMILY
from rca_desk.store import Workspace, WorkspaceError
from rca_desk.ui.common.plain import message_box

EXIT_REFUSED = 2


def application() -> QApplication:
    """The process's QApplication, created once with our names (used for settings)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("rca-desk")
    app.setApplicationDisplayName("rca_desk")
    app.setOrganizationName("rca-desk")
    app.setApplicationVersion(__version__)
    return app


def show_startup_error(text: str) -> None:
    """The one message a refused workspace gets (plain text: paths may contain anything)."""
    message_box(None, QMessageBox.Icon.Critical, "Cannot open the workspace", text).exec()


def run_app(path: Path) -> int:
    """Open the workspace at ``path`` (created if missing) and run the GUI until it closes."""
    app = application()
    if FONT_FAMILY in QFontDatabase.families():
        font = app.font()
        font.setFamily(FONT_FAMILY)
        app.setFont(font)
    try:
        workspace = Workspace.open(path)
    except WorkspaceError as error:
        show_startup_error(str(error))
        return EXIT_REFUSED
    from rca_desk.ui.workspace.main_window import MainWindow

    window = MainWindow(workspace)
    window.show()
    window.files.take_daily_backup()
    try:
        return app.exec()
    finally:
        workspace.close()
