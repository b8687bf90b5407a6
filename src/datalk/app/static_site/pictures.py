"""Pictures of a static page's charts and maps, taken once when the page is pre-rendered.

Why: the islands (bqplot charts, ipyleaflet maps) are drawn by about 6 MB of widget JavaScript.
On this 2-core machine that takes 1.5–2.5 s, on a phone longer, and without JavaScript (or
when a bundle fails to arrive) never. So right after a page is written, headless Chromium opens
it once at desktop and once at phone width, waits until the widget library has drawn every
island and keeps a picture of each (lossless WebP). The page then carries the pictures inside
the islands (``<picture>``, the phone picture below :data:`PHONE_MAX_WIDTH`): the visitor sees
the charts and the map with the text, and ``datalk-static.js`` swaps each picture for the live,
hoverable, clickable widget as soon as that is drawn (progressive enhancement, the way Our World
in Data serves a chart's SVG before its interactive version).

The pictures are decoration of what the page already says in words (every chart and map has a
text alternative next to it), so they are ``alt=""`` and hidden from screen readers.

Optional by design: without Playwright or Chromium, or if a page does not draw, the page stays
as it was (islands drawn by the browser only) and a warning says why.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import mimetypes
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from datalk.app.static_site.build import write_atomic

log = logging.getLogger(__name__)

PHONE_MAX_WIDTH = 600  # px: below this the phone picture is shown (same as datalk.css's phone layout)
FOLDER = "pictures"
#: Wait this long for the widget library to draw a page's islands in the pre-render browser.
DRAW_TIMEOUT_MS = 90_000
ISLAND = re.compile(r'(<div class="dl-island"[^>]*?\sdata-dl-model="(?P<model>[0-9a-f]+)"[^>]*>)')
OLD_PICTURE = re.compile(r'<picture class="dl-snapshot".*?</picture>', re.S)
PICTURE_URL = re.compile(rf'{FOLDER}/([0-9a-f]+\.webp)')


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    scale: int  # device pixels per CSS pixel: phones have dense screens


VIEWPORTS = (Viewport("desktop", 1280, 900, 1), Viewport("phone", 390, 844, 2))


@dataclass
class Picture:
    url: str
    width: int  # CSS pixels
    height: int


class PageFiles:
    """Answers the pre-render browser's requests from disk: the page, its assets, the chrome.

    No server is needed (and no port): Playwright hands every request of the page to
    :meth:`fulfil`. Anything not found is recorded; a picture of a page that missed a file
    (a stylesheet, a bundle) would show something visitors never see, so it is not taken.
    """

    def __init__(self, site: Path, static_prefix: str):
        from voila.paths import collect_static_paths

        self.site = site
        self.static_prefix = static_prefix
        # the lookup Voilà's /voila/templates/datalk/static/ handler does: our template, then
        # the ones it extends (lab, base); the template is on JUPYTER_PATH during prerender()
        self.chrome_dirs = [Path(p) for p in collect_static_paths(["voila", "nbconvert"], "datalk")]
        self.missing: list[str] = []

    def local(self, path: str) -> Path | None:
        if path.startswith(self.static_prefix):
            return self.site / "_static" / path[len(self.static_prefix):]
        if path.startswith("/voila/templates/datalk/static/"):
            name = path.split("/static/", 1)[1]
            return next((d / name for d in self.chrome_dirs if (d / name).is_file()), None)
        if path.startswith("/tema/") and "/" not in path[len("/tema/"):]:
            return self.site / f"{path[len('/tema/'):]}.html"
        return None

    def fulfil(self, route) -> None:
        path = urlsplit(route.request.url).path
        local = self.local(path)
        if local is None or not local.is_file():
            self.missing.append(path)
            route.fulfill(status=404, body="")
            return
        kind = "text/html; charset=utf-8" if local.suffix == ".html" else (
            mimetypes.guess_type(local.name)[0] or "application/octet-stream")
        route.fulfill(status=200, body=local.read_bytes(), headers={"content-type": kind})


def to_webp(png: bytes) -> bytes:
    """Lossless WebP: the same pixels as Chromium's PNG in about two thirds of the bytes."""
    from PIL import Image

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).save(out, format="WEBP", lossless=True, method=4)
    return out.getvalue()


def _open(browser, files: PageFiles, topic_id: str, viewport: Viewport):
    """Start loading the page at one width (the widths load side by side: two cores)."""
    context = browser.new_context(viewport={"width": viewport.width, "height": viewport.height},
                                  device_scale_factor=viewport.scale, service_workers="block")
    page = context.new_page()
    page.route("**/*", files.fulfil)
    page.goto(f"http://portal.invalid/tema/{topic_id}", wait_until="commit")
    return context, page


def _take(page) -> dict[str, tuple[bytes, int, int]]:
    """Once the widget library has drawn the page: every island's picture, by model id."""
    page.wait_for_selector("html.dl-islands-ready", timeout=DRAW_TIMEOUT_MS)
    page.evaluate("() => document.fonts.ready")
    page.wait_for_timeout(400)  # bqplot and Leaflet finish their last frame
    shots = {}
    for island in page.query_selector_all(".dl-island[data-dl-model]"):
        box = island.bounding_box()
        if not box or box["width"] < 10 or box["height"] < 10:
            continue  # a hidden island (e.g. a second map shown on demand)
        shots[island.get_attribute("data-dl-model")] = (
            island.screenshot(type="png", animations="disabled"), round(box["width"]), round(box["height"]))
    return shots


def _store(static_dir: Path, image: bytes) -> str:
    name = f"{hashlib.sha256(image).hexdigest()[:20]}.webp"
    target = static_dir / FOLDER / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{name}.tmp{os.getpid()}")
        tmp.write_bytes(image)
        os.replace(tmp, target)
    return f"{FOLDER}/{name}"


def picture_markup(static_prefix: str, by_viewport: dict[str, Picture], model_id: str) -> str:
    """``<picture>``: the phone picture below :data:`PHONE_MAX_WIDTH`, else the desktop one.

    ``elementtiming`` lets the browser report when the picture was painted (``bench/pages.py``).
    """
    desktop = by_viewport["desktop"]
    phone = by_viewport.get("phone")
    source = (f'<source media="(max-width: {PHONE_MAX_WIDTH}px)" srcset="{static_prefix}{phone.url}" '
              f'width="{phone.width}" height="{phone.height}">') if phone else ""
    return (f'<picture class="dl-snapshot" aria-hidden="true">{source}'
            f'<img src="{static_prefix}{desktop.url}" alt="" width="{desktop.width}" height="{desktop.height}" '
            f'elementtiming="dl-picture-{model_id}"></picture>')


def insert(page_html: str, pictures: dict[str, str]) -> tuple[str, int]:
    """Put each island's ``<picture>`` first inside it (earlier pictures are replaced).

    Returns the page and how many islands got a picture.
    """
    page_html = OLD_PICTURE.sub("", page_html)
    placed = []

    def place(match: re.Match) -> str:
        picture = pictures.get(match.group("model"), "")
        placed.append(bool(picture))
        return match.group(1) + picture

    return ISLAND.sub(place, page_html), sum(placed)


def add_pictures(site: Path, topic_ids: list[str], static_prefix: str) -> dict[str, int]:
    """Pictures for the given (just rendered) pages; returns how many each page got.

    Never raises: a page without pictures still works, so a failure is only logged.
    """
    if not topic_ids:
        return {}
    try:
        from playwright.sync_api import sync_playwright

        from datalk.settings import CHROMIUM, CHROMIUM_ARGS
    except ImportError:
        log.warning("obrázky grafů vynechány: chybí balíček playwright (pip install 'datalk[reports]')")
        return {}
    counts: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for topic_id in topic_ids:
                counts[topic_id] = _picture_page(browser, site, topic_id, static_prefix)
            browser.close()
    except Exception as exc:  # no Chromium, a crashed browser: the pages stay as they are
        log.warning("obrázky grafů vynechány: %s: %s", type(exc).__name__, str(exc)[:300])
    prune(site)
    return counts


def _picture_page(browser, site: Path, topic_id: str, static_prefix: str) -> int:
    files = PageFiles(site, static_prefix)
    opened = []
    try:
        opened = [(v.name, *_open(browser, files, topic_id, v)) for v in VIEWPORTS]
        taken = {name: _take(page) for name, _context, page in opened}
    except Exception as exc:  # the page did not draw in time: it keeps working without pictures
        log.warning("obrázky grafů stránky %s vynechány: %s: %s", topic_id, type(exc).__name__, str(exc)[:300])
        return 0
    finally:
        for _name, context, _page in opened:
            context.close()
    if files.missing:
        log.warning("obrázky grafů stránky %s vynechány: chybí soubory %s", topic_id, sorted(set(files.missing)))
        return 0
    static_dir = site / "_static"
    markup = {}
    for model_id, (png, width, height) in taken["desktop"].items():
        by_viewport = {"desktop": Picture(_store(static_dir, to_webp(png)), width, height)}
        if model_id in taken["phone"]:
            png, width, height = taken["phone"][model_id]
            by_viewport["phone"] = Picture(_store(static_dir, to_webp(png)), width, height)
        markup[model_id] = picture_markup(static_prefix, by_viewport, model_id)
    page_path = site / f"{topic_id}.html"
    page_html, placed = insert(page_path.read_text(encoding="utf-8"), markup)
    write_atomic(page_path, page_html)
    manifest_path = site / f"{topic_id}.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["pictures"] = placed
    write_atomic(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1))
    return placed


def prune(site: Path) -> None:
    """Delete pictures no page refers to any more (older renderings)."""
    folder = site / "_static" / FOLDER
    if not folder.is_dir():
        return
    used = set()
    for page in site.glob("*.html"):
        used.update(PICTURE_URL.findall(page.read_text(encoding="utf-8")))
    for picture in folder.glob("*.webp"):
        if picture.name not in used:
            picture.unlink(missing_ok=True)
