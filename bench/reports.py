"""Benchmark the report builds: 20 topic reports and 215 obec profiles (HTML + PDF).

    DATALK_MIRROR=../shared/data DATALK_CACHE=/tmp/dlcache .venv/bin/python bench/reports.py
    .venv/bin/python bench/reports.py --only profiles --jobs 2 --cold-sample 5

Prints wall time, CPU time of everything the build started (workers, kernels,
Chromium) and the machine's load, because on a shared machine the wall time alone
says little. Targets (issue 5): 20 topic reports ≤ 60 s; 215 profiles ≤ 5 min.
``--cold-sample N`` also times N profiles the plain way (one new Papermill kernel per
report) to show what the warm kernels save. Results are appended as JSON to
bench/results/reports.jsonl. Needs a filled cache (``datalk data fetch --all``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"topics": 60.0, "profiles": 300.0}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CpuSampler:
    """Samples the CPU time of this process's descendants by kind (kernel, worker, Chromium)."""

    def __init__(self, interval: float = 0.5):
        import threading

        self.interval, self.seen, self._stop = interval, {}, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _kind(proc) -> str:
        line = " ".join(proc.cmdline())
        if "ipykernel" in line:
            return "kernels"
        if "chromium" in line or "chrome" in line:
            return "chromium"
        if "multiprocessing" in line:
            return "workers"
        return "other"

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            for proc in me.children(recursive=True):
                try:
                    times = proc.cpu_times()
                    self.seen[proc.pid] = (self._kind(proc), times.user + times.system)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def totals(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for kind, cpu in self.seen.values():
            out[kind] = round(out.get(kind, 0.0) + cpu, 1)
        return out


def run_set(name: str, jobs: int, out: Path, formats: tuple[str, ...]) -> dict:
    from datalk import sources
    from datalk.reports.build import build
    from datalk.reports.plan import make_plan

    geography = sources.geography()
    if name == "topics":
        plan = make_plan(geography, ("topics",))
    else:
        plan = make_plan(geography, ("profiles",), None, ["obec"])
    load_before = os.getloadavg()[0]
    cpu_before, started = _children_cpu(), time.perf_counter()
    sampler = None
    try:
        import psutil  # noqa: F401  (optional: the per-kind breakdown)

        sampler = CpuSampler()
    except ImportError:
        pass
    if sampler:
        with sampler:
            result = build(plan, out / name, formats, jobs=jobs, progress=False)
    else:
        result = build(plan, out / name, formats, jobs=jobs, progress=False)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    ok = [o for o in result.outcomes if o.ok]
    return {
        "set": name,
        "reports": len(plan.jobs),
        "ok": len(ok),
        "failed": [f"{o.job_id}: {o.error}" for o in result.failures],
        "formats": list(formats),
        "jobs": jobs,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "cpu_per_report_s": round(cpu / max(1, len(plan.jobs)), 2),
        "notebook_s_mean": round(sum(o.seconds for o in ok) / max(1, len(ok)), 2),
        "pdf_s_mean": round(sum(o.pdf_seconds for o in ok) / max(1, len(ok)), 2),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "target_s": TARGETS[name],
        "ideal_wall_s": round(cpu / (os.cpu_count() or 1), 1),
        "cpu_by_kind_sampled_s": sampler.totals() if sampler else None,
    }


def cold_sample(count: int) -> dict:
    """The plain way: one fresh Papermill kernel per profile (notebook only, no HTML/PDF)."""
    import papermill as pm

    from datalk import sources

    codes = sources.geography().codes("obec", within="CZ051")[:count]
    cpu_before, started = _children_cpu(), time.perf_counter()
    for code in codes:
        pm.execute_notebook(
            str(ROOT / "notebooks" / "profile.ipynb"),
            None,
            progress_bar=False,
            parameters={"territory": code, "mode": "report", "layout": "profile"},
        )
    wall = (time.perf_counter() - started) / count
    cpu = (_children_cpu() - cpu_before) / count
    return {
        "set": "cold-sample",
        "reports": count,
        "wall_per_report_s": round(wall, 2),
        "cpu_per_report_s": round(cpu, 2),
        "extrapolated_215_on_all_cores_s": round(215 * cpu / (os.cpu_count() or 1)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=["topics", "profiles"], action="append")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--format", default="html,pdf")
    parser.add_argument("--out", default=None, help="output directory (default: a temporary one)")
    parser.add_argument("--cold-sample", type=int, default=0)
    args = parser.parse_args()
    if not os.environ.get("DATALK_CACHE"):
        sys.exit("set DATALK_CACHE (and DATALK_MIRROR) to a filled cache first")
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="datalk-bench-"))
    formats = tuple(f.strip() for f in args.format.split(","))
    print(f"machine: {os.cpu_count()} CPU, load {os.getloadavg()[0]:.2f}; output {out}")
    rows = []
    for name in args.only or ["topics", "profiles"]:
        row = run_set(name, args.jobs, out, formats)
        rows.append(row)
        verdict = "OK" if row["wall_s"] <= row["target_s"] else "over target"
        print(
            f"{name:9} {row['ok']:3}/{row['reports']:<3} reports  wall {row['wall_s']:7.1f} s  (target "
            f"{row['target_s']:.0f} s: {verdict})  cpu {row['cpu_s']:7.1f} s = {row['cpu_per_report_s']:.2f} s/report  "
            f"cpu/{os.cpu_count()} cores {row['ideal_wall_s']:.1f} s  load {row['load_before']}→{row['load_after']}"
        )
        print(
            f"          notebook+HTML {row['notebook_s_mean']:.2f} s/report, PDF {row['pdf_s_mean']:.2f} s/report "
            f"(wall, in parallel); cpu by kind (sampled): {row['cpu_by_kind_sampled_s']}"
        )
        for failure in row["failed"][:10]:
            print(f"          failed: {failure}")
    if args.cold_sample:
        row = cold_sample(args.cold_sample)
        rows.append(row)
        print(
            f"cold      one kernel per profile: {row['wall_per_report_s']:.2f} s wall, {row['cpu_per_report_s']:.2f} s cpu "
            f"per profile → 215 profiles ≈ {row['extrapolated_215_on_all_cores_s']} s on all cores (notebook only)"
        )
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    with (results / "reports.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(
            json.dumps(
                {"at": datetime.now().isoformat(timespec="seconds"), "rows": rows},
                ensure_ascii=False,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
