"""Errors whose message is written for the person using the tool.

Every layer raises a subclass of :class:`RcaError` for anything a user can cause (a
refused edit, a bad file, a wrong value). The CLI and the UI show ``str(error)`` as it is,
so messages name the thing and the reason and never need a traceback to be understood.
"""

from __future__ import annotations


class RcaError(Exception):
    """Base of all user-facing errors."""


class RuleError(RcaError):
    """A model rule refused an operation; the model is unchanged."""
