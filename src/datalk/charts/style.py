"""Colours, classes and labels shared by the static and the interactive renderers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from datalk.text import format_number

SELECTED = "#0b5cab"  # the chosen territory
PARENT = "#c05600"  # its kraj
STAT = "#3c3c3c"  # Czechia
PEER = "#b9c0c9"  # other territories
BAR = "#7aa6d6"
MISSING = "#e6e6e6"
#: Sequential palette (light → dark blue-green), readable in greyscale print, 5 classes.
SEQUENTIAL = ["#edf8fb", "#b2e2e2", "#66c2a4", "#2ca25f", "#006d2c"]
TEXT = "#1f2328"
FONT = "DejaVu Sans"


def step_decimals(ticks) -> int:
    """As many decimals as the step between round ticks has: 0, 20, 40, not 0,0, 20,0, 40,0."""
    ticks = sorted(float(t) for t in ticks)
    if len(ticks) < 2 or ticks[1] <= ticks[0]:
        return 0
    return max(0, -math.floor(math.log10(ticks[1] - ticks[0]) + 1e-9))


def nice_ticks(low: float, high: float, count: int = 3) -> list[float]:
    """About ``count`` (to twice as many) round tick values (1, 2 or 5 × 10ⁿ apart) in low…high.

    bqplot's ``num_ticks`` on a linear scale divides the domain evenly (0, 26.1, 52.1, 78.2);
    people read 0, 20, 40, 60 faster.
    """
    span = high - low
    if not np.isfinite(span) or span <= 0:
        return [low] if np.isfinite(low) else []
    raw = span / count / 1.5  # the smallest round step at or above this
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = np.ceil(low / step) * step
    return [round(float(v), 10) + 0.0 for v in np.arange(first, high + step * 1e-9, step)]


def class_breaks(values: pd.Series, classes: int = 5) -> list[float]:
    """Quantile class breaks rounded to 2 significant digits; fewer classes for few values."""
    valid = np.asarray(values.dropna(), dtype=float)
    if valid.size == 0:
        return []
    unique = np.unique(valid)
    classes = max(1, min(classes, unique.size))
    raw = np.quantile(valid, np.linspace(0, 1, classes + 1))
    breaks = sorted({_round_sig(b) for b in raw})
    if len(breaks) - 1 < min(3, classes):
        # many equal values (e.g. zero debt) collapse quantiles: use equal intervals instead
        breaks = sorted({_round_sig(b) for b in np.linspace(valid.min(), valid.max(), classes + 1)})
    breaks[0], breaks[-1] = min(breaks[0], float(valid.min())), max(breaks[-1], float(valid.max()))
    return breaks


def _round_sig(value: float, digits: int = 2) -> float:
    if value == 0 or not math.isfinite(value):
        return float(value)
    return round(value, -int(math.floor(math.log10(abs(value)))) + (digits - 1))


def class_colors(values: pd.Series, breaks: list[float]) -> list[str]:
    """Palette colour of each value's class; missing values get the grey 'bez údaje'."""
    palette = palette_for(len(breaks) - 1)
    colors = []
    for value in values:
        if pd.isna(value) or not breaks:
            colors.append(MISSING)
            continue
        index = int(np.searchsorted(breaks[1:-1], value, side="right"))
        colors.append(palette[min(index, len(palette) - 1)])
    return colors


def palette_for(classes: int) -> list[str]:
    if classes <= 1:
        return [SEQUENTIAL[3]]
    picks = np.linspace(0, len(SEQUENTIAL) - 1, classes).round().astype(int)
    return [SEQUENTIAL[i] for i in picks]


def legend_labels(breaks: list[float], decimals: int, unit: str, language: str = "cs") -> list[str]:
    """'1 000 – 2 500 Kč' per class, Czech formatted."""
    if len(breaks) < 2:
        return [format_number(breaks[0], decimals, unit)] if breaks else []
    return [f"{format_number(lo, decimals)} – {format_number(hi, decimals, unit)}"
            for lo, hi in zip(breaks[:-1], breaks[1:], strict=True)]


def limit_rows(rows: pd.DataFrame, limit: int = 30) -> tuple[pd.DataFrame, bool]:
    """Top and bottom halves of a long ranking (always keeping the selected row)."""
    if len(rows) <= limit:
        return rows, False
    half = limit // 2
    keep = rows.head(half).index.union(rows.dropna(subset=["value"]).tail(half).index)
    keep = keep.union(rows.index[rows["selected"]])
    return rows.loc[sorted(keep)], True
