"""Write one dataset's distributions: CSV (UTF-8, tidy long table), GeoJSON, XLSX, CSVW metadata.

File names are stable (``data/<source_id>.<ext>``) so links and catalogue records never change
between builds. Files are written to a temporary name and moved into place.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from datalk.catalog import vocab
from datalk.geography import Geography
from datalk.xlsx import write_xlsx

DATA_DIR = "data"
#: XLSX only for tables small enough to open comfortably (and far below Excel's row limit).
XLSX_MAX_ROWS = 20_000
COORDINATE_DECIMALS = 7  # ~1 cm in WGS84

#: Czech descriptions of the portal's own columns (tidy shape, see docs/architecture.md).
COLUMN_DESCRIPTIONS = {
    "geo_code": "Kód území: CZ (Česko), NUTS 3 pro kraj (CZ051), LAU 1 pro okres (CZ0513), "
                "kód ČSÚ pro správní obvod ORP (5105), kód obce (563889).",
    "geo_name": "Název území podle číselníků ČSÚ a RÚIAN.",
    "geo_level": "Úroveň území: stat, kraj, okres, orp, obec.",
    "period": "Období: rok (2023), více let (2019-2021), měsíc (2019-03), čtvrtletí (2001-Q1) nebo den (2019-01-01).",
    "indicator": "Ukazatel (název podle původního poskytovatele).",
    "value": "Hodnota ukazatele (desetinná tečka; prázdné = údaj není k dispozici).",
    "name": "Název objektu.",
    "lon": "Zeměpisná délka (WGS 84, EPSG:4326).",
    "lat": "Zeměpisná šířka (WGS 84, EPSG:4326).",
    "geometry_wkt": "Geometrie jako WKT v souřadnicích WGS 84 (EPSG:4326), pořadí délka šířka.",
}


@dataclass
class WrittenFile:
    format: vocab.FileFormat
    path: Path  # relative to the out dir, POSIX style
    bytes: int


@dataclass
class Written:
    """What was written for one dataset."""

    files: list[WrittenFile]
    schema: Path | None  # CSVW metadata of the CSV, relative path
    columns: list[dict]  # CSVW column descriptions (for the detail page)
    rows: int


def _atomic_write(path: Path, write: Callable[[Path], None]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path.stat().st_size


def write_text(path: Path, text: str) -> int:
    return _atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json(path: Path, document: dict) -> int:
    return write_text(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def plain_numbers(series: pd.Series) -> pd.Series:
    """Numbers as text without a trailing '.0' for whole values; missing values empty."""
    values = pd.to_numeric(series, errors="coerce").astype("float64")
    array = values.to_numpy()
    finite = np.isfinite(array)
    whole = finite & (np.abs(array) < 1e15)
    whole[whole] = array[whole] == np.round(array[whole])
    out = np.full(len(array), "", dtype=object)
    out[whole] = array[whole].astype("int64").astype(str)
    fractional = finite & ~whole
    out[fractional] = [repr(float(v)) for v in array[fractional]]
    return pd.Series(out, index=series.index, dtype=object)


def tidy_table(frame: pd.DataFrame, output: str, geography: Geography) -> pd.DataFrame:
    """The table as published: observations get ``geo_name``; features get lon/lat or WKT."""
    table = pd.DataFrame(frame).copy()
    if "geometry" in table.columns:
        geometry = frame.geometry
        table = table.drop(columns="geometry")
        if len(geometry) and (geometry.geom_type == "Point").all():
            table["lon"] = geometry.x.round(COORDINATE_DECIMALS)
            table["lat"] = geometry.y.round(COORDINATE_DECIMALS)
        else:
            table["geometry_wkt"] = geometry.to_wkt(rounding_precision=COORDINATE_DECIMALS, trim=True)
    if "geo_code" in table.columns and output in ("observations", "features"):
        names = geography.table["name"]
        position = list(table.columns).index("geo_code") + 1
        table.insert(position, "geo_name", table["geo_code"].astype(str).map(names).fillna(""))
    return table


def _csv_frame(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]) and column not in ("lon", "lat"):
            out[column] = plain_numbers(out[column])
    return out


def csvw_datatype(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "string"


def csvw_columns(table: pd.DataFrame, dimension_note: str = "") -> list[dict]:
    columns = []
    for name in table.columns:
        description = COLUMN_DESCRIPTIONS.get(name)
        if description is None:
            description = (f"Dimenze „{name}“ (prázdné = celkem, bez členění)." if dimension_note == "observations"
                           else f"Atribut „{name}“ převzatý od původního poskytovatele.")
        column = {"name": name, "titles": name, "dc:description": description,
                  "datatype": csvw_datatype(table[name])}
        if name in ("geo_code", "geo_level", "indicator") or (name == "period" and dimension_note == "observations"):
            column["required"] = True
        columns.append(column)
    return columns


def csvw_metadata(csv_name: str, title: str, description: str, publisher: str, source_url: str,
                  licence_url: str, columns: list[dict], key: list[str] | None) -> dict:
    """CSV on the Web (W3C) metadata describing the CSV next to it."""
    schema: dict = {"columns": columns}
    if key:
        schema["primaryKey"] = key
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "cs"}],
        "url": csv_name,
        "dc:title": title,
        "dc:description": description,
        "dc:publisher": publisher,
        "dc:source": source_url,
        "dc:license": licence_url,
        "dialect": {"encoding": "utf-8", "delimiter": ",", "header": True, "doubleQuote": True},
        "tableSchema": schema,
    }


def _round_coordinates(value):
    if isinstance(value, float):
        return round(value, COORDINATE_DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_round_coordinates(v) for v in value]
    return value


def _json_value(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return _json_value(value.item())
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def geojson_document(frame, geography: Geography) -> dict:
    """FeatureCollection in WGS84 with the tidy attributes (geo_name added) and rounded coordinates."""
    features = []
    names = geography.table["name"]
    for feature in frame.iterfeatures(na="null", drop_id=True):
        properties = {k: _json_value(v) for k, v in feature["properties"].items()}
        if "geo_code" in properties:
            properties = {**{k: properties[k] for k in ("geo_code",)},
                          "geo_name": names.get(str(properties["geo_code"]), ""),
                          **{k: v for k, v in properties.items() if k != "geo_code"}}
        geometry = feature["geometry"]
        if geometry is not None:
            geometry = {"type": geometry["type"], "coordinates": _round_coordinates(geometry["coordinates"])}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def write_distributions(source_id: str, frame: pd.DataFrame, output: str, out_dir: Path,
                        geography: Geography, metadata: dict) -> Written:
    """Write CSV (+ CSVW), GeoJSON for spatial data and XLSX for small tables; return what was written."""
    data_dir = out_dir / DATA_DIR
    table = tidy_table(frame, output, geography)
    files: list[WrittenFile] = []

    csv_path = data_dir / f"{source_id}.csv"
    csv_frame = _csv_frame(table)
    size = _atomic_write(csv_path, lambda tmp: csv_frame.to_csv(tmp, index=False, encoding="utf-8",
                                                                 lineterminator="\n"))
    files.append(WrittenFile(vocab.CSV, csv_path.relative_to(out_dir), size))

    columns = csvw_columns(table, output)
    key = None
    if output == "observations":
        key_columns = ["geo_code", "period", "indicator"] + [
            c for c in table.columns if c not in COLUMN_DESCRIPTIONS]
        if not table.duplicated(key_columns).any():
            key = key_columns
    schema_path = data_dir / f"{source_id}.csv-metadata.json"
    write_json(schema_path, csvw_metadata(csv_path.name, columns=columns, key=key, **metadata))

    if "geometry" in getattr(frame, "columns", []) and hasattr(frame, "iterfeatures"):
        geo_path = data_dir / f"{source_id}.geojson"
        document = geojson_document(frame, geography)
        size = write_text(geo_path, json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
        files.append(WrittenFile(vocab.GEOJSON, geo_path.relative_to(out_dir), size))

    if len(table) <= XLSX_MAX_ROWS and "geometry_wkt" not in table.columns:
        xlsx_path = data_dir / f"{source_id}.xlsx"
        size = _atomic_write(xlsx_path, lambda tmp: write_xlsx(table, tmp))
        files.append(WrittenFile(vocab.XLSX, xlsx_path.relative_to(out_dir), size))

    return Written(files, schema_path.relative_to(out_dir), columns, len(table))


