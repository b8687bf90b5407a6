"""Build scratch projects whose sources point at the local recorded HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def repo_spec(source_id: str) -> dict:
    return yaml.safe_load((REPO / "data_sources" / f"{source_id}.yaml").read_text(encoding="utf-8"))


def write_spec(root: Path, spec: dict) -> Path:
    path = root / "data_sources" / f"{spec['id']}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    from datalk.sources import registry

    registry.clear_cache()
    return path


def serve_source(root: Path, server, source_id: str, body: bytes, file_name: str,
                 fmt: str | None = None, **route) -> str:
    """Declare a repository source in the scratch project, served by ``server`` as ``file_name``."""
    spec = repo_spec(source_id)
    mirror = spec.pop("mirror", None) or {}
    url = server.serve(f"/files/{source_id}/{file_name}", body, **route)
    spec["origin"] = {"kind": "url", "url": url}
    if fmt or mirror.get("format"):
        spec["origin"]["format"] = fmt or mirror["format"]
    if mirror.get("read"):
        spec["origin"]["read"] = mirror["read"]
    write_spec(root, spec)
    return url


def serve_csu_lkod(root: Path, server, source_id: str, body: bytes, file_name: str,
                   dataset_id: str, **route) -> str:
    """Serve a ČSÚ CSV behind an LKOD dataset record, as ČSÚ publishes it."""
    spec = repo_spec(source_id)
    spec.pop("mirror", None)
    csv_url = server.serve(f"/staticke/data/otevrena_data/{file_name}", body, content_type="text/csv", **route)
    record = lkod_record(dataset_id, csv_url)
    record_url = server.serve(f"/pll/eweb/lkod_ld.datova_sada?id={dataset_id}",
                              json.dumps(record, ensure_ascii=False).encode(), content_type="application/ld+json")
    spec["origin"] = {"kind": "csu_lkod", "url": record_url}
    write_spec(root, spec)
    return csv_url


def lkod_record(dataset_id: str, csv_url: str) -> dict:
    """A DCAT-AP-CZ dataset record in the shape ČSÚ's LKOD serves (JSON and CSV distributions)."""
    return {
        "@context": "https://ofn.gov.cz/rozhraní-katalogů-otevřených-dat/2021-01-11/kontexty/rozhraní-katalogů-otevřených-dat.jsonld",
        "iri": f"https://vdb.czso.cz/pll/eweb/lkod_ld.datova_sada?id={dataset_id}",
        "typ": "Datová sada",
        "distribuce": [
            {"typ": "Distribuce", "soubor_ke_stažení": csv_url.replace(".csv", "-metadata.json"),
             "formát": "http://publications.europa.eu/resource/authority/file-type/JSON",
             "typ_média": "http://www.iana.org/assignments/media-types/application/json"},
            {"typ": "Distribuce", "soubor_ke_stažení": csv_url,
             "formát": "http://publications.europa.eu/resource/authority/file-type/CSV",
             "typ_média": "http://www.iana.org/assignments/media-types/text/csv"},
        ],
    }


def serve_geography(root: Path, server, mirror_dir: Path) -> None:
    """The two code-list sources every project needs, served from the mirror's real files."""
    hierarchy = mirror_dir / "boundaries-cr" / "obce_cr_hierarchie_2024-06.csv"
    orp = mirror_dir / "czso-ciselniky" / "ORP20240819.csv"
    serve_source(root, server, "cz_uzemi_hierarchie", hierarchy.read_bytes(), hierarchy.name)
    serve_source(root, server, "cz_orp_ruian", orp.read_bytes(), orp.name)
