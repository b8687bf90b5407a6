"""Shared fixtures: the real-data mirror, isolated caches and project roots."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"


def _mirror() -> Path:
    env = os.environ.get("DATALK_MIRROR")
    return Path(env) if env else (REPO.parent / "shared" / "data")


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The shared real-data mirror (CI: ../shared/data)."""
    path = _mirror()
    if not path.is_dir():
        pytest.fail(f"real-data mirror not found at {path}; set DATALK_MIRROR")
    return path


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def reset_settings() -> None:
    from datalk.settings import get_settings
    from datalk.sources import registry, territories

    get_settings.cache_clear()
    registry.clear_cache()
    territories.forget()


@pytest.fixture
def isolated(tmp_path, monkeypatch, mirror_dir):
    """An empty cache for this test, mirror mode, the repository's data_sources/."""
    monkeypatch.setenv("DATALK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DATALK_MIRROR", str(mirror_dir))
    monkeypatch.setenv("DATALK_ROOT", str(REPO))
    reset_settings()
    yield tmp_path / "cache"
    reset_settings()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A scratch project root with its own data_sources/ and cache, online mode (no mirror)."""
    root = tmp_path / "project"
    (root / "data_sources").mkdir(parents=True)
    monkeypatch.setenv("DATALK_ROOT", str(root))
    monkeypatch.setenv("DATALK_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("DATALK_MIRROR", raising=False)
    monkeypatch.setenv("DATALK_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("DATALK_HTTP_RETRIES", "2")
    reset_settings()
    yield root
    reset_settings()


@pytest.fixture
def http_server():
    from tests.support.httpserver import RecordedServer

    server = RecordedServer().start()
    yield server
    server.stop()


@contextmanager
def datalk_env(cache: Path, mirror: Path, **extra: str):
    """Point the package at a cache and the mirror (restores the environment afterwards).

    For session- and module-scoped fixtures, where ``monkeypatch`` is not available.
    """
    values = {"DATALK_CACHE": str(cache), "DATALK_MIRROR": str(mirror), "DATALK_ROOT": str(REPO), **extra}
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    reset_settings()
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        reset_settings()


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory, mirror_dir):
    """One cache with every source fetched from the mirror, shared by read-only tests."""
    cache = tmp_path_factory.mktemp("warm") / "cache"
    from datalk import sources

    with datalk_env(cache, mirror_dir):
        results = sources.fetch()
    failed = [r for r in results if not r.ok]
    assert not failed, f"sources failed from the mirror: {[(r.source_id, r.message) for r in failed]}"
    yield cache
    shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture
def with_warm_cache(warm_cache, monkeypatch, mirror_dir):
    monkeypatch.setenv("DATALK_CACHE", str(warm_cache))
    monkeypatch.setenv("DATALK_MIRROR", str(mirror_dir))
    monkeypatch.setenv("DATALK_ROOT", str(REPO))
    reset_settings()
    yield warm_cache
    reset_settings()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session (pages, printed figures)."""
    from playwright.sync_api import sync_playwright

    from datalk.settings import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
