"""A value outside a vocabulary is refused with the vocabulary's own name and its values."""

from __future__ import annotations

import pytest

from rca_desk.model import ActionStatus, Evidence, IncidentStatus, RuleError, Severity, Strength


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [
        (Severity, "'bogus' is not a valid severity; use one of: low, medium, high, critical"),
        (
            IncidentStatus,
            "'bogus' is not a valid incident status; use one of: open, analysing, monitoring, "
            "closed",
        ),
        (
            Evidence,
            "'bogus' is not a valid evidence status; use one of: hypothesis, supported, "
            "verified, ruled_out",
        ),
        (
            Strength,
            "'bogus' is not a valid action strength; use one of: strong, intermediate, weak",
        ),
        (
            ActionStatus,
            "'bogus' is not a valid action status; use one of: proposed, committed, in_progress, "
            "implemented, verified_effective, not_effective, cancelled",
        ),
    ],
)
def test_an_unknown_value_is_refused_by_name(vocabulary: type, message: str) -> None:
    with pytest.raises(RuleError) as refused:
        vocabulary.parse("bogus")
    assert str(refused.value) == message


def test_labels_and_spellings_with_spaces_or_dashes_are_accepted() -> None:
    assert ActionStatus.parse(" In Progress ") is ActionStatus.IN_PROGRESS
    assert ActionStatus.parse("not-effective") is ActionStatus.NOT_EFFECTIVE
    assert ActionStatus.IN_PROGRESS.label == "in progress"
