"""Category colours follow the category's place in the incident's list."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rca_desk.interchange.dot import MUTED as DOT_MUTED
from rca_desk.layout.palette import (
    BLACK,
    INK,
    MIN_TEXT_CONTRAST,
    PALETTE,
    RULED_OUT,
    WHITE,
    category_color,
    chroma,
    contrast_ratio,
    delta_e,
    relative_luminance,
    text_on,
)

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


# ------------------------------------------------------------- contrast and greys
# Issue 13: white titles on the light colours read at 2.25:1 (orange) to 3.06:1 (pink),
# and the eighth colour was the grey that means "ruled out".


def test_contrast_ratio_follows_the_wcag_formula() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#E69F00", WHITE) == pytest.approx(2.25, abs=0.01)
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#0072B2", WHITE) == contrast_ratio(WHITE, "#0072B2")
    assert relative_luminance("#808080") == pytest.approx(0.2159, abs=1e-4)


@pytest.mark.parametrize("color", PALETTE)
def test_text_on_every_palette_colour_reads_at_4_5_to_1(color: str) -> None:
    ink = text_on(color)
    assert ink in (WHITE, BLACK)
    assert contrast_ratio(ink, color) >= MIN_TEXT_CONTRAST, (color, ink)


@pytest.mark.parametrize("color", ["#0072B2", "#882255", "#6A3D9A", "#8C6D31", INK])
def test_dark_colours_take_white_text(color: str) -> None:
    assert text_on(color) == WHITE


@pytest.mark.parametrize("color", ["#E69F00", "#56B4E9", "#B8A000", "#CC79A7", "#D55E00"])
def test_light_colours_take_black_text(color: str) -> None:
    assert text_on(color) == BLACK


@given(st.from_regex(r"\A#[0-9A-F]{6}\Z"))
def test_text_on_any_fill_reaches_4_5_to_1(color: str) -> None:
    assert contrast_ratio(text_on(color), color) >= MIN_TEXT_CONTRAST


@pytest.mark.parametrize("grey", [RULED_OUT, DOT_MUTED, "#8a8a8a"])
def test_no_category_colour_is_near_a_ruled_out_grey(grey: str) -> None:
    for color in PALETTE:
        assert color.upper() != grey.upper()
        assert delta_e(color, grey) > 30, color
        assert chroma(color) > 30, color  # a colour, not a grey of another lightness


def test_palette_colours_are_far_apart() -> None:
    pairs = [(a, b) for i, a in enumerate(PALETTE) for b in PALETTE[i + 1 :]]
    assert min(delta_e(a, b) for a, b in pairs) > 20
    assert all(delta_e(color, INK) > 20 for color in PALETTE)  # unknown categories are ink
    assert len(set(PALETTE)) == len(PALETTE)


def test_ruled_out_text_reads_on_white() -> None:
    assert contrast_ratio(RULED_OUT, WHITE) >= MIN_TEXT_CONTRAST


def test_delta_e_is_zero_for_the_same_colour_and_large_for_opposites() -> None:
    assert delta_e("#7F7F7F", "#7f7f7f") == 0
    assert delta_e(BLACK, WHITE) == pytest.approx(100, abs=0.01)
    assert chroma("#7F7F7F") == pytest.approx(0, abs=0.01)
