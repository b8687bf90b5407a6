"""Every topic page, as a visitor opens it: charts and maps drawn, no errors, axe clean.

One page load per topic (kernels are expensive on 2 cores), so each test checks what a
person would look at first: every chart the topic YAML shows in the app is drawn (or the
test names the section that is not and why), analyst notes are hidden, nothing failed,
and axe-core finds no WCAG 2.1 A/AA violation. A full-page screenshot is saved.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from datalk.sources import all_sources
from tests.browser import pages

pytestmark = pytest.mark.browser

TOPICS = pages.topics()
REPO = Path(__file__).resolve().parents[2]
#: a number as d3 prints it in English ("12,345.6", "3.5"); Czech pages must show "12 345,6", "3,5"
ENGLISH_NUMBER = re.compile(r"[\u2212-]?(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d+)")
SECTION_STATE = """([kind, drawn]) => [...document.querySelectorAll('.dl-section.dl-' + kind)].map(s => {
  if (s.querySelector(drawn)) return 'drawn';
  const notice = s.querySelector('.dl-needs-refresh, .dl-note');
  return notice && notice.textContent.trim() ? 'notice: ' + notice.textContent.trim().slice(0, 160) : 'pending';
})"""


def analyst_notes(topic_id: str) -> list[str]:
    """A line of each analyst-note cell: text the public page must not show."""
    notebook = json.loads((REPO / "notebooks" / f"{topic_id}.ipynb").read_text(encoding="utf-8"))
    lines = []
    for cell in notebook["cells"]:
        if "analyst-note" in cell.get("metadata", {}).get("tags", []):
            text = "".join(cell["source"]).strip().lstrip("#").strip().splitlines()
            if text and len(text[-1]) > 15:
                lines.append(text[-1][:60])
    return lines


def unavailable_offline(state: str) -> bool:
    """A needs-refresh notice for a source the mirror cannot hold (no ``mirror:`` in its YAML).

    Offline (DATALK_MIRROR) such a source is never fetched, and the page is right to say so.
    """
    named = re.search(r"„(.+?)“", state)
    specs = [s for s in all_sources().values() if named and s.title == named.group(1)]
    return "obnovu dat" in state and bool(specs) and all(s.mirror is None for s in specs)


def wait_sections(page, kind: str, expected: int) -> list[str]:
    """Wait until every section of a kind is drawn or shows a notice; return their states."""
    page.wait_for_function(
        f"([k, d, n]) => {{ const s = ({SECTION_STATE})([k, d]); return s.length >= n && !s.includes('pending'); }}",
        arg=[kind, pages.DRAWN[kind], expected],
        timeout=pages.TIMEOUT,
    )
    return page.evaluate(SECTION_STATE, [kind, pages.DRAWN[kind]])


@pytest.mark.parametrize("topic", TOPICS, ids=[t.id for t in TOPICS])
def test_topic_page_draws_its_charts_and_maps(topic, portal, page, axe_source, shots):
    pages.open_topic(page, portal.url, topic.id)
    charts = pages.app_charts(topic)
    assert page.locator("h1").first.inner_text().strip() == topic.title.get("cs")

    problems = []
    for kind in sorted({c.kind for c in charts} - {"kpi"}):
        expected = sum(c.kind == kind for c in charts)
        states = wait_sections(page, kind, expected)
        assert len(states) == expected, (
            f"{kind}: {len(states)} sections on the page, the topic defines {expected}"
        )
        for i, state in enumerate(states):
            if state == "drawn":
                continue
            if unavailable_offline(state):
                warnings.warn(
                    f"{topic.id} {kind} #{i + 1}: source not in the mirror, notice shown: {state}",
                    stacklevel=1,
                )
                continue
            problems.append(f"{kind} #{i + 1}: {state}")
    if any(c.kind == "kpi" for c in charts):
        pages.wait_drawn(page, "kpi")
    page.wait_for_timeout(500)  # the last widget views settle
    page.screenshot(path=str(shots / f"topic-{topic.id}.png"), full_page=True)
    assert not problems, f"{topic.id}: figures not drawn:\n" + "\n".join(problems)

    text = page.locator("#obsah").inner_text()
    assert "Traceback" not in text and "ExecutionError" not in text
    assert page.locator(".dl-message-error").count() == 0, page.locator(
        ".dl-message-error"
    ).first.inner_text()
    for note in analyst_notes(topic.id):
        assert note not in text, f"analyst note shown to the public: {note!r}"
    assert page.locator(".dl-sources li").count() >= 1, (
        "the sources box lists the topic's data sources"
    )
    assert page.evaluate("document.documentElement.lang") == "cs"
    ticks = [t.strip() for t in page.locator(".bqplot .tick text").all_text_contents()]
    assert not [t for t in ticks if ENGLISH_NUMBER.fullmatch(t)], f"English numbers on the axes: {ticks[:12]}"

    violations = pages.run_axe(page, axe_source)
    assert not violations, pages.describe_violations(violations)
    assert not page.console_errors, page.console_errors[:5]
    assert not page.external_requests, (
        f"requests outside the portal (CDN?): {page.external_requests[:5]}"
    )
