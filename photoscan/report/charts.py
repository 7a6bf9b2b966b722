"""Inline SVG bar charts: drawn as text, so the report needs no image file and no network.

Every label is XML-escaped (file and place names are hostile input); sizes are fixed so the
same SVG renders identically in a browser and, rasterised by Qt, in the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 560
ROW = 26
LABEL_W = 220
PAD = 8


def bar_chart(title: str, rows: Sequence[tuple[str, int, str]], standalone: bool = False) -> str:
    """Horizontal bars: (label, value, CSS colour) per row; an empty chart says so.

    Inline in HTML5 an ``<svg>`` needs no namespace; ``standalone`` adds it for renderers that
    read the SVG as a document of its own (Qt, for the PDF).
    """
    ns = 'xmlns="http://www.w3.org/2000/svg" ' if standalone else ""
    height = PAD * 2 + 22 + ROW * max(1, len(rows))
    biggest = max((v for _, v, _ in rows), default=0) or 1
    bar_w = WIDTH - LABEL_W - 60
    out = [
        f'<svg {ns}width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="{PAD}" y="{PAD + 14}" font-family="sans-serif" font-size="14" '
        f'font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    if not rows:
        out.append(
            f'<text x="{PAD}" y="{PAD + 40}" font-family="sans-serif" font-size="12" '
            'fill="#555">Nothing to show</text>'
        )
    for i, (label, value, colour) in enumerate(rows):
        y = PAD + 22 + i * ROW
        w = 0 if value <= 0 else max(2, round(bar_w * value / biggest))
        out += [
            f'<text x="{LABEL_W - 6}" y="{y + 16}" text-anchor="end" font-family="sans-serif" '
            f'font-size="12" fill="#222">{escape(label[:40])}</text>',
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{w}" height="{ROW - 8}" rx="3" '
            f'fill="{escape(colour)}"/>',
            f'<text x="{LABEL_W + w + 6}" y="{y + 16}" font-family="sans-serif" font-size="12" '
            f'fill="#222">{value}</text>',
        ]
    out.append("</svg>")
    return "\n".join(out)
