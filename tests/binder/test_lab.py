"""The analyst's workbench and Binder's server-extension mode, each started headless for real.

* ``make lab`` opens JupyterLab on the checkout with the package and the Czech language pack.
* What Binder runs after postBuild: JupyterLab with Voilà as a server extension, the portal
  template installed by ``python -m datalk.app.binder setup`` (user data/config dirs of a
  scratch HOME), ``?urlpath=voila/render/notebooks/<topic>.ipynb`` rendering the topic page.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from datalk.app import binder
from tests.binder.jupyter import as_root_flag, free_port, get, running

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _scratch_jupyter(tmp_path: Path) -> dict:
    """Jupyter's user dirs in the test's own HOME, so no personal config plays a part."""
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
            "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime")}


def test_make_lab_serves_jupyterlab_with_the_package_and_czech(tmp_path):
    port = free_port()
    env = _scratch_jupyter(tmp_path)
    args = f"--no-browser --port {port} --IdentityProvider.token= --ServerApp.password="
    base = f"http://127.0.0.1:{port}"
    with running(["make", "lab", f"LAB_ARGS={args}"], f"{base}/lab", env, REPO, tmp_path / "lab.log"):
        status, page = get(f"{base}/lab")
        assert status == 200 and "JupyterLab" in page
        status, listing = get(f"{base}/api/contents/notebooks")
        assert status == 200
        names = {item["name"] for item in json.loads(listing)["content"]}
        assert {"labour_market.ipynb", "overview.ipynb"} <= names
        status, topics = get(f"{base}/api/contents/topics")  # the YAMLs are editable next to them
        assert status == 200
        status, languages = get(f"{base}/lab/api/translations")
        assert status == 200 and "cs_CZ" in json.loads(languages)["data"]
    # the kernel's Python is the venv's, with this checkout installed
    python = REPO / ".venv" / "bin" / "python"
    where = subprocess.run([str(python), "-c", "import datalk; print(datalk.__file__)"], capture_output=True,
                           text=True, timeout=60)
    assert where.returncode == 0 and where.stdout.strip().startswith(str(REPO / "src")), where.stderr


def test_binder_setup_installs_template_config_and_czech_lab(tmp_path):
    data, config, lab = tmp_path / "data", tmp_path / "config", tmp_path / "lab"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"x": 1}}))
    done = binder.setup(REPO, data, config, lab)
    assert len(done) == 3
    link = data / "voila" / "templates" / "datalk"
    assert link.is_symlink() and (link / "conf.json").is_file()
    conf = json.loads((config / "jupyter_server_config.json").read_text())
    assert conf["ServerApp"] == {"x": 1}  # other settings stay
    voila = conf["VoilaConfiguration"]
    assert voila["template"] == "datalk" and voila["show_tracebacks"] is False
    assert "default_pool_size" not in voila and "preheat_kernel" not in voila  # ignored in this mode
    assert {t["id"] for t in voila["resources"]["datalk"]["topics"]} >= {"labour_market", "overview"}
    assert json.loads((lab / "overrides.json").read_text()) == binder.LAB_LOCALE
    binder.setup(REPO, data, config, lab)  # twice is fine (postBuild re-runs on rebuilds)
    assert link.is_symlink()


def test_binder_server_extension_renders_a_topic_with_the_portal_template(tmp_path, mirror_dir):
    env = _scratch_jupyter(tmp_path)
    env.update({"DATALK_MIRROR": str(mirror_dir), "DATALK_CACHE": str(tmp_path / "cache"), "DATALK_ROOT": str(REPO)})
    setup = subprocess.run([sys.executable, "-m", "datalk.app.binder", "setup"], capture_output=True, text=True,
                           env={**os.environ, **env}, cwd=REPO, timeout=120)
    assert setup.returncode == 0, setup.stderr
    assert Path(env["JUPYTER_DATA_DIR"], "voila", "templates", "datalk").is_symlink()
    port = free_port()
    base = f"http://127.0.0.1:{port}/user/datalk-test"  # Binder serves each user under /user/<name>/
    command = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", f"--port={port}",
               "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={REPO}",
               "--ServerApp.base_url=/user/datalk-test/", f"--LabApp.app_settings_dir={tmp_path / 'lab'}",
               *as_root_flag()]
    with running(command, f"{base}/lab", env, REPO, tmp_path / "server.log"):
        url = binder.voila_url("labour_market", territory="CZ0513", lang="cs")
        urlpath = url.split("?urlpath=", 1)[1]
        status, page = get(f"{base}/{unquote(urlpath)}", timeout=300)  # what Binder redirects to
        assert status == 200, page[-2000:]
        assert '<html lang="cs"' in page and "dl-topic-page" in page  # the portal template, not Voilà's
        assert "Zaměstnanost a pracovní trh" in page
        assert "application/vnd.jupyter.widget-view+json" in page  # the app's widgets rendered
        assert "Traceback" not in page
        assets = set(re.findall(r'(?:href|src)="(/user/datalk-test/voila/[^"]+)"', page))
        assert any("datalk.css" in a for a in assets)
        for asset in assets:  # the template's CSS/JS load under Binder's base URL
            assert get(f"http://127.0.0.1:{port}{asset}")[0] == 200, asset
