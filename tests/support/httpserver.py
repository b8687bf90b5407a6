"""A real HTTP server on 127.0.0.1 serving recorded files, with switchable faults.

Tests use it instead of mocking the HTTP client: the data layer's real
``requests`` session, retries and conditional requests all run against it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/octet-stream"
    delay: float = 0.0  # seconds before answering (timeouts)
    declared_length: int | None = None  # lie about Content-Length (cut transfers)
    etag: bool = True  # answer If-None-Match with 304
    hits: int = 0
    conditional_hits: int = 0
    fail_first: int = 0  # answer 503 this many times before succeeding

    @property
    def tag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class RecordedServer:
    routes: dict[str, Route] = field(default_factory=dict)
    host: str = "127.0.0.1"
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def serve(self, path: str, body: bytes, **options) -> str:
        self.routes[path] = Route(body=body, **options)
        return self.url(path)

    def start(self) -> RecordedServer:
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):  # noqa: N802 (http.server API)
                route = routes.get(self.path)
                if route is None:
                    self._answer(404, b"<html><body>Not found</body></html>", "text/html")
                    return
                route.hits += 1
                if route.delay:
                    time.sleep(route.delay)
                if route.fail_first > 0:
                    route.fail_first -= 1
                    self._answer(503, b"busy", "text/plain")
                    return
                if route.etag and self.headers.get("If-None-Match") == route.tag:
                    route.conditional_hits += 1
                    self.send_response(304)
                    self.send_header("ETag", route.tag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._answer(route.status, route.body, route.content_type,
                             route.tag if route.etag else None, route.declared_length)

            def _answer(self, status, body, content_type, etag=None, declared=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(declared if declared is not None else len(body)))
                if etag:
                    self.send_header("ETag", etag)
                if declared is not None:
                    self.send_header("Connection", "close")
                self.end_headers()
                try:
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if declared is not None:
                    self.close_connection = True

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
