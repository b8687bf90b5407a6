"""Permalink parameters from the page URL (Voilà passes the query string to the kernel).

Only known keys are read; values are validated later by ``topics.params.resolve``,
so a hostile URL can at worst produce a friendly message and the default view.
"""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qs, urlencode

KEYS = ("territory", "period", "indicator", "lang", "view")
MAX_LENGTH = 64


def read_query() -> dict[str, str]:
    """Wait for the visitor's request (preheated kernels), then parse its query string."""
    if os.environ.get("VOILA_PREHEAT", "False") != "False":
        try:
            wait_for_request()
        except Exception:  # the request info could not be fetched: defaults apply
            return {}
    return parse_query(os.environ.get("QUERY_STRING", ""))


def wait_for_request() -> None:
    """Block until Voilà hands this pooled kernel a visitor, then put the request into ``os.environ``.

    Voilà's protocol (``voila.utils.wait_for_request``): a websocket to
    ``voila/query/<kernel id>`` on which the server sends one JSON object of request
    variables (``QUERY_STRING``, ``SCRIPT_NAME``…) when the kernel is taken. Importing
    ``voila.utils`` for it loaded Voilà's server stack into every pooled kernel: 716
    modules, ~4 s and 43 MB each. This client is the websockets package alone (~2 MB).
    """
    from websockets.sync.client import connect

    protocol = os.getenv("VOILA_WS_PROTOCOL", "ws")
    host, port = os.getenv("VOILA_APP_IP", "127.0.0.1"), os.getenv("VOILA_APP_PORT", "8866")
    base = os.getenv("VOILA_WS_BASE_URL", os.getenv("VOILA_SERVER_URL", "/"))
    url = f"{protocol}://{host}:{port}{base}voila/query/{os.getenv('VOILA_KERNEL_ID', '')}"
    with connect(url, open_timeout=5, max_size=2**20) as socket:
        request = json.loads(socket.recv())
    for key, value in request.items():
        os.environ[key] = str(value)


def parse_query(query: str) -> dict[str, str]:
    try:
        params = parse_qs(query or "", keep_blank_values=False, max_num_fields=20)
    except ValueError:  # more fields than any permalink has: a hostile or broken URL → defaults
        return {}
    out = {}
    for key in KEYS:
        if key in params and params[key]:
            out[key] = params[key][0][:MAX_LENGTH]
    return out


def permalink(path: str, **values: str | None) -> str:
    query = urlencode({k: v for k, v in values.items() if v})
    return f"{path}?{query}" if query else path
