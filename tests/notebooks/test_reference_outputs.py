"""Reference outputs: two report-mode notebooks re-run with nbval must give the same pages.

The references in ``tests/notebooks/reference/`` are Papermill outputs of the topic notebooks in
report mode on the mirror data (figures are deterministic SVG). Fetched dates are sanitised
(``nbval_sanitize.cfg``). After an intended change of a page, regenerate them with:

    papermill notebooks/<id>.ipynb tests/notebooks/reference/<id>.ipynb -p mode report --cwd .
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REFERENCES = sorted((HERE / "reference").glob("*.ipynb"))

pytestmark = [pytest.mark.notebooks, pytest.mark.usefixtures("with_warm_cache")]


@pytest.mark.parametrize("path", REFERENCES, ids=lambda p: p.stem)
def test_report_notebook_reproduces_its_reference_outputs(path):
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval", str(path),
         "--nbval-sanitize-with", str(HERE / "nbval_sanitize.cfg"), "--rootdir", str(HERE)],
        capture_output=True, text=True, env=dict(os.environ), timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:]
