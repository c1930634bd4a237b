"""What a search for past lessons looks for (issue 16): negations kept, RCA's synonyms
expanded, and user text never turned into query syntax."""

from __future__ import annotations

import pytest

from rca_desk.model.search_terms import KEPT_NEGATIONS, STOP_WORDS, query_terms, words


def flat(text: str) -> set[str]:
    return {word for group in query_terms(text) for word in group}


def test_no_owner_and_nobody_owns_look_for_the_same_thing() -> None:
    assert query_terms("No owner for the staging refresh") == [
        ("no",),
        ("owner", "nobody", "owned", "owners", "ownership", "owns"),
        ("staging",),
        ("refresh",),
    ]
    # Each wording finds the other: they share the owner group.
    ours, theirs = flat("No owner for the staging refresh"), flat("Nobody owns refreshing staging")
    assert {"owner", "owns", "nobody"} <= ours & theirs


@pytest.mark.parametrize("negation", sorted(KEPT_NEGATIONS))
def test_negations_carry_the_meaning_and_are_kept(negation: str) -> None:
    assert (negation,) in query_terms(f"{negation} release checklist") or negation == "nobody"
    assert negation not in STOP_WORDS


@pytest.mark.parametrize(
    ("text", "group_of"),
    [
        ("The script was never reviewed", "reviewed"),
        ("Nobody verified the restore", "verified"),
        ("No checks on row counts", "checks"),
    ],
)
def test_check_verify_and_review_are_one_group(text: str, group_of: str) -> None:
    assert {"check", "verify", "review", "reviewed", "verified"} <= flat(text)


def test_train_trained_and_training_are_one_group() -> None:
    assert flat("On-call staff were not trained") >= {"train", "trained", "training"}
    assert ("not",) in query_terms("On-call staff were not trained")


@pytest.mark.parametrize(
    "hostile",
    [
        'owner" OR 1=1 --',
        "owner* NEAR(a b) text:owner",
        "owner & !review | train:*",
        "owner) AND (nobody",
        "'; DROP TABLE causes; --",
    ],
)
def test_user_text_never_becomes_query_syntax(hostile: str) -> None:
    for group in query_terms(hostile):
        for word in group:
            assert word.isalnum() or "_" in word, word  # plain words only, nothing else


def test_common_words_numbers_and_repeats_are_left_out() -> None:
    assert query_terms("The the 42 a cause of the release, the release") == [("release",)]
    assert words("Schema-migration_v2: OK!") == ["schema", "migration_v2", "ok"]
    assert len(query_terms(" ".join(f"word{n}x" for n in range(50)))) == 24
