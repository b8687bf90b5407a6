"""Fetching over real HTTP: LKOD resolution, conditional requests, retries, JSON-stat."""

from __future__ import annotations

import json

import pandas as pd

from datalk import sources
from datalk.sources import cache
from tests.support.project import serve_csu_lkod, serve_geography, serve_source

WAGES = "czso-mzdy-kraje-2011-2024/110080_prumerna_hruba_mzda_kraje_2011-2024.csv"


def test_csu_file_url_is_resolved_through_the_lkod_record(project, http_server, mirror_dir):
    serve_geography(project, http_server, mirror_dir)
    csv_url = serve_csu_lkod(project, http_server, "csu_mzdy_kraje", (mirror_dir / WAGES).read_bytes(),
                             "110080-25data052825.csv", "110080")
    [result] = [r for r in sources.fetch(["csu_mzdy_kraje"])]
    assert result.ok, result.message
    lock = cache.read_lock("csu_mzdy_kraje")
    assert lock.url == csv_url  # the UUID/edition URL came from the catalogue, not from our YAML
    wages = sources.load("csu_mzdy_kraje")
    liberec_2024 = wages.query("geo_code == 'CZ051' and period == '2024' and pohlavi == '' and spkvantil == ''")
    assert len(liberec_2024) == 1
    assert 40000 < liberec_2024.value.iloc[0] < 50000


def test_unchanged_file_is_revalidated_with_etag(project, http_server, mirror_dir):
    serve_geography(project, http_server, mirror_dir)
    url = serve_csu_lkod(project, http_server, "csu_mzdy_kraje", (mirror_dir / WAGES).read_bytes(),
                         "110080.csv", "110080")
    assert sources.fetch(["csu_mzdy_kraje"])[0].status == "fetched"
    second = sources.fetch(["csu_mzdy_kraje"])[0]
    assert second.status == "unchanged"
    route = http_server.routes[url.split(str(http_server.port))[1]]
    assert route.conditional_hits == 1  # the server answered 304, no body transferred


def test_transient_server_errors_are_retried(project, http_server, mirror_dir):
    serve_geography(project, http_server, mirror_dir)
    serve_source(project, http_server, "csu_mzdy_kraje", (mirror_dir / WAGES).read_bytes(), "w.csv",
                 fail_first=2)
    result = sources.fetch(["csu_mzdy_kraje"])[-1]
    assert result.ok, result.message
    assert http_server.routes["/files/csu_mzdy_kraje/w.csv"].hits == 3


def test_datastat_api_json_stat_reads_like_the_mirror_table(project, http_server, mirror_dir):
    """The API's JSON-stat and the mirror's flattened CSV give the same tidy table."""
    flat = pd.read_csv(mirror_dir / "czso-datastat-vybery-kraje" / "NEZ01T1.csv", dtype=str)
    serve_geography(project, http_server, mirror_dir)
    serve_source(project, http_server, "csu_datastat_nez01t1", _to_jsonstat(flat), "NEZ01T1.json",
                 fmt="datastat_jsonstat")
    assert sources.fetch(["csu_datastat_nez01t1"])[-1].ok
    online = sources.load("csu_datastat_nez01t1")
    liberec = online.query("geo_code == 'CZ051' and indicator == 'Podíl nezaměstnaných osob - celkem (%)'")
    assert round(liberec.value.iloc[0], 3) == 3.926
    assert set(online.geo_level) == {"stat", "kraj", "okres"}
    assert len(online) == len(flat)


def _to_jsonstat(flat: pd.DataFrame) -> bytes:
    """Write a label table as JSON-stat 2.0 the way the DataStat API answers (ids ≠ labels)."""
    dims = [c for c in flat.columns if c != "value"]
    ids = [f"DIM{i}" for i in range(len(dims))]
    # Prague is listed as kraj and as okres under one label: two categories, one label.
    flat = flat.copy()
    territory = "ČR, kraje, okresy"
    occurrence = flat.groupby(dims, sort=False).cumcount()
    flat[territory] = flat[territory] + "#" + occurrence.astype(str)
    categories = {d: list(dict.fromkeys(flat[d])) for d in dims}
    index = pd.MultiIndex.from_product([categories[d] for d in dims])
    values = flat.set_index(dims)["value"].reindex(index)
    doc = {
        "version": "2.0", "class": "dataset", "label": "NEZ01T1", "id": ids,
        "size": [len(categories[d]) for d in dims],
        "dimension": {
            dim_id: {"label": d, "category": {
                "index": {f"K{j}": j for j in range(len(categories[d]))},
                "label": {f"K{j}": label.split("#")[0] for j, label in enumerate(categories[d])}}}
            for dim_id, d in zip(ids, dims, strict=True)
        },
        "value": [None if pd.isna(v) else float(v) for v in values],
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def test_changed_yaml_mapping_rereads_unchanged_bytes(project, http_server, mirror_dir):
    """Editing a source's YAML must take effect even when the publisher's file did not change."""
    from tests.support.project import repo_spec, write_spec

    serve_geography(project, http_server, mirror_dir)
    serve_source(project, http_server, "csu_mzdy_kraje", (mirror_dir / WAGES).read_bytes(), "w.csv")
    assert sources.fetch(["csu_mzdy_kraje"])[-1].status == "fetched"
    spec = repo_spec("csu_mzdy_kraje")
    spec.pop("mirror")
    spec["origin"] = {"kind": "url", "url": http_server.url("/files/csu_mzdy_kraje/w.csv")}
    spec["guardrails"]["required_periods"] = ["2011"]
    write_spec(project, spec)
    again = sources.fetch(["csu_mzdy_kraje"])[-1]
    assert again.status == "fetched", again
