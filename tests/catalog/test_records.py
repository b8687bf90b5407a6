"""Record building blocks on small inputs: terms of use, themes, coverage, numbers, schema checks."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from datalk.catalog import vocab
from datalk.catalog.coverage import Spatial, period_bounds, spatial_coverage, temporal_coverage
from datalk.catalog.files import WrittenFile, plain_numbers
from datalk.catalog.records import DatasetRecordInput, Site, catalog_record, dataset_record
from datalk.catalog.validate import is_iri
from datalk.geography import Geography
from datalk.sources.spec import Licence
from tests.catalog.conftest import BASE

SITE = Site(BASE, "https://data.example.cz", "opendata@example.cz")


def licence(name: str, url: str | None = None) -> Licence:
    return Licence(name=name, url=url, attribution="Zdroj: X")


def test_cc_by_stays_cc_by_and_credits_the_publisher():
    terms = vocab.terms_for(licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
                            "Český statistický úřad")
    record = terms.as_record()
    assert record["autorské_dílo"] == record["databáze_jako_autorské_dílo"] == vocab.CC_BY_4
    assert record["databáze_chráněná_zvláštními_právy"] == vocab.CC_BY_4
    assert record["autor"] == record["autor_databáze"] == {"cs": "Český statistický úřad"}
    assert record["osobní_údaje"] == vocab.NO_PERSONAL_DATA


def test_cc0_and_publishers_own_terms():
    assert vocab.terms_for(licence("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"), "X") \
        .as_record()["autorské_dílo"] == vocab.CC0
    own = vocab.terms_for(licence("podmínky užití MF ČR (neuvedeno)", "https://mf.gov.cz/x"), "MF").as_record()
    assert own["autorské_dílo"] == vocab.NO_COPYRIGHT_WORK
    assert own["databáze_jako_autorské_dílo"] == vocab.NOT_COPYRIGHT_DATABASE
    assert own["databáze_chráněná_zvláštními_právy"] == vocab.NO_SUI_GENERIS
    assert "autor" not in own


def test_themes_from_keywords():
    assert vocab.themes_from_keywords("Naděje dožití v okresech", "zdraví") == ["HEAL"]
    assert "TRAN" in vocab.themes_from_keywords("Registrovaná vozidla podle druhu v obcích", "doprava")
    assert "JUST" in vocab.themes_from_keywords("Požární stanice HZS", "hasiči")
    assert vocab.themes_from_keywords("") == []


@pytest.mark.parametrize(("period", "bounds"), [
    ("2023", (date(2023, 1, 1), date(2023, 12, 31))),
    ("2019-2021", (date(2019, 1, 1), date(2021, 12, 31))),
    ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
    ("2001-Q4", (date(2001, 10, 1), date(2001, 12, 31))),
    ("2019-01-01", (date(2019, 1, 1), date(2019, 1, 1))),
    ("2018-07-01/2019-06-30", (date(2018, 7, 1), date(2019, 6, 30))),
    ("", None), ("letos", None), ("2023-13", None),
])
def test_period_bounds(period, bounds):
    assert period_bounds(period) == bounds


def test_temporal_coverage_and_resolution():
    years = temporal_coverage(["2005", "2024", "2010", None, ""])
    assert (years.start, years.end, years.resolution, years.label) == (
        date(2005, 1, 1), date(2024, 12, 31), "P1Y", "2005–2024")
    months = temporal_coverage(["2019-01", "2025-06"])
    assert months.resolution == "P1M" and months.label == "leden 2019 – červen 2025"
    assert temporal_coverage(["2018-07-01/2019-06-30"]).label == "červenec 2018 – červen 2019"
    assert temporal_coverage(["2001-Q1", "2025-Q3"]).label == "leden 2001 – září 2025"
    assert temporal_coverage(["2011-2015", "2014-2018"]).resolution == "P5Y"
    assert temporal_coverage(["2023", "2019-2021"]).resolution is None
    assert temporal_coverage(["", None]) is None
    assert temporal_coverage(["2019-01-01"]).label == "1. 1. 2019"


def _geography() -> Geography:
    rows = [
        ("CZ", "stat", "Česko", "", "", "", "CZ", "", "", "", None, None),
        ("CZ051", "kraj", "Liberecký kraj", "CZ051", "", "", "3077", "78", "", "", None, None),
        ("CZ052", "kraj", "Královéhradecký kraj", "CZ052", "", "", "3085", "86", "", "", None, None),
        ("CZ0513", "okres", "Liberec", "CZ051", "CZ0513", "", "40541", "3505", "", "", None, None),
        ("563889", "obec", "Liberec", "CZ051", "CZ0513", "5105", "563889", "563889", "", "", 15.05, 50.77),
    ]
    columns = ["code", "level", "name", "kraj", "okres", "orp", "csu_code", "ruian_code", "pou_code", "pou_name",
               "lon", "lat"]
    return Geography(pd.DataFrame(rows, columns=columns))


def test_spatial_coverage_region_only_or_national():
    geo = _geography()
    region = spatial_coverage(["563889", "CZ0513", "CZ051"], geo, "CZ051")
    assert region.regional and region.ruian == ["https://linked.cuzk.cz/resource/ruian/vusc/78"]
    assert region.areas == ["http://data.europa.eu/nuts/code/CZ051"]
    national = spatial_coverage(["CZ", "CZ051", "CZ052"], geo, "CZ051")
    assert not national.regional and vocab.RUIAN_STAT in national.ruian
    assert spatial_coverage(["999999"], geo, "CZ051").regional is False  # unknown code: not claimed regional


def test_plain_numbers_drop_trailing_zero_and_keep_precision():
    values = pd.Series([34403.0, 3.926, None, -2.0, 1e-05, 123456789012.0, float("nan")])
    assert plain_numbers(values).tolist() == ["34403", "3.926", "", "-2", "1e-05", "123456789012", ""]


def _record_input(**changes) -> DatasetRecordInput:
    data = DatasetRecordInput(
        id="pokus", title="Pokusná datová sada", description="Popis.", themes=["SOCI"], frequency="ANNUAL",
        keywords=["obyvatelstvo"],
        spatial=Spatial([vocab.RUIAN + "vusc/78"], [vocab.NUTS + "CZ051"], "Liberecký kraj", True),
        temporal=temporal_coverage(["2020", "2021"]), documentation="https://data.example.cz/tema/overview",
        terms=vocab.terms_for(licence("CC BY 4.0", vocab.CC_BY_4), "Český statistický úřad"),
        files=[WrittenFile(vocab.CSV, Path("data/pokus.csv"), 10),
               WrittenFile(vocab.XLSX, Path("data/pokus.xlsx"), 10)],
        schema="data/pokus.csv-metadata.json",
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_small_record_and_catalogue_validate(validator):
    record = dataset_record(SITE, _record_input())
    assert validator.dataset(record) == []
    assert record["časové_pokrytí"] == {"typ": "Časový interval", "začátek": "2020-01-01", "konec": "2021-12-31"}
    csv = record["distribuce"][0]
    assert csv["soubor_ke_stažení"] == BASE + "data/pokus.csv" == csv["přístupové_url"]
    assert csv["schéma"] == BASE + "data/pokus.csv-metadata.json"
    assert "schéma" not in record["distribuce"][1]
    catalogue = catalog_record(SITE, ["pokus"])
    assert validator.catalog(catalogue) == []
    assert catalogue["datová_sada"] == [BASE + "datove-sady/pokus.jsonld"]


def test_the_validator_really_rejects_broken_records(validator):
    """The schema check is not a rubber stamp: each of these breaks the official schema."""
    good = dataset_record(SITE, _record_input())
    broken = []
    for path, value in [
        (("téma",), ["http://example.org/téma"]),  # no EU data theme
        (("periodicita_aktualizace",), "ročně"),
        (("prvek_rúian",), ["http://linked.cuzk.cz/resource/ruian/vusc/78"]),  # http, not https
        (("distribuce", 0, "soubor_ke_stažení"), "http://data.example.cz/opendata/data/pokus.csv"),
        (("distribuce", 0, "podmínky_užití", "osobní_údaje"), "https://example.org/"),
        (("distribuce", 0, "typ_média"), "text/csv"),
        (("časové_pokrytí", "začátek"), "1. 1. 2020"),
        (("kontaktní_bod", "e-mail"), "opendata@example.cz"),
        (("distribuce", 0, "schéma"), "data pokus.json"),  # not an IRI
    ]:
        record = copy.deepcopy(good)
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        broken.append(bool(validator.dataset(record)))
    assert all(broken), broken
    missing = copy.deepcopy(good)
    del missing["klíčové_slovo"]
    assert validator.dataset(missing)
    catalogue = catalog_record(Site("http://data.example.cz/opendata/", "http://x", "a@b.cz"), ["pokus"])
    assert validator.catalog(catalogue)  # http dataset IRIs


IRIS = [
    "https://data.example.cz/opendata/datove-sady/x.jsonld#distribuce-csv", "mailto:opendata@example.cz",
    "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/70891508", "urn:isbn:0451450523",
    "https://x.cz/?q=ř&a=1#f/g?h", "https://x.cz/a b", "https://x.cz/a|b", "relative/path", "https://x.cz/%zz",
    "https://x.cz/a#b#c", "https://x.cz/<a>", "https://x.cz/{a}", "1http://x.cz", "https://x.cz/\ue000",
    "https://x.cz/?\ue000", "http://a:b@c:d/",
]


@pytest.mark.parametrize("iri", IRIS)
def test_fast_iri_check_agrees_with_jsonschema(iri):
    from jsonschema._format import is_iri as official

    assert is_iri(iri) == official(iri)
