"""Downloads of what a table shows: CSV (UTF-8), XLSX and GeoJSON as data-URI links.

Data URIs need no server route and work in Voilà, in static pages and offline.
"""

from __future__ import annotations

import base64
import json

import pandas as pd

from datalk.app.i18n import t
from datalk.topics.views import TableView
from datalk.xlsx import xlsx_bytes


def table_frame(view: TableView) -> pd.DataFrame:
    frame = view.rows.drop(columns=["selected"]).rename(columns=view.columns)
    return frame


def to_csv(view: TableView) -> bytes:
    return table_frame(view).to_csv(index=False).encode("utf-8")


def to_xlsx(view: TableView) -> bytes:
    return xlsx_bytes(table_frame(view))


def to_geojson(view: TableView, shapes) -> bytes | None:
    if shapes is None:
        return None
    frame = shapes[["geo_code", "geometry"]].merge(view.rows.drop(columns=["selected"]), on="geo_code", how="inner")
    if frame.empty:
        return None
    return json.dumps(json.loads(frame.to_json()), ensure_ascii=False).encode("utf-8")


def _uri(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def links(view: TableView, shapes, stem: str, language: str) -> str:
    items = [
        (f"{stem}.csv", _uri(to_csv(view), "text/csv;charset=utf-8"), "CSV"),
        (f"{stem}.xlsx", _uri(to_xlsx(view), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), "XLSX"),
    ]
    geojson = to_geojson(view, shapes)
    if geojson:
        items.append((f"{stem}.geojson", _uri(geojson, "application/geo+json"), "GeoJSON"))
    anchors = " ".join(f"<a class='dl-download' download='{name}' href='{href}'>{label}</a>" for name, href, label in items)
    return f"<p class='dl-downloads'>{t('download', language)}: {anchors}</p>"
