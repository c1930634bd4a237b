"""The wording checks measured on a labelled corpus, and held to examples and near-misses.

tests/data/wording/README.md says how the corpus was made. The detector was tuned on the
``dev`` part only; the thresholds are asserted on the ``heldout`` part, and the figures of
both parts are in every assertion message. ``python -m tests.model.test_wording_corpus``
prints them.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rca_desk.model.wording import blame_phrase, blames_a_person, weak_action, weak_phrase

CORPUS = Path(__file__).parent.parent / "data" / "wording" / "corpus.csv"
LABELS = {"blame", "weak action", "neutral"}


@dataclass(frozen=True)
class Row:
    text: str
    kind: str
    label: str
    split: str


def load() -> list[Row]:
    with open(CORPUS, encoding="utf-8", newline="") as f:
        return [Row(**r) for r in csv.DictReader(f)]


ROWS = load()


@pytest.fixture(autouse=True)
def fresh_answers() -> None:
    """Every test computes its answers: the mutation run forks from a process whose caches
    already hold the unmutated answers, which would hide every mutant behind them."""
    blame_phrase.cache_clear()
    weak_phrase.cache_clear()


def split_of(text: str) -> str:
    """The documented rule: SHA-256 of the lower-cased, whitespace-collapsed text."""
    digest = hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()
    return "dev" if int(digest[:8], 16) % 10 < 6 else "heldout"


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def __str__(self) -> str:
        return (
            f"recall {self.recall:.3f} ({self.tp}/{self.tp + self.fn}), "
            f"precision {self.precision:.3f} ({self.tp}/{self.tp + self.fp})"
        )


def score(rows: list[Row], detect: Callable[[str], bool], label: str) -> Score:
    said = [(detect(r.text), r.label == label) for r in rows]
    return Score(
        tp=sum(p and g for p, g in said),
        fp=sum(p and not g for p, g in said),
        fn=sum(g and not p for p, g in said),
    )


def blame_rows(split: str) -> list[Row]:
    """Blame is measured on every text, causes and action titles alike."""
    return [r for r in ROWS if r.split == split]


def weak_rows(split: str) -> list[Row]:
    """Weak wording is measured on action titles; blaming titles are left out (README)."""
    return [r for r in ROWS if r.split == split and r.kind == "action" and r.label != "blame"]


def figures() -> str:
    lines = []
    for name, rows, detect, label in [
        ("blame", blame_rows, blames_a_person, "blame"),
        ("weak action", weak_rows, weak_action, "weak action"),
    ]:
        for split in ("dev", "heldout"):
            lines.append(f"{name:<12} {split:<8} {score(rows(split), detect, label)}")
    return "\n".join(lines)


# --- the corpus itself ----------------------------------------------------------------


def test_the_corpus_is_big_enough_and_well_formed() -> None:
    assert len(ROWS) >= 300
    assert {r.label for r in ROWS} == LABELS
    assert {r.kind for r in ROWS} == {"cause", "action"}
    assert all(r.kind == "action" for r in ROWS if r.label == "weak action")
    assert len({r.text.lower() for r in ROWS}) == len(ROWS), "duplicate texts"


def test_the_split_is_the_documented_hash_and_about_sixty_forty() -> None:
    assert [r.split for r in ROWS] == [split_of(r.text) for r in ROWS]
    dev = sum(r.split == "dev" for r in ROWS) / len(ROWS)
    assert 0.55 <= dev <= 0.65
    for label in LABELS:  # every label is in both parts
        assert {r.split for r in ROWS if r.label == label} == {"dev", "heldout"}


# --- the figures ----------------------------------------------------------------------


def test_blame_on_the_held_out_part(record_property) -> None:
    record_property("figures", figures())
    print("\n" + figures())
    held_out = score(blame_rows("heldout"), blames_a_person, "blame")
    assert held_out.recall >= 0.90, figures()
    assert held_out.precision >= 0.95, figures()


def test_weak_action_on_the_held_out_part() -> None:
    held_out = score(weak_rows("heldout"), weak_action, "weak action")
    assert held_out.recall >= 0.85, figures()
    assert held_out.precision >= 0.90, figures()


def test_the_development_part_stays_where_it_was_tuned() -> None:
    # Not a claim about unseen text (the held-out tests are); a change that loses ground
    # on the part it was tuned on shows here first.
    blame = score(blame_rows("dev"), blames_a_person, "blame")
    weak = score(weak_rows("dev"), weak_action, "weak action")
    assert blame.recall >= 0.95 and blame.precision >= 0.95, figures()
    assert weak.recall >= 0.95 and weak.precision >= 0.95, figures()


# --- examples that must fire and near-misses that must not ----------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # the phrasings issue 11 found missing
        ("The operator made a mistake", "made a mistake"),
        ("Was sloppy and rushed", "sloppy"),
        ("Lack of attention by the operator", "Lack of attention"),
        ("Engineer didn't double-check the config", "didn't double-check"),
        ("Engineer didn’t double-check the config", "didn’t double-check"),
        ("Engineer did not double check the config", "did not double check"),
        ("Was tired and typed the wrong command", "Was tired"),
        # the words the old list knew, in other forms and tenses
        ("Alex forgot to run the backup", "forgot"),
        ("Forgetting to restart the queue workers", "Forgetting"),
        ("The release step had been forgotten", "had been forgotten"),
        ("Human error during deployment", "Human error"),
        ("Operator error", "Operator error"),
        ("CARELESS DATA ENTRY", "CARELESS"),
        ("Negligence by the night contractor", "Negligence"),
        ("The engineer ignored the alert", "ignored"),
        ("The warning was ignored by the on-call engineer", "ignored"),
        ("She should have known the flag was live", "should have known"),
        ("He should’ve checked the log first", "should’ve checked"),
        ("It was the installer's fault", "installer's fault"),
        ("It was the installer’s fault", "installer’s fault"),
        # more ways of putting it in a person
        ("The clerk wasn't paying attention", "wasn't paying attention"),
        ("Staff are not careful enough with labels", "are not careful"),
        ("The nurse gave the wrong dose", "gave the wrong"),
        ("Carol miskeyed the account number", "miskeyed"),
        ("The technician neglected to fit the guard", "neglected to"),
        ("Driver took a shortcut through the yard", "took a shortcut"),
        ("The operator fell asleep at the panel", "fell asleep"),
        ("Nobody bothered to check the logs", "bothered to"),
        ("Complacency in the control room", "Complacency"),
    ],
)
def test_blame_fires_and_names_the_words(text: str, phrase: str) -> None:
    assert blames_a_person(text)
    assert blame_phrase(text) == phrase


@pytest.mark.parametrize(
    "text",
    [
        # from issue 11 and the brief
        "The forgotten cron job kept running",
        "Careless handling was made possible by the missing guard",
        "No alert fired when the operator was busy",
        "The mistake-proofing jig was removed",
        # a word said of a program or a machine
        "The job ignored SIGTERM",
        "The firmware forgot the calibration after power loss",
        "The system misread the date format",
        "The script picked the wrong column",
        "The queue skipped messages with bad headers",
        "The backup tool did not verify the archive",
        # compounds, names and other words
        "Error-proofing device failed",
        "The “Forgot password” link returned an error",
        "Lazy loading delayed the first render",
        "The change was rated negligible risk",
        "Blame culture stops people reporting",
        "The customer's error code was not in the knowledge base",
        "Missed deliveries rose in December",
        # negation and system framing
        "The operator was not careless: the guard was missing",
        "This wasn't human error; the two codes differ by one digit",
        "The form does not guard against human error",
        "Nothing prevents a mistyped amount from being posted",
        "Typos in the zone file are not caught before deploy",
        "Staff forget the code because it changes every week",
        "The approval could be skipped by saving a draft",
        # systemic causes
        "No SOP for data migrations",
        "Alert threshold was set too high",
        "Training on restores never scheduled",
    ],
)
def test_near_misses_are_not_blame(text: str) -> None:
    assert not blames_a_person(text), blame_phrase(text)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Remind engineers to be careful on production", "Remind"),
        ("Be more careful", "Be more careful"),
        ("Retrain", "Retrain"),
        ("Re-train the operator", "Re-train"),
        ("Retraining for the pickers involved", "Retraining"),
        ("Re-communicate the procedure", "Re-communicate"),
        ("Tell staff to pay attention", "Tell"),
        ("Send an email reminder", "Send an email reminder"),
        ("Nurses to take more care with labels", "take more care"),
        ("Operators must pay attention to the gauge", "pay attention"),
        ("Ensure the team follows the SOP", "Ensure"),
        ("Share lessons learned with the crew", "Share lessons"),
        ("Reiterate the freeze policy", "Reiterate"),
        ("Counsel the driver", "Counsel"),
        ("Ask pickers to double check", "Ask"),
    ],
)
def test_weak_action_fires_and_names_the_words(text: str, phrase: str) -> None:
    assert weak_action(text)
    assert weak_phrase(text) == phrase


@pytest.mark.parametrize(
    "text",
    [
        # training of a model, reminders a system sends
        "Retrain the anomaly model on new data",
        "Retrain the fraud classifier monthly",
        "Reminder emails are sent by the scheduler",
        "Automate the reminder email",
        "Configure the CRM to send a reminder to the owner",
        # effort paired with a change to the system
        "Retrain staff and add a hard stop for large doses",
        "Replace the “be careful” sign with a fixed guard",
        "Tell the courier app to refuse completion without a photo",
        "Ask the vendor to fix the firmware bug",
        # strong actions and words that look alike
        "Add an interlock to the press",
        "Remove the manual export step",
        "Tell-tale light fitted to the valve",
        "Make the default environment staging",
        "Print “handle with care” labels for fragile SKUs",
    ],
)
def test_near_misses_are_not_weak(text: str) -> None:
    assert not weak_action(text), weak_phrase(text)


# --- each safeguard on its own: the blaming reading and the one it is kept from ---------


@pytest.mark.parametrize(
    ("text", "blames"),
    [
        # double quotes name a label, not a judgement (an odd count of quotes before)
        ('Staff pick "Human error" as the ticket category', False),
        ('"Human error" is the top ticket category', False),
        ('Staff pick "Other", then "Human error" as the category', False),
        ('The clerk ignored the "Duplicate invoice" warning', True),
        # a hyphen joins the cue to the word after or before it
        ("Careless-handling claims are never traced to the depot", False),
        ("Auto-skipped tests hid the regression", False),
        ("The packer skipped the weighing step", True),
        # possessives: the script of the engineers acts, not the engineers
        ("The shift engineer's script ignored the timeout", False),
        ("The shift engineers' script ignored the timeout", False),
        ("The process skipped the approval step", False),
        ("The engineer's new deploy script skipped the tests", False),
        ("The engineers' new deploy script skipped the tests", False),
        ("The operators ignored the alarm", True),
        # the last noun of a run is the head
        ("The backup operator forgot the tapes", True),
        ("The site manager missed the handover", True),
        ("The planner simply missed the cut-off", True),
        ("The deadline was missed", False),
        ("The operator missed the jam light", True),
        ("The clerk failed to post the payment", True),
        ("The payment failed to post", False),
        # the actor is found in the phrase before a comma, a denial in the whole clause
        ("After the database upgrade, the engineer forgot to re-enable backups", True),
        ("No sign that the operator, a ten-year veteran, was careless", False),
        ("No evidence of sabotage; the fitter forgot to refit the guard", True),
        # a reason counts in its own sentence only
        ("The operator ignored the alarm. It fired again because the relay stuck.", True),
        ("Line 3, night shift. Operators ignore the alarm because it fires all night.", False),
        # the passive: the agent after "by" is the actor; "the wrong…" with no one named
        ("Checksum errors were ignored by the import script", False),
        ("The deadline was missed by the planner", True),
        ("The alarm was ignored for two hours", True),
        ("Orders were shipped to the wrong address after the migration", False),
        # a thing's fault is not a person's
        ("It was the system's fault", False),
        ("It was the fault of the pump operator", True),
    ],
)
def test_each_safeguard(text: str, blames: bool) -> None:
    assert blames_a_person(text) is blames, blame_phrase(text)


@pytest.mark.parametrize(
    ("text", "weak"),
    [
        ("Tell customers about the new returns address", False),
        ("Tell the planners to check machine availability", True),
        ("Ask for two quotes on every repair over 5,000 EUR", False),
        # the people told must come within five words of the cue
        ("Communicate revised holiday opening hours to staff", False),
        ("Communicate the new hours to staff", True),
    ],
)
def test_who_is_told(text: str, weak: bool) -> None:
    assert weak_action(text) is weak, weak_phrase(text)


def test_the_answer_is_cached() -> None:
    blame_phrase.cache_clear()
    blames_a_person("Alex forgot to run the backup")
    blames_a_person("Alex forgot to run the backup")
    assert blame_phrase.cache_info().hits == 1


if __name__ == "__main__":
    print(figures())
