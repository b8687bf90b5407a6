"""The portal around the topics: landing page, search, languages, information pages, feedback.

What a visitor checks: the 20 topics are there with a current figure, search finds things
typed without diacritics, English works, the statements and forms exist and work by
keyboard, unknown addresses get a Czech page, and axe-core finds nothing on any page.
"""

from __future__ import annotations

import json
import time

import pytest
import requests

from tests.browser import pages

pytestmark = pytest.mark.browser

TOPICS = pages.topics()


def test_landing_page_has_a_tile_with_a_figure_for_every_topic(portal, page, axe_source, shots):
    page.goto(portal.url + "/")
    deadline = time.monotonic() + 180  # right after start the server may still compute the figures
    while page.locator(".dl-tile-value").count() < len(TOPICS) and time.monotonic() < deadline:
        page.wait_for_timeout(2000)
        page.reload()
    tiles = page.locator(".dl-tile")
    assert tiles.count() == len(TOPICS) == 20
    assert [a.get_attribute("href") for a in page.locator(".dl-tile h3 a").all()] == [
        f"/tema/{t.id}" for t in TOPICS
    ]
    assert page.locator(".dl-tile h3").all_inner_texts() == [t.title.get("cs") for t in TOPICS]
    missing = [
        t.get_attribute("data-topic")
        for t in tiles.all()
        if t.locator(".dl-tile-value").count() == 0
    ]
    assert not missing, f"tiles without a headline figure: {missing}"
    assert page.evaluate("document.documentElement.lang") == "cs"
    assert page.locator("header nav .dl-topic-list a").count() == 20
    page.screenshot(path=str(shots / "landing.png"), full_page=True)
    violations = pages.run_axe(page, axe_source)
    assert not violations, pages.describe_violations(violations)
    assert not page.external_requests, page.external_requests


def test_phone_menu_opens_by_keyboard_and_lists_topics(portal, new_page, axe_source, shots):
    page = new_page(360, 780)
    page.goto(portal.url + "/")
    button = page.locator(".dl-menu-button")
    assert button.is_visible() and not page.locator("#dl-nav").is_visible()
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#dl-nav").is_visible()
    page.locator(".dl-topics-menu summary").focus()
    page.keyboard.press("Enter")
    assert page.locator(".dl-topic-list a").first.is_visible()
    page.screenshot(path=str(shots / "landing-phone-menu.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"
    violations = pages.run_axe(page, axe_source)
    assert not violations, pages.describe_violations(violations)


def test_search_ignores_diacritics_and_links_topics_and_indicators(portal, page, shots):
    page.goto(portal.url + "/")
    page.fill("#dl-q", "nezamestnanost")
    page.keyboard.press("Enter")
    page.wait_for_url("**/hledat?q=nezamestnanost")
    topic_links = page.locator(".dl-result[data-kind=topic] a")
    assert "Zaměstnanost a pracovní trh" in topic_links.all_inner_texts()
    page.fill("#dl-q", "PODIL NEZAMESTNANYCH")
    page.keyboard.press("Enter")
    page.wait_for_url("**/hledat?q=PODIL+NEZAMESTNANYCH")
    indicator = page.locator(
        ".dl-result[data-kind=indicator] a", has_text="Podíl nezaměstnaných osob"
    ).first
    assert (
        indicator.get_attribute("href", timeout=5000)
        == "/tema/labour_market?indicator=unemployment_share"
    )
    page.screenshot(path=str(shots / "search.png"), full_page=True)
    datasets = requests.get(
        portal.url + "/hledat", params={"q": "ceský statisticky urad mzdy"}, timeout=30
    ).text
    assert 'data-kind="dataset"' in datasets
    nothing = requests.get(portal.url + "/hledat", params={"q": "xyzzy"}, timeout=30).text
    assert "nic nenalezeno" in nothing


def test_topic_address_keeps_the_permalink_query(portal):
    response = requests.get(
        f"{portal.url}/tema/labour_market?territory=CZ0514&period=2023",
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302
    assert (
        response.headers["Location"]
        == "/voila/render/labour_market.ipynb?territory=CZ0514&period=2023"
    )


@pytest.mark.parametrize("path", ["/", "/hledat?q=mzdy", "/o-datech", "/tema/health", "/healthz"])
def test_pages_answer_head_requests_of_uptime_monitors(portal, path):
    head = requests.head(portal.url + path, allow_redirects=False, timeout=120)
    get = requests.get(portal.url + path, allow_redirects=False, timeout=120)
    assert head.status_code == get.status_code < 400
    assert head.headers.get("Location") == get.headers.get("Location")
    assert head.content == b""


def test_english_version_of_the_site(portal, page):
    page.goto(portal.url + "/?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Employment and labour market" in page.locator(".dl-tile h3").all_inner_texts()
    assert page.locator(".dl-topics-menu summary").inner_text().strip() == "Topics"
    assert page.locator(".dl-tile h3 a").first.get_attribute("href").endswith("?lang=en")
    switch = page.locator(".dl-lang-switch")
    assert switch.inner_text().strip() == "Česky"
    switch.click()
    page.wait_for_url(portal.url + "/")
    assert page.locator(".dl-topics-menu summary").inner_text().strip() == "Témata"


def test_about_page_lists_sources_with_publishers_and_licences(portal):
    html = requests.get(portal.url + "/o-datech", timeout=60).text
    assert "Český statistický úřad" in html and "CC BY 4.0" in html
    assert html.count("<tr>") > 50
    assert 'href="/tema/labour_market"' in html


def test_accessibility_statement_follows_the_law(portal):
    html = requests.get(portal.url + "/pristupnost", timeout=30).text
    for part in (
        "99/2019 Sb.",
        "Stav souladu",
        "Nepřístupný obsah",
        "Vypracování tohoto prohlášení",
        "Zpětná vazba a kontaktní údaje",
        "Postupy pro vymáhání",
        "mailto:",
    ):
        assert part in html, part


def test_signpost_links_to_the_regions_portals(portal):
    html = requests.get(portal.url + "/rozcestnik", timeout=30).text
    for url in ("https://www.kraj-lbc.cz", "https://www.datalk.cz", "https://data.gov.cz"):
        assert f'href="{url}"' in html


def test_feedback_form_works_by_keyboard_and_is_stored(portal, page, shots):
    page.goto(portal.url + "/zpetna-vazba?tema=labour_market")
    assert page.locator("#fb-topic").input_value() == "labour_market"
    assert page.locator("a[href^='mailto:']").count() >= 1
    page.locator("#fb-message").focus()
    page.keyboard.type("Chybí mi údaje za obce (test).")
    page.keyboard.press("Tab")  # topic
    page.keyboard.press("Tab")  # e-mail
    page.keyboard.type("test@example.org")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url("**/zpetna-vazba?odeslano=1")
    assert "Děkujeme" in page.locator("[role=status]").inner_text()
    page.screenshot(path=str(shots / "feedback-sent.png"), full_page=True)
    records = [
        json.loads(line)
        for line in (portal.feedback_dir / "feedback.jsonl").read_text().splitlines()
    ]
    assert any(
        r["message"] == "Chybí mi údaje za obce (test)."
        and r["topic"] == "labour_market"
        and r["email"] == "test@example.org"
        for r in records
    )


def test_feedback_rejects_empty_messages_and_bots(portal):
    empty = requests.post(portal.url + "/zpetna-vazba", data={"message": "  "}, timeout=30)
    assert empty.status_code == 400 and "Napište prosím zprávu" in empty.text
    before = (
        (portal.feedback_dir / "feedback.jsonl").read_text()
        if (portal.feedback_dir / "feedback.jsonl").exists()
        else ""
    )
    bot = requests.post(
        portal.url + "/zpetna-vazba",
        data={"message": "spam", "web": "http://spam"},
        allow_redirects=False,
        timeout=30,
    )
    assert bot.status_code == 303
    after = (
        (portal.feedback_dir / "feedback.jsonl").read_text()
        if (portal.feedback_dir / "feedback.jsonl").exists()
        else ""
    )
    assert after == before


def test_open_data_directory_allows_cross_origin_requests(portal):
    response = requests.get(portal.url + "/opendata/", timeout=30)
    assert response.status_code in (200, 404)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Otevřená data" in response.text
    preflight = requests.options(
        portal.url + "/opendata/catalog.jsonld",
        timeout=30,
        headers={"Origin": "https://data.gov.cz", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    missing = requests.get(portal.url + "/opendata/neexistuje.csv", timeout=30)
    assert missing.status_code == 404 and '<html lang="cs">' in missing.text
    assert missing.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "/o-datech",
        "/pristupnost",
        "/rozcestnik",
        "/zpetna-vazba",
        "/hledat?q=mzdy",
        "/opendata/",
        "/neexistuje",
        "/?lang=en",
    ],
)
def test_portal_pages_pass_axe(portal, page, axe_source, path):
    page.goto(portal.url + path)
    violations = pages.run_axe(page, axe_source)
    assert not violations, pages.describe_violations(violations)
    assert page.locator("main#obsah").count() == 1 and page.locator("h1").count() == 1
