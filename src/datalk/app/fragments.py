"""HTML fragments shared by the app and the printed report (escaped, class-named ``dl-*``)."""

from __future__ import annotations

import html

import pandas as pd

from datalk.app.i18n import t
from datalk.sources.periods import period_label, span_label
from datalk.text import format_change, format_number
from datalk.topics.data import SourceInfo
from datalk.topics.views import Kpi, ListView, PointsView, TableView

esc = html.escape


def messages(items: list[str]) -> str:
    if not items:
        return ""
    lis = "".join(f"<li>{esc(m)}</li>" for m in items)
    return f"<div class='dl-messages' role='status'><ul>{lis}</ul></div>"


def heading(level: int, text: str, anchor: str | None = None) -> str:
    ident = f" id='{esc(anchor)}'" if anchor else ""
    return f"<h{level}{ident}>{esc(text)}</h{level}>"


def paragraph_text(text: str) -> str:
    """Plain text → <p> blocks; a blank line in a YAML ``>-`` block arrives as one newline."""
    parts = [p.strip() for p in text.strip().split("\n") if p.strip()]
    return "".join(f"<p>{esc(p)}</p>" for p in parts)


def kpi_tiles(kpis: list[Kpi], language: str) -> str:
    tiles = []
    for kpi in kpis:
        spec = kpi.indicator
        value = format_number(kpi.value, spec.decimals, spec.unit) if kpi.value is not None else t("no_data", language)
        change = ""
        if kpi.change is not None:
            good = (kpi.change > 0) == (spec.higher_is == "better")
            tone = "neutral" if spec.higher_is == "neutral" or kpi.change == 0 else ("good" if good else "bad")
            change = (f"<div class='dl-kpi-change dl-{tone}'>{esc(format_change(kpi.change, kpi.change_decimals, kpi.change_unit))} "
                      f"{t('change_since', language)} {esc(period_label(kpi.previous_period, language))}</div>")
        rank = ""
        if kpi.rank:
            rank = (f"<div class='dl-kpi-rank'>{kpi.rank[0]}. z {kpi.rank[1]} {esc(kpi.rank_of)}</div>" if language == "cs"
                    else f"<div class='dl-kpi-rank'>rank {kpi.rank[0]} of {kpi.rank[1]} {esc(kpi.rank_of)}</div>")
        where = f"{esc(kpi.shown.name)}, {esc(period_label(kpi.period, language))}" if kpi.period else esc(kpi.shown.name)
        tiles.append(
            f"<div class='dl-kpi' role='group' aria-label='{esc(kpi.describe())}'>"
            f"<div class='dl-kpi-title'>{esc(spec.title.get(language))}</div>"
            f"<div class='dl-kpi-value'>{esc(value)}</div>{change}{rank}"
            f"<div class='dl-kpi-where'>{where}</div></div>"
        )
    return f"<div class='dl-kpis'>{''.join(tiles)}</div>"


def data_table(view: TableView, language: str, caption: str | None = None) -> str:
    """An accessible table (caption, scoped headers, numbers right-aligned, Czech format)."""
    cols = ["name", "geo_code", "period", "value"]
    head = "".join(f"<th scope='col'>{esc(view.columns[c])}</th>" for c in cols)
    body = []
    for row in view.rows.itertuples():
        value = format_number(row.value, view.decimals, view.unit) if pd.notna(row.value) else t("no_data", language)
        cls = " class='dl-selected'" if row.selected else ""
        body.append(f"<tr{cls}><th scope='row'>{esc(str(row.name))}</th><td>{esc(row.geo_code)}</td>"
                    f"<td>{esc(period_label(row.period, language) if row.period else '')}</td>"
                    f"<td class='dl-num'>{esc(value)}</td></tr>")
    cap = f"<caption>{esc(caption or view.title)}</caption>"
    return f"<table class='dl-table'>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def trend_table(series: pd.DataFrame, decimals: int, unit: str, language: str, caption: str) -> str:
    """Time series as a table (rows = periods, columns = territories): the chart's text twin."""
    main = series[series.role != "peer"]
    if main.empty:
        return ""
    pivot = main.pivot_table(index="period", columns="name", values="value", aggfunc="first")
    from datalk.sources.periods import sort_periods

    pivot = pivot.reindex(sort_periods(pivot.index))
    head = f"<th scope='col'>{esc(t('period', language))}</th>" + "".join(f"<th scope='col'>{esc(str(c))}</th>" for c in pivot.columns)
    rows = []
    for period, values in pivot.iterrows():
        cells = "".join(f"<td class='dl-num'>{esc(format_number(v, decimals, unit))}</td>" for v in values)
        rows.append(f"<tr><th scope='row'>{esc(period_label(period, language))}</th>{cells}</tr>")
    return (f"<table class='dl-table'><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def source_line(infos: list[SourceInfo], language: str) -> str:
    """One line under a figure: 'Zdroj: ČSÚ, … (CC BY 4.0)' (attributions carry their own prefix)."""
    parts = list(dict.fromkeys(i.attribution.strip() for i in infos))
    return f"<p class='dl-source'>{esc('; '.join(parts))}</p>" if parts else ""


def sources_box(infos: list[SourceInfo], language: str) -> str:
    items = []
    for info in infos:
        periods = span_label(info.periods, language)
        fetched = info.fetched_at[:10] if info.fetched_at else "–"
        licence = (f"<a href='{esc(info.licence_url)}'>{esc(info.licence)}</a>" if info.licence_url else esc(info.licence))
        derived = f"<div class='dl-derived'>{esc(t('derived_note', language))}</div>" if info.derived else ""
        caveat = f"<div class='dl-caveat'>{esc(info.caveats.strip())}</div>" if info.caveats else ""
        missing = ""
        if not info.available:
            missing = f"<div class='dl-missing'>{esc(t('needs_refresh', language))}</div>"
        items.append(
            f"<li><div class='dl-source-title'>{esc(info.title)}</div>"
            f"<div>{esc(info.publisher)} · {t('licence', language)}: {licence}"
            f"{' · ' + t('periods_covered', language) + ': ' + esc(periods) if periods else ''}"
            f" · {t('fetched', language)}: {esc(fetched)} · "
            f"<a href='{esc(info.landing_page)}'>{t('official_page', language)}</a></div>"
            f"<div class='dl-attribution'>{esc(info.attribution)}</div>{derived}{caveat}{missing}</li>"
        )
    return (f"<section class='dl-sources' aria-labelledby='dl-sources-h'><h2 id='dl-sources-h'>{t('sources', language)}</h2>"
            f"<ul>{''.join(items)}</ul></section>")


def needs_refresh(title: str, source_id: str, language: str) -> str:
    text = t("needs_refresh_text", language).format(title=esc(title), id=esc(source_id))
    return (f"<div class='dl-needs-refresh' role='note'><strong>{t('needs_refresh', language)}.</strong> "
            f"{text}</div>")


def figure(svg: str, caption_html: str, alt: str) -> str:
    """A static figure: inline SVG labelled by its text alternative, caption below."""
    svg = svg.replace("<svg ", f"<svg role='img' aria-label='{esc(alt)}' ", 1)
    return f"<figure class='dl-figure'>{svg}<figcaption>{caption_html}</figcaption></figure>"


def points_list(view: PointsView, open_flags=None, language: str = "cs") -> str:
    """The places as an accessible list (name + details), the map's text twin.

    With ``open_flags`` (from opening hours) each place says whether it is open now.
    """
    items = []
    for index, row in enumerate(view.frame.itertuples()):
        details = " · ".join(str(getattr(row, d)) for d in view.details
                             if getattr(row, d, None) not in (None, "") and not pd.isna(getattr(row, d)))
        state = ""
        if open_flags is not None:
            flag = open_flags.iloc[index]
            key = "unknown" if pd.isna(flag) else ("open" if bool(flag) else "closed")
            label = t({"open": "open_now", "closed": "closed_now", "unknown": "hours_unknown"}[key], language)
            state = f" <span class='dl-open-state dl-open-{key}'>({esc(label)})</span>"
        items.append(f"<li><strong>{esc(str(getattr(row, view.label)))}</strong>{state}"
                     f"{' – ' + esc(details) if details else ''}</li>")
    return f"<ul class='dl-points-list'>{''.join(items)}</ul>"


def list_table(view: ListView, language: str) -> str:
    """A publisher's list as an accessible table with Czech-formatted numbers and totals."""
    columns = list(view.headers)
    head = "".join(f"<th scope='col'>{esc(view.headers[c])}</th>" for c in columns)
    body = []
    for row in view.rows.itertuples(index=False):
        cells = []
        for position, column in enumerate(columns):
            value = row[position]
            if column in view.numeric:
                cells.append(f"<td class='dl-num'>{esc(format_number(value) if pd.notna(value) else '–')}</td>")
            elif position == 0:
                cells.append(f"<th scope='row'>{esc('' if pd.isna(value) else str(value))}</th>")
            else:
                cells.append(f"<td>{esc('' if pd.isna(value) else str(value))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    foot = ""
    if view.totals:
        cells = [f"<th scope='row'>{'Celkem' if language == 'cs' else 'Total'}</th>"]
        for column in columns[1:]:
            total = view.totals.get(column)
            cells.append(f"<td class='dl-num'>{esc(format_number(total))}</td>" if total is not None else "<td></td>")
        foot = f"<tfoot><tr>{''.join(cells)}</tr></tfoot>"
    return (f"<table class='dl-table dl-list'><caption>{esc(view.title)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody>{foot}</table>")
