"""Static figures for printed reports: matplotlib charts and geopandas maps.

Never imports widget libraries: a report kernel needs no widget machinery. SVG
output is made deterministic (fixed hash salt, no dates) so the same data gives
the same report, byte for byte.
"""

from __future__ import annotations

import io

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from datalk.charts import style
from datalk.sources.periods import period_key, period_label, sort_periods
from datalk.text import format_number
from datalk.topics.views import CompareView, PointsView, TrendView, plural

WIDTH_IN = 7.0  # fits an A4 page with 2 cm margins

mpl.rcParams.update({
    "svg.hashsalt": "datalk",
    "svg.fonttype": "none",  # text stays text: searchable, selectable, crisp in PDF
    "font.family": style.FONT,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "axes.titlesize": 10,
})


def _formatter(decimals: int) -> FuncFormatter:
    return FuncFormatter(lambda value, _pos: format_number(value, decimals))


def to_svg(figure: Figure) -> str:
    """SVG text without a timestamp (reproducible reports)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "datalk"})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _figure(height_in: float):
    """A figure and its axes, outside pyplot.

    pyplot's figures carry an Agg canvas, and geopandas calls ``canvas.draw_idle()`` after
    every plot: a full raster drawing nobody sees (a quarter of a report's drawing time).
    A bare figure's canvas does not draw until the SVG is written; the SVG is the same.
    """
    figure = Figure(figsize=(WIDTH_IN, height_in))
    return figure, figure.add_subplot()


def line_figure(view: TrendView) -> Figure:
    """Time series: the territory bold, its kraj, ČR, other kraje faint."""
    figure, axes = _figure(3.2)
    periods = sort_periods(view.series["period"])
    position = {p: period_key(p) for p in periods}  # true time scale: 2018 → 2023 is a wider gap
    order = {"peer": 0, "stat": 2, "parent": 1, "selected": 3}
    for (role, _code), rows in sorted(view.series.groupby(["role", "geo_code"]), key=lambda g: order[g[0][0]]):
        rows = rows.assign(x=rows.period.map(position)).sort_values("x")
        color = {"selected": style.SELECTED, "parent": style.PARENT, "stat": style.STAT}.get(role, style.PEER)
        width = {"selected": 2.4, "parent": 1.6, "stat": 1.6}.get(role, 0.8)
        label = rows["name"].iloc[0] if role != "peer" else None
        axes.plot(rows.x, rows.value, color=color, linewidth=width, label=label,
                  linestyle="--" if role == "parent" else "-", marker="o" if len(periods) < 4 else None,
                  markersize=3, zorder=order[role] + 1)
    if any(view.series.role == "peer"):
        axes.plot([], [], color=style.PEER, linewidth=0.8, label="ostatní kraje" if view.language == "cs" else "other regions")
    labels = [period_label(p, view.language) for p in periods]
    longest = max((len(label) for label in labels), default=4)
    step = max(1, -(-len(periods) * longest // 70))  # about 70 characters fit under the axis
    ticks = [position[p] for p in periods][::step]
    axes.set_xticks(ticks)
    axes.set_xticklabels(labels[::step], rotation=0)
    axes.yaxis.set_major_formatter(_formatter(_axis_decimals(view.series.value, view.indicator.decimals)))
    axes.set_ylabel(view.indicator.unit or "")
    axes.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    axes.legend(frameon=False, fontsize=8, ncols=2, loc="best")
    figure.tight_layout()
    return figure


def bar_figure(view: CompareView) -> Figure:
    """Ranking across territories, the selected one highlighted, values printed."""
    rows, truncated = style.limit_rows(view.rows)
    rows = rows.iloc[::-1]
    height = max(1.8, 0.22 * len(rows) + 0.6)
    figure, axes = _figure(height)
    colors = [style.SELECTED if s else style.BAR for s in rows.selected]
    values = rows.value.fillna(0)
    axes.barh(range(len(rows)), values, color=colors, height=0.72)
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels(rows["name"], fontsize=8)
    dec = view.indicator.decimals
    for y, (value, missing) in enumerate(zip(values, rows.value.isna(), strict=True)):
        text = "bez údaje" if missing else format_number(value, dec)
        axes.text(value, y, f" {text}", va="center", fontsize=7, color=style.TEXT)
    axes.xaxis.set_major_locator(MaxNLocator(5))  # wide Czech-formatted numbers must not overlap
    axes.xaxis.set_major_formatter(_formatter(_axis_decimals(rows.value, view.indicator.decimals)))
    axes.set_xlabel(view.indicator.unit or "")
    axes.spines["left"].set_visible(False)
    axes.tick_params(axis="y", length=0)
    axes.set_xlim(min(0, values.min() * 1.1), values.max() * 1.15 if values.max() > 0 else 1)
    if truncated:
        axes.set_title(f"{len(rows)} z {len(view.rows)} {plural(view.level, view.language)}: nejvyšší a nejnižší hodnoty",
                       fontsize=8, loc="left", color="#555555")
    figure.tight_layout()
    return figure


def map_figure(view: CompareView, shapes, points: PointsView | None = None) -> Figure:
    """Choropleth of the compared territories with a class legend; selection outlined."""
    frame = shapes[["geo_code", "geometry"]].merge(view.rows, on="geo_code", how="inner")
    breaks = style.class_breaks(frame.value)
    frame["color"] = style.class_colors(frame.value, breaks)
    figure, axes = _figure(4.6)
    frame.plot(ax=axes, color=frame.color, edgecolor="white", linewidth=0.4)
    selected = frame[frame.selected]
    if not selected.empty:
        selected.boundary.plot(ax=axes, color=style.SELECTED, linewidth=2.0)
    if points is not None and len(points.frame):
        points.frame.plot(ax=axes, color="#b00020", markersize=14, marker="o", edgecolor="white", linewidth=0.5)
    axes.set_axis_off()
    axes.set_aspect(1 / 0.64)  # WGS84 at ~50° N: keep shapes true
    labels = style.legend_labels(breaks, view.indicator.decimals, view.indicator.unit, view.language)
    handles = [Patch(facecolor=c, edgecolor="#999999", label=label)
               for c, label in zip(style.palette_for(len(breaks) - 1), labels, strict=False)]
    if frame.value.isna().any():
        handles.append(Patch(facecolor=style.MISSING, edgecolor="#999999", label="bez údaje"))
    if len(frame) <= 20 and view.level != "kraj":  # few units: name them (okresy, ORP); kraje labels collide
        for row in frame.itertuples():
            point = row.geometry.representative_point()
            axes.annotate(row.name, (point.x, point.y), ha="center", va="center", fontsize=7, color=style.TEXT,
                          bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    axes.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8,
                title=_wrap(view.indicator.title.get(view.language)), title_fontsize=8, alignment="left")
    figure.tight_layout()
    return figure


def points_figure(view: PointsView, region_shape=None) -> Figure:
    figure, axes = _figure(4.2)
    if region_shape is not None:
        region_shape.plot(ax=axes, color="#f3f4f6", edgecolor="#9aa3ad", linewidth=0.5)
    view.frame.plot(ax=axes, color="#b00020", markersize=18, edgecolor="white", linewidth=0.6)
    axes.set_axis_off()
    axes.set_aspect(1 / 0.64)
    figure.tight_layout()
    return figure


def _wrap(text: str, width: int = 28) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _axis_decimals(values: pd.Series, decimals: int = 2) -> int:
    """Tick decimals: fewer for big numbers, never more than the indicator has."""
    valid = values.dropna()
    if valid.empty:
        return 0
    span = valid.abs().max()
    return min(decimals, 0 if span >= 100 else (1 if span >= 1 else 2))
