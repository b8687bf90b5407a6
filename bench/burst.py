"""A burst of live visitors against a server with a full preheated pool (docs/scaling.md).

    DATALK_MIRROR=../shared/data DATALK_CACHE=.cache/datalk .venv/bin/python bench/burst.py [VISITORS] [--max-runs N]

Starts ``datalk serve`` with one pooled kernel per topic, waits until the pool is full and the
server idle, then lets VISITORS (default 50) open live topic pages at once (bench/load.py:
the page, the kernel websocket, the widget state; round-robin over the 20 topics). Prints the
errors, p50/p95 and the server log's path; appends the row to bench/results/burst.jsonl.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import common
import load
from common import RESULTS, ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("visitors", type=int, nargs="?", default=50)
    parser.add_argument("--max-runs", type=int, default=None, help="datalk serve --max-runs")
    args = parser.parse_args()
    from datalk.topics import all_topics

    common.ensure_cache()
    topics = [t.id for t in all_topics(ROOT / "topics")]
    work = Path(f"/tmp/datalk-burst-{int(time.time())}")
    extra = ["--max-runs", str(args.max_runs)] if args.max_runs else []
    server = common.start_ours(work, preheat=topics, pool_size=1, static=False, name="burst",
                               extra_args=extra)
    try:
        settle = server.wait_pool(len(topics), max_wait=900)
        result = load.crowd(server, "live", topics, args.visitors)
        result.update(pool_settle_s=settle, max_runs=args.max_runs, log=str(server.log),
                      waited=server.log.read_text(errors="replace").count("waits for a free run"))
    finally:
        server.stop()
    print(json.dumps(result, indent=1, default=str))
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "burst.jsonl").open("a") as out:
        out.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()
