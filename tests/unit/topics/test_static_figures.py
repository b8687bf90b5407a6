"""Printed figures on real mirror data, as Chromium (which prints the PDF) draws them.

The report figures are written as SVG and lay themselves out from the font's measured
label widths. These tests put every ranking, map and time series of two real topics on
one page in Chromium and check what a reader of the PDF would: every label lies on its
figure, no two labels of a ranking or a time series overprint each other, the map and
its legend fill the figure without empty bands, and a long ranking fits the 120 mm the
print stylesheet allows without being shrunk.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from datalk.app import open_topic
from datalk.charts import static
from datalk.charts.fontmetrics import measure_font, text_width

pytestmark = pytest.mark.usefixtures("with_warm_cache")
PRINT_MAX_PT = 120 / 25.4 * 72  # report.css: .dl-figure svg { max-height: 120mm } in print

# For each figure: how far (pt) its drawn elements reach past each edge, the pairs of
# overprinting labels, and the box of everything drawn.
MEASURE = """
svgs => svgs.map(svg => {
  const frame = svg.getBoundingClientRect();
  const scale = svg.viewBox.baseVal.width / frame.width;
  const boxes = [...svg.querySelectorAll('rect, path, polyline, line, circle, text')].map(el => {
    const r = el.getBoundingClientRect();
    return {tag: el.tagName, text: el.textContent, left: (r.left - frame.left) * scale, right: (r.right - frame.left) * scale,
            top: (r.top - frame.top) * scale, bottom: (r.bottom - frame.top) * scale};
  });
  const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
  const beyond = {left: 0, right: 0, top: 0, bottom: 0};
  for (const b of boxes) {
    beyond.left = Math.max(beyond.left, -b.left); beyond.top = Math.max(beyond.top, -b.top);
    beyond.right = Math.max(beyond.right, b.right - width); beyond.bottom = Math.max(beyond.bottom, b.bottom - height);
  }
  const texts = boxes.filter(b => b.tag === 'text');
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i], b = texts[j];
    const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (dx > 0.5 && dy > 1.5) overlaps.push([a.text, b.text]);
  }
  const drawn = {top: Math.min(...boxes.map(b => b.top)), bottom: Math.max(...boxes.map(b => b.bottom)),
                 left: Math.min(...boxes.map(b => b.left)), right: Math.max(...boxes.map(b => b.right))};
  return {id: svg.parentElement.id, width, height, beyond, overlaps, drawn};
})
"""


def _drawings(page, chart_id):
    chart = page.topic.chart(chart_id)
    for indicator_id in page.chart_indicators(chart, follow_selection=False):
        if chart.kind == "line":
            view = page.trend_view(indicator_id)
            if len(view.periods) >= 2:
                yield f"{chart_id}-{indicator_id}", static.line_figure(view)
        elif chart.kind == "bar":
            yield f"{chart_id}-{indicator_id}", static.bar_figure(page.compare_view(indicator_id, chart))
        else:
            view = page.compare_view(indicator_id, chart, need_geometry=True)
            yield f"{chart_id}-{indicator_id}", static.map_figure(view, page.data.boundaries(view.level))


@pytest.fixture(scope="module")
def figures():
    """Every ranking and map of transport (kraje, obce), every time series and ranking of health, a points map."""
    transport = open_topic("transport", territory="CZ051", mode="report")
    health = open_topic("health", territory="CZ051", mode="report")
    drawings = dict(_drawings(transport, "compare"))
    drawings |= dict(_drawings(transport, "map"))
    for chart_id in ("trend_life_expectancy", "trend_cancer", "trend_sickness", "compare", "map_cancer"):
        drawings |= {f"health-{k}": d for k, d in _drawings(health, chart_id)}
    safety = open_topic("safety", territory="CZ051", mode="report")  # fire stations on the map of the kraj
    region = safety.data.boundaries("kraj")
    stations = safety.points_view(safety.topic.chart("fire_stations"))
    drawings["map-points-fire_stations"] = static.points_figure(stations, region[region.geo_code == "CZ051"])
    return drawings


@pytest.fixture(scope="module")
def drawn(figures, browser):
    """What Chromium drew of each figure, at the printed size (pt = CSS pt)."""
    page = browser.new_page(viewport={"width": 800, "height": 1000})
    page.set_content("<body style='margin:0'>" + "".join(
        f"<div id='{name}' style='width:504pt'>{d.to_svg()}</div>" for name, d in figures.items()) + "</body>")
    page.wait_for_load_state()
    measured = {m["id"]: m for m in page.eval_on_selector_all("svg", MEASURE)}
    page.close()
    assert set(measured) == set(figures)
    return measured


def test_every_label_lies_on_its_figure(drawn):
    beyond = {name: {edge: round(pt, 1) for edge, pt in m["beyond"].items() if pt > 0.5} for name, m in drawn.items()}
    assert {name: edges for name, edges in beyond.items() if edges} == {}


def test_labels_of_rankings_and_time_series_never_overprint(drawn):
    charts = {name: m["overlaps"] for name, m in drawn.items() if "map" not in name}
    assert len(charts) >= 20
    assert {name: pairs for name, pairs in charts.items() if pairs} == {}


def test_maps_fill_their_figure_with_no_empty_bands(drawn):
    maps = {name: m for name, m in drawn.items() if "map" in name}
    assert len(maps) >= 13
    for name, m in maps.items():
        # the map or its legend reaches to the white border at the top and bottom
        assert m["drawn"]["top"] <= static.EDGE + 1.5, name
        assert m["height"] - m["drawn"]["bottom"] <= static.EDGE + 1.5, name
        # map and legend are one block, centred
        assert abs(m["drawn"]["left"] - (m["width"] - m["drawn"]["right"])) <= 2 * static.EDGE, name


def test_a_long_ranking_fits_the_printed_page_at_full_size(figures):
    longest = max((d for name, d in figures.items() if name.startswith("compare-")),
                  key=lambda d: sum("text-anchor=\"end\"" in e for e in d.elements))
    names = [e for e in longest.elements if 'text-anchor="end"' in e]
    assert len(names) == 30  # the region's 215 obce: the 15 highest and the 15 lowest
    assert longest.height <= PRINT_MAX_PT  # the stylesheet need not shrink it
    assert min(float(re.search(r'font-size="([\d.]+)"', e).group(1)) for e in longest.elements if e.startswith("<text")) >= 6.5
    assert min(float(re.search(r'font-size="([\d.]+)"', e).group(1)) for e in names) >= 7


def test_a_figure_is_valid_svg_and_the_same_data_gives_the_same_bytes(figures):
    page = open_topic("health", territory="CZ051", mode="report")
    first = static.line_figure(page.trend_view("cancer_mortality")).to_svg()
    assert first == static.line_figure(page.trend_view("cancer_mortality")).to_svg()
    for svg in [first] + [d.to_svg() for d in figures.values()]:
        root = ET.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.get("viewBox").startswith("0 0 504 ")


def test_the_stored_font_widths_are_those_of_the_font():
    """The width table is what the font file says (regenerate with ``python -m datalk.charts.fontmetrics``)."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    from datalk.charts.fontmetrics import _widths

    assert measure_font() == _widths()
    # a whole Czech label as matplotlib lays it out (kerning included): never wider than measured
    label = "Jablonec nad Nisou – 1 234,5 obyvatel, Žďár, Úštěk"
    laid_out = RendererAgg(1, 1, 72 * 4).get_text_width_height_descent(label, FontProperties(family="DejaVu Sans", size=9), False)[0] / 4
    assert laid_out <= text_width(label, 9) <= laid_out * 1.03
