"""Build the :class:`~datalk.geography.Geography` from the official code-list sources.

Two sources with ``role: geography`` feed it: the obec → POU → ORP → okres → kraj
hierarchy with ČSÚ and NUTS codes, and the RÚIAN ORP list that adds RÚIAN codes
of ORP, okresy and kraje. The result is cached as ``geography.parquet`` next to the
tidy tables and rebuilt whenever one of the two sources changes.
"""

from __future__ import annotations

import pandas as pd

from datalk.errors import SourceError
from datalk.geography import Geography
from datalk.sources import cache
from datalk.text import fold

HIERARCHY_SOURCE = "cz_uzemi_hierarchie"
RUIAN_ORP_SOURCE = "cz_orp_ruian"

_memo: dict[str, Geography] = {}


def build_territories(hierarchy: pd.DataFrame, ruian_orp: pd.DataFrame | None) -> pd.DataFrame:
    """One row per territory from the obec hierarchy (+ RÚIAN codes where known)."""
    h = hierarchy.astype({c: "string" for c in hierarchy.columns if c not in ("lon", "lat")})
    obce = pd.DataFrame({
        "code": h.KOD_OBEC, "level": "obec", "name": h.NAZ_OBEC, "kraj": h.KOD_CZNUTS3,
        "okres": h.KOD_LAU1, "orp": h.KOD_ORP, "csu_code": h.KOD_OBEC, "ruian_code": h.KOD_OBEC,
        "pou_code": h.KOD_POU, "pou_name": h.NAZ_POU,
        "lon": pd.to_numeric(h.lon, errors="coerce"), "lat": pd.to_numeric(h.lat, errors="coerce"),
    })
    orp = (h.groupby(["KOD_ORP", "NAZ_ORP", "KOD_CZNUTS3"], as_index=False)
           .agg(okres=("KOD_LAU1", lambda s: s.mode().iloc[0])))
    orp_rows = pd.DataFrame({"code": orp.KOD_ORP, "level": "orp", "name": orp.NAZ_ORP,
                             "kraj": orp.KOD_CZNUTS3, "okres": orp.okres, "orp": orp.KOD_ORP,
                             "csu_code": orp.KOD_ORP})
    okresy = h.drop_duplicates("KOD_LAU1")
    okres_rows = pd.DataFrame({"code": okresy.KOD_LAU1, "level": "okres", "name": okresy.NAZ_LAU1,
                               "kraj": okresy.KOD_CZNUTS3, "okres": okresy.KOD_LAU1,
                               "csu_code": okresy.KOD_OKRES})
    kraje = h.drop_duplicates("KOD_CZNUTS3")
    kraj_rows = pd.DataFrame({"code": kraje.KOD_CZNUTS3, "level": "kraj", "name": kraje.NAZ_CZNUTS3,
                              "kraj": kraje.KOD_CZNUTS3, "csu_code": kraje.KOD_KRAJ})
    stat = pd.DataFrame([{"code": "CZ", "level": "stat", "name": "Česko", "csu_code": "CZ"}])
    table = pd.concat([stat, kraj_rows, okres_rows, orp_rows, obce], ignore_index=True)
    if ruian_orp is not None:
        table = _add_ruian_codes(table, ruian_orp)
    for column in ("kraj", "okres", "orp", "csu_code", "ruian_code", "pou_code", "pou_name"):
        table[column] = table[column].astype("string").fillna("")
    return table


def _add_ruian_codes(table: pd.DataFrame, ruian: pd.DataFrame) -> pd.DataFrame:
    """Join RÚIAN ORP/okres/VÚSC codes by (name, kraj name): the list has no ČSÚ codes."""
    kraj_names = table[table.level == "kraj"].set_index("code")["name"].map(fold)
    table = table.copy()
    table["ruian_code"] = table.get("ruian_code")
    vusc = dict(zip(ruian["kraj_nazev"].map(fold), ruian["kraj_kod"], strict=False))
    okres = dict(zip(zip(ruian["okres_nazev"].map(fold), ruian["kraj_nazev"].map(fold), strict=False),
                     ruian["okres_kod"], strict=False))
    orp = dict(zip(zip(ruian["orp_nazev"].map(fold), ruian["kraj_nazev"].map(fold), strict=False),
                   ruian["orp_kod"], strict=False))
    kraj_key = table["kraj"].map(kraj_names).fillna("")
    name_key = table["name"].map(fold)
    pairs = list(zip(name_key, kraj_key, strict=True))
    by_level = {
        "kraj": name_key.map(vusc),
        "okres": pd.Series([okres.get(p) for p in pairs], index=table.index),
        "orp": pd.Series([orp.get(p) for p in pairs], index=table.index),
    }
    for level, codes in by_level.items():
        rows = table.level == level
        table.loc[rows, "ruian_code"] = codes[rows].astype("string")
    return table


def geography_from_cache(load) -> Geography:
    """Geography from the cached code lists; ``load(source_id)`` fetches them if missing."""
    stamp = "|".join((cache.read_lock(s).sha256 if cache.read_lock(s) else "-")
                     for s in (HIERARCHY_SOURCE, RUIAN_ORP_SOURCE))
    if stamp in _memo:
        return _memo[stamp]
    path = cache.cache_root() / "geography.parquet"
    stamp_path = path.with_suffix(".stamp")
    if path.exists() and stamp_path.exists() and stamp_path.read_text() == stamp and "-" not in stamp.split("|"):
        table = pd.read_parquet(path)
    else:
        hierarchy = load(HIERARCHY_SOURCE)
        try:
            ruian = load(RUIAN_ORP_SOURCE)
        except SourceError:
            ruian = None  # RÚIAN codes are a convenience; ČSÚ/NUTS codes come from the hierarchy
        table = build_territories(hierarchy, ruian)
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_parquet(path, index=False)
        stamp = "|".join((cache.read_lock(s).sha256 if cache.read_lock(s) else "-")
                         for s in (HIERARCHY_SOURCE, RUIAN_ORP_SOURCE))
        stamp_path.write_text(stamp)
    geography = Geography(table)
    _memo.clear()
    _memo[stamp] = geography
    return geography


def forget() -> None:
    _memo.clear()
