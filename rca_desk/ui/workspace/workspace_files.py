"""Moving workspaces and incidents in and out of the window.

Opening another workspace (a file, or a database on a server), importing and exporting
JSON and adding the sample incident all touch files and the workspace as a whole rather
than one incident, and all must leave the workspace untouched when they are refused. They
live here, apart from the menus and tabs, and tell the main window what happened through
signals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from rca_desk.interchange import ImportRefusedError, write_json
from rca_desk.interchange.files import ExportError
from rca_desk.interchange.ical import CHECK_IN, DUE, REVIEW, VERIFY, action_events, write_ics
from rca_desk.interchange.json_format import import_incidents, read_json_document
from rca_desk.interchange.sample import sample_incidents
from rca_desk.model import Incident, RcaError
from rca_desk.store import ServerAddress, WorkspaceStore
from rca_desk.store import open_workspace as open_store

JSON_FILTER = "rca_desk JSON (*.json);;All files (*)"
ICS_FILTER = "iCalendar (*.ics);;All files (*)"
WORKSPACE_FILTER = "rca_desk workspace (*.rcadesk);;All files (*)"


class FileDialogs(Protocol):
    """The dialogs these operations need (the main window's hooks, which tests answer)."""

    def ask_open_path(self, title: str, file_filter: str) -> Path | None: ...

    def ask_server_address(self, title: str) -> str | None: ...

    def ask_save_path(self, title: str, suggested: str, file_filter: str) -> Path | None: ...

    def show_error(self, title: str, message: str, details: str = "") -> None: ...


class WorkspaceFiles(QObject):
    """Holds the open workspace and replaces it, and brings incidents in and out as JSON.

    A refused file (not a workspace, damaged, or JSON that does not validate) is reported
    through ``dialogs.show_error`` and changes nothing.

    Signals:

    - ``aboutToSwitch()``: another workspace was opened and is about to replace the
      current one; finish and close everything open on the current one now.
    - ``switched()``: :attr:`workspace` is the new workspace.
    - ``added(object)``: incidents were imported or the sample added; the argument is the
      list of their ids.
    - ``message(str)``: a line for the status bar.
    """

    aboutToSwitch = Signal()
    switched = Signal()
    added = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        workspace: WorkspaceStore,
        dialogs: FileDialogs,
        *,
        today: Callable[[], date],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.dialogs = dialogs
        self.today = today

    # -------------------------------------------------------------- workspace
    def open_workspace_dialog(self) -> None:
        path = self.dialogs.ask_open_path("Open workspace", WORKSPACE_FILTER)
        if path is not None:
            self.open_workspace(path)

    def new_workspace_dialog(self) -> None:
        """File ▸ New workspace…: a new workspace file, opened in this window."""
        path = self.dialogs.ask_save_path("New workspace", "workspace.rcadesk", WORKSPACE_FILTER)
        if path is not None:
            self.new_workspace(path)

    def new_workspace(self, path: Path) -> bool:
        """Create a workspace file at ``path`` (``.rcadesk`` added when it has no suffix)
        and switch to it.

        An existing file is never overwritten: a workspace is simply opened, anything
        else is refused with a message and left as it was.
        """
        if not path.suffix:
            path = path.with_suffix(".rcadesk")
        if path.exists():
            try:
                open_store(path, create=False).close()
            except RcaError:
                self.dialogs.show_error(
                    "Cannot create the workspace",
                    f"{path} already exists and is not an rca_desk workspace. It was left "
                    "untouched; choose another name.",
                )
                return False
            self.message.emit(f"{path.name} is already a workspace; it was opened.")
            return self.open_workspace(path)
        try:
            workspace = open_store(path, create=True)
        except (OSError, RcaError) as error:
            self.dialogs.show_error("Cannot create the workspace", str(error))
            return False
        workspace.close()
        return self.open_workspace(path)

    def open_server_dialog(self) -> None:
        """Ask for a server workspace's ``postgresql://`` address and open it."""
        text = self.dialogs.ask_server_address("Open server workspace")
        if text is not None and text.strip():
            self.open_server(text)

    def open_server(self, text: str) -> bool:
        """Switch to the server workspace at the address ``text``; an address that is not
        a usable ``postgresql://`` one (or holds a password) is refused like a foreign file,
        and the current workspace stays open."""
        try:
            address = ServerAddress.parse(text)
        except RcaError as error:
            self.dialogs.show_error("Cannot open the workspace", str(error))
            return False
        return self.open_workspace(address)

    def open_workspace(self, location: Path | ServerAddress) -> bool:
        """Switch to the workspace at ``location`` (a file, or a server's address); on
        refusal keep the current one open.

        A file must exist (Open is not New). A server's database must exist too, but an
        empty one becomes a workspace: an administrator made it for the team, and a
        database holding anything else is still refused untouched.
        """
        create = isinstance(location, ServerAddress)
        try:
            workspace = open_store(location, create=create)
        except RcaError as error:
            self.dialogs.show_error("Cannot open the workspace", str(error))
            return False
        self.aboutToSwitch.emit()
        self.workspace.close()
        self.workspace = workspace
        self.switched.emit()
        self.take_daily_backup()
        return True

    def take_daily_backup(self) -> None:
        """The app's copy on open (when the newest is over a day old); says where it went.

        Only a workspace file gets one: a server's database is backed up by the server's
        own means, and has no folder beside it to put copies in.
        """
        if self.workspace.file is None:
            return
        try:
            made = self.workspace.daily_backup()
        except (OSError, RcaError) as error:
            self.message.emit(f"No daily backup could be taken: {error}")
            return
        if made is not None:
            self.message.emit(f"Daily backup saved to {made}.")

    # -------------------------------------------------------------- incidents
    def import_dialog(self) -> None:
        path = self.dialogs.ask_open_path("Import incidents", JSON_FILTER)
        if path is not None:
            self.import_path(path)

    def import_path(self, path: Path) -> list[int]:
        """Import every incident in the JSON file at ``path``, or none of them."""
        try:
            document = read_json_document(path)
            ids = import_incidents(self.workspace, document.incidents, source=str(path))
        except ImportRefusedError as error:
            # The first problem in the box, every problem behind Show Details.
            details = "\n".join(map(str, error.problems)) if len(error.problems) > 1 else ""
            headline = error.headline("Show Details lists them")
            self.dialogs.show_error("Nothing was imported", headline, details=details)
            return []
        except RcaError as error:
            self.dialogs.show_error("Nothing was imported", str(error))
            return []
        self.added.emit(ids)
        # A newer minor version's notice says which fields this version left out.
        notice = f" Note: {document.notice}" if document.notice else ""
        self.message.emit(f"Imported {len(ids)} incidents from {path.name}.{notice}")
        return ids

    def add_sample(self) -> list[int]:
        """Add the worked sample incident (Help ▸ Add sample incident, ``rca-desk demo``)."""
        incidents = sample_incidents(self.today())
        try:
            ids = self.workspace.add_incidents(incidents)
        except RcaError as error:
            self.dialogs.show_error("Could not add the sample", str(error))
            return []
        self.added.emit(ids)
        return ids

    def export_dialog(self, incident_id: int | None) -> None:
        """Export the incident ``incident_id`` (the selected one) as JSON."""
        if incident_id is None:
            self.dialogs.show_error("Nothing to export", "Select the incident to export first.")
            return
        incident, note = self.workspace.readable(incident_id)
        if note:
            self.message.emit(note)
        path = self.dialogs.ask_save_path(
            "Export incident", f"incident-{incident_id}.json", JSON_FILTER
        )
        if path is not None:
            self.export([incident], path)

    def export_all_dialog(self) -> None:
        path = self.dialogs.ask_save_path("Export all incidents", "incidents.json", JSON_FILTER)
        if path is not None:
            read = [self.workspace.readable(s.id) for s in self.workspace.incidents()]
            self.export([incident for incident, _ in read], path)
            notes = [note for _, note in read if note]
            if notes:  # after export()'s own line, so it stays in sight
                self.message.emit(" ".join(notes))

    def export_calendar_dialog(self) -> None:
        path = self.dialogs.ask_save_path("Export calendar", "rca-desk-follow-up.ics", ICS_FILTER)
        if path is not None:
            self.export_calendar(path)

    def export_calendar(self, path: Path) -> bool:
        """Every open action's due and verification dates, every check-in not yet held
        and every review meeting of the workspace, as one iCalendar file."""
        today = self.today()
        try:
            rows = self.workspace.action_rows()
            follow_ups = self.workspace.follow_up_rows()
            events = action_events(rows, today=today, follow_ups=follow_ups)
            write_ics(path, rows, today=today, now=datetime.now(UTC), follow_ups=follow_ups)
        except (ExportError, OSError, RcaError) as error:
            self.dialogs.show_error("Export failed", str(error))
            return False
        kinds = Counter(event.kind for event in events)
        self.message.emit(
            f"Wrote {len(events)} calendar events to {path}: {kinds[DUE]} due dates, "
            f"{kinds[VERIFY]} effectiveness checks, {kinds[CHECK_IN]} check-ins, "
            f"{kinds[REVIEW]} review meetings."
        )
        return True

    def export(self, incidents: list[Incident], path: Path) -> bool:
        try:
            write_json(path, incidents)
        except (ExportError, OSError) as error:
            self.dialogs.show_error("Export failed", str(error))
            return False
        self.message.emit(f"Exported {len(incidents)} incidents to {path}.")
        return True
