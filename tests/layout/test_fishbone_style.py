"""Which fishbone styles are accepted: the limits that keep a layout possible."""

from __future__ import annotations

import math

import pytest

from rca_desk.layout.fishbone import FishboneStyle


@pytest.mark.parametrize("angle", [5.0, 30.0, 62.0, 90.0])
def test_bone_angles_from_5_to_90_degrees_are_accepted(angle: float) -> None:
    assert FishboneStyle(bone_angle=angle).bone_angle == angle


@pytest.mark.parametrize("angle", [4.99, 0.0, -30.0, 90.01, 120.0])
def test_other_bone_angles_are_refused_with_the_range(angle: float) -> None:
    with pytest.raises(ValueError, match=r"^bone_angle must be between 5 and 90 degrees, not "):
        FishboneStyle(bone_angle=angle)


@pytest.mark.parametrize(
    "name",
    [
        "gap",
        "stack_gap",
        "leaf_bone",
        "empty_bone",
        "head_size",
        "depth2_size",
        "head_max_width",
        "deeper_max_width",
    ],
)
def test_spacings_that_keep_things_apart_and_text_sizes_are_at_least_one(name: str) -> None:
    assert getattr(FishboneStyle(**{name: 1.0}), name) == 1.0
    with pytest.raises(ValueError, match=rf"^{name} must be a finite size of at least 1, not 0.5$"):
        FishboneStyle(**{name: 0.5})


@pytest.mark.parametrize("name", ["bone_spacing", "min_rib", "spine_tail"])
def test_other_spacings_may_be_zero_but_not_negative(name: str) -> None:
    assert getattr(FishboneStyle(**{name: 0.0}), name) == 0.0
    with pytest.raises(ValueError, match=rf"^{name} must be a finite size of at least 0, not -1"):
        FishboneStyle(**{name: -1.0})


@pytest.mark.parametrize("value", [math.inf, math.nan])
def test_sizes_must_be_finite(value: float) -> None:
    with pytest.raises(ValueError, match="must be a finite size"):
        FishboneStyle(gap=value)


def test_sizes_and_widths_follow_depth() -> None:
    style = FishboneStyle()
    assert [style.size(d) for d in (0, 1, 2, 3, 7)] == [12.0, 12.0, 11.0, 10.0, 10.0]
    assert [style.max_width(d) for d in (0, 1, 2, 3, 7)] == [160.0, 160.0, 130.0, 120.0, 120.0]
