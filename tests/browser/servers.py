"""Real servers for the browser tests: ``datalk serve`` (Voilà) and nginx in front of it.

Both run as subprocesses on free 127.0.0.1 ports with their own logs in test-artifacts/,
so a failing test can be read from what the server said. Processes are started in their
own session and stopped by their id (SIGTERM, then SIGKILL of that group).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
NGINX_CONF = REPO / "deploy" / "nginx" / "datalk.conf"
NGINX_MULTI_CONF = REPO / "deploy" / "nginx" / "datalk-multi.conf"
#: The processes datalk-multi.conf names (datalk@8866, datalk@8867); a test maps them onto its own.
MULTI_BACKENDS = (8866, 8867)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    """Poll ``url`` until it answers 200; fail early (with the log) if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not up after {timeout:.0f} s:\n{log.read_text()[-4000:]}")


def stop(proc: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM the server (Voilà then shuts its kernels down), SIGKILL its group if it hangs."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


@dataclass
class Portal:
    """A running ``datalk serve``."""

    url: str
    port: int
    proc: subprocess.Popen
    log: Path
    feedback_dir: Path
    notebooks: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def count(self, text: str) -> int:
        return self.log_text().count(text)

    def kernel_pids(self) -> list[int]:
        """Kernel processes started by this server (children running ipykernel)."""
        out = subprocess.run(
            ["ps", "-o", "pid=,args=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(line.split()[0]) for line in out.splitlines() if "ipykernel" in line]


def start_portal(
    cache: Path,
    mirror: Path,
    workdir: Path,
    log: Path,
    preheat: list[str],
    site_dir: Path | None = None,
    options: tuple[str, ...] = (),
) -> Portal:
    """``datalk serve`` with its own static-page directory (empty: every topic page is live).

    The static pages live in the data cache by default; a test server must not pick up pages
    someone pre-rendered there, so it gets ``site_dir`` (the static-page tests fill one).
    """
    port = free_port()
    feedback = workdir / "feedback"
    env = {
        **os.environ,
        "DATALK_SITE_DIR": str(site_dir or workdir / "static-pages"),
        "DATALK_CACHE": str(cache),
        "DATALK_MIRROR": str(mirror),
        "DATALK_ROOT": str(REPO),
        "DATALK_FEEDBACK_DIR": str(feedback),
        "PYTHONUNBUFFERED": "1",
    }
    cmd = [sys.executable, "-m", "datalk.cli", "serve", "--port", str(port), "--pool-size", "1"]
    for topic in preheat:
        cmd += ["--preheat", topic]
    cmd += list(options)
    handle = log.open("w")
    proc = subprocess.Popen(
        cmd, cwd=workdir, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/healthz", proc, 300, log)
    except Exception:
        stop(proc)
        raise
    return Portal(url, port, proc, log, feedback, REPO / "notebooks")


# --- nginx -----------------------------------------------------------------------------
def nginx_binary() -> str:
    """The Debian nginx; installed with apt-get when missing and we may (root, CI)."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    if os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "nginx"], check=False, capture_output=True
        )
        if not shutil.which("nginx"):
            subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
            subprocess.run(
                ["apt-get", "install", "-y", "-q", "nginx"], check=True, capture_output=True
            )
        return shutil.which("nginx") or "/usr/sbin/nginx"
    raise RuntimeError("nginx is not installed: run `make system-deps` (apt-get install nginx)")


def site_config(upstream_port: int, listen_port: int) -> str:
    """deploy/nginx/datalk.conf with the test's ports: the production file itself is tested."""
    text = NGINX_CONF.read_text()
    text, n_up = re.subn(
        r"^(\s*)server 127\.0\.0\.1:8866;",
        rf"\1server 127.0.0.1:{upstream_port};",
        text,
        flags=re.M,
    )
    text, n_listen = re.subn(
        r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{listen_port};", text, flags=re.M
    )
    text = re.sub(r"^\s*listen \[::\]:80;\n", "", text, flags=re.M)
    assert n_up == 1 and n_listen == 1, (
        "deploy/nginx/datalk.conf changed shape: adapt tests/browser/servers.py"
    )
    return text


@dataclass
class Nginx:
    url: str
    proc: subprocess.Popen
    prefix: Path

    def error_log(self) -> str:
        return (self.prefix / "error.log").read_text(errors="replace")


def nginx_main_config(prefix: Path, site: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "\n".join(
        f"  {name}_temp_path {prefix / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # The access log names the process that answered and the route cookie: a test (and a
    # person reading test-artifacts) sees where each request went.
    log_format = (
        '  log_format datalk \'$remote_addr "$request" $status '
        "upstream=$upstream_addr route=$cookie_datalk_route';\n"
    )
    return (
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        f"daemon off;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"{log_format}  access_log {prefix / 'access.log'} datalk;\n{temps}\n  include {site};\n}}\n"
    )


def start_nginx(upstream_port: int, prefix: Path) -> Nginx:
    """nginx with deploy/nginx/datalk.conf in front of one portal."""
    return run_nginx(lambda listen: site_config(upstream_port, listen), prefix)


def start_nginx_multi(upstream_ports: list[int], prefix: Path) -> Nginx:
    """nginx with deploy/nginx/datalk-multi.conf in front of several portals."""
    return run_nginx(lambda listen: multi_site_config(upstream_ports, listen), prefix)


def multi_site_config(upstream_ports: list[int], listen_port: int) -> str:
    """deploy/nginx/datalk-multi.conf with the test's ports (its backends 8866, 8867 → ours).

    The ports appear in the upstreams and in the map from ``$upstream_addr`` to the route
    name (``~:8866$``); comment lines are left alone.
    """
    assert len(upstream_ports) == len(MULTI_BACKENDS), "datalk-multi.conf names two processes"
    lines, counts = [], dict.fromkeys(MULTI_BACKENDS, 0)
    for line in NGINX_MULTI_CONF.read_text().splitlines(keepends=True):
        if not line.lstrip().startswith("#"):
            for production, test in zip(MULTI_BACKENDS, upstream_ports, strict=True):
                line, n = re.subn(rf"(?<=:){production}\b", str(test), line)
                counts[production] += n
        lines.append(line)
    text = "".join(lines)
    text, n_listen = re.subn(
        r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{listen_port};", text, flags=re.M
    )
    text = re.sub(r"^\s*listen \[::\]:80;\n", "", text, flags=re.M)
    # datalk_any, datalk_new, its own upstream, the other's backup, the $upstream_addr map
    assert n_listen == 1 and all(n == 5 for n in counts.values()), (
        f"deploy/nginx/datalk-multi.conf changed shape ({counts}): adapt tests/browser/servers.py"
    )
    return text


def run_nginx(render: Callable[[int], str], prefix: Path) -> Nginx:
    """nginx on a free port with the site file ``render(listen_port)``; waits for /healthz."""
    binary = nginx_binary()
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = prefix / "datalk.conf"
    site.write_text(render(port))
    main = prefix / "nginx.conf"
    main.write_text(nginx_main_config(prefix, site))
    check = subprocess.run(
        [binary, "-t", "-c", str(main), "-p", str(prefix)], capture_output=True, text=True
    )
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
    log = prefix / "stdout.log"
    proc = subprocess.Popen(
        [binary, "-c", str(main), "-p", str(prefix)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/healthz", proc, 30, log)
    return Nginx(url, proc, prefix)


# --- several portals ---------------------------------------------------------------------
def start_portals(
    count: int, cache: Path, mirror: Path, workdir: Path, logs: Path, preheat: list[str]
) -> list[Portal]:
    """``count`` portals started side by side, as the instances of datalk@.service run.

    Each has its own working directory (feedback, static pages) and log
    ``logs/multi-portal-<n>.log``; they share the data cache like the instances do.
    """

    def one(n: int) -> Portal:
        own = workdir / f"portal-{n}"
        own.mkdir(parents=True, exist_ok=True)
        return start_portal(cache, mirror, own, logs / f"multi-portal-{n}.log", preheat)

    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(one, n) for n in range(1, count + 1)]
    started = [f.result() for f in futures if f.exception() is None]
    failed = [f.exception() for f in futures if f.exception() is not None]
    if failed:
        for portal in started:
            stop(portal.proc)
        raise failed[0]
    return started
