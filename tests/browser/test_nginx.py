"""The production nginx configuration (deploy/nginx/datalk.conf) in front of the test portal.

A real Debian nginx runs that file with only its ports changed: compression, long caching of
versioned assets, websockets (a topic page draws its chart and map through the proxy), CORS of
the open-data directory, and the private endpoints closed.
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.browser import pages

pytestmark = pytest.mark.browser


def test_nginx_compresses_pages_and_caches_versioned_assets(nginx):
    landing = requests.get(nginx.url + "/", headers={"Accept-Encoding": "gzip"}, timeout=60)
    assert landing.status_code == 200 and landing.headers.get("Content-Encoding") == "gzip"
    assert "Content-Security-Policy" in landing.headers, "Voilà's security headers pass through"
    css = re.search(
        r'href="(/voila/templates/datalk/static/datalk\.css\?v=[^"]+)"', landing.text
    ).group(1)
    asset = requests.get(nginx.url + css, headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert asset.headers.get("Content-Encoding") == "gzip"
    assert (
        "max-age=31536000" in asset.headers["Cache-Control"]
        and "immutable" in asset.headers["Cache-Control"]
    )
    bundle = requests.get(
        nginx.url + "/voila/static/voila.js", headers={"Accept-Encoding": "gzip"}, timeout=30
    )
    assert (
        bundle.headers.get("Content-Encoding") == "gzip"
        and "max-age=86400" in bundle.headers["Cache-Control"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/voila/query/00000000-0000-0000-0000-000000000000",
        "/api/kernels",
        "/api/contents",
        "/api/sessions",
        "/api/terminals",
        "/lab",
        "/tree",
    ],
)
def test_nginx_closes_private_endpoints(nginx, path):
    assert requests.get(nginx.url + path, timeout=30).status_code == 404


def test_nginx_passes_open_data_cors(nginx):
    response = requests.get(nginx.url + "/opendata/", timeout=30)
    assert (
        response.headers["Access-Control-Allow-Origin"] == "*"
    )  # exactly once ("*, *" is invalid)
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_topic_page_works_through_nginx(nginx, page, shots):
    """Chart and map need the kernel websocket: they only draw if nginx proxies the upgrade."""
    pages.open_topic(page, nginx.url, "labour_market")
    assert pages.wait_drawn(page, "line") >= 1
    assert pages.wait_drawn(page, "choropleth") >= 1
    results = ".dl-territory-results select"
    page.select_option(results, index=pages.wait_option(page, results, "Jihočeský kraj"))
    page.wait_for_function(
        "() => document.querySelector('.dl-shown').textContent.includes('Jihočeský')",
        timeout=pages.TIMEOUT,
    )
    page.screenshot(path=str(shots / "nginx-topic.png"), full_page=False)
    assert "upgrade" not in nginx.error_log().lower()
