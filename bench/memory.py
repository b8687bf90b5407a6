"""Kernel memory per live session: RSS, USS and PSS of the kernel behind an open topic page.

The page is opened in Chromium, and once its chart and map are drawn the kernel serving
it (``kernelId`` of the page) is measured with psutil. RSS counts shared libraries in
every process; USS is what the session alone holds (what one more visitor costs); PSS
shares the common pages fairly. A preheated pool's idle kernel is measured too.
"""

from __future__ import annotations

import time

from common import leave, load, ratio, stats
from pages import RENDERED, TIMEOUT_MS, expectations, release

MIB = 2**20


def _kernel_memory(server, kernel_id: str) -> dict | None:
    for proc in server.kernels():
        try:
            if kernel_id in " ".join(proc.cmdline()):
                info = proc.memory_full_info()
                return {"rss_mb": round(info.rss / MIB), "uss_mb": round(info.uss / MIB),
                        "pss_mb": round(info.pss / MIB)}
        except Exception:
            continue
    return None


def session(browser, server, topic_id: str) -> dict:
    context = browser.context()
    page = context.new_page()
    row = {"topic": topic_id, "server": server.name, "load_before": load()}
    try:
        page.goto(f"{server.url}/voila/render/{topic_id}.ipynb", wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(RENDERED, arg=list(expectations(topic_id)), timeout=TIMEOUT_MS)
        time.sleep(1.0)  # let the kernel finish answering the widgets
        kernel_id = page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        row.update(_kernel_memory(server, kernel_id) or {"error": "kernel process not found"})
        row["kernel_id"] = kernel_id
    except Exception as exc:
        row["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        leave(page)
        context.close()
    release(server, row)
    return row


def idle_pool_kernels(server) -> list[dict]:
    out = []
    for proc in server.kernels():
        try:
            info = proc.memory_full_info()
            out.append({"rss_mb": round(info.rss / MIB), "uss_mb": round(info.uss / MIB),
                        "pss_mb": round(info.pss / MIB)})
        except Exception:
            continue
    return out


def summarise(rows: list[dict]) -> dict:
    return {key: stats([r.get(key) for r in rows]) for key in ("rss_mb", "uss_mb", "pss_mb")}


def compare(ours: dict, voila: dict | None) -> dict:
    if not voila:
        return {}
    return {k: ratio(voila[k]["median"], ours[k]["median"]) for k in ("rss_mb", "uss_mb", "pss_mb")}
