"""Tiny inline SVG bars that put a row's values side by side (decorative: the table has the numbers)."""

from __future__ import annotations

import html

#: Colour by role: the profiled territory, its okres, its kraj, ČR (the chart colours of the portal).
ROLE_COLORS = {"own": "#0b5cab", "okres": "#7aa6d6", "kraj": "#c05600", "stat": "#3c3c3c"}
BAR, GAP = 5.0, 1.5


#: Values further apart than this are not comparable as bars (totals of an obec next to ČR).
MAX_SPREAD = 20.0


def comparable(values: list[float | None]) -> bool:
    """At least two values of similar magnitude (rates, shares, averages – not totals)."""
    present = [abs(x) for x in values if x is not None]
    nonzero = [x for x in present if x > 0]
    if len(present) < 2:
        return False
    return not nonzero or max(nonzero) / min(nonzero) <= MAX_SPREAD


def minibars(values: list[float | None], colors: list[str]) -> str:
    """One horizontal bar per value, on a common scale from zero (negative values to the left).

    Empty when the values are not comparable (fewer than two, or totals of very different
    territories): the table shows the numbers anyway.
    """
    present = [x for x in values if x is not None]
    if not comparable(values):
        return ""
    low, high = min(0.0, min(present)), max(0.0, max(present))
    span = (high - low) or 1.0
    zero = -low / span * 100
    height = len(values) * (BAR + GAP)
    parts = []
    for i, (value, color) in enumerate(zip(values, colors, strict=False)):
        if value is None:
            continue
        x1, x2 = sorted((zero, zero + value / span * 100))
        width = max(x2 - x1, 0.6)
        parts.append(
            f"<rect x='{x1:.2f}' y='{i * (BAR + GAP):.2f}' width='{width:.2f}' height='{BAR}' fill='{color}'/>"
        )
    axis = (
        f"<line x1='{zero:.2f}' y1='0' x2='{zero:.2f}' y2='{height:.2f}' stroke='#888' stroke-width='0.4'/>"
        if low < 0
        else ""
    )
    return (
        f"<svg class='dl-minibars' aria-hidden='true' focusable='false' viewBox='0 0 100 {height:.1f}' "
        f"preserveAspectRatio='none' width='100%' height='{height * 1.1:.0f}'>{''.join(parts)}{axis}</svg>"
    )


def legend(names: list[str], colors: list[str], language: str = "cs") -> str:
    """'Pruhy: ■ Liberec ■ okres Liberec …' in the colours of the bars."""
    keys = "".join(
        f"<span class='dl-key'><svg width='10' height='10' aria-hidden='true'><rect width='10' height='10' fill='{color}'/></svg> "
        f"{html.escape(name)}</span> "
        for name, color in zip(names, colors, strict=False)
    )
    label = "Pruhy v tabulkách:" if language == "cs" else "Bars in the tables:"
    return f"{label} {keys}"
