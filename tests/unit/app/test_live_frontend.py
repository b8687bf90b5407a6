"""What the Voilà template gets for a live page's frontend (datalk.app.live_frontend).

With the assets, every URL the page will ask for exists under the static directory with its
content hash; without them (no npm to fetch html-manager) the portal falls back to Voilà's own
frontend instead of serving pages whose widgets never draw.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from datalk.app.live_frontend import live_frontend

PREFIX = "/tema/_static/"


def local_file(static_dir, url: str):
    path = urlsplit(url).path
    assert path.startswith(PREFIX), url
    return static_dir / path[len(PREFIX) :]


def test_every_file_a_live_page_asks_for_is_published(tmp_path):
    live = live_frontend(tmp_path, PREFIX)
    assert live is not None
    for key in ("require", "embed", "script", "widgets_css"):
        assert "?v=" in live[key], live[key]
        assert local_file(tmp_path, live[key]).stat().st_size > 0, live[key]
    # a topic with line charts and a map starts bqplot, bqscales and Leaflet from <head>
    assert live["modules"]["labour_market"] == ["bqplot", "bqscales", "jupyter-leaflet"]
    for url in live["preload"]["labour_market"]:
        assert local_file(tmp_path, url).is_file(), url
    # the preloaded URL is the one require.js will build, or the browser fetches it twice
    paths, versions = live["config"]["paths"], live["config"]["versions"]
    assert live["preload"]["labour_market"][0] == f"{paths['bqplot']}.js?v={versions['bqplot']}"


def test_without_the_widget_assets_the_portal_falls_back_to_voilas_frontend(
    tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("DATALK_NPM_VENDOR", str(tmp_path / "vendor"))  # nothing fetched yet…
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # …and no npm to fetch it
    with caplog.at_level(logging.WARNING, logger="datalk.app.live_frontend"):
        assert live_frontend(tmp_path / "static", PREFIX) is None
    assert "Voilà's own frontend" in caplog.text and "npm" in caplog.text
