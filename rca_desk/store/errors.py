"""The store's errors.

They are :class:`~rca_desk.model.RcaError`: the command prints them as one line and exits
with 2, the app shows them as they are.
"""

from __future__ import annotations

from rca_desk.model import RcaError


class WorkspaceError(RcaError):
    """The workspace file cannot be used (foreign, damaged, newer, busy, unwritable)."""
