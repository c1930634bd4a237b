"""Measuring and wrapping label text, without Qt.

Layouts ask a :class:`TextMetrics` how wide a line is; the Qt renderer passes one backed by
``QFontMetricsF`` (see ``rca_desk.render.metrics``), tests and headless code may use
:class:`ApproxMetrics`. Wrapping itself lives here, in plain Python, so the layout and its
property tests see exactly the lines the renderer will draw.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from rca_desk.model.text import is_rtl

#: The one font family both Qt and Graphviz are told to use, so they measure alike.
FONT_FAMILY = "DejaVu Sans"


class TextMetrics(Protocol):
    """Measures single lines of text at a font size given in pixels."""

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` (one line, no newlines) at ``size`` px."""
        ...

    def line_height(self, size: float) -> float:
        """Distance from one baseline to the next at ``size`` px."""
        ...


class ApproxMetrics:
    """A deterministic stand-in for a real font: 0.6 em per narrow character, 1 em per wide.

    Good enough for headless layout and for property tests, which must not depend on which
    fonts a machine has. East Asian wide and full-width characters count double.
    """

    def width(self, text: str, size: float) -> float:
        return _units(text) * 0.6 * size

    def line_height(self, size: float) -> float:
        return 1.25 * size


@lru_cache(maxsize=65536)
def _units(text: str) -> float:
    total = 0.0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 1.0 / 0.6 if unicodedata.east_asian_width(ch) in "WF" else 1.0
    return total


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Wrapped lines of a label and the size they take.

    ``rtl`` holds the indices of the lines that belong to a right-to-left paragraph (its
    first strong character is Hebrew, Arabic ...): renderers draw those right-aligned and
    shaped right to left, continuation lines included, whatever they start with.
    """

    lines: tuple[str, ...]
    width: float
    height: float
    size: float
    rtl: tuple[int, ...] = ()

    def is_rtl(self, line: int) -> bool:
        """Whether line ``line`` reads right to left."""
        return line in self.rtl


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _tokens(paragraph: str) -> list[str]:
    """Split into pieces a line may break between: words, and each wide character alone."""
    tokens: list[str] = []
    word = ""
    for ch in paragraph:
        if ch == " ":
            if word:
                tokens.append(word)
            word = ""
            tokens.append(" ")
        elif _is_wide(ch):
            if word:
                tokens.append(word)
            word = ""
            tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, metrics: TextMetrics, size: float, max_width: float) -> TextBlock:
    """Wrap ``text`` to lines no wider than ``max_width`` (explicit newlines kept).

    Words longer than a line are broken between characters, so the result's width never
    exceeds ``max_width`` unless a single character does.

    Widths of words add up (a line is as wide as its words and spaces), which needs one
    measurement per word instead of one per growing prefix. Kerning or shaping can make a
    real line a little wider than the sum, so every finished line is measured exactly; if
    one is too wide, the text is wrapped again the slow, exact way.
    """
    lines, rtl = _wrap_lines(
        text, lambda piece: metrics.width(piece, size), max_width, additive=True
    )
    widths = [metrics.width(line, size) for line in lines]
    if max(widths) > max_width and any(
        w > max_width and len(line) > 1 for w, line in zip(widths, lines, strict=True)
    ):
        lines, rtl = _wrap_lines(
            text, lambda piece: metrics.width(piece, size), max_width, additive=False
        )
        widths = [metrics.width(line, size) for line in lines]
    return TextBlock(
        tuple(lines), max(widths), metrics.line_height(size) * len(lines), size, tuple(rtl)
    )


def _wrap_lines(
    text: str, measure: Callable[[str], float], max_width: float, *, additive: bool
) -> tuple[list[str], list[int]]:
    """Greedy line filling. ``additive`` estimates a line as the sum of its pieces.

    Returns the lines and the indices of those in a right-to-left paragraph. Lines are cut
    in stored (logical) order, which is right for both directions: each line is reordered
    for display on its own.
    """
    known: dict[str, float] = {}

    def width_of(piece: str) -> float:
        w = known.get(piece)
        if w is None:
            w = known[piece] = measure(piece)
        return w

    lines: list[str] = []
    rtl: list[int] = []
    for paragraph in text.split("\n"):
        paragraph = " ".join(paragraph.split())  # tabs and runs of spaces become one space
        first = len(lines)
        line, line_w, space_w = "", 0.0, 0.0  # space_w: a trailing space not yet counted
        for token in _tokens(paragraph):
            if token == " ":
                if line:
                    space_w = width_of(" ")
                    line += " "
                continue
            body = line.rstrip()
            candidate_w = line_w + space_w + width_of(token) if additive else measure(line + token)
            if candidate_w <= max_width:
                line, line_w, space_w = line + token, candidate_w, 0.0
                continue
            if body:
                lines.append(body)
            line, line_w, space_w = "", 0.0, 0.0
            if width_of(token) <= max_width:
                line, line_w = token, width_of(token)
                continue
            # The token alone is too wide: break it between characters.
            for ch in token:
                ch_w = width_of(ch) if additive else measure(line + ch) - line_w
                if line and line_w + ch_w > max_width:
                    lines.append(line)
                    line, line_w = "", 0.0
                    ch_w = width_of(ch)
                line += ch
                line_w += ch_w
        lines.append(line.rstrip())
        if is_rtl(paragraph):
            rtl.extend(range(first, len(lines)))
    return lines, rtl


#: The most characters of a label a diagram shows; longer text ends in "…" there (the
#: inspector, tooltips and reports show it whole). A cause statement is a sentence or two.
DIAGRAM_TEXT_LIMIT = 240
#: The tallest a wrapped label may be for its width ("about 1.5:1 tall-to-wide"): a longer
#: text gets a wider wrap instead of becoming a tower.
MAX_TALL_RATIO = 1.5


def shortened(text: str, limit: int = DIAGRAM_TEXT_LIMIT) -> str:
    """``text`` cut to at most ``limit`` characters plus "…", at a word end when there is
    one in the last two-fifths."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" \n,;:.-") + "…"


def label_block(
    text: str,
    metrics: TextMetrics,
    size: float,
    max_width: float,
    tall_ratio: float | None = MAX_TALL_RATIO,
) -> TextBlock:
    """A diagram label: :func:`shortened`, wrapped at ``max_width`` or, for a label that
    would stand taller than ``tall_ratio`` times its width, at the narrowest width that
    keeps it about that shape (``None``: never wider than ``max_width``, for a layout
    whose columns have a fixed width).

    The wider wrap is estimated from the block's area (width times height stays about the
    same as the wrap width changes) and checked, a few times at most; lines the text
    breaks itself (newlines) cannot be widened away.
    """
    text = shortened(text)
    block = wrap(text, metrics, size, max_width)
    width = max_width
    for _ in range(6 if tall_ratio is not None else 0):
        assert tall_ratio is not None
        if block.height <= tall_ratio * block.width:
            break
        width = max(width * 1.25, math.sqrt(block.width * block.height / tall_ratio))
        wider = wrap(text, metrics, size, width)
        if wider.height < block.height:
            block = wider
    return block


class TextCache:
    """Wrapped labels keyed by text, size and width, so a relayout re-wraps only what changed.

    Wrapping (many width measurements per label) is most of a layout's cost; after an edit
    all labels but one are unchanged. One cache belongs to one metrics object: measuring
    with another font through the same cache would return stale blocks.
    """

    def __init__(self, max_entries: int = 50_000) -> None:
        self._blocks: dict[tuple[str, float, float, float | None], TextBlock] = {}
        self._max = max_entries

    def wrap(
        self,
        text: str,
        metrics: TextMetrics,
        size: float,
        max_width: float,
        tall_ratio: float | None = MAX_TALL_RATIO,
    ) -> TextBlock:
        """The diagram label for ``text`` (see :func:`label_block`), wrapped once."""
        key = (text, size, max_width, tall_ratio)
        block = self._blocks.get(key)
        if block is None:
            if len(self._blocks) >= self._max:
                self._blocks.clear()
            block = label_block(text, metrics, size, max_width, tall_ratio)
            self._blocks[key] = block
        return block

    def __len__(self) -> int:
        return len(self._blocks)
