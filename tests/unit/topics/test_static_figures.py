"""Printed figures on real mirror data: nothing cut off, nothing shrunk on the A4 page.

The report figures place their axes from measured labels instead of matplotlib's
tight layout (which drew every figure twice more). These tests draw the figures and
check what a reader of the PDF would: every label lies on the figure, the map's legend
too, and a long ranking fits the 120 mm the print stylesheet allows without shrinking.
"""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from datalk.app import open_topic
from datalk.charts import static

pytestmark = pytest.mark.usefixtures("with_warm_cache")
PRINT_MAX_IN = 120 / 25.4  # report.css: .dl-figure svg { max-height: 120mm } in print


@pytest.fixture
def transport():
    return open_topic("transport", territory="CZ051", mode="report")


def _overflow(figure) -> dict[str, float]:
    """How far (in px) what is drawn reaches beyond each edge of the figure; empty when nothing does.

    matplotlib's own tight box of the figure: exactly the drawn artists (ticks outside the
    axis range and the labels of a hidden axis count as not drawn).
    """
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    drawn = figure.get_tightbbox(canvas.get_renderer()).transformed(figure.dpi_scale_trans)
    width, height = canvas.get_width_height()
    beyond = {"left": -drawn.x0, "bottom": -drawn.y0, "right": drawn.x1 - width, "top": drawn.y1 - height}
    return {edge: round(px, 1) for edge, px in beyond.items() if px > 1}


def _figures(page, chart_id, build):
    chart = page.topic.chart(chart_id)
    for indicator_id in page.chart_indicators(chart, follow_selection=False):
        yield indicator_id, build(page, chart, indicator_id)


def _bar(page, chart, indicator_id):
    return static.bar_figure(page.compare_view(indicator_id, chart))


def _map(page, chart, indicator_id):
    view = page.compare_view(indicator_id, chart, need_geometry=True)
    return static.map_figure(view, page.data.boundaries(view.level))


def test_every_label_of_the_rankings_is_on_the_figure(transport):
    for indicator_id, figure in _figures(transport, "compare", _bar):
        assert _overflow(figure) == {}, indicator_id


def test_a_long_ranking_fits_the_printed_page_at_full_size(transport):
    longest = max((f for _i, f in _figures(transport, "compare", _bar)),
                  key=lambda f: len(f.axes[0].get_yticklabels()))  # the region's obce: 30 of 215 shown
    names = longest.axes[0].get_yticklabels()
    assert len(names) == 30
    assert longest.get_size_inches()[1] <= PRINT_MAX_IN  # the stylesheet need not shrink it
    assert min(label.get_fontsize() for label in names) >= 7


def test_maps_keep_their_legend_on_the_figure_without_empty_bands(transport):
    for indicator_id, figure in _figures(transport, "map", _map):
        assert _overflow(figure) == {}, indicator_id
        axes = figure.axes[0]
        axes.apply_aspect()
        map_height = axes.get_position().height * figure.get_size_inches()[1]
        legend_height = axes.get_legend().get_window_extent(FigureCanvasAgg(figure).get_renderer()).height / figure.dpi
        assert figure.get_size_inches()[1] <= max(map_height, legend_height) + 0.2, indicator_id


def test_every_label_of_a_time_series_is_on_the_figure():
    page = open_topic("health", territory="CZ051", mode="report")
    chart = next(c for c in page.topic.charts if c.kind == "line")
    for indicator_id in page.chart_indicators(chart, follow_selection=False):
        view = page.trend_view(indicator_id)
        if len(view.periods) >= 2:
            assert _overflow(static.line_figure(view)) == {}, indicator_id
