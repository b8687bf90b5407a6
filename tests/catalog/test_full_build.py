"""`datalk catalog build` on the real mirror data: every record valid, every URL a file, ≥ 30 datasets."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tests.catalog.conftest import BASE
from tests.conftest import REPO, datalk_env

pytestmark = pytest.mark.slow

EXAMPLES = REPO.parent / "shared" / "data" / "lkod-examples"


@pytest.fixture(scope="module")
def built(warm_cache, mirror_dir, tmp_path_factory):
    """One full build from the warm mirror cache, shared by the read-only tests of this module."""
    from datalk.catalog import build

    with datalk_env(warm_cache, mirror_dir):
        out = tmp_path_factory.mktemp("opendata") / "opendata"
        yield build(out, base_url=BASE)


def _records(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "datove-sady").glob("*.jsonld"))}


def _local(url: str, out: Path) -> Path:
    assert url.startswith(BASE), url
    return out / url[len(BASE):].split("#")[0]


def test_catalogue_and_every_record_validate_against_the_official_schemas(built, specs_dir):
    from datalk.catalog import validate_output

    assert len(built.datasets) >= 30
    checked, problems = validate_output(built.out_dir, specs_dir)
    assert problems == []
    assert checked == len(built.datasets) + 1
    catalogue = json.loads((built.out_dir / "katalog.jsonld").read_text(encoding="utf-8"))
    assert len(catalogue["datová_sada"]) == len(built.datasets) == len(_records(built.out_dir))


def test_every_iri_and_download_url_maps_to_a_file(built):
    out = built.out_dir
    catalogue = json.loads((out / "katalog.jsonld").read_text(encoding="utf-8"))
    assert _local(catalogue["iri"], out).is_file()
    assert (_local(catalogue["domovská_stránka"], out) / "index.html").is_file()
    urls = 0
    for iri in catalogue["datová_sada"]:
        path = _local(iri, out)
        assert path.is_file(), iri
        record = json.loads(path.read_text(encoding="utf-8"))
        assert record["iri"] == iri
        for distribution in record["distribuce"]:
            assert distribution["iri"].startswith(iri + "#")
            for key in ("soubor_ke_stažení", "přístupové_url", "schéma"):
                if key in distribution:
                    target = _local(distribution[key], out)
                    assert target.is_file() and target.stat().st_size > 0, distribution[key]
                    urls += 1
    assert urls >= 3 * len(built.datasets)


def test_which_sources_are_published(built):
    from datalk.catalog.build import load_topics
    from datalk.sources import all_sources, cache

    published = {d.id for d in built.datasets}
    specs = all_sources()
    refused = {s.spec.id for s in built.not_republished}
    for spec in specs.values():
        if not spec.licence.republish:
            assert spec.id not in published
            assert not list((built.out_dir / "data").glob(f"{spec.id}.*")), spec.id
            if spec.role == "data":
                assert spec.id in refused
    cached = {i for i in specs if cache.load_tidy(i) is not None}
    data_sources = {s.id for s in specs.values() if s.role == "data" and s.output in ("observations", "features")
                    and s.licence.republish}
    topics, _ = load_topics()
    used = {i for t in topics for i in t.sources if i in specs and specs[i].licence.republish}
    assert (data_sources | used) & cached == published
    assert {s.spec.id for s in built.unavailable} == (data_sources | used) - cached


def test_structure_matches_the_real_lkod_catalogues(built):
    """Same key structure as the real LKOD catalogues (ČSÚ and the national template)."""
    ours_catalogue = json.loads((built.out_dir / "katalog.jsonld").read_text(encoding="utf-8"))
    records = _records(built.out_dir)
    for example in ("czso-lkod-min", "datagov-lkod-min"):
        catalogue = json.loads((EXAMPLES / example / "katalog.jsonld").read_text(encoding="utf-8"))
        assert set(catalogue) <= set(ours_catalogue), example
        assert set(catalogue["kontaktní_bod"]) == set(ours_catalogue["kontaktní_bod"])
        for path in (EXAMPLES / example / "datové-sady").glob("*.jsonld"):
            theirs = json.loads(path.read_text(encoding="utf-8"))
            # optional keys they fill with empty lists or that need a thesaurus we do not use
            expected = set(theirs) - {"prostorové_pokrytí", "koncept_euroVoc", "specifikace", "časové_rozlišení",
                                      "geografické_území", "časové_pokrytí"}
            their_csv = next(d for d in theirs["distribuce"] if d["formát"].endswith("/CSV"))
            for dataset_id, record in records.items():
                assert expected <= set(record), (example, path.name, dataset_id, expected - set(record))
                ours_csv = next(d for d in record["distribuce"] if d["formát"].endswith("/CSV"))
                assert set(their_csv) <= set(ours_csv), (path.name, dataset_id)
                assert set(their_csv["podmínky_užití"]) <= set(ours_csv["podmínky_užití"])
                assert ours_csv["typ_média"] == their_csv["typ_média"]
                assert ours_csv["formát"] == their_csv["formát"]


def test_records_say_what_the_issue_asks(built):
    records = _records(built.out_dir)
    by_id = {d.id: d for d in built.datasets}
    for dataset_id, record in records.items():
        assert record["poskytovatel"] == "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/70891508"
        assert record["název"]["cs"] and record["popis"]["cs"] and record["klíčové_slovo"]["cs"]
        assert by_id[dataset_id].spec.publisher in record["popis"]["cs"]  # the original publisher is credited
        assert "https://linked.cuzk.cz/resource/ruian/vusc/78" in record["prvek_rúian"]
        assert record["kontaktní_bod"]["e-mail"].startswith("mailto:")
        for distribution in record["distribuce"]:
            assert set(distribution["podmínky_užití"]) >= {
                "autorské_dílo", "databáze_jako_autorské_dílo", "databáze_chráněná_zvláštními_právy", "osobní_údaje"}
        topics = by_id[dataset_id].topics
        if topics:
            assert record["dokumentace"] == f"https://data.example.cz/tema/{topics[0].id}"
    wages = records["csu_mzdy_kraje"]
    assert wages["časové_pokrytí"] == {"typ": "Časový interval", "začátek": "2011-01-01", "konec": "2024-12-31"}
    assert "https://linked.cuzk.cz/resource/ruian/stat/1" in wages["prvek_rúian"]  # all kraje: national coverage
    assert wages["distribuce"][0]["podmínky_užití"]["autor"] == {"cs": "Český statistický úřad"}
    stations = records["lk_pozarni_stanice"]
    assert stations["prvek_rúian"] == ["https://linked.cuzk.cz/resource/ruian/vusc/78"]
    assert any(d["formát"].endswith("/GEOJSON") for d in stations["distribuce"])


def test_csv_files_are_the_tidy_tables(built):
    from datalk.sources import cache

    out = built.out_dir
    for entry in built.datasets:
        csv_path = out / "data" / f"{entry.id}.csv"
        header = csv_path.open(encoding="utf-8").readline().rstrip("\n").split(",")
        metadata = json.loads((out / "data" / f"{entry.id}.csv-metadata.json").read_text(encoding="utf-8"))
        assert [c["name"] for c in metadata["tableSchema"]["columns"]] == header, entry.id
        assert metadata["url"] == csv_path.name
    for source_id in ("csu_mzdy_kraje", "csu_pocet_obyvatel_obce_2019", "csu_datastat_wres0bt1"):
        tidy = cache.load_tidy(source_id)
        table = pd.read_csv(out / "data" / f"{source_id}.csv", dtype=str, keep_default_na=False)
        assert len(table) == len(tidy)
        assert list(table.columns[:6]) == ["geo_code", "geo_name", "geo_level", "period", "indicator", "value"]
        assert (table["geo_code"] == tidy["geo_code"].astype(str).to_numpy()).all()
        published = pd.to_numeric(table["value"].replace("", None)).astype("float64")
        pd.testing.assert_series_equal(published, tidy["value"].astype("float64").reset_index(drop=True),
                                       check_names=False, rtol=1e-12)
    liberec = table.query("geo_code == 'CZ051'")
    assert set(liberec.geo_name) == {"Liberecký kraj"}


def test_spatial_data_have_geojson(built):
    out = built.out_dir
    for source_id in ("lk_pozarni_stanice", "lk_hasicske_zbrojnice"):
        document = json.loads((out / "data" / f"{source_id}.geojson").read_text(encoding="utf-8"))
        assert document["type"] == "FeatureCollection" and document["features"]
        for feature in document["features"]:
            lon, lat = feature["geometry"]["coordinates"]
            assert 14.3 < lon < 15.8 and 50.4 < lat < 51.1


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.rows, self.hidden_rows, self.labels, self.lang = [], [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag == "tr" and "data-hledat" in attrs:
            self.rows.append(attrs.get("id"))
            if "hidden" in attrs:
                self.hidden_rows.append(attrs.get("id"))
        if tag == "label":
            self.labels.append(attrs.get("for"))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_open_data_page_lists_everything_and_works_without_script(built):
    out = built.out_dir
    page = _parse(out / "index.html")
    assert page.lang == "cs"
    assert sorted(page.rows) == sorted(d.id for d in built.datasets)
    assert page.hidden_rows == []  # without JavaScript every dataset is visible
    assert "hledat" in page.labels  # the search box has a label
    local = [link for link in page.links if not link.startswith(("http://", "https://", "mailto:", "#"))]
    for link in local:
        assert (out / link.split("#")[0]).is_file(), link
    for entry in built.datasets:
        assert f"data/{entry.id}.csv" in local and f"datove-sady/{entry.id}.jsonld" in local
        detail = _parse(out / "datove-sady" / f"{entry.id}.html")
        assert detail.lang == "cs"
        for link in detail.links:
            if not link.startswith(("http://", "https://", "mailto:", "#")):
                assert (out / "datove-sady" / link).resolve().is_file(), (entry.id, link)
    html = (out / "index.html").read_text(encoding="utf-8")
    for skipped in built.not_republished:
        assert skipped.spec.landing_page in html and skipped.spec.title in html


def test_fast_iri_check_agrees_with_jsonschema_on_built_iris(built):
    from jsonschema._format import is_iri as official

    from datalk.catalog.validate import is_iri

    records = _records(built.out_dir)
    sample = {}
    for dataset_id in ("csu_mzdy_kraje", "lk_pozarni_stanice"):
        record = records[dataset_id]
        for value in (record["iri"], record["dokumentace"], record["kontaktní_bod"]["e-mail"],
                      *record["prvek_rúian"], *record["téma"], record["distribuce"][0]["iri"],
                      record["distribuce"][0]["soubor_ke_stažení"], record["distribuce"][0]["schéma"],
                      *record["distribuce"][0]["podmínky_užití"].values()):
            if isinstance(value, str) and value.startswith(("http", "mailto:")):
                sample[value] = None
    for value in sample:
        assert is_iri(value) == official(value), value
