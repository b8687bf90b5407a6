"""Live pages of two versions of the portal, measured side by side in the same minutes.

This machine's speed drifts by ±25 % within an hour (a shared VM), more than many changes
are worth; two runs of ``bench/run.py`` an hour apart cannot tell them apart. Here both
servers run at once (each with a preheated pool) and every visit to one is followed by the same
visit to the other, alternating which goes first.

    git worktree add /tmp/datalk-before <commit>
    DATALK_MIRROR=../shared/data .venv/bin/python bench/ab_live.py /tmp/datalk-before [--rounds 3]

The other version's ``src/`` is put first on ``PYTHONPATH`` of its server and kernels; both use
this checkout's environment and data cache. Each visit is a fresh browser context (a first-time
visitor) and counts from navigation until the first chart and map are drawn (bench/pages.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import pages  # noqa: E402

TOPICS = ["labour_market", "health"]
VIEWS = {"default": "", "params": f"?territory={pages.PARAM_TERRITORY}"}
SETTLE_S = 12  # the pool refills 5 s after a visit; let it finish before the next visit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path, help="checkout of the other version (a git worktree)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--topics", default=",".join(TOPICS))
    args = parser.parse_args()
    if not os.environ.get("DATALK_CACHE"):
        os.environ["DATALK_CACHE"] = str(common.ROOT / ".cache" / "datalk")
    common.ensure_cache()
    topics = args.topics.split(",")
    before = args.before.resolve()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="datalk-ab-") as tmp:
        servers = {
            "before": common.start_ours(Path(tmp) / "before", preheat=topics, static=False, name="before",
                                        extra_env={"PYTHONPATH": str(before / "src"), "DATALK_ROOT": str(before)}),
            "now": common.start_ours(Path(tmp) / "now", preheat=topics, static=False, name="now"),
        }
        try:
            time.sleep(SETTLE_S * 2)  # both pools filled
            with common.Browser() as browser:
                for round_no in range(args.rounds):
                    order = ["before", "now"] if round_no % 2 == 0 else ["now", "before"]
                    for topic in topics:
                        for view, query in VIEWS.items():
                            for version in order:
                                rows.append(visit(browser, servers[version], version, topic, view, query))
        finally:
            for server in servers.values():
                server.stop()
    summarise(rows)


def visit(browser, server, version: str, topic: str, view: str, query: str) -> dict:
    context = browser.context()
    try:
        row = pages.open_timed(context, f"{server.url}/voila/render/{topic}.ipynb{query}", pages.expectations(topic))
    finally:
        context.close()
    row.update(version=version, topic=topic, view=view)
    print(f"  {topic:<15} {view:<8} {version:<7} {row.get('seconds') or row.get('error')}", flush=True)
    time.sleep(SETTLE_S)
    return row


def summarise(rows: list[dict]) -> None:
    print(f"\n{'view':<9} {'before: median (n)':<22} {'now: median (n)':<20} ratio")
    for view in VIEWS:
        figures = {
            version: common.stats([r.get("seconds") for r in rows if r["version"] == version and r["view"] == view])
            for version in ("before", "now")
        }
        before, now = figures["before"], figures["now"]
        print(f"{view:<9} {before['median']} s ({before['n']}){'':<8} {now['median']} s ({now['n']}){'':<8} "
              f"{common.ratio(before['median'], now['median'])}×")
    errors = [r for r in rows if r.get("error")]
    print(f"errors: {len(errors)}")


if __name__ == "__main__":
    main()
