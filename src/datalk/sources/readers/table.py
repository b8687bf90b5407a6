"""Any publisher table (CSV, TSV, UTF-16 CSV, XLSX, XLS, Parquet) with an explicit mapping.

The source YAML's ``tidy`` block says which column holds territories (codes or
names), which the period, and either which columns hold indicator and value or,
for wide tables, which columns to melt into indicators.
"""

from __future__ import annotations

import pandas as pd

from datalk.errors import ReadError, TerritoryError
from datalk.sources.periods import parse_period
from datalk.sources.readers.base import ReadContext, read_any_table, require_columns
from datalk.sources.spec import GeoMapping, TidyMapping
from datalk.sources.tidy import to_number


def read_raw(raw: bytes, ctx: ReadContext) -> pd.DataFrame:
    frame = read_any_table(raw, ctx.options, ctx.source_id)
    required = [c.name for c in ctx.spec.schema_.columns]
    require_columns(frame, required, ctx.source_id)
    return frame


def read(raw: bytes, ctx: ReadContext) -> pd.DataFrame:
    frame = read_raw(raw, ctx)
    if ctx.spec.output == "table":
        return frame.rename(columns=ctx.spec.schema_.renames)
    return to_tidy(frame, ctx.spec.tidy, ctx)


def to_tidy(frame: pd.DataFrame, mapping: TidyMapping, ctx: ReadContext) -> pd.DataFrame:
    for column, wanted in mapping.filter.items():
        if column not in frame.columns:
            raise ReadError(ctx.source_id, f"filtr na chybějící sloupec '{column}'")
        frame = frame[frame[column].astype(str) == str(wanted)]
    frame = frame.reset_index(drop=True)
    geo_code, geo_level = resolve_geo(frame, mapping.geo, ctx)
    period = resolve_period(frame, mapping, ctx.source_id)
    base = pd.DataFrame({"geo_code": geo_code, "geo_level": geo_level, "period": period})
    for name, column in mapping.dimensions.items():
        base[name] = frame[column].astype("string")
    keep = base.geo_code.notna()
    if mapping.melt:
        require_columns(frame, list(mapping.melt), ctx.source_id)
        parts = []
        for column, label in mapping.melt.items():
            part = base.copy()
            part["indicator"] = label
            part["value"] = to_number(frame[column], ctx.options.decimal)
            parts.append(part[keep])
        return pd.concat(parts, ignore_index=True)
    require_columns(frame, [mapping.indicator, mapping.value], ctx.source_id)
    base["indicator"] = frame[mapping.indicator].astype("string")
    base["value"] = to_number(frame[mapping.value], ctx.options.decimal)
    return base[keep].reset_index(drop=True)


def resolve_geo(frame: pd.DataFrame, geo: GeoMapping, ctx: ReadContext) -> tuple[pd.Series, pd.Series]:
    """Canonical codes and levels for each row; rows named in ``exclude`` get NA (dropped)."""
    geography = ctx.geography()
    if geo.match == "obec_pou":
        obec_col, pou_col = geo.columns or ["obec", "pou"]
        codes = geography.match_obec_by_pou(frame[obec_col], frame[pou_col])
        unmatched = frame.loc[codes.isna(), [obec_col, pou_col]]
        if not unmatched.empty:
            raise ReadError(ctx.source_id, f"nespárované obce (název, POU): {unmatched.head(5).values.tolist()}")
        return codes, pd.Series("obec", index=frame.index)
    column = geo.column
    if column not in frame.columns:
        raise ReadError(ctx.source_id, f"chybí sloupec území '{column}'")
    labels = frame[column].astype("string").str.strip()
    excluded = labels.isin(geo.exclude)
    if geo.match == "names":
        try:
            matched = geography.match_names(labels[~excluded], geo.levels).set_index("name")
        except TerritoryError as exc:
            raise ReadError(ctx.source_id, str(exc)) from exc
        codes = labels.map(matched["geo_code"]).where(~excluded)
        return codes, labels.map(matched["geo_level"]).where(~excluded)
    raw_codes = labels.replace(geo.code_map)
    codes, levels = translate_codes(raw_codes, geo, geography)
    bad = ~excluded & codes.isna()
    if bad.any():
        raise ReadError(ctx.source_id, f"neznámé kódy území ve sloupci '{column}': {sorted(labels[bad].unique())[:8]}")
    return codes.where(~excluded), levels.where(~excluded)


def translate_codes(codes: pd.Series, geo: GeoMapping, geography) -> tuple[pd.Series, pd.Series]:
    """Codes of one code list, or 'nuts' (CZ, CZ0xx, CZ0xxx mixed) → canonical codes."""
    codes = codes.str.replace(r"\.0$", "", regex=True)
    if geo.code_list == "nuts":
        canonical = codes.where(codes.isin(geography.table.index))
        return canonical, canonical.map(geography.table["level"])
    from datalk.geography.model import CODE_LISTS

    level = CODE_LISTS[geo.code_list][0]
    canonical = geography.translate(codes, geo.code_list)
    canonical.index = codes.index
    return canonical, pd.Series(level, index=codes.index).where(canonical.notna())


def resolve_period(frame: pd.DataFrame, mapping: TidyMapping, source_id: str) -> pd.Series:
    spec = mapping.period
    if spec.value:
        return pd.Series(spec.value, index=frame.index)
    if spec.column not in frame.columns:
        raise ReadError(source_id, f"chybí časový sloupec '{spec.column}'")
    try:
        return frame[spec.column].map(parse_period)
    except ValueError as exc:
        raise ReadError(source_id, str(exc)) from exc
