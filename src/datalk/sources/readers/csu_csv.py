"""ČSÚ open-data CSV: the long format with idhod, hodnota, stapro_kod and code/label pairs.

Territory columns are ``uzemi_cis``/``uzemi_kod`` (or ``vuzemi_…``): the code-list
number says which list the code belongs to (97 ČR, 100 kraje, 101 okresy, 65 ORP,
43 obce). Time is ``rok`` or the range ``casref_od``/``casref_do``. Every other
``X_txt`` column is a dimension named ``x``; code-only dimensions keep their code.
Territories deliberately not modelled (e.g. the merged "Hlavní město Praha +
Středočeský kraj") are dropped only when the source YAML lists their label in
``geo.exclude``; any other unknown code list still fails.
"""

from __future__ import annotations

import pandas as pd

from datalk.errors import ReadError
from datalk.geography.model import CSU_CIS
from datalk.sources.periods import period_from_dates
from datalk.sources.readers.base import ReadContext, read_delimited, require_columns
from datalk.sources.tidy import to_number

SKIP = {"idhod", "hodnota", "stapro_kod", "stapro_txt", "rok", "casref_od", "casref_do", "refobdobi"}


def read(raw: bytes, ctx: ReadContext) -> pd.DataFrame:
    frame = read_delimited(raw, ctx.options, ctx.source_id)
    frame.columns = [c.lower() for c in frame.columns]
    require_columns(frame, ["idhod", "hodnota", "stapro_kod"], ctx.source_id)
    prefix = "vuzemi" if "vuzemi_kod" in frame.columns else "uzemi"
    require_columns(frame, [f"{prefix}_cis", f"{prefix}_kod"], ctx.source_id)
    if "rok" not in frame.columns and "casref_od" not in frame.columns:
        raise ReadError(ctx.source_id, "chybí časový sloupec (rok nebo casref_od/casref_do)")
    frame = drop_excluded(frame, prefix, ctx)
    return to_tidy(frame, prefix, ctx)


def drop_excluded(frame: pd.DataFrame, prefix: str, ctx: ReadContext) -> pd.DataFrame:
    """Drop rows whose territory label (``uzemi_txt``) is listed in the YAML's ``geo.exclude``."""
    exclude = ctx.spec.geo.exclude if ctx.spec.geo else []
    if not exclude:
        return frame
    label_col = f"{prefix}_txt"
    if label_col not in frame.columns:
        raise ReadError(ctx.source_id, f"geo.exclude potřebuje sloupec {label_col} s názvy území")
    return frame[~frame[label_col].str.strip().isin(exclude)].reset_index(drop=True)


def to_tidy(frame: pd.DataFrame, prefix: str, ctx: ReadContext) -> pd.DataFrame:
    geography = ctx.geography()
    geo = pd.Series(pd.NA, index=frame.index, dtype="object")
    level = pd.Series(pd.NA, index=frame.index, dtype="object")
    for cis, rows in frame.groupby(f"{prefix}_cis").groups.items():
        code_list = CSU_CIS.get(str(cis).split(".")[0])
        if code_list is None:
            raise ReadError(ctx.source_id, f"neznámý číselník území {cis} ve sloupci {prefix}_cis")
        codes = frame.loc[rows, f"{prefix}_kod"]
        if code_list == "stat":
            geo.loc[rows] = "CZ"
        else:
            geo.loc[rows] = geography.translate(codes, code_list).to_numpy()
        level.loc[rows] = {"stat": "stat", "csu_kraj": "kraj", "csu_okres": "okres",
                           "csu_orp": "orp", "obec": "obec"}[code_list]
    if geo.isna().any():
        bad = frame.loc[geo.isna(), [f"{prefix}_cis", f"{prefix}_kod"]].drop_duplicates().head(5)
        raise ReadError(ctx.source_id, f"neznámé kódy území: {bad.to_dict('records')}")
    if "rok" in frame.columns:
        period = frame["rok"].str.replace(r"\.0$", "", regex=True)
    else:
        period = [period_from_dates(a, b) for a, b in zip(frame["casref_od"], frame["casref_do"], strict=False)]
    indicator = frame["stapro_txt"] if "stapro_txt" in frame.columns else frame["stapro_kod"]
    out = pd.DataFrame({
        "geo_code": geo, "geo_level": level, "period": period,
        "indicator": indicator, "value": to_number(frame["hodnota"]),
    })
    for dim, values in _dimensions(frame, prefix).items():
        out[dim] = values
    return out


def _dimensions(frame: pd.DataFrame, prefix: str) -> dict[str, pd.Series]:
    """Label columns (``x_txt``) and code-only dimensions (``x_kod`` without ``x_txt``)."""
    dims: dict[str, pd.Series] = {}
    territory = {f"{prefix}_cis", f"{prefix}_kod", f"{prefix}_txt"}
    for column in frame.columns:
        if column in SKIP or column in territory:
            continue
        if column.endswith("_txt"):
            dims[column[:-4]] = frame[column]
        elif column.endswith("_kod") and f"{column[:-4]}_txt" not in frame.columns:
            dims[column[:-4]] = frame[column].str.replace(r"\.0$", "", regex=True)
    return dims
