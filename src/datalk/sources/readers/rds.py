"""R data files (``.rds``) holding a data.frame, a tibble or an ``sf`` object, read without R.

Some official code lists reach us only through R packages: RCzechia (J. Lacko, MIT) keeps
ČÚZK RÚIAN layers as ``sf`` objects in ``data-backup/*.rds``. The pure-Python ``rdata``
package parses R's serialisation format (gzip/bzip2/xz compressed or not); this reader
turns the object into a plain table:

- attribute columns become strings (``""`` for NA), like every ``table`` source, so codes
  stay codes (``563889``, never ``563889.0``);
- the ``sf`` geometry list column is dropped; POINT geometries first give ``lon``/``lat``
  in WGS84 (reprojected with pyproj when the object's CRS is another one);
- ``schema.renames`` then applies as for the ``table`` reader (``output: table`` only).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from datalk.errors import ReadError
from datalk.sources.readers.base import (
    ReadContext,
    check_not_empty,
    check_not_html,
    require_columns,
)

WGS84_NAMES = {"epsg:4326", "wgs 84", "wgs84", "ogc:crs84"}
SFG_DIMENSIONS = ("XY", "XYZ", "XYM", "XYZM")
SFC_CLASSES = ("sfc", "sfc_POINT", "sfc_MULTIPOINT", "sfc_LINESTRING", "sfc_MULTILINESTRING",
               "sfc_POLYGON", "sfc_MULTIPOLYGON", "sfc_GEOMETRY", "sfc_GEOMETRYCOLLECTION")


@dataclass
class _Geometry:
    """One ``sfg`` value: its type (POINT, POLYGON…) and raw coordinates."""

    kind: str
    coords: Any


@dataclass
class _GeometryColumn:
    """An ``sfc`` list column with the CRS it declares."""

    geometries: list
    crs: Any


def read(raw: bytes, ctx: ReadContext) -> pd.DataFrame:
    """An R table as strings (+ ``lon``/``lat`` of POINT geometries), renamed by the schema."""
    if ctx.spec.output != "table":
        raise ReadError(ctx.source_id, "formát 'rds' umí jen output: table (číselník)")
    frame = read_frame(raw, ctx.source_id, ctx.options.crs)
    require_columns(frame, [c.name for c in ctx.spec.schema_.columns], ctx.source_id)
    return frame.rename(columns=ctx.spec.schema_.renames)


def read_frame(raw: bytes, source_id: str, default_crs: str | None = None) -> pd.DataFrame:
    """Parse the bytes of an ``.rds`` file into a DataFrame of strings (see module doc)."""
    import rdata

    check_not_empty(raw, source_id)
    check_not_html(raw, source_id)
    constructors = _constructors(default_crs)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # rdata warns for every R class it maps to its base class
            value = rdata.read_rds(io.BytesIO(raw), constructor_dict=constructors)
    except Exception as exc:  # rdata raises ValueError/NotImplementedError/EOFError… for bad input
        raise ReadError(source_id, f"nelze číst jako RDS (soubor R; useknutý nebo jiný formát?): "
                                   f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(value, pd.DataFrame):
        raise ReadError(source_id, f"soubor RDS neobsahuje tabulku (data.frame), ale {type(value).__name__}")
    return _as_strings(value.reset_index(drop=True))


def _constructors(default_crs: str | None) -> dict:
    from rdata.conversion import DEFAULT_CLASS_MAP

    frame = DEFAULT_CLASS_MAP["data.frame"]

    def sf(value, attrs):
        columns = dict(value)
        sf_column = _first(attrs.get("sf_column")) or "geometry"
        geometry = columns.pop(sf_column, None)
        out = frame(columns, attrs)
        if isinstance(geometry, _GeometryColumn):
            lon_lat = _point_coordinates(geometry, default_crs)
            if lon_lat is not None:
                out["lon"], out["lat"] = lon_lat
        return out

    def sfg(value, attrs):
        classes = list(attrs.get("class", ()))
        return _Geometry(classes[1] if len(classes) > 1 else "GEOMETRY", value)

    def sfc(value, attrs):
        return _GeometryColumn(list(value), attrs.get("crs"))

    def keep(value, attrs):
        return value

    constructors = dict(DEFAULT_CLASS_MAP)
    constructors.update({"sf": sf, "tbl_df": frame, "tbl": frame, "crs": keep, "bbox": keep})
    constructors.update({name: sfg for name in SFG_DIMENSIONS})
    constructors.update({name: sfc for name in SFC_CLASSES})
    return constructors


def _point_coordinates(column: _GeometryColumn, default_crs: str | None) -> tuple[np.ndarray, np.ndarray] | None:
    """lon/lat of a POINT column (empty points → NaN); None for other geometry types."""
    geometries = column.geometries
    if not geometries or any(not isinstance(g, _Geometry) or g.kind != "POINT" for g in geometries):
        return None
    xy = np.array([_xy(g.coords) for g in geometries], dtype="float64")
    x, y = xy[:, 0], xy[:, 1]
    crs = _crs_text(column.crs) or default_crs
    if crs and crs.strip().lower() not in WGS84_NAMES:
        x, y = _to_wgs84(x, y, crs)
    return np.round(x, 6), np.round(y, 6)


def _to_wgs84(x: np.ndarray, y: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
    except CRSError as exc:
        raise ValueError(f"neznámý souřadnicový systém geometrie: {crs[:60]}") from exc
    wgs84 = CRS.from_epsg(4326)
    if source.equals(wgs84, ignore_axis_order=True):
        return x, y
    return Transformer.from_crs(source, wgs84, always_xy=True).transform(x, y)


def _xy(coords) -> tuple[float, float]:
    values = np.asarray(coords, dtype="float64").ravel()
    return (float(values[0]), float(values[1])) if values.size >= 2 else (np.nan, np.nan)


def _crs_text(crs) -> str | None:
    """The CRS an sf object declares: its ``input`` (``EPSG:5514``) or else its WKT."""
    if isinstance(crs, dict):
        for key in ("input", "wkt"):
            if (text := _first(crs.get(key))) and text.upper() != "NA":
                return text
    return None


def _first(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    try:
        item = value[0]
    except (TypeError, IndexError, KeyError):
        return None
    return None if item is None or (isinstance(item, float) and np.isnan(item)) else str(item)


def _as_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Every attribute column as strings like a CSV would give; lon/lat stay numbers."""
    out = pd.DataFrame(index=frame.index)
    for name, column in frame.items():
        name = str(name)
        if name in ("lon", "lat"):
            out[name] = pd.to_numeric(column, errors="coerce").astype("float64")
            continue
        if column.dtype == object and column.map(lambda v: isinstance(v, (list, dict, np.ndarray))).any():
            continue  # another list column (nested data) has no place in a flat table
        if pd.api.types.is_float_dtype(column) and _integral(column):
            column = column.astype("Int64")
        out[name] = column.astype("string").fillna("")
    return out


def _integral(column: pd.Series) -> bool:
    values = column.dropna()
    return bool(len(values)) and bool(np.all(np.mod(values.to_numpy(dtype="float64"), 1) == 0))
