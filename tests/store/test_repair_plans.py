"""The repairs planned for stored rows that break rules spanning rows, and their wording.

:func:`plan_repairs` works on plain rows, so each case here is a handful of rows with the
problems a hand edit or an older rca-desk could leave: it must choose the smallest repair
(the newest edge of a cycle, the newest of two links that cannot both stay, one
placeholder per lost root cause) and say in words what was wrong, naming causes and
actions by their text, because that is what the user reads before pressing Repair.
"""

from __future__ import annotations

from rca_desk.model import HEAD
from rca_desk.store.repair import Repair, StoredAction, StoredCause, plan_repairs

FORTY = "Forty characters of cause text, exactly."
FORTY_ONE = "Forty-one characters of cause text, here."
assert (len(FORTY), len(FORTY_ONE)) == (40, 41)


def cause(
    cid: str,
    parent: str | None,
    *,
    rev: int = 1,
    root: bool = False,
    text: str = "",
    category: str | None = "People",
) -> StoredCause:
    return StoredCause(cid, parent, rev, root, text or f"Cause {cid}", category)


def plan(repairs: list[Repair]) -> list[tuple[str, str, str, str]]:
    return [(r.kind, r.cause, r.other, r.problem) for r in repairs]


def test_every_kind_of_repair_says_what_was_wrong_and_what_it_did() -> None:
    causes = [
        cause(HEAD, None, category=None, text="The problem"),
        cause("a", HEAD, text=FORTY),
        cause("b", "gone", text=FORTY_ONE),
        cause("c", "d", rev=5),  # a cycle: c was written after d, though d sorts later
        cause("d", "c", rev=3),
        cause("e", "e"),
        cause("f", "a", category="Suppliers"),
        cause("r", "a", root=True),
        cause("n", "a"),
        cause("n2", "a"),
        cause("n3", "a"),
    ]
    links = [
        ("b", "a", 1),  # the older of two links that make a cycle: kept
        ("a", "lost", 2),
        ("a", "b", 4),  # the newer: dropped, though its effect sorts first
        (HEAD, "a", 6),  # a sits right under the problem already
        (HEAD, "r", 7),  # the problem may have a link: kept
    ]
    long_title = "A preventive action whose title runs past forty characters"
    actions = [
        StoredAction("u1", "Fix the filter", ("r", "n")),
        StoredAction("u2", long_title, ("n2",)),
        StoredAction("u3", "Both wrong", ("n2", "n3")),  # n2 is marked for u2 already
        StoredAction("u4", "Bring it back", ("lost-1",)),
        StoredAction("u5", "Also on the lost one", ("lost-1",)),  # one placeholder is enough
    ]
    shown_a, shown_b = repr(FORTY), repr(FORTY_ONE[:39] + "…")
    shown_title = repr(long_title[:39] + "…")
    assert plan(plan_repairs(causes, links, actions, ["People"])) == [
        (
            "add category",
            "Suppliers",
            "",
            "Causes use the category 'Suppliers', which the incident does not list; it was "
            "added to the list.",
        ),
        (
            "rehang",
            "b",
            "",
            f"Cause {shown_b} hangs under a cause that is missing; it was hung straight "
            "under the problem.",
        ),
        (
            "rehang",
            "c",
            "",
            "Cause 'Cause c' and 'Cause d' explain each other (a cycle); it was hung "
            "straight under the problem.",
        ),
        (
            "rehang",
            "e",
            "",
            "Cause 'Cause e' explains itself (a cycle); it was hung straight under the problem.",
        ),
        (
            "drop link",
            "lost",
            "a",
            f"The link from 'lost' to {shown_a} names a missing cause; it was removed.",
        ),
        (
            "drop link",
            "b",
            "a",
            f"The link from {shown_b} to {shown_a} would make a cycle; it was removed.",
        ),
        (
            "drop link",
            "a",
            HEAD,
            f"The link from {shown_a} to {HEAD!r} repeats where the cause already hangs; "
            "it was removed.",
        ),
        (
            "unlink",
            "n",
            "u1",
            "Action 'Fix the filter' addresses 'Cause n', which is not a root cause; the "
            "action was unlinked from it.",
        ),
        (
            "mark root",
            "n2",
            "u2",
            f"Action {shown_title} addresses 'Cause n2', which is not marked as a root "
            "cause; it was marked again.",
        ),
        (
            "mark root",
            "n3",
            "u3",
            "Action 'Both wrong' addresses 'Cause n3', which is not marked as a root cause; "
            "it was marked again.",
        ),
        (
            "placeholder",
            "lost-1",
            "u4",
            "Action 'Bring it back' addresses a root cause that is missing; a placeholder "
            "root cause was put back for it.",
        ),
    ]


def test_a_cause_hanging_off_a_cycle_stays_even_when_it_was_written_last() -> None:
    causes = [
        cause(HEAD, None, category=None),
        cause("b0", "c", rev=99),  # not in the cycle, and the first unreached by name
        cause("c", "d", rev=2),
        cause("d", "c", rev=1),
    ]
    assert [(r.kind, r.cause) for r in plan_repairs(causes, [], [])] == [("rehang", "c")]


def test_a_cycle_of_three_names_the_other_two() -> None:
    causes = [
        cause(HEAD, None, category=None),
        cause("a", "c", rev=1),
        cause("b", "a", rev=3),
        cause("c", "b", rev=2),
    ]
    assert plan(plan_repairs(causes, [], [])) == [
        (
            "rehang",
            "b",
            "",
            "Cause 'Cause b' and 'Cause a', 'Cause c' explain each other (a cycle); it was "
            "hung straight under the problem.",
        )
    ]
