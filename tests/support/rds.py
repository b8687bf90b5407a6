"""Write R ``.rds`` files shaped like RCzechia's ``sf`` layers, without R (``rdata.write_rds``).

``rdata`` writes plain data.frames; an ``sf`` object also needs its geometry list column
(class ``sfc_POINT``/``sfc``, with ``precision`` and ``crs`` attributes), each geometry a
numeric vector of class ``XY``/``POINT``/``sfg``, and the ``sf_column`` attribute on the
frame. The constructors below build exactly that, in R's serialisation order (symbols are
referenced in the order they are first written).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import rdata
from rdata.conversion.to_r import DEFAULT_CLASS_MAP, build_r_object, convert_pd_array_to_np_array
from rdata.missing import R_INT_NA
from rdata.parser import RObjectType

WGS84_WKT = 'GEOGCRS["WGS 84",DATUM["World Geodetic System 1984"],ID["EPSG",4326]]'


@dataclass
class Crs:
    input: str
    wkt: str = WGS84_WKT


@dataclass
class Geometry:
    kind: str  # POINT, POLYGON…
    coords: np.ndarray


@dataclass
class GeometryColumn:
    geometries: list[Geometry]
    crs: Crs


@dataclass
class SfFrame:
    frame: pd.DataFrame
    geometry: GeometryColumn


def _object(kind, value, converter, attributes: dict):
    return build_r_object(kind, value=value, is_object=True,
                          attributes=converter.convert_to_r_attributes(attributes))


def _geometry(g: Geometry, converter):
    if g.kind == "POINT":  # a numeric vector c(x, y)
        kind, value = RObjectType.REAL, np.asarray(g.coords, dtype="float64")
    else:  # a list of rings, each a coordinate matrix
        kind, value = RObjectType.VEC, [converter.convert_to_r_object(np.asarray(g.coords, dtype="float64"))]
    return _object(kind, value, converter, {"class": np.array(["XY", g.kind, "sfg"])})


def _crs(c: Crs, converter):
    values = [converter.convert_to_r_object(c.input), converter.convert_to_r_object(c.wkt)]
    return _object(RObjectType.VEC, values, converter, {"names": np.array(["input", "wkt"]), "class": "crs"})


def _column(column: GeometryColumn, converter):
    values = [converter.convert_to_r_object(g) for g in column.geometries]
    kind = {g.kind for g in column.geometries}
    sfc = f"sfc_{kind.pop()}" if len(kind) == 1 else "sfc_GEOMETRY"
    return _object(RObjectType.VEC, values, converter,
                   {"precision": 0.0, "crs": column.crs, "class": np.array([sfc, "sfc"])})


def _sf(sf: SfFrame, converter):
    values = [converter.convert_to_r_object(_r_array(series)) for _, series in sf.frame.items()]
    values.append(converter.convert_to_r_object(sf.geometry))
    row_names = np.ma.array(data=[R_INT_NA, -len(sf.frame)], mask=[True, False], fill_value=R_INT_NA)
    return _object(RObjectType.VEC, values, converter, {
        "names": np.array([*map(str, sf.frame.columns), "geometry"]), "row.names": row_names,
        "class": np.array(["sf", "data.frame"]), "sf_column": "geometry",
    })


def _r_array(series: pd.Series) -> np.ndarray:
    if pd.api.types.is_string_dtype(series) or series.dtype == object:
        return series.astype(object).where(series.notna(), None).to_numpy(dtype=object)
    return convert_pd_array_to_np_array(series.array)


CONSTRUCTORS = {**DEFAULT_CLASS_MAP, SfFrame: _sf, GeometryColumn: _column, Geometry: _geometry, Crs: _crs}


def write_sf_points(path: Path, frame: pd.DataFrame, lon, lat, crs: str = "EPSG:4326",
                    compression: str | None = "xz") -> Path:
    """An ``sf`` object with POINT geometries from ``lon``/``lat`` (in ``crs``), like ``ObceB``."""
    points = [Geometry("POINT", np.array([x, y])) for x, y in zip(lon, lat, strict=True)]
    wkt = WGS84_WKT if crs == "EPSG:4326" else crs
    rdata.write_rds(path, SfFrame(frame, GeometryColumn(points, Crs(crs, wkt))),
                    constructor_dict=CONSTRUCTORS, compression=None)
    return _compress(path, compression)


def _compress(path: Path, compression: str | None) -> Path:
    """Compress in one go: rdata's many small writes into an xz stream take minutes."""
    path = Path(path)
    if compression:
        import bz2
        import gzip
        import lzma

        packer = {"xz": lzma.compress, "gzip": gzip.compress, "bzip2": bz2.compress}[compression]
        path.write_bytes(packer(path.read_bytes()))
    return path


def write_sf_polygons(path: Path, frame: pd.DataFrame) -> Path:
    """An ``sf`` object with (tiny square) POLYGON geometries, like ``ObceP``."""
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 0]], dtype="float64")
    polygons = [Geometry("POLYGON", square) for _ in range(len(frame))]
    rdata.write_rds(path, SfFrame(frame, GeometryColumn(polygons, Crs("EPSG:4326"))),
                    constructor_dict=CONSTRUCTORS)
    return path
