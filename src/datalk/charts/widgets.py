"""Interactive renderers for the Voilà app: bqplot charts and ipyleaflet maps.

Each class owns one widget and an ``update(view)`` method, so controls change
what is shown without recreating widgets (fast, and the page does not jump).
"""

from __future__ import annotations

import html
import json
import math
import os

import bqplot as bq
import ipyleaflet as leaflet
import ipywidgets as w
import numpy as np
import pandas as pd

from datalk.charts import style
from datalk.sources.periods import period_label, sort_periods
from datalk.text import format_number
from datalk.topics.views import CompareView, PointsView, TrendView

LAYOUT = w.Layout(width="100%", height="340px")


def _tick_format(values: pd.Series) -> str:
    """d3 formats with thousands grouping ("180,000.5"): bqplot's d3 knows only the English
    locale, and datalk.js rewrites such text to the Czech "180 000,5" on Czech pages."""
    valid = values.dropna()
    span = valid.abs().max() if not valid.empty else 0
    return ",.0f" if span >= 100 else (",.1f" if span >= 1 else ",.2f")


def value_format(decimals: int) -> str:
    """d3 format of a value in a tooltip: the indicator's decimals, grouped (see _tick_format)."""
    return f",.{max(0, int(decimals))}f"


def _step_format(ticks: list[float]) -> str:
    """d3 format with as many decimals as the step between round ticks has."""
    return f",.{style.step_decimals(ticks)}f"


class LineChart:
    """Time series: selected territory, its kraj, ČR and faint peers."""

    def __init__(self, language: str = "cs"):
        self.language = language
        self.x = bq.OrdinalScale()
        self.y = bq.LinearScale()
        labels = ["území", "období", "hodnota"] if language == "cs" else ["territory", "period", "value"]
        # Peers (the other kraje) are a separate mark without legend: a legend entry per faint
        # grey line would only list empty names.
        self.peers = bq.Lines(
            x=[], y=[], scales={"x": self.x, "y": self.y}, stroke_width=1, display_legend=False,
            colors=[style.PEER], tooltip=bq.Tooltip(fields=["x", "y"], labels=labels[1:], formats=["", ",.1f"]),
        )
        self.lines = bq.Lines(
            x=[], y=[], scales={"x": self.x, "y": self.y}, stroke_width=2.5, display_legend=True,
            tooltip=bq.Tooltip(fields=["name", "x", "y"], labels=labels, formats=["", "", ",.1f"]),
            marker="circle", marker_size=24,
        )
        # at most ~4 period labels (bqplot thins an ordinal axis by num_ticks): more, such as
        # "2001–2002" × 8, overlap on a phone (330 px, seen in the pre-render's phone pictures)
        self.x_axis = bq.Axis(scale=self.x, label="", tick_style={"font-size": "12px"}, num_ticks=4)
        self.y_axis = bq.Axis(scale=self.y, orientation="vertical", tick_format=",.1f", label="",
                              grid_color="#e3e3e3", label_offset="50px", tick_style={"font-size": "12px"})
        # right margin: the last period label ("2022–2023") is centred on the last point
        self.figure = bq.Figure(marks=[self.peers, self.lines], axes=[self.x_axis, self.y_axis], layout=LAYOUT,
                                fig_margin={"top": 20, "bottom": 40, "left": 70, "right": 40},
                                legend_location="top-left", legend_style={"stroke-width": 0},
                                legend_text={"font-size": "13px"}, animation_duration=0)
        self.figure.layout.min_width = "280px"

    def update(self, view: TrendView) -> None:
        periods = sort_periods(view.series["period"])
        order = {"peer": 0, "stat": 1, "parent": 2, "selected": 3}
        groups = sorted(view.series.groupby(["role", "geo_code"]), key=lambda g: order[g[0][0]])
        ys, colors, labels, peer_ys = [], [], [], []
        for (role, _code), rows in groups:
            values = rows.set_index("period")["value"].reindex(periods).to_numpy(dtype=float)
            if role == "peer":
                peer_ys.append(values)
                continue
            ys.append(values)
            colors.append({"selected": style.SELECTED, "parent": style.PARENT, "stat": style.STAT}[role])
            labels.append(rows["name"].iloc[0])
        if not ys and not peer_ys:
            self.figure.layout.visibility = "hidden"
            return
        self.figure.layout.visibility = "visible"
        x = [period_label(p, self.language) for p in periods]
        domain = x
        if len(x) == 1:
            # bqplot squeezes a (lines × 1) array into one line: draw each territory as a marker
            # on a doubled point instead, so every territory keeps its colour and legend entry.
            x, ys, peer_ys = x * 2, [np.repeat(y, 2) for y in ys], [np.repeat(y, 2) for y in peer_ys]
        with self.lines.hold_sync(), self.peers.hold_sync():
            self.x.domain = domain
            self.peers.x = x
            self.peers.y = np.vstack(peer_ys) if peer_ys else []
            self.lines.x = x
            self.lines.y = (ys[0] if len(ys) == 1 else np.vstack(ys)) if ys else []
            self.lines.colors = colors or [style.SELECTED]
            self.lines.labels = labels
            self.lines.marker = "circle" if len(periods) < 6 else None
        values = view.series["value"].dropna()
        ticks = style.nice_ticks(float(values.min()), float(values.max()), count=4) if len(values) else []
        self.y_axis.tick_values = np.array(ticks) if len(ticks) > 1 else None
        self.y_axis.tick_format = _step_format(ticks) if len(ticks) > 1 else _tick_format(view.series.value)
        self.y_axis.label = view.indicator.unit
        value = value_format(view.indicator.decimals)
        self.peers.tooltip.formats = ["", value]
        self.lines.tooltip.formats = ["", "", value]


class BarChart:
    """Ranking of territories as horizontal bars, the selected one highlighted."""

    def __init__(self, language: str = "cs"):
        self.language = language
        # Data go in bottom-to-top order (largest last = at the top). A reversed scale kept its
        # old order after the set of territories changed, drawing the ranking upside down.
        self.x = bq.OrdinalScale()
        self.y = bq.LinearScale(min=0)
        self.bars = bq.Bars(
            x=[], y=[], scales={"x": self.x, "y": self.y}, orientation="horizontal", color_mode="no_group",
            padding=0.2, tooltip=bq.Tooltip(fields=["x", "y"], labels=["území", "hodnota"], formats=["", ",.2f"]),
        )
        self.y_axis = bq.Axis(scale=self.x, orientation="vertical", tick_style={"font-size": "11px"})
        # round value ticks set in update(): the bars get ~140 px on a phone, where d3's default
        # ten labels overlap
        self.x_axis = bq.Axis(scale=self.y, tick_format=",.0f", grid_color="#e3e3e3")
        self.figure = bq.Figure(marks=[self.bars], axes=[self.y_axis, self.x_axis],
                                fig_margin={"top": 10, "bottom": 40, "left": 170, "right": 20},
                                layout=w.Layout(width="100%", height="360px"), animation_duration=0)

    def update(self, view: CompareView) -> None:
        rows, _ = style.limit_rows(view.rows, limit=40)
        rows = rows.dropna(subset=["value"])
        height = max(220, 18 * len(rows) + 60)
        bottom_up = rows.iloc[::-1]
        with self.bars.hold_sync():
            self.x.domain = bottom_up["name"].tolist()
            self.bars.x = bottom_up["name"].tolist()
            self.bars.y = bottom_up["value"].to_numpy(dtype=float)
            self.bars.colors = [style.SELECTED if s else style.BAR for s in bottom_up["selected"]]
            self.y.min = float(min(0.0, rows["value"].min())) if len(rows) else 0.0
        ticks = style.nice_ticks(min(0.0, float(rows["value"].min())), float(rows["value"].max())) if len(rows) else []
        self.x_axis.tick_values = np.array(ticks) if ticks else None
        self.x_axis.tick_format = _step_format(ticks) if len(ticks) > 1 else _tick_format(rows["value"])
        self.x_axis.label = view.indicator.unit
        self.bars.tooltip.formats = ["", value_format(view.indicator.decimals)]
        self.figure.layout.height = f"{height}px"


class ChoroplethMap:
    """Territories coloured by class with legend, hover info and click-to-select.

    Draws without tiles by default (``Map(layers=())``); set ``DATALK_BASEMAP`` to a
    tile URL template to add a base map where the internet is reachable.
    """

    def __init__(self, on_select=None, language: str = "cs"):
        self.language = language
        self.on_select = on_select
        basemap = os.environ.get("DATALK_BASEMAP")
        layers = (leaflet.TileLayer(url=basemap, attribution="© přispěvatelé OpenStreetMap"),) if basemap else ()
        self.map = leaflet.Map(layers=layers, center=(50.75, 15.05), zoom=9, scroll_wheel_zoom=False,
                               attribution_control=bool(basemap), layout=w.Layout(width="100%", height="420px"))
        self.map.layout.min_width = "280px"
        self.layer = leaflet.GeoJSON(data={"type": "FeatureCollection", "features": []},
                                     style_callback=self._style, hover_style={"weight": 3, "color": "#222"})
        self.points = leaflet.LayerGroup()
        self.map.add(self.layer)
        self.map.add(self.points)
        self.info = w.HTML(value="")
        self.legend = w.HTML(value="")
        self.map.add(leaflet.WidgetControl(widget=self.info, position="topright"))
        self.map.add(leaflet.WidgetControl(widget=self.legend, position="bottomleft"))
        self.layer.on_hover(self._hover)
        self.layer.on_click(self._click)

    @staticmethod
    def _style(feature):
        props = feature["properties"]
        return {"fillColor": props["color"], "fillOpacity": 0.85, "color": "#ffffff",
                "weight": 3 if props.get("selected") else 0.8, "opacity": 1}

    def update(self, view: CompareView, shapes) -> None:
        frame = shapes[["geo_code", "geometry"]].merge(view.rows, on="geo_code", how="inner")
        breaks = style.class_breaks(frame["value"])
        frame["color"] = style.class_colors(frame["value"], breaks)
        frame.loc[frame["selected"], "color"] = frame.loc[frame["selected"], "color"]
        dec, unit = view.indicator.decimals, view.indicator.unit
        frame["text"] = [format_number(v, dec, unit) if pd.notna(v) else "bez údaje" for v in frame["value"]]
        geojson = json.loads(frame[["geo_code", "name", "text", "color", "selected", "geometry"]].to_json())
        self.layer.data = geojson
        self.frame_bounds(frame.total_bounds)
        self.legend.value = self._legend_html(breaks, dec, unit, view, frame["value"].isna().any())
        self.info.value = f"<div class='dl-map-info'>{html.escape(view.indicator.title.get(self.language))}</div>"

    def frame_bounds(self, bounds, width_px: int = 640, height_px: int = 400) -> None:
        """Centre and zoom on bounds synchronously (``fit_bounds`` waits for a browser)."""
        minx, miny, maxx, maxy = (float(b) for b in bounds)
        self.map.center = ((miny + maxy) / 2, (minx + maxx) / 2)
        lon_zoom = math.log2(360 * width_px / 256 / max(maxx - minx, 1e-6))
        lat_span = max((maxy - miny) / math.cos(math.radians((miny + maxy) / 2)), 1e-6)
        lat_zoom = math.log2(180 * height_px / 256 / lat_span)
        self.map.zoom = max(5, min(13, math.floor(min(lon_zoom, lat_zoom))))

    def show_points(self, points: PointsView | None) -> None:
        self.points.clear()
        if points is None:
            return
        for row in points.frame.itertuples():
            marker = leaflet.CircleMarker(location=(row.geometry.y, row.geometry.x), radius=6, color="#ffffff",
                                          fill_color="#b00020", fill_opacity=0.9, weight=1)
            marker.popup = w.HTML(value=f"<b>{html.escape(str(getattr(row, points.label)))}</b>")
            self.points.add(marker)

    def _legend_html(self, breaks, decimals, unit, view, has_missing) -> str:
        labels = style.legend_labels(breaks, decimals, unit, self.language)
        items = "".join(
            f"<li><span class='dl-swatch' style='background:{c}'></span>{html.escape(label)}</li>"
            for c, label in zip(style.palette_for(len(breaks) - 1), labels, strict=False))
        if has_missing:
            items += f"<li><span class='dl-swatch' style='background:{style.MISSING}'></span>bez údaje</li>"
        title = html.escape(view.indicator.title.get(self.language))
        return f"<div class='dl-legend'><div class='dl-legend-title'>{title}</div><ul>{items}</ul></div>"

    def _hover(self, feature=None, properties=None, **_):
        if properties:
            self.info.value = (f"<div class='dl-map-info'><b>{html.escape(properties['name'])}</b><br>"
                               f"{html.escape(properties['text'])}</div>")

    def _click(self, feature=None, properties=None, **_):
        if properties and self.on_select:
            self.on_select(properties["geo_code"])
