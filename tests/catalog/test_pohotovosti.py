"""The pohotovosti dataset end to end: fixture over HTTP → features table → open now → catalogue."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from click.testing import CliRunner

from datalk import sources
from datalk.analysis import open_now
from datalk.catalog import build, validate_output
from tests.catalog.conftest import BASE


def test_fixture_reads_into_a_features_table(pohotovosti_project):
    places = sources.load("lk_pohotovosti")
    assert len(places) == 7
    assert set(places.geo_level) == {"obec"}
    assert {"563889", "561380", "563510", "577626", "577197"} == set(places.geo_code)
    assert {"name", "cilova_skupina", "hodiny_pondeli", "hodiny_nedele", "hodiny_svatek", "web", "telefon",
            "platnost", "obec", "ulice", "psc"} <= set(places.columns)
    assert places.crs.to_epsg() == 4326
    assert set(places.geometry.geom_type) == {"Point"}
    assert places.geometry.x.between(14.4, 15.6).all() and places.geometry.y.between(50.5, 50.9).all()
    assert set(places.cilova_skupina) == {"dospělí", "děti a dorost", "zubní"}


def test_open_now_on_the_fixture(pohotovosti_project):
    places = sources.load("lk_pohotovosti").set_index("name")

    def open_at(moment: datetime) -> set[str]:
        flags = open_now(places, moment)
        return set(places.index[flags.fillna(False).to_numpy()])

    # Friday 7 March 2025, 20:00: adult evening services; Česká Lípa's night service has started;
    # the children's service (16–20) has just closed
    friday = open_at(datetime(2025, 3, 7, 20, 0))
    assert friday == {
        "Lékařská pohotovostní služba pro dospělé Liberec",
        "Lékařská pohotovostní služba pro dospělé Jablonec nad Nisou",
        "Lékařská pohotovostní služba pro dospělé Jilemnice",
        "Lékařská pohotovostní služba pro dospělé Česká Lípa",
    }
    # Saturday 3:00: only the overnight service carrying over from Friday evening
    assert open_at(datetime(2025, 3, 8, 3, 0)) == {"Lékařská pohotovostní služba pro dospělé Česká Lípa"}
    # Saturday 13:30: Jablonec has a break (9–13, 14–18), dental is closed after noon
    saturday_noon = open_at(datetime(2025, 3, 8, 13, 30))
    assert "Lékařská pohotovostní služba pro dospělé Jablonec nad Nisou" not in saturday_noon
    assert "Zubní pohotovostní služba Liberec" not in saturday_noon
    assert "Lékařská pohotovostní služba pro děti a dorost Liberec" in saturday_noon
    # the cancelled Turnov service is never open
    assert not any("Turnov" in name for name in open_at(datetime(2025, 3, 8, 10, 0)))
    # Easter Monday 2025, 10:00: holiday hours (Jablonec states none → its Monday hours: closed at 10)
    easter_monday = open_at(datetime(2025, 4, 21, 10, 0))
    assert "Zubní pohotovostní služba Liberec" in easter_monday
    assert "Lékařská pohotovostní služba pro dospělé Jablonec nad Nisou" not in easter_monday


def test_pohotovosti_is_in_the_catalogue(pohotovosti_project, tmp_path, specs_dir):
    out = tmp_path / "opendata"
    result = build(out, base_url=BASE)
    assert [d.id for d in result.datasets] == ["lk_pohotovosti"]
    checked, problems = validate_output(out, specs_dir)
    assert checked == 2 and problems == []

    record = json.loads((out / "datove-sady" / "lk_pohotovosti.jsonld").read_text(encoding="utf-8"))
    assert record["iri"] == BASE + "datove-sady/lk_pohotovosti.jsonld"
    assert record["téma"] == ["http://publications.europa.eu/resource/authority/data-theme/HEAL"]
    assert record["prvek_rúian"] == ["https://linked.cuzk.cz/resource/ruian/vusc/78"]  # region only
    assert record["periodicita_aktualizace"].endswith("/frequency/IRREG")
    assert "časové_pokrytí" not in record  # the layer has no periods
    formats = {d["formát"].rsplit("/", 1)[1]: d for d in record["distribuce"]}
    assert set(formats) == {"CSV", "GEOJSON", "XLSX"}
    assert formats["GEOJSON"]["typ_média"] == "http://www.iana.org/assignments/media-types/application/geo+json"
    terms = formats["CSV"]["podmínky_užití"]
    assert terms["autorské_dílo"] == "https://data.gov.cz/podmínky-užití/neobsahuje-autorská-díla/"
    assert terms["osobní_údaje"] == "https://data.gov.cz/podmínky-užití/neobsahuje-osobní-údaje/"

    geojson = json.loads((out / "data" / "lk_pohotovosti.geojson").read_text(encoding="utf-8"))
    assert geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 7
    first = geojson["features"][0]
    assert first["geometry"]["type"] == "Point" and first["properties"]["geo_name"] == "Liberec"
    table = pd.read_csv(out / "data" / "lk_pohotovosti.csv", dtype=str, keep_default_na=False)
    assert {"lon", "lat", "hodiny_pondeli", "platnost"} <= set(table.columns) and len(table) == 7
    csvw = json.loads((out / "data" / "lk_pohotovosti.csv-metadata.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in csvw["tableSchema"]["columns"]] == list(table.columns)

    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Lékařská pohotovostní služba v Libereckém kraji" in page
    assert 'href="data/lk_pohotovosti.geojson"' in page


def test_stale_files_of_dropped_datasets_are_removed(pohotovosti_project, tmp_path):
    out = tmp_path / "opendata"
    (out / "data").mkdir(parents=True)
    stale = out / "data" / "zruseny_zdroj.csv"
    stale.write_text("x\n1\n", encoding="utf-8")
    foreign = out / "README.txt"  # outside the folders the build owns: kept
    foreign.write_text("ponechat", encoding="utf-8")
    build(out, base_url=BASE)
    assert not stale.exists() and foreign.exists()
    assert (out / "data" / "lk_pohotovosti.csv").exists()


def test_cli_builds_and_validates(pohotovosti_project, tmp_path, specs_dir):
    from datalk.cli import main

    out = tmp_path / "site"
    runner = CliRunner()
    ok = runner.invoke(main, ["catalog", "build", "--out", str(out), "--base-url", BASE, "--specs", str(specs_dir),
                              "--contact-email", "opendata@example.cz"])
    assert ok.exit_code == 0, ok.output
    assert "1 datových sad" in ok.output and "odpovídá oficiálním schématům" in ok.output
    record = json.loads((out / "datove-sady" / "lk_pohotovosti.jsonld").read_text(encoding="utf-8"))
    assert record["kontaktní_bod"]["e-mail"] == "mailto:opendata@example.cz"
    assert record["dokumentace"].startswith("https://")

    # without https the records break the official schema: the command says so and fails
    http = runner.invoke(main, ["catalog", "build", "--out", str(tmp_path / "http"), "--base-url",
                                "http://127.0.0.1:8866/opendata/", "--specs", str(specs_dir)])
    assert http.exit_code == 1
    assert "není https" in http.output and "chyb" in http.output
