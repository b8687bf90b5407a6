"""Start a Jupyter server (``make lab``, ``jupyter lab``) headless for a test, and stop it again."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 120) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:  # noqa: S310 (local test server)
            return reply.status, reply.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@contextlib.contextmanager
def running(command: list[str], url: str, env: dict, cwd: Path, log: Path, timeout: float = 600):
    """Run ``command`` in its own process group until ``url`` answers 200; stop the group after."""
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise AssertionError(f"{command[0]} skončil ({process.returncode}): {log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if get(url, timeout=5)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} neodpověděl do {timeout} s: {log.read_text()[-3000:]}")
            time.sleep(1)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # only the group this test started
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def as_root_flag() -> list[str]:
    return ["--allow-root"] if os.geteuid() == 0 else []
