"""A pooled kernel builds the default view before its visitor; what the visitor sees must not differ.

With a permalink (``?territory=…&period=…``) the page built ahead is redrawn through its
controls' refresh instead of being built again. The visitor must see exactly what a page built
for those parameters shows: every widget of every chart is compared by its state, with the
references to other widgets replaced by their own state (model ids differ, content must not).
"""

from __future__ import annotations

import json
import math
import threading

import ipywidgets as w
import numpy as np
import pytest
from websockets.sync.server import serve

import datalk.app.interactive as interactive
from datalk.app import open_topic
from datalk.app.interactive import AppPage

pytestmark = pytest.mark.usefixtures("with_warm_cache")

#: traits that say nothing about what is shown (counters, internal ids)
IGNORED = {"_view_count", "_dom_classes_count"}


@pytest.fixture
def shown(monkeypatch) -> list:
    """What the notebook's cells display, in order."""
    displayed: list = []
    monkeypatch.setattr(interactive, "display", displayed.append)
    return displayed


def visitor_with(monkeypatch, query: str) -> None:
    """A preheated kernel whose visitor asks for ``query`` over Voilà's query socket."""

    def handler(connection):
        connection.send(json.dumps({"QUERY_STRING": query, "SCRIPT_NAME": "/voila/render/x.ipynb"}))

    server = serve(handler, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(server.socket.getsockname()[1]))
    monkeypatch.setenv("VOILA_SERVER_URL", "/")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return server


def content(value):
    """A widget's state with every referenced widget inlined (model ids removed), arrays as lists."""
    if isinstance(value, w.Widget):
        return {key: content(getattr(value, key)) for key in sorted(value.keys) if key not in IGNORED}
    if isinstance(value, np.ndarray):
        return content(value.tolist())
    if isinstance(value, list | tuple):
        return [content(item) for item in value]
    if isinstance(value, dict):
        return {key: content(item) for key, item in value.items()}
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def page_content(page, displayed: list) -> list:
    displayed.clear()
    page.header()
    for chart in page.topic.charts:
        page.chart(chart.id)
    page.sources()
    return [content(widget) if isinstance(widget, w.Widget) else repr(widget) for widget in displayed]


@pytest.mark.parametrize(("topic_id", "query", "expected"), [
    ("labour_market", "territory=CZ0513&period=2023", {"territory": "CZ0513", "period": "2023"}),
    ("safety", "territory=CZ064&indicator=clearance_rate", {"territory": "CZ064", "indicator": "clearance_rate"}),
    ("health", "territory=XX99", {"territory": "CZ051"}),  # unknown code: the region, with a message
])
def test_a_permalink_on_a_preheated_kernel_shows_what_a_new_page_shows(monkeypatch, shown, topic_id, query, expected):
    server = visitor_with(monkeypatch, query)
    try:
        preheated = open_topic(topic_id)
    finally:
        server.shutdown()
    assert isinstance(preheated, AppPage)
    assert {key: getattr(preheated.state, key) for key in expected} == expected
    params = dict(pair.split("=") for pair in query.split("&"))
    monkeypatch.delenv("VOILA_PREHEAT")
    fresh = AppPage(topic_id, params.get("territory"), params.get("period"), "cs", "app", params.get("indicator"))
    assert preheated.state.messages == fresh.state.messages
    assert first_difference(page_content(preheated, shown), page_content(fresh, shown)) is None


def test_without_parameters_the_visitor_gets_the_charts_built_ahead(monkeypatch, shown):
    server = visitor_with(monkeypatch, "")
    try:
        page = open_topic("labour_market")
    finally:
        server.shutdown()
    built = dict(page._built)
    assert built, "a preheated page builds its charts before the visitor comes"
    page.chart(next(iter(built)))
    assert shown[-1] is built[next(iter(built))]


def first_difference(a, b, path="") -> str | None:
    """Where two contents first differ (for a readable failure)."""
    if type(a) is not type(b):
        return f"{path}: {a!r:.200} != {b!r:.200}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: only in one"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, str) and a != b:
        at = next(i for i, (x, y) in enumerate(zip(a + "\0", b + "\1", strict=False)) if x != y)
        return f"{path} at {at}: …{a[max(0, at - 80):at + 80]!r} != …{b[max(0, at - 80):at + 80]!r}"
    return None if a == b else f"{path}: {a!r:.200} != {b!r:.200}"
