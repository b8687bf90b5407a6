"""Session fixtures of the browser tests: one real portal server, one Chromium, one nginx.

The server is shared by every test (2 cores: starting Voilà costs ~10 s, each kernel
~130 MB); only ``labour_market`` gets a preheated kernel pool, so the preheated path is
tested without warming 20 kernels. The data cache is ``$DATALK_CACHE`` when it already
holds fetched sources (``make test`` fetches first), else the suite's warm cache.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.browser import pages
from tests.browser.servers import start_nginx, start_portal, stop

REPO = Path(__file__).resolve().parents[2]
PREHEATED = ["labour_market"]
LOCAL = ("http://127.0.0.1", "data:", "about:", "blob:")


def _filled(cache: Path) -> bool:
    return (cache / "raw").is_dir() and any((cache / "raw").glob("*/lock.json"))


@pytest.fixture(scope="session")
def portal_cache(request, mirror_dir) -> Path:
    env = os.environ.get("DATALK_CACHE")
    if env and _filled(Path(env)):
        return Path(env)
    return request.getfixturevalue("warm_cache")


@pytest.fixture(scope="session")
def portal(portal_cache, mirror_dir, artifacts_dir, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("portal")
    server = start_portal(
        portal_cache, mirror_dir, workdir, artifacts_dir / "portal-server.log", PREHEATED
    )
    yield server
    stop(server.proc)


@pytest.fixture(scope="session")
def nginx(portal, tmp_path_factory):
    server = start_nginx(portal.port, tmp_path_factory.mktemp("nginx"))
    yield server
    stop(server.proc, grace=5)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from npm, installed into .cache/npm at test time (never committed)."""
    target = REPO / ".cache" / "npm"
    script = target / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(target),
                "--no-save",
                "--no-audit",
                "--no-fund",
                "axe-core@4",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return script.read_text()


@pytest.fixture
def new_page(browser):
    """Factory of pages with console capture; leaving a page releases its kernel."""
    opened = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="cs-CZ", accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(60_000)  # topic waits pass pages.TIMEOUT explicitly
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        page.external_requests = []  # anything not served by the local test servers (CDNs…)
        page.on(
            "request", lambda r: r.url.startswith(LOCAL) or page.external_requests.append(r.url)
        )
        opened.append(context)
        return page

    yield make
    for context in opened:
        for page in context.pages:
            pages.leave(page)
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def shots(artifacts_dir) -> Path:
    path = artifacts_dir / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path
