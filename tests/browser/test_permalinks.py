"""Permalinks restore a view – with a preheated kernel and with a fresh one – and hostile
parameters give a friendly message and the default view, never a traceback or code execution.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest

from datalk.sources.periods import period_label, sort_periods
from tests.browser import pages
from tests.conftest import reset_settings

pytestmark = pytest.mark.browser

PREHEATED = "labour_market"
HOSTILE = (
    "?territory=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E"
    "&period=__import__('os').system('touch%20PWNED')"
    "&indicator=x'%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&lang=%3Cb%3Eeng"
)


def wait_for_pool(portal, topic: str, seconds: float = 300) -> None:
    """Wait until the topic's preheated kernel is back in the pool (the log says so)."""
    deadline = time.monotonic() + seconds
    filled = f"Kernel pool of {topic}.ipynb is filled"
    used = "Using pre-heated kernel: "
    while portal.count(filled) <= sum(
        f"for {topic}.ipynb" in line for line in portal.log_text().splitlines() if used in line
    ):
        assert time.monotonic() < deadline, "the preheated pool was not refilled"
        time.sleep(1)
    time.sleep(3)  # the pooled kernel runs the notebook up to open_topic()


def check_view(page, territory: str, indicator: str, period: str, query: dict[str, str]) -> None:
    """What a visitor sees: the territory, the chosen indicator and period, the same permalink."""
    page.wait_for_function(
        "t => document.querySelector('.dl-shown').textContent.includes(t)",
        arg=territory,
        timeout=pages.TIMEOUT,
    )
    controls = ".dl-controls select"  # indicator, period, territory results
    assert pages.selected_label(page, controls, 0) == indicator
    assert pages.selected_label(page, controls, 1) == period
    link = page.locator(".dl-permalink a").get_attribute("href")
    assert link.startswith("/tema/"), f"the shown permalink is the portal's stable address: {link}"
    for key, value in query.items():
        assert f"{key}={value}" in link, link
    pages.wait_drawn(page, "line")
    assert indicator in page.locator(".dl-section.dl-line h2").inner_text()
    assert territory in page.locator(".dl-section.dl-line .dl-alt").inner_text()


def test_permalink_restores_view_in_a_preheated_kernel(portal, page, shots):
    wait_for_pool(portal, PREHEATED)
    used_before = portal.count(f"for {PREHEATED}.ipynb")
    query = {"territory": "CZ0514", "period": "2023", "indicator": "job_seekers"}
    pages.open_topic(page, portal.url, PREHEATED, "?" + urlencode(query))
    check_view(page, "Semily", "Uchazeči o zaměstnání", "2023", query)
    assert portal.count(f"for {PREHEATED}.ipynb") > used_before, (
        "the page did not use the preheated kernel"
    )
    assert page.locator(".dl-messages").count() == 0
    page.screenshot(path=str(shots / "permalink-preheated.png"), full_page=True)


@pytest.fixture
def housing_view(portal_cache, mirror_dir, monkeypatch):
    """A non-default indicator of 'housing' with okres data, and its second-latest period."""
    monkeypatch.setenv("DATALK_CACHE", str(portal_cache))
    monkeypatch.setenv("DATALK_MIRROR", str(mirror_dir))
    reset_settings()
    from datalk.topics import TopicData, get_topic

    topic = get_topic("housing")
    data = TopicData(topic)
    for spec in topic.visible_indicators:
        if spec.id == topic.headline:
            continue
        rows = data.indicator(spec.id)
        periods = sort_periods(rows[rows.geo_code == "CZ0512"].dropna(subset=["value"])["period"])
        if len(periods) >= 2:
            reset_settings()
            return spec, periods[-2]
    pytest.fail("housing has no indicator with a history for okres Jablonec nad Nisou")


def test_permalink_restores_view_in_a_fresh_kernel_in_english(portal, page, housing_view):
    spec, period = housing_view
    query = {"territory": "CZ0512", "period": period, "indicator": spec.id, "lang": "en"}
    pages.open_topic(page, portal.url, "housing", "?" + urlencode(query))
    check_view(page, "Jablonec nad Nisou", spec.title.get("en"), period_label(period, "en"), query)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".dl-topics-menu summary").inner_text().strip() == "Topics"
    assert page.title().startswith("Housing") or "Liberec Region Data" in page.title()


def test_hostile_parameters_give_a_message_and_the_default_view(portal, page, shots):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pages.open_topic(page, portal.url, "overview", HOSTILE)
    messages = page.locator(".dl-messages")
    messages.wait_for(timeout=pages.TIMEOUT)
    text = messages.inner_text()
    assert "neznáme" in text and "Liberecký kraj" in text  # territory: friendly, default shown
    assert "téma nemá" in text  # indicator
    assert "Neznámý jazyk" in text
    page.wait_for_function(
        "() => document.querySelector('.dl-shown').textContent.includes('Liberecký kraj')",
        timeout=pages.TIMEOUT,
    )
    pages.wait_drawn(page, "line")
    page.screenshot(path=str(shots / "permalink-hostile.png"), full_page=True)
    assert page.evaluate("() => window.__pwned") is None
    injected = page.evaluate(
        """() => [...document.querySelectorAll('#obsah script, #obsah img')]
                 .filter(e => e.textContent.includes('__pwned') || e.getAttribute('src') === 'x')
                 .map(e => e.outerHTML.slice(0, 200))"""
    )
    assert injected == [], "the URL's markup became page elements"
    assert not dialogs
    body = page.locator("#obsah").inner_text()
    assert "Traceback" not in body and "ExecutionError" not in body
    assert not (portal.notebooks / "PWNED").exists()


def test_an_oversized_query_falls_back_to_the_default_view(portal, page):
    junk = "&".join(f"x{i}=%00{i}" for i in range(40))
    pages.open_topic(page, portal.url, "overview", f"?territory=CZ0514&{junk}")
    page.wait_for_function(
        "() => document.querySelector('.dl-shown').textContent.includes('Liberecký kraj')",
        timeout=pages.TIMEOUT,
    )
    assert page.locator(".dl-message-error").count() == 0
