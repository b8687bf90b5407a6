"""The colophon of every report: data vintage, build date, how to reproduce it.

It is the only part of a report that may differ between two builds of the same
data (the build date), so determinism checks compare reports without it.
"""

from __future__ import annotations

import html
from datetime import datetime
from urllib.parse import quote, urlencode

from datalk import __version__
from datalk.app.binder import launch_url
from datalk.sources import cache, get_source
from datalk.sources.periods import period_label, sort_periods


def binder_url(notebook: str, query: dict[str, str | None] | None = None) -> str:
    """mybinder.org link that opens the notebook in Voilà (URL parameters pick the territory)."""
    path = f"voila/render/notebooks/{notebook}.ipynb"
    params = {k: v for k, v in (query or {}).items() if v}
    if params:
        path += "?" + urlencode(params)
    return f"{launch_url()}?urlpath={quote(path, safe='/')}"  # repository and ref as in datalk.app.binder


def czech_datetime(moment: datetime) -> str:
    return f"{moment.day}. {moment.month}. {moment.year} {moment:%H:%M}"


def czech_date(iso: str) -> str:
    """'2026-11-27T…' → '27. 11. 2026'."""
    year, month, day = str(iso)[:10].split("-")
    return f"{int(day)}. {int(month)}. {year}"


def vintage(source_ids: list[str]) -> list[dict]:
    """Per source: title, periods in the cached data and when it was fetched (from the lock)."""
    items = []
    for source_id in dict.fromkeys(source_ids):
        lock = cache.read_lock(source_id)
        try:
            title = get_source(source_id).title
        except Exception:  # an unknown id in a topic YAML: still list it
            title = source_id
        periods = sort_periods(lock.periods) if lock and lock.periods else []
        items.append(
            {
                "id": source_id,
                "title": title,
                "periods": (
                    f"{period_label(periods[0])}–{period_label(periods[-1])}"
                    if len(periods) > 1
                    else period_label(periods[0])
                    if periods
                    else ""
                ),
                "fetched": lock.fetched_at[:10] if lock else None,
                "fetched_cs": czech_date(lock.fetched_at) if lock else None,
                "mirror": bool(lock and lock.from_mirror),
            }
        )
    return items


def colophon_html(
    title: str, source_ids: list[str], built_at: datetime, binder: str, report_id: str
) -> str:
    """``<footer class="dl-colophon">`` with the vintage list, build date and the Binder link.

    What all sources share (one fetch date, the mirror) is said once; many sources go in
    two narrow columns so a profile's colophon stays on one page.
    """
    items = vintage(source_ids)
    fetched = sorted({i["fetched"] for i in items if i["fetched"]})
    one_date = len(fetched) == 1  # said once; sources without data say so themselves
    all_mirror = any(i["mirror"] for i in items) and all(i["mirror"] for i in items if i["fetched"])
    lines = []
    for item in items:
        detail = [f"období {item['periods']}"] if item["periods"] else []
        if not item["fetched"]:
            detail.append("data nejsou stažena")
        elif not one_date:
            detail.append(f"staženo {item['fetched_cs']}")
        if item["mirror"] and not all_mirror:
            detail.append("ze zrcadla dat")
        suffix = f" ({html.escape(', '.join(detail))})" if detail else ""
        lines.append(f"<li>{html.escape(item['title'])}{suffix}</li>")
    if not fetched:
        span = "data nejsou stažena"
    elif len(fetched) == 1:
        span = f"staženo {czech_date(fetched[0])}"
    else:
        span = f"staženo {czech_date(fetched[0])} až {czech_date(fetched[-1])}"
    span += ", ze zrcadla dat" if all_mirror else ""
    cls = " class='dl-vintage-long'" if len(items) > 12 else ""
    return (
        '<footer class="dl-colophon" id="tiraz" aria-labelledby="tiraz-h">'
        '<h2 id="tiraz-h">Tiráž</h2><dl>'
        f"<dt>Report</dt><dd>{html.escape(title)} <span class='dl-period'>({html.escape(report_id)})</span></dd>"
        "<dt>Vydavatel</dt><dd>Liberecký kraj, otevřený datový portál (datalk)</dd>"
        f"<dt>Sestaveno</dt><dd>{czech_datetime(built_at)} · datalk {__version__}</dd>"
        f"<dt>Stav dat</dt><dd>{len(items)} zdrojů, {html.escape(span)}<ul{cls}>{''.join(lines)}</ul></dd>"
        f'<dt>Reprodukce</dt><dd>Stejný výstup dá notebook v Binderu: <a href="{html.escape(binder)}">'
        f"{html.escape(binder)}</a></dd>"
        "<dt>Licence</dt><dd>Texty a grafy CC BY 4.0, Liberecký kraj; data podle licencí zdrojů uvedených "
        "u grafů a tabulek.</dd>"
        "</dl></footer>"
    )
