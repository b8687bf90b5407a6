"""Territory profiles and the yearly state-of-the-region report (``notebooks/profile.ipynb``).

A profile shows the key indicators of every topic for one obec, ORP or okres next to
its okres, the region and ČR. With ``layout="yearly"`` the same page becomes the
annual report of the region: a table of contents, then per topic its KPI tiles, the
headline trend chart and all indicators with the region's rank among the 14 kraje.
Every method displays one finished HTML block (as :class:`datalk.app.report.ReportPage`).
"""

from __future__ import annotations

import html
import logging

from IPython.display import HTML, display

from datalk import sources
from datalk.app import fragments as f
from datalk.app.i18n import t
from datalk.charts import static
from datalk.errors import TerritoryError
from datalk.reports import compare as c
from datalk.reports.minibars import ROLE_COLORS, comparable, legend, minibars
from datalk.reports.texts import level_phrase, s, topic_count
from datalk.settings import get_settings
from datalk.sources.periods import period_label
from datalk.text import format_change, format_number
from datalk.topics import Unavailable, all_topics
from datalk.topics import views as v

log = logging.getLogger(__name__)
LAYOUTS = ("profile", "yearly")


def open_profile(
    territory=None, period=None, language="cs", mode="report", layout="profile", topics=None
):
    """The page ``notebooks/profile.ipynb`` draws with; in app mode the URL may choose the territory."""
    if str(mode).strip().lower() == "app":
        from datalk.app.urlparams import read_query

        query = read_query()
        territory, period = query.get("territory", territory), query.get("period", period)
        language, layout = query.get("lang", language), query.get("view", layout)
    return ProfilePage(territory, period, language, layout, topics)


class ProfilePage:
    """Parameters resolved like a topic page's: wrong values become a message, never a traceback."""

    def __init__(self, territory=None, period=None, language="cs", layout="profile", topics=None):
        self.messages: list[str] = []
        self.geography = sources.geography()
        self.language = str(language or "cs").strip().lower()
        if self.language not in ("cs", "en"):
            self.messages.append(
                f"Neznámý jazyk '{html.escape(str(language))[:20]}', používám češtinu."
            )
            self.language = "cs"
        self.layout = str(layout or "profile").strip().lower()
        if self.layout not in LAYOUTS:
            self.messages.append(
                f"Neznámé rozvržení '{html.escape(str(layout))[:20]}', používám 'profile'."
            )
            self.layout = "profile"
        self.territory = self._territory(territory)
        self.unit = self.geography.get(self.territory)
        self.period = (
            None if period in (None, "", "None", "null", "latest") else str(period).strip()
        )
        wanted = [topics] if isinstance(topics, str) else list(topics or [])
        self.topics = [topic for topic in all_topics() if not wanted or topic.id in wanted]
        unknown = sorted(set(wanted) - {topic.id for topic in self.topics})
        if unknown:
            self.messages.append(s("unknown_topics", self.language).format(ids=", ".join(unknown)))
        self.comparison = c.Comparison.of(self.geography, self.territory)
        self.colors = [
            ROLE_COLORS["own"]
            if i == 0
            else ROLE_COLORS.get(self.geography.level_of(code), "#999999")
            for i, code in enumerate(self.comparison.codes)
        ]
        self._rows: dict[str, list[c.Row]] = {}

    def _territory(self, territory) -> str:
        region = get_settings().region
        if territory in (None, ""):
            return region
        try:
            return self.geography.get(str(territory).strip()).code
        except TerritoryError:
            shown = "".join(ch for ch in str(territory) if ch.isprintable())[:40]
            self.messages.append(
                f"Území s kódem '{html.escape(shown)}' neznáme, zobrazuji {self.geography.name(region)}."
            )
            return region

    # --- data ---------------------------------------------------------------------------
    @property
    def yearly(self) -> bool:
        return self.layout == "yearly"

    def index(self, topic) -> c.TopicIndex:
        return c.topic_index(topic, self.geography)

    def rows(self, topic) -> list[c.Row]:
        if topic.id not in self._rows:
            limit = 12 if self.yearly else c.MAX_ROWS_PER_TOPIC
            self._rows[topic.id] = c.topic_rows(
                self.index(topic), self.comparison, self.period, limit
            )
        return self._rows[topic.id]

    def title(self) -> str:
        if self.yearly:
            suffix = f" {period_label(self.period, self.language)}" if self.period else ""
            if self.unit.level in ("kraj", "stat"):
                return s("yearly_title", self.language).format(name=self.unit.name) + suffix
            name = f"{s('profile_of', self.language)[self.unit.level]} {self.unit.name}"
            return s("yearly_title_other", self.language).format(name=name) + suffix
        return f"{s('profile_of', self.language)[self.unit.level]} {self.unit.name}"

    def _show(self, markup: str) -> None:
        display(HTML(markup))

    # --- blocks ---------------------------------------------------------------------------
    def header(self) -> None:
        lang = self.language
        kicker = s("yearly_kicker" if self.yearly else "profile_kicker", lang)
        period = f" · {period_label(self.period, lang)}" if self.period else ""
        lineage = level_phrase(self.geography, self.unit, lang)
        intro = s("yearly_intro" if self.yearly else "profile_intro", lang).format(
            count=topic_count(len(self.topics), lang), compared=self._compared_names()
        )
        names = [self.geography.get(code).label for code in self.comparison.codes]
        self._show(
            f"<header class='dl-report-header'><p class='dl-kicker'>{html.escape(kicker + period)}</p>"
            f"<h1>{html.escape(self.title())}</h1><p class='dl-lineage'>{html.escape(lineage)}</p>"
            f"<p class='dl-summary'>{html.escape(intro)}</p></header>"
            + f.messages(self.messages)
            + f"<p class='dl-legend'>{legend(names, self.colors, lang)} {html.escape(s('dash_note', lang))}</p>"
        )

    def _compared_names(self) -> str:
        labels = [self.geography.get(code).label for code in self.comparison.codes[1:]]
        return ", ".join(labels)

    def contents(self) -> None:
        """Table of contents with links to each topic (internal links survive in the PDF)."""
        items = "".join(
            f"<li><a href='#tema-{topic.id}'>{html.escape(topic.title.get(self.language))}</a></li>"
            for topic in self.topics
        )
        self._show(
            f"<nav class='dl-toc' aria-labelledby='dl-toc-h'><h2 id='dl-toc-h'>{s('contents', self.language)}</h2>"
            f"<ol>{items}</ol></nav>"
        )

    def topic_sections(self) -> None:
        """One section per topic (profile table, or the yearly tiles + chart + table)."""
        for number, topic in enumerate(self.topics, start=1):
            self._show(self.topic_section(topic, number))

    def topic_section(self, topic, number: int) -> str:
        lang = self.language
        rows = self.rows(topic)
        cls = "dl-topic dl-topic-yearly" if self.yearly else "dl-topic"
        head = (
            f"<section class='dl-section {cls}' id='tema-{topic.id}' aria-labelledby='tema-{topic.id}-h'>"
            f"<h2 id='tema-{topic.id}-h'>{number}. {html.escape(topic.title.get(lang))}</h2>"
        )
        if not rows:
            missing = self.index(topic).problems
            note = s("no_rows_missing" if missing else "no_rows", lang)
            return head + f"<p class='dl-empty'>{html.escape(note)}</p></section>"
        body = ""
        if self.yearly:
            body += f"<p class='dl-summary'>{html.escape(topic.summary.get(lang))}</p>"
            body += self._tiles(topic, rows) + self._trend(topic)
        body += self._table(topic, rows)
        return head + body + "</section>"

    def sources(self) -> None:
        """Method and the note on data; the sources of each table are named under it."""
        self._show(
            f"<section class='dl-section'>{f.heading(2, t('method', self.language))}"
            f"{f.paragraph_text(s('method_profile', self.language))}</section>"
        )

    # --- parts ----------------------------------------------------------------------------
    def _table(self, topic, rows: list[c.Row]) -> str:
        lang = self.language
        codes = self.comparison.codes
        names = [
            self.geography.get(code).label if i else self.geography.name(code)
            for i, code in enumerate(codes)
        ]
        rank_head = s("rank_kraje" if self.unit.level == "kraj" else "rank_in_region", lang)
        cols = (
            "<colgroup><col class='dl-c-ind'>"
            + "<col class='dl-c-val'>" * len(codes)
            + "<col class='dl-c-rank'><col class='dl-c-bar'></colgroup>"
        )
        head = (
            f"<th scope='col'>{t('indicator', lang)}</th>"
            + "".join(f"<th scope='col' class='dl-num'>{html.escape(n)}</th>" for n in names)
            + f"<th scope='col' class='dl-num'>{html.escape(rank_head)}</th>"
            + f"<th scope='col'><span class='dl-sr'>{s('bars', lang)}</span></th>"
        )
        body = "".join(self._row(row) for row in rows)
        caption = s("table_caption", lang).format(topic=topic.title.get(lang), name=self.unit.name)
        source_ids = list(dict.fromkeys(src for row in rows for src in row.sources))
        index = self.index(topic)
        infos = [index.source_info(src) for src in source_ids]
        return (
            f"<table class='dl-table dl-compare'><caption class='dl-sr'>{html.escape(caption)}</caption>{cols}"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            + f.source_line(infos, lang)
        )

    def _row(self, row: c.Row) -> str:
        lang = self.language
        spec = row.indicator
        unit = f" <span class='dl-unit'>({html.escape(spec.unit)})</span>" if spec.unit else ""
        period = (
            f"<span class='dl-period'>{html.escape(period_label(row.period, lang))}</span>"
            if row.period
            else ""
        )
        cells = []
        for i, code in enumerate(self.comparison.codes):
            value = row.values.get(code)
            text = html.escape(format_number(value, spec.decimals)) if value is not None else "–"
            if i == 0 and row.change is not None:
                text += (
                    f"<span class='dl-period'>{html.escape(format_change(row.change, row.change_decimals, row.change_unit))} "
                    f"{t('change_since', lang)} {html.escape(period_label(row.previous, lang))}</span>"
                )
            cls = "dl-num dl-own" if i == 0 else "dl-num"
            cells.append(f"<td class='{cls}'>{text}</td>")
        rank = (
            f"{row.rank[0]}. z {row.rank[1]}"
            if row.rank and lang == "cs"
            else (f"{row.rank[0]} of {row.rank[1]}" if row.rank else "–")
        )
        bars = (
            ""
            if row.indicator.additive
            else minibars([row.values.get(code) for code in self.comparison.codes], self.colors)
        )
        return (
            f"<tr><th scope='row'>{html.escape(spec.title.get(lang))}{unit}{period}</th>{''.join(cells)}"
            f"<td class='dl-num'>{rank}</td><td class='dl-bar'>{bars}</td></tr>"
        )

    def _tiles(self, topic, rows: list[c.Row]) -> str:
        keys = c.key_indicators(topic)
        shown = v.Shown(self.territory, self.territory, self.unit.name, self.unit.level)
        rank_of = v.plural(self.unit.level, self.language)
        tiles = [
            v.Kpi(
                indicator=row.indicator,
                shown=shown,
                period=row.period,
                value=row.values.get(self.territory),
                previous_period=row.previous,
                change=row.change,
                change_unit=row.change_unit,
                change_decimals=row.change_decimals,
                rank=row.rank,
                rank_of=rank_of,
                language=self.language,
            )
            for row in rows
            if row.own and row.indicator.id in keys
        ][:4]
        return f.kpi_tiles(tiles, self.language) if tiles else ""

    def _trend_indicator(self, topic) -> str | None:
        """The headline, unless it is a total (an obec or kraj next to ČR says nothing as a line):
        then the first key or visible indicator whose values are comparable across territories."""
        index = self.index(topic)
        candidates = [
            topic.headline,
            *c.key_indicators(topic),
            *(i.id for i in topic.visible_indicators),
        ]
        for indicator_id in dict.fromkeys(candidates):
            lookup = index.lookup(indicator_id)
            periods = lookup.own_periods(self.territory) if lookup else []
            if len(periods) < 3 or topic.indicator(indicator_id).additive:
                continue
            if comparable(
                [lookup.value(self.territory, periods[-1]), lookup.value("CZ", periods[-1])]
            ):
                return indicator_id
        return None

    def _trend(self, topic) -> str:
        """One indicator over time (region, ČR, other kraje): one figure per topic."""
        index = self.index(topic)
        indicator_id = self._trend_indicator(topic)
        if indicator_id is None:
            return ""
        try:
            view = v.trend(index.data, indicator_id, self.territory, self.language)
        except Unavailable:
            return ""
        alt = view.describe()
        infos = [index.source_info(src) for src in index.data.indicator_sources(indicator_id)]
        caption = html.escape(alt) + f.source_line(infos, self.language)
        name = topic.indicator(indicator_id).title.get(self.language)
        title = f"<h3>{html.escape(name)} – {t('trend', self.language).lower()}</h3>"
        return title + f.figure(static.line_figure(view).to_svg(), caption, alt)


__all__ = ["ProfilePage", "open_profile"]
