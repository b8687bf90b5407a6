"""What the browser tests do on a page: open a topic, wait for its figures, run axe.

Selectors are the ones a person would look at: the bqplot lines and bars, the map's
territories (Leaflet paths), KPI tiles and tables of each section (``dl-<kind>``).
"""

from __future__ import annotations

import json
from pathlib import Path

from datalk.topics import all_topics
from datalk.topics.spec import TopicSpec

TIMEOUT = 240_000  # ms; a cold kernel on a busy 2-core machine is slow
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: kind of chart → a selector of its drawn content inside ``.dl-section.dl-<kind>``
DRAWN = {
    "line": "path.line",
    "bar": "rect.bar",
    "choropleth": "path.leaflet-interactive",
    "points": "path.leaflet-interactive",
    "kpi": ".dl-kpi",
    "table": "table.dl-table",
    "list": "table.dl-list tbody tr",
}


def topics() -> list[TopicSpec]:
    return all_topics(Path(__file__).resolve().parents[2] / "topics")


def app_charts(topic: TopicSpec) -> list:
    return [c for c in topic.charts if c.app]


def leave(page) -> None:
    """Navigate away: Voilà's beforeunload handler asks the server to shut the kernel down."""
    try:
        if not page.is_closed() and page.url != "about:blank":
            page.goto("about:blank", timeout=30_000)
    except Exception:  # a broken page must not break the teardown
        pass


def wake(page) -> None:
    """The visitor moves the mouse: a static page with pictures starts its widget library then."""
    page.mouse.move(40, 40)
    page.mouse.move(60, 80)


def open_topic(page, base: str, topic_id: str, query: str = "") -> None:
    """Open ``/tema/<id>`` and wait until the cells are revealed and the header is drawn."""
    page.goto(f"{base}/tema/{topic_id}{query}", wait_until="commit", timeout=TIMEOUT)
    page.wait_for_selector("html.dl-ready", state="attached", timeout=TIMEOUT)
    page.wait_for_selector(".dl-topic-header h1", timeout=TIMEOUT)


def wait_drawn(page, kind: str, minimum: int = 1) -> int:
    """Wait until a section of this kind has drawn content; return how many items."""
    selector = f".dl-section.dl-{kind} {DRAWN[kind]}" if kind not in ("kpi",) else DRAWN[kind]
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length >= n",
        arg=[selector, minimum],
        timeout=TIMEOUT,
    )
    return page.locator(selector).count()


def section_texts(page, kind: str) -> list[str]:
    return page.locator(f".dl-section.dl-{kind} .dl-alt").all_inner_texts()


def run_axe(page, axe_source: str) -> list[dict]:
    """axe-core (WCAG 2.1 A/AA) on the current page; returns the violations.

    The script is evaluated through the DevTools protocol, which the page's
    Content-Security-Policy does not govern (no inline script is injected).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(
                f"    {json.dumps(node['target'])}: {node.get('failureSummary', '')[:200]}"
            )
    return "\n".join(lines)


def selected_label(page, selector: str, nth: int = 0) -> str:
    """The visible label of the selected option of a <select> (a widget dropdown).

    ipywidgets writes option labels with no-break spaces; they are compared as plain spaces.
    """
    return (
        page.locator(selector)
        .nth(nth)
        .evaluate(
            "s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text.replace(/\u00a0/g, ' ') : ''"
        )
    )


def wait_option(page, selector: str, label: str, query: str = "") -> int:
    """Wait until a <select> offers an option with this label; return its index.

    With ``query``, also wait until every option matches it (ignoring case and diacritics):
    the list shows the search results, not the list from before the kernel answered.
    """
    handle = page.wait_for_function(
        """([sel, label, query]) => {
          const fold = t => t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
          const options = [...document.querySelector(sel).options];
          if (query && !options.every(o => fold(o.text).includes(fold(query)))) return false;
          const i = options.findIndex(o => o.text.replace(/\u00a0/g, ' ') === label);
          return i >= 0 ? i + 1 : false;
        }""",
        arg=[selector, label, query],
        timeout=TIMEOUT,
    )
    return handle.json_value() - 1
