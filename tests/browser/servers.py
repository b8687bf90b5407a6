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
from dataclasses import dataclass
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
NGINX_CONF = REPO / "deploy" / "nginx" / "datalk.conf"


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


def start_portal(cache: Path, mirror: Path, workdir: Path, log: Path, preheat: list[str]) -> Portal:
    port = free_port()
    feedback = workdir / "feedback"
    env = {
        **os.environ,
        "DATALK_CACHE": str(cache),
        "DATALK_MIRROR": str(mirror),
        "DATALK_ROOT": str(REPO),
        "DATALK_FEEDBACK_DIR": str(feedback),
        "PYTHONUNBUFFERED": "1",
    }
    cmd = [sys.executable, "-m", "datalk.cli", "serve", "--port", str(port), "--pool-size", "1"]
    for topic in preheat:
        cmd += ["--preheat", topic]
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
    return (
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        f"daemon off;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log {prefix / 'access.log'};\n{temps}\n  include {site};\n}}\n"
    )


def start_nginx(upstream_port: int, prefix: Path) -> Nginx:
    binary = nginx_binary()
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    site = prefix / "datalk.conf"
    site.write_text(site_config(upstream_port, port))
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
