"""Controls of a topic page change what is drawn; keyboard works; downloads are valid files.

The territory is changed the way a visitor does it – typing into "Území" and picking a
result – and the test compares what the charts and the map draw before and after
(line paths and legend, bar colours, map shapes and outlines), not internal state.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import openpyxl
import pytest
import requests

from tests.browser import pages

pytestmark = pytest.mark.browser

SIGNATURE = """kind => {
  const sel = {line: 'path.line', bar: 'rect.bar', choropleth: 'path.leaflet-interactive'}[kind];
  const attrs = ['d', 'fill', 'stroke-width', 'style', 'width', 'y'];
  return [...document.querySelectorAll('.dl-section.dl-' + kind + ' ' + sel)]
    .map(e => attrs.map(a => e.getAttribute(a) || '').join('|')).join('\\n')
    + [...document.querySelectorAll('.dl-section.dl-' + kind + ' .legendtext')].map(t => t.textContent).join(',');
}"""
TARGET = "Jihočeský kraj"


def signatures(page) -> dict[str, str]:
    return {kind: page.evaluate(SIGNATURE, kind) for kind in ("line", "bar", "choropleth")}


def pick_territory(page, query: str, label: str) -> None:
    """Type into the territory search and choose a result, as a visitor does."""
    page.locator(".dl-controls input[type=text]").fill(query)
    results = ".dl-territory-results select"
    page.select_option(results, index=pages.wait_option(page, results, label, query))
    page.wait_for_function(
        "t => document.querySelector('.dl-shown').textContent.includes(t)",
        arg=label.split(" (")[0],
        timeout=pages.TIMEOUT,
    )


def wait_changed(
    page, before: dict[str, str], kinds: list[str], seconds: float = 60
) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    while True:
        after = signatures(page)
        if all(after[k] != before[k] for k in kinds) or time.monotonic() > deadline:
            return after
        page.wait_for_timeout(500)


@pytest.mark.parametrize("topic_id", ["labour_market", "overview", "housing"])
def test_changing_the_territory_redraws_chart_and_map(topic_id, portal, page, shots):
    pages.open_topic(page, portal.url, topic_id)
    for kind in ("line", "bar", "choropleth"):
        pages.wait_drawn(page, kind)
    before = signatures(page)
    alt_before = page.locator(".dl-section.dl-line .dl-alt").first.inner_text()

    pick_territory(page, "jihoc", TARGET)
    after = wait_changed(page, before, ["line", "bar", "choropleth"])
    page.screenshot(path=str(shots / f"territory-{topic_id}.png"), full_page=True)
    assert after["line"] != before["line"], "the trend chart did not change"
    assert after["bar"] != before["bar"], "the comparison chart did not change"
    assert after["choropleth"] != before["choropleth"], "the map did not change"
    assert TARGET in after["line"], "the trend legend names the chosen territory"
    alt_after = page.locator(".dl-section.dl-line .dl-alt").first.inner_text()
    assert alt_after != alt_before and TARGET in alt_after, (
        "the chart's text alternative follows the territory"
    )
    assert "territory=CZ031" in page.locator(".dl-permalink a").get_attribute("href")


def test_controls_work_by_keyboard(portal, page):
    pages.open_topic(page, portal.url, "labour_market")
    pages.wait_drawn(page, "line")
    search = page.locator(".dl-controls input[type=text]")
    for _ in range(80):  # from the top of the page, Tab reaches the territory search
        page.keyboard.press("Tab")
        if search.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the territory search cannot be reached with Tab")
    page.keyboard.type("Semily")
    results = page.locator(".dl-territory-results select")
    assert pages.wait_option(page, ".dl-territory-results select", "Semily (okres)", "Semily") == 0
    for _ in range(6):
        page.keyboard.press("Tab")
        if results.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the list of territories cannot be reached with Tab")
    page.keyboard.press("ArrowDown")  # selects the first result
    page.wait_for_function(
        "() => document.querySelector('.dl-shown').textContent.includes('Semily')",
        timeout=pages.TIMEOUT,
    )

    indicator = page.locator(".dl-controls select").first
    indicator.focus()
    old = pages.selected_label(page, ".dl-controls select")
    page.keyboard.press("ArrowDown")  # a closed <select> changes its value with the arrow keys
    page.wait_for_function(
        "old => document.querySelector('.dl-section.dl-line h2').textContent.indexOf(old) < 0",
        arg=old,
        timeout=pages.TIMEOUT,
    )
    new = pages.selected_label(page, ".dl-controls select")
    assert new != old and new in page.locator(".dl-section.dl-line h2").inner_text()


def test_downloads_are_valid_csv_xlsx_and_geojson(portal, page):
    pages.open_topic(page, portal.url, "labour_market")
    pages.wait_drawn(page, "table")
    rows_on_page = page.locator(".dl-section.dl-table table.dl-table tbody tr").count()

    with page.expect_download() as download:
        page.locator(".dl-section.dl-table a.dl-download", has_text="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0]) == ["Území", "Kód", "Úroveň", "Období", "Hodnota", "Jednotka"]
    assert len(table) == rows_on_page
    liberec = next(r for r in table if r["Kód"] == "CZ051")
    assert liberec["Území"] == "Liberecký kraj" and 0 < float(liberec["Hodnota"]) < 100

    xlsx = page.locator(".dl-section.dl-table a.dl-download", has_text="XLSX")
    xlsx.hover()  # the pointer over a button must not hide its label (blue on blue)
    color, fill = xlsx.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert color != fill, (color, fill)
    with page.expect_download() as download:
        xlsx.click()
    sheet = openpyxl.load_workbook(
        io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True
    ).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == ["Území", "Kód", "Úroveň", "Období", "Hodnota", "Jednotka"]
    assert len(values) - 1 == rows_on_page
    assert any(row[1] == "CZ051" and isinstance(row[4], float) for row in values[1:])

    with page.expect_download() as download:
        page.locator(".dl-section.dl-table a.dl-download", has_text="GeoJSON").click()
    geo = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["geometry"]["type"] in (
        "Polygon",
        "MultiPolygon",
    )


def test_leaving_a_page_shuts_its_kernel_down(portal, page):
    pages.open_topic(page, portal.url, "overview")
    kernel = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    assert requests.get(f"{portal.url}/api/kernels/{kernel}", timeout=10).status_code == 200
    pages.leave(page)  # beforeunload → POST /voila/api/shutdown/<id> (needs disable_check_xsrf)
    deadline = time.monotonic() + 30
    while requests.get(f"{portal.url}/api/kernels/{kernel}", timeout=10).status_code == 200:
        assert time.monotonic() < deadline, "the kernel of a closed page is still running"
        time.sleep(0.5)


def test_a_topic_shows_czech_loading_progress_never_a_blank_page(portal, page, shots):
    page.goto(f"{portal.url}/tema/sport", wait_until="commit")
    loading = page.locator("#loading")
    loading.wait_for(state="visible", timeout=pages.TIMEOUT)
    page.screenshot(path=str(shots / "loading.png"))
    seen = set()
    deadline = time.monotonic() + pages.TIMEOUT / 1000
    while not page.evaluate("document.documentElement.classList.contains('dl-ready')"):
        assert time.monotonic() < deadline, "the topic never finished loading"
        text = page.evaluate("(document.getElementById('loading_text') || {}).textContent || ''")
        if text:
            seen.add(text.strip())
        page.wait_for_timeout(100)
    assert any(t.startswith("Načítám…") for t in seen), seen
    assert any(re.fullmatch(r"Načítám… \(\d+ z \d+\)", t) for t in seen), f"no progress shown: {seen}"
    assert page.locator("#loading").count() == 0 and page.locator("#rendered_cells").is_visible()


def test_a_topic_page_fits_a_phone(portal, new_page, axe_source, shots):
    page = new_page(360, 780)
    pages.open_topic(page, portal.url, "transport")
    pages.wait_drawn(page, "choropleth")
    page.wait_for_timeout(500)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the topic page is {width} px wide on a 360 px phone"
    page.screenshot(path=str(shots / "topic-transport-phone.png"), full_page=True)
    assert page.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "Přiblížit"
    violations = pages.run_axe(page, axe_source)
    assert not violations, pages.describe_violations(violations)


CZECH_NUMBER = re.compile(r"[\u2212-]?\d{1,3}(\u00a0\d{3})*(,\d+)?")


def test_chart_tooltips_show_czech_numbers(portal, page, shots):
    """Hovering a bar shows its value as a Czech reader writes it (45 123,4), not 45,123.4."""
    pages.open_topic(page, portal.url, "labour_market")
    pages.wait_drawn(page, "bar")
    bar = page.locator(".dl-section.dl-bar rect.bar").last  # the top bar: the largest value
    bar.scroll_into_view_if_needed()
    bar.hover()
    cells = page.locator(".bqplot_mark_tooltip:visible td")  # every chart has its own, hidden ones too
    cells.last.wait_for(timeout=20_000)
    page.screenshot(path=str(shots / "tooltip-czech-number.png"))
    texts = [t.strip() for t in cells.all_text_contents()]
    assert texts[0] == "území" and texts[2] == "hodnota", texts
    assert CZECH_NUMBER.fullmatch(texts[3]), f"tooltip value not in Czech form: {texts}"
    assert "," in texts[3] or "\u00a0" in texts[3], f"a value with decimals or thousands expected: {texts}"
