"""R ``.rds`` files (RCzechia's sf layers) read without R: the online path of the territory code list."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdata

from datalk import sources
from datalk.errors import ReadError
from datalk.sources import registry
from datalk.sources.fetch import read_bytes
from datalk.sources.readers import READERS, rds
from datalk.sources.spec import load_spec
from datalk.sources.territories import build_territories
from tests.support.project import REPO, repo_spec, serve_source, write_spec
from tests.support.rds import write_sf_points, write_sf_polygons
from tests.unit.sources import minigeo

HIERARCHY = REPO / "data_sources" / "cz_uzemi_hierarchie.yaml"
COLUMNS = ["KOD_OBEC", "NAZ_OBEC", "KOD_POU", "NAZ_POU", "KOD_ORP", "NAZ_ORP", "KOD_OKRES", "KOD_LAU1",
           "NAZ_LAU1", "KOD_KRAJ", "KOD_CZNUTS3", "NAZ_CZNUTS3"]
ROWS = [
    ["563889", "Liberec", "5105", "Liberec", "5105", "Liberec", "3505", "CZ0513", "Liberec", "3051", "CZ051",
     "Liberecký kraj"],
    ["563510", "Jablonec nad Nisou", "5102", "Jablonec nad Nisou", "5102", "Jablonec nad Nisou", "3504",
     "CZ0512", "Jablonec nad Nisou", "3051", "CZ051", "Liberecký kraj"],
    ["574121", "Náchod", "5209", "Náchod", "5209", "Náchod", "3605", "CZ0523", "Náchod", "3042", "CZ052",
     "Královéhradecký kraj"],
]
LON_LAT = [(15.056343, 50.767208), (15.168881, 50.724187), (16.163261, 50.416854)]


def obce() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=COLUMNS, dtype="string")


def ctx():
    spec = load_spec(HIERARCHY)
    from datalk.sources.readers.base import ReadContext

    return ReadContext(spec=spec, options=spec.read_for("origin"), geography=minigeo.geography)


def test_registered_and_chosen_for_the_hierarchy_online_only():
    assert READERS["rds"] is rds.read
    spec = load_spec(HIERARCHY)
    assert spec.format_for("origin") == "rds"
    assert spec.format_for("mirror") == "table"  # the mirror keeps its CSV
    assert spec.origin.url.endswith(".rds")


def test_sf_points_become_the_code_list_with_lon_lat(tmp_path):
    lon, lat = zip(*LON_LAT, strict=True)
    path = write_sf_points(tmp_path / "ObceB.rds", obce(), lon, lat)
    frame = rds.read(path.read_bytes(), ctx())
    assert list(frame.columns) == [*COLUMNS, "lon", "lat"]
    assert frame.KOD_OBEC.tolist() == ["563889", "563510", "574121"]
    assert frame.NAZ_OBEC.iloc[2] == "Náchod"  # UTF-8 diacritics survive
    assert frame.lon.dtype == "float64"
    assert frame.loc[0, ["lon", "lat"]].tolist() == [15.056343, 50.767208]
    # the table is what the geography is built from
    territories = build_territories(frame, None)
    liberec = territories.set_index("code").loc["563889"]
    assert (liberec.level, liberec.orp, liberec.okres, liberec.kraj) == ("obec", "5105", "CZ0513", "CZ051")
    assert {"CZ051", "CZ052", "CZ0513", "5102"} <= set(territories.code)


def test_projected_points_are_reprojected_to_wgs84(tmp_path):
    from pyproj import Transformer

    to_sjtsk = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True)
    x, y = to_sjtsk.transform(*zip(*LON_LAT, strict=True))
    path = write_sf_points(tmp_path / "sjtsk.rds", obce(), x, y, crs="EPSG:5514", compression="gzip")
    frame = rds.read(path.read_bytes(), ctx())
    assert np.allclose(frame[["lon", "lat"]].to_numpy(), np.array(LON_LAT), atol=1e-5)


def test_plain_data_frame_with_numeric_codes_keeps_codes_as_text(tmp_path):
    frame = pd.DataFrame({"KOD_OBEC": pd.array([563889, 563510], dtype="Int32"),
                          "KOD_ORP": [5105.0, np.nan], "PODIL": [0.25, 1.5],
                          "NAZEV": pd.array(["Liberec", None], dtype="string[python]")})
    path = tmp_path / "plain.rds"
    rdata.write_rds(path, frame)
    out = rds.read_frame(path.read_bytes(), "test")
    assert out.KOD_OBEC.tolist() == ["563889", "563510"]
    assert out.KOD_ORP.tolist() == ["5105", ""]  # R doubles that are whole numbers are codes
    assert out.PODIL.tolist() == ["0.25", "1.5"]
    assert out.NAZEV.tolist() == ["Liberec", ""]
    assert "lon" not in out


def test_polygons_are_dropped_and_the_schema_names_what_is_missing(tmp_path):
    path = write_sf_polygons(tmp_path / "ObceP.rds", obce())
    out = rds.read_frame(path.read_bytes(), "test")
    assert list(out.columns) == COLUMNS  # no geometry column, no invented points
    with pytest.raises(ReadError, match=r"chybí sloupce \['lon', 'lat'\]"):
        rds.read(path.read_bytes(), ctx())


@pytest.mark.parametrize("raw, problem", [
    (b"", "prázdný"),
    (b"<!DOCTYPE html><html><body>404</body></html>", "HTML"),
    (b"KOD_OBEC,NAZ_OBEC\n563889,Liberec\n", "nelze číst jako RDS"),
])
def test_broken_input_is_a_read_error_naming_the_source(raw, problem):
    with pytest.raises(ReadError, match=problem) as info:
        rds.read(raw, ctx())
    assert info.value.source_id == "cz_uzemi_hierarchie"


def test_truncated_file_is_a_read_error(tmp_path):
    lon, lat = zip(*LON_LAT, strict=True)
    raw = write_sf_points(tmp_path / "ObceB.rds", obce(), lon, lat, compression=None).read_bytes()
    with pytest.raises(ReadError, match="RDS"):
        rds.read(raw[: len(raw) // 2], ctx())


def test_a_list_is_not_a_table(tmp_path):
    path = tmp_path / "list.rds"
    rdata.write_rds(path, {"a": np.array([1.0])})
    with pytest.raises(ReadError, match="neobsahuje tabulku"):
        rds.read_frame(path.read_bytes(), "test")


@pytest.mark.slow
def test_online_rds_gives_the_same_code_list_as_the_mirror(project, http_server, mirror_dir, tmp_path):
    """All 6 258 obce as an sf object served over HTTP: the table equals the mirror's CSV."""
    csv = pd.read_csv(mirror_dir / "boundaries-cr" / "obce_cr_hierarchie_2024-06.csv", dtype=str,
                      keep_default_na=False)
    frame = csv[COLUMNS].astype("string")
    path = write_sf_points(tmp_path / "ObceB-R-2024-06.rds", frame, csv.lon.astype(float), csv.lat.astype(float))
    serve_source(project, http_server, "cz_uzemi_hierarchie", path.read_bytes(), path.name, fmt="rds")
    spec = repo_spec("cz_uzemi_hierarchie")
    assert registry.get_source("cz_uzemi_hierarchie").format_for("origin") == "rds"
    [result] = sources.fetch(["cz_uzemi_hierarchie"])
    assert result.ok and result.rows == 6258, result.message
    online = sources.load("cz_uzemi_hierarchie")
    assert online[COLUMNS].astype(str).equals(csv[COLUMNS].astype(str))
    assert np.allclose(online.lon, csv.lon.astype(float)) and np.allclose(online.lat, csv.lat.astype(float))
    # and read_bytes on the mirror place still takes the CSV
    spec["mirror"] = {"path": "boundaries-cr/obce_cr_hierarchie_2024-06.csv"}
    write_spec(project, spec)
    mirror_frame = read_bytes(registry.get_source("cz_uzemi_hierarchie"),
                              (mirror_dir / spec["mirror"]["path"]).read_bytes(), "mirror", minigeo.geography)
    assert len(mirror_frame) == 6258
