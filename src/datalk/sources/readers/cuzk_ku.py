"""ČÚZK cadastral statistics per katastrální území (KÚ), summed to obce and up to ČR.

ČÚZK publishes land-use areas ("Údaje o druzích pozemků", ``UHDP-YYYYMMDD.csv``) per KÚ,
keyed only by the KÚ code. Which obec a KÚ belongs to is in ČÚZK's KÚ list
(``SC_SEZNAMKUKRA_DOTAZ.csv``), declared as its own source :data:`KU_LIST_SOURCE`
(``output: table``, columns ``KU_KOD`` and ``OBEC_KOD``). Areas and counts are additive,
so the reader sums KÚ → obec, and obce → ORP, okres, kraj.

The YAML's ``tidy`` block is the ``table`` mapping with ``geo.column`` naming the KÚ code
column. KÚ codes listed in ``geo.exclude`` (KÚ abolished before the KÚ list was exported,
e.g. the military districts reorganised in 2016) cannot be placed in an obec: they are left
out of obce, ORP, okresy and kraje but still count in the ČR total, which stays exact. A KÚ
code missing from the list and not excluded is an error: silently losing land is not an option.
"""

from __future__ import annotations

import pandas as pd

from datalk.errors import ReadError, SourceError
from datalk.sources.readers import table
from datalk.sources.readers.base import ReadContext, require_columns
from datalk.sources.spec import GeoMapping

KU_LIST_SOURCE = "cuzk_seznam_ku"
ROLL_UP = ("orp", "okres", "kraj")


def read(raw: bytes, ctx: ReadContext) -> pd.DataFrame:
    mapping = ctx.spec.tidy
    if mapping is None or not mapping.geo.column:
        raise ReadError(ctx.source_id, "formát cuzk_ku potřebuje tidy mapování s geo.column (kód KÚ)")
    frame = table.read_raw(raw, ctx)
    frame = table.drop_empty(frame, mapping.drop_empty, ctx.source_id)
    ku_column = mapping.geo.column
    require_columns(frame, [ku_column], ctx.source_id)
    ku = frame[ku_column].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    frame = frame.assign(_ku=ku, _obec=ku.map(ku_to_obec(ctx)))
    excluded = ku.isin(mapping.geo.exclude)
    unknown = sorted(ku[frame["_obec"].isna() & ~excluded].astype(str).unique())
    if unknown:
        raise ReadError(ctx.source_id, f"KÚ bez obce v seznamu {KU_LIST_SOURCE}: {unknown[:8]}"
                        f"{f' a dalších {len(unknown) - 8}' if len(unknown) > 8 else ''}")
    per_obec = mapping.model_copy(update={"geo": GeoMapping(column="_obec", code_list="obec")})
    placed = table.to_tidy(frame[~excluded], per_obec, ctx)
    everything = table.to_tidy(frame.assign(_obec="CZ"),
                               per_obec.model_copy(update={"geo": GeoMapping(value="CZ")}), ctx)
    obce = _sum(placed)
    parts = [obce]
    parents = ctx.geography().table
    for level in ROLL_UP:
        rolled = obce.assign(geo_code=obce["geo_code"].map(parents[level]), geo_level=level)
        parts.append(_sum(rolled))
    parts.append(_sum(everything.assign(geo_level="stat")))
    return pd.concat(parts, ignore_index=True)


def ku_to_obec(ctx: ReadContext) -> dict[str, str]:
    """KÚ code → obec code from the KÚ list source."""
    try:
        ku_list = ctx.lookup(KU_LIST_SOURCE)
    except SourceError as exc:
        raise ReadError(ctx.source_id, f"seznam katastrálních území ({KU_LIST_SOURCE}) není k dispozici: {exc}") from exc
    require_columns(ku_list, ["KU_KOD", "OBEC_KOD"], ctx.source_id)
    codes = ku_list[["KU_KOD", "OBEC_KOD"]].astype("string").apply(
        lambda s: s.str.strip().str.replace(r"\.0$", "", regex=True))
    return dict(zip(codes["KU_KOD"], codes["OBEC_KOD"], strict=False))


def _sum(frame: pd.DataFrame) -> pd.DataFrame:
    """Sum values over KÚ (or obce) with the same territory, period, indicator and dimensions.

    ``min_count=1`` keeps a sum of only missing values missing instead of turning it into 0.
    """
    keys = [c for c in frame.columns if c != "value"]
    return frame.groupby(keys, as_index=False, sort=False, dropna=False)["value"].sum(min_count=1)
