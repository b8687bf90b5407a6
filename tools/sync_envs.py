"""Regenerate environment.yml (and binder/ pins) from pyproject.toml, the single source of truth.

Usage:
    python tools/sync_envs.py            # rewrite environment.yml
    python tools/sync_envs.py --binder   # also re-pin binder/requirements.txt from this venv

Binder pins are the exact versions installed here (the ones that passed the tests) of every
runtime requirement, the ``lab`` extra (Czech JupyterLab) and everything they need — following
the extras they request (``jsonschema[format-nongpl]`` …) and the markers as they evaluate on
Linux with Python 3.11, Binder's platform. The tool refuses to write pins that are incomplete
(a requirement not installed) or conflicting (an installed version outside a requester's range).
The package itself is not pinned: binder/postBuild installs it with ``pip install --no-deps -e .``.

Contract tests (tests/contract/test_environments.py) fail when the files drift apart.
"""

from __future__ import annotations

import sys
import tomllib
from collections import defaultdict
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
BINDER_EXTRAS = ("lab",)
SELF = "datalk"


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def requirements(extra: str | None = None) -> list[str]:
    project = pyproject()["project"]
    return list(project["optional-dependencies"][extra]) if extra else list(project["dependencies"])


def binder_requirements() -> list[str]:
    """What Binder must have: the runtime dependencies and the extras in BINDER_EXTRAS."""
    return requirements() + [r for extra in BINDER_EXTRAS for r in requirements(extra)]


def environment_yml() -> str:
    lines = [
        "# Generated from pyproject.toml by tools/sync_envs.py – do not edit by hand.",
        "name: datalk",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
    ]
    lines += [f'      - "{req}"' for req in requirements()]
    lines += ["      - \"-e .[dev]\""]
    return "\n".join(lines) + "\n"


class PinError(SystemExit):
    """The installed environment cannot give complete, consistent pins."""


def closure(roots: list[str]) -> tuple[dict[str, str], dict[str, list[tuple[str, SpecifierSet]]]]:
    """Installed version of every distribution ``roots`` need (transitively), and who asked how.

    Raises :class:`PinError` naming requirements that are not installed.
    """
    versions: dict[str, str] = {}
    dists: dict[str, metadata.Distribution] = {}
    wanted: dict[str, list[tuple[str, SpecifierSet]]] = defaultdict(list)
    done: set[tuple[str, str]] = set()
    missing: list[str] = []
    queue = [(Requirement(r), "pyproject.toml") for r in roots]
    while queue:
        req, by = queue.pop()
        name = canonicalize_name(req.name)
        if name == SELF:
            continue
        wanted[name].append((by, req.specifier))
        if name not in dists:
            try:
                dists[name] = metadata.distribution(req.name)
            except metadata.PackageNotFoundError:
                missing.append(f"{req.name} (požaduje {by})")
                continue
            versions[name] = dists[name].version
        for extra in ("", *sorted(req.extras)):
            if (name, extra) in done:
                continue
            done.add((name, extra))
            for text in dists[name].requires or []:
                child = Requirement(text)
                if extra and (child.marker is None or "extra" not in str(child.marker)):
                    continue  # already taken in the plain pass
                if child.marker is None or child.marker.evaluate({"extra": extra}):
                    queue.append((child, f"{name}[{extra}]" if extra else name))
    if missing:
        raise PinError("Nelze připnout, v tomto prostředí chybí: " + ", ".join(sorted(set(missing)))
                       + "\nNainstalujte je (pip install -e '.[dev]') a spusťte znovu.")
    return versions, wanted


def conflicts(versions: dict[str, str], wanted: dict[str, list[tuple[str, SpecifierSet]]]) -> list[str]:
    """Requirements that the pinned version does not satisfy (pip would refuse or break them)."""
    problems = []
    for name, asks in sorted(wanted.items()):
        for by, specifier in asks:
            if name in versions and not specifier.contains(versions[name], prereleases=True):
                problems.append(f"{name}=={versions[name]} nevyhovuje {by}: {specifier}")
    return problems


def binder_pins() -> str:
    """Exact versions of every Binder requirement and its dependencies, as installed here."""
    if sys.version_info[:2] != (3, 11):
        raise PinError("Piny pro Binder generujte v prostředí s Pythonem 3.11 (binder/runtime.txt).")
    versions, wanted = closure(binder_requirements())
    if problems := conflicts(versions, wanted):
        raise PinError("Nainstalované verze si odporují:\n  " + "\n  ".join(problems))
    header = ("# Exact pins for mybinder.org (repo2docker), generated by tools/sync_envs.py --binder\n"
              "# from the versions that passed the test suite (runtime dependencies + the 'lab' extra).\n"
              "# Do not edit by hand; keep in step with pyproject.toml (tests/contract/test_environments.py).\n")
    return header + "".join(f"{name}=={version}\n" for name, version in sorted(versions.items()))


def main() -> None:
    (ROOT / "environment.yml").write_text(environment_yml(), encoding="utf-8")
    if "--binder" in sys.argv:
        pins = binder_pins()
        (ROOT / "binder").mkdir(exist_ok=True)
        (ROOT / "binder" / "requirements.txt").write_text(pins, encoding="utf-8")
        print(f"binder/requirements.txt: {pins.count('==')} balíčků")


if __name__ == "__main__":
    main()
