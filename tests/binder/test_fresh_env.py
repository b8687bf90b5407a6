"""What mybinder.org builds, minus Docker: a fresh venv from exactly binder/requirements.txt.

repo2docker cannot run here (no Docker engine). This test does its steps by hand:
``pip install -r binder/requirements.txt`` into an empty virtual environment (from PyPI),
then binder/postBuild itself in a copy of the checkout with a scratch HOME, then a topic
notebook with Papermill in report mode on the mirror data, then the Voilà URL a Binder
badge opens. It takes minutes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from urllib.parse import unquote

import pytest

from datalk.app import binder
from tests.binder.jupyter import as_root_flag, free_port, get, running

REPO = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".venv", ".git", ".cache", ".pytest_cache", ".ruff_cache", ".import_linter_cache",
                              "__pycache__", "*.egg-info", "test-artifacts", "output", ".ipynb_checkpoints")
pytestmark = [pytest.mark.slow, pytest.mark.notebooks, pytest.mark.timeout(3600)]


def run(command: list[str], env: dict, cwd: Path, timeout: int = 1800) -> subprocess.CompletedProcess:
    out = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{' '.join(command)}:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def fresh(tmp_path_factory, mirror_dir):
    """(checkout copy, venv bin dir, environment) after requirements.txt + postBuild."""
    base = tmp_path_factory.mktemp("fresh")
    checkout = base / "repo"
    shutil.copytree(REPO, checkout, ignore=SKIP, symlinks=True)
    home = base / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER_", "DATALK_", "VIRTUAL_ENV", "PYTHONPATH"))}
    venv.EnvBuilder(with_pip=True, clear=True).create(base / "venv")
    bin_dir = base / "venv" / "bin"
    env.update({"HOME": str(home), "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "VIRTUAL_ENV": str(base / "venv"),
                "DATALK_MIRROR": str(mirror_dir), "DATALK_CACHE": str(base / "cache"),
                "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"], env, checkout)
    run(["bash", "binder/postBuild"], env, checkout, timeout=600)  # exactly what repo2docker runs
    return checkout, bin_dir, env


def test_pins_install_consistently_and_postbuild_installs_package_and_template(fresh):
    checkout, bin_dir, env = fresh
    assert run([str(bin_dir / "python"), "-m", "pip", "check"], env, checkout).returncode == 0
    where = run([str(bin_dir / "python"), "-c", "import datalk, rdata; print(datalk.__file__)"], env, checkout)
    assert where.stdout.strip().startswith(str(checkout / "src"))
    frozen = run([str(bin_dir / "python"), "-m", "pip", "freeze", "--exclude-editable"], env, checkout).stdout
    pins = {line.strip().lower() for line in (REPO / "binder" / "requirements.txt").read_text().splitlines()
            if "==" in line}
    installed = {line.strip().lower().replace("_", "-") for line in frozen.splitlines() if "==" in line}
    assert not {p.replace("_", "-") for p in pins} - installed  # nothing resolved to another version
    home = Path(env["HOME"])
    assert (home / ".local" / "share" / "jupyter" / "voila" / "templates" / "datalk" / "conf.json").is_file()
    conf = json.loads((home / ".jupyter" / "jupyter_server_config.json").read_text())
    assert conf["VoilaConfiguration"]["template"] == "datalk"
    kernels = json.loads(run([str(bin_dir / "jupyter"), "kernelspec", "list", "--json"], env, checkout).stdout)
    assert kernels["kernelspecs"]["python3"]["resource_dir"].startswith(str(bin_dir.parent))


def test_topic_notebook_runs_in_report_mode(fresh, tmp_path):
    checkout, bin_dir, env = fresh
    out = tmp_path / "labour_market.ipynb"
    run([str(bin_dir / "papermill"), "notebooks/labour_market.ipynb", str(out), "-p", "mode", "report",
         "--kernel", "python3", "--no-progress-bar"], env, checkout, timeout=900)
    outputs = [o for c in json.loads(out.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    html = "\n".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "Zaměstnanost a pracovní trh" in html and "<svg" in html and "dl-sources" in html


def test_binder_voila_link_renders_in_the_fresh_environment(fresh, tmp_path):
    checkout, bin_dir, env = fresh
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(bin_dir / "jupyter"), "lab", "--no-browser", f"--port={port}", "--IdentityProvider.token=",
               "--ServerApp.password=", *as_root_flag()]
    with running(command, f"{base}/lab", env, checkout, tmp_path / "server.log"):
        urlpath = unquote(binder.voila_url("overview", territory="CZ0513").split("?urlpath=", 1)[1])
        status, page = get(f"{base}/{urlpath}", timeout=300)
        assert status == 200 and '<html lang="cs"' in page and "dl-topic-page" in page, page[-2000:]
        assert "Traceback" not in page
        status, languages = get(f"{base}/lab/api/translations")
        assert "cs_CZ" in json.loads(languages)["data"]


def test_this_python_matches_binder_runtime():
    assert (REPO / "binder" / "runtime.txt").read_text().strip() == f"python-{sys.version_info[0]}.{sys.version_info[1]}"
