"""The store's refusals: every one names the file or the row and says what to do."""

from __future__ import annotations

from rca_desk.model import RcaError


class WorkspaceError(RcaError):
    """The workspace file cannot be used (foreign, damaged, newer, busy, unwritable)."""


class StaleWriteError(WorkspaceError):
    """A write based on rows that someone else changed since this copy read them.

    Nothing was written. The message says which row, in the words a person uses; the
    caller re-reads the incident (the document does this in place) and says so.
    """
