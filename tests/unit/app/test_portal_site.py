"""The portal's configuration and server-side pieces, without a server (fast).

The browser tests prove the running site; these pin the decisions that must not drift:
hardened voila.json, a template without CDNs or inline scripts, search that ignores
diacritics, feedback that stores only bounded, human input.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from datalk.app.server import WIDGET_MESSAGES, _removed
from datalk.app.site import search
from datalk.app.site.content import chrome_resources, pick_language
from datalk.app.site.feedback import RATE_LIMIT, FeedbackStore
from datalk.app.site.handlers import href

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "voila_templates" / "voila" / "templates" / "datalk"


@pytest.fixture(scope="module")
def voila_json() -> dict:
    return json.loads((REPO / "voila.json").read_text())


def test_voila_json_hardens_the_public_server(voila_json):
    conf = voila_json["VoilaConfiguration"]
    assert conf["template"] == "datalk" and conf["show_tracebacks"] is False
    assert conf["preheat_kernel"] is True and conf["default_pool_size"] >= 1
    assert conf["allow_template_override"] == "NO" and conf["allow_theme_override"] == "NO"
    # A pooled kernel waits in open_topic() (wait_for_request) until a visitor comes; an execution
    # timeout would kill every preheated kernel that waits longer than it.
    assert voila_json.get("VoilaExecutor", {}).get("timeout") in (None, -1)
    kernels = voila_json["MappingKernelManager"]
    assert kernels["cull_idle_timeout"] > 0 and kernels["cull_interval"] > 0
    assert set(kernels["allowed_message_types"]) == set(WIDGET_MESSAGES)
    tornado = voila_json["Voila"]["tornado_settings"]
    assert tornado["disable_check_xsrf"] is True  # voila#1458: the page's kernel shutdown needs it
    headers = tornado["headers"]
    csp = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert (
        csp["default-src"] == "'self'"
        and "frame-ancestors" in csp
        and csp["object-src"] == "'none'"
    )
    assert "'unsafe-inline'" not in csp["script-src"]
    assert not re.search(r"https?:", headers["Content-Security-Policy"])
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"]


def test_template_has_no_cdn_and_no_inline_script():
    for path in TEMPLATE.rglob("*"):
        if path.suffix in (".j2", ".html", ".css", ".js"):
            text = path.read_text()
            assert not re.search(
                r"(src|href)=\"https?://(?!creativecommons|www\.kraj-lbc)", text
            ), path
            assert "cdn." not in text and "jsdelivr" not in text and "unpkg" not in text, path
            assert not re.search(r"<script>(?!\s*$)", text), f"inline script in {path.name}"
    index = (TEMPLATE / "index.html.j2").read_text()
    assert '"language_code": "cs"' in index and "analyst-note" in index and "super.super()" in index


def test_heartbeat_hash_in_csp_matches_voilas_script(voila_json):
    """Voilà's handler writes <script>window.voila_heartbeat()</script> during long cells."""
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(b"window.voila_heartbeat()").digest()).decode()
    assert (
        f"'sha256-{digest}'"
        in voila_json["Voila"]["tornado_settings"]["headers"]["Content-Security-Policy"]
    )


@pytest.mark.parametrize(
    ("pattern", "removed"),
    [
        ("/voila/api/contents(?P<path>(?:(?:/[^/]+)+|/?))", True),
        ("/voila/tree(?P<path>.*)", True),
        ("/voila/files/(.*)", True),
        ("/", True),
        ("/api/kernels/(?P<kernel_id>\\w+-\\w+-\\w+-\\w+-\\w+)", False),
        ("/voila/static/(.*)", False),
        ("/voila/api/shutdown/(.*)", False),
    ],
)
def test_public_routes_drop_the_notebook_tree_and_files(pattern, removed):
    assert _removed(pattern, "/") is removed


def test_search_ignores_case_and_diacritics():
    topics = {e.id for e in search.search("ZAMESTNANOST") if e.kind == "topic"}
    assert "labour_market" in topics
    hits = search.search("podil nezamestnanych")
    assert hits and hits[0].kind in ("topic", "indicator")
    assert any(e.url == "/tema/labour_market?indicator=unemployment_share" for e in hits)
    assert search.search("   ") == [] and search.search("x" * 500) == []


def test_every_topic_is_in_the_chrome_with_both_languages():
    topics = chrome_resources()["topics"]
    assert len(topics) == len(list((REPO / "topics").glob("*.yaml")))
    assert all(t["title"]["cs"] and t["title"]["en"] for t in topics)
    assert [t["order"] for t in topics] == sorted(t["order"] for t in topics)


def test_language_parameter_and_links():
    assert pick_language("en") == "en" and pick_language("EN ") == "en"
    assert pick_language("<b>") == "cs" and pick_language(None) == "cs"
    assert href("en", "/hledat", q="mzdy") == "/hledat?q=mzdy&lang=en"
    assert href("cs", "/tema/x") == "/tema/x"


def test_feedback_is_stored_bounded_and_rate_limited(tmp_path):
    store = FeedbackStore(tmp_path / "fb.jsonl")
    assert store.submit(
        {"message": "Chybí data za obce.", "email": "a@b.cz", "topic": "health"}, "1.2.3.4"
    ).ok
    assert store.submit(
        {"message": "spam", "web": "http://x"}, "1.2.3.4"
    ).ok  # honeypot: accepted, not stored
    assert store.submit({"message": "  "}, "1.2.3.4").error == "fb_empty"
    assert store.submit({"message": "x" * 6000}, "1.2.3.4").error == "fb_too_long"
    records = [json.loads(line) for line in (tmp_path / "fb.jsonl").read_text().splitlines()]
    assert [r["message"] for r in records] == ["Chybí data za obce."] and records[0][
        "topic"
    ] == "health"
    for _ in range(RATE_LIMIT):
        store.submit({"message": "znovu"}, "5.6.7.8")
    assert store.submit({"message": "a ještě"}, "5.6.7.8").error == "fb_rate"
