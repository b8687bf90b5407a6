"""Re-measure only the static default views (first and returning visit) on a quiet server.

``make bench`` measures the static pages on the server that also runs the preheated pool; right
after start-up that pool may still be filling and competing for the 2 cores. This runs the same
measurement (:func:`pages.measure_mode`) against ``datalk serve --no-preheat`` with the static
pages of a bench run (``--site``, default: pre-render now) and merges the rows into
``bench/results/latest.json`` as ``static_quiet`` / ``static_warm_quiet``.

    .venv/bin/python bench/static_only.py [--site DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    from datalk.app.site.content import topic_entries

    topics = [t["id"] for t in topic_entries()]
    work = Path(tempfile.mkdtemp(prefix="datalk-bench-static-"))
    site = args.site or work / "site"
    if args.site is None:
        print(common.prerender(site, None, 2))
    server = common.start_ours(work / "ours", preheat=None, static=True, site_dir=site, name="static-quiet")
    latest = common.RESULTS / "latest.json"
    results = json.loads(latest.read_text()) if latest.exists() else {}
    try:
        with common.Browser() as browser:
            for mode in ("static", "static_warm"):
                print(f"… {mode} (load {common.load()})", flush=True)
                row = pages.measure_mode(browser, server, mode, topics, args.repeat, False)
                results.setdefault("pages", {})[f"{mode}_quiet"] = row
                print(f"  {mode}: median {row['all']['median']} s, p95 {row['all']['p95']} s, "
                      f"errors {row['errors']}, kinds {row['kinds']}", flush=True)
    finally:
        server.stop()
    results["pages_ratio"] = pages.compare(results.get("pages", {}))
    path = common.write_results(results, "bench-static")
    print(f"JSON: {path}")


if __name__ == "__main__":
    main()
