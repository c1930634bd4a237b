"""Wrapping label text, worked out by hand with the approximate font.

At 10 px the approximate font makes a narrow character 6 px wide, a wide (CJK) one 10 px,
a combining mark nothing, and a line 12.5 px tall.
"""

from __future__ import annotations

import pytest

from rca_desk.layout.text import ApproxMetrics, TextBlock, TextCache, wrap

M = ApproxMetrics()


def lines(text: str, max_width: float) -> tuple[str, ...]:
    return wrap(text, M, 10.0, max_width).lines


def test_the_approximate_font() -> None:
    assert M.width("abc", 10.0) == pytest.approx(18.0)
    assert M.width("abc", 20.0) == pytest.approx(36.0)
    assert M.width("漢字", 10.0) == pytest.approx(20.0)
    assert M.width("ｱ", 10.0) == pytest.approx(6.0)  # half-width katakana is narrow
    assert M.width("Ａ", 10.0) == pytest.approx(10.0)  # a full-width letter is wide
    assert M.width("e\u0301", 10.0) == pytest.approx(6.0)  # the accent takes no room
    assert M.width("", 10.0) == 0.0
    assert M.line_height(10.0) == pytest.approx(12.5)


def test_words_fill_a_line_greedily() -> None:
    block = wrap("one two three", M, 10.0, 60.0)
    assert block == TextBlock(("one two", "three"), pytest.approx(42.0), 25.0, 10.0)


def test_a_line_may_be_exactly_as_wide_as_allowed() -> None:
    assert lines("one two three", 42.0) == ("one two", "three")
    assert lines("one two three", 41.9) == ("one", "two", "three")
    assert lines("one two three", 78.0) == ("one two three",)


def test_a_word_longer_than_a_line_is_broken_between_characters() -> None:
    assert lines("abcdefghij", 30.0) == ("abcde", "fghij")
    assert lines("abcdefghijk", 30.0) == ("abcde", "fghij", "k")
    assert lines("ab abcdefgh", 30.0) == ("ab", "abcde", "fgh")
    assert lines("abcdefgh ab", 30.0) == ("abcde", "fgh", "ab")  # 18 + 6 + 12 > 30
    assert lines("abcdefgh a", 30.0) == ("abcde", "fgh a")  # 18 + 6 + 6 = 30
    assert wrap("abcdefghij", M, 10.0, 30.0).width == pytest.approx(30.0)


def test_a_character_wider_than_the_line_still_gets_a_line_of_its_own() -> None:
    block = wrap("ab", M, 10.0, 4.0)
    assert block.lines == ("a", "b")
    assert block.width == pytest.approx(6.0)


def test_newlines_are_kept_and_spaces_collapse() -> None:
    assert lines("a\nb", 100.0) == ("a", "b")
    assert lines("a\n\nb", 100.0) == ("a", "", "b")
    assert lines("a   \t b", 100.0) == ("a b",)
    assert lines("  a b  ", 100.0) == ("a b",)
    assert wrap("a\n\nb", M, 10.0, 100.0).height == pytest.approx(37.5)


def test_wide_characters_may_break_anywhere_and_count_double() -> None:
    assert lines("漢字漢字", 25.0) == ("漢字", "漢字")
    assert lines("ab漢字", 30.0) == ("ab漢", "字")
    assert lines("ab 漢字", 30.0) == ("ab 漢", "字")
    assert wrap("漢字漢字", M, 10.0, 25.0).width == pytest.approx(20.0)


def test_a_space_at_the_end_of_a_full_line_is_not_counted() -> None:
    # "abc de": 18 + 6 + 12 = 36 fits in 36; the trailing space before "f" does not.
    assert lines("abc de f", 36.0) == ("abc de", "f")
    assert lines("abc de fg", 50.0) == ("abc de", "fg")


class KerningMetrics(ApproxMetrics):
    """A font whose long runs come out 8 px wider than the sum of their parts."""

    def width(self, text: str, size: float) -> float:
        return super().width(text, size) + (8.0 if len(text) >= 5 else 0.0)


def test_lines_wider_than_their_parts_are_wrapped_again_exactly() -> None:
    metrics = KerningMetrics()
    # Word by word "aa bb" is 12 + 6 + 12 = 30, but measured whole it is 38.
    block = wrap("aa bb", metrics, 10.0, 30.0)
    assert block.lines == ("aa", "bb")
    assert block.width == pytest.approx(12.0)
    assert wrap("aa bb", metrics, 10.0, 38.0).lines == ("aa bb",)


def test_a_long_word_is_broken_exactly_when_the_font_kerns() -> None:
    metrics = KerningMetrics()
    # "abcde" is 38 wide measured whole: at most 4 characters (24) fit in 30.
    block = wrap("abcdefgh", metrics, 10.0, 30.0)
    assert block.lines == ("abcd", "efgh")
    assert all(metrics.width(line, 10.0) <= 30.0 for line in block.lines)


class CountingMetrics(ApproxMetrics):
    def __init__(self) -> None:
        self.calls = 0

    def width(self, text: str, size: float) -> float:
        self.calls += 1
        return super().width(text, size)


def test_the_cache_wraps_each_text_size_and_width_once() -> None:
    cache = TextCache()
    metrics = CountingMetrics()
    first = cache.wrap("one two", metrics, 10.0, 60.0)
    calls = metrics.calls
    assert cache.wrap("one two", metrics, 10.0, 60.0) is first
    assert metrics.calls == calls
    assert len(cache) == 1
    assert cache.wrap("one two", metrics, 12.0, 60.0).size == 12.0
    assert cache.wrap("one two", metrics, 10.0, 20.0).lines == ("one", "two")
    assert len(cache) == 3


def test_a_full_cache_starts_again() -> None:
    cache = TextCache(max_entries=2)
    cache.wrap("a", M, 10.0, 60.0)
    cache.wrap("b", M, 10.0, 60.0)
    assert len(cache) == 2
    cache.wrap("a", M, 10.0, 60.0)  # found: nothing is dropped
    assert len(cache) == 2
    cache.wrap("c", M, 10.0, 60.0)
    assert len(cache) == 1
