"""Several Voilà processes behind nginx (deploy/nginx/datalk-multi.conf) on one machine.

A topic page's kernel lives in the process that rendered the page, so its websocket and its
shutdown request must reach that process. The production file routes by a cookie that names
the process that answered, with a retry on the other processes when one answers 404 (no such
kernel). Two tests:

* the routing rules, against two tiny stub backends (fast, no Voilà): who gets a cookie,
  where a cookie sends a request, and the 404 safety net;
* the real thing: two ``datalk serve`` processes, nginx with the production file and four
  visitors (browser contexts) opening topic pages in Chromium. Both processes get visitors,
  every page draws its chart and map, each page's websocket and shutdown go to its own
  process at the first try (the nginx access log and the processes' logs say so), and once
  the pages are left only the preheated pool is running in each process.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.browser import pages
from tests.browser.servers import Nginx, start_nginx_multi, start_portals, stop

pytestmark = pytest.mark.browser

PREHEATED = ["labour_market"]
#: One visitor after another, each a new browser context. Round-robin alternates new visitors
#: over the two processes, so each process gets a preheated and a cold kernel.
VISITS = ["labour_market", "overview", "overview", "labour_market"]
ROUTES = ("v1", "v2")  # route names of datalk-multi.conf, in the order of its backends
COOKIE = "datalk_route"


# --- the routing rules, with stub backends ------------------------------------------------
class Stub(BaseHTTPRequestHandler):
    """Answers with its name; kernel URLs only for the kernels it owns (else 404, as Jupyter)."""

    name = ""
    kernels: frozenset[str] = frozenset()

    def _answer(self) -> None:
        kernel = re.search(r"/(?:api/kernels|voila/api/shutdown)/([0-9a-f-]+)", self.path)
        status = 404 if kernel and kernel.group(1) not in self.kernels else 200
        body = self.name.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def stub_nginx(tmp_path_factory):
    """nginx with datalk-multi.conf in front of stub A (owns kernel aaaa) and B (owns bbbb)."""
    stubs = []
    for name, kernel in (("A", "aaaa"), ("B", "bbbb")):
        handler = type(f"Stub{name}", (Stub,), {"name": name, "kernels": frozenset({kernel})})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stubs.append(server)
    ports = [s.server_address[1] for s in stubs]
    server = start_nginx_multi(ports, tmp_path_factory.mktemp("nginx-multi-stub"))
    yield server
    stop(server.proc, grace=5)
    for stub in stubs:
        stub.shutdown()
        stub.server_close()


def test_routing_rules_of_the_multi_process_config(stub_nginx):
    def ask(path: str, route: str | None = None, method: str = "GET") -> tuple[str, str | None]:
        response = requests.request(
            method,
            stub_nginx.url + path,
            cookies={COOKIE: route} if route else None,
            allow_redirects=False,
            timeout=10,
        )
        cookie = response.headers.get("Set-Cookie")
        return f"{response.status_code} {response.text}", cookie

    page = "/voila/render/overview.ipynb"
    # New visitors alternate over the processes; the cookie names the one that answered.
    first, second = ask(page), ask(page)
    assert {first[0], second[0]} == {"200 A", "200 B"}, (first, second)
    for answer, cookie in (first, second):
        route = "v1" if answer.endswith("A") else "v2"
        assert cookie == f"{COOKIE}={route}; Path=/; HttpOnly; SameSite=Lax"
    # A known cookie keeps the visitor on its process, with no new Set-Cookie.
    assert ask(page, "v1") == ("200 A", None)
    assert ask(page, "v2") == ("200 B", None)
    # An unknown route (old or forged cookie) is treated as a new visitor and replaced.
    answer, cookie = ask(page, "v9")
    assert cookie and cookie.startswith(f"{COOKIE}=v")
    # Safety net: a kernel the cookie's process does not have is found on the other one, and
    # the cookie follows it; a POST (shutdown on leaving) is retried as well.
    assert ask("/api/kernels/bbbb", "v1") == (
        "200 B",
        f"{COOKIE}=v2; Path=/; HttpOnly; SameSite=Lax",
    )
    assert ask("/api/kernels/aaaa", "v1") == ("200 A", None)
    assert ask("/voila/api/shutdown/aaaa", "v2", "POST")[0] == "200 A"
    assert ask("/voila/api/shutdown/cccc", "v1", "POST")[0].startswith("404")
    # Pages and assets that need no kernel go anywhere and never set the cookie (cacheable).
    for path in ("/", "/tema/overview", "/voila/static/voila.js", "/opendata/"):
        assert ask(path)[1] is None, path
    # Private endpoints stay closed as in the single-process file.
    for path in ("/api/kernels", "/api/sessions", "/voila/query/x", "/lab"):
        assert ask(path)[0].startswith("404"), path


# --- two real portals ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def backends(portal_cache, mirror_dir, artifacts_dir, tmp_path_factory):
    servers = start_portals(
        2,
        portal_cache,
        mirror_dir,
        tmp_path_factory.mktemp("multi-portals"),
        artifacts_dir,
        PREHEATED,
    )
    yield servers
    for server in servers:
        stop(server.proc)


@pytest.fixture(scope="module")
def multi_nginx(backends, tmp_path_factory) -> Nginx:
    server = start_nginx_multi([b.port for b in backends], tmp_path_factory.mktemp("nginx-multi"))
    yield server
    stop(server.proc, grace=5)


def wait_until(condition, timeout: float, message) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message() if callable(message) else message)
        time.sleep(1)


def pool_ready(portal) -> bool:
    """The preheated pool is full and nothing else runs (no page kernel, no refill under way)."""
    return len(portal.kernel_pids()) == len(PREHEATED)


def open_live(page, base: str, topic_id: str) -> str:
    """Open the live Voilà page (not a static one: the point is its kernel); its kernel id."""
    page.goto(f"{base}/voila/render/{topic_id}.ipynb", wait_until="commit", timeout=pages.TIMEOUT)
    page.wait_for_selector("html.dl-ready", state="attached", timeout=pages.TIMEOUT)
    page.wait_for_selector(".dl-topic-header h1", timeout=pages.TIMEOUT)
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def access_lines(nginx: Nginx, fragment: str) -> list[str]:
    return [
        line
        for line in (nginx.prefix / "access.log").read_text(errors="replace").splitlines()
        if fragment in line
    ]


def test_visitors_spread_over_processes_and_keep_their_kernel(backends, multi_nginx, browser):
    from websocket import create_connection

    by_route = dict(zip(ROUTES, backends, strict=True))
    for portal in backends:
        wait_until(
            lambda p=portal: (
                pool_ready(p) and p.count("Kernel pool of labour_market.ipynb is filled")
            ),
            300,
            lambda p=portal: f"pool of {p.url} not ready:\n{p.log_text()[-3000:]}",
        )

    contexts, visits = [], []
    try:
        for n, topic in enumerate(VISITS):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="cs-CZ")
            contexts.append(context)
            if n == len(VISITS) - 1:  # a stale cookie naming no process: treated as new
                context.add_cookies([{"name": COOKIE, "value": "v9", "url": multi_nginx.url}])
            page = context.new_page()
            page.set_default_timeout(60_000)
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            kernel = open_live(page, multi_nginx.url, topic)
            assert pages.wait_drawn(page, "line") >= 1, f"{topic}: no chart"
            assert pages.wait_drawn(page, "choropleth") >= 1, f"{topic}: no map"
            route = {c["name"]: c["value"] for c in context.cookies()}.get(COOKIE)
            assert route in ROUTES, f"visitor {n}: route cookie {route!r}"
            assert not errors, f"{topic}: {errors}"
            visits.append({"topic": topic, "kernel": kernel, "route": route, "page": page})

        routes = [v["route"] for v in visits]
        assert set(routes) == set(ROUTES), f"one process got every visitor: {routes}"
        for visit in visits:
            own = by_route[visit["route"]]
            other = next(p for p in backends if p is not own)
            started = f"Kernel started: {visit['kernel']}"
            assert started in own.log_text() and started not in other.log_text(), (
                f"{visit['topic']}: kernel not in the process its cookie names"
            )
        for portal in backends:
            mine = sum(by_route[v["route"]] is portal for v in visits)
            assert len(portal.kernel_pids()) >= mine, "a page's kernel is missing"

        # The safety net with a real kernel: a websocket whose cookie names the wrong process
        # still reaches the kernel (nginx retries after Jupyter's 404).
        probe = visits[0]
        wrong = next(r for r in ROUTES if r != probe["route"])
        missing = f"Kernel does not exist: {probe['kernel']}"
        before = by_route[wrong].count(missing)
        ws_url = multi_nginx.url.replace("http://", "ws://")
        ws = create_connection(
            f"{ws_url}/api/kernels/{probe['kernel']}/channels?session_id={uuid.uuid4().hex}",
            cookie=f"{COOKIE}={wrong}",
            timeout=30,
        )
        ws.close()
        assert by_route[wrong].count(missing) == before + 1, "the wrong process was not asked"

        for visit in visits:
            pages.leave(visit["page"])  # beforeunload → /voila/api/shutdown/<kernel>
    finally:
        for context in contexts:
            context.close()

    # Every page's kernel was shut down by its own process; only the pools are left.
    for visit in visits:
        own = by_route[visit["route"]]
        wait_until(
            lambda own=own, k=visit["kernel"]: f"Kernel shutdown: {k}" in own.log_text(),
            120,
            f"{visit['topic']}: kernel {visit['kernel']} still running after the page closed",
        )
    for portal in backends:
        wait_until(
            lambda p=portal: pool_ready(p),
            240,
            lambda p=portal: f"{p.url}: {len(p.kernel_pids())} kernels, pool is {len(PREHEATED)}",
        )

    # Each websocket and each shutdown reached its process at the first try (the probe aside).
    for visit in visits:
        address = f"upstream=127.0.0.1:{by_route[visit['route']].port} "
        for fragment in (
            f"/api/kernels/{visit['kernel']}/channels",
            f"/shutdown/{visit['kernel']}",
        ):
            lines = access_lines(multi_nginx, fragment)
            if visit is probe and fragment.endswith("/channels"):
                lines = [line for line in lines if f"route={wrong}" not in line]
            assert lines, f"{visit['topic']}: no request for {fragment} went through nginx"
            assert all(address in line for line in lines), "\n".join(lines)
    for portal in backends:
        asked = [
            line
            for line in portal.log_text().splitlines()
            if "Kernel does not exist" in line and any(v["kernel"] in line for v in visits)
        ]
        expected = before + 1 if portal is by_route[wrong] else 0
        assert len(asked) == expected, (
            f"{portal.url} was asked for kernels it does not have: {asked}"
        )
        # Assets came from both processes: neither may reject the other's cookies.
        assert "Clearing invalid/expired login cookie" not in portal.log_text()
