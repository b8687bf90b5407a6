"""Shared parsing: bytes → publisher table, with the checks every format needs.

Each check turns a class of bad input (HTML error page, empty or truncated file,
wrong encoding, missing columns) into a :class:`ReadError` that names the source
and says what is wrong.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from datalk.errors import ReadError
from datalk.geography import Geography
from datalk.sources.spec import ReadOptions, SourceSpec


@dataclass
class ReadContext:
    """What a reader needs besides the bytes."""

    spec: SourceSpec
    options: ReadOptions
    geography: Callable[[], Geography]  # lazily built: code-only tables never need it
    region: str = "CZ051"
    # Tidy/table output of another declared source, for readers that need a publisher's own
    # lookup list (ČÚZK KÚ → obec). None = the cached copy via datalk.sources.load.
    load_source: Callable[[str], pd.DataFrame] | None = None
    place: str = "origin"  # 'origin' (official file) or 'mirror': layouts may differ

    @property
    def features(self):
        """The feature mapping for this place (the official SHP and the mirror's GeoJSON differ)."""
        return self.spec.features_for(self.place)

    def lookup(self, source_id: str) -> pd.DataFrame:
        """Another source's table (fetched first if it is not cached yet)."""
        if self.load_source is not None:
            return self.load_source(source_id)
        from datalk.sources.api import load  # late import: the api module imports the readers

        return load(source_id)

    @property
    def source_id(self) -> str:
        return self.spec.id


def check_not_html(raw: bytes, source_id: str) -> None:
    """Servers answer errors with HTML pages and status 200; never parse one as data."""
    head = raw[:512].lstrip().lower()
    for marker in (b"<!doctype html", b"<html", b"<head", b"<body"):
        if head.startswith(marker) or marker in head[:200]:
            raise ReadError(source_id, "místo dat přišla HTML stránka (chybová stránka serveru?)")


def check_not_empty(raw: bytes, source_id: str) -> None:
    if not raw.strip():
        raise ReadError(source_id, "soubor je prázdný")


def decode(raw: bytes, encoding: str, source_id: str) -> str:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ReadError(source_id, f"soubor není v kódování {encoding} ({exc.reason if hasattr(exc, 'reason') else exc})") from exc


def check_complete_text(text: str, delimiter: str, source_id: str) -> None:
    """A download cut off mid-row leaves a last line with fewer fields than the header."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise ReadError(source_id, "soubor neobsahuje žádné datové řádky")
    header_fields = _count_fields(lines[0], delimiter)
    last_fields = _count_fields(lines[-1], delimiter)
    if last_fields < header_fields:
        raise ReadError(
            source_id,
            f"soubor je useknutý: poslední řádek má {last_fields} polí místo {header_fields}",
        )


def _count_fields(line: str, delimiter: str) -> int:
    fields, quoted = 1, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            fields += 1
    return fields


def read_delimited(raw: bytes, options: ReadOptions, source_id: str) -> pd.DataFrame:
    """CSV/TSV in any encoding (UTF-8, cp1250, UTF-16) into a frame of strings."""
    check_not_empty(raw, source_id)
    check_not_html(raw, source_id)
    text = decode(raw, options.encoding, source_id)
    delimiter = "\t" if options.delimiter in ("\\t", "tab") else options.delimiter
    check_complete_text(text, delimiter, source_id)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skiprows=options.skip_rows or None,
            header=0 if options.header else None,
            names=options.column_names,
            index_col=False,
            skipinitialspace=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise ReadError(source_id, f"nelze číst jako CSV: {exc}") from exc
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    return frame


def read_spreadsheet(raw: bytes, options: ReadOptions, source_id: str, file_type: str) -> pd.DataFrame:
    """XLSX (openpyxl) or legacy XLS (xlrd) with header rows skipped, as strings."""
    check_not_empty(raw, source_id)
    check_not_html(raw, source_id)
    engine = "calamine" if file_type == "xlsx" else "xlrd"  # calamine (Rust) reads XLSX ~10× faster than openpyxl
    try:
        frame = pd.read_excel(
            io.BytesIO(raw),
            sheet_name=options.sheet,
            engine=engine,
            skiprows=options.skip_rows or None,
            header=0 if options.header else None,
            names=options.column_names,
            dtype=object,
        )
    except (zipfile.BadZipFile, ValueError, KeyError, OSError, EOFError) as exc:
        raise ReadError(source_id, f"nelze číst jako {file_type.upper()} (poškozený nebo useknutý soubor?): {exc}") from exc
    except Exception as exc:  # xlrd raises its own XLRDError family
        raise ReadError(source_id, f"nelze číst jako {file_type.upper()}: {exc}") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.dropna(how="all")


def read_parquet(raw: bytes, source_id: str) -> pd.DataFrame:
    check_not_empty(raw, source_id)
    try:
        return pd.read_parquet(io.BytesIO(raw))
    except Exception as exc:  # pyarrow raises ArrowInvalid and friends
        raise ReadError(source_id, f"nelze číst jako Parquet: {exc}") from exc


def read_json(raw: bytes, options: ReadOptions, source_id: str):
    check_not_empty(raw, source_id)
    check_not_html(raw, source_id)
    try:
        return json.loads(decode(raw, options.encoding, source_id))
    except json.JSONDecodeError as exc:
        raise ReadError(source_id, f"neplatný JSON (useknutý soubor?): {exc.msg} na znaku {exc.pos}") from exc


def read_any_table(raw: bytes, options: ReadOptions, source_id: str) -> pd.DataFrame:
    """Dispatch on ``file_type`` (or sniff XLSX/XLS/Parquet magic bytes)."""
    file_type = options.file_type or sniff_file_type(raw)
    if file_type in ("xlsx", "xls"):
        return read_spreadsheet(raw, options, source_id, file_type)
    if file_type == "parquet":
        return read_parquet(raw, source_id)
    return read_delimited(raw, options, source_id)


def sniff_file_type(raw: bytes) -> str:
    if raw[:4] == b"PK\x03\x04":
        return "xlsx"
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if raw[:4] == b"PAR1":
        return "parquet"
    return "csv"


def require_columns(frame: pd.DataFrame, required: list[str], source_id: str) -> None:
    """Publisher changed the format? Name the missing columns and what is there instead."""
    lower = {c.lower() for c in frame.columns}
    missing = [c for c in required if c.lower() not in lower]
    if missing:
        present = ", ".join(list(frame.columns)[:12])
        raise ReadError(source_id, f"chybí sloupce {missing} (soubor má: {present})")
