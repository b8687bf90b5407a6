"""Live topic pages run on the portal's own small frontend (datalk-live.js: the static pages'
widget library connected to the kernel), not on Voilà's JupyterLab application, and tell the
visitor when the connection to the portal is lost.

The rest of the live page's behaviour (controls, map clicks, downloads, permalinks, the kernel
shut down on leaving) is tested through this frontend by the other browser tests.
"""

from __future__ import annotations

import pytest

from tests.browser import pages
from tests.browser.servers import start_portal, stop
from tests.browser.test_interaction import pick_territory, signatures, wait_changed

pytestmark = pytest.mark.browser


def test_a_live_page_is_drawn_and_answered_without_voilas_frontend(portal, page):
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    pages.open_topic(page, portal.url, "labour_market", "?territory=CZ0513")
    pages.wait_drawn(page, "line")
    pages.wait_drawn(page, "choropleth")
    voila = [url for url in scripts if "/voila/static/" in url or "/labextensions/" in url]
    assert not voila, f"the live page loaded Voilà's JupyterLab frontend: {voila[:3]}"
    assert any("/tema/_static/datalk-live.js?v=" in url for url in scripts), scripts
    assert len(scripts) < 20, f"{len(scripts)} scripts (Voilà's frontend had ~130)"
    # Python answers through this frontend: another territory redraws chart and map.
    before = signatures(page)
    pick_territory(page, "Jihoč", "Jihočeský kraj")
    after = wait_changed(page, before, ["line", "choropleth"])
    assert after["line"] != before["line"] and after["choropleth"] != before["choropleth"]


def test_a_page_whose_server_went_away_says_so_in_czech(
    portal_cache, mirror_dir, artifacts_dir, tmp_path, new_page, shots
):
    server = start_portal(
        portal_cache,
        mirror_dir,
        tmp_path,
        artifacts_dir / "lost-portal-server.log",
        preheat=[],
        options=("--no-preheat",),
    )
    try:
        page = new_page()
        pages.open_topic(page, server.url, "overview")
        pages.wait_drawn(page, "line")
        assert page.locator(".dl-connection-lost").count() == 0
    finally:
        stop(server.proc)  # the portal restarts or crashes while the page is open
    notice = page.locator(".dl-connection-lost")
    notice.wait_for(timeout=60_000)
    assert notice.get_attribute("role") == "alert"
    text = notice.inner_text()
    assert "Spojení se serverem se přerušilo" in text and "Načtěte prosím stránku znovu" in text
    page.screenshot(path=str(shots / "live-connection-lost.png"))
