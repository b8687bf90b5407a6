"""Topic pages for notebooks: ``open_topic`` gives the Voilà app or the printed report.

Report mode never imports widget libraries, so a Papermill kernel stays lean.
"""

from __future__ import annotations

import logging

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

    query = read_query()
    try:
        return AppPage(topic_id, query.get("territory", territory), query.get("period", period),
                       query.get("lang", language), mode, query.get("indicator", indicator))
    except DatalkError as exc:
        return UnavailablePage(topic_id, exc, query.get("lang", language), mode)


__all__ = ["open_topic"]
