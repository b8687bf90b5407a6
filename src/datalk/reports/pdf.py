"""HTML reports → A4 PDF with page numbers through one headless Chromium.

Chromium's own print pipeline (DevTools ``Page.printToPDF`` via Playwright) gives
A4 pages, embedded subset fonts, real text and a footer with page numbers (CSS page
counters do not work in Chromium print). One browser prints every report, a few
pages at a time, in a thread of the build process, so PDFs are printed while the
kernels are still executing other reports. Every network request is blocked and
recorded: a report must be self-contained.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from datalk.settings import CHROMIUM
from datalk.settings import CHROMIUM_ARGS as BASE_CHROMIUM_ARGS

log = logging.getLogger(__name__)

CHROMIUM_ARGS = [*BASE_CHROMIUM_ARGS, "--disable-dev-shm-usage", "--font-render-hinting=none"]
MARGINS = {"top": "16mm", "bottom": "17mm", "left": "15mm", "right": "15mm"}
FOOTER = (
    "<div style=\"font-family:'DejaVu Sans',sans-serif;font-size:7.5pt;color:#5a6470;width:100%;"
    'margin:0 15mm;display:flex;justify-content:space-between;border-top:0.5pt solid #0b5cab;padding-top:1.5mm;">'
    "<span>Liberecký kraj · {title}</span>"
    '<span>strana <span class="pageNumber"></span> z <span class="totalPages"></span></span></div>'
)
HEADER = "<span></span>"


@dataclass
class PrintTask:
    html: Path
    pdf: Path
    title: str
    key: str = ""
    outline: bool = False  # PDF bookmarks from the headings (long reports)


@dataclass
class Printed:
    key: str
    ok: bool
    seconds: float
    error: str | None = None
    blocked: list[str] = field(default_factory=list)


def footer_template(title: str) -> str:
    short = title if len(title) <= 90 else title[:89] + "…"
    return FOOTER.format(title=html.escape(short))


async def _new_page(context):
    """A tab that blocks (and records) every network request: reports must be self-contained."""
    page = await context.new_page()
    page.blocked = []

    async def block(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            await route.continue_()
        else:
            page.blocked.append(url)
            await route.abort()

    await page.route("**/*", block)
    await page.emulate_media(media="print")
    return page


async def _print_one(page, task: PrintTask) -> Printed:
    started = time.perf_counter()
    page.blocked = []
    try:
        await page.goto(task.html.resolve().as_uri(), wait_until="load")
        task.pdf.parent.mkdir(parents=True, exist_ok=True)
        tmp = task.pdf.with_name(f".{task.pdf.name}.tmp")
        await page.pdf(
            path=str(tmp),
            format="A4",
            print_background=True,
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template=HEADER,
            footer_template=footer_template(task.title),
            margin=MARGINS,
            outline=task.outline,
            tagged=True,
        )
        os.replace(tmp, task.pdf)
        return Printed(task.key, True, time.perf_counter() - started, blocked=list(page.blocked))
    except Exception as exc:  # one PDF failing never stops the others
        return Printed(
            task.key,
            False,
            time.perf_counter() - started,
            f"PDF: {type(exc).__name__}: {exc}",
            list(page.blocked),
        )


async def print_many(tasks, done: Callable[[Printed], None], concurrency: int = 2) -> None:
    """Print tasks from an iterable or a queue-like ``get()`` (``None`` ends it) with one browser.

    ``concurrency`` tabs are opened once and reused (a new tab per PDF costs ~30 %).
    """
    try:
        from playwright.async_api import async_playwright
    except ImportError as exc:  # a runtime install without the extra
        raise RuntimeError(
            "PDF potřebuje balíček playwright: pip install 'datalk[reports]'"
        ) from exc

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(java_script_enabled=False, offline=True)
        pages: asyncio.Queue = asyncio.Queue()
        for _ in range(max(1, concurrency)):
            pages.put_nowait(await _new_page(context))
        running: set[asyncio.Task] = set()

        async def one(task: PrintTask, page) -> None:
            result = await _print_one(page, task)
            if not result.ok:  # a tab in a bad state is replaced
                await page.close()
                page = await _new_page(context)
            pages.put_nowait(page)
            done(result)

        loop = asyncio.get_running_loop()
        source = None if hasattr(tasks, "get") else iter(tasks)
        while True:
            page = await pages.get()  # do not take more work than can print now
            task = (
                next(source, None)
                if source is not None
                else await loop.run_in_executor(None, tasks.get)
            )
            if task is None:
                pages.put_nowait(page)
                break
            job = asyncio.create_task(one(task, page))
            running.add(job)
            job.add_done_callback(running.discard)
        if running:
            await asyncio.gather(*running)
        await browser.close()


class Printer:
    """A background thread printing PDFs as the HTML reports come in."""

    def __init__(self, done: Callable[[Printed], None], concurrency: int = 2):
        self._queue: queue.Queue = queue.Queue()
        self._done = done
        self._error: BaseException | None = None
        self._ended = False
        self._thread = threading.Thread(
            target=self._run, args=(concurrency,), name="datalk-pdf", daemon=True
        )

    def _run(self, concurrency: int) -> None:
        try:
            asyncio.run(print_many(self, self._done, concurrency))
        except (
            BaseException
        ) as exc:  # browser could not start or crashed: the rest of the queue fails
            self._error = exc
            log.error("Chromium: %s", exc)
            while not self._ended:
                task = self.get()
                if task is not None:
                    self._done(
                        Printed(
                            task.key,
                            False,
                            0.0,
                            f"PDF: Chromium selhal ({type(exc).__name__}: {exc})",
                        )
                    )

    def get(self) -> PrintTask | None:
        task = self._queue.get()
        if task is None:
            self._ended = True
        return task

    def __enter__(self) -> Printer:
        self._thread.start()
        return self

    def submit(self, task: PrintTask) -> None:
        self._queue.put(task)

    def __exit__(self, *exc) -> None:
        self._queue.put(None)
        self._thread.join()


def print_pdfs(tasks: list[PrintTask], concurrency: int = 2) -> list[Printed]:
    """Print a list of reports (tests, re-printing); returns results in task order."""
    results: dict[str, Printed] = {}
    keyed = [
        PrintTask(t.html, t.pdf, t.title, t.key or str(i), t.outline) for i, t in enumerate(tasks)
    ]
    asyncio.run(print_many(keyed, lambda r: results.__setitem__(r.key, r), concurrency))
    return [results[t.key] for t in keyed]
