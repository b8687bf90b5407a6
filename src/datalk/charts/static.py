"""Static figures for printed reports: rankings, time series and maps as SVG.

Never imports widget or plotting libraries: a report kernel needs neither. Each figure
is written directly as SVG (:mod:`datalk.charts.svg`) in a few milliseconds, laid out
from the measured widths of its own labels (:mod:`datalk.charts.fontmetrics`): room for
the longest name left of a ranking, for the widest value right of it, for the legend
right of a map. The same data gives the same SVG, byte for byte (reproducible reports).

Sizes are in points (1/72 in). A figure is 7 in wide, which fits an A4 page with 2 cm
margins; ``report.css`` caps a printed figure at 120 mm, so none is taller.
"""

from __future__ import annotations

import math
import re
import textwrap

import numpy as np
import pandas as pd

from datalk.charts import style
from datalk.charts.fontmetrics import text_width, widest
from datalk.charts.svg import Drawing
from datalk.sources.periods import period_key, period_label, sort_periods
from datalk.text import format_number
from datalk.topics.views import CompareView, PointsView, TrendView, plural

WIDTH = 504.0  # 7 in
EDGE = 4.0  # white border around every figure
TICK = 3.5  # tick length, and the gap from a tick to its label
AXIS = "#888888"
GRID = "#e3e3e3"
NOTE = "#555555"
MAX_HEIGHT = 340.0  # pt, just under 120 mm: report.css prints a figure at most 120 mm tall, shrinking a taller one
BAR_PITCH = 15.84  # 0.22 in per row when there is room
LINE_HEIGHT = 1.2  # em
WGS84_ASPECT = 0.64  # cos(50° N): a degree of longitude is 0.64 of a degree of latitude on the ground
POINT_COLOR = "#b00020"
OUTLINE_UNIT = 10  # map outlines are written in tenths of a point
MAP_MAX_HEIGHT = 331.2  # 4.6 in: a choropleth with its legend
POINTS_MAX_HEIGHT = 302.4  # 4.2 in: places on the map of their kraj


def tick_labels(ticks) -> list[str]:
    """Czech tick labels with the decimals of the tick step: 0 4 8 12, not 0,0 4,0 8,0."""
    decimals = style.step_decimals(ticks)
    return [format_number(tick, decimals) for tick in ticks]


class Scale:
    """A linear map from data values to page coordinates."""

    def __init__(self, low: float, high: float, start: float, end: float):
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        span = self.high - self.low
        return self.start + (value - self.low) / span * (self.end - self.start) if span else (self.start + self.end) / 2


def _ticks_that_fit(low: float, high: float, length: float, size: float, count: int = 5) -> list[float]:
    """Round ticks whose labels do not touch along an axis of ``length`` points."""
    for tries in range(count, 0, -1):
        ticks = style.nice_ticks(low, high, tries)
        labels = tick_labels(ticks)
        if len(ticks) < 2 or (widest(labels, size) + size) * len(ticks) <= length:
            return ticks
    return ticks


def _padded(values, fraction: float = 0.05) -> tuple[float, float]:
    """The data range with a margin on both sides (no mark sits on the frame)."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    pad = (high - low) * fraction or abs(high) * fraction or 1.0
    return low - pad, high + pad


# --- rankings --------------------------------------------------------------------------------


def bar_figure(view: CompareView) -> Drawing:
    """Ranking across territories: highest first, the selected one highlighted, values printed."""
    rows, truncated = style.limit_rows(view.rows)
    values = rows.value.to_numpy(dtype=float)
    shown = np.nan_to_num(values)
    dec = view.indicator.decimals
    value_texts = [_no_data(view.language) if math.isnan(v) else format_number(v, dec) for v in values]
    unit = view.indicator.unit or ""
    title = _truncation_note(len(rows), len(view.rows), view.level, view.language) if truncated else ""
    top = EDGE + (8 * LINE_HEIGHT + 6 if title else 4)
    bottom = EDGE + 2 * TICK + 9 * LINE_HEIGHT + (4 + 9 * LINE_HEIGHT if unit else 0)
    # a long ranking gets denser rows, not a taller figure: the page would shrink it to fit
    # and with it every label
    pitch = min(BAR_PITCH, (MAX_HEIGHT - top - bottom) / len(rows))
    name_size, value_size = (8, 7) if pitch >= 0.18 * 72 else (7, 6.5)
    plot_height = pitch * len(rows)

    low, high = min(0.0, shown.min() * 1.1), max(shown.max() * 1.02, 0.0) or 1.0
    gap = text_width(" ", value_size)
    left = EDGE + widest(rows["name"], name_size) + TICK
    right = EDGE + widest(value_texts, value_size) + gap
    drawing = Drawing(WIDTH, top + plot_height + bottom)
    x = Scale(low, high, left, WIDTH - right)
    ticks = _ticks_that_fit(low, high, x.end - x.start, 9)

    if title:
        drawing.text(left, EDGE + 4, title, 8, color=NOTE)
    for row, (name, value, text) in enumerate(zip(rows["name"], shown, value_texts, strict=True)):
        middle = top + pitch * (row + 0.5)
        start, end = sorted((x(0.0), x(value)))
        color = style.SELECTED if rows["selected"].iloc[row] else style.BAR
        drawing.rect(start, middle - 0.36 * pitch, end - start, 0.72 * pitch, color)
        drawing.text(left - TICK, middle, str(name), name_size, anchor="end")
        # the value sits after the bar's end, or right of zero for a negative bar
        drawing.text(max(x(value), x(0.0)) + gap, middle, text, value_size)
    if low < 0:
        drawing.line(x(0.0), top, x(0.0), top + plot_height, AXIS, 0.6)
    _bottom_axis(drawing, x, ticks, top + plot_height, unit)
    return drawing


def _no_data(language: str) -> str:
    # datalk.app.i18n has the same words, but charts sit below app in the layers
    return "bez údaje" if language == "cs" else "no data"


def _truncation_note(shown: int, total: int, level: str, language: str) -> str:
    if language == "cs":
        return f"{shown} z {total} {plural(level, language)}: nejvyšší a nejnižší hodnoty"
    return f"{shown} of {total} {plural(level, language)}: highest and lowest values"


def _bottom_axis(drawing: Drawing, x: Scale, ticks: list[float], y: float, unit: str, labels=None) -> None:
    """Axis line, ticks, their labels and the unit under the plot."""
    drawing.line(x.start, y, x.end, y, AXIS, 0.8)
    for tick, label in zip(ticks, labels or tick_labels(ticks), strict=True):
        drawing.line(x(tick), y, x(tick), y + TICK, AXIS, 0.8)
        drawing.text(x(tick), y + 2 * TICK + 4.5, label, 9, anchor="middle")
    if unit:
        drawing.text((x.start + x.end) / 2, y + 2 * TICK + 9 * LINE_HEIGHT + 4 + 4.5, unit, 9, anchor="middle")


# --- time series -----------------------------------------------------------------------------

ROLE_ORDER = {"peer": 0, "parent": 1, "stat": 2, "selected": 3}
ROLE_STYLE = {  # colour, line width, dash
    "selected": (style.SELECTED, 2.4, None),
    "parent": (style.PARENT, 1.6, "5 3"),
    "stat": (style.STAT, 1.6, None),
    "peer": (style.PEER, 0.8, None),
}


def line_figure(view: TrendView) -> Drawing:
    """Time series: the territory bold, its kraj dashed, ČR dark, other kraje faint; legend on top."""
    periods = sort_periods(view.series["period"])
    position = {p: period_key(p) for p in periods}  # true time scale: 2018 → 2023 is a wider gap
    series = view.series.assign(x=view.series.period.map(position))
    legend = _legend_entries(series, view.language)
    unit = view.indicator.unit or ""

    labels = [period_label(p, view.language) for p in periods]
    longest = max((len(label) for label in labels), default=4)
    step = max(1, -(-len(periods) * longest // 70))  # about 70 characters fit under the axis
    x_ticks, x_labels = [position[p] for p in periods][::step], labels[::step]

    y_low, y_high = _padded(series.value)
    y_ticks = [t for t in style.nice_ticks(y_low, y_high, count=4) if y_low <= t <= y_high]
    y_labels = tick_labels(y_ticks)
    left = EDGE + (9 * LINE_HEIGHT + 4 if unit else 0) + widest(y_labels, 9) + 2 * TICK
    right = EDGE + max(text_width(x_labels[-1], 9) / 2, 4) if x_labels else EDGE
    drawing = Drawing(WIDTH, 230.4)  # 3.2 in
    legend_bottom = _draw_legend_row(drawing, legend, left, WIDTH - right)
    top = legend_bottom + 9 * LINE_HEIGHT / 2 + 4
    bottom = drawing.height - EDGE - 2 * TICK - 9 * LINE_HEIGHT
    x_low, x_high = _padded(list(position.values()) or [0.0])
    x = Scale(x_low, x_high, left, WIDTH - right)
    y = Scale(y_low, y_high, bottom, top)

    for tick, label in zip(y_ticks, y_labels, strict=True):
        drawing.line(x.start, y(tick), x.end, y(tick), GRID, 0.6)
        drawing.line(x.start - TICK, y(tick), x.start, y(tick), AXIS, 0.8)
        drawing.text(x.start - 2 * TICK, y(tick), label, 9, anchor="end")
    drawing.line(x.start, top, x.start, bottom, AXIS, 0.8)
    if unit:
        drawing.text(EDGE + 9 * LINE_HEIGHT / 2, (top + bottom) / 2, unit, 9, rotate=True)
    markers = len(periods) < 4
    for (role, _code), rows in sorted(series.groupby(["role", "geo_code"]), key=lambda g: ROLE_ORDER[g[0][0]]):
        color, width, dash = ROLE_STYLE.get(role, ROLE_STYLE["peer"])
        rows = rows.sort_values("x")
        for run in _unbroken_runs(rows):
            drawing.polyline([(x(px), y(py)) for px, py in run], color, width, dash)
            if markers:
                for px, py in run:
                    drawing.circle(x(px), y(py), 1.8, color)
    _bottom_axis(drawing, x, x_ticks, bottom, "", labels=x_labels)
    return drawing


def _unbroken_runs(rows: pd.DataFrame) -> list[list[tuple[float, float]]]:
    """Consecutive points with values: a missing year breaks the line instead of bridging it."""
    runs, run = [], []
    for px, py in zip(rows.x, rows.value, strict=True):
        if pd.isna(py) or pd.isna(px):
            runs, run = (runs + [run] if run else runs), []
        else:
            run.append((float(px), float(py)))
    return runs + [run] if run else runs


def _legend_entries(series: pd.DataFrame, language: str) -> list[tuple[str, str]]:
    """(label, role) for the named lines, then one entry for all other kraje."""
    entries = []
    for role in ("selected", "parent", "stat"):
        names = series.loc[series.role == role, "name"]
        if len(names):
            entries.append((str(names.iloc[0]), role))
    if (series.role == "peer").any():
        entries.append(("ostatní kraje" if language == "cs" else "other regions", "peer"))
    return entries


def _draw_legend_row(drawing: Drawing, entries, left: float, right: float) -> float:
    """Line samples with their labels left to right, wrapping; returns the legend's bottom."""
    size, sample, row_height = 8, 18.0, 8 * 1.6
    x, y = left, EDGE + row_height / 2
    for label, role in entries:
        width = sample + 4 + text_width(label, size)
        if x > left and x + width > right:
            x, y = left, y + row_height
        color, line_width, dash = ROLE_STYLE[role]
        drawing.polyline([(x, y), (x + sample, y)], color, line_width, dash)
        drawing.text(x + sample + 4, y, label, size)
        x += width + 12
    return y + row_height / 2 if entries else EDGE


# --- maps ------------------------------------------------------------------------------------


class MapFrame:
    """Page placement of a WGS84 map: its true shape, as wide as the room allows."""

    def __init__(self, bounds, width: float, max_height: float):
        self.min_x, self.min_y, self.max_x, self.max_y = bounds
        ground_width = max((self.max_x - self.min_x) * WGS84_ASPECT, 1e-9)
        shape = (self.max_y - self.min_y) / ground_width  # height per width on paper
        self.width = min(width, max_height / shape) if shape > 0 else width
        self.height = self.width * shape
        self.scale = self.width / ground_width
        self.left = self.top = 0.0

    def project(self, coords: np.ndarray) -> np.ndarray:
        x = self.left + (coords[:, 0] - self.min_x) * WGS84_ASPECT * self.scale
        y = self.top + (self.max_y - coords[:, 1]) * self.scale
        return np.column_stack([x, y])

    def path(self, geometry) -> str:
        """SVG path data of a (multi)polygon, holes included (drawn with the even-odd rule).

        In tenths of a point (:data:`OUTLINE_UNIT`): integers are short and quick to write,
        and a 500-obce map has ~30 000 vertices.
        """
        import shapely

        parts = []
        for polygon in shapely.get_parts(geometry):
            for ring in [polygon.exterior, *polygon.interiors]:
                points = np.rint(self.project(np.asarray(ring.coords)[:-1]) * OUTLINE_UNIT).astype(np.int64)
                parts.append("M" + " ".join(map(str, points.ravel().tolist())) + "Z")
        return "".join(parts)

    def outlines(self, drawing: Drawing, layer: Drawing) -> None:
        """Put ``layer`` (drawn with :meth:`path`, stroke widths × :data:`OUTLINE_UNIT`) on the map."""
        drawing.group(layer, transform=f"scale({1 / OUTLINE_UNIT})")


def map_figure(view: CompareView, shapes, points: PointsView | None = None) -> Drawing:
    """Choropleth of the compared territories with a class legend; the selection outlined."""
    frame = shapes[["geo_code", "geometry"]].merge(view.rows, on="geo_code", how="inner")
    breaks = style.class_breaks(frame.value)
    colors = style.class_colors(frame.value, breaks)
    labels = style.legend_labels(breaks, view.indicator.decimals, view.indicator.unit, view.language)
    legend = list(zip(style.palette_for(len(breaks) - 1), labels, strict=False))
    if frame.value.isna().any():
        legend.append((style.MISSING, _no_data(view.language)))
    title = _wrap(view.indicator.title.get(view.language))
    drawing, box = _map_canvas(_bounds(frame, points), _legend_size(title, legend), MAP_MAX_HEIGHT)

    layer = Drawing(drawing.width, drawing.height)
    for geometry, color in zip(frame.geometry, colors, strict=True):
        layer.path(box.path(geometry), fill=color, fill_rule="evenodd", stroke="white", stroke_width=0.4 * OUTLINE_UNIT)
    for geometry in frame.geometry[frame.selected.to_numpy(dtype=bool)]:
        layer.path(box.path(geometry), fill="none", stroke=style.SELECTED, stroke_width=2.0 * OUTLINE_UNIT,
                   stroke_linejoin="round")
    box.outlines(drawing, layer)
    if points is not None and len(points.frame):
        _draw_points(drawing, box, points.frame, radius=1.9)
    if len(frame) <= 20 and view.level != "kraj":  # few units: name them (okresy, ORP); kraje labels collide
        _draw_names(drawing, box, frame, colors)
    _draw_map_legend(drawing, box.left + box.width + 4, title, legend)
    return drawing


def _draw_names(drawing: Drawing, box: MapFrame, frame, fills: list[str]) -> None:
    """Each territory's name inside it: dark on a white halo, white on the dark classes."""
    inside = frame.geometry.representative_point()
    points = box.project(np.column_stack([inside.x, inside.y]))
    for name, (px, py), fill in zip(frame["name"], points, fills, strict=True):
        text, halo = ("white", style.TEXT) if _is_dark(fill) else (style.TEXT, "white")
        drawing.text(px, py, str(name), 7, anchor="middle", color=text, stroke=halo, stroke_width=2.2,
                     stroke_opacity=0.6, paint_order="stroke", stroke_linejoin="round")


def _is_dark(color: str) -> bool:
    """Relative luminance under 0.25 (WCAG's formula, sRGB): white text reads better on it."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] < 0.25


def _wrap(title: str, width: int = 28) -> list[str]:
    """Legend title lines; a number's groups stay together ("1 000 obyvatel", not "1" / "000")."""
    return textwrap.wrap(re.sub(r"(?<=\d) (?=\d{3}\b)", "\u00a0", title), width)


def points_figure(view: PointsView, region_shape=None) -> Drawing:
    """Places on the map of their kraj."""
    frame = region_shape if region_shape is not None and len(region_shape) else view.frame
    drawing, box = _map_canvas(tuple(frame.total_bounds), (0.0, 0.0), POINTS_MAX_HEIGHT)
    if region_shape is not None:
        layer = Drawing(drawing.width, drawing.height)
        for geometry in region_shape.geometry:
            layer.path(box.path(geometry), fill="#f3f4f6", fill_rule="evenodd", stroke="#9aa3ad",
                       stroke_width=0.5 * OUTLINE_UNIT)
        box.outlines(drawing, layer)
    _draw_points(drawing, box, view.frame, radius=3.0)
    return drawing


def _bounds(frame, points: PointsView | None) -> tuple[float, float, float, float]:
    bounds = frame.total_bounds
    if points is not None and len(points.frame):
        extra = points.frame.total_bounds
        bounds = [min(bounds[0], extra[0]), min(bounds[1], extra[1]), max(bounds[2], extra[2]), max(bounds[3], extra[3])]
    return tuple(float(b) for b in bounds)


def _map_canvas(bounds, legend: tuple[float, float], max_height: float) -> tuple[Drawing, MapFrame]:
    """A drawing sized to the map's true shape with the legend on its right, no empty bands.

    The map takes the width the legend leaves, capped at ``max_height``; a tall map gets
    narrower and is centred together with its legend.
    """
    legend_width, legend_height = legend
    box = MapFrame(bounds, WIDTH - 2 * EDGE - legend_width, max_height)
    height = max(box.height, legend_height) + 2 * EDGE
    box.left = (WIDTH - box.width - legend_width) / 2
    box.top = (height - box.height) / 2
    return Drawing(WIDTH, height), box


def _draw_points(drawing: Drawing, box: MapFrame, frame, radius: float) -> None:
    coords = box.project(np.column_stack([frame.geometry.x, frame.geometry.y]))
    for px, py in coords:
        drawing.circle(px, py, radius, POINT_COLOR, stroke="white", stroke_width=0.5)


LEGEND_SIZE = 8
LEGEND_PITCH = 1.5  # em per class
PATCH = (2.0, 1.0)  # em


def _legend_size(title: list[str], entries) -> tuple[float, float]:
    """Width and height of a map legend, its 4 pt gap to the map included."""
    em = LEGEND_SIZE
    width = max(PATCH[0] * em + 0.8 * em + widest([label for _c, label in entries], em), widest(title, em))
    height = (len(title) * LINE_HEIGHT + 0.5 + len(entries) * LEGEND_PITCH) * em
    return width + 4 + EDGE, height


def _draw_map_legend(drawing: Drawing, left: float, title: list[str], entries) -> None:
    em = LEGEND_SIZE
    _width, height = _legend_size(title, entries)
    y = (drawing.height - height) / 2 + em * LINE_HEIGHT / 2
    for line in title:
        drawing.text(left, y, line, em)
        y += em * LINE_HEIGHT
    y += 0.5 * em + (LEGEND_PITCH - LINE_HEIGHT) * em / 2
    for color, label in entries:
        drawing.rect(left, y - PATCH[1] * em / 2, PATCH[0] * em, PATCH[1] * em, color, stroke="#999999", stroke_width=0.5)
        drawing.text(left + (PATCH[0] + 0.8) * em, y, label, em)
        y += LEGEND_PITCH * em
