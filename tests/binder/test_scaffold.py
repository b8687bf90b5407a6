"""``datalk topics new``: a starter topic that validates, passes the contract and runs as it is."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import papermill as pm
import pytest
import yaml

from datalk.sources.registry import all_sources
from datalk.topics.registry import all_topics
from datalk.topics.scaffold import EDIT_ME, starter_yaml
from tests.conftest import reset_settings
from tests.contract import test_topic_data as contract_data
from tests.contract import test_topics as contract

REPO = Path(__file__).resolve().parents[2]
TOPIC = "sport_clubs"


def datalk(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "datalk.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


@pytest.fixture
def scratch(tmp_path, monkeypatch, mirror_dir):
    """A project of its own (DATALK_ROOT) with the repository's data sources, mirror data."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "data_sources").symlink_to(REPO / "data_sources", target_is_directory=True)
    env = {"DATALK_ROOT": str(root), "DATALK_CACHE": str(tmp_path / "cache"), "DATALK_MIRROR": str(mirror_dir)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    reset_settings()
    yield root, env
    reset_settings()


def test_starter_is_valid_and_marks_every_text_to_edit():
    data = yaml.safe_load(starter_yaml("culture_events", order=8))
    texts = [data["summary"]["cs"], data["title"]["en"], *(data["texts"][k]["cs"] for k in data["texts"])]
    assert all(text.startswith(EDIT_ME) for text in texts)
    assert data["title"]["cs"] == f"{EDIT_ME} Název tématu"
    assert data["order"] == 8 and data["sources"] == ["csu_datastat_wreg02"]


@pytest.mark.slow
def test_refuses_bad_ids_and_existing_topics(scratch):
    root, env = scratch
    bad = datalk("topics", "new", "Kultura", env=env)
    assert bad.returncode == 1 and "snake_case" in bad.stderr and "Traceback" not in bad.stderr
    assert datalk("topics", "new", TOPIC, env=env).returncode == 0
    again = datalk("topics", "new", TOPIC, env=env)
    assert again.returncode == 1 and "už existuje" in again.stderr
    assert datalk("topics", "new", TOPIC, "--force", "--title", "Sport", env=env).returncode == 0
    assert yaml.safe_load((root / "topics" / f"{TOPIC}.yaml").read_text())["title"]["cs"] == "Sport"


@pytest.mark.notebooks
@pytest.mark.slow
def test_new_topic_passes_the_contract_and_runs_in_report_mode(scratch, tmp_path):
    root, env = scratch
    made = datalk("topics", "new", TOPIC, "--title", "Sportovní kluby", env=env)
    assert made.returncode == 0, made.stderr
    assert "UPRAVTE:" in made.stdout and "datalk topics notebooks" in made.stdout  # next steps

    # the repository's contract checks, applied to the scratch project
    [topic] = all_topics(root / "topics")
    notebook = root / "notebooks" / f"{TOPIC}.ipynb"
    assert {p.stem for p in (root / "notebooks").glob("*.ipynb")} == {topic.id}
    assert set(topic.sources) <= set(all_sources(root / "data_sources"))
    assert contract._parameters(notebook) == topic.parameters.model_dump()
    contract.test_notebooks_are_committed_clean_and_thin(notebook)
    contract_data.test_topic_has_at_least_three_real_indicators_for_the_region(topic)
    contract_data.test_every_chart_has_a_view_for_region_and_an_obec(topic)
    assert topic.order == 1  # first topic of this project

    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(notebook), str(out), parameters={"mode": "report"}, kernel_name="python3",
                        cwd=str(root), progress_bar=False, log_output=False)
    outputs = [o for c in json.loads(out.read_text(encoding="utf-8"))["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    html = "\n".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "<h1>Sportovní kluby</h1>" in html and "Liberecký kraj" in html
    assert html.count("<svg") >= 3  # trend, ranking and map of real ČSÚ data
    assert re.search(r"449\W494\Wosob", html)  # Liberecký kraj, 31. 12. 2024 (ČSÚ), Czech number format
    assert "dl-sources" in html and "dl-needs-refresh" not in html
    assert EDIT_ME in html  # the placeholders show until the author rewrites them
