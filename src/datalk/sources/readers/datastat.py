"""ČSÚ DataStat selections: the API's JSON-stat 2.0 and its flattened label table.

The API (``https://data.csu.gov.cz/api/dotaz/v1/data/vybery/<kód výběru>``) answers
JSON-stat; the mirror holds the same cube flattened to one row per observation,
with dimension *labels* as column names and category labels as values. Both become
the same label frame, whose territory labels are matched to codes by name.
"""

from __future__ import annotations

import itertools

import pandas as pd

from datalk.errors import ReadError, TerritoryError
from datalk.sources.periods import parse_period
from datalk.sources.readers.base import ReadContext, read_delimited, read_json
from datalk.sources.spec import GeoMapping
from datalk.sources.tidy import map_unique, slug, to_number

DEFAULT_LEVELS = ["stat", "kraj", "okres", "orp"]


def jsonstat_to_frame(doc: dict, source_id: str) -> pd.DataFrame:
    """Flatten a JSON-stat 2.0 dataset: one column per dimension label, plus ``value``."""
    if doc.get("class") == "collection" or "dataset" in doc and "id" not in doc:
        datasets = doc.get("link", {}).get("item") or [doc.get("dataset")]
        doc = datasets[0] if datasets and isinstance(datasets[0], dict) else doc
    try:
        ids, sizes, dimensions = doc["id"], doc["size"], doc["dimension"]
        values = doc["value"]
    except (KeyError, TypeError) as exc:
        raise ReadError(source_id, f"odpověď není JSON-stat 2.0 (chybí {exc})") from exc
    columns, categories = [], []
    for dim_id in ids:
        dim = dimensions[dim_id]
        category = dim.get("category", {})
        index = category.get("index")
        if isinstance(index, dict):
            order = sorted(index, key=index.get)
        elif isinstance(index, list):
            order = index
        else:
            order = list(category.get("label", {}))
        labels = category.get("label", {})
        columns.append(dim.get("label", dim_id))
        categories.append([labels.get(key, key) for key in order])
    total = 1
    for size in sizes:
        total *= size
    # JSON-stat allows a sparse object {"index": value} or a dense array
    dense = [values.get(str(i)) for i in range(total)] if isinstance(values, dict) else list(values)
    if len(dense) != total:
        raise ReadError(source_id, f"JSON-stat má {len(dense)} hodnot, rozměry slibují {total}")
    rows = list(itertools.product(*categories))
    frame = pd.DataFrame(rows, columns=columns)
    frame["value"] = dense
    return frame


def read_jsonstat(raw: bytes, ctx: ReadContext) -> pd.DataFrame:
    doc = read_json(raw, ctx.options, ctx.source_id)
    return labels_to_tidy(jsonstat_to_frame(doc, ctx.source_id), ctx)


def read_csv(raw: bytes, ctx: ReadContext) -> pd.DataFrame:
    frame = read_delimited(raw, ctx.options, ctx.source_id)
    if "value" not in frame.columns:
        raise ReadError(ctx.source_id, f"chybí sloupec 'value' (soubor má: {', '.join(frame.columns)})")
    return labels_to_tidy(frame, ctx)


def labels_to_tidy(frame: pd.DataFrame, ctx: ReadContext) -> pd.DataFrame:
    """Label frame → tidy: match territories by name, parse periods, dims from the rest."""
    spec = ctx.spec
    geo = spec.geo or GeoMapping(match="names", levels=DEFAULT_LEVELS)
    territory_col = geo.column or detect_territory_column(frame, ctx)
    period_col = spec.period_column or detect_period_column(frame, ctx.source_id)
    indicator_col = spec.indicator_column or ("Ukazatel" if "Ukazatel" in frame.columns else None)
    for needed in filter(None, [territory_col, period_col, indicator_col]):
        if needed not in frame.columns:
            raise ReadError(ctx.source_id, f"chybí sloupec '{needed}' (soubor má: {', '.join(frame.columns)})")
    frame = frame[~frame[territory_col].isin(geo.exclude)].reset_index(drop=True)
    try:
        matched = ctx.geography().match_names(frame[territory_col], geo.levels)
    except TerritoryError as exc:
        raise ReadError(ctx.source_id, str(exc)) from exc
    lookup = matched.set_index("name")
    try:
        periods = map_unique(frame[period_col], parse_period)
    except ValueError as exc:
        raise ReadError(ctx.source_id, str(exc)) from exc
    geo_code = frame[territory_col].map(lookup["geo_code"])
    geo_level = frame[territory_col].map(lookup["geo_level"])
    _split_repeated_labels(frame, territory_col, geo_code, geo_level, geo.levels, ctx)
    out = pd.DataFrame({
        "geo_code": geo_code,
        "geo_level": geo_level,
        "period": periods,
        "indicator": frame[indicator_col] if indicator_col else spec.title,
        "value": to_number(frame["value"]),
    })
    for column in frame.columns:
        if column not in (territory_col, period_col, indicator_col, "value"):
            out[slug(column)] = frame[column].astype("string")
    return out


def _split_repeated_labels(frame, territory_col, geo_code, geo_level, levels, ctx) -> None:
    """A label listed twice for the same cell is two territories of different levels.

    ČSÚ tables over "ČR, kraje, okresy" list Prague both as the kraj and as the okres,
    under the same name; the n-th occurrence takes the n-th level the name can mean.
    """
    keys = [c for c in frame.columns if c != "value"]
    occurrence = frame.groupby(keys, sort=False, dropna=False).cumcount()
    repeated = occurrence > 0
    if not repeated.any():
        return
    geography = ctx.geography()
    for index in frame.index[repeated]:
        options = geography.candidates(frame.at[index, territory_col], levels)
        n = int(occurrence[index])
        if n >= len(options):
            raise ReadError(ctx.source_id, f"území '{frame.at[index, territory_col]}' je v tabulce víckrát, než kolik úrovní může znamenat")
        geo_code[index], geo_level[index] = options[n]


def detect_territory_column(frame: pd.DataFrame, ctx: ReadContext) -> str:
    """The column whose labels are all territories (for `datalk data inspect`)."""
    geography = ctx.geography()
    for column in frame.columns:
        if column == "value":
            continue
        try:
            geography.match_names(frame[column].dropna().unique(), DEFAULT_LEVELS)
            return column
        except TerritoryError:
            continue
    raise ReadError(ctx.source_id, "nenalezen sloupec s názvy území (zadejte geo.column)")


def detect_period_column(frame: pd.DataFrame, source_id: str) -> str:
    for column in frame.columns:
        if column == "value":
            continue
        try:
            frame[column].dropna().head(50).map(parse_period)
            return column
        except ValueError:
            continue
    raise ReadError(source_id, "nenalezen časový sloupec (zadejte period_column)")
