"""`datalk reports build` as a user runs it: wrong input gives one clear line and a non-zero exit."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "datalk.cli", "reports", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        env=dict(os.environ),
    )


def test_unknown_topic_is_reported_and_the_exit_status_says_so(report_env, tmp_path):
    run = _cli("build", "--set", "topics", "--topics", "neni_tema", "--out", str(tmp_path))
    assert run.returncode == 1
    assert "neznámé téma 'neni_tema'" in run.stderr and "Traceback" not in run.stderr
    assert (tmp_path / "index.html").exists() and (tmp_path / "manifest.json").exists()


def test_wrong_area_and_format_are_usage_errors(report_env, tmp_path):
    area = _cli("build", "--set", "profiles", "--area", "999999", "--out", str(tmp_path))
    assert area.returncode == 1 and "Chyba: --area 999999" in area.stderr
    fmt = _cli("build", "--format", "docx", "--out", str(tmp_path))
    assert fmt.returncode == 2 and "docx" in fmt.stderr


def test_help_is_czech():
    run = _cli("build", "--help")
    assert run.returncode == 0 and "Sestaví reporty" in run.stdout and "--area" in run.stdout
