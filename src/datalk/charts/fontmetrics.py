"""Text widths of the printed figures' font, without loading a font at run time.

The report's SVG figures lay themselves out from the widths of their labels (a ranking
needs room for its longest name). The advance widths of DejaVu Sans, the font the
figures ask for, are stored in ``dejavu_sans_widths.json`` (1/1000 em per character);
summing them is exact up to kerning, which only ever narrows a text, so a label
never gets less room than it takes. Characters outside the table count as a wide
letter (an "M"), again erring on the roomy side.

Regenerate the table (needs matplotlib, which ships the font):
``python -m datalk.charts.fontmetrics``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

TABLE = Path(__file__).with_name("dejavu_sans_widths.json")
# Basic Latin, Latin-1 and Latin Extended-A (all Czech letters) and the typography Czech texts use
CHARACTERS = (
    [chr(c) for c in range(0x20, 0x7F)] + [chr(c) for c in range(0xA0, 0x180)]
    + list("\u2009\u202f–—‘’‚“”„…•‰€−×≤≥²³")
)


@functools.cache
def _widths() -> dict[str, int]:
    return json.loads(TABLE.read_text(encoding="utf-8"))["widths"]


def text_width(text: str, size: float) -> float:
    """Width of one line of ``text`` at ``size`` points, in points."""
    widths = _widths()
    wide = widths["M"]
    return sum(widths.get(char, wide) for char in text) * size / 1000


def widest(texts, size: float) -> float:
    """Width in points of the widest line among ``texts`` (each may hold several lines)."""
    return max((text_width(line, size) for text in texts for line in str(text).split("\n")), default=0.0)


def measure_font(path: str | None = None) -> dict[str, int]:
    """Advance widths (1/1000 em) of :data:`CHARACTERS` read from the font file."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font, LoadFlags

    font = FT2Font(path or font_manager.findfont("DejaVu Sans"))
    font.set_size(1000, 72)  # 1 pt = 1 px, so the advance is in 1/1000 em
    widths = {}
    for char in CHARACTERS:
        glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
        widths[char] = round(glyph.linearHoriAdvance / 65536)
    return widths


if __name__ == "__main__":
    TABLE.write_text(json.dumps({"font": "DejaVu Sans", "unit": "1/1000 em", "widths": measure_font()},
                                ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {TABLE}")
