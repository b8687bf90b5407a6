"""The frontend's scripts as the portal serves them: gzipped once per process, byte-exact.

A live topic page loads ~130 scripts of Voilà and the widget extensions. The portal keeps
their gzip bodies in memory instead of compressing each one for every visitor
(:mod:`datalk.app.compressed_static`); a browser must still get exactly the file on disk, with
revalidation and ranges working as before.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import requests
from jupyter_core.paths import jupyter_path

pytestmark = pytest.mark.browser


def _on_disk(*parts: str) -> Path:
    for root in jupyter_path(*parts[:-1]):
        path = Path(root) / parts[-1]
        if path.is_file():
            return path
    raise FileNotFoundError("/".join(parts))


def _remote_entry(extension: str) -> tuple[str, Path]:
    static = Path(_on_disk("labextensions", extension, "package.json")).parent / "static"
    entry = next(static.glob("remoteEntry.*.js"))
    return f"/voila/labextensions/{extension}/static/{entry.name}", entry


@pytest.mark.parametrize("which", ["voila", "leaflet"])
def test_scripts_arrive_gzipped_and_byte_exact(portal, which):
    if which == "voila":
        url, path = "/voila/static/voila.js", _on_disk("voila", "templates", "base", "static", "voila.js")
    else:
        url, path = _remote_entry("jupyter-leaflet")
    expected = path.read_bytes()
    for _ in range(2):  # compressed on the first request, from memory on the second
        raw = requests.get(portal.url + url, headers={"Accept-Encoding": "gzip"}, timeout=30, stream=True)
        assert raw.status_code == 200 and raw.headers["Content-Encoding"] == "gzip"
        body = raw.raw.read()
        assert int(raw.headers["Content-Length"]) == len(body) < len(expected)
        assert gzip.decompress(body) == expected
        assert "Accept-Encoding" in raw.headers.get("Vary", "")
        assert raw.headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
    plain = requests.get(portal.url + url, headers={"Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in plain.headers and plain.content == expected


def test_revalidation_and_ranges_still_work(portal):
    url = portal.url + "/voila/static/voila.js"
    first = requests.get(url, headers={"Accept-Encoding": "gzip"}, timeout=30)
    again = requests.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["Etag"]}, timeout=30)
    assert again.status_code == 304 and not again.content
    part = requests.get(url, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"}, timeout=30)
    assert part.status_code == 206 and len(part.content) == 100
    assert part.content == first.content[:100]


def test_no_path_leaves_the_served_directories(portal):
    for url in ("/voila/static/../../../../etc/passwd", "/voila/static/%2e%2e/%2e%2e/setup.py",
                "/voila/labextensions/../../../pyproject.toml"):
        answer = requests.get(portal.url + url, headers={"Accept-Encoding": "gzip"}, timeout=30)
        assert answer.status_code in (403, 404), url
