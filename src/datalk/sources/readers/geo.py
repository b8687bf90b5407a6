"""Boundaries and points: GeoJSON, TopoJSON and ČÚZK shapefiles in a ZIP (S-JTSK).

Every layer leaves in WGS84 (EPSG:4326) with ``geo_code`` (canonical), ``geo_level``
and ``name``, plus the properties the YAML keeps. Shapefiles from ČÚZK come in
S-JTSK (EPSG:5514) and are reprojected here.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd

from datalk.errors import ReadError
from datalk.geography.model import CODE_LISTS
from datalk.sources.readers.base import ReadContext, check_not_empty, check_not_html, read_json

WGS84 = "EPSG:4326"


def read_geojson(raw: bytes, ctx: ReadContext) -> gpd.GeoDataFrame:
    doc = read_json(raw, ctx.options, ctx.source_id)
    if doc.get("type") not in ("FeatureCollection", "Feature"):
        raise ReadError(ctx.source_id, f"není GeoJSON FeatureCollection (type={doc.get('type')!r})")
    features = doc["features"] if doc["type"] == "FeatureCollection" else [doc]
    if not features:
        raise ReadError(ctx.source_id, "GeoJSON neobsahuje žádné prvky")
    try:
        frame = gpd.GeoDataFrame.from_features(features, crs=ctx.options.crs or WGS84)
    except Exception as exc:  # shapely raises for broken geometries
        raise ReadError(ctx.source_id, f"neplatná geometrie: {exc}") from exc
    return to_features(frame, ctx)


def read_topojson(raw: bytes, ctx: ReadContext) -> gpd.GeoDataFrame:
    doc = read_json(raw, ctx.options, ctx.source_id)
    if doc.get("type") != "Topology":
        raise ReadError(ctx.source_id, f"není TopoJSON (type={doc.get('type')!r})")
    objects = doc.get("objects", {})
    layer = ctx.options.layer or next(iter(objects), None)
    if layer not in objects:
        raise ReadError(ctx.source_id, f"TopoJSON nemá vrstvu '{layer}' (má: {list(objects)})")
    frame = gpd.GeoDataFrame.from_features(_topojson_features(doc, layer), crs=WGS84)
    return to_features(frame, ctx)


def read_shp_zip(raw: bytes, ctx: ReadContext) -> gpd.GeoDataFrame:
    check_not_empty(raw, ctx.source_id)
    check_not_html(raw, ctx.source_id)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise ReadError(ctx.source_id, f"není platný ZIP (useknutý soubor?): {exc}") from exc
    shapefiles = [n for n in names if n.lower().endswith(".shp")]
    wanted = ctx.options.member or ctx.options.layer
    if wanted:
        shapefiles = [n for n in shapefiles if Path(n).stem.lower() == Path(wanted).stem.lower()]
    if not shapefiles:
        raise ReadError(ctx.source_id, f"ZIP neobsahuje shapefile {wanted or ''} (má: {names[:10]})")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            archive.extractall(tmp)
            encoding = None if ctx.options.encoding.startswith("utf-8") else ctx.options.encoding
            frame = gpd.read_file(Path(tmp) / shapefiles[0], encoding=encoding)
        except Exception as exc:  # pyogrio errors for broken members
            raise ReadError(ctx.source_id, f"nelze číst shapefile {shapefiles[0]}: {exc}") from exc
    if frame.crs is None:
        frame = frame.set_crs(ctx.options.crs or "EPSG:5514")
    if ctx.options.simplify:
        # ČÚZK's full-resolution borders are far too heavy for web maps; simplify in metres first
        frame = frame.set_geometry(frame.geometry.simplify(ctx.options.simplify, preserve_topology=True))
    return to_features(frame, ctx)


def to_features(frame: gpd.GeoDataFrame, ctx: ReadContext) -> gpd.GeoDataFrame:
    """Reproject to WGS84 and attach canonical codes from the YAML's feature mapping."""
    if frame.crs is not None and frame.crs.to_string() != WGS84:
        frame = frame.to_crs(WGS84)
    mapping = ctx.features
    if mapping is None:
        return frame
    if mapping.code not in frame.columns:
        raise ReadError(ctx.source_id, f"chybí vlastnost '{mapping.code}' (prvky mají: {list(frame.columns)[:12]})")
    codes = frame[mapping.code].astype("string").str.replace(r"\.0$", "", regex=True).str.strip()
    geography = ctx.geography()
    if mapping.code_list == "nuts":
        canonical = codes.where(codes.isin(geography.table.index))
    else:
        canonical = geography.translate(codes, mapping.code_list)
        canonical.index = frame.index
    if canonical.isna().any():
        raise ReadError(ctx.source_id, f"neznámé kódy území: {sorted(codes[canonical.isna()].unique())[:8]}")
    out = gpd.GeoDataFrame(
        {
            "geo_code": canonical.astype(str),
            "geo_level": canonical.map(geography.table["level"]) if mapping.code_list == "nuts"
            else CODE_LISTS[mapping.code_list][0],
            "name": frame[mapping.name].astype(str) if mapping.name else canonical.map(geography.table["name"]),
        },
        geometry=frame.geometry.values,
        crs=WGS84,
    )
    for ours, prop in mapping.keep.items():
        if prop not in frame.columns:
            raise ReadError(ctx.source_id, f"chybí vlastnost '{prop}'")
        out[ours] = frame[prop].values
    invalid = ~out.geometry.is_valid
    if invalid.any():
        out.loc[invalid, "geometry"] = out.loc[invalid, "geometry"].make_valid()
    return out


def _topojson_features(doc: dict, layer: str) -> list[dict]:
    """Decode one TopoJSON object into GeoJSON features (quantised arcs supported)."""
    transform = doc.get("transform")
    arcs = [_decode_arc(arc, transform) for arc in doc["arcs"]]

    def arc_points(index: int) -> list:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        return points

    def ring(indices: list[int]) -> list:
        coords: list = []
        for i, index in enumerate(indices):
            points = arc_points(index)
            coords.extend(points if i == 0 else points[1:])
        return coords

    def geometry(obj: dict) -> dict | None:
        kind = obj.get("type")
        if kind == "Polygon":
            return {"type": "Polygon", "coordinates": [ring(r) for r in obj["arcs"]]}
        if kind == "MultiPolygon":
            return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in obj["arcs"]]}
        if kind == "LineString":
            return {"type": "LineString", "coordinates": ring(obj["arcs"])}
        if kind == "Point":
            return {"type": "Point", "coordinates": _transform_point(obj["coordinates"], transform)}
        return None

    root = doc["objects"][layer]
    members = root.get("geometries", [root])
    return [
        {"type": "Feature", "properties": g.get("properties", {}), "geometry": geometry(g)}
        for g in members
    ]


def _decode_arc(arc: list, transform: dict | None) -> list:
    if not transform:
        return [list(p) for p in arc]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    points = []
    for dx, dy, *_ in arc:
        x, y = x + dx, y + dy
        points.append([x * sx + tx, y * sy + ty])
    return points


def _transform_point(point: list, transform: dict | None) -> list:
    if not transform:
        return point
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    return [point[0] * sx + tx, point[1] * sy + ty]


