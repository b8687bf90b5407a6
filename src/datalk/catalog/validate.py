"""Validate catalogue and dataset records against the official OFN JSON Schemas, offline.

The schemas ``$ref`` base data types at ``https://ofn.gov.cz/…``; a local copy of that site
(``../shared/specs/ofn``, laid out exactly as under https://ofn.gov.cz/) resolves them without
network. ``jsonschema`` is imported lazily: importing it (IRI format checks) is slow.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from datalk.errors import DatalkError
from datalk.settings import get_settings

OFN_PREFIX = "https://ofn.gov.cz/"
STANDARD_DIR = "dcat-ap-cz-rozhraní-katalogů-otevřených-dat/2024-05-28"
CATALOG_SCHEMA = f"{OFN_PREFIX}{STANDARD_DIR}/schémata/katalog.json"
DATASET_SCHEMA = f"{OFN_PREFIX}{STANDARD_DIR}/schémata/datová-sada.json"


# --- IRI syntax (RFC 3987), as a regular expression --------------------------------------------
# jsonschema checks the "iri" format with an Earley parser (rfc3987-syntax) that needs ~0.5 s per
# IRI on a small machine; a catalogue has thousands. This is the same ABNF (RFC 3987 §2.2) as a
# regular expression; tests compare both on the IRIs of a real build.
_UCSCHAR = ("\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
            "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd\U00040000-\U0004fffd"
            "\U00050000-\U0005fffd\U00060000-\U0006fffd\U00070000-\U0007fffd\U00080000-\U0008fffd"
            "\U00090000-\U0009fffd\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
            "\U000d0000-\U000dfffd\U000e1000-\U000efffd")
_IPRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_IUNRESERVED = f"A-Za-z0-9\\-._~{_UCSCHAR}"
_SUB_DELIMS = "!$&'()*+,;="
_PCT = "%[0-9A-Fa-f]{2}"
_IPCHAR = f"(?:[{_IUNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_ISEGMENT = f"{_IPCHAR}*"
_ISEGMENT_NZ = f"{_IPCHAR}+"
_DEC_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = f"{_DEC_OCTET}(?:\\.{_DEC_OCTET}){{3}}"
_H16 = "[0-9A-Fa-f]{1,4}"
_LS32 = f"(?:{_H16}:{_H16}|{_IPV4})"
_IPV6 = ("(?:"
         f"(?:{_H16}:){{6}}{_LS32}"
         f"|::(?:{_H16}:){{5}}{_LS32}"
         f"|(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}"
         f"|(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}"
         f"|(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}"
         f"|(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}"
         f"|(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}"
         f"|(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}"
         f"|(?:(?:{_H16}:){{0,6}}{_H16})?::"
         ")")
_IPVFUTURE = f"v[0-9A-Fa-f]+\\.[A-Za-z0-9\\-._~{_SUB_DELIMS}:]+"
_IP_LITERAL = f"\\[(?:{_IPV6}|{_IPVFUTURE})\\]"
_IREG_NAME = f"(?:[{_IUNRESERVED}{_SUB_DELIMS}]|{_PCT})*"
_IUSERINFO = f"(?:[{_IUNRESERVED}{_SUB_DELIMS}:]|{_PCT})*"
_IAUTHORITY = f"(?:{_IUSERINFO}@)?(?:{_IP_LITERAL}|{_IPV4}|{_IREG_NAME})(?::[0-9]*)?"
_IHIER_PART = (f"(?://{_IAUTHORITY}(?:/{_ISEGMENT})*"
               f"|/(?:{_ISEGMENT_NZ}(?:/{_ISEGMENT})*)?"
               f"|{_ISEGMENT_NZ}(?:/{_ISEGMENT})*"
               "|)")
_IQUERY = f"(?:{_IPCHAR}|[{_IPRIVATE}/?])*"
_IFRAGMENT = f"(?:{_IPCHAR}|[/?])*"
IRI_RE = re.compile(f"[A-Za-z][A-Za-z0-9+\\-.]*:{_IHIER_PART}(?:\\?{_IQUERY})?(?:#{_IFRAGMENT})?")


def is_iri(value: object) -> bool:
    """RFC 3987 IRI syntax (absolute IRI with scheme); non-strings pass, as in JSON Schema."""
    if not isinstance(value, str):
        return True
    return IRI_RE.fullmatch(value) is not None


def format_checker():
    """The standard format checker of JSON Schema 2020-12 with the fast, equivalent IRI check."""
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker()
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checks("iri")(is_iri)
    return checker


class SpecsNotFound(DatalkError):
    """The local copy of the OFN specifications is missing."""


def find_specs_dir(explicit: Path | None = None) -> Path:
    """The local ofn.gov.cz copy: explicit path, DATALK_SPECS_DIR, or ../shared/specs/ofn next to the project."""
    candidates = [explicit] if explicit else []
    if env := os.environ.get("DATALK_SPECS_DIR"):
        candidates.append(Path(env))
    root = get_settings().root
    candidates += [root.parent / "shared" / "specs" / "ofn", root / "specs" / "ofn"]
    for candidate in candidates:
        if candidate and (candidate / STANDARD_DIR / "schémata" / "datová-sada.json").is_file():
            return candidate.resolve()
    raise SpecsNotFound(
        "nenalezeny oficiální schémata OFN (složka ofn/ s "
        f"{STANDARD_DIR}/schémata/); zadejte --specs nebo DATALK_SPECS_DIR")


@dataclass(frozen=True)
class Problem:
    document: str  # file name or IRI of the record
    path: str  # JSON path inside the record
    message: str

    def __str__(self) -> str:
        return f"{self.document}: {self.path or '(kořen)'}: {self.message}"


class Validator:
    """Validators for ``katalog.json`` and ``datová-sada.json`` with offline ``$ref`` resolution."""

    def __init__(self, specs_dir: Path):
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.exceptions import NoSuchResource

        self.specs_dir = specs_dir

        def retrieve(uri: str) -> Resource:
            if not uri.startswith(OFN_PREFIX):
                raise NoSuchResource(ref=uri)
            path = specs_dir / unquote(uri[len(OFN_PREFIX):].split("#")[0])
            if not path.is_file():
                raise NoSuchResource(ref=uri)
            return Resource.from_contents(json.loads(path.read_text(encoding="utf-8")))

        registry = Registry(retrieve=retrieve)
        checker = format_checker()
        self._catalog = Draft202012Validator(retrieve(CATALOG_SCHEMA).contents, registry=registry,
                                             format_checker=checker)
        self._dataset = Draft202012Validator(retrieve(DATASET_SCHEMA).contents, registry=registry,
                                             format_checker=checker)

    @staticmethod
    def _problems(validator, document: dict, name: str) -> list[Problem]:
        problems = []
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
            path = "/".join(str(p) for p in error.absolute_path)
            problems.append(Problem(name, path, error.message))
        return problems

    def catalog(self, document: dict, name: str = "katalog") -> list[Problem]:
        return self._problems(self._catalog, document, name)

    def dataset(self, document: dict, name: str = "datová sada") -> list[Problem]:
        return self._problems(self._dataset, document, name)


@lru_cache(maxsize=4)
def validator_for(specs_dir: Path) -> Validator:
    return Validator(specs_dir)


def validate_output(out_dir: Path, specs_dir: Path | None = None) -> tuple[int, list[Problem]]:
    """Validate ``katalog.jsonld`` and every record it lists (read from ``out_dir``).

    Returns (number of documents checked, problems). A listed record that is not a file in
    ``out_dir`` is a problem too.
    """
    from datalk.catalog.records import CATALOG_FILE

    validator = validator_for(find_specs_dir(specs_dir))
    catalog_path = out_dir / CATALOG_FILE
    if not catalog_path.is_file():
        return 0, [Problem(CATALOG_FILE, "", f"soubor {catalog_path} neexistuje")]
    catalog = json.loads(catalog_path.read_text(encoding="utf-8"))
    problems = validator.catalog(catalog, CATALOG_FILE)
    base = catalog.get("iri", "")[: -len(CATALOG_FILE)] if catalog.get("iri", "").endswith(CATALOG_FILE) else ""
    checked = 1
    for iri in catalog.get("datová_sada", []):
        relative = iri[len(base):] if base and iri.startswith(base) else None
        path = out_dir / relative if relative else None
        if path is None or not path.is_file():
            problems.append(Problem(CATALOG_FILE, "datová_sada", f"záznam {iri} není soubor ve {out_dir}"))
            continue
        problems += validator.dataset(json.loads(path.read_text(encoding="utf-8")), relative)
        checked += 1
    return checked, problems
