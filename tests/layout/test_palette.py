"""Category colours follow the category's place in the incident's list."""

from __future__ import annotations

from rca_desk.layout.palette import INK, category_color

CATEGORIES = [f"C{n}" for n in range(12)]


def test_colours_follow_the_order_of_the_categories() -> None:
    assert category_color(["SOPs", "Training"], "SOPs") == "#0072B2"
    assert category_color(["SOPs", "Training"], "Training") == "#D55E00"
    assert category_color(["Training", "SOPs"], "SOPs") == "#D55E00"


def test_the_eleventh_category_starts_the_palette_again() -> None:
    assert category_color(CATEGORIES, "C9") == "#B8A000"
    assert category_color(CATEGORIES, "C10") == "#0072B2"
    assert category_color(CATEGORIES, "C11") == "#D55E00"


def test_no_category_or_an_unknown_one_is_drawn_in_ink() -> None:
    assert INK == "#222222"
    assert category_color(["SOPs"], None) == "#222222"
    assert category_color(["SOPs"], "Staffing") == "#222222"
    assert category_color([], "SOPs") == "#222222"
