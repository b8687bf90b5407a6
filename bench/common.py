"""Shared pieces of the benchmarks: servers, the browser, load sampling, statistics.

Servers run as subprocesses in their own session on free ports and are stopped by their
id (never by name). The data cache is ``$DATALK_CACHE`` (filled from ``$DATALK_MIRROR``
first when empty); static pages are rendered into their own directory per run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --- machine ------------------------------------------------------------------------------
def load() -> float:
    return round(os.getloadavg()[0], 2)


def machine() -> dict:
    import platform

    try:
        import psutil

        memory = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        memory = None
    return {
        "cpus": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load": os.getloadavg(),
    }


def quiet_machine(max_load: float, wait: float = 120.0) -> float:
    """Wait (bounded) until the 1-minute load drops under ``max_load``; return the load."""
    deadline = time.monotonic() + wait
    while load() > max_load and time.monotonic() < deadline:
        time.sleep(3)
    return load()


def stats(values: list[float]) -> dict:
    """median, p95, min, max and n of a list of seconds (None when empty)."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return {"n": 0, "median": None, "p95": None, "min": None, "max": None}
    p95 = values[min(len(values) - 1, max(0, round(0.95 * len(values) + 0.5) - 1))]
    return {
        "n": len(values),
        "median": round(statistics.median(values), 3),
        "p95": round(p95, 3),
        "min": round(values[0], 3),
        "max": round(values[-1], 3),
    }


def ratio(baseline: float | None, ours: float | None) -> float | None:
    """How many times faster/smaller ours is than the baseline (baseline / ours)."""
    if not baseline or not ours:
        return None
    return round(baseline / ours, 2)


# --- environment -------------------------------------------------------------------------------
def data_env(extra: dict | None = None) -> dict:
    env = {**os.environ, "DATALK_ROOT": str(ROOT), "PYTHONUNBUFFERED": "1"}
    env.update(extra or {})
    return env


def ensure_cache() -> None:
    """The benchmarks need fetched data: fetch from the mirror when the cache is empty."""
    cache = Path(os.environ["DATALK_CACHE"])
    if not any((cache / "raw").glob("*/lock.json")):
        subprocess.run([PYTHON, "-m", "datalk.cli", "data", "fetch", "--all"], env=data_env(), check=True)


# --- servers -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running web server process (ours or default Voilà)."""

    name: str
    url: str
    proc: subprocess.Popen
    log: Path
    started_s: float = 0.0
    info: dict = field(default_factory=dict)

    def kernels(self) -> list:
        """Kernel processes of this server (psutil processes running ipykernel)."""
        import psutil

        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        found = []
        for child in children:
            try:
                if "ipykernel" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                continue
        return found

    def tree_cpu(self) -> float:
        """CPU seconds used so far by the server and all its children."""
        import psutil

        total = 0.0
        try:
            procs = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        for proc in procs:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                continue
        return total

    def settle(self, max_wait: float = 60.0, idle_cpu: float = 0.08, window: float = 0.5) -> float:
        """Wait until the server and its kernels are idle (pool refilled); return seconds waited."""
        started = time.monotonic()
        quiet = 0
        last = self.tree_cpu()
        while time.monotonic() - started < max_wait:
            time.sleep(window)
            now = self.tree_cpu()
            quiet = quiet + 1 if now - last < idle_cpu else 0
            last = now
            if quiet >= 3:
                break
        return round(time.monotonic() - started, 1)

    def wait_pool(self, kernels: int, max_wait: float = 600.0) -> float:
        """Wait until the preheated pool is filled (``kernels`` running) and the server is idle.

        ``settle`` alone is not enough at start: pool kernels are spawned one after another, and
        between two spawns the tree can look idle while 20 kernels are still to come.
        """
        started = time.monotonic()
        while len(self.kernels()) < kernels and time.monotonic() - started < max_wait:
            time.sleep(1)
        self.settle(max_wait=max(10.0, max_wait - (time.monotonic() - started)))
        return round(time.monotonic() - started, 1)

    def shutdown_kernel(self, kernel_id: str) -> int:
        """What Voilà's page does on unload (``POST /voila/api/shutdown/<id>``).

        Default Voilà rejects the browser's request (no XSRF token: its kernels leak, upstream
        issue #1458); the benchmark then sends the double-submit token itself, so leaked kernels
        do not pile up and slow down the next measurement.
        """
        import requests

        token = "bench"
        response = requests.post(f"{self.url}/voila/api/shutdown/{kernel_id}", timeout=60,
                                 headers={"X-XSRFToken": token}, cookies={"_xsrf": token})
        return response.status_code

    def stop(self, grace: float = 30.0) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def wait_http(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not up after {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def start_ours(workdir: Path, *, preheat: list[str] | None, pool_size: int = 1, static: bool = True,
               site_dir: Path | None = None, name: str = "datalk", extra_env: dict | None = None,
               extra_args: list[str] | None = None) -> Server:
    """``datalk serve``: with ``preheat=None`` no preheated kernels at all (cold)."""
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"{name}-{port}.log"
    cmd = [PYTHON, "-m", "datalk.cli", "serve", "--port", str(port)]
    if preheat is None:
        cmd.append("--no-preheat")
    else:
        cmd += ["--pool-size", str(pool_size)]
        for topic in preheat:
            cmd += ["--preheat", topic]
    cmd.append("--static" if static else "--no-static")
    cmd += extra_args or []
    env = data_env({"DATALK_FEEDBACK_DIR": str(workdir / "feedback"), **(extra_env or {})})
    if site_dir:
        env["DATALK_SITE_DIR"] = str(site_dir)
    return launch(name, cmd, port, workdir, env, log, "/healthz", 300,
                  {"preheat": preheat, "pool_size": pool_size, "static": static})


def start_default_voila(workdir: Path) -> Server:
    """Plain ``voila notebooks/ --no-browser``: lab template, no preheating, default settings.

    It runs in an empty working directory so it does not read the project's voila.json.
    """
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"voila-{port}.log"
    cmd = [str(Path(PYTHON).parent / "voila"), str(ROOT / "notebooks"), "--no-browser", f"--port={port}",
           "--Voila.ip=127.0.0.1"]
    env = data_env()
    env.pop("JUPYTER_PATH", None)
    env["JUPYTER_CONFIG_DIR"] = str(workdir / "jupyter-config")  # no user config either
    return launch("voila", cmd, port, workdir, env, log, "/", 120, {"template": "lab"})


def launch(name: str, cmd: list[str], port: int, workdir: Path, env: dict, log: Path, ready_path: str,
           timeout: float, info: dict) -> Server:
    """Start a server in its own session and wait until ``ready_path`` answers (stop it if not)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + ready_path, proc, timeout, log)
    except Exception:
        Server(name, url, proc, log).stop()
        raise
    return Server(name, url, proc, log, round(time.perf_counter() - started, 1), info)


def prerender(site_dir: Path, topics: list[str] | None = None, jobs: int = 2) -> dict:
    """``datalk site prerender`` into ``site_dir``; returns wall time and the outcome lines."""
    cmd = [PYTHON, "-m", "datalk.cli", "site", "prerender", "--jobs", str(jobs), *(topics or [])]
    started = time.perf_counter()
    result = subprocess.run(cmd, env=data_env({"DATALK_SITE_DIR": str(site_dir)}), capture_output=True,
                            text=True, check=False)
    return {
        "wall_s": round(time.perf_counter() - started, 1),
        "returncode": result.returncode,
        "summary": (result.stdout.strip().splitlines() or [""])[-1],
        "failed": [line for line in result.stderr.splitlines() if "✗" in line],
    }


# --- browser -------------------------------------------------------------------------------------
class Browser:
    """One headless Chromium for a benchmark part (Playwright, Debian's Chromium)."""

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self

    def __exit__(self, *exc):
        self.browser.close()
        self._pw.stop()

    def context(self, width: int = 1280, height: int = 900):
        return self.browser.new_context(viewport={"width": width, "height": height}, locale="cs-CZ")


def leave(page) -> None:
    """Navigate away so Voilà's page shuts its kernel down (as a visitor closing the tab)."""
    try:
        if not page.is_closed():
            page.goto("about:blank", timeout=30_000)
    except Exception:
        pass


# --- results ---------------------------------------------------------------------------------------
def write_results(results: dict, name: str | None = None) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{name or 'bench'}-{stamp}.json"
    text = json.dumps(results, ensure_ascii=False, indent=1, default=str)
    path.write_text(text, encoding="utf-8")
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    return path
