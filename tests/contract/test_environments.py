"""pyproject.toml is the single source of dependencies; environment.yml must say the same."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "python=3.11" in env["dependencies"]
    declared = [p for p in pip if not p.startswith("-e")]
    assert declared == project["dependencies"], "run: python tools/sync_envs.py"
    assert "-e .[dev]" in pip
