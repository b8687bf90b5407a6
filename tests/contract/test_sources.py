"""Repository invariants of data_sources/: every YAML valid, mirrored, attributed."""

from __future__ import annotations

from pathlib import Path

import yaml

from datalk.sources.registry import all_sources
from datalk.sources.spec import load_spec

REPO = Path(__file__).resolve().parents[2]


def test_every_source_yaml_validates_and_id_matches_file():
    paths = sorted((REPO / "data_sources").glob("*.yaml"))
    assert len(paths) >= 30
    for path in paths:
        assert load_spec(path).id == path.stem


def test_mirror_paths_exist_in_the_real_data_mirror(mirror_dir):
    specs = all_sources(REPO / "data_sources")
    missing = [s.id for s in specs.values() if s.mirror and not (mirror_dir / s.mirror.path).is_file()]
    assert not missing, f"mirror files not found for {missing}"


def test_sources_without_mirror_have_an_official_url():
    """Offline the portal says 'needs a data refresh' for these; online they must be fetchable."""
    for spec in all_sources(REPO / "data_sources").values():
        if spec.mirror is None:
            assert spec.origin.kind != "none" and spec.origin.url, spec.id


def test_attribution_and_licence_are_stated():
    for spec in all_sources(REPO / "data_sources").values():
        assert spec.licence.attribution.startswith("Zdroj:"), spec.id
        assert spec.landing_page.startswith("http"), spec.id


def test_no_data_files_are_committed():
    data_like = [p for p in REPO.rglob("*") if p.suffix.lower() in {".csv", ".xlsx", ".xls", ".parquet", ".shp", ".zip"}
                 and ".venv" not in p.parts and ".cache" not in p.parts and "test-artifacts" not in p.parts
                 and "fixtures" not in p.parts and "output" not in p.parts]
    assert not data_like, f"data files belong in the mirror, not the repository: {data_like[:5]}"


def test_yaml_is_plain_block_style():
    for path in (REPO / "data_sources").glob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict)
