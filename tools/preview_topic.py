"""Preview a topic as its authors must before calling it done.

    .venv/bin/python tools/preview_topic.py labour_market [--out /tmp/preview]

1. Builds the app page in-process for several territories (kraj, another kraj, okres,
   ORP, obec) and every indicator, failing loudly on any exception.
2. Executes the notebook with Papermill in report mode, converts it to HTML without
   input cells and screenshots it with Chromium (PNG files to look at).
Needs DATALK_MIRROR and DATALK_CACHE in the environment.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]


def check_app(topic_id: str) -> None:
    import datalk.app.interactive as interactive
    from datalk.app import open_topic

    interactive.display = lambda *a, **k: None
    started = time.perf_counter()
    page = open_topic(topic_id, mode="app")
    page.header()
    for chart in page.topic.charts:
        page.chart(chart.id)
    page.sources()
    failures = []
    original = page._refreshers
    page._refreshers = [lambda r=r: failures.append(r()) for r in original]
    for territory in ("CZ052", "CZ0513", "5105", "563889", "CZ", "CZ051"):
        page.select_territory(territory)
        for indicator in page.topic.visible_indicators:
            page.indicator.value = indicator.id
    errors = [f for f in failures if f is not None]
    print(f"app: {len(page.topic.charts)} charts, {len(errors)} errors, {time.perf_counter() - started:.1f} s")
    for error in errors[:5]:
        print("  ", type(error).__name__, error)
    if errors:
        sys.exit(1)


def render_report(topic_id: str, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    executed = out / f"{topic_id}.ipynb"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "papermill", str(ROOT / "notebooks" / f"{topic_id}.ipynb"), str(executed),
                    "-p", "mode", "report", "--log-level", "ERROR", "--no-progress-bar"], check=True)
    print(f"report: executed in {time.perf_counter() - started:.1f} s")
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--no-input",
                    "--TagRemovePreprocessor.remove_cell_tags=analyst-note", str(executed), "--output-dir", str(out)],
                   check=True, capture_output=True)
    return out / f"{topic_id}.html"


async def screenshot(html: Path) -> list[Path]:
    from playwright.async_api import async_playwright

    from datalk.settings import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1000, "height": 1400})
        await page.goto(html.as_uri())
        height = await page.evaluate("document.body.scrollHeight")
        shots = []
        for index, top in enumerate(range(0, min(height, 14000), 1400)):
            await page.evaluate(f"window.scrollTo(0, {top})")
            path = html.with_name(f"{html.stem}-{index:02d}.png")
            await page.screenshot(path=path)
            shots.append(path)
        await browser.close()
        return shots


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("topic")
    parser.add_argument("--out", default="/tmp/preview")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()
    check_app(args.topic)
    if not args.no_report:
        html = render_report(args.topic, Path(args.out))
        for shot in asyncio.run(screenshot(html)):
            print("look at:", shot)


if __name__ == "__main__":
    main()
