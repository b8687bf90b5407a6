"""Fixtures for the open-data catalogue: the official schemas and a small project with the pohotovosti fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "lk_pohotovosti" / "pohotovosti_lk.geojson"
BASE = "https://data.example.cz/opendata/"


@pytest.fixture(scope="session")
def specs_dir() -> Path:
    """The local copy of https://ofn.gov.cz/ (../shared/specs/ofn): the official schemas are the judge."""
    path = REPO.parent / "shared" / "specs" / "ofn"
    if not (path / "dcat-ap-cz-rozhraní-katalogů-otevřených-dat" / "2024-05-28" / "schémata").is_dir():
        pytest.fail(f"official OFN specifications not found at {path}")
    return path


@pytest.fixture(scope="session")
def validator(specs_dir):
    from datalk.catalog.validate import validator_for

    return validator_for(specs_dir)


@pytest.fixture
def pohotovosti_project(project, http_server, mirror_dir):
    """A project with the two code lists and ``lk_pohotovosti`` served over real HTTP from the fixture."""
    from datalk import sources
    from tests.support.project import serve_geography, serve_source

    serve_geography(project, http_server, mirror_dir)
    serve_source(project, http_server, "lk_pohotovosti", FIXTURE.read_bytes(), "pohotovosti_lk.geojson",
                 content_type="application/geo+json")
    results = sources.fetch()
    assert all(r.ok for r in results), [(r.source_id, r.message) for r in results if not r.ok]
    return project
