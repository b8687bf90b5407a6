"""A pooled (preheated) kernel learns its visitor's permalink parameters over Voilà's query socket.

The server side is a real websocket server speaking Voilà's protocol: the kernel connects to
``<base>voila/query/<kernel id>`` and the server sends one JSON object of request variables
when a visitor takes the kernel. (The browser tests run the same path against real Voilà.)
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from websockets.sync.server import serve

from datalk.app.urlparams import read_query

KERNEL_ID = "5f0c7f3e-kernel"


@pytest.fixture
def voila_query_socket(monkeypatch):
    """A query socket that hands over a visitor's request as soon as the kernel connects."""
    asked = []

    def handler(connection):
        asked.append(connection.request.path)
        connection.send(json.dumps({"QUERY_STRING": "territory=5105&period=2023&x=1", "SCRIPT_NAME": "/tema/"}))

    with serve(handler, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_APP_PORT", str(server.socket.getsockname()[1]))
        monkeypatch.setenv("VOILA_SERVER_URL", "/portal/")
        monkeypatch.setenv("VOILA_KERNEL_ID", KERNEL_ID)
        monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
        monkeypatch.delenv("QUERY_STRING", raising=False)
        yield asked
        server.shutdown()


def test_a_pooled_kernel_reads_the_visitors_parameters(voila_query_socket):
    assert read_query() == {"territory": "5105", "period": "2023"}  # unknown keys are dropped
    assert voila_query_socket == [f"/portal/voila/query/{KERNEL_ID}"]


def test_without_the_server_a_pooled_kernel_falls_back_to_the_default_view(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", "9")  # nothing listens there
    monkeypatch.delenv("QUERY_STRING", raising=False)
    assert read_query() == {}


def test_waiting_for_a_visitor_does_not_load_voila_into_the_kernel():
    code = ("import sys, datalk.app.urlparams as u, datalk.app.interactive; u.read_query(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('voila', 'jupyter_server')))")
    env = {"VOILA_PREHEAT": "True", "VOILA_APP_PORT": "9", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"
