"""The warm-kernel Papermill engine: one kernel for many reports, yet no state leaks and crashes heal."""

from __future__ import annotations

import nbformat
import pytest

from datalk.reports import execute
from datalk.reports.plan import ReportJob

pytestmark = [pytest.mark.slow, pytest.mark.notebooks]
BUILT_AT = "2026-11-27T06:00:00+01:00"


def _notebook(folder, name: str, *sources: str) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell('territory = "CZ051"', metadata={"tags": ["parameters"]})
    ]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, folder / f"{name}.ipynb")


def _job(name: str, **parameters) -> ReportJob:
    return ReportJob(
        id=f"test-{name}",
        kind="topic",
        notebook=name,
        parameters=parameters,
        title=f"Test {name}",
        territory="CZ051",
        territory_name="Liberecký kraj",
        level="kraj",
        path=f"test/{name}",
        period=None,
    )


@pytest.fixture
def worker(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    execute.init_worker(str(notebooks), {}, warm=False)
    yield notebooks
    execute._WORKER["engine"].shutdown()


def test_one_kernel_serves_many_reports_without_leaking_variables(worker, tmp_path):
    show_pid = "import os\nfrom IPython.display import HTML, display\ndisplay(HTML(f'<p>pid={os.getpid()} {territory}</p>'))"
    _notebook(worker, "first", "leak = 42", show_pid)
    _notebook(worker, "second", show_pid, "leak")
    _notebook(worker, "third", show_pid)
    out = tmp_path / "out"
    first = execute.run_job(_job("first"), str(out), BUILT_AT)
    second = execute.run_job(_job("second", territory="CZ0513"), str(out), BUILT_AT)
    third = execute.run_job(_job("third", territory="CZ0513"), str(out), BUILT_AT)
    assert first.ok and third.ok, (first.error, third.error)
    assert (
        not second.ok and "NameError" in second.error and "leak" in second.error
    )  # namespace was reset
    pid = (out / "test/first.html").read_text(encoding="utf-8").split("<p>pid=")[1].split(" ")[0]
    assert f"<p>pid={pid} CZ0513</p>" in (out / "test/third.html").read_text(
        encoding="utf-8"
    )  # same kernel


def test_a_crashed_kernel_fails_its_report_and_is_replaced(worker, tmp_path):
    _notebook(worker, "crash", "import os\nos._exit(3)")
    _notebook(
        worker,
        "after",
        "from IPython.display import HTML, display\ndisplay(HTML('<p>po pádu</p>'))",
    )
    crashed = execute.run_job(_job("crash"), str(tmp_path), BUILT_AT)
    assert not crashed.ok and "jádro restartováno" in crashed.error
    after = execute.run_job(_job("after"), str(tmp_path), BUILT_AT)
    assert after.ok, after.error
    assert "<p>po pádu</p>" in (tmp_path / "test/after.html").read_text(encoding="utf-8")


def test_stderr_output_is_kept_out_of_the_report_but_recorded(worker, tmp_path):
    _notebook(
        worker,
        "noisy",
        "import sys\nprint('varování: stará data', file=sys.stderr)\nprint('ladicí výpis')",
        "from IPython.display import HTML, display\ndisplay(HTML('<p>obsah</p>'))",
    )
    outcome = execute.run_job(_job("noisy"), str(tmp_path), BUILT_AT)
    assert outcome.ok and outcome.warnings == ["varování: stará data"]
    page = (tmp_path / "test/noisy.html").read_text(encoding="utf-8")
    assert "<p>obsah</p>" in page and "varování" not in page and "ladicí výpis" not in page


def test_a_missing_notebook_is_a_failed_report(worker, tmp_path):
    outcome = execute.run_job(_job("neni"), str(tmp_path), BUILT_AT)
    assert not outcome.ok and outcome.error == "notebook notebooks/neni.ipynb neexistuje"


def test_profile_notebook_in_app_mode_reads_the_binder_link_parameters(
    report_env, monkeypatch, tmp_path
):
    """Voilà runs the notebook with its defaults (mode="app"); the URL of a colophon link picks the page."""
    import json

    import papermill as pm

    from tests.conftest import REPO

    monkeypatch.setenv(
        "QUERY_STRING", "territory=CZ0513&view=yearly"
    )  # as Voilà passes ?territory=…&view=…
    out = tmp_path / "profile.ipynb"
    pm.execute_notebook(
        str(REPO / "notebooks" / "profile.ipynb"),
        str(out),
        parameters={"topics": ["labour_market"]},
        kernel_name="python3",
        progress_bar=False,
    )
    outputs = [
        o
        for cell in json.loads(out.read_text(encoding="utf-8"))["cells"]
        for o in cell.get("outputs", [])
    ]
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    page = "".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert (
        "<h1>Roční přehled: Okres Liberec</h1>" in page
        and "okres · Liberecký kraj · kód CZ0513" in page
    )
    assert "dl-topic dl-topic-yearly" in page  # the yearly layout (a page per topic)
