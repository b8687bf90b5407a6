"""Build a set of reports: warm-kernel workers execute notebooks, one Chromium prints PDFs.

    plan ─▶ process pool (N workers × 1 warm kernel) ─▶ HTML ─▶ PDF thread (1 Chromium) ─▶ manifest + index.html

One failing report never stops the others: its reason goes into the outcome, the
manifest, the index and the exit status. A worker process that crashes is replaced
and its reports are retried once in a fresh pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from datalk.reports import execute, index
from datalk.reports.pdf import Printed, Printer, PrintTask
from datalk.reports.plan import Plan, ReportJob
from datalk.settings import get_settings

log = logging.getLogger(__name__)
TIMEZONE = ZoneInfo("Europe/Prague")
COST = {"region": 0, "topic": 1, "profile": 2}  # expensive first: better load balance


@dataclass
class BuildResult:
    out_dir: Path
    outcomes: list[execute.Outcome]
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    index: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def failures(self) -> list[execute.Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.problems


class _Progress:
    """A rich progress bar (notebooks, PDFs) or nothing."""

    def __init__(self, enabled: bool, notebooks: int, pdfs: int):
        self.enabled = enabled
        self._lock = threading.Lock()
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description:<10}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.fields[last]}"),
                console=Console(stderr=True),
                transient=False,
            )
            self.notebooks = self.bar.add_task("notebooky", total=notebooks, last="")
            self.pdfs = self.bar.add_task("PDF", total=pdfs, last="") if pdfs else None

    def __enter__(self):
        if self.enabled:
            self.bar.start()
        return self

    def __exit__(self, *exc):
        if self.enabled:
            self.bar.stop()

    def step(self, which: str, label: str) -> None:
        if not self.enabled:
            return
        task = self.notebooks if which == "notebook" else self.pdfs
        if task is not None:
            with self._lock:
                self.bar.update(task, advance=1, last=label[:60])


def build(
    plan: Plan,
    out_dir: Path,
    formats: tuple[str, ...] = ("html", "pdf"),
    jobs: int | None = None,
    progress: bool = True,
    keep_notebooks: bool = False,
    pdf_concurrency: int = 2,
    warm: bool = True,
) -> BuildResult:
    """Execute every job of ``plan`` into ``out_dir``; returns outcomes in plan order."""
    started = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    built_at = datetime.now(TIMEZONE).replace(microsecond=0).isoformat()
    by_id = {job.id: job for job in plan.jobs}
    outcomes: dict[str, execute.Outcome] = {}
    printed: dict[str, Printed] = {}
    want_pdf = "pdf" in formats
    workers = max(1, min(jobs or os.cpu_count() or 1, len(plan.jobs) or 1))
    timings: dict[str, float] = {}

    if not plan.jobs:  # nothing to run (e.g. only unknown topics): still write the index
        manifest = index.merge(out_dir, [], built_at)
        return BuildResult(
            out_dir, [], list(plan.problems), 0.0, index.write_index(out_dir, manifest), timings
        )
    with _Progress(progress, len(plan.jobs), len(plan.jobs) if want_pdf else 0) as bar:

        def on_printed(result: Printed) -> None:
            printed[result.key] = result
            bar.step("pdf", by_id[result.key].title)

        printer = Printer(on_printed, pdf_concurrency) if want_pdf else None
        if printer:
            printer.__enter__()
        try:

            def on_outcome(outcome: execute.Outcome) -> None:
                outcomes[outcome.job_id] = outcome
                job = by_id[outcome.job_id]
                bar.step("notebook", job.title)
                if printer and outcome.ok:
                    printer.submit(
                        PrintTask(
                            out_dir / outcome.html,
                            out_dir / f"{job.path}.pdf",
                            job.title,
                            job.id,
                            outline=job.kind != "profile",
                        )
                    )
                elif printer:
                    bar.step("pdf", job.title)

            _execute_all(plan.jobs, out_dir, built_at, workers, keep_notebooks, warm, on_outcome)
            timings["notebooks"] = round(time.perf_counter() - started, 2)
        finally:
            if printer:
                printer.__exit__(None, None, None)
        timings["total"] = round(time.perf_counter() - started, 2)

    results = [_finish(outcomes[job.id], job, printed, want_pdf, out_dir) for job in plan.jobs]
    if "html" not in formats:  # PDF only: the HTML was the intermediate step
        for outcome in results:
            if outcome.html and outcome.pdf:
                (out_dir / outcome.html).unlink(missing_ok=True)
                outcome.html = None
    entries = [_entry(by_id[o.job_id], o, built_at, i) for i, o in enumerate(results)]
    manifest = index.merge(out_dir, entries, built_at)
    index_path = index.write_index(out_dir, manifest)
    return BuildResult(
        out_dir,
        results,
        list(plan.problems),
        round(time.perf_counter() - started, 2),
        index_path,
        timings,
    )


def _execute_all(
    jobs: list[ReportJob],
    out_dir: Path,
    built_at: str,
    workers: int,
    keep: bool,
    warm: bool,
    on_outcome,
) -> None:
    """Run jobs in a process pool; a crashed pool is rebuilt once for the jobs it lost."""
    # longest first (the previous build's times, when known) keeps both workers busy to the end
    previous = {
        e["id"]: e.get("seconds") or 0.0 for e in index.read_manifest(out_dir).get("reports", [])
    }
    pending = sorted(jobs, key=lambda j: (COST.get(j.kind, 3), -previous.get(j.id, 0.0)))
    notebooks = str(get_settings().notebooks_dir)
    context = multiprocessing.get_context("spawn")  # no fork with threads (the PDF printer) around
    for attempt in range(2):
        lost: list[ReportJob] = []
        try:
            with ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=execute.init_worker,
                initargs=(notebooks, {}, warm),
            ) as pool:
                futures = {
                    pool.submit(execute.run_job, job, str(out_dir), built_at, keep): job
                    for job in pending
                }
                for future in as_completed(futures):
                    job = futures[future]
                    try:
                        on_outcome(future.result())
                    except BrokenProcessPool:
                        lost.append(job)
                    except (
                        Exception
                    ) as exc:  # pickling or pool trouble: this job fails, others go on
                        on_outcome(
                            execute.Outcome(job.id, False, error=f"{type(exc).__name__}: {exc}")
                        )
        except BrokenProcessPool:
            pass
        if not lost:
            return
        if attempt == 0:
            log.warning("worker process crashed; retrying %d reports in a new pool", len(lost))
            pending = lost
        else:
            for job in lost:
                on_outcome(execute.Outcome(job.id, False, error="pracovní proces spadl (dvakrát)"))


def _finish(
    outcome: execute.Outcome,
    job: ReportJob,
    printed: dict[str, Printed],
    want_pdf: bool,
    out_dir: Path,
) -> execute.Outcome:
    if not (want_pdf and outcome.ok):
        return outcome
    result = printed.get(job.id)
    if result is None:
        outcome.ok, outcome.error = False, "PDF nebylo vytištěno (Chromium skončil dřív)"
    elif not result.ok:
        outcome.ok, outcome.error = False, result.error
    else:
        outcome.pdf = f"{job.path}.pdf"
        outcome.pdf_seconds = round(result.seconds, 3)
    if result is not None and result.blocked:
        outcome.warnings.append(f"zablokované síťové požadavky: {', '.join(result.blocked[:5])}")
    return outcome


def _entry(job: ReportJob, outcome: execute.Outcome, built_at: str, order: int) -> dict:
    return {
        "id": job.id,
        "kind": job.kind,
        "group": job.group,
        "order": order,
        "title": job.title,
        "territory": job.territory,
        "territory_name": job.territory_name,
        "level": job.level,
        "period": job.period,
        "notebook": job.notebook,
        "html": outcome.html,
        "pdf": outcome.pdf,
        "ok": outcome.ok,
        "error": outcome.error,
        "detail": outcome.detail,
        "warnings": outcome.warnings,
        "seconds": outcome.seconds,
        "pdf_seconds": outcome.pdf_seconds,
        "built_at": built_at,
        "binder": job.binder,
    }
