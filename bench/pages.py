"""Time to rendered chart and map of every topic, in headless Chromium (Playwright).

Modes (each a fresh browser context = an empty cache, as a first-time visitor):

* ``voila_cold``  – default Voilà (``voila notebooks/``, lab template, no preheating);
* ``cold``        – ``datalk serve --no-preheat``: our template, a new kernel per visit;
* ``preheated``   – ``datalk serve`` with a preheated pool: the live page ``/voila/render/<id>.ipynb``
  (the pool kernel built the default view before the visitor came);
* ``preheated_params`` – the live page with parameters (``?territory=CZ0513``, the Liberec
  district): what a visitor gets after changing a control on the static page – the pool
  kernel has its imports and data warm but builds the page after the request;
* ``static``      – the pre-rendered default view at ``/tema/<id>`` (no kernel);
* ``static_warm`` – the same page again in the same context (a returning visitor: HTTP cache).

"Rendered" = the first bqplot chart (line or bar) has drawn lines/bars and the first map
(choropleth or points) has drawn territories/places, or – on a static page – shows the
pre-render's picture of them (``chart``/``map`` say which: ``drawn`` or ``picture``); a section
that shows a data notice instead counts as settled. The clock runs from ``page.goto`` to that
moment (wall time, the visitor's view), and ``performance.now()`` of the page is kept too.

On a static page with pictures, ``seconds`` is when the browser painted them (Element Timing,
on the page's clock from navigation start) and ``wall_s`` the harness's clock (a busy main
thread can delay the harness's polling answer, not what the visitor sees). ``live_s`` is the
page's own time until the widget library has drawn every island (hover and click work from
then on): such a page starts that library at the visitor's first input, which the harness gives
right after the paint (a mouse move); ``live_after_input_s`` counts from that input.

Between live visits the page is left (Voilà shuts the kernel down) and the server is given time
to settle (pool refill), so one visit does not pay for the previous one.
"""

from __future__ import annotations

import time

from common import leave, load, ratio, stats

RENDERED = """([needChart, needMap]) => {
  const settled = (kinds, drawnSel) => {
    const secs = [...document.querySelectorAll(kinds.map(k => '.dl-section.dl-' + k).join(','))];
    if (!secs.length) return null;
    if (secs.some(s => s.querySelector(drawnSel))) return 'drawn';
    const pictured = s => [...s.querySelectorAll('.dl-snapshot img')].some(i => i.complete && i.naturalWidth > 0);
    if (secs.some(pictured)) return 'picture';
    return secs.every(s => { const n = s.querySelector('.dl-needs-refresh, .dl-note'); return n && n.textContent.trim(); })
      ? 'notice' : null;
  };
  const chart = needChart ? settled(['line', 'bar'], 'path.line, rect.bar') : 'none';
  const map = needMap ? settled(['choropleth', 'points'], 'path.leaflet-interactive') : 'none';
  return chart && map ? [chart, map, performance.now()] : false;
}"""
TIMEOUT_MS = 180_000
PARAM_TERRITORY = "CZ0513"  # okres Liberec: a permalink's parameter (any topic knows it)
#: ``VoilaKernelManager.fill_delay`` (voila.json): a taken pool kernel is replaced this much later.
#: Settling right after a visit ended before the refill began, and the refill's notebook run
#: (~3 CPU-s) then fell into the next visit (bench/run.py read ~0.5 s slower than bench/ab_live.py).
POOL_REFILL_DELAY_S = 5


def expectations(topic_id: str) -> tuple[bool, bool]:
    """Does the topic show a bqplot chart / a map in the app (from its YAML)?"""
    from datalk.topics import get_topic

    kinds = {c.kind for c in get_topic(topic_id).charts if c.app}
    return bool(kinds & {"line", "bar"}), bool(kinds & {"choropleth", "points"})


def open_timed(context, url: str, need: tuple[bool, bool], keep: bool = False) -> dict:
    """One visit: seconds from navigation to chart and map drawn (or an error)."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)[:200]))
    started = time.perf_counter()
    row: dict = {"url": url, "load_before": load()}
    try:
        response = page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        handle = page.wait_for_function(RENDERED, arg=list(need), timeout=TIMEOUT_MS, polling=50)
        chart, drawn_map, page_ms = handle.json_value()
        row.update(
            seconds=round(time.perf_counter() - started, 3),
            page_s=round(page_ms / 1000, 3),
            chart=chart,
            map=drawn_map,
            kind=(response.headers.get("x-datalk-page") if response else None) or "live",
        )
        if row["kind"] == "static":
            painted_ms = page.evaluate(PAINTED, list(need))
            if painted_ms:  # the pictures were on screen then; the harness heard of it later
                row.update(wall_s=row["seconds"], seconds=round(painted_ms / 1000, 3), shown="picture painted")
            page.mouse.move(40, 40)  # a static page with pictures starts its widgets at the first input
            page.mouse.move(60, 80)
            page.wait_for_function(LIVE, timeout=TIMEOUT_MS, polling=50)
            row["live_s"] = round(page.evaluate(LIVE) / 1000, 3)
            row["live_after_input_s"] = round(page.evaluate(LIVE_AFTER_INPUT) / 1000, 3)
        fcp = page.evaluate(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
        )
        row["fcp_s"] = round(fcp / 1000, 3) if fcp else None
    except Exception as exc:  # a timeout or a crash is a result too
        row.update(seconds=None, error=f"{type(exc).__name__}: {str(exc)[:200]}")
    row["page_errors"] = errors[:3]
    row["load_after"] = load()
    if row.get("kind") == "live":
        row["kernel_id"] = page.evaluate(KERNEL_ID)
    if not keep:
        leave(page)
        page.close()
    else:
        row["_page"] = page
    return row


#: When the pictures of the first chart and map were painted (Element Timing, the page's clock).
PAINTED = """async ([needChart, needMap]) => {
  const entries = await new Promise(resolve => {
    new PerformanceObserver((list, observer) => { observer.disconnect(); resolve(list.getEntries()); })
      .observe({type: 'element', buffered: true});
    setTimeout(() => resolve([]), 2000);
  });
  const painted = {};
  for (const e of entries) if (e.identifier.startsWith('dl-picture-')) painted[e.identifier.slice(11)] = e.renderTime || e.loadTime;
  const first = kinds => {
    const times = [...document.querySelectorAll(kinds.map(k => '.dl-section.dl-' + k + ' .dl-island[data-dl-model]').join(','))]
      .map(i => painted[i.dataset.dlModel]).filter(t => t);
    return times.length ? Math.min(...times) : null;
  };
  const chart = needChart ? first(['line', 'bar']) : 0, map = needMap ? first(['choropleth', 'points']) : 0;
  return chart !== null && map !== null ? Math.max(chart, map) : null;
}"""
LIVE = """() => { const m = performance.getEntriesByName('dl-islands-drawn')[0]; return m ? m.startTime : false; }"""
LIVE_AFTER_INPUT = """() => { const m = performance.getEntriesByName('dl-islands-drawn')[0];
  const r = performance.getEntriesByName('dl-widgets-requested')[0]; return m && r ? m.startTime - r.startTime : null; }"""
KERNEL_ID = """() => { const c = document.getElementById('jupyter-config-data');
  return c ? JSON.parse(c.textContent).kernelId : null; }"""


def release(server, row: dict) -> None:
    """After the visitor left: did the kernel go away? (default Voilà's does not: shut it down)"""
    kernel_id = row.pop("kernel_id", None)
    if not kernel_id:
        return
    deadline = time.monotonic() + 10
    alive = True
    while time.monotonic() < deadline and alive:
        alive = any(kernel_id in " ".join(p.cmdline()) for p in server.kernels())
        if alive:
            time.sleep(0.5)
    row["kernel_left_running"] = alive
    if alive:
        server.shutdown_kernel(kernel_id)


def measure_mode(browser, server, mode: str, topics: list[str], repeat: int, settle: bool) -> dict:
    """Every topic ``repeat`` times in one mode; returns per-topic rows and summary stats."""
    per_topic: dict[str, list[dict]] = {}
    for _ in range(repeat):
        for topic_id in topics:
            need = expectations(topic_id)
            url = f"{server.url}/tema/{topic_id}" if mode.startswith("static") else (
                f"{server.url}/voila/render/{topic_id}.ipynb")
            if mode == "preheated_params":
                url += f"?territory={PARAM_TERRITORY}"
            context = browser.context()
            try:
                if mode == "static_warm":
                    first = open_timed(context, url, need, keep=True)
                    first.pop("_page").close()
                row = open_timed(context, url, need)
            finally:
                context.close()
            release(server, row)
            if settle:
                if mode.startswith("preheated"):  # the pool refills after a delay: not into the next visit
                    time.sleep(POOL_REFILL_DELAY_S + 1)
                row["settle_s"] = server.settle(max_wait=90)
            per_topic.setdefault(topic_id, []).append(row)
    summary = {t: stats([r["seconds"] for r in rows]) for t, rows in per_topic.items()}
    every = [r["seconds"] for rows in per_topic.values() for r in rows]
    errors = sum(1 for rows in per_topic.values() for r in rows if r.get("seconds") is None)
    kinds = sorted({r.get("kind") for rows in per_topic.values() for r in rows if r.get("kind")})
    leaked = sum(1 for rows in per_topic.values() for r in rows if r.get("kernel_left_running"))
    result = {"mode": mode, "server": server.name, "all": stats(every), "errors": errors, "kinds": kinds,
              "kernels_left_after_leaving": leaked, "per_topic": summary, "rows": per_topic}
    live = [r["live_s"] for rows in per_topic.values() for r in rows if r.get("live_s") is not None]
    if live:  # static pages: until the widget library has drawn every island
        result["live"] = stats(live)
        result["live_after_input"] = stats([r.get("live_after_input_s") for rows in per_topic.values()
                                            for r in rows if r.get("live_after_input_s") is not None])
        result["shown_as"] = sorted({f"{r.get('chart')}/{r.get('map')}" for rows in per_topic.values() for r in rows
                                     if r.get("seconds") is not None})
    return result


def compare(results: dict[str, dict]) -> dict:
    """Ratios against default Voilà (cold) per mode and per topic (baseline / ours)."""
    base = results.get("voila_cold")
    out = {}
    for mode, result in results.items():
        if mode == "voila_cold" or not base:
            continue
        per_topic = {
            t: ratio(base["per_topic"].get(t, {}).get("median"), s.get("median"))
            for t, s in result["per_topic"].items()
        }
        out[mode] = {"median_ratio": ratio(base["all"]["median"], result["all"]["median"]),
                     "per_topic": per_topic}
    return out
