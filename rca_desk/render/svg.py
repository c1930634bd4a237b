"""The diagram as SVG, written by hand from the same :class:`Diagram` the painter draws.

Hand-written rather than through QSvgGenerator so labels stay real ``<text>`` (searchable,
selectable, translatable), every user string is escaped once in one place, and the
``viewBox`` is exact. No Qt needed.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from rca_desk.layout.geometry import LABEL_PADDING, Bone, Label
from rca_desk.layout.palette import INK
from rca_desk.layout.text import FONT_FAMILY
from rca_desk.render.diagram import (
    Badge,
    Decor,
    Diagram,
    EvidenceMark,
    LegendEntry,
    badge,
    box_style,
    evidence_mark,
)
from rca_desk.render.pages import Fit, TextLine

ASCENT = 0.93  # DejaVu Sans ascent per em: where the first baseline sits
_WIDTHS = {"spine": 3.5, "category": 2.4}

# Characters XML 1.0 forbids even when escaped; a label may hold them after a paste.
_FORBIDDEN = {c: None for c in range(32) if c not in (9, 10, 13)} | {
    0xFFFE: None,
    0xFFFF: None,
    **dict.fromkeys(range(0xD800, 0xE000), 0xFFFD),  # lone surrogates cannot be encoded
}


def _text(value: str) -> str:
    return escape(value.translate(_FORBIDDEN))


def _attr(value: str) -> str:
    return quoteattr(value.translate(_FORBIDDEN))


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _label(label: Label, decor: Decor) -> list[str]:
    r = label.rect
    style = box_style(label, decor)
    stroke = (
        f'stroke="{style.stroke}" stroke-width="{_n(style.width)}"'
        if style.stroke
        else 'stroke="none"'
    )
    dash = ' stroke-dasharray="4 3"' if style.dashed else ""
    out = [
        f'<g class="{label.kind}" data-node={_attr(label.node)}>',
        f'<rect x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}" rx="3" '
        f'fill="{style.fill}" {stroke}{dash}/>',
    ]
    size = label.block.size
    line_height = label.block.height / max(1, len(label.block.lines))
    weight = ""  # regular weight: the layout measured the text that way
    italic = ' font-style="italic"' if style.italic else ""
    strike = ' text-decoration="line-through"' if style.strike else ""
    out.append(
        f'<text font-size="{_n(size)}" fill="{style.text}"{weight}{italic}{strike} '
        f'x="{_n(r.x + LABEL_PADDING)}" y="{_n(r.y + LABEL_PADDING)}">'
    )
    for i, line in enumerate(label.block.lines):
        baseline = r.y + LABEL_PADDING + i * line_height + (line_height - size) / 2 + ASCENT * size
        if label.block.is_rtl(i):
            # A right-to-left line starts at the right: with direction="rtl" the anchor
            # (text-anchor's initial "start") is the line's right end.
            out.append(
                f'<tspan x="{_n(r.right - LABEL_PADDING)}" y="{_n(baseline)}" direction="rtl" '
                f'unicode-bidi="embed">{_text(line)}</tspan>'
            )
        else:
            out.append(
                f'<tspan x="{_n(r.x + LABEL_PADDING)}" y="{_n(baseline)}">{_text(line)}</tspan>'
            )
    out.append("</text>")
    mark = evidence_mark(label, decor)
    if mark is not None:
        out.extend(_evidence(mark))
    pill = badge(label, decor)
    if pill is not None:
        out.append(_badge(pill))
    out.append("</g>")
    return out


def _evidence(mark: EvidenceMark) -> list[str]:
    """An evidence mark, as the painter draws it: ``class="evidence <kind>"``."""
    x, y, r = mark.cx, mark.cy, mark.r
    out = [
        f'<g class="evidence {mark.evidence.value}">',
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="white" stroke="{INK}" '
        f'stroke-width="{_n(mark.outline)}"/>',
    ]
    if mark.fill == "full":
        out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{INK}"/>')
    elif mark.fill == "half":  # the left half: top to bottom, anticlockwise
        out.append(
            f'<path d="M{_n(x)} {_n(y - r)}A{_n(r)} {_n(r)} 0 0 0 {_n(x)} {_n(y + r)}Z" '
            f'fill="{INK}"/>'
        )
    cross = mark.cross
    if cross is not None:
        d = "".join(f"M{_n(s.x1)} {_n(s.y1)}L{_n(s.x2)} {_n(s.y2)}" for s in cross)
        out.append(
            f'<path d="{d}" fill="none" stroke="{INK}" stroke-width="{_n(mark.cross_width)}"/>'
        )
    out.append("</g>")
    return out


def _line(bone: Bone, color: str) -> str:
    """A bone, rib, connector or link as a line of its kind's width and dash."""
    if bone.kind == "primary":
        color = "#8a8a8a"
    dash = ' stroke-dasharray="5 4"' if bone.kind == "contributes" else ""
    s = bone.segment
    return (
        f'<line class="{bone.kind}" data-owner={_attr(bone.owner)} '
        f'x1="{_n(s.x1)}" y1="{_n(s.y1)}" x2="{_n(s.x2)}" y2="{_n(s.y2)}" '
        f'stroke="{color}" stroke-width="{_WIDTHS.get(bone.kind, 1.3)}"{dash}/>'
    )


def _legend_entry(entry: LegendEntry, size: float) -> list[str]:
    """A legend entry: its sample (as the diagram's own marks are written) and words."""
    out = [f'<g class="legend {entry.kind}">']
    if entry.mark is not None:
        out.extend(_evidence(entry.mark))
    elif entry.pill is not None:
        out.append(_badge(entry.pill))
    elif entry.line is not None:
        out.append(_line(entry.line, INK))
    elif entry.kind != "note":  # a note is words alone
        sw = entry.swatch
        out.append(
            f'<rect x="{_n(sw.x)}" y="{_n(sw.y)}" width="{_n(sw.w)}" height="{_n(sw.h)}" '
            f'rx="2" fill="{entry.color}"/>'
        )
    x, y = entry.text_at
    out.append(
        f'<text x="{_n(x)}" y="{_n(y + size * 1.05)}" font-size="{_n(size)}" '
        f'fill="{INK}">{_text(entry.name)}</text></g>'
    )
    return out


def _badge(pill: Badge) -> str:
    """A badge, as the painter draws it: a pill with its number centred."""
    b = pill.rect
    return (
        f'<g class="badge"><rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" '
        f'height="{_n(b.h)}" rx="{_n(b.h / 2)}" fill="{pill.fill}"/>'
        f'<text x="{_n(b.x + b.w / 2)}" y="{_n(pill.baseline)}" font-size="{_n(pill.font_size)}" '
        f'font-weight="bold" fill="{pill.ink}" text-anchor="middle">{_text(pill.text)}</text></g>'
    )


def to_svg(
    diagram: Diagram,
    *,
    background: str | None = "white",
    page: Fit | None = None,
    title: list[TextLine] | None = None,
) -> str:
    """An SVG document of ``diagram`` sized in CSS pixels (1 scene unit = 1 px), or, with
    ``page``, a page of that size (``viewBox="0 0 W H"``) holding the diagram fitted."""
    b = diagram.bounds
    box = (b.x, b.y, b.w, b.h) if page is None else (0.0, 0.0, page.width, page.height)
    size = (
        f'width="{_n(box[2])}" height="{_n(box[3])}" '
        f'viewBox="{_n(box[0])} {_n(box[1])} {_n(box[2])} {_n(box[3])}"'
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} '
        f"font-family={_attr(FONT_FAMILY + ', sans-serif')}>",
        f"<title>{_text(diagram.title)} ({diagram.view.value})</title>",
    ]
    if background:
        parts.append(
            f'<rect x="{_n(box[0])}" y="{_n(box[1])}" width="{_n(box[2])}" height="{_n(box[3])}" '
            f'fill="{background}"/>'
        )
    if title:
        parts.append('<g class="title-block">')
        for line in title:
            anchor = ' text-anchor="end"' if line.right else ""
            weight = ' font-weight="bold"' if line.bold else ""
            parts.append(
                f'<text x="{_n(line.x)}" y="{_n(line.y)}" font-size="{_n(line.size)}"'
                f'{weight}{anchor} fill="{INK}">{_text(line.text)}</text>'
            )
        parts.append("</g>")
    if page is not None:
        parts.append(
            # The scale to 5 digits: a page keeping text at 16 px must say so in its numbers.
            f'<g class="page" transform="matrix({page.scale:.5f} 0 0 {page.scale:.5f} '
            f'{_n(page.dx)} {_n(page.dy)})">'
        )
    parts.append('<g class="bones" stroke-linecap="round">')
    for bone in diagram.bones:
        decor = diagram.decor.get(bone.owner)
        color = INK if bone.kind == "spine" or decor is None else decor.color
        parts.append(_line(bone, color))
    parts.append("</g>")
    for label in diagram.labels.values():
        parts.extend(_label(label, diagram.decor[label.node]))
    for entry in diagram.legend:
        parts.extend(_legend_entry(entry, diagram.legend_size))
    if page is not None:
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
