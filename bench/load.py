"""N concurrent visitors with a light client (tornado: HTTP + the kernel websocket, no browser).

A browser per visitor would measure the benchmark machine's own CPU (50 Chromium tabs on 2
cores), not the server. Each simulated visitor does what the browser does against the server:

* ``static`` – GET ``/tema/<id>`` and every script, stylesheet and widget bundle it loads
  (the pre-rendered default view; an empty browser cache);
* ``live``   – GET the Voilà page (the server runs the notebook while streaming it), open the
  kernel websocket, ask the widget manager for every widget's state (``request_states`` on the
  ``jupyter.widget.control`` comm, as ipywidgets 8 does) and wait for it, then leave as the page
  does (``POST /voila/api/shutdown/<kernel>``).

Measured: errors and p50/p95 of the server-side time until the page could draw. The browser's own
work (parsing the widget JavaScript, drawing) comes on top; it is measured once per topic by
:mod:`pages` and reported next to these numbers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
import time
import uuid

from common import load, stats

ASSET = re.compile(r'(?:href|src)="(/[^"]+\.(?:css|js|svg)(?:\?v=[^"]*)?)"')
TIMEOUT = 600.0


#: The browser's protocol: zmq frames pass through the server untouched. (The legacy JSON
#: protocol makes the server re-encode every message – with a page's widget state, seconds of CPU.)
PROTOCOL = "v1.kernel.websocket.jupyter.org"


def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> bytes:
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "bench",
              "version": "5.3", "date": dt.datetime.now(dt.UTC).isoformat()}
    parts = [json.dumps(p).encode() for p in (header, {}, metadata or {}, content)]
    return serialize_msg_to_ws_v1(parts, "shell")


def _decode(raw: bytes) -> dict:
    """Header and content of a v1 websocket message (the buffers are not needed)."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    channel, parts = deserialize_msg_from_ws_v1(raw)
    header = json.loads(parts[0])
    content = json.loads(parts[3]) if header.get("msg_type") in ("comm_msg", "comm_close") else {}
    return {"channel": channel, "msg_type": header.get("msg_type"), "content": content}


async def static_visit(client, base: str, topic: str) -> dict:
    from tornado.httpclient import HTTPRequest

    started = time.perf_counter()
    page = await client.fetch(HTTPRequest(f"{base}/tema/{topic}", request_timeout=TIMEOUT), raise_error=True)
    html = page.body.decode()
    assets = set(ASSET.findall(html))
    config = re.search(r'<script id="dl-static-config" type="application/json">(.*?)</script>', html, re.S)
    if config:
        conf = json.loads(config.group(1))
        for module in conf.get("modules", []):
            assets.add(f"{conf['paths'][module]}.js?v={conf['versions'][module]}")
    kind = page.headers.get("X-Datalk-Page", "live")
    results = await asyncio.gather(*(client.fetch(base + a, request_timeout=TIMEOUT, raise_error=False)
                                     for a in assets))
    failed = [r.effective_url for r in results if r.code != 200]
    total = len(page.body) + sum(len(r.body or b"") for r in results)
    return {"seconds": time.perf_counter() - started, "kind": kind, "bytes": total,
            "error": f"assets failed: {failed[:3]}" if failed else None}


async def live_visit(client, base: str, topic: str) -> dict:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    started = time.perf_counter()
    page = await client.fetch(HTTPRequest(f"{base}/voila/render/{topic}.ipynb", request_timeout=TIMEOUT),
                              raise_error=True)
    html = page.body.decode()
    found = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
    if not found:
        return {"seconds": None, "error": "no kernel id in the page"}
    kernel_id = found.group(1)
    page_s = time.perf_counter() - started
    session = uuid.uuid4().hex
    ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels?session_id={session}"
    conn = await asyncio.wait_for(websocket_connect(ws_url, subprotocols=[PROTOCOL],
                                                    max_message_size=512 * 2**20), 60)
    comm_id = uuid.uuid4().hex
    try:
        conn.write_message(_message("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control",
                                                  "data": {}}, session, {"version": "1.0.0"}), binary=True)
        conn.write_message(_message("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}},
                                    session), binary=True)
        states = None
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(conn.read_message(), max(1.0, deadline - time.monotonic()))
            if raw is None:
                break
            msg = _decode(raw)
            data = msg.get("content", {}).get("data", {})
            if msg.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                states = len(data.get("states", {}))
                break
    finally:
        conn.close()
    seconds = time.perf_counter() - started
    await client.fetch(f"{base}/voila/api/shutdown/{kernel_id}", method="POST", body=b"",
                       raise_error=False, request_timeout=60)
    if states is None:
        return {"seconds": None, "page_s": page_s, "error": "no widget state from the kernel"}
    return {"seconds": seconds, "page_s": page_s, "widgets": states, "error": None}


async def _crowd(base: str, kind: str, topics: list[str], visitors: int) -> list[dict]:
    from tornado.httpclient import AsyncHTTPClient

    client = AsyncHTTPClient(force_instance=True, max_clients=visitors * 4,
                             defaults={"connect_timeout": 60, "request_timeout": TIMEOUT})
    visit = static_visit if kind == "static" else live_visit

    async def one(i: int) -> dict:
        topic = topics[i % len(topics)]
        try:
            row = await asyncio.wait_for(visit(client, base, topic), TIMEOUT)
        except Exception as exc:
            row = {"seconds": None, "error": f"{type(exc).__name__}: {str(exc)[:160]}"}
        row["topic"] = topic
        return row

    try:
        return await asyncio.gather(*(one(i) for i in range(visitors)))
    finally:
        client.close()


def crowd(server, kind: str, topics: list[str], visitors: int) -> dict:
    """``visitors`` arrive at once, spread round-robin over ``topics``."""
    from concurrent.futures import ThreadPoolExecutor

    before, cpu_before = load(), server.tree_cpu()
    started = time.perf_counter()
    # its own thread: Playwright's sync API keeps an event loop running in the main thread
    with ThreadPoolExecutor(max_workers=1) as pool:
        rows = pool.submit(asyncio.run, _crowd(server.url, kind, topics, visitors)).result()
    wall = time.perf_counter() - started
    errors = [r for r in rows if r.get("seconds") is None or r.get("error")]
    return {
        "server": server.name,
        "kind": kind,
        "visitors": visitors,
        "errors": len(errors),
        "error_samples": sorted({str(r.get("error"))[:120] for r in errors})[:5],
        "time": stats([r["seconds"] for r in rows if r.get("seconds") is not None and not r.get("error")]),
        "wall_s": round(wall, 1),
        "server_cpu_s": round(server.tree_cpu() - cpu_before, 1),
        "served_static": sum(1 for r in rows if r.get("kind") == "static"),
        "load_before": before,
        "load_after": load(),
    }
