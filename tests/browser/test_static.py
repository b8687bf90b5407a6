"""The static pre-rendered default views (``datalk site prerender``) in a real Chromium.

A visitor who opens ``/tema/<id>`` without parameters gets the page written ahead of time:
charts and maps drawn from embedded widget state by local JavaScript, no kernel, no
websocket. Whatever needs Python (another territory, a permalink) goes to the live page.
A server of its own, so the other browser tests keep seeing live pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests

from tests.browser import pages
from tests.browser.servers import start_portal, stop

pytestmark = pytest.mark.browser

TOPICS = ["health", "labour_market"]
#: Each island's pre-render picture: [natural width, the file shown, its section's classes] or null.
PICTURES = """() => [...document.querySelectorAll('.dl-island')].map(island => {
  const img = island.querySelector('.dl-snapshot img');
  return img && img.complete ? [img.naturalWidth, img.currentSrc, island.closest('.dl-section').className] : null;
})"""
EMBED_URL = "() => JSON.parse(document.getElementById('dl-static-config').textContent).embed"


@pytest.fixture(scope="module")
def static_site(portal_cache, tmp_path_factory) -> dict:
    """``datalk site prerender`` of two topics into a directory of this module."""
    site = tmp_path_factory.mktemp("static-site")
    env = {"DATALK_SITE_DIR": str(site), "DATALK_CACHE": str(portal_cache)}
    result = subprocess.run(
        [sys.executable, "-m", "datalk.cli", "site", "prerender", *TOPICS],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {"dir": site, "output": result.stdout}


@pytest.fixture(scope="module")
def static_portal(static_site, portal_cache, mirror_dir, artifacts_dir, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("static-portal")
    server = start_portal(
        portal_cache,
        mirror_dir,
        workdir,
        artifacts_dir / "static-portal-server.log",
        preheat=[],
        site_dir=static_site["dir"],
    )
    yield server
    stop(server.proc)


def test_prerender_reports_each_page_and_skips_fresh_ones(static_site, portal_cache):
    assert all(f"✓ {topic}" in static_site["output"] for topic in TOPICS), static_site["output"]
    for topic in TOPICS:
        manifest = json.loads((static_site["dir"] / f"{topic}.json").read_text())
        assert manifest["fingerprint"] and (static_site["dir"] / f"{topic}.html").stat().st_size
        assert manifest["pictures"] == manifest["islands"] > 0, "every chart and map was photographed"
    again = subprocess.run(
        [sys.executable, "-m", "datalk.cli", "site", "prerender", TOPICS[0]],
        env={
            **os.environ,
            "DATALK_SITE_DIR": str(static_site["dir"]),
            "DATALK_CACHE": str(portal_cache),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0 and "1 aktuálních" in again.stdout, again.stdout


def test_default_view_is_static_and_draws_chart_and_map_without_a_kernel(
    static_portal, new_page, axe_source, shots
):
    response = requests.get(f"{static_portal.url}/tema/health", timeout=60)
    assert response.headers.get("X-Datalk-Page") == "static"
    head = requests.head(f"{static_portal.url}/tema/health", timeout=60)
    assert head.status_code == 200 and head.headers.get("X-Datalk-Page") == "static"
    assert "Content-Security-Policy" in response.headers
    kernels_before = len(static_portal.kernel_pids())

    page = new_page()
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    pages.open_topic(page, static_portal.url, "health")
    page.wait_for_load_state("load")
    page.wait_for_timeout(1000)
    assert not [u for u in requested if "libembed" in u or "bqplot" in u], (
        "the pictures show the charts: the 6 MB widget library waits for the visitor to move")
    pictures = page.evaluate(PICTURES)
    assert pictures and all(pictures), pictures
    widgets_js = requests.get(f"{static_portal.url}{page.evaluate(EMBED_URL)}", timeout=60, stream=True)
    assert widgets_js.headers.get("Content-Encoding") == "gzip", "sent compressed"
    assert len(widgets_js.raw.read(decode_content=False)) < 1_500_000, "3.6 MB of JavaScript, compressed"

    pages.wake(page)
    assert pages.wait_drawn(page, "line") >= 1
    assert pages.wait_drawn(page, "choropleth") >= 4, "the region's okresy on the map"
    assert pages.wait_drawn(page, "table") >= 1
    assert page.locator(".dl-topic-header h1").inner_text().startswith("Zdravotnictví")
    assert all(text.strip() for text in pages.section_texts(page, "line")), "text alternatives"
    page.screenshot(path=str(shots / "static-health.png"), full_page=True)

    page.wait_for_function("() => !document.querySelector('.dl-snapshot')", timeout=pages.TIMEOUT)
    assert pages.wait_drawn(page, "choropleth") >= 4, "the live map replaced its picture"

    assert sockets == [], "a static page opens no kernel websocket"
    assert len(static_portal.kernel_pids()) == kernels_before, "no kernel started for it"
    assert page.external_requests == []
    assert page.console_errors == []
    violations = pages.run_axe(page, axe_source)
    assert violations == [], pages.describe_violations(violations)


#: require.js gives up on a module after 7 s by default; a slow phone takes longer than that
SLOW_BUNDLE_SECONDS = 9


def test_static_page_draws_its_map_when_the_map_code_arrives_late(static_portal, new_page):
    """The map's code arrives after require.js's default 7 s load timeout (a slow phone).

    The map must still be drawn once it is there, not given up on, as it was on a busy CI
    machine before the loader's timeout was switched off. (Chromium's own network throttling
    stalls requests on a loaded machine, so the test holds the one response back itself.)
    """
    page = new_page(390, 844)
    held = []
    page.route("**/jupyter-leaflet/index.js*", lambda route: held.append(route))
    pages.open_topic(page, static_portal.url, "health")
    pages.wake(page)
    page.wait_for_function("() => document.querySelectorAll('.dl-island').length > 0")
    page.wait_for_timeout(SLOW_BUNDLE_SECONDS * 1000)
    assert held, "the page asked for the map's code"
    for route in held:
        route.continue_()
    assert pages.wait_drawn(page, "choropleth") >= 4
    assert pages.wait_drawn(page, "line") >= 1
    assert page.locator(".dl-island-failed").count() == 0
    assert page.console_errors == []


def test_map_code_that_never_arrives_leaves_a_note_and_a_way_to_the_live_page(
    static_portal, new_page
):
    page = new_page()
    page.route("**/jupyter-leaflet/index.js*", lambda route: route.abort())
    pages.open_topic(page, static_portal.url, "health")
    pages.wake(page)
    note = page.locator(".dl-section.dl-choropleth .dl-island-failed")
    note.wait_for(timeout=pages.TIMEOUT)
    assert "Interaktivní verzi grafu se nepodařilo načíst" in note.inner_text()
    assert note.locator("a").get_attribute("href") == "/tema/health"
    assert page.locator(".dl-section.dl-choropleth .dl-snapshot img").is_visible(), "the map's picture stays"
    assert pages.wait_drawn(page, "line") >= 1, "the charts whose code arrived are drawn"





@pytest.mark.parametrize("width, scale, shot", [(1280, 1, "desktop"), (390, 2, "phone")])
def test_without_javascript_the_charts_and_the_map_are_there_as_pictures(
    static_portal, browser, shots, width, scale, shot
):
    """No JavaScript (or none yet: the widget library is 6 MB): the pre-render's pictures show.

    On a phone the phone picture is used, drawn at the phone's width (not the desktop one shrunk).
    """
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 900}, device_scale_factor=scale
    )
    try:
        page = context.new_page()
        page.goto(f"{static_portal.url}/tema/health", wait_until="load")
        pictures = page.evaluate(PICTURES)
        assert pictures and all(pictures), f"every island shows a picture: {pictures}"
        kinds = " ".join(p[2] for p in pictures)
        assert "dl-line" in kinds and "dl-choropleth" in kinds, kinds
        for natural_width, source, _ in pictures:
            island_width = page.locator(".dl-island").first.bounding_box()["width"]
            assert abs(natural_width - island_width * scale) <= 2 * scale + 40, (natural_width, island_width)
            phone_source = source in page.eval_on_selector_all(
                ".dl-snapshot source", "els => els.map(e => new URL(e.srcset, location.href).href)")
            assert phone_source == (width <= 600), source
        page.screenshot(path=str(shots / f"static-health-no-js-{shot}.png"), full_page=True)
    finally:
        context.close()


def test_choosing_a_territory_on_the_static_page_opens_the_live_view(static_portal, page):
    pages.open_topic(page, static_portal.url, "labour_market")
    pages.wake(page)
    page.wait_for_selector("html.dl-islands-ready", state="attached", timeout=pages.TIMEOUT)
    search = page.locator("form.dl-static-controls input[data-dl-control='search']")
    search.fill("jablonec")
    results = "form.dl-static-controls select[data-dl-control='territory']"
    index = pages.wait_option(page, results, "Jablonec nad Nisou (okres)", "jablonec")
    with page.expect_navigation(timeout=pages.TIMEOUT):
        page.locator(results).select_option(index=index)
        page.locator("form.dl-static-controls button[type='submit']").click()
    assert "territory=CZ0512" in page.url
    page.wait_for_selector(".dl-topic-header h1", timeout=pages.TIMEOUT)
    pages.wait_drawn(page, "line")
    page.wait_for_function(
        "() => (document.querySelector('.dl-shown') || {}).textContent?.includes('Jablonec')",
        timeout=pages.TIMEOUT,
    )
    assert len(static_portal.kernel_pids()) >= 1, "the live view runs in a kernel"


def test_a_permalink_with_parameters_is_served_live(static_portal):
    response = requests.get(f"{static_portal.url}/tema/health?territory=CZ0513", timeout=120)
    assert response.status_code == 200
    assert response.headers.get("X-Datalk-Page") != "static"


def test_a_stale_page_is_not_served(static_site, portal_cache, monkeypatch):
    """Data or code changed after the pre-render: the live page, until it is rendered again."""
    from datalk.app.static_site import StaticPages
    from datalk.settings import get_settings

    monkeypatch.setenv("DATALK_CACHE", str(portal_cache))
    get_settings.cache_clear()
    assert StaticPages(static_site["dir"]).page("labour_market") is not None
    manifest_path = static_site["dir"] / "labour_market.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["fingerprint"] = "data-from-last-month"
    manifest_path.write_text(json.dumps(manifest))
    # The server re-checks fingerprints after a short cache time, as a fresh one does here.
    assert StaticPages(static_site["dir"]).page("labour_market") is None
    assert StaticPages(static_site["dir"]).page("health") is not None
    get_settings.cache_clear()
