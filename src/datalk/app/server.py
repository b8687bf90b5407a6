"""The public portal server: Voilà standalone plus the portal's own pages.

Why a subclass of :class:`voila.app.Voila` rather than a separate web app: one process,
one port and one set of security headers serve both the notebook pages and the static
site, and Voilà's preheated kernel pool (standalone only) keeps working. The subclass

* removes what a public site must not expose: the contents API, the notebook tree and
  ``/voila/files`` (they would list and serve the checkout);
* renders only topic notebooks (``/voila/render/<topic>.ipynb``) and serves template
  assets of the portal template only, so no path can leave the served directories;
* re-applies ``MappingKernelManager.allowed_message_types`` from ``voila.json`` (Voilà
  passes its own list to the kernel manager, which would win over configuration), so a
  browser can talk to widgets but never send ``execute_request``;
* adds the landing page, search, open data, about, accessibility, feedback and signpost
  pages (:mod:`datalk.app.site.handlers`) and a Czech 404 for everything else;
* sets no login cookie (:class:`AnonymousVisitors`), so several processes or pods behind one
  address do not reject each other's cookies.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import jinja2
import tornado.web
from jupyter_server.auth.identity import IdentityProvider, PasswordIdentityProvider
from jupyter_server.base.handlers import FileFindHandler
from traitlets import Bool, Int, List, Type, Unicode
from voila.app import Voila
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.utils import make_url

from datalk.app.admission import RenderQueue, default_slots
from datalk.app.compressed_static import PrecompressedStatic
from datalk.app.live_frontend import live_frontend
from datalk.app.site import handlers as site
from datalk.app.site.content import chrome_resources
from datalk.app.site.feedback import FeedbackStore
from datalk.app.site.tiles import Headlines
from datalk.app.static_site import STATIC_PREFIX, StaticPages
from datalk.settings import get_settings

log = logging.getLogger(__name__)

TEMPLATE = "datalk"
SITE_TEMPLATES = Path(__file__).parent / "site" / "templates"
#: Messages a page may send to its kernel: widget comms and the kernel handshake only.
WIDGET_MESSAGES = [
    "comm_open",
    "comm_msg",
    "comm_close",
    "comm_info_request",
    "kernel_info_request",
]
#: Handler routes of Voilà that a public portal does not offer.
REMOVED_ROUTES = (
    "/voila/api/contents",
    "/voila/tree",
    "/voila/files/",
    "/voila/templates/",
    "/voila/render/",
    "/login",
    "/logout",
)
TOPIC_NOTEBOOK = re.compile(r"^[a-z][a-z0-9_]*\.ipynb$")


class AnonymousVisitors(PasswordIdentityProvider):
    """Every visitor is anonymous and gets no login cookie.

    Jupyter signs its login cookie with a secret that is random per process. Behind nginx with
    several processes (deploy/nginx/datalk-multi.conf) or pods, a browser's assets come from
    any of them: each process rejected the others' cookie, logged a warning and set its own on
    nearly every response (which also keeps shared caches from storing them). The portal has
    no logins, so it needs no cookie; a configured token (never in production) still works.
    """

    def get_user(self, handler):
        if self.auth_enabled:
            return super().get_user(handler)
        return self.generate_anonymous_user(handler)


class FriendlyErrors:
    """Errors as the portal's page (Czech, UTF-8, no traceback) instead of tornado's or Jupyter's."""

    def write_error(self, status_code: int, **kwargs) -> None:
        site.render_error(self, status_code, **kwargs)


class TopicRenderHandler(FriendlyErrors, TornadoVoilaHandler):
    """Voilà's render handler restricted to topic notebooks directly in the served directory.

    Other notebooks there (analysts' scratch work, report-only profiles) are not public.
    """

    async def get(self, path=None):
        root = Path(self.settings["datalk_notebooks"])
        if (
            not path
            or not TOPIC_NOTEBOOK.match(path)
            or path[: -len(".ipynb")] not in topic_ids()
            or not (root / path).is_file()
        ):
            raise tornado.web.HTTPError(404)
        async with self.settings["datalk_render_queue"].slot(path):
            stream = getattr(self.request.connection, "stream", None)
            if stream is not None and stream.closed():
                return  # the visitor left while waiting: no kernel for nobody
            await super().get(path)


def topic_ids() -> set[str]:
    return {t["id"] for t in chrome_resources()["topics"]}


class SecurityHeaders:
    """Mixin for Voilà's plain tornado static handlers: the same headers as every page."""

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("X-Content-Type-Options", "nosniff")
        for name, value in self.settings.get("headers", {}).items():
            self.set_header(name, value)


class PortalStatic(FriendlyErrors, SecurityHeaders, PrecompressedStatic, MultiStaticFileHandler):
    """``/voila/static``: Voilà's own bundle, with the portal's headers."""


class PortalExtensions(FriendlyErrors, PrecompressedStatic, FileFindHandler):
    """``/voila/labextensions``: the widget bundles (already a Jupyter handler with headers)."""


class PortalTemplateStatic(FriendlyErrors, SecurityHeaders, PrecompressedStatic, TemplateStaticFileHandler):
    """Assets of the portal template (and the templates it extends), nothing else."""

    def parse_url_path(self, path):
        parts = path.split("/")
        if (
            len(parts) < 3
            or parts[0] != TEMPLATE
            or parts[1] != "static"
            or ".." in parts
            or "" in parts[2:]
        ):
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(path)


class StaticTopicHandler(site.TopicRedirectHandler):
    """``/tema/<id>``: the pre-rendered default view when it is fresh, else the live page.

    Only a request without parameters gets the static page: a permalink with a territory,
    period, indicator or language needs Python, so it goes to Voilà as before. The page is
    revalidated by ETag; its assets under ``/tema/_static/`` are versioned (``?v=``).
    """

    _cache: dict = {}

    def get(self, topic_id: str) -> None:
        pages: StaticPages | None = self.settings.get("datalk_static")
        path = pages.page(topic_id) if pages and not self.request.query else None
        if path is None or topic_id not in topic_ids():
            return super().get(topic_id)
        body = self._read(path)
        if body is None:
            return super().get(topic_id)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "public, max-age=60, must-revalidate")
        self.set_header("X-Datalk-Page", "static")
        self.finish(body)

    @classmethod
    def _read(cls, path: Path) -> bytes | None:
        try:
            mtime = path.stat().st_mtime_ns
            cached = cls._cache.get(path)
            if cached and cached[0] == mtime:
                return cached[1]
            body = path.read_bytes()
        except OSError:
            return None
        cls._cache[path] = (mtime, body)
        return body


class StaticAssetHandler(FriendlyErrors, SecurityHeaders, PrecompressedStatic, tornado.web.StaticFileHandler):
    """Scripts, CSS and the code list of the static pages; ``?v=<hash>`` → cached for a year."""

    def set_extra_headers(self, path: str) -> None:
        versioned = bool(self.get_query_argument("v", ""))
        self.set_header(
            "Cache-Control",
            "public, max-age=31536000, immutable" if versioned else "public, max-age=300",
        )

    def get_cache_time(self, path, modified, mime_type) -> int:
        return 0  # Cache-Control is set above; no Expires header from tornado


class PortalApp(Voila):
    """Voilà with the datalk routes, template and hardening (see the module docstring)."""

    name = "datalk"
    description = "datalk – veřejný portál Libereckého kraje (Voilà)"
    preheat_topics = List(
        Unicode(),
        default_value=None,
        allow_none=True,
        config=True,
        help="Topics with a preheated kernel pool (default: all topics).",
    )
    identity_provider_class = Type(
        default_value=AnonymousVisitors,
        klass=IdentityProvider,
        config=True,
        help="Who a request is: anonymous visitors without a login cookie (AnonymousVisitors).",
    )
    static_pages = Bool(
        True,
        config=True,
        help="Serve fresh pre-rendered default views (datalk site prerender) at /tema/<id>.",
    )

    max_notebook_runs = Int(
        0,
        config=True,
        help="Topic notebooks run at once (live pages); more visitors wait their turn. "
        "0: two per CPU.",
    )

    def initialize(self, argv=None):
        super().initialize(argv)
        # The chrome's data (menu of topics, strings, contact) reach the Voilà template
        # as ``resources.datalk``; NotebookRenderer merges VoilaConfiguration.resources.
        resources = dict(self.config.VoilaConfiguration.get("resources") or {})
        # ``live``: the widget frontend of live pages (None: Voilà's own, see live_frontend).
        live = live_frontend(StaticPages().static_dir, STATIC_PREFIX)
        resources["datalk"] = dict(chrome_resources(), live=live)
        self.config.VoilaConfiguration.resources = resources

    def init_settings(self) -> dict:
        self._configure_pools()
        settings = super().init_settings()
        configured = self.config.get("MappingKernelManager", {}).get("allowed_message_types")
        allowed = list(configured) if configured else list(WIDGET_MESSAGES)
        if "execute_request" in allowed:
            raise ValueError(
                "MappingKernelManager.allowed_message_types must not allow execute_request"
            )
        self.kernel_manager.allowed_message_types = allowed
        env = settings["voila_jinja2_env"]
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.FileSystemLoader(str(SITE_TEMPLATES))])
        env.globals.update(self._template_globals())
        settings.update(
            # gzip for text (HTML, CSS, the 6 MB of widget JavaScript → 1.6 MB) also without nginx
            # (make serve, Binder); read by tornado when the Application is built, which is why
            # it is here and not in voila.json's tornado_settings (applied after that)
            compress_response=True,
            default_handler_class=site.NotFoundHandler,
            datalk_env=self._site_env(),
            datalk_notebooks=str(Path(self.root_dir).resolve()),
            datalk_headlines=Headlines(),
            datalk_feedback=FeedbackStore(),
            datalk_executor=ThreadPoolExecutor(max_workers=1, thread_name_prefix="datalk-site"),
            datalk_static=StaticPages() if self.static_pages else None,
            datalk_render_queue=RenderQueue(self.max_notebook_runs or default_slots(), self.log),
        )
        return settings

    def _configure_pools(self) -> None:
        """Preheat topic notebooks only (Voilà would pool every notebook it finds).

        ``VoilaKernelManager.kernel_pools_config`` from the configuration wins when set.
        """
        if self.config.get("VoilaKernelManager", {}).get("kernel_pools_config"):
            return
        size = max(self.voila_configuration.default_pool_size, 0)
        topics = self.preheat_topics if self.preheat_topics is not None else sorted(topic_ids())
        pools = {"default": {"pool_size": 0}}
        pools.update({f"{topic}.ipynb": {"pool_size": size} for topic in topics})
        self.config.VoilaKernelManager.kernel_pools_config = pools

    def _template_globals(self) -> dict:
        return {"portal": chrome_resources(), "asset": partial(make_url, TEMPLATE, self.base_url)}

    def _site_env(self) -> jinja2.Environment:
        """Jinja for the portal pages: package templates first, then the Voilà template's chrome."""
        loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(str(SITE_TEMPLATES)),
                jinja2.FileSystemLoader(self.template_paths),
            ]
        )
        env = jinja2.Environment(
            loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True
        )
        env.globals.update(self._template_globals())
        return env

    def init_handlers(self) -> list:
        kept = [
            _with_headers(h) for h in super().init_handlers() if not _removed(h[0], self.server_url)
        ]
        voila_conf = {
            "template_paths": self.template_paths,
            "config": self.config,
            "voila_configuration": self.voila_configuration,
        }
        own = [
            (r"/voila/render/(.*)", TopicRenderHandler, voila_conf),
            (r"/voila/templates/(.*)", PortalTemplateStatic),
            (r"/tema/([a-z][a-z0-9_]*)/?", StaticTopicHandler),
            (r"/tema/_static/(.*)", StaticAssetHandler, {"path": str(StaticPages().static_dir)}),
        ]
        return own + site.routes(str(get_settings().root / "site" / "opendata")) + kept

    def listen(self):
        self._warm_headlines()
        super().listen()

    def _warm_headlines(self) -> None:
        """Compute the landing-page figures in the background so the first visitor waits less."""
        settings = self.app.settings
        settings["datalk_executor"].submit(settings["datalk_headlines"].get)


def _with_headers(handler: tuple) -> tuple:
    """Voilà's static handlers → the portal's subclasses (headers, friendly errors)."""
    replacement = {MultiStaticFileHandler: PortalStatic, FileFindHandler: PortalExtensions}.get(
        handler[1]
    )
    return (handler[0], replacement, *handler[2:]) if replacement else handler


def _removed(pattern: str, server_url: str) -> bool:
    path = "/" + pattern[len(server_url) :] if pattern.startswith(server_url) else pattern
    if path.rstrip("/") == "" or pattern == server_url:
        return True  # the notebook tree at "/": the landing page replaces it
    return any(path.startswith(prefix) for prefix in REMOVED_ROUTES)


def main(argv=None) -> None:
    """Entry point used by ``datalk serve`` (and ``python -m datalk.app.server``)."""
    PortalApp.launch_instance(argv)


if __name__ == "__main__":
    main()
