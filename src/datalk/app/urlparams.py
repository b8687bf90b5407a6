"""Permalink parameters from the page URL (Voilà passes the query string to the kernel).

Only known keys are read; values are validated later by ``topics.params.resolve``,
so a hostile URL can at worst produce a friendly message and the default view.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlencode

KEYS = ("territory", "period", "indicator", "lang", "view")
MAX_LENGTH = 64


def read_query() -> dict[str, str]:
    """Wait for the visitor's request (preheated kernels), then parse its query string.

    ``voila.utils`` is imported only in a preheated kernel: importing Voilà pulls in
    jsonschema's format checkers, seconds of start-up a normal page must not pay.
    """
    if os.environ.get("VOILA_PREHEAT", "False") != "False":
        try:
            from voila.utils import wait_for_request

            wait_for_request()
        except Exception:  # the request info could not be fetched: defaults apply
            return {}
    return parse_query(os.environ.get("QUERY_STRING", ""))


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
