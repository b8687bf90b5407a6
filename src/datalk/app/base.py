"""What the app and the report pages share: state, data and the views of each chart."""

from __future__ import annotations

import logging

from datalk.app.i18n import t
from datalk.topics import TopicData, Unavailable, get_topic, resolve
from datalk.topics import views as v
from datalk.topics.data import SourceInfo
from datalk.topics.spec import ChartSpec

log = logging.getLogger(__name__)


class BasePage:
    """One topic page: parameters resolved, data loaded lazily."""

    def __init__(self, topic_id: str, territory=None, period=None, language="cs", mode="app", indicator=None):
        self.topic = get_topic(topic_id)
        self.data = TopicData(self.topic)
        self.state = resolve(self.topic, self.data.geography, territory, period, language, mode, indicator)
        self._check_period()

    # --- parameters -----------------------------------------------------------------
    def _check_period(self) -> None:
        """A period that no indicator has is reported once, then the latest is used."""
        if self.state.period is None:
            return
        try:
            known = set(self.data.periods(self.state.indicator))
        except Unavailable:
            return
        if self.state.period not in known:
            _, message = v.resolve_period(self.data, self.state.indicator, self.state.period, language=self.language)
            if message:
                self.state.messages.append(message)
            self.state.period = None

    @property
    def language(self) -> str:
        return self.state.language

    @property
    def territory_name(self) -> str:
        return self.data.geography.name(self.state.territory)

    def title(self) -> str:
        return self.topic.title.get(self.language)

    # --- indicators ---------------------------------------------------------------------
    def chart_indicators(self, chart: ChartSpec, follow_selection: bool) -> list[str]:
        """The indicators a chart shows: its own, the selected one, or (reports) all."""
        if chart.indicator:
            return [chart.indicator]
        if chart.indicators:
            return list(chart.indicators)
        if follow_selection:
            return [self.state.indicator]
        return [i.id for i in self.topic.visible_indicators]

    def period_for(self, indicator_id: str) -> str | None:
        """The page's period when this indicator has it, else its latest."""
        period = self.state.period
        if period and period in set(self.data.periods(indicator_id)):
            return period
        return None

    def source_infos(self, indicator_ids: list[str] | None = None, extra: list[str] | None = None) -> list[SourceInfo]:
        ids: list[str] = []
        for indicator_id in indicator_ids if indicator_ids is not None else [i.id for i in self.topic.indicators]:
            for source_id in self.data.indicator_sources(indicator_id):
                if source_id not in ids:
                    ids.append(source_id)
        for source_id in extra or []:
            if source_id not in ids:
                ids.append(source_id)
        return [self.data.source_info(s) for s in ids]

    def all_source_infos(self) -> list[SourceInfo]:
        return [self.data.source_info(s) for s in self.topic.sources]

    # --- views --------------------------------------------------------------------------
    def trend_view(self, indicator_id: str) -> v.TrendView:
        return v.trend(self.data, indicator_id, self.state.territory, self.language)

    def compare_view(self, indicator_id: str, chart: ChartSpec, need_geometry: bool = False) -> v.CompareView:
        return v.compare(self.data, indicator_id, self.state.territory, self.period_for(indicator_id),
                         list(chart.level), self.language, need_geometry)

    def kpi_views(self, chart: ChartSpec) -> list[v.Kpi]:
        ids = chart.indicators or [i.id for i in self.topic.visible_indicators][:4]
        tiles = []
        for indicator_id in ids:
            try:
                tiles.append(v.kpi(self.data, indicator_id, self.state.territory, self.period_for(indicator_id), self.language))
            except Unavailable as exc:
                log.info("kpi %s unavailable: %s", indicator_id, exc)
        return tiles

    def table_view(self, indicator_id: str, chart: ChartSpec | None = None) -> v.TableView:
        levels = list(chart.level) if chart else ["obec", "orp", "okres", "kraj"]
        return v.table(self.data, indicator_id, self.state.territory, self.period_for(indicator_id), levels, self.language)

    def points_view(self, chart: ChartSpec) -> v.PointsView:
        frame = self.data.points(chart.source)
        title = chart.title.get(self.language) if chart.title else t("points", self.language)
        label = chart.label or "name"
        return v.PointsView(title, frame, label, list(chart.details))

    def chart_title(self, chart: ChartSpec, indicator_id: str | None) -> str:
        if chart.title:
            return chart.title.get(self.language)
        name = self.topic.indicator(indicator_id).title.get(self.language) if indicator_id else ""
        kind = {"line": "trend", "bar": "compare", "choropleth": "map", "table": "table"}.get(chart.kind, "map")
        return f"{name} – {t(kind, self.language).lower()}" if name else t(kind, self.language)
