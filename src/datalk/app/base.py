"""What the app and the report pages share: state, data and the views of each chart."""

from __future__ import annotations

import html
import logging

from datalk.app.i18n import t
from datalk.errors import DatalkError, FetchError, ReadError, SourceError
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
        self._set_state(territory, period, language, mode, indicator)

    # --- parameters -----------------------------------------------------------------
    def _set_state(self, territory, period, language, mode, indicator) -> None:
        """Validate the parameters (wrong ones become messages and fall back) and take them."""
        self.state = resolve(self.topic, self.data.geography, territory, period, language, mode, indicator)
        self._check_period()

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

    def list_view(self, chart: ChartSpec) -> v.ListView:
        frame = self.data.source(chart.source)
        for column, wanted in chart.rows.items():
            frame = frame[frame[column].astype(str) == str(wanted)]
        headers = {column: text.get(self.language) for column, text in chart.columns.items()}
        title = chart.title.get(self.language) if chart.title else t("list", self.language)
        return v.listing(frame, title, headers, chart.sort, chart.totals)

    def chart_title(self, chart: ChartSpec, indicator_id: str | None) -> str:
        if chart.title:
            return chart.title.get(self.language)
        name = self.topic.indicator(indicator_id).title.get(self.language) if indicator_id else ""
        kind = {"line": "trend", "bar": "compare", "choropleth": "map", "table": "table"}.get(chart.kind, "map")
        return f"{name} – {t(kind, self.language).lower()}" if name else t(kind, self.language)


# --- a page that could not open ------------------------------------------------------------
_NOTICE = {
    "cs": {
        "title": "Data se nepodařilo načíst",
        "needs": "Stránka potřebuje {what}",
        "but": "ale",
        "quote": "„{}“",
        "geography": "číselník území",
        "source": "data zdroje",
        "fetch": "stažení z oficiální adresy vydavatele se nepodařilo (chybí připojení k internetu, nebo je "
                 "server vydavatele nedostupný).",
        "mirror": "v místním zrcadle dat (DATALK_MIRROR) chybí.",
        "read": "soubor od vydavatele má jiný tvar, než portál očekává.",
        "other": "načtení se nepodařilo.",
        "todo": "Zkontrolujte připojení k internetu a spusťte notebook znovu (v JupyterLabu nebo Binderu: "
                "Kernel → Restart Kernel and Run All Cells). Správce portálu data stáhne příkazem "
                "<code>datalk data fetch {id}</code>; bez internetu pomůže místní zrcadlo dat (DATALK_MIRROR).",
        "official": "Oficiální zdroj",
        "details": "Podrobnosti",
        "generic": "Stránku tématu „{topic}“ nelze otevřít.",
    },
    "en": {
        "title": "The data could not be loaded",
        "needs": "This page needs {what}",
        "but": "but",
        "quote": "“{}”",
        "geography": "the territory code list",
        "source": "the data of the source",
        "fetch": "the download from the publisher's official address failed (no internet connection, or the "
                 "publisher's server is unavailable).",
        "mirror": "is missing from the local data mirror (DATALK_MIRROR).",
        "read": "the publisher's file has another shape than the portal expects.",
        "other": "loading failed.",
        "todo": "Check the internet connection and run the notebook again (in JupyterLab or Binder: "
                "Kernel → Restart Kernel and Run All Cells). An administrator fetches the data with "
                "<code>datalk data fetch {id}</code>; offline, a local data mirror helps (DATALK_MIRROR).",
        "official": "Official source",
        "details": "Details",
        "generic": "The page of the topic “{topic}” cannot be opened.",
    },
}


class UnavailablePage:
    """Stands in for a topic page whose code list or data failed to load (e.g. Binder offline).

    The notebook's cells still run: ``header()`` shows one clear notice naming the source that
    failed and what to do, the charts stay empty and ``sources()`` lists where the data come from.
    No traceback reaches the reader in Voilà, JupyterLab or a Papermill report.
    """

    def __init__(self, topic_id: str, error: DatalkError, language: object = "cs", mode: object = "app"):
        self.topic_id = topic_id
        self.error = error
        self.language = "en" if str(language).strip().lower() == "en" else "cs"
        self.mode = mode
        try:
            self.topic = get_topic(topic_id)
        except DatalkError:
            self.topic = None
        log.info("topic %s cannot open: %s", topic_id, error)

    def _show(self, markup: str) -> None:
        from IPython.display import HTML, display

        display(HTML(markup))

    def notice(self) -> str:
        """The notice as HTML: what failed (source, publisher, official address), why, what to do."""
        text = _NOTICE[self.language]
        esc = html.escape
        if not isinstance(self.error, SourceError):
            topic = self.topic.title.get(self.language) if self.topic else self.topic_id
            return (f"<div class='dl-needs-refresh dl-unavailable' role='alert'><strong>{esc(text['generic'].format(topic=topic))}"
                    f"</strong> {esc(str(self.error))}</div>")
        source_id = self.error.source_id
        from datalk.settings import get_settings
        from datalk.sources import get_source

        try:
            spec = get_source(source_id)
            kind = text["geography"] if spec.role == "geography" else text["source"]
            what = f"{kind} {text['quote'].format(esc(spec.title))} ({esc(spec.publisher)}, <code>{esc(source_id)}</code>)"
            official = (f"<p>{text['official']}: <a href='{esc(spec.landing_page)}'>{esc(spec.landing_page)}</a></p>")
        except DatalkError:
            what, official = f"{text['source']} <code>{esc(source_id)}</code>", ""
        if isinstance(self.error, ReadError):
            why = text["read"]
        elif isinstance(self.error, FetchError):
            why = text["mirror"] if get_settings().offline else text["fetch"]
        else:
            why = text["other"]
        return (f"<div class='dl-needs-refresh dl-unavailable' role='alert'>"
                f"<p><strong>{text['title']}.</strong> {text['needs'].format(what=what)}, {text['but']} {why}</p>"
                f"<p>{text['todo'].format(id=esc(source_id))}</p>{official}"
                f"<details><summary>{text['details']}</summary><p>{esc(self.error.problem)}</p></details></div>")

    def header(self) -> None:
        head = ""
        if self.topic is not None:
            head = (f"<header class='dl-topic-header dl-report-header'><h1>{html.escape(self.topic.title.get(self.language))}</h1>"
                    f"<p class='dl-summary'>{html.escape(self.topic.summary.get(self.language))}</p></header>")
        self._show(head + self.notice())

    def chart(self, chart_id: str) -> None:
        """Nothing to draw without data (the notice in the header says why)."""

    map = chart

    def sources(self) -> None:
        """Where the data come from (read from the YAML; needs no network)."""
        if self.topic is None:
            return
        from datalk.app import fragments as f
        from datalk.topics import TopicData

        data = TopicData(self.topic)
        try:
            infos = [data.source_info(s) for s in self.topic.sources]
        except DatalkError as exc:
            log.info("sources box of %s unavailable: %s", self.topic_id, exc)
            return
        self._show(f.sources_box(infos, self.language))
