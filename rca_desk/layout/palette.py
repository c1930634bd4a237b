"""Category colours shared by the canvas, the legend and every export, and the text on them.

Colours follow a category's position in the incident's list, so the same incident looks
the same in the app, in a PNG and in a DOT file. The palette is Okabe-Ito based: it stays
distinguishable for the common forms of colour blindness. Text drawn on a colour takes
:func:`text_on` it, so it keeps a contrast of at least :data:`MIN_TEXT_CONTRAST` (WCAG AA).
No Qt here: the checks are plain arithmetic on ``#RRGGBB`` strings.
"""

from __future__ import annotations

import math

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#8C6D31",  # brown
    "#882255",  # wine (Paul Tol's muted scheme): a grey here would read as "ruled out"
    "#6A3D9A",  # purple
    "#B8A000",  # dark yellow
)

#: Colour of lines and text that belong to no category (spine, head).
INK = "#222222"
WHITE = "#FFFFFF"
#: The dark text on a light category colour: ink is not dark enough on the mid tones
#: (vermillion, bluish green), black always is.
BLACK = "#000000"
#: The text of a ruled-out cause (struck through): grey, yet readable on white (5.1:1)
#: and on a root cause's pink (4.8:1).
RULED_OUT = "#6E6E6E"
#: WCAG 2 level AA for normal text.
MIN_TEXT_CONTRAST = 4.5


def category_color(categories: list[str], category: str | None) -> str:
    """The colour of ``category`` within the incident's ``categories`` (ink if unknown)."""
    if category is None or category not in categories:
        return INK
    return PALETTE[categories.index(category) % len(PALETTE)]


def _rgb(color: str) -> tuple[int, int, int]:
    """``#RRGGBB`` (any case) as three 0-255 channels."""
    digits = color.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"not a #RRGGBB colour: {color!r}")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _linear(channel: int) -> float:
    """An sRGB channel (0-255) as linear light (0-1)."""
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``: 0 for black, 1 for white."""
    r, g, b = (_linear(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_on(fill: str) -> str:
    """White or black, whichever reads better on ``fill``.

    One of the two always reaches 4.58:1 (the worst case is a fill whose contrast with
    both is the same, sqrt(21)), so text on any fill meets :data:`MIN_TEXT_CONTRAST`.
    """
    return WHITE if contrast_ratio(fill, WHITE) >= contrast_ratio(fill, BLACK) else BLACK


def _lab(color: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of ``#RRGGBB``."""
    r, g, b = (_linear(c) for c in _rgb(color))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference: about 2.3 is just noticeable, over 20 is clearly another colour."""
    return math.dist(_lab(a), _lab(b))


def chroma(color: str) -> float:
    """How colourful ``color`` is (CIE L*a*b* chroma): 0 for any grey."""
    _, a, b = _lab(color)
    return math.hypot(a, b)
