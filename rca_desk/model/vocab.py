"""The closed vocabularies of the domain: severities, statuses, evidence, strength.

Values are lower-case identifiers because they are written to the workspace and to JSON;
``label`` gives the text a person reads.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return self.value.replace("_", " ")

    @classmethod
    def parse(cls, value: str) -> _Labelled:
        """Accept the value or its label ("in progress" as well as "in_progress")."""
        from rca_desk.model.errors import RuleError

        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        try:
            return cls(key)
        except ValueError:
            allowed = ", ".join(member.value for member in cls)
            raise RuleError(
                f"{value!r} is not a valid {cls._noun()}; use one of: {allowed}"
            ) from None

    @classmethod
    def _noun(cls) -> str:
        return cls.__name__.lower()


class Severity(_Labelled):
    """How badly the failure hurt the client; orders the incident list and the review."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IncidentStatus(_Labelled):
    """Where the incident's analysis stands."""

    OPEN = "open"
    ANALYSING = "analysing"
    MONITORING = "monitoring"  # analysis done, preventive actions under way
    CLOSED = "closed"

    @classmethod
    def _noun(cls) -> str:
        return "incident status"


class Evidence(_Labelled):
    """How well a cause is established."""

    HYPOTHESIS = "hypothesis"
    SUPPORTED = "supported"
    VERIFIED = "verified"
    RULED_OUT = "ruled_out"

    @classmethod
    def _noun(cls) -> str:
        return "evidence status"


class Strength(_Labelled):
    """Action strength after the RCA² action hierarchy."""

    STRONG = "strong"
    INTERMEDIATE = "intermediate"
    WEAK = "weak"

    @property
    def examples(self) -> str:
        return _STRENGTH_EXAMPLES[self]

    @classmethod
    def _noun(cls) -> str:
        return "action strength"


_STRENGTH_EXAMPLES = {
    Strength.STRONG: "forcing functions, automation, physical or architectural change",
    Strength.INTERMEDIATE: "checklists, standardised process, redundancy, software enhancement",
    Strength.WEAK: "training, new policy, warnings, double checks",
}


class ActionStatus(_Labelled):
    """Where a preventive action is in its lifecycle (see :mod:`rca_desk.model.actions`)."""

    PROPOSED = "proposed"
    COMMITTED = "committed"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    VERIFIED_EFFECTIVE = "verified_effective"
    NOT_EFFECTIVE = "not_effective"
    CANCELLED = "cancelled"

    @classmethod
    def _noun(cls) -> str:
        return "action status"
