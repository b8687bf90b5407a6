"""Import time of the app module, time to fetch every source from the mirror, report builds.

* ``imports``: a fresh interpreter imports ``datalk.app.interactive`` (what a cold kernel pays
  before the first chart); the ``-X importtime`` top list says what costs most.
* ``fetch``: ``datalk data fetch --all`` into an empty cache from ``$DATALK_MIRROR``.
* ``reports``: the 20 topic reports through ``bench/reports.py`` (the same code and numbers).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from common import PYTHON, ROOT, data_env, load, stats


def imports(repeat: int = 3) -> dict:
    code = "import time; t = time.perf_counter(); import datalk.app.interactive; print(time.perf_counter() - t)"
    times = []
    for _ in range(repeat):
        out = subprocess.run([PYTHON, "-c", code], env=data_env(), capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    trace = subprocess.run([PYTHON, "-X", "importtime", "-c", "import datalk.app.interactive"], env=data_env(),
                           capture_output=True, text=True, check=True).stderr
    top = []
    for line in trace.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and len(match.group(3)) <= 3:  # top-level and first-level imports
            top.append((int(match.group(2)) / 1e6, match.group(4)))
    top.sort(reverse=True)
    modules = subprocess.run(
        [PYTHON, "-c", "import sys, datalk.app.interactive as m; print(len(sys.modules)); "
         "print(' '.join(x for x in ('matplotlib','geopandas','shapely','pyproj','requests','pydantic','openpyxl',"
         "'voila','nbformat','jsonschema') if x in sys.modules))"],
        env=data_env(), capture_output=True, text=True, check=True).stdout.splitlines()
    return {"seconds": stats(times), "top": [{"s": round(s, 3), "module": m} for s, m in top[:12]],
            "modules_loaded": int(modules[0]), "heavy_loaded": modules[1].split() if len(modules) > 1 else [],
            "load": load()}


def fetch(repeat: int = 1) -> dict:
    if not os.environ.get("DATALK_MIRROR"):
        return {"error": "DATALK_MIRROR not set"}
    rows = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="datalk-fetch-") as tmp:
            before = load()
            started = time.perf_counter()
            result = subprocess.run([PYTHON, "-m", "datalk.cli", "data", "fetch", "--all"],
                                    env=data_env({"DATALK_CACHE": tmp}), capture_output=True, text=True)
            wall = time.perf_counter() - started
            summary = (result.stdout.strip().splitlines() or [""])[-1]
            rows.append({"wall_s": round(wall, 1), "returncode": result.returncode, "summary": summary,
                         "load_before": before, "load_after": load(),
                         "bytes": sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())})
    return {"seconds": stats([r["wall_s"] for r in rows]), "runs": rows}


def reports(quick: bool) -> dict:
    """The 20 topic reports (``bench/reports.py``'s own function; HTML+PDF, or HTML only when quick)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import reports as report_bench  # bench/reports.py

    formats = ("html",) if quick else ("html", "pdf")
    with tempfile.TemporaryDirectory(prefix="datalk-bench-reports-") as tmp:
        row = report_bench.run_set("topics", os.cpu_count() or 1, Path(tmp), formats)
    return row
