"""Tornado handlers of the portal's own pages (everything that is not a topic notebook).

They run inside the Voilà process (:mod:`datalk.app.server`), render Jinja templates from
``site/templates`` that share the header and footer macros of the Voilà template, and
apply the same security headers as Voilà's handlers. Errors become Czech pages without
tracebacks. Anything slow (reading the data cache) runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlencode

import tornado.web
from tornado.ioloop import IOLoop

from datalk.app.site import search as site_search
from datalk.app.site.content import CONTACT, PORTALS, pick_language, topic_entries

log = logging.getLogger(__name__)

mimetypes.add_type("application/ld+json", ".jsonld")
mimetypes.add_type("application/geo+json", ".geojson")
TILE_WAIT = 4.0  # seconds the first landing page waits for headline figures
STATUS_TEXT = {
    400: {"cs": "Neplatný požadavek", "en": "Bad request"},
    403: {"cs": "Přístup odepřen", "en": "Forbidden"},
    404: {"cs": "Stránka nenalezena", "en": "Page not found"},
    405: {"cs": "Nepovolená metoda", "en": "Method not allowed"},
    429: {"cs": "Příliš mnoho požadavků", "en": "Too many requests"},
}


def href(lang: str, path: str, **params) -> str:
    """An internal link that keeps the English version when the visitor chose it."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if lang == "en":
        query["lang"] = "en"
    return f"{path}?{urlencode(query)}" if query else path


class PageHandler(tornado.web.RequestHandler):
    """Base: security headers from ``tornado_settings.headers``, language, Jinja rendering."""

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        for name, value in self.settings.get("headers", {}).items():
            self.set_header(name, value)

    @property
    def lang(self) -> str:
        return pick_language(self.get_query_argument("lang", None))

    def render_page(self, template: str, status: int = 200, **context) -> None:
        env = self.settings["datalk_env"]
        lang = context.pop("lang", None) or self.lang
        html = env.get_template(template).render(
            lang=lang,
            href=lambda path, **p: href(lang, path, **p),
            request_path=self.request.path,
            switch_url=self._switch_url(lang),
            **context,
        )
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(html)

    def _switch_url(self, lang: str) -> str:
        """The same page in the other language."""
        args = {k: self.get_query_argument(k) for k in self.request.query_arguments if k != "lang"}
        if lang == "cs":
            args["lang"] = "en"
        return f"{self.request.path}?{urlencode(args)}" if args else self.request.path

    def write_error(self, status_code: int, **kwargs) -> None:
        render_error(self, status_code, **kwargs)

    async def head(self, *args, **kwargs) -> None:
        """Uptime monitors and link checkers ask with HEAD: the GET answer without its body."""
        if type(self).get is tornado.web.RequestHandler.get:
            raise tornado.web.HTTPError(405)
        result = self.get(*args, **kwargs)
        if asyncio.iscoroutine(result):
            await result

    async def in_thread(self, function, *args):
        return await IOLoop.current().run_in_executor(
            self.settings["datalk_executor"], function, *args
        )


class NotFoundHandler(PageHandler):
    """Every unknown URL: a Czech 404 with the way back (tornado's default_handler_class)."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class LandingHandler(PageHandler):
    async def get(self) -> None:
        headlines = self.settings["datalk_headlines"]
        figures = headlines.peek()
        if figures is None:
            try:
                figures = await asyncio.wait_for(
                    asyncio.shield(self.in_thread(headlines.get)), TILE_WAIT
                )
            except TimeoutError:
                figures = {}
        self.render_page(
            "landing.html", topics=topic_entries(), figures=figures, portals=PORTALS[:3]
        )


class SearchHandler(PageHandler):
    def get(self) -> None:
        query = self.get_query_argument("q", "").strip()[: site_search.MAX_QUERY]
        results = site_search.search(query, self.lang) if query else []
        groups = {
            kind: [r for r in results if r.kind == kind]
            for kind in ("topic", "indicator", "dataset")
        }
        self.render_page("search.html", query=query, results=results, groups=groups)


class TopicRedirectHandler(PageHandler):
    """``/tema/<id>`` → the topic's Voilà page, keeping the permalink query string."""

    def get(self, topic_id: str) -> None:
        known = {t["id"] for t in topic_entries()}
        notebook = Path(self.settings["datalk_notebooks"]) / f"{topic_id}.ipynb"
        if topic_id not in known or not notebook.is_file():
            raise tornado.web.HTTPError(404)
        query = self.request.query
        self.redirect(f"/voila/render/{topic_id}.ipynb" + (f"?{query}" if query else ""))


class AboutHandler(PageHandler):
    async def get(self) -> None:
        records = await self.in_thread(_source_records)
        self.render_page("about.html", records=records)


def _source_records() -> list[dict]:
    """Status of every data source, with the topics that use it."""
    from datalk import sources
    from datalk.topics import all_topics

    used: dict[str, list] = {}
    for topic in all_topics():
        for source_id in topic.sources:
            used.setdefault(source_id, []).append(topic)
    specs = sources.all_sources()
    records = []
    for record in sources.status():
        spec = specs[record["id"]]
        if spec.role != "data":
            continue
        records.append(
            {
                **record,
                "landing_page": spec.landing_page,
                "attribution": spec.licence.attribution,
                "topics": used.get(record["id"], []),
                "derived": spec.derived,
            }
        )
    return sorted(records, key=lambda r: (not r["topics"], r["title"]))


class StaticPageHandler(PageHandler):
    """Pages that are only a template (accessibility statement, signpost)."""

    def initialize(self, template: str) -> None:
        self.template = template

    def get(self) -> None:
        self.render_page(self.template, portals=PORTALS, contact=CONTACT)


class FeedbackHandler(PageHandler):
    """A form stored to JSONL (``FeedbackStore``); e-mail link as the fallback."""

    def get(self) -> None:
        self.render_page(
            "feedback.html",
            sent=self.get_query_argument("odeslano", "") == "1",
            error=None,
            values={"topic": self.get_query_argument("tema", "")[:100]},
            contact=CONTACT,
            topics=topic_entries(),
        )

    def post(self) -> None:
        fields = {k: self.get_body_argument(k, "") for k in ("message", "email", "topic", "web")}
        address = self.request.headers.get("X-Real-IP") or self.request.remote_ip or ""
        outcome = self.settings["datalk_feedback"].submit(
            fields, address, self.request.headers.get("Referer", "")
        )
        if outcome.ok:
            self.redirect(href(self.lang, "/zpetna-vazba", odeslano="1"), status=303)
            return
        status = 429 if outcome.error == "fb_rate" else 400
        self.render_page(
            "feedback.html",
            status=status,
            sent=False,
            error=outcome.error,
            values=fields,
            contact=CONTACT,
            topics=topic_entries(),
        )


class OpenDataHandler(tornado.web.StaticFileHandler):
    """``site/opendata/`` (written by ``datalk catalog build``) with CORS for harvesters.

    The national catalogue (NKOD) and other sites fetch the DCAT-AP-CZ files from the
    browser or a harvester, so every response allows any origin. A missing directory
    or file gives the portal's friendly 404, a directory without index a file list.
    """

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        for name, value in self.settings.get("headers", {}).items():
            self.set_header(name, value)
        self.set_header("Access-Control-Allow-Origin", "*")
        self.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")

    def options(self, path: str) -> None:
        self.set_status(204)
        self.finish()

    async def get(self, path: str, include_body: bool = True) -> None:
        root = Path(self.root)
        if path in ("", "/") and root.is_dir() and not (root / "index.html").is_file():
            files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
            return _render(self, "opendata.html", available=True, files=files)
        await super().get(path, include_body)

    def write_error(self, status_code: int, **kwargs) -> None:
        available = Path(self.root).is_dir()
        _render(
            self, "opendata.html", status=status_code, available=available, files=None, missing=True
        )


def render_error(handler: tornado.web.RequestHandler, status_code: int, **kwargs) -> None:
    """The portal's error page for any handler: Czech (or English), UTF-8, never a traceback."""
    if "exc_info" in kwargs and status_code >= 500:
        log.error("%s failed", handler.request.path, exc_info=kwargs["exc_info"])
    lang = pick_language(handler.get_query_argument("lang", None))
    titles = STATUS_TEXT.get(status_code, {"cs": "Chyba serveru", "en": "Server error"})
    _render(
        handler,
        "error.html",
        status=status_code,
        status_code=status_code,
        status_title=titles[lang],
    )


def _render(
    handler: tornado.web.RequestHandler, template: str, status: int = 200, **context
) -> None:
    """``PageHandler.render_page`` for handlers that cannot inherit it."""
    lang = pick_language(handler.get_query_argument("lang", None))
    env = handler.settings["datalk_env"]
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    switch = handler.request.path + ("" if lang == "en" else "?lang=en")
    handler.finish(
        env.get_template(template).render(
            lang=lang,
            href=lambda path, **p: href(lang, path, **p),
            request_path=handler.request.path,
            switch_url=switch,
            **context,
        )
    )


class HealthHandler(tornado.web.RequestHandler):
    """For systemd/nginx checks: the process answers and sees its notebooks."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish("ok\n")

    head = get  # uptime monitors often ask with HEAD


class RobotsHandler(tornado.web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish("User-agent: *\nDisallow: /voila/api/\nDisallow: /api/\n")


def routes(opendata_dir: str) -> list[tuple]:
    return [
        (r"/", LandingHandler),
        (r"/hledat/?", SearchHandler),
        (r"/tema/([a-z][a-z0-9_]*)/?", TopicRedirectHandler),
        (r"/o-datech/?", AboutHandler),
        (r"/pristupnost/?", StaticPageHandler, {"template": "accessibility.html"}),
        (r"/rozcestnik/?", StaticPageHandler, {"template": "portals.html"}),
        (r"/zpetna-vazba/?", FeedbackHandler),
        (
            r"/opendata/(.*)",
            OpenDataHandler,
            {"path": opendata_dir, "default_filename": "index.html"},
        ),
        (r"/opendata", tornado.web.RedirectHandler, {"url": "/opendata/"}),
        (r"/healthz", HealthHandler),
        (r"/robots.txt", RobotsHandler),
    ]
