"""Category colours shared by the canvas, the legend and every export.

Colours follow a category's position in the incident's list, so the same incident looks
the same in the app, in a PNG and in a DOT file. The palette is Okabe-Ito based: it stays
distinguishable for the common forms of colour blindness.
"""

from __future__ import annotations

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#8C6D31",  # brown
    "#7F7F7F",  # grey
    "#6A3D9A",  # purple
    "#B8A000",  # dark yellow
)

#: Colour of lines and text that belong to no category (spine, head).
INK = "#222222"


def category_color(categories: list[str], category: str | None) -> str:
    """The colour of ``category`` within the incident's ``categories`` (ink if unknown)."""
    if category is None or category not in categories:
        return INK
    return PALETTE[categories.index(category) % len(PALETTE)]
