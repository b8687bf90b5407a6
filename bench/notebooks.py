"""Execution time of every topic notebook with Papermill, in both modes (target ≤ 5 s each).

For each topic and mode (``app``: widgets, as Voilà runs it; ``report``: static figures) this
runs the notebook as CI does and records two numbers:

* ``wall_s``: Papermill from start to the written notebook, kernel start-up included;
* ``cells_s``: the sum of the cells' own durations (Papermill's per-cell metadata): what the
  notebook costs once a kernel is running (a preheated Voilà kernel, a warm report pool).

Run alone: ``.venv/bin/python bench/notebooks.py [topic …]`` prints a table.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, load, stats

MODES = ("app", "report")
TARGET_S = 5.0


def run_one(topic_id: str, mode: str, out_dir: Path) -> dict:
    import nbformat
    import papermill

    output = out_dir / f"{topic_id}-{mode}.ipynb"
    row: dict = {"topic": topic_id, "mode": mode, "load_before": load()}
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(ROOT / "notebooks" / f"{topic_id}.ipynb"),
            str(output),
            parameters={"mode": mode},
            progress_bar=False,
            log_output=False,
            cwd=str(ROOT / "notebooks"),
            # the outputs are in once the last cell ends; a graceful shutdown sometimes waited 3 s
            # for the kernel to exit, time no reader waits for
            shutdown_kernel="immediate",
        )
    except Exception as exc:  # one broken notebook must not lose the others' numbers
        row["error"] = f"{type(exc).__name__}: {exc}"[:300]
    row["wall_s"] = round(time.perf_counter() - started, 2)
    if output.exists():
        cells = nbformat.read(output, as_version=4).cells
        row["cells_s"] = round(sum(c.metadata.get("papermill", {}).get("duration") or 0 for c in cells), 2)
    return row


def run(topics: list[str]) -> dict:
    rows = []
    with tempfile.TemporaryDirectory(prefix="datalk-bench-nb-") as tmp:
        for topic_id in topics:
            for mode in MODES:
                rows.append(run_one(topic_id, mode, Path(tmp)))
                print(f"  {topic_id:<22} {mode:<7} {rows[-1]['wall_s']:6.2f} s  "
                      f"(cells {rows[-1].get('cells_s', float('nan')):.2f} s)", flush=True)
    summary = {
        mode: {
            "wall_s": stats([r["wall_s"] for r in rows if r["mode"] == mode and "error" not in r]),
            "cells_s": stats([r.get("cells_s") for r in rows if r["mode"] == mode and "error" not in r]),
            "over_target": [r["topic"] for r in rows if r["mode"] == mode and r["wall_s"] > TARGET_S],
            "errors": [r["topic"] for r in rows if r["mode"] == mode and "error" in r],
        }
        for mode in MODES
    }
    return {"rows": rows, "summary": summary, "target_s": TARGET_S}


def main() -> None:
    from datalk.app.site.content import topic_entries

    topics = sys.argv[1:] or [t["id"] for t in topic_entries()]
    result = run(topics)
    for mode, summary in result["summary"].items():
        wall, cells = summary["wall_s"], summary["cells_s"]
        print(f"{mode:<7} Papermill wall: median {wall['median']} s, max {wall['max']} s; cells alone: median "
              f"{cells['median']} s, max {cells['max']} s; over {TARGET_S:.0f} s: {len(summary['over_target'])} "
              f"of {wall['n']} {summary['over_target'] or ''}; errors: {summary['errors'] or 'none'}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
