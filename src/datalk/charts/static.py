"""Static figures for printed reports: matplotlib charts and geopandas maps.

Never imports widget libraries: a report kernel needs no widget machinery. SVG
output is made deterministic (fixed hash salt, no dates) so the same data gives
the same report, byte for byte.

Layout is computed, not searched: each figure measures its own labels with the
font's metrics and places its axes once (:func:`_place_axes`). ``tight_layout``
and ``bbox_inches="tight"`` would each draw the whole figure again to find the same
margins; with a report's 10 to 30 figures that was over a second of every report.
"""

from __future__ import annotations

import functools
import io

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, MaxNLocator

from datalk.charts import style
from datalk.sources.periods import period_key, period_label, sort_periods
from datalk.text import format_number
from datalk.topics.views import CompareView, PointsView, TrendView, plural

WIDTH_IN = 7.0  # fits an A4 page with 2 cm margins
POINT = 1 / 72  # inches
EDGE = 4 * POINT  # white border around every figure
TICK = 7 * POINT  # tick (3.5 pt) and the gap to its label (3.5 pt)
BARS_HEIGHT_IN = 4.0  # the bars of a ranking; with axis and title the figure stays under 120 mm

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


class CzechTicks(Formatter):
    """Tick labels in Czech number format (1 234,5) with the decimals of the tick step."""

    decimals = 0

    def set_locs(self, locs) -> None:
        self.decimals = style.step_decimals(locs)

    def __call__(self, value, pos=None) -> str:
        return format_number(value, self.decimals)


def to_svg(figure: Figure) -> str:
    """SVG text without a timestamp (reproducible reports)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "datalk"})
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


MEASURE_DPI = 288  # fine enough that hinting at small sizes does not shorten the widths


@functools.cache
def _measure():
    """A raster renderer used only for its text metrics (the SVG's text uses the same font)."""
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, MEASURE_DPI)


def text_width_in(texts, size: float) -> float:
    """Width of the widest line of ``texts`` in inches, at ``size`` points."""
    prop = FontProperties(family=style.FONT, size=size)
    widest = 0.0
    for text in texts:
        for line in str(text).split("\n"):
            width, _height, _descent = _measure().get_text_width_height_descent(line or " ", prop, ismath=False)
            widest = max(widest, width)
    return widest / MEASURE_DPI


def _line_height(size: float) -> float:
    return size * 1.2 * POINT


def _place_axes(figure: Figure, left: float, right: float, bottom: float, top: float) -> None:
    """Margins in inches around the axes (labels live there)."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)


def _tick_labels(axes, axis: str) -> list[str]:
    """The labels the axis will print (its locator and formatter, over the current limits)."""
    which = axes.yaxis if axis == "y" else axes.xaxis
    low, high = sorted(axes.get_ylim() if axis == "y" else axes.get_xlim())
    ticks = [t for t in which.get_majorticklocs() if low <= t <= high]
    return which.get_major_formatter().format_ticks(ticks)


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
    axes.yaxis.set_major_formatter(CzechTicks())
    axes.set_ylabel(view.indicator.unit or "")
    axes.grid(axis="y", color="#e3e3e3", linewidth=0.6)
    axes.legend(frameon=False, fontsize=8, ncols=2, loc="best")
    label_width = text_width_in(_tick_labels(axes, "y"), 9)
    unit_width = _line_height(9) + 4 * POINT if view.indicator.unit else 0.0
    last_label = text_width_in(labels[::step][-1:], 9)  # centred on the last period, may pass the axis end
    _place_axes(figure, left=EDGE + unit_width + label_width + TICK, right=EDGE + last_label / 2,
                bottom=EDGE + TICK + _line_height(9), top=EDGE + _line_height(9) / 2)
    return figure


def bar_figure(view: CompareView) -> Figure:
    """Ranking across territories, the selected one highlighted, values printed."""
    rows, truncated = style.limit_rows(view.rows)
    rows = rows.iloc[::-1]
    # a long ranking gets denser rows, not a taller figure: the page would shrink it to fit
    # (report.css caps figures at 120 mm in print) and with it every label
    pitch = min(0.22, BARS_HEIGHT_IN / len(rows))
    name_size, value_size = (8, 7) if pitch >= 0.18 else (7, 6.5)
    figure, axes = _figure(max(1.8, pitch * len(rows) + 0.6))
    colors = [style.SELECTED if s else style.BAR for s in rows.selected]
    values = rows.value.fillna(0)
    axes.barh(range(len(rows)), values, color=colors, height=0.72)
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels(rows["name"], fontsize=name_size)
    dec = view.indicator.decimals
    value_texts = [f" {'bez údaje' if missing else format_number(value, dec)}"
                   for value, missing in zip(values, rows.value.isna(), strict=True)]
    for y, (value, text) in enumerate(zip(values, value_texts, strict=True)):
        axes.text(value, y, text, va="center", fontsize=value_size, color=style.TEXT)
    axes.xaxis.set_major_locator(MaxNLocator(5))  # wide Czech-formatted numbers must not overlap
    axes.xaxis.set_major_formatter(CzechTicks())
    axes.set_xlabel(view.indicator.unit or "")
    axes.spines["left"].set_visible(False)
    axes.tick_params(axis="y", length=0)
    axes.set_xlim(min(0, values.min() * 1.1), values.max() * 1.02 if values.max() > 0 else 1)
    if truncated:
        axes.set_title(f"{len(rows)} z {len(view.rows)} {plural(view.level, view.language)}: nejvyšší a nejnižší hodnoty",
                       fontsize=8, loc="left", color="#555555")
    names_width = text_width_in(rows["name"], name_size)
    values_width = text_width_in(value_texts, value_size)  # the longest bar's label sits right of the axes
    unit_height = 4 * POINT + _line_height(9) if view.indicator.unit else 0.0
    _place_axes(figure, left=EDGE + names_width + 3.5 * POINT, right=EDGE + values_width,
                bottom=EDGE + TICK + _line_height(9) + unit_height,
                top=EDGE + (_line_height(8) + 6 * POINT if truncated else _line_height(8) / 2))
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
    title = _wrap(view.indicator.title.get(view.language))
    axes.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8,
                title=title, title_fontsize=8, alignment="left")
    _fit_map(figure, axes, _legend_size(title, [h.get_label() for h in handles]), max_height=4.6)
    return figure


def points_figure(view: PointsView, region_shape=None) -> Figure:
    figure, axes = _figure(4.2)
    if region_shape is not None:
        region_shape.plot(ax=axes, color="#f3f4f6", edgecolor="#9aa3ad", linewidth=0.5)
    view.frame.plot(ax=axes, color="#b00020", markersize=18, edgecolor="white", linewidth=0.6)
    axes.set_axis_off()
    axes.set_aspect(1 / 0.64)
    _fit_map(figure, axes, (0.0, 0.0), max_height=4.2)
    return figure


def _legend_size(title: str, labels: list[str]) -> tuple[float, float]:
    """Width and height (in) of a map legend at 8 pt: patch 2 em, gap 0.8 em, border 2 × 0.4 em, 0.5 em off the map."""
    em = 8 * POINT
    labels_width = text_width_in(labels, 8)
    title_width = text_width_in([title], 8)
    width = max(labels_width + 2.8 * em, title_width) + 1.3 * em
    height = (len(labels) * 1.7 + (title.count("\n") + 1) * 1.2 + 1.3) * em
    return width, height


def _fit_map(figure: Figure, axes, legend: tuple[float, float], max_height: float) -> None:
    """Size the figure to the map's true shape, legend on the right, no empty bands.

    The axes keep the WGS84 aspect set on them; the figure's height follows from the
    width left after the legend, capped at ``max_height`` (a tall map gets narrower and
    is centred with its legend).
    """
    legend_width, legend_height = legend
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    shape = abs(y1 - y0) * axes.get_aspect() / abs(x1 - x0)  # height per width on paper
    width = WIDTH_IN - 2 * EDGE - legend_width
    if width * shape > max_height:
        width = max_height / shape
    height = width * shape
    figure_height = max(height, legend_height) + 2 * EDGE
    figure.set_size_inches(WIDTH_IN, figure_height)
    vertical = (figure_height - height) / 2
    left = (WIDTH_IN - width - legend_width) / 2  # map and legend centred as one block
    _place_axes(figure, left=left, right=WIDTH_IN - left - width, bottom=vertical, top=vertical)


def _wrap(text: str, width: int = 28) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
