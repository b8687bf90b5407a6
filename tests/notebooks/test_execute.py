"""Every topic notebook runs with Papermill in both modes on the real mirror data.

Report mode must produce the figures and the sources box with no error output;
app mode must build its widgets. A second kraj checks that nothing is tied to
the Liberec Region.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import papermill as pm
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p for p in (REPO / "notebooks").glob("*.ipynb") if p.stem not in {"profile"})
TIMES: dict[str, float] = {}

pytestmark = [pytest.mark.notebooks, pytest.mark.usefixtures("with_warm_cache")]


def _run(path: Path, out: Path, **parameters) -> dict:
    started = time.perf_counter()
    pm.execute_notebook(str(path), str(out), parameters=parameters, kernel_name="python3", cwd=str(REPO),
                        progress_bar=False, log_output=False,
                        shutdown_kernel="immediate")  # outputs are in; a graceful exit sometimes took 3 s
    TIMES[f"{path.stem}:{parameters.get('mode')}:{parameters.get('territory', '')}"] = time.perf_counter() - started
    return json.loads(out.read_text(encoding="utf-8"))


def _outputs(notebook: dict) -> list[dict]:
    return [o for c in notebook["cells"] for o in c.get("outputs", [])]


def _html(notebook: dict) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/html", "")) for o in _outputs(notebook))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_report_mode_renders_figures_and_sources(path, tmp_path):
    notebook = _run(path, tmp_path / "out.ipynb", mode="report")
    errors = [o for o in _outputs(notebook) if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert not errors, errors[:1]
    html = _html(notebook)
    assert "dl-sources" in html and "Zdroj" in html
    assert "<svg" in html or "dl-needs-refresh" in html or "dl-kpi" in html
    assert "application/vnd.jupyter.widget-view+json" not in json.dumps(_outputs(notebook))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_app_mode_builds_widgets_without_errors(path, tmp_path):
    notebook = _run(path, tmp_path / "out.ipynb", mode="app")
    errors = [o for o in _outputs(notebook) if o["output_type"] == "error"]
    assert not errors, errors[:1]
    widgets = [o for o in _outputs(notebook) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) >= 3  # header with controls, charts, sources


def test_another_kraj_at_kraj_and_okres_level(tmp_path):
    """Královéhradecký kraj and its okres Náchod: the page follows the parameter."""
    path = REPO / "notebooks" / "labour_market.ipynb"
    kraj = _html(_run(path, tmp_path / "kraj.ipynb", mode="report", territory="CZ052"))
    assert "Královéhradecký kraj" in kraj and "Liberecký kraj –" not in kraj
    okres = _html(_run(path, tmp_path / "okres.ipynb", mode="report", territory="CZ0523"))
    assert "Náchod" in okres


def test_wrong_parameters_give_a_message_not_a_traceback(tmp_path):
    path = REPO / "notebooks" / "labour_market.ipynb"
    notebook = _run(path, tmp_path / "bad.ipynb", mode="report", territory="XX999", period="1492")
    html = _html(notebook)
    assert "XX999" in html and "1492" in html and "dl-messages" in html
    assert not [o for o in _outputs(notebook) if o["output_type"] == "error"]


def teardown_module(module):
    if TIMES:
        print("\nnotebook execution times (s):")
        for key, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
            print(f"  {seconds:6.1f}  {key}")
