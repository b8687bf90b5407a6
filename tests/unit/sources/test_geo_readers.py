"""Geometry readers: ČÚZK shapefile ZIP in S-JTSK is reprojected; TopoJSON decodes."""

from __future__ import annotations

import io
import zipfile

import geopandas as gpd
import pytest

from datalk import sources
from datalk.errors import ReadError
from datalk.sources.readers import geo
from datalk.sources.readers.base import ReadContext
from datalk.sources.spec import FeatureMapping, SourceSpec


def _spec(fmt: str, code: str, code_list: str, name: str | None = None, **read) -> SourceSpec:
    return SourceSpec(
        id="test_geo", title="t", description="d", publisher="ČÚZK", landing_page="https://cuzk.gov.cz",
        licence={"name": "CC BY 4.0", "attribution": "ČÚZK"}, origin={"kind": "none"}, format=fmt,
        output="features", features=FeatureMapping(code=code, code_list=code_list, name=name), read=read,
    )


def _ctx(spec: SourceSpec) -> ReadContext:
    return ReadContext(spec=spec, options=spec.read, geography=sources.geography)


def _shapefile_zip(frame: gpd.GeoDataFrame, tmp_path, stem: str) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / f"{stem}.shp", engine="pyogrio", encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, f"1/{part.name}")
    return buffer.getvalue()


def test_cuzk_shapefile_in_sjtsk_is_reprojected_to_wgs84(isolated, mirror_dir, tmp_path):
    okresy = gpd.read_file(mirror_dir / "boundaries-liberec" / "lk_okresy.geojson")
    in_sjtsk = okresy.to_crs("EPSG:5514").rename(columns={"KOD_OKRES": "KOD", "NAZ_LAU1": "NAZEV"})
    assert in_sjtsk.total_bounds[0] < -600000  # S-JTSK coordinates are negative metres
    raw = _shapefile_zip(in_sjtsk[["KOD", "NAZEV", "geometry"]], tmp_path, "OKRESY_P")

    frame = geo.read_shp_zip(raw, _ctx(_spec("shp_zip", "KOD", "csu_okres", "NAZEV", layer="OKRESY_P")))

    assert frame.crs.to_epsg() == 4326
    assert sorted(frame.geo_code) == ["CZ0511", "CZ0512", "CZ0513", "CZ0514"]
    liberec = frame.set_index("geo_code").loc["CZ0513"]
    assert 14.9 < liberec.geometry.centroid.x < 15.2 and 50.7 < liberec.geometry.centroid.y < 50.95
    area_km2 = frame.to_crs("EPSG:5514").area.sum() / 1e6
    assert 3100 < area_km2 < 3230  # Liberecký kraj ≈ 3 163 km²


def test_truncated_shapefile_zip_is_named(isolated):
    with pytest.raises(ReadError, match="není platný ZIP"):
        geo.read_shp_zip(b"PK\x03\x04broken", _ctx(_spec("shp_zip", "KOD", "csu_okres")))


def test_topojson_kraje_decode_with_codes(isolated, mirror_dir):
    raw = (mirror_dir / "powerbi-cesko-topojson" / "kraje.json").read_bytes()
    frame = geo.read_topojson(raw, _ctx(_spec("topojson", "KOD_KRAJ", "csu_kraj", layer="kraje")))
    assert len(frame) == 14
    assert frame.is_valid.all()
    liberecky = frame.set_index("geo_code").loc["CZ051"]
    assert liberecky["name"] == "Liberecký kraj"
    assert 14.5 < liberecky.geometry.centroid.x < 15.5


def test_official_shapefile_layout_with_its_own_mapping_and_simplification(isolated, mirror_dir, tmp_path):
    """ČÚZK's state pack (VUSC_P.shp, RÚIAN codes in KOD, CP1250) read through the origin's own mapping."""
    from datalk.sources.spec import Origin

    kraje = gpd.read_file(mirror_dir / "boundaries-cr" / "kraje_cr_generalized.geojson")
    ruian = {"CZ051": 78, "CZ052": 86}
    pack = kraje[kraje.KOD_CZNUTS3.isin(ruian)].to_crs("EPSG:5514")
    pack = pack.assign(KOD=pack.KOD_CZNUTS3.map(ruian), NAZEV=pack.NAZ_CZNUTS3)[["KOD", "NAZEV", "geometry"]]
    folder = tmp_path / "shp"
    folder.mkdir()
    pack.to_file(folder / "VUSC_P.shp", engine="pyogrio", encoding="cp1250")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, f"1/{part.name}")
    spec = _spec("geojson", "KOD_KRAJ", "csu_kraj").model_copy(update={"origin": Origin(
        kind="url", url="https://services.cuzk.gov.cz/shp/stat/epsg-5514/1.zip", format="shp_zip",
        read={"layer": "VUSC_P", "encoding": "cp1250", "simplify": 200},
        features=FeatureMapping(code="KOD", code_list="ruian_vusc", name="NAZEV"))})
    ctx = ReadContext(spec=spec, options=spec.read_for("origin"), geography=sources.geography, place="origin")
    frame = geo.read_shp_zip(buffer.getvalue(), ctx)
    assert sorted(frame.geo_code) == ["CZ051", "CZ052"]
    assert set(frame["name"]) == {"Liberecký kraj", "Královéhradecký kraj"}  # diacritics survive CP1250
    assert frame.crs.to_epsg() == 4326
