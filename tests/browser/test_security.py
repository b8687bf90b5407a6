"""Hardening of the public portal, tested from the outside like an attacker would.

* A page's kernel websocket accepts widget messages but never ``execute_request``: the test
  opens the socket exactly as the page does, proves the channel works (kernel_info), then
  asks the kernel to write a file and checks that nothing ran.
* Jupyter's contents, tree, terminals, sessions and kernel-list APIs do not exist publicly.
* Paths outside the served notebooks and assets are refused, however they are spelled.
* Every response carries the security headers; error pages carry no traceback.
"""

from __future__ import annotations

import http.client
import json
import re
import time
import uuid
from datetime import UTC, datetime

import pytest
import requests
import websocket

pytestmark = pytest.mark.browser

TOPIC = "labour_market"


def render(portal, topic: str = TOPIC) -> str:
    """The topic page's HTML, fetched in full (the kernel stays alive afterwards)."""
    response = requests.get(f"{portal.url}/voila/render/{topic}.ipynb", timeout=300)
    assert response.status_code == 200
    return response.text


def kernel_id(html: str) -> str:
    config = re.search(
        r'<script id="jupyter-config-data" type="application/json">\s*(\{.*?\})\s*</script>',
        html,
        re.S,
    )
    return json.loads(config.group(1))["kernelId"]


def message(msg_type: str, session: str, content: dict, channel: str = "shell") -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "username": "visitor",
        "session": session,
        "msg_type": msg_type,
        "version": "5.3",
        "date": datetime.now(UTC).isoformat(),
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }
    )


def collect(ws, seconds: float, until: str | None = None) -> list[dict]:
    """Every message the kernel sends within ``seconds`` (or until a message of type ``until``)."""
    received, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            received.append(json.loads(ws.recv()))
        except websocket.WebSocketTimeoutException:
            break
        if until and received[-1]["header"]["msg_type"] == until:
            break
    return received


def test_kernel_websocket_refuses_execute_request(portal, tmp_path):
    kid = kernel_id(render(portal))
    session = uuid.uuid4().hex
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{portal.port}/api/kernels/{kid}/channels?session_id={session}",
        origin=portal.url,
        timeout=30,
    )
    try:
        ws.send(message("kernel_info_request", session, {}))
        replies = [m["header"]["msg_type"] for m in collect(ws, 30, until="kernel_info_reply")]
        assert "kernel_info_reply" in replies, f"the channel itself must work (got {replies})"

        target = tmp_path / "pwned.txt"
        code = f"open({str(target)!r}, 'w').write('executed')"
        for channel in ("shell", "control"):
            ws.send(
                message(
                    "execute_request",
                    session,
                    {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    channel,
                )
            )
        ws.send(message("shutdown_request", session, {"restart": False}, "control"))
        seen = [m["header"]["msg_type"] for m in collect(ws, 8)]
    finally:
        ws.close()
    assert not target.exists(), "code sent over the websocket was executed"
    assert not {"execute_input", "execute_reply", "stream", "shutdown_reply"} & set(seen), seen
    alive = requests.get(f"{portal.url}/api/kernels/{kid}", timeout=10)
    assert alive.status_code == 200, "a shutdown_request from the browser must be ignored too"


@pytest.mark.parametrize(
    "path",
    [
        "/api/kernels",
        "/api/sessions",
        "/api/contents",
        "/api/contents/labour_market.ipynb",
        "/voila/api/contents",
        "/voila/api/contents/labour_market.ipynb",
        "/api/terminals",
        "/terminals/websocket/1",
        "/voila/tree",
        "/voila/tree/",
        "/tree",
        "/lab",
        "/api/kernelspecs",
        "/api/nbconvert",
        "/api/config/x",
        "/voila/files/labour_market.ipynb",
        "/voila/render/profile.ipynb",
        "/voila/render/.ipynb_checkpoints",
    ],
)
def test_jupyter_apis_are_not_public(portal, path):
    response = requests.get(portal.url + path, timeout=30, allow_redirects=False)
    assert response.status_code in (403, 404), f"{path}: {response.status_code}"
    assert (
        "open_topic" not in response.text
        and '"cells"' not in response.text
        and '"kernels"' not in response.text
    )


@pytest.mark.parametrize(
    "path",
    [
        "/voila/render/../pyproject.toml",
        "/voila/render/%2e%2e/pyproject.toml",
        "/voila/render/..%2fpyproject.toml",
        "/voila/render/../../etc/passwd",
        "/voila/files/../pyproject.toml",
        "/voila/files/%2e%2e/voila.json",
        "/voila/static/../../../../../../etc/passwd",
        "/voila/static/..%2f..%2f..%2fpyproject.toml",
        "/voila/templates/datalk/static/../../../../../../pyproject.toml",
        "/voila/templates/../../voila.json",
        "/voila/templates/lab/static/../../../../../../etc/passwd",
        "/voila/labextensions/../../../etc/passwd",
        "/opendata/../pyproject.toml",
        "/opendata/..%2f..%2fpyproject.toml",
        "/tema/../voila.json",
        "/voila/render/labour_market.ipynb/../../pyproject.toml",
    ],
)
def test_paths_outside_served_directories_are_refused(portal, path):
    connection = http.client.HTTPConnection("127.0.0.1", portal.port, timeout=30)
    connection.request("GET", path)  # sent as is: no client-side normalisation
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    assert response.status in (400, 403, 404), f"{path}: {response.status}"
    assert "[project]" not in body and "root:x:" not in body and "tornado_settings" not in body


def check_headers(headers, where: str) -> None:
    csp = headers.get("Content-Security-Policy", "")
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
    assert directives.get("default-src") == "'self'", f"{where}: {csp}"
    assert "frame-ancestors" in directives, where
    assert "'unsafe-inline'" not in directives.get("script-src", ""), (
        f"{where}: inline scripts allowed"
    )
    assert not re.search(r"https?:", csp), f"{where}: CSP allows a remote origin (CDN): {csp}"
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy"), where


def test_every_kind_of_response_has_security_headers(portal):
    landing = requests.get(portal.url + "/", timeout=60)
    check_headers(landing.headers, "landing page")
    css = re.search(
        r'href="(/voila/templates/datalk/static/datalk\.css[^"]*)"', landing.text
    ).group(1)
    check_headers(requests.get(portal.url + css, timeout=30).headers, "template asset")
    check_headers(
        requests.get(portal.url + "/voila/static/voila.js", timeout=30).headers, "voila asset"
    )
    for path in ("/o-datech", "/neexistuje", "/voila/render/neexistuje.ipynb", "/api/kernels/x"):
        check_headers(requests.get(portal.url + path, timeout=60).headers, path)
    page = requests.get(f"{portal.url}/voila/render/{TOPIC}.ipynb", timeout=300)
    check_headers(page.headers, "topic page")


def test_error_pages_are_czech_without_tracebacks(portal):
    for path in ("/neexistuje", "/voila/render/neexistuje.ipynb", "/tema/neexistuje"):
        response = requests.get(portal.url + path, timeout=60)
        assert response.status_code == 404, path
        assert '<html lang="cs">' in response.text and "Stránku jsme nenašli" in response.text, path
        assert "Traceback" not in response.text and "tornado" not in response.text.lower(), path
    api = requests.post(f"{portal.url}/voila/api/shutdown/{uuid.uuid4()}", timeout=30)
    assert api.status_code == 404 and "Traceback" not in api.text and "traceback" not in api.json()
