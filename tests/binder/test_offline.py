"""Binder has no mirror: without network a topic notebook says in Czech what failed, no traceback.

The network is cut for sure (not just "probably unreachable from the sandbox"): every request
goes through a proxy on a closed local port, so the test gives the same result on a machine
with internet access. The cache starts empty, as in a fresh Binder session.
"""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from datalk.app.base import UnavailablePage
from datalk.errors import ConfigError, FetchError, ReadError
from tests.conftest import reset_settings

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "labour_market.ipynb"
CLOSED = "http://127.0.0.1:9"  # discard port: connection refused at once


@pytest.fixture
def offline(tmp_path, monkeypatch):
    monkeypatch.delenv("DATALK_MIRROR", raising=False)
    monkeypatch.setenv("DATALK_ROOT", str(REPO))
    monkeypatch.setenv("DATALK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DATALK_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("DATALK_HTTP_RETRIES", "0")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, CLOSED)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    reset_settings()
    yield tmp_path / "cache"
    reset_settings()


def _outputs(notebook: dict) -> list[dict]:
    return [o for c in notebook["cells"] for o in c.get("outputs", [])]


def _html(notebook: dict) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/html", "")) for o in _outputs(notebook))


@pytest.mark.notebooks
@pytest.mark.parametrize("mode", ["report", "app"])
def test_topic_notebook_offline_without_mirror_shows_a_czech_notice(offline, tmp_path, mode):
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={"mode": mode}, kernel_name="python3",
                        cwd=str(REPO), progress_bar=False, log_output=False)
    notebook = json.loads(out.read_text(encoding="utf-8"))
    outputs = _outputs(notebook)
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"], "raw log lines above the page"
    html = _html(notebook)
    assert "Traceback" not in json.dumps(outputs)
    assert "Data se nepodařilo načíst" in html
    assert "číselník území" in html and "cz_uzemi_hierarchie" in html  # names what failed
    assert "stažení z oficiální adresy vydavatele se nepodařilo" in html
    assert "datalk data fetch cz_uzemi_hierarchie" in html  # and what to do
    assert "<h1>Zaměstnanost a pracovní trh</h1>" in html
    assert "dl-sources" in html  # where the data would come from, read from the YAMLs
    assert not list(offline.rglob("*.parquet"))  # nothing half-fetched was kept


@pytest.fixture
def repo_specs(monkeypatch, tmp_path):
    """The repository's YAMLs, an empty cache: the notice needs no data."""
    monkeypatch.setenv("DATALK_ROOT", str(REPO))
    monkeypatch.setenv("DATALK_CACHE", str(tmp_path / "cache"))
    reset_settings()
    yield
    reset_settings()


def test_notice_for_a_source_missing_from_the_mirror(repo_specs, monkeypatch, mirror_dir):
    monkeypatch.setenv("DATALK_MIRROR", str(mirror_dir))
    reset_settings()
    html = UnavailablePage("labour_market", FetchError("csu_mzdy_kraje", "není v zrcadle")).notice()
    assert "data zdroje „" in html and "csu_mzdy_kraje" in html
    assert "v místním zrcadle dat (DATALK_MIRROR) chybí" in html


def test_notice_for_a_changed_publisher_file_in_english(repo_specs):
    html = UnavailablePage("labour_market", ReadError("cz_uzemi_hierarchie", "chybí sloupce"), "en").notice()
    assert "The data could not be loaded" in html and "another shape" in html
    assert "the territory code list “" in html and "chybí sloupce" in html


def test_notice_for_an_unknown_topic(repo_specs):
    page = UnavailablePage("no_such_topic", ConfigError("neznámé téma 'no_such_topic'"))
    assert page.topic is None
    assert "Stránku tématu „no_such_topic“ nelze otevřít." in page.notice()
    page.chart("anything")  # draws nothing, raises nothing
    page.sources()
