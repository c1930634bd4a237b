"""Starting the desktop app: one QApplication, one workspace, one main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from rca_desk import __version__
from rca_desk.layout.text import FONT_FAMILY
from rca_desk.store import (
    ServerAddress,
    Workspace,
    WorkspaceError,
    WorkspaceStore,
    data_dir,
    open_workspace,
)
from rca_desk.store.backups import BACKUP_FOLDER
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


def backups_of(path: Path) -> list[Path]:
    """Backups of the workspace at ``path``, newest first (looked for, never created)."""
    folders = [path.parent / BACKUP_FOLDER, data_dir() / BACKUP_FOLDER]
    found = {p for folder in folders if folder.is_dir() for p in folder.glob(f"{path.stem}-*")}
    return sorted(found, key=lambda p: p.name, reverse=True)


def ask_recovery(path: Path, error: str, backups: list[Path]) -> Path | None:
    """Say why the workspace was refused; with backups, offer to restore one (its path)."""
    if not backups:
        show_startup_error(error)
        return None
    box = message_box(
        None,
        QMessageBox.Icon.Critical,
        "Cannot open the workspace",
        f"{error}\n\nThere are {len(backups)} backups of it; the newest is "
        f"{backups[0].name}. Restoring one keeps the refused file beside it, renamed.",
    )
    restore = box.addButton("Restore a backup…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is not restore:
        return None
    name, _ = QFileDialog.getOpenFileName(
        None, "Restore a backup", str(backups[0]), "rca-desk workspaces (*.rcadesk);;All (*)"
    )
    return Path(name) if name else None


def open_or_recover(location: Path | ServerAddress) -> WorkspaceStore | None:
    """The workspace at ``location``, or, when a workspace file is refused, one restored
    from a backup the person picks; ``None`` when they would rather close.

    A refused server workspace is only reported: it has no backups beside it to offer, and
    nothing here may replace a database.
    """
    try:
        return open_workspace(location)
    except WorkspaceError as error:
        message = str(error)
    if not isinstance(location, Path):
        show_startup_error(message)
        return None
    path = location
    while (backup := ask_recovery(path, message, backups_of(path))) is not None:
        try:
            workspace, _aside = Workspace.replace_refused(path, backup)
        except WorkspaceError as error:
            message = str(error)
            continue
        return workspace
    return None


def run_app(location: Path | ServerAddress) -> int:
    """Open the workspace at ``location`` (a file is created if missing) and run the GUI
    until it closes."""
    app = application()
    if FONT_FAMILY in QFontDatabase.families():
        font = app.font()
        font.setFamily(FONT_FAMILY)
        app.setFont(font)
    workspace = open_or_recover(location)
    if workspace is None:
        return EXIT_REFUSED
    from rca_desk.ui.workspace.main_window import MainWindow

    window = MainWindow(workspace)
    window.show()
    window.files.take_daily_backup()
    try:
        return app.exec()
    finally:
        # The window's workspace: the one opened here, or the one File ▸ Open switched to
        # (the switch closed this one already).
        window.workspace.close()
