"""``make bench``: measured speed of every topic page, against default Voilà in the same run.

    DATALK_MIRROR=../shared/data DATALK_CACHE=/tmp/dlcache .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --quick                       # 3 topics, 1 repeat, 10 visitors
    .venv/bin/python bench/run.py --only topics,memory --topics labour_market,health

Parts (``--only``): ``topics`` (time to chart and map: default Voilà cold, ours cold, preheated,
static, static with a warm cache), ``memory`` (kernel RSS/USS/PSS per live session), ``load``
(N concurrent visitors: static and live, and default Voilà live), ``lighthouse`` (desktop
performance and accessibility: landing page and topics), ``imports`` (import time of the app
module), ``fetch`` (all sources from the mirror), ``notebooks`` (every topic notebook with
Papermill in both modes, bench/notebooks.py), ``reports`` (the 20 topic reports via
bench/reports.py), ``prerender`` (time to write the static pages). Servers run one after the other
so they do not compete: default Voilà, then ``datalk serve --no-preheat``, then ``datalk serve``
with a preheated pool and static pages. Every row records the machine's load; with
``--max-load`` the run waits (bounded) for a quiet machine before each server phase.

Two versions side by side (the machine's speed drifts more than many changes are worth):
``bench/ab_live.py <other checkout>`` times their live pages in alternating visits.

Prints a table and writes JSON to bench/results/ (git-ignored): ``bench-<time>.json`` and
``latest.json``. These are measurements, not tests: nothing fails when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.filterwarnings("ignore")

import common  # noqa: E402
import report_table  # noqa: E402

PARTS = ("topics", "memory", "load", "lighthouse", "imports", "fetch", "notebooks", "reports", "prerender")
QUICK_TOPICS = ["labour_market", "health", "overview"]
LIGHTHOUSE_TOPICS = ["labour_market", "health", "overview"]


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma list of parts: {', '.join(PARTS)}")
    parser.add_argument("--quick", action="store_true", help="3 topics, 1 repeat, 10 visitors, HTML-only reports")
    parser.add_argument("--topics", default=None, help="comma list of topic ids (default: all, quick: 3)")
    parser.add_argument("--repeat", type=int, default=None, help="visits per topic and mode (default 3, quick 1)")
    parser.add_argument("--visitors", default=None, help="concurrent visitors, e.g. 10,25,50 (quick: 10)")
    parser.add_argument("--max-load", type=float, default=None, help="wait for a 1-min load below this first")
    parser.add_argument("--no-voila", action="store_true", help="skip the default-Voilà baseline")
    return parser.parse_args()


def main() -> None:
    args = parse()
    if not os.environ.get("DATALK_CACHE"):
        os.environ["DATALK_CACHE"] = str(common.ROOT / ".cache" / "datalk")
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        sys.exit(f"unknown parts: {', '.join(sorted(unknown))}")
    from datalk.app.site.content import topic_entries

    all_topics = [t["id"] for t in topic_entries()]
    topics = args.topics.split(",") if args.topics else (QUICK_TOPICS if args.quick else all_topics)
    repeat = args.repeat or (1 if args.quick else 3)
    visitors = [int(v) for v in (args.visitors or ("10" if args.quick else "10,25,50")).split(",")]
    results: dict = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": common.machine(), "quick": args.quick,
                     "topics": topics, "repeat": repeat, "visitors": visitors, "parts": parts}
    print(f"datalk bench: {os.cpu_count()} CPU, load {common.load()}, parts {', '.join(parts)}; "
          f"{len(topics)} topics × {repeat}", flush=True)
    common.ensure_cache()
    work = Path(tempfile.mkdtemp(prefix="datalk-bench-"))
    try:
        run_parts(args, parts, topics, repeat, visitors, work, results)
    finally:
        results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        path = common.write_results(results)
        print(report_table.render(results), flush=True)
        print(f"\nJSON: {path} (and bench/results/latest.json); server logs in {work}")


def run_parts(args, parts, topics, repeat, visitors, work: Path, results: dict) -> None:
    if "imports" in parts:
        import startup

        results["imports"] = step("imports", startup.imports)
    if "fetch" in parts:
        import startup

        results["fetch"] = step("fetch", startup.fetch)
    if "notebooks" in parts:
        import notebooks

        results["notebooks"] = step("notebooks", notebooks.run, topics)
    needs_servers = {"topics", "memory", "load", "lighthouse", "prerender"} & set(parts)
    if needs_servers:
        site = work / "site"
        results["prerender"] = step("prerender", common.prerender, site, None, 2)
        browser_parts(args, parts, topics, repeat, visitors, work, site, results)
    if "reports" in parts:
        import startup

        results["reports"] = step("reports", startup.reports, args.quick)


def step(name: str, function, *args):
    started = time.perf_counter()
    print(f"… {name} (load {common.load()})", flush=True)
    try:
        value = function(*args)
    except Exception as exc:  # a broken part must not lose the others' numbers
        value = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    print(f"  {name}: {time.perf_counter() - started:.0f} s", flush=True)
    return value


def quiet(args) -> None:
    if args.max_load:
        print(f"  waiting for load < {args.max_load}: now {common.quiet_machine(args.max_load)}", flush=True)


def browser_parts(args, parts, topics, repeat, visitors, work, site, results) -> None:
    import lighthouse
    import load as crowd
    import memory
    import pages

    timings = results.setdefault("pages", {})
    mem = results.setdefault("memory", {})
    crowds = results.setdefault("load", [])
    light: dict = {}
    memory_topics = topics if not args.quick else topics[:2]
    with common.Browser() as browser:
        if not args.no_voila:
            quiet(args)
            voila = common.start_default_voila(work / "voila")
            results["servers"] = {"voila_start_s": voila.started_s}
            try:
                if "topics" in parts:
                    timings["voila_cold"] = step("topics: default Voilà", pages.measure_mode, browser, voila,
                                                 "voila_cold", topics, repeat, True)
                if "memory" in parts:
                    rows = [memory.session(browser, voila, t) for t in memory_topics]
                    mem["voila"] = {"rows": rows, "summary": memory.summarise(rows)}
                if "lighthouse" in parts:
                    light["voila_url"] = voila.url
                    light["voila"] = step("lighthouse: default Voilà", lighthouse_only, lighthouse, None,
                                          voila.url, LIGHTHOUSE_TOPICS if not args.quick else topics[:1])
                if "load" in parts:
                    for n in visitors:
                        crowds.append(step(f"load: default Voilà, {n} live", crowd.crowd, voila, "live", topics, n))
                        voila.settle(max_wait=120)
                        cleanup_voila(voila)
            finally:
                voila.stop()
        if {"topics", "memory"} & set(parts):
            quiet(args)
            cold = common.start_ours(work / "cold", preheat=None, static=False, site_dir=site, name="datalk-cold")
            try:
                if "topics" in parts:
                    timings["cold"] = step("topics: ours cold", pages.measure_mode, browser, cold, "cold",
                                           topics, repeat, True)
                if "memory" in parts:
                    rows = [memory.session(browser, cold, t) for t in memory_topics]
                    mem["cold"] = {"rows": rows, "summary": memory.summarise(rows)}
            finally:
                cold.stop()
        quiet(args)
        ours = common.start_ours(work / "ours", preheat=topics, pool_size=1, static=True, site_dir=site)
        try:
            results.setdefault("servers", {})["ours_start_s"] = ours.started_s
            results["servers"]["ours_pool_settle_s"] = ours.wait_pool(len(topics), max_wait=900)
            if "memory" in parts:
                idle = memory.idle_pool_kernels(ours)
                mem["pool_idle"] = {"kernels": len(idle), "summary": memory.summarise(idle)}
            if "topics" in parts:
                for mode in ("static", "static_warm", "preheated", "preheated_params"):
                    timings[mode] = step(f"topics: ours {mode}", pages.measure_mode, browser, ours, mode, topics,
                                         repeat, mode.startswith("preheated"))
            if "memory" in parts:
                rows = [memory.session(browser, ours, t) for t in memory_topics]
                for row in rows:
                    row["settle_s"] = ours.settle(max_wait=90)
                mem["preheated"] = {"rows": rows, "summary": memory.summarise(rows)}
            if "lighthouse" in parts:
                light["ours"] = step("lighthouse: ours", lighthouse_only, lighthouse, ours.url, None,
                                     LIGHTHOUSE_TOPICS if not args.quick else topics[:1])
            if "load" in parts:
                for n in visitors:
                    crowds.append(step(f"load: ours, {n} static", crowd.crowd, ours, "static", topics, n))
                for n in visitors:
                    crowds.append(step(f"load: ours, {n} live", crowd.crowd, ours, "live", topics, n))
                    ours.settle(max_wait=300)
                results["kernels_left_after_load"] = len(ours.kernels()) - len(topics)
        finally:
            ours.stop()
    if timings:
        results["pages_ratio"] = pages.compare(timings)
    if light:
        results["lighthouse"] = merge_lighthouse(light)


def lighthouse_only(module, ours_url, voila_url, topics):
    """One side of the Lighthouse comparison (the servers run one after the other)."""
    return module.run(ours_url or voila_url, None, topics) if ours_url else _voila_side(module, voila_url, topics)


def _voila_side(module, voila_url, topics):
    cli = module.ensure_lighthouse()
    pages = {"landing": "/"}
    pages.update({t: f"/voila/render/{t}.ipynb" for t in topics})
    return {"pages": {name: {"ours": module.run_one(cli, voila_url + path)} for name, path in pages.items()}}


def merge_lighthouse(light: dict) -> dict:
    ours = (light.get("ours") or {}).get("pages", {})
    base = (light.get("voila") or {}).get("pages", {})
    merged = {}
    for name, row in ours.items():
        b = base.get(name, {}).get("ours")
        o = row.get("ours", {})
        both = b and b.get("performance") and o.get("performance")
        merged[name] = {"ours": o, "voila": b,
                        "ratio_performance": round(o["performance"] / b["performance"], 2) if both else None}
    return {"version": getattr(__import__("lighthouse"), "VERSION", None), "preset": "desktop", "pages": merged,
            "errors": {k: v for k, v in light.items() if isinstance(v, dict) and "error" in v}}


def cleanup_voila(server) -> None:
    """Kernels default Voilà kept after the crowd left (it cannot shut them down itself)."""
    import re

    for kernel_id in set(re.findall(r"Kernel started: ([0-9a-f-]+)", server.log.read_text(errors="replace"))):
        with contextlib.suppress(Exception):
            server.shutdown_kernel(kernel_id)


if __name__ == "__main__":
    main()
