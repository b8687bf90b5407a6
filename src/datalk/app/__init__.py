"""Topic pages for notebooks: ``open_topic`` gives the Voilà app or the printed report.

Report mode never imports widget libraries, so a Papermill kernel stays lean.
"""

from __future__ import annotations

import logging
import os

# In a notebook kernel nobody configures logging, so Python's last-resort handler would print
# every warning of the data layer (e.g. a failed download) as a raw stderr line above the page.
# The page itself says what failed; a configured root logger (CLI, reports) still gets them.
logging.getLogger("datalk").addHandler(logging.NullHandler())


def open_topic(topic_id: str, territory=None, period=None, language="cs", mode="app", indicator=None):
    """The page object a topic notebook draws with (``page.header()``, ``page.chart(id)``…).

    In app mode, URL parameters of a permalink (``?territory=…&period=…``) override
    the notebook's defaults; wrong values give a friendly message, never a traceback.
    When the territory code list or the topic's data cannot be loaded (offline Binder, a
    publisher's server down), the page shows one notice naming what failed instead.
    """
    from datalk.app.base import UnavailablePage
    from datalk.errors import DatalkError

    if str(mode).strip().lower() == "report":
        from datalk.app.report import ReportPage

        try:
            return ReportPage(topic_id, territory, period, language, "report", indicator)
        except DatalkError as exc:
            return UnavailablePage(topic_id, exc, language, "report")
    from datalk.app.interactive import AppPage
    from datalk.app.urlparams import read_query

    defaults = (territory, period, language, indicator)
    # A preheated kernel (Voilà's pool) runs this before any visitor exists: build the default
    # view now (imports, data, every chart), so a visitor without parameters waits for nothing
    # but the page transfer. A permalink's territory, period or indicator redraws that page as
    # a change of its controls would; only another language builds a new page.
    preheated = os.environ.get("VOILA_PREHEAT", "False") != "False"
    ready = _prepare(AppPage, topic_id, defaults, mode) if preheated else None
    query = read_query()
    wanted = (query.get("territory", territory), query.get("period", period), query.get("lang", language),
              query.get("indicator", indicator))
    if ready is not None and wanted[2] == language and _retargeted(ready, wanted, defaults):
        ready._update_chrome()  # the request's SCRIPT_NAME is known only now (permalink)
        return ready
    try:
        return AppPage(topic_id, wanted[0], wanted[1], wanted[2], mode, wanted[3])
    except DatalkError as exc:
        return UnavailablePage(topic_id, exc, query.get("lang", language), mode)


def _prepare(page_class, topic_id: str, defaults: tuple, mode):
    """The default page built ahead of the request, or None when it cannot be (shown later)."""
    territory, period, language, indicator = defaults
    try:
        page = page_class(topic_id, territory, period, language, mode, indicator)
        page.prebuild()
        return page
    except Exception:  # the request path builds the page again and shows what is wrong
        logging.getLogger(__name__).info("preheating %s failed", topic_id, exc_info=True)
        return None


def _retargeted(page, wanted: tuple, defaults: tuple) -> bool:
    """The page built ahead now shows the wanted parameters; False when it could not."""
    if wanted == defaults:
        return True
    territory, period, _, indicator = wanted
    try:
        page.retarget(territory, period, indicator)
        return True
    except Exception:  # a new page shows what is wrong
        logging.getLogger(__name__).info("retargeting %s failed", page.topic.id, exc_info=True)
        return False


__all__ = ["open_topic"]
