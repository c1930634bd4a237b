"""What the app remembers between runs, in ``QSettings`` (the app's own names, see
:func:`rca_desk.ui.app.application`); tests point QSettings at a throwaway folder.

- the last folder a file was chosen in, offered by every file dialog, so a save dialog
  never opens in whatever folder the process happened to start in;
- per workspace, the incidents open in tabs, reopened on the next start.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings

LAST_FOLDER_KEY = "last_dir"


def last_folder() -> Path:
    """The folder of the last file chosen or saved (the home folder at first)."""
    folder = Path(str(QSettings().value(LAST_FOLDER_KEY, str(Path.home()))))
    return folder if folder.is_dir() else Path.home()


def remember_folder(chosen: Path) -> None:
    """``chosen`` (a file) was picked in a file dialog: offer its folder next time."""
    QSettings().setValue(LAST_FOLDER_KEY, str(chosen.parent))


def _workspace_key(location: str) -> str:
    # A location is a path or an address: slashes would make QSettings groups of it.
    return "open_incidents/" + hashlib.sha256(location.encode("utf-8")).hexdigest()[:24]


def open_incidents(location: str) -> tuple[list[int], int | None]:
    """The incidents that were open in tabs on ``location``, in tab order, and the one in
    front (``None`` when a list or the review was in front)."""
    value = QSettings().value(_workspace_key(location))
    if not isinstance(value, str) or not value:
        return [], None
    ids_text, _, current_text = value.partition(";")
    ids = [int(part) for part in ids_text.split(",") if part.strip().isdigit()]
    current = int(current_text) if current_text.strip().isdigit() else None
    return ids, current


def keep_open_incidents(location: str, ids: list[int], current: int | None) -> None:
    """Remember the incidents open on ``location`` (stored as text: QSettings' INI and
    native formats round-trip a string the same everywhere, a list of ints not)."""
    text = ",".join(str(i) for i in ids) + ";" + ("" if current is None else str(current))
    QSettings().setValue(_workspace_key(location), text)
