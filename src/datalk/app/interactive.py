"""App mode (Voilà): controls, live bqplot charts and ipyleaflet maps that follow them."""

from __future__ import annotations

import html
import json
import logging
import os
from contextlib import contextmanager

import ipywidgets as w
from IPython.display import display

from datalk.app import downloads
from datalk.app import fragments as f
from datalk.app.base import BasePage
from datalk.app.binder import links_for_page as binder_links
from datalk.app.i18n import t
from datalk.app.urlparams import permalink
from datalk.charts import widgets as cw
from datalk.sources.periods import period_label
from datalk.topics import Unavailable
from datalk.topics.spec import ChartSpec

log = logging.getLogger(__name__)

#: Value of the "latest period" option: ipywidgets treats ``None`` as "nothing selected",
#: which would leave the dropdown blank.
LATEST = "latest"


class AppPage(BasePage):
    """Shared controls; every chart registers a refresh that runs when they change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._refreshers: list = []
        self._built: dict[str, w.Widget] = {}
        self._controls = self._build_controls()

    # --- built ahead (a preheated kernel, before its visitor) ---------------------------------
    def prebuild(self) -> None:
        """Build every chart of the page now; the notebook's ``chart()`` cells then only show them.

        A pooled kernel has nothing to do until its visitor arrives, and building the charts is
        most of a page's work (0.7–1.5 s): done ahead, the visitor waits for none of it.
        """
        for chart in self.topic.charts:
            if chart.app:
                self._built[chart.id] = self._build(chart)

    def retarget(self, territory=None, period=None, indicator=None) -> None:
        """Show a permalink's parameters on the page built ahead, as if the visitor had chosen them.

        The charts redraw through the same refresh as after a change of a control, which costs
        about half of building the page again. Wrong values fall back with the same messages as
        a new page (``BasePage._set_state``).
        """
        self._set_state(territory, period, self.language, self.state.mode, indicator)
        with self._controls_quiet():
            self.indicator.value = self.state.indicator
            self.period.options = self._period_options()
            self.period.value = self.state.period or LATEST
            self.results.options = self._territory_options("")
            self.results.index = None
            self._mark_current()
        self._refresh()

    @contextmanager
    def _controls_quiet(self):
        """Set the controls from code without their observers redrawing the page once per control."""
        observers = ((self.results, self._on_pick), (self.indicator, self._on_indicator), (self.period, self._on_period))
        for control, handler in observers:
            control.unobserve(handler, "value")
        try:
            yield
        finally:
            for control, handler in observers:
                control.observe(handler, "value")

    # --- controls ---------------------------------------------------------------------
    def _build_controls(self) -> w.Box:
        lang = self.language
        geography = self.data.geography
        self.search = w.Text(placeholder=t("search_territory", lang), description=t("territory", lang),
                             layout=w.Layout(width="auto", flex="1 1 240px"), style={"description_width": "initial"},
                             continuous_update=True)
        self.results = w.Select(options=self._territory_options(""), rows=5,
                                description=t("territory_results", lang), style={"description_width": "initial"},
                                layout=w.Layout(width="auto"))
        self.results.add_class("dl-territory-results")
        self.indicator = w.Dropdown(
            options=[(i.title.get(lang), i.id) for i in self.topic.visible_indicators],
            value=self.state.indicator, description=t("indicator", lang),
            layout=w.Layout(width="auto", flex="2 1 300px"), style={"description_width": "initial"})
        self.period = w.Dropdown(options=self._period_options(), value=self.state.period or LATEST,
                                 description=t("period", lang), layout=w.Layout(width="auto", flex="0 1 200px"),
                                 style={"description_width": "initial"})
        self.shown = w.HTML()
        self.link = w.HTML()
        self.search.observe(self._on_search, "value")
        self._mark_current()
        self.results.observe(self._on_pick, "value")
        self.indicator.observe(self._on_indicator, "value")
        self.period.observe(self._on_period, "value")
        for control in (self.search, self.results, self.indicator, self.period):
            control.add_class("dl-control")
        del geography
        box = w.VBox([w.HBox([self.search, self.indicator, self.period], layout=w.Layout(flex_flow="row wrap")),
                      self.results, self.shown, self.link])
        box.add_class("dl-controls")
        self._update_chrome()
        return box

    def _territory_options(self, query: str) -> list[tuple[str, str]]:
        hits = self.data.geography.search(query, limit=40) if query else self._default_territories()
        return [(f"{h.name} ({h.level_label})" if h.level not in ("kraj", "stat") else h.name, h.code) for h in hits]

    def _default_territories(self):
        geography = self.data.geography
        region = geography.parent(self.state.territory, "kraj") if geography.level_of(self.state.territory) != "stat" else None
        codes = ["CZ"] + geography.codes("kraj")
        if region:
            codes += geography.codes("okres", region) + geography.codes("orp", region)
        return [geography.get(c) for c in codes]

    def _period_options(self) -> list[tuple[str, str | None]]:
        try:
            periods = self.data.periods(self.state.indicator)
        except Unavailable:
            periods = []
        return [(t("latest", self.language), LATEST)] + [(period_label(p, self.language), p) for p in reversed(periods)]

    def _update_chrome(self) -> None:
        lang = self.language
        self.shown.value = (f"<p class='dl-shown'>{'Zobrazeno' if lang == 'cs' else 'Showing'}: "
                            f"<strong>{html.escape(self.territory_name)}</strong></p>")
        script = os.environ.get("SCRIPT_NAME", "")
        # on the portal the stable address is /tema/<id>; elsewhere (Binder, lab) the page's own
        path = f"/tema/{self.topic.id}" if script.startswith("/voila/render/") else script
        url = permalink(path, territory=self.state.territory, period=self.state.period,
                        indicator=self.state.indicator, lang=lang if lang != "cs" else None)
        binder = binder_links(self)
        self.link.value = (f"<p class='dl-permalink'>{t('permalink', lang)}: "
                           f"<a href='{html.escape(url)}'>{html.escape(url)}</a></p>"
                           f"<p class='dl-binder'>{t('binder', lang)}: "
                           f"<a href='{html.escape(binder.voila)}'>{t('binder_app', lang)}</a> · "
                           f"<a href='{html.escape(binder.lab)}'>{t('binder_lab', lang)}</a></p>")

    def _on_search(self, change) -> None:
        """New hits, nothing chosen yet: ipywidgets would select the first hit, and the whole page
        would switch territory at every keystroke (WCAG 3.2.2: no change of context on input)."""
        self.results.unobserve(self._on_pick, "value")
        try:
            self.results.options = self._territory_options(change["new"].strip())
            self.results.index = None
            self._mark_current()
        finally:
            self.results.observe(self._on_pick, "value")

    def _on_pick(self, change) -> None:
        if change["new"]:
            self.select_territory(change["new"])

    def _on_indicator(self, change) -> None:
        self.state.indicator = change["new"]
        options = self._period_options()
        self.state.period = self.state.period if self.state.period in [v for _, v in options] else None
        with self.period.hold_trait_notifications():
            self.period.unobserve(self._on_period, "value")
            self.period.options = options
            self.period.value = self.state.period or LATEST
            self.period.observe(self._on_period, "value")
        self._refresh()

    def _on_period(self, change) -> None:
        self.state.period = None if change["new"] == LATEST else change["new"]
        self._refresh()

    def select_territory(self, code: str) -> None:
        """Change the territory (picker or map click) and redraw everything."""
        if code == self.state.territory:
            return
        self.state.territory = self.data.geography.get(code).code
        self._mark_current()
        self._refresh()

    def _mark_current(self) -> None:
        """Highlight the shown territory in the list (a listbox otherwise greys its first row,
        which reads as if that territory were shown)."""
        if self.state.territory in [code for _, code in self.results.options]:
            self.results.value = self.state.territory
        elif self.results.value is not None:
            self.results.index = None

    def _refresh(self) -> None:
        self._update_chrome()
        for refresh in self._refreshers:
            refresh()

    def _register(self, refresh) -> None:
        def safe():
            try:
                refresh()
            except Exception as exc:  # one broken chart must not break the page
                log.exception("refresh failed")
                return exc
        self._refreshers.append(safe)
        safe()

    # --- sections -----------------------------------------------------------------------
    def header(self) -> None:
        lang = self.language
        title = w.HTML(f"<header class='dl-topic-header'><h1>{html.escape(self.title())}</h1>"
                       f"<p class='dl-summary'>{html.escape(self.topic.summary.get(lang))}</p></header>")
        messages = w.HTML(f.messages(self.state.messages))
        intro = w.HTML(f"<div class='dl-intro'>{f.paragraph_text(self.topic.texts.intro.get(lang))}</div>")
        display(w.VBox([title, messages, self._controls, intro]))

    def chart(self, chart_id: str) -> None:
        chart = self.topic.chart(chart_id)
        if not chart.app:
            return
        display(self._built.pop(chart_id, None) or self._build(chart))

    def _build(self, chart: ChartSpec) -> w.Widget:
        builder = {"line": self._line, "bar": self._bar, "choropleth": self._map, "kpi": self._kpis,
                   "table": self._table, "points": self._points, "list": self._list}[chart.kind]
        return builder(chart)

    map = chart

    def _section(self, chart: ChartSpec, body: list[w.Widget], heading: w.HTML) -> w.VBox:
        box = w.VBox([heading, *body])
        box.add_class("dl-section")
        box.add_class(f"dl-{chart.kind}")
        return box

    def _line(self, chart: ChartSpec) -> w.VBox:
        line, heading, alt, notice = cw.LineChart(self.language), w.HTML(), w.HTML(), w.HTML()

        def refresh():
            indicator_id = self.chart_indicators(chart, follow_selection=True)[0]
            heading.value = f.heading(2, self.chart_title(chart, indicator_id))
            try:
                view = self.trend_view(indicator_id)
            except Unavailable as exc:
                notice.value = f.needs_refresh(self._title_of(exc.source_id), exc.source_id, self.language)
                line.figure.layout.display = "none"
                return
            notice.value = ""
            line.figure.layout.display = None
            line.update(view)
            table = f.trend_table(view.series, view.indicator.decimals, view.indicator.unit, self.language,
                                  t("data_table", self.language))
            note = f"<p class='dl-note'>{html.escape(view.shown.note)}</p>" if view.shown.note else ""
            alt.value = (f"{note}<p class='dl-alt'>{html.escape(view.describe())}</p>"
                         f"<details><summary>{t('data_table', self.language)}</summary>{table}</details>"
                         + f.source_line(self.source_infos([indicator_id]), self.language))
        self._register(refresh)
        return self._section(chart, [notice, line.figure, alt], heading)

    def _bar(self, chart: ChartSpec) -> w.VBox:
        bars, heading, alt, notice = cw.BarChart(self.language), w.HTML(), w.HTML(), w.HTML()

        def refresh():
            indicator_id = self.chart_indicators(chart, follow_selection=True)[0]
            heading.value = f.heading(2, self.chart_title(chart, indicator_id))
            try:
                view = self.compare_view(indicator_id, chart)
            except Unavailable as exc:
                notice.value = f.needs_refresh(self._title_of(exc.source_id), exc.source_id, self.language)
                return
            notice.value = ""
            bars.update(view)
            alt.value = (f"<p class='dl-alt'>{html.escape(view.describe())}</p>"
                         + f.source_line(self.source_infos([indicator_id]), self.language))
        self._register(refresh)
        return self._section(chart, [notice, bars.figure, alt], heading)

    def _map(self, chart: ChartSpec) -> w.VBox:
        choropleth = cw.ChoroplethMap(on_select=self.select_territory, language=self.language)
        heading, alt, notice = w.HTML(), w.HTML(), w.HTML()

        def refresh():
            indicator_id = self.chart_indicators(chart, follow_selection=True)[0]
            heading.value = f.heading(2, self.chart_title(chart, indicator_id))
            try:
                view = self.compare_view(indicator_id, chart, need_geometry=True)
            except Unavailable as exc:
                notice.value = f.needs_refresh(self._title_of(exc.source_id), exc.source_id, self.language)
                return
            shapes = self.data.boundaries(view.level)
            if shapes is None or view.rows.empty:
                notice.value = f"<p class='dl-note'>{t('no_data', self.language)}</p>"
                return
            notice.value = ""
            choropleth.update(view, shapes)
            hint = ("Kliknutím na území v mapě je vyberete." if self.language == "cs"
                    else "Click a territory on the map to select it.")
            alt.value = (f"<p class='dl-alt'>{html.escape(view.describe())} {hint}</p>"
                         + f.source_line(self.source_infos([indicator_id]), self.language))
        self._register(refresh)
        return self._section(chart, [notice, choropleth.map, alt], heading)

    def _kpis(self, chart: ChartSpec) -> w.HTML:
        tiles = w.HTML()
        self._register(lambda: setattr(tiles, "value", f.kpi_tiles(self.kpi_views(chart), self.language)))
        return tiles

    def _table(self, chart: ChartSpec) -> w.VBox:
        heading, body = w.HTML(), w.HTML()

        def refresh():
            indicator_id = self.chart_indicators(chart, follow_selection=True)[0]
            heading.value = f.heading(2, self.chart_title(chart, indicator_id))
            try:
                view = self.table_view(indicator_id, chart)
            except Unavailable as exc:
                body.value = f.needs_refresh(self._title_of(exc.source_id), exc.source_id, self.language)
                return
            shapes = self.data.boundaries(view.rows["level"].iloc[0]) if len(view.rows) else None
            links = downloads.links(view, shapes, f"{self.topic.id}-{indicator_id}", self.language)
            body.value = f.data_table(view, self.language) + links
        self._register(refresh)
        return self._section(chart, [body], heading)

    def _list(self, chart: ChartSpec) -> w.VBox:
        heading = w.HTML(f.heading(2, self.chart_title(chart, None)))
        try:
            view = self.list_view(chart)
        except Unavailable as exc:
            return self._section(chart, [w.HTML(f.needs_refresh(self._title_of(exc.source_id), exc.source_id,
                                                                self.language))], heading)
        body = w.HTML(f.list_table(view, self.language)
                      + f.source_line([self.data.source_info(chart.source)], self.language))
        return self._section(chart, [body], heading)

    def _points(self, chart: ChartSpec) -> w.VBox:
        heading = w.HTML(f.heading(2, self.chart_title(chart, None)))
        try:
            view = self.points_view(chart)
        except Unavailable as exc:
            return self._section(chart, [w.HTML(f.needs_refresh(self._title_of(exc.source_id), exc.source_id,
                                                                self.language))], heading)
        source_line = f.source_line([self.data.source_info(chart.source)], self.language)
        if not view.has_geometry:
            return self._section(chart, [w.HTML(f.points_list(view) + source_line)], heading)
        mapper = cw.ChoroplethMap(language=self.language)
        region = self.data.boundaries("kraj")
        if region is not None:
            self._register(self._region_frame(mapper, region))
        mapper.frame_bounds(view.frame.total_bounds)
        listing = w.HTML()
        flags = view.open_now() if chart.open_now else None

        def show(only_open: bool) -> None:
            shown = view
            if only_open and flags is not None:
                keep = flags.fillna(False).to_numpy(dtype=bool)
                shown = type(view)(view.title, view.frame[keep], view.label, view.details)
            mapper.show_points(shown)
            subset = flags[flags.fillna(False)] if (only_open and flags is not None) else flags
            listing.value = (f"<details open><summary>{t('list', self.language)}</summary>"
                             f"{f.points_list(shown, subset, self.language)}</details>" + source_line)

        body: list[w.Widget] = [mapper.map, listing]
        if flags is not None:
            toggle = w.Checkbox(value=False, description=t("only_open_now", self.language), indent=False)
            toggle.add_class("dl-control")
            toggle.observe(lambda change: show(change["new"]), "value")
            body.insert(0, toggle)
        show(False)
        return self._section(chart, body, heading)

    def _region_frame(self, mapper: cw.ChoroplethMap, region):
        """A refresh that draws the kraje under the places: the shown territory's kraj light blue,
        the others grey (the places need a visible frame), again only when that kraj changes."""
        drawn: list = []

        def refresh() -> None:
            geography = self.data.geography
            territory = self.state.territory
            own = geography.parent(territory, "kraj") if geography.level_of(territory) != "stat" else None
            if drawn == [own]:
                return
            frame = region[["geo_code", "geometry"]].assign(name="", text="", selected=False)
            frame["color"] = ["#d6e4f2" if code == own else "#eef0f2" for code in frame["geo_code"]]
            mapper.layer.data = json.loads(frame.to_json())
            drawn[:] = [own]

        return refresh

    def sources(self) -> None:
        lang = self.language
        notes = (f"<details class='dl-method'><summary>{t('method', lang)}</summary>"
                 f"{f.paragraph_text(self.topic.texts.method.get(lang))}</details>"
                 f"<details class='dl-method'><summary>{t('caveats', lang)}</summary>"
                 f"{f.paragraph_text(self.topic.texts.caveats.get(lang))}</details>")
        display(w.HTML(notes + f.sources_box(self.all_source_infos(), lang)))
        # the last part of every topic notebook: the page is drawn, so the session need not
        # carry the largest raw tables any longer (bench/memory.py: up to 48 MB per kernel)
        if self.data.release_large_sources():
            _return_freed_memory()

    def _title_of(self, source_id: str) -> str:
        from datalk.sources import get_source

        return get_source(source_id).title


def _return_freed_memory() -> None:
    """glibc keeps freed heap pages for reuse; hand them back after large tables were dropped.

    Measured on ``subsidies``: the kernel's unique memory fell from 239 to 202 MB. Only where
    glibc is the C library (Linux); elsewhere nothing happens.
    """
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
