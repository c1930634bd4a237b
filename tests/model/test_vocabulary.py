"""The words people type for statuses, strengths and presets, and what they are told when
a word is not one of them."""

from __future__ import annotations

import pytest

from rca_desk.model import ActionStatus, Evidence, IncidentStatus, RuleError, Severity, Strength
from rca_desk.model.categories import clean_category_name, preset


@pytest.mark.parametrize("typed", ["ruled_out", "ruled out", "Ruled-Out", "  RULED OUT "])
def test_evidence_is_understood_however_it_is_written(typed: str) -> None:
    assert Evidence.parse(typed) is Evidence.RULED_OUT


def test_an_action_status_with_a_hyphen_is_understood() -> None:
    assert ActionStatus.parse("not-effective") is ActionStatus.NOT_EFFECTIVE
    assert ActionStatus.NOT_EFFECTIVE.label == "not effective"


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [
        (
            Evidence,
            "'maybe' is not a valid evidence status; "
            "use one of: hypothesis, supported, verified, ruled_out",
        ),
        (
            IncidentStatus,
            "'maybe' is not a valid incident status; "
            "use one of: open, analysing, monitoring, closed",
        ),
        (Severity, "'maybe' is not a valid severity; use one of: low, medium, high, critical"),
        (
            Strength,
            "'maybe' is not a valid action strength; use one of: strong, intermediate, weak",
        ),
        (
            ActionStatus,
            "'maybe' is not a valid action status; use one of: proposed, committed, "
            "in_progress, implemented, verified_effective, not_effective, cancelled",
        ),
    ],
)
def test_an_unknown_word_is_refused_with_the_words_that_exist(
    vocabulary: type[Evidence], message: str
) -> None:
    with pytest.raises(RuleError) as caught:
        vocabulary.parse("maybe")
    assert str(caught.value) == message


def test_strengths_carry_the_rca2_examples() -> None:
    assert Strength.STRONG.examples == (
        "forcing functions, automation, physical or architectural change"
    )
    assert Strength.WEAK.examples == "training, new policy, warnings, double checks"


@pytest.mark.parametrize(
    "typed", ["Service (default)", "service (DEFAULT)", "service", " Service "]
)
def test_the_default_preset_by_its_name_or_first_word(typed: str) -> None:
    assert preset(typed) == ("SOPs", "Training", "Technology", "QC checkpoints", "Communication")


def test_an_unknown_preset_lists_the_presets() -> None:
    with pytest.raises(RuleError) as caught:
        preset("9Z")
    assert str(caught.value) == (
        "Unknown category preset '9Z'; use one of: Service (default), 6M, 8P, 4S"
    )


def test_a_blank_category_name_is_refused() -> None:
    with pytest.raises(RuleError) as caught:
        clean_category_name(" \t ")
    assert str(caught.value) == "A category needs a name."


def test_a_category_name_is_tidied_and_limited_to_60_characters() -> None:
    assert clean_category_name("  QC \t checkpoints ") == "QC checkpoints"
    assert clean_category_name("x" * 60) == "x" * 60
    with pytest.raises(RuleError) as caught:
        clean_category_name("Quality control checkpoints of the overnight batch processing")
    assert str(caught.value) == (
        "Category name 'Quality control chec'… is longer than 60 characters."
    )
