"""Lighthouse (npm, desktop preset) performance and accessibility of the landing page and topics.

Lighthouse is installed at bench time into ``.cache/npm/lighthouse`` (never committed; its own
prefix so it does not disturb the axe-core install of the browser tests) and drives Debian's
Chromium (``CHROME_PATH=/usr/bin/chromium``). Version 12 still runs on Node 20.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from common import CHROMIUM, ROOT, load, ratio

PREFIX = ROOT / ".cache" / "npm" / "lighthouse"
VERSION = "12.8.2"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift",
           "speed-index", "interactive")


def ensure_lighthouse() -> Path:
    cli = PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(PREFIX), "--no-save", "--no-audit", "--no-fund",
             f"lighthouse@{VERSION}"],
            check=True, capture_output=True, timeout=900,
        )
    return cli


def run_one(cli: Path, url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        before = load()
        result = subprocess.run(
            ["node", str(cli), url, "--preset=desktop", "--only-categories=performance,accessibility",
             "--output=json", f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}", "--quiet",
             "--max-wait-for-load=90000"],
            env=env, capture_output=True, text=True, timeout=400, check=False,
        )
        if not out.exists():
            return {"url": url, "error": (result.stderr or result.stdout)[-500:], "load_before": before}
        report = json.loads(out.read_text())
    audits = report.get("audits", {})
    categories = report.get("categories", {})
    failing = [a for a, v in audits.items() if v.get("score") == 0 and v.get("scoreDisplayMode") == "binary"
               and a in {r["id"] for r in categories.get("accessibility", {}).get("auditRefs", [])}]
    return {
        "url": url,
        "performance": categories.get("performance", {}).get("score"),
        "accessibility": categories.get("accessibility", {}).get("score"),
        "metrics": {m: audits.get(m, {}).get("numericValue") for m in METRICS},
        "accessibility_failures": failing,
        "runtime_error": (report.get("runtimeError") or {}).get("message"),
        "load_before": before,
        "load_after": load(),
    }


def run(ours_url: str, voila_url: str | None, topics: list[str], repeat: int = 1) -> dict:
    """Landing page and topics on our portal and on default Voilà (median of ``repeat`` runs)."""
    if not shutil.which("node") or not shutil.which("npm"):
        return {"error": "node/npm missing"}
    cli = ensure_lighthouse()
    pages = {"landing": ("/", "/")}
    for topic in topics:
        pages[topic] = (f"/tema/{topic}", f"/voila/render/{topic}.ipynb")
    pages[f"{topics[0]} (live)"] = (f"/voila/render/{topics[0]}.ipynb", None)
    rows = {}
    for name, (ours_path, voila_path) in pages.items():
        ours = [run_one(cli, ours_url + ours_path) for _ in range(repeat)]
        base = [run_one(cli, voila_url + voila_path) for _ in range(repeat)] if voila_url and voila_path else []
        rows[name] = {"ours": _median(ours), "voila": _median(base) if base else None, "runs": ours + base}
        o, b = rows[name]["ours"], rows[name]["voila"]
        rows[name]["ratio_performance"] = ratio(o.get("performance"), b.get("performance")) if b else None
    return {"version": VERSION, "preset": "desktop", "pages": rows}


def _median(runs: list[dict]) -> dict:
    """The run with the median performance score (keeps its metrics together)."""
    good = [r for r in runs if r.get("performance") is not None]
    if not good:
        return runs[0] if runs else {}
    good.sort(key=lambda r: r["performance"])
    return good[len(good) // 2]
