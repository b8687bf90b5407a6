"""The one long shape every observation table has when it leaves the data layer."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from datalk.errors import GuardrailError, ReadError
from datalk.sources.periods import period_key
from datalk.sources.spec import SourceSpec

TIDY_COLUMNS = ["geo_code", "geo_level", "period", "indicator", "value"]


def slug(label: str) -> str:
    """A dimension name from a publisher's column label: 'Druh soc. dávek' → 'druh_soc_davek'."""
    plain = unicodedata.normalize("NFKD", str(label))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_") or "dim"


def to_number(series: pd.Series, decimal: str = ".") -> pd.Series:
    """Numbers from publisher text: '1 234,5' or '1234.5'; markers like 'i.d.' become NaN."""
    if pd.api.types.is_numeric_dtype(series):
        return series.astype("float64")
    text = series.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
    text = text.str.replace(" ", "", regex=False)
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def map_unique(series: pd.Series, function) -> pd.Series:
    """Apply a Python function once per distinct value (tables repeat periods and labels a lot)."""
    unique = series.dropna().unique()
    mapping = {value: function(value) for value in unique}
    return series.map(mapping)


def _values(series: pd.Series) -> set[str]:
    """Distinct values as plain strings, without iterating every row (slow for Arrow strings)."""
    return {str(v) for v in series.dropna().unique()}


def finalize(frame: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """Order columns, fix dtypes, sort, and refuse duplicate observations.

    Duplicates mean the mapping lost a dimension (or two labels matched one
    territory); silently keeping either value would show a wrong number.
    """
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise ReadError(source_id, f"po převodu chybí sloupce {missing}")
    dims = [c for c in frame.columns if c not in TIDY_COLUMNS]
    out = frame[TIDY_COLUMNS + dims].copy()
    for column in ["geo_code", "geo_level", "period", "indicator", *dims]:
        out[column] = out[column].astype("string").fillna("")
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    keys = ["geo_code", "period", "indicator", *dims]
    dupes = out[out.duplicated(keys, keep=False)]
    if not dupes.empty:
        sample = dupes.head(3)[keys].to_dict("records")
        raise ReadError(source_id, f"{len(dupes)} duplicitních pozorování, např. {sample}")
    out["_order"] = map_unique(out["period"], period_key)
    out = out.sort_values(["indicator", "geo_level", "geo_code", "_order", *dims], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def check_guardrails(frame: pd.DataFrame, spec: SourceSpec, region: str) -> None:
    """Reject a table that parsed but cannot be the real thing (too small, periods missing…)."""
    rails = spec.guardrails
    if len(frame) < rails.min_rows:
        raise GuardrailError(spec.id, f"jen {len(frame)} řádků, očekáváno alespoň {rails.min_rows}")
    if spec.output == "table":
        return
    if rails.required_periods and "period" in frame:
        missing = sorted(set(rails.required_periods) - _values(frame["period"]))
        if missing:
            raise GuardrailError(spec.id, f"chybí období {missing}")
    if rails.required_territories and "geo_code" in frame:
        wanted = {t.replace("{region}", region) for t in rails.required_territories}
        missing = sorted(wanted - _values(frame["geo_code"]))
        if missing:
            raise GuardrailError(spec.id, f"chybí území {missing}")
    if rails.levels and "geo_level" in frame:
        missing = sorted(set(rails.levels) - _values(frame["geo_level"]))
        if missing:
            raise GuardrailError(spec.id, f"chybí úrovně území {missing}")
    if spec.output == "observations" and frame["value"].notna().sum() == 0:
        raise GuardrailError(spec.id, "tabulka neobsahuje žádnou číselnou hodnotu")


def summarize(frame: pd.DataFrame) -> dict:
    """Facts for the lock record and `data status`: rows, periods, levels, indicators."""
    info: dict = {"rows": int(len(frame))}
    if "period" in frame and len(frame):
        periods = sorted(_values(frame["period"]), key=period_key)
        info["periods"] = [periods[0], periods[-1]]
        info["period_count"] = len(periods)
    if "geo_level" in frame:
        info["levels"] = sorted(_values(frame["geo_level"]))
    if "indicator" in frame:
        info["indicators"] = int(frame["indicator"].nunique())
    return info
