"""pyproject.toml is the single source of dependencies; environment.yml and binder/ must say the same.

Binder (repo2docker) reads only ``binder/`` when it exists, and there an ``environment.yml``
would win over ``requirements.txt``: so binder/ holds exact pins, runtime.txt and postBuild only.
"""

from __future__ import annotations

import importlib.util
import os
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
BINDER = REPO / "binder"


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def _pins() -> dict[str, Requirement]:
    pins: dict[str, Requirement] = {}
    for number, line in enumerate((BINDER / "requirements.txt").read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        assert not line.startswith("-"), f"requirements.txt:{number}: no pip options or editable installs ({line})"
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==" and not req.url and not req.marker, (
            f"requirements.txt:{number}: '{line}' is not an exact pin name==version")
        name = canonicalize_name(req.name)
        assert name not in pins, f"requirements.txt:{number}: {name} pinned twice"
        pins[name] = req
    return pins


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    project = _project()
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "python=3.11" in env["dependencies"]
    declared = [p for p in pip if not p.startswith("-e")]
    assert declared == project["dependencies"], "run: python tools/sync_envs.py"
    assert "-e .[dev]" in pip


def test_binder_holds_only_what_repo2docker_should_read():
    assert sorted(p.name for p in BINDER.iterdir()) == ["postBuild", "requirements.txt", "runtime.txt"]
    # environment.yml (or Pipfile, setup.py …) here would replace the pip pins or the postBuild install


def test_every_pyproject_dependency_is_pinned_exactly_within_its_range():
    project = _project()
    wanted = project["dependencies"] + project["optional-dependencies"]["lab"]
    pins = _pins()
    for text in wanted:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not pinned in binder/requirements.txt: run python tools/sync_envs.py --binder"
        version = next(iter(pins[name].specifier)).version
        assert req.specifier.contains(version, prereleases=True), (
            f"binder pins {name}=={version}, pyproject.toml wants {req.specifier}: run python tools/sync_envs.py --binder")
    assert "datalk" not in pins  # the package comes from postBuild (pip install --no-deps -e .)


def test_binder_pins_are_complete_and_consistent_where_this_venv_has_the_same_versions():
    """Each pinned package's own requirements are pinned too, within range (pip would not fix it)."""
    from importlib import metadata

    pins = _pins()
    versions = {name: next(iter(req.specifier)).version for name, req in pins.items()}
    problems, checked = [], 0
    for name, version in versions.items():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if dist.version != version:
            continue  # the metadata we can read belong to another version
        checked += 1
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker and not req.marker.evaluate({"extra": ""}):
                continue
            child = canonicalize_name(req.name)
            if child == "datalk":
                continue
            if child not in versions:
                problems.append(f"{name}=={version} needs {req} (not pinned)")
            elif not req.specifier.contains(versions[child], prereleases=True):
                problems.append(f"{name}=={version} needs {req}, pinned {child}=={versions[child]}")
    assert checked >= len(versions) // 2, "this venv differs from the pins: run python tools/sync_envs.py --binder"
    assert not problems, problems


def test_runtime_is_python_311():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def test_postbuild_is_executable_and_installs_package_and_template():
    post = BINDER / "postBuild"
    text = post.read_text()
    assert os.access(post, os.X_OK), "chmod +x binder/postBuild"
    assert text.startswith("#!/bin/bash") and "set -euo pipefail" in text
    commands = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert any("pip install" in c and "--no-deps" in c and c.endswith("-e .") for c in commands)
    assert "python -m datalk.app.binder setup" in commands  # Voilà template + config, Czech JupyterLab
    assert "jupyterlab-language-pack-cs-CZ" in text


def test_readme_binder_badges_follow_the_topics():
    badges = _tool("readme_badges")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    expected = badges.section()
    assert expected in readme, "run: python tools/readme_badges.py"
    from datalk.topics.registry import all_topics

    for topic in all_topics(REPO / "topics"):
        assert f"urlpath=voila/render/notebooks/{topic.id}.ipynb)" in expected
        assert f"labpath=notebooks/{topic.id}.ipynb)" in expected


@pytest.mark.parametrize("hook", ["nbstripout", "ruff"])
def test_pre_commit_keeps_notebooks_clean_and_code_linted(hook):
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert hook in hooks


def test_committed_notebooks_are_what_the_nbstripout_hook_leaves():
    """The hook with its exact arguments would not change any notebook (ids, metadata, outputs)."""
    import subprocess
    import sys

    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    [hook] = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "nbstripout"]
    notebooks = sorted(str(p) for p in (REPO / "notebooks").glob("*.ipynb"))
    nbstripout = Path(sys.executable).with_name("nbstripout")
    out = subprocess.run([str(nbstripout), "--verify", *hook.get("args", []), *notebooks],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"pre-commit would rewrite: {out.stdout or out.stderr}"


def test_notebooks_pass_the_ruff_hook():
    import subprocess
    import sys

    ruff = Path(sys.executable).with_name("ruff")
    out = subprocess.run([str(ruff), "check", "--no-cache", "notebooks"], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stdout
