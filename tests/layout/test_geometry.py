"""Rectangles and segments: the few sums every layout, renderer and shape check relies on.

Expectations are worked out by hand on small numbers.
"""

from __future__ import annotations

import pytest

from rca_desk.layout.geometry import (
    MARK_ABOVE,
    MARK_LEFT,
    MARK_RIGHT,
    Bone,
    Label,
    Rect,
    Segment,
    badge_zone,
    bounding,
    category_node,
    evidence_zone,
)
from rca_desk.layout.text import TextBlock


def test_a_rect_knows_its_edges_and_centre() -> None:
    r = Rect(10, 20, 30, 40)
    assert (r.right, r.bottom) == (40, 60)
    assert r.center == (25, 40)


def test_translating_a_rect_moves_its_corner_only() -> None:
    assert Rect(10, 20, 30, 40).translated(5, -7) == Rect(15, 13, 30, 40)


def test_adjusting_grows_or_shrinks_every_side() -> None:
    assert Rect(10, 20, 30, 40).adjusted(2) == Rect(8, 18, 34, 44)
    assert Rect(10, 20, 30, 40).adjusted(-3) == Rect(13, 23, 24, 34)


@pytest.mark.parametrize(
    ("other", "overlaps"),
    [
        (Rect(5, 5, 10, 10), True),  # the corner region
        (Rect(2, 2, 1, 1), True),  # inside
        (Rect(10, 0, 5, 10), False),  # touches the right edge
        (Rect(-5, 0, 5, 10), False),  # touches the left edge
        (Rect(0, 10, 10, 5), False),  # touches the bottom edge
        (Rect(0, -5, 10, 5), False),  # touches the top edge
        (Rect(9, 9, 5, 5), True),  # one unit into the bottom right corner
        (Rect(-4, -4, 5, 5), True),  # one unit into the top left corner
        (Rect(11, 0, 5, 10), False),  # beside it
        (Rect(0, 11, 10, 5), False),  # below it
    ],
)
def test_rects_intersect_only_when_their_interiors_overlap(other: Rect, overlaps: bool) -> None:
    r = Rect(0, 0, 10, 10)
    assert r.intersects(other) is overlaps
    assert other.intersects(r) is overlaps


def test_the_union_of_two_rects_holds_both() -> None:
    assert Rect(0, 0, 10, 10).united(Rect(5, -5, 20, 8)) == Rect(0, -5, 25, 15)
    assert Rect(5, -5, 20, 8).united(Rect(0, 0, 10, 10)) == Rect(0, -5, 25, 15)
    assert Rect(-3, 4, 1, 1).united(Rect(2, 1, 1, 2)) == Rect(-3, 1, 6, 4)


def test_bounding_holds_every_rect_and_is_empty_for_none() -> None:
    assert bounding([]) == Rect(0, 0, 0, 0)
    assert bounding([Rect(1, 2, 3, 4)]) == Rect(1, 2, 3, 4)
    assert bounding([Rect(0, 0, 10, 10), Rect(-5, 3, 2, 20), Rect(4, -1, 9, 1)]) == Rect(
        -5, -1, 18, 24
    )


def test_a_segment_moves_both_ends_and_knows_its_bounds() -> None:
    assert Segment(1, 2, 3, 4).translated(10, -1) == Segment(11, 1, 13, 3)
    assert Segment(5, 8, 1, 2).bounds() == Rect(1, 2, 4, 6)
    assert Segment(1, 2, 5, 8).bounds() == Rect(1, 2, 4, 6)
    assert Segment(3, 7, 3, 1).bounds() == Rect(3, 1, 0, 6)


BOX = Rect(0, 0, 10, 10)


@pytest.mark.parametrize(
    ("segment", "crosses"),
    [
        (Segment(-5, 5, 15, 5), True),  # straight through, left to right
        (Segment(15, 5, -5, 5), True),  # and right to left
        (Segment(5, -5, 5, 15), True),  # top to bottom
        (Segment(5, 15, 5, -5), True),  # bottom to top
        (Segment(-5, -5, 15, 15), True),  # corner to corner
        (Segment(2, 2, 8, 8), True),  # wholly inside
        (Segment(-5, 5, 5, 5), True),  # ends inside
        (Segment(5, 5, 15, 5), True),  # starts inside
        (Segment(-5, 0, 15, 0), False),  # along the top edge
        (Segment(-5, 10, 15, 10), False),  # along the bottom edge
        (Segment(0, -5, 0, 15), False),  # along the left edge
        (Segment(10, -5, 10, 15), False),  # along the right edge
        (Segment(-5, 5, 0, 5), False),  # ends on the left edge (a rib meeting its label)
        (Segment(15, 5, 10, 5), False),  # ends on the right edge
        (Segment(5, -5, 5, 0), False),  # ends on the top edge
        (Segment(5, 15, 5, 10), False),  # ends on the bottom edge
        (Segment(-5, 5, -1, 5), False),  # stops short, left
        (Segment(11, 5, 15, 5), False),  # starts past the right edge
        (Segment(5, -9, 5, -1), False),  # above
        (Segment(5, 11, 5, 19), False),  # below
        (Segment(-5, 30, 30, -5), False),  # diagonal passing beyond the corner
        (Segment(-5, 14, 14, -5), True),  # diagonal cutting the corner
        (Segment(-1, 11, 11, -1), True),  # diagonal through the middle
        (Segment(5, 5, 5, 5), True),  # a point inside
        (Segment(10, 10, 10, 10), False),  # a point on the corner
        (Segment(0, 10, 10, 0), True),  # the other diagonal, corner to corner
        (Segment(-10, 10, 10, -10), False),  # touches the top left corner only
        (Segment(9.99999, -5, 9.99999, 15), True),  # just inside the right edge
        (Segment(9.9999999, -5, 9.9999999, 15), False),  # within rounding of the edge
    ],
)
def test_a_segment_crosses_a_rect_only_through_its_interior(
    segment: Segment, crosses: bool
) -> None:
    assert segment.crosses(BOX) is crosses


def test_records_compare_by_value_and_stay_frozen() -> None:
    # The fast __init__ must set every field in declaration order, positionally or by name.
    assert Rect(1, 2, 3, 4) == Rect(x=1, y=2, w=3, h=4)
    assert (Rect(1, 2, 3, 4).x, Rect(1, 2, 3, 4).h) == (1, 4)
    assert Segment(x1=1, y1=2, x2=3, y2=4) == Segment(1, 2, 3, 4)
    block = TextBlock(("a",), 6.0, 12.0, 10.0)
    label = Label("c1", "cause", Rect(0, 0, 1, 1), block, 1, "Tools")
    assert (label.node, label.kind, label.depth, label.category) == ("c1", "cause", 1, "Tools")
    bone = Bone("c1", "rib", Segment(0, 0, 1, 1))
    assert (bone.owner, bone.kind, bone.segment) == ("c1", "rib", Segment(0, 0, 1, 1))
    with pytest.raises(AttributeError):
        Rect(1, 2, 3, 4).x = 5  # type: ignore[misc]
    assert hash(Rect(1, 2, 3, 4)) == hash(Rect(1, 2, 3, 4))


def test_category_titles_have_their_own_node_ids() -> None:
    assert category_node("Tools") == "category:Tools"


def test_crossing_works_wherever_the_rect_is() -> None:
    far = Rect(100, 200, 10, 10)
    assert Segment(95, 205, 115, 205).crosses(far)
    assert Segment(105, 195, 105, 215).crosses(far)
    assert not Segment(95, 195, 115, 195).crosses(far)
    assert not Segment(95, 211, 115, 211).crosses(far)
    assert not Segment(105, 180, 105, 200).crosses(far)  # ends on the top edge
    assert not Segment(105, 230, 105, 210).crosses(far)  # ends on the bottom edge


def test_a_cause_s_marks_sit_on_its_top_corners() -> None:
    box = Rect(10, 20, 30, 40)
    # The evidence mark: a circle of radius 4.5 on the top-left corner (10, 20).
    assert evidence_zone(box) == Rect(5.5, 15.5, 9, 9)
    # The badge: a 15 x 13 pill ending 3 past the right edge (40), centred on the top.
    assert badge_zone(box) == Rect(28, 13.5, 15, 13)


def test_the_marks_room_is_what_the_marks_take() -> None:
    """The layout reserves MARK_LEFT, MARK_ABOVE and MARK_RIGHT: exactly how far the
    marks stand out of the box, and nothing below it."""
    assert (MARK_LEFT, MARK_ABOVE, MARK_RIGHT) == (4.5, 6.5, 3.0)
    box = Rect(10, 20, 30, 40)
    zones = bounding([box, evidence_zone(box), badge_zone(box)])
    assert zones == Rect(10 - 4.5, 20 - 6.5, 30 + 4.5 + 3, 40 + 6.5)
