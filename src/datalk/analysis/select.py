"""Picking rows out of tidy tables: filters, latest period, values, ranks."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from datalk.sources.periods import period_key, sort_periods

KEY = ["geo_code", "geo_level", "period"]


def select(frame: pd.DataFrame, filters: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Rows matching every filter; ``None`` or ``""`` matches the total ("" in the tidy table).

    A filter on a column the table does not have is an error, not an empty result,
    so a typo in a topic YAML is caught by the contract tests.
    """
    rows = frame
    for column, wanted in (filters or {}).items():
        if column not in rows.columns:
            raise KeyError(f"sloupec '{column}' v tabulce není (má: {list(frame.columns)})")
        if wanted is None or wanted == "":
            rows = rows[rows[column].fillna("") == ""]
        elif isinstance(wanted, list | tuple | set):
            rows = rows[rows[column].isin([str(w) for w in wanted])]
        else:
            rows = rows[rows[column] == str(wanted)]
    return rows


def latest_period(frame: pd.DataFrame, geo_code: str | None = None) -> str | None:
    """The most recent period with a value (for one territory, when given)."""
    rows = frame[frame["value"].notna()]
    if geo_code is not None:
        rows = rows[rows["geo_code"] == geo_code]
    if rows.empty:
        return None
    return sort_periods(rows["period"])[-1]


def previous_period(frame: pd.DataFrame, period: str, geo_code: str | None = None) -> str | None:
    """The period right before ``period`` among those with values."""
    rows = frame[frame["value"].notna()]
    if geo_code is not None:
        rows = rows[rows["geo_code"] == geo_code]
    earlier = [p for p in sort_periods(rows["period"]) if period_key(p) < period_key(period)]
    return earlier[-1] if earlier else None


def value_at(frame: pd.DataFrame, geo_code: str, period: str) -> float | None:
    rows = frame[(frame["geo_code"] == geo_code) & (frame["period"] == period)]
    if rows.empty or rows["value"].isna().all():
        return None
    return float(rows["value"].dropna().iloc[0])


def rank_within(frame: pd.DataFrame, geo_code: str, period: str, codes: list[str],
                descending: bool = True) -> tuple[int, int] | None:
    """Rank of a territory among ``codes`` in one period (1 = highest when descending)."""
    rows = frame[(frame["period"] == period) & frame["geo_code"].isin(codes)].dropna(subset=["value"])
    if geo_code not in set(rows["geo_code"]):
        return None
    ordered = rows.sort_values("value", ascending=not descending)["geo_code"].tolist()
    return ordered.index(geo_code) + 1, len(ordered)
