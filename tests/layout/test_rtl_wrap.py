"""Wrapped lines know their paragraph's direction, so a renderer can align them."""

from __future__ import annotations

from rca_desk.layout.text import ApproxMetrics, TextBlock, TextCache, wrap

METRICS = ApproxMetrics()


def test_every_line_of_a_right_to_left_paragraph_is_marked() -> None:
    # 6 px a character at size 10; 60 px is ten characters a line.
    block = wrap("שלום עולם, DB 3 נפל\nThe disk\nتعطل", METRICS, 10, 60)
    assert block.lines == ("שלום עולם,", "DB 3 נפל", "The disk", "تعطل")
    # The second line starts with Latin but belongs to the Hebrew paragraph.
    assert block.rtl == (0, 1, 3)
    assert [block.is_rtl(i) for i in range(4)] == [True, True, False, True]


def test_a_left_to_right_paragraph_starting_with_digits_is_not_marked() -> None:
    block = wrap("3 שרתים\n42 disks", METRICS, 10, 600)
    assert block.rtl == (0,)


def test_left_to_right_text_has_no_marks_and_equals_a_plain_block() -> None:
    block = wrap("one two three", METRICS, 10, 42)
    assert block == TextBlock(("one two", "three"), 42.0, 25.0, 10.0)
    assert not block.is_rtl(0)


def test_the_cache_keeps_the_marks() -> None:
    cache = TextCache()
    first = cache.wrap("גיבוי נכשל", METRICS, 10, 600)
    assert cache.wrap("גיבוי נכשל", METRICS, 10, 600).rtl == first.rtl == (0,)
