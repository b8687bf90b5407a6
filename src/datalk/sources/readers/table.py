"""Any publisher table (CSV, TSV, UTF-16 CSV, XLSX, XLS, Parquet) with an explicit mapping.

The source YAML's ``tidy`` block says which column holds territories (codes or
names), which the period, and either which columns hold indicator and value or,
for wide tables, which columns to melt into indicators (a melted column may also
carry a dimension value or its own period: one column per age group or per year).
Spreadsheets' section headings and footnotes are dropped with ``drop_empty``.
"""

from __future__ import annotations

import re

import pandas as pd

from datalk.errors import ReadError, TerritoryError
from datalk.sources.periods import parse_period
from datalk.sources.readers.base import ReadContext, read_any_table, require_columns
from datalk.sources.spec import GeoMapping, TidyMapping
from datalk.sources.tidy import map_unique, to_number
from datalk.text import fold


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
    frame = drop_empty(frame, mapping.drop_empty, ctx.source_id).reset_index(drop=True)
    geo_code, geo_level = resolve_geo(frame, mapping.geo, ctx)
    period = resolve_period(frame, mapping, ctx.source_id)
    base = pd.DataFrame({"geo_code": geo_code, "geo_level": geo_level, "period": period})
    require_columns(frame, list(mapping.dimensions.values()), ctx.source_id)
    for name, column in mapping.dimensions.items():
        base[name] = frame[column].astype("string")
    keep = base.geo_code.notna()
    if mapping.melt:
        require_columns(frame, list(mapping.melt), ctx.source_id)
        targets = {column: t if isinstance(t, dict) else {"indicator": t} for column, t in mapping.melt.items()}
        melt_dims = sorted({key for t in targets.values() for key in t} - {"indicator", "period"})
        parts = []
        for column, target in targets.items():
            part = base.copy()
            part["indicator"] = target["indicator"]
            if "period" in target:
                part["period"] = _period(target["period"], mapping.period.truncate, ctx.source_id)
            for dim in melt_dims:
                part[dim] = target.get(dim, "")  # '' = this column is the total of that dimension
            part["value"] = to_number(frame[column], ctx.options.decimal)
            parts.append(part[keep])
        out = pd.concat(parts, ignore_index=True)
    else:
        require_columns(frame, [mapping.indicator, mapping.value], ctx.source_id)
        base["indicator"] = frame[mapping.indicator].astype("string")
        base["value"] = to_number(frame[mapping.value], ctx.options.decimal)
        out = base[keep].reset_index(drop=True)
    if out["period"].isna().any():
        raise ReadError(ctx.source_id, "některé řádky nemají období (tidy.period nebo 'period' v melt)")
    return recode(out, mapping.recode, ctx.source_id)


def drop_empty(frame: pd.DataFrame, columns: list[str], source_id: str) -> pd.DataFrame:
    """Drop rows with an empty cell in any of ``columns``: section headings, totals without a
    code and footnotes that spreadsheets put between and below the data rows."""
    if not columns:
        return frame
    require_columns(frame, columns, source_id)
    empty = pd.Series(False, index=frame.index)
    for column in columns:
        empty |= frame[column].isna() | (frame[column].astype("string").str.strip() == "")
    return frame[~empty]


def recode(out: pd.DataFrame, mapping: dict[str, dict[str, str]], source_id: str) -> pd.DataFrame:
    """Publisher values → ours in dimension (or indicator) columns, e.g. 'celkem' → '' (total)."""
    for column, values in mapping.items():
        if column not in out.columns:
            raise ReadError(source_id, f"recode na neznámý sloupec '{column}' (tabulka má: {list(out.columns)})")
        out[column] = out[column].astype("string").fillna("").replace(values)
    return out


def resolve_geo(frame: pd.DataFrame, geo: GeoMapping, ctx: ReadContext) -> tuple[pd.Series, pd.Series]:
    """Canonical codes and levels for each row; rows named in ``exclude`` get NA (dropped)."""
    geography = ctx.geography()
    if geo.value:
        if geo.value not in geography:
            raise ReadError(ctx.source_id, f"neznámý kód území geo.value '{geo.value}'")
        level = geography.level_of(geo.value)
        return pd.Series(geo.value, index=frame.index), pd.Series(level, index=frame.index)
    if geo.match == "obec_pou":
        return _resolve_obec_pou(frame, geo, ctx)
    column = geo.column
    if column not in frame.columns:
        raise ReadError(ctx.source_id, f"chybí sloupec území '{column}'")
    labels = frame[column].astype("string").str.strip()
    excluded = labels.isin(geo.exclude)
    if geo.match == "names":
        # code_map places labels the name index cannot ('Jihlava (Vysočina)') straight on a code.
        mapped = labels.map(geo.code_map).where(~excluded) if geo.code_map else pd.Series(pd.NA, index=labels.index)
        to_match = ~excluded & mapped.isna()
        try:
            matched = geography.match_names(labels[to_match], geo.levels).set_index("name")
        except TerritoryError as exc:
            raise ReadError(ctx.source_id, str(exc)) from exc
        unknown = sorted(str(c) for c in mapped.dropna().unique() if c not in geography)
        if unknown:
            raise ReadError(ctx.source_id, f"geo.code_map vede na neznámé kódy území: {unknown[:8]}")
        codes = mapped.fillna(labels.map(matched["geo_code"])).where(~excluded)
        return codes, codes.map(geography.table["level"]).where(~excluded)
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


def _resolve_obec_pou(frame: pd.DataFrame, geo: GeoMapping, ctx: ReadContext) -> tuple[pd.Series, pd.Series]:
    """Obce named by (obec, POU) only; names in ``geo.exclude`` (e.g. an abolished obec) are dropped."""
    geography = ctx.geography()
    obec_col, pou_col = geo.columns or ["obec", "pou"]
    require_columns(frame, [obec_col, pou_col], ctx.source_id)
    names = frame[obec_col].astype("string").str.strip()
    pous = frame[pou_col].astype("string").str.strip()
    excluded = names.isin(geo.exclude)
    codes = geography.match_obec_by_pou(names, pous)
    codes.index = frame.index
    missing = codes.isna() & ~excluded
    if missing.any():
        codes[missing] = match_obec_fallback(names[missing], pous[missing], geography).to_numpy()
    unmatched = frame.loc[codes.isna() & ~excluded, [obec_col, pou_col]]
    if not unmatched.empty:
        raise ReadError(ctx.source_id, f"nespárované obce (název, POU): {unmatched.head(5).values.tolist()}"
                        f"{f' a dalších {len(unmatched) - 5}' if len(unmatched) > 5 else ''}")
    return codes.where(~excluded), pd.Series("obec", index=frame.index).where(~excluded)


_QUALIFIED_POU = re.compile(r"^(.*?)\s*\(okres ([^)]+)\)\s*$")


def match_obec_fallback(names: pd.Series, pous: pd.Series, geography) -> pd.Series:
    """Obec codes for (obec, POU) pairs the exact match misses.

    Registers qualify POU names that occur twice in Czechia ('Jesenice (okres Rakovník)'):
    such a pair is matched on (obec, POU, okres name). Otherwise an obec whose name is unique
    in Czechia is taken whatever POU the publisher names, because POU assignments and POU
    labels change between vintages ('Hlavní město Praha' vs 'Praha'). Anything else stays NA.
    """
    table = geography.table
    obce = table[table.level == "obec"]
    okres_names = table[table.level == "okres"]["name"]
    by_okres = {
        (fold(n), fold(p), fold(okres_names.get(o, ""))): c
        for n, p, o, c in zip(obce["name"], obce["pou_name"], obce["okres"], obce["code"], strict=False)
    }
    folded = obce["name"].map(fold)
    counts = folded.value_counts()
    unique = {f: c for f, c in zip(folded, obce["code"], strict=False) if counts[f] == 1}
    result = []
    for name, pou in zip(names, pous, strict=False):
        code = None
        if match := _QUALIFIED_POU.match(str(pou)):
            code = by_okres.get((fold(name), fold(match.group(1)), fold(match.group(2))))
        result.append(code or unique.get(fold(name)))
    return pd.Series(result, index=names.index, dtype="object")


def resolve_period(frame: pd.DataFrame, mapping: TidyMapping, source_id: str) -> pd.Series:
    spec = mapping.period
    if spec.value:
        value = _period(spec.value, spec.truncate, source_id) if spec.truncate else spec.value
        return pd.Series(value, index=frame.index)
    if spec.column is None:
        # Periods come from the melted columns (one column per year); checked after the melt.
        return pd.Series(pd.NA, index=frame.index, dtype="object")
    if spec.column not in frame.columns:
        raise ReadError(source_id, f"chybí časový sloupec '{spec.column}'")
    return map_unique(frame[spec.column], lambda label: _period(label, spec.truncate, source_id))


def _period(label: object, truncate: str | None, source_id: str) -> str:
    """A normalised period; a date label cut to the month, quarter or year it stands for."""
    try:
        period = parse_period(label)
    except ValueError as exc:
        raise ReadError(source_id, str(exc)) from exc
    if truncate is None:
        return period
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-\d{2})?$", period)
    if not match:
        raise ReadError(source_id, f"období '{period}' nelze zkrátit na {truncate}")
    year, month = match.group(1), match.group(2)
    if truncate == "year":
        return year
    if month is None:
        raise ReadError(source_id, f"období '{period}' nemá měsíc, nelze zkrátit na {truncate}")
    if truncate == "month":
        return f"{year}-{month}"
    return f"{year}-Q{(int(month) - 1) // 3 + 1}"
