"""Topic pages for notebooks: ``open_topic`` gives the Voilà app or the printed report.

Report mode never imports widget libraries, so a Papermill kernel stays lean.
"""

from __future__ import annotations


def open_topic(topic_id: str, territory=None, period=None, language="cs", mode="app", indicator=None):
    """The page object a topic notebook draws with (``page.header()``, ``page.chart(id)``…).

    In app mode, URL parameters of a permalink (``?territory=…&period=…``) override
    the notebook's defaults; wrong values give a friendly message, never a traceback.
    """
    if str(mode).strip().lower() == "report":
        from datalk.app.report import ReportPage

        return ReportPage(topic_id, territory, period, language, "report", indicator)
    from datalk.app.interactive import AppPage
    from datalk.app.urlparams import read_query

    query = read_query()
    return AppPage(topic_id, query.get("territory", territory), query.get("period", period),
                   query.get("lang", language), mode, query.get("indicator", indicator))


__all__ = ["open_topic"]
