"""A small SVG writer for the printed figures.

Report figures are a handful of bars, lines, polygons and labels. Writing them as SVG
directly takes milliseconds per figure; matplotlib took about 0.1 s for each (every
tick and label an artist, laid out and drawn), which made a 24-figure report wait
seconds for its pictures. Coordinates are in points (1/72 in) from the top left; the
text stays text (searchable, selectable, crisp in the PDF).
"""

from __future__ import annotations

from html import escape

from datalk.charts.style import TEXT

FONT_FAMILY = "'DejaVu Sans', Verdana, sans-serif"  # fontmetrics measures DejaVu Sans; Verdana is as wide
MIDDLE = 0.36  # baseline below a text's vertical middle, in em (half the cap height of DejaVu Sans)


def num(value: float) -> str:
    """A coordinate with at most 2 decimals and no trailing zeros (small, reproducible files)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attributes(**attributes) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = num(value)
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value))}"')
    return " ".join(parts)


class Drawing:
    """Elements in drawing order; :meth:`to_svg` writes the file."""

    def __init__(self, width: float, height: float):
        self.width = width
        self.height = height
        self.elements: list[str] = []

    def _add(self, tag: str, content: str | None = None, **attributes) -> None:
        attrs = _attributes(**attributes)
        self.elements.append(f"<{tag} {attrs}/>" if content is None else f"<{tag} {attrs}>{content}</{tag}>")

    def rect(self, x: float, y: float, width: float, height: float, fill: str, **attributes) -> None:
        self._add("rect", x=x, y=y, width=max(width, 0.0), height=max(height, 0.0), fill=fill, **attributes)

    def line(self, x1: float, y1: float, x2: float, y2: float, color: str, width: float = 1.0) -> None:
        self._add("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=color, stroke_width=width)

    def polyline(self, points, color: str, width: float, dash: str | None = None) -> None:
        self._add("polyline", points=" ".join(f"{num(x)},{num(y)}" for x, y in points), fill="none",
                  stroke=color, stroke_width=width, stroke_dasharray=dash, stroke_linejoin="round",
                  stroke_linecap="round")

    def circle(self, x: float, y: float, radius: float, fill: str, **attributes) -> None:
        self._add("circle", cx=x, cy=y, r=radius, fill=fill, **attributes)

    def path(self, d: str, **attributes) -> None:
        self._add("path", d=d, **attributes)

    def text(self, x: float, y: float, text: str, size: float, anchor: str = "start", color: str = TEXT,
             rotate: bool = False, **attributes) -> None:
        """One line of text whose vertical middle is at ``y`` (or, rotated, whose middle is at ``x``)."""
        if rotate:  # reads bottom to top, centred on (x, y)
            self._add("text", escape(text), x=0.0, y=size * MIDDLE, font_size=size, text_anchor="middle",
                      fill=color, transform=f"translate({num(x)} {num(y)}) rotate(-90)", **attributes)
            return
        self._add("text", escape(text), x=x, y=y + size * MIDDLE, font_size=size,
                  text_anchor=None if anchor == "start" else anchor, fill=color, **attributes)

    def group(self, drawing: Drawing, transform: str, **attributes) -> None:
        """Another drawing's elements inside ``<g>`` (a map's shapes in their own coordinates)."""
        self.elements.append(f"<g {_attributes(transform=transform, **attributes)}>{''.join(drawing.elements)}</g>")

    def to_svg(self) -> str:
        width, height = num(self.width), num(self.height)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
                f'viewBox="0 0 {width} {height}" font-family="{escape(FONT_FAMILY)}">'
                + "".join(self.elements) + "</svg>")
