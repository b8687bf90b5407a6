"""HTTP with timeouts, retries with exponential backoff and conditional requests.

Built on ``requests`` + ``urllib3.Retry`` (maintained, widely used): retries on
connection errors and on 429/5xx with backoff; ETag/Last-Modified from the lock
record make re-fetching an unchanged file a cheap ``304 Not Modified``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from datalk import __version__
from datalk.errors import FetchError
from datalk.settings import get_settings

if TYPE_CHECKING:
    import requests

USER_AGENT = f"datalk/{__version__} (open data portal of the Liberec Region)"


@dataclass
class Response:
    status: int
    content: bytes
    url: str
    etag: str | None
    last_modified: str | None
    content_type: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def session() -> requests.Session:
    # requests is imported on the first download only: a page reads the cache and needs no
    # HTTP, and every kernel would pay ~0.1 s for the import
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    settings = get_settings()
    retry = Retry(
        total=settings.http_retries,
        connect=settings.http_retries,
        read=settings.http_retries,
        status=settings.http_retries,
        backoff_factor=0.5,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    adapter = HTTPAdapter(max_retries=retry)
    http.mount("https://", adapter)
    http.mount("http://", adapter)
    return http


def get(source_id: str, url: str, etag: str | None = None, last_modified: str | None = None,
        http: requests.Session | None = None) -> Response:
    """GET a URL; any failure becomes a FetchError naming the source, URL and reason."""
    import requests

    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    client = http or session()
    timeout = get_settings().http_timeout
    try:
        reply = client.get(url, headers=headers, timeout=(min(10.0, timeout), timeout))
    except requests.exceptions.RetryError as exc:
        raise FetchError(source_id, f"{url}: server opakovaně vrací chybu ({exc})") from exc
    except requests.exceptions.Timeout as exc:
        raise FetchError(source_id, f"{url}: server neodpověděl do {timeout:.0f} s") from exc
    except requests.exceptions.ConnectionError as exc:
        if _timed_out(exc):
            raise FetchError(source_id, f"{url}: server neodpověděl do {timeout:.0f} s") from exc
        raise FetchError(source_id, f"{url}: nelze se připojit ({_reason(exc)})") from exc
    except requests.exceptions.ChunkedEncodingError as exc:
        raise FetchError(source_id, f"{url}: přenos přerušen, soubor nedorazil celý ({_reason(exc)})") from exc
    except requests.exceptions.RequestException as exc:
        raise FetchError(source_id, f"{url}: {exc}") from exc
    if reply.status_code == 304:
        return Response(304, b"", reply.url, etag, last_modified, "")
    if reply.status_code >= 400:
        raise FetchError(source_id, f"{url}: HTTP {reply.status_code} {reply.reason}")
    declared = reply.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) != len(reply.content):
        raise FetchError(source_id, f"{url}: přenos přerušen ({len(reply.content)} z {declared} bajtů)")
    return Response(
        reply.status_code, reply.content, reply.url,
        reply.headers.get("ETag"), reply.headers.get("Last-Modified"),
        reply.headers.get("Content-Type", ""),
    )


def _timed_out(exc: Exception) -> bool:
    """After retries urllib3 wraps a read timeout in MaxRetryError → ConnectionError."""
    from urllib3.exceptions import MaxRetryError, ReadTimeoutError

    inner = exc.args[0] if exc.args else None
    return isinstance(inner, MaxRetryError) and isinstance(inner.reason, ReadTimeoutError)


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "…"
