"""A corpus of broken inputs: each fails clearly, names the source, and loses no good data.

Every case first fetches the real file successfully, then the server starts
answering with the broken variant. The fetch must fail with a message that says
what is wrong, the cached raw file, tidy table and lock must stay byte-identical,
and another source fetched in the same run must still succeed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from datalk import sources
from datalk.sources import cache
from tests.support.project import lkod_record, serve_csu_lkod, serve_geography, serve_source

WAGES_FILE = "czso-mzdy-kraje-2011-2024/110080_prumerna_hruba_mzda_kraje_2011-2024.csv"
NEZ_FILE = "czso-datastat-vybery-kraje/NEZ01T1.csv"


def _cut(body: bytes, fraction: float) -> bytes:
    return body[: int(len(body) * fraction)]


def _replace_header(old: str, new: str):
    def change(body: bytes) -> bytes:
        lines = body.decode("utf-8").split("\n")
        lines[0] = lines[0].replace(old, new)
        return "\n".join(lines).encode("utf-8")
    return change


def _drop_rows_with(text: str):
    def change(body: bytes) -> bytes:
        lines = body.decode("utf-8").split("\n")
        return "\n".join([lines[0]] + [line for line in lines[1:] if text not in line]).encode()
    return change


@dataclass
class Case:
    name: str
    source: str  # 'wages' (ČSÚ CSV via a plain URL), 'nez' (DataStat JSON-stat) or 'lkod'
    expect: str  # fragment of the error message a user reads
    body: object = None  # callable(good_bytes) -> bytes, or bytes
    route: dict = field(default_factory=dict)


CASES = [
    Case("truncated download", "wages", "useknutý", lambda b: _cut(b, 0.6)),
    Case("HTML error page with status 200", "wages", "HTML", b"<!DOCTYPE html><html><body>Chyba 500</body></html>"),
    Case("value column renamed", "wages", "chybí sloupce ['hodnota']", _replace_header("hodnota", "value")),
    Case("territory columns missing", "wages", "chybí sloupce", _replace_header("uzemi_cis", "uzemi_ciselnik")),
    Case("wrong encoding (UTF-16)", "wages", "kódování", lambda b: b.decode("utf-8").encode("utf-16")),
    Case("empty file", "wages", "prázdný", b""),
    Case("too few rows", "wages", "řádků, očekáváno", lambda b: b"\n".join(b.split(b"\n")[:40]) + b"\n"),
    Case("required period missing", "wages", "chybí období ['2024']", _drop_rows_with(",2024,")),
    Case("unknown territory code", "wages", "neznámé kódy území", lambda b: b.replace(b",100,3077,", b",100,9999,")),
    Case("server error 500", "wages", "HTTP 500", None, {"status": 500}),
    Case("not found 404", "wages", "HTTP 404", None, {"status": 404}),
    Case("server does not answer in time", "wages", "neodpověděl", None, {"delay": 2.5}),
    Case("transfer cut short", "wages", "přenos přerušen", None, {"declared_length": 10_000_000}),
    Case("truncated JSON-stat", "nez", "neplatný JSON", lambda b: _cut(b, 0.5)),
    Case("JSON that is not JSON-stat", "nez", "není JSON-stat", b'{"error": "selection not found"}'),
    Case("territory renamed by publisher", "nez", "nespárovaná území",
         lambda b: b.replace("Liberecký kraj".encode(), b"Liberecky region")),
    Case("catalogue record without CSV distribution", "lkod", "neobsahuje distribuci", None),
]


@pytest.fixture
def online(project, http_server, mirror_dir):
    serve_geography(project, http_server, mirror_dir)
    wages = (mirror_dir / WAGES_FILE).read_bytes()
    serve_source(project, http_server, "csu_mzdy_kraje", wages, "110080.csv")
    import pandas as pd

    from tests.unit.sources.test_fetch_http import _to_jsonstat

    nez = _to_jsonstat(pd.read_csv(mirror_dir / NEZ_FILE, dtype=str))
    serve_source(project, http_server, "csu_datastat_nez01t1", nez, "NEZ01T1.json", fmt="datastat_jsonstat")
    results = sources.fetch()
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    return {"wages": ("csu_mzdy_kraje", "/files/csu_mzdy_kraje/110080.csv", wages),
            "nez": ("csu_datastat_nez01t1", "/files/csu_datastat_nez01t1/NEZ01T1.json", nez)}


def _snapshot(source_id: str) -> tuple:
    lock = cache.read_lock(source_id)
    return (lock.sha256, cache.raw_path(source_id).read_bytes(), cache.tidy_path(source_id).read_bytes())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_input_fails_clearly_and_keeps_last_good_data(case, online, project, http_server, mirror_dir):
    if case.source == "lkod":
        source_id = "csu_mzdy_kraje"
        serve_csu_lkod(project, http_server, source_id, online["wages"][2], "x.csv", "110080")
        record = lkod_record("110080", http_server.url("/x.csv"))
        record["distribuce"] = record["distribuce"][:1]  # only the JSON metadata distribution
        http_server.routes["/pll/eweb/lkod_ld.datova_sada?id=110080"].body = json.dumps(record).encode()
    else:
        source_id, path, good = online[case.source]
        route = http_server.routes[path]
        if case.body is not None:
            route.body = case.body(good) if callable(case.body) else case.body
        for key, value in case.route.items():
            setattr(route, key, value)
    other = "csu_datastat_nez01t1" if source_id == "csu_mzdy_kraje" else "csu_mzdy_kraje"
    before = _snapshot(source_id)

    results = {r.source_id: r for r in sources.fetch([source_id, other], force=True)}

    failed = results[source_id]
    assert not failed.ok
    assert source_id in f"{failed.source_id}"
    assert case.expect in failed.message, failed.message
    assert "Poslední platná data zůstávají" in failed.message
    assert _snapshot(source_id) == before  # raw bytes, tidy table and lock untouched
    assert results[other].ok, results[other].message  # the other source still fetched
    assert len(sources.load(source_id)) > 1000  # and the portal still reads the good copy


def test_connection_refused_names_the_source(project, mirror_dir):
    from tests.support.project import repo_spec, write_spec

    spec = repo_spec("csu_mzdy_kraje")
    spec.pop("mirror")
    spec["origin"] = {"kind": "url", "url": "http://127.0.0.1:9/nothing.csv"}
    write_spec(project, spec)
    [result] = sources.fetch(["csu_mzdy_kraje"])
    assert not result.ok
    assert "nelze se připojit" in result.message


def test_missing_mirror_file_is_reported(isolated, monkeypatch, tmp_path):
    empty_mirror = tmp_path / "mirror"
    empty_mirror.mkdir()
    monkeypatch.setenv("DATALK_MIRROR", str(empty_mirror))
    from tests.conftest import reset_settings

    reset_settings()
    [result] = sources.fetch(["cz_orp_ruian"])
    assert not result.ok
    assert "soubor zrcadla nenalezen" in result.message
    assert "ORP20240819.csv" in result.message
