"""Report mode (Papermill): static HTML sections with SVG figures, no widgets needed."""

from __future__ import annotations

import html
import logging

from IPython.display import HTML, display

from datalk.app import fragments as f
from datalk.app.base import BasePage
from datalk.app.i18n import t
from datalk.charts import static
from datalk.sources.periods import period_label
from datalk.text import format_change, format_number
from datalk.topics import Unavailable
from datalk.topics import views as v
from datalk.topics.spec import ChartSpec

log = logging.getLogger(__name__)


class ReportPage(BasePage):
    """Every call displays one finished HTML block; charts cover all indicators."""

    def _show(self, markup: str) -> None:
        display(HTML(markup))

    def header(self) -> None:
        lang = self.language
        period = f" · {period_label(self.state.period, lang)}" if self.state.period else ""
        self._show(
            f"<header class='dl-report-header'><p class='dl-kicker'>{html.escape(self.territory_name)}{period}</p>"
            f"<h1>{html.escape(self.title())}</h1>"
            f"<p class='dl-summary'>{html.escape(self.topic.summary.get(lang))}</p></header>"
            + f.messages(self.state.messages)
            + f.paragraph_text(self.topic.texts.intro.get(lang))
        )

    def chart(self, chart_id: str) -> None:
        chart = self.topic.chart(chart_id)
        if not chart.report:
            return
        handler = {"line": self._line, "bar": self._bar, "choropleth": self._map, "kpi": self._kpis,
                   "table": self._table, "points": self._points, "list": self._list}[chart.kind]
        handler(chart)

    # alias for notebooks that read better with "map"
    map = chart

    def _section(self, chart: ChartSpec, indicator_id: str | None, build) -> None:
        """One figure with heading, caption and source line; missing data → a notice."""
        title = self.chart_title(chart, indicator_id)
        try:
            body = build()
        except Unavailable as exc:
            spec = self._source_title(exc.source_id)
            body = f.needs_refresh(spec, exc.source_id, self.language)
        if body:
            self._show(f"<section class='dl-section'>{f.heading(2, title)}{body}</section>")

    def _source_title(self, source_id: str) -> str:
        from datalk.sources import get_source

        return get_source(source_id).title

    def _caption(self, alt: str, indicator_id: str, note: str | None = None) -> str:
        note_html = f"<span class='dl-note'>{html.escape(note)}</span> " if note else ""
        return f"{note_html}{html.escape(alt)}{f.source_line(self.source_infos([indicator_id]), self.language)}"

    def _line(self, chart: ChartSpec) -> None:
        for indicator_id in self.chart_indicators(chart, follow_selection=False):
            def build(indicator_id=indicator_id):
                view = self.trend_view(indicator_id)
                if len(view.periods) < 2:
                    return ""
                alt = view.describe()
                return f.figure(static.line_figure(view).to_svg(), self._caption(alt, indicator_id, view.shown.note), alt)
            self._section(chart, indicator_id, build)

    def _bar(self, chart: ChartSpec) -> None:
        for indicator_id in self.chart_indicators(chart, follow_selection=False):
            def build(indicator_id=indicator_id):
                view = self.compare_view(indicator_id, chart)
                if view.rows.empty:
                    return ""
                alt = view.describe()
                return f.figure(static.bar_figure(view).to_svg(), self._caption(alt, indicator_id, view.note), alt)
            self._section(chart, indicator_id, build)

    def _map(self, chart: ChartSpec) -> None:
        for indicator_id in self.chart_indicators(chart, follow_selection=False):
            def build(indicator_id=indicator_id):
                view = self.compare_view(indicator_id, chart, need_geometry=True)
                shapes = self.data.boundaries(view.level)
                if view.rows.empty or shapes is None:
                    return ""
                alt = view.describe()
                return f.figure(static.map_figure(view, shapes).to_svg(), self._caption(alt, indicator_id, view.note), alt)
            self._section(chart, indicator_id, build)

    def _kpis(self, chart: ChartSpec) -> None:
        tiles = self.kpi_views(chart)
        if tiles:
            self._show(f.kpi_tiles(tiles, self.language))

    def _table(self, chart: ChartSpec) -> None:
        """Reports get one overview table: every indicator for the territory."""
        lang = self.language
        rows = []
        for indicator in self.topic.visible_indicators:
            try:
                kpi = v.kpi(self.data, indicator.id, self.state.territory, self.period_for(indicator.id), lang)
            except Unavailable:
                continue
            value = format_number(kpi.value, indicator.decimals, indicator.unit) if kpi.value is not None else t("no_data", lang)
            change = format_change(kpi.change, kpi.change_decimals, kpi.change_unit) if kpi.change is not None else "–"
            rank = f"{kpi.rank[0]}/{kpi.rank[1]}" if kpi.rank else "–"
            rows.append(f"<tr><th scope='row'>{html.escape(indicator.title.get(lang))}</th>"
                        f"<td>{html.escape(kpi.shown.name)}</td><td>{html.escape(period_label(kpi.period, lang) if kpi.period else '–')}</td>"
                        f"<td class='dl-num'>{html.escape(value)}</td><td class='dl-num'>{html.escape(change)}</td>"
                        f"<td class='dl-num'>{rank}</td></tr>")
        if not rows:
            return
        head = "".join(f"<th scope='col'>{h}</th>" for h in
                       [t("indicator", lang), t("territory", lang), t("period", lang), t("value", lang), t("change", lang), t("rank", lang)])
        self._show(f"<section class='dl-section'>{f.heading(2, t('summary_table', lang))}"
                   f"<table class='dl-table'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></section>")

    def _list(self, chart: ChartSpec) -> None:
        def build():
            view = self.list_view(chart)
            return f.list_table(view, self.language) + f.source_line([self.data.source_info(chart.source)], self.language)
        self._section(chart, None, build)

    def _points(self, chart: ChartSpec) -> None:
        def build():
            view = self.points_view(chart)
            if not view.has_geometry:
                return f.points_list(view) + f.source_line([self.data.source_info(chart.source)], self.language)
            region = self.data.boundaries("kraj")
            if region is not None:
                region = region[region.geo_code == self.data.geography.parent(self.state.territory, "kraj")] \
                    if self.data.geography.level_of(self.state.territory) != "stat" else region
            alt = view.describe(self.language)
            listing = f.points_list(view)
            caption = html.escape(alt) + f.source_line([self.data.source_info(chart.source)], self.language)
            return f.figure(static.points_figure(view, region).to_svg(), caption, alt) + listing
        self._section(chart, None, build)

    def sources(self) -> None:
        lang = self.language
        texts = (f"<section class='dl-section'>{f.heading(2, t('method', lang))}"
                 f"{f.paragraph_text(self.topic.texts.method.get(lang))}"
                 f"{f.heading(3, t('caveats', lang))}{f.paragraph_text(self.topic.texts.caveats.get(lang))}</section>")
        self._show(texts + f.sources_box(self.all_source_infos(), lang))
