"""Named derivations of indicators: per 1 000 inhabitants, shares, changes, indices.

Topic YAMLs refer to these by name (``derive: {function: per_1000, …}``); there is
no arithmetic in YAML. Inputs are tidy frames of single indicators (one value per
territory and period); outputs are tidy frames too.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from datalk.geography import Geography
from datalk.sources.periods import period_key

KEY = ["geo_code", "geo_level", "period"]


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    """Reduce to one value per territory and period; refuse ambiguous inputs."""
    rows = frame[KEY + ["value"]]
    if rows.duplicated(KEY).any():
        raise ValueError("vstup odvozeného ukazatele má víc hodnot pro jedno území a období; upřesněte filtry")
    return rows


ALIGNMENTS = ("year", "previous_year")


def _year_key(period: str, align: str | None, side: str) -> str:
    """The join key of a period under an alignment rule.

    ``year``: periods of one calendar year meet ('2023-01-01' with '2023').
    ``previous_year``: a state at 1 January meets the year before's year-end value
    ('2023-01-01' vehicles with the population of '2022' at 31 December).
    """
    if align is None:
        return period
    year = int(str(period)[:4])
    if align == "previous_year" and side == "numerator" and str(period)[4:10] == "-01-01":
        year -= 1
    return str(year)


def _year_keys(periods: pd.Series, align: str | None, side: str) -> pd.Series:
    """:func:`_year_key` of every row, computed once per distinct period (tables have 10⁵ rows, ~20 periods)."""
    keys = {period: _year_key(period, align, side) for period in periods.unique()}
    return periods.map(keys)


def ratio(numerator: pd.DataFrame, denominator: pd.DataFrame, scale: float = 1.0,
          align: str | None = None) -> pd.DataFrame:
    """numerator / denominator × scale, matched by territory and period.

    Registers and statistics date the same year differently (a state at 1. 1. vs a
    year-end figure): ``align`` (see :data:`ALIGNMENTS`) matches them explicitly;
    the result keeps the numerator's period.
    """
    if align is not None and align not in ALIGNMENTS:
        raise ValueError(f"neznámé zarovnání období '{align}' (možnosti: {', '.join(ALIGNMENTS)})")
    top, bottom = _values(numerator).copy(), _values(denominator).copy()
    top["_key"] = _year_keys(top["period"], align, "numerator")
    bottom["_key"] = _year_keys(bottom["period"], align, "denominator")
    if bottom.duplicated(["geo_code", "_key"]).any():
        raise ValueError("jmenovatel má po zarovnání víc hodnot pro jedno území a rok")
    joined = top.merge(bottom.drop(columns=["geo_level", "period"]), on=["geo_code", "_key"], suffixes=("_n", "_d"))
    denominator_values = joined["value_d"].where(joined["value_d"] != 0)
    joined["value"] = joined["value_n"] / denominator_values * float(scale)
    return joined[KEY + ["value"]].reset_index(drop=True)


def per_1000(numerator: pd.DataFrame, population: pd.DataFrame, align: str | None = None) -> pd.DataFrame:
    """Count per 1 000 inhabitants (vehicles, crimes, dwellings…)."""
    return ratio(numerator, population, 1000.0, align)


def per_capita(numerator: pd.DataFrame, population: pd.DataFrame, align: str | None = None) -> pd.DataFrame:
    """Amount per inhabitant (CZK of budgets per person…)."""
    return ratio(numerator, population, 1.0, align)


def share(part: pd.DataFrame, whole: pd.DataFrame, align: str | None = None) -> pd.DataFrame:
    """Part as a percentage of the whole (forest share of land, turnout…)."""
    return ratio(part, whole, 100.0, align)


def difference(minuend: pd.DataFrame, subtrahend: pd.DataFrame) -> pd.DataFrame:
    """minuend − subtrahend (immigrants − emigrants, revenues − expenditures…)."""
    joined = _values(minuend).merge(_values(subtrahend), on=KEY, suffixes=("_a", "_b"))
    joined["value"] = joined["value_a"] - joined["value_b"]
    return joined[KEY + ["value"]].reset_index(drop=True)


def sum_of(*parts: pd.DataFrame, **named: pd.DataFrame) -> pd.DataFrame:
    """Sum of several indicators for the same territories and periods.

    Takes the parts positionally (Python) or by any names (a topic YAML's
    ``inputs: {a: …, b: …}``); only territories with every part get a sum.
    """
    parts = (*parts, *named.values())
    if not parts:
        raise ValueError("sum_of potřebuje aspoň jeden vstup")
    combined = pd.concat([_values(p) for p in parts])
    counts = combined.groupby(KEY)["value"].count()
    total = combined.groupby(KEY, as_index=False)["value"].sum(min_count=1)
    complete = counts[counts == len(parts)].index
    return total.set_index(KEY).loc[complete].reset_index()


def yoy_change(series: pd.DataFrame, percent: bool = True) -> pd.DataFrame:
    """Change against the previous period of the same territory (in % by default)."""
    rows = _values(series).copy()
    rows["_order"] = rows["period"].map(period_key)
    rows = rows.sort_values(["geo_code", "_order"])
    previous = rows.groupby("geo_code")["value"].shift(1)
    change = rows["value"] - previous
    rows["value"] = change / previous.where(previous != 0) * 100 if percent else change
    return rows.dropna(subset=["value"])[KEY + ["value"]].reset_index(drop=True)


def index_to_base(series: pd.DataFrame, base_period: str) -> pd.DataFrame:
    """Index with the base period = 100, per territory; territories without the base drop out."""
    rows = _values(series)
    base = rows[rows["period"] == base_period].set_index("geo_code")["value"]
    rows = rows[rows["geo_code"].isin(base.index)].copy()
    rows["value"] = rows["value"] / rows["geo_code"].map(base).where(lambda b: b != 0) * 100
    return rows.reset_index(drop=True)


def aggregate_up(frame: pd.DataFrame, geography: Geography, levels: list[str]) -> pd.DataFrame:
    """Sum obec-level counts into ORP, okres, kraj and ČR (only for additive indicators).

    A higher-level value is produced only when every obec of that territory has a
    value, so a partial sum is never shown as a total.
    """
    obce = frame[frame["geo_level"] == "obec"]
    if obce.empty:
        return frame
    dims = [c for c in frame.columns if c not in ("geo_code", "geo_level", "period", "value")]
    parents = geography.table.reindex(obce["geo_code"])  # unknown codes → no parent (NaN)
    parts = [frame]
    for level in levels:
        if level == "stat":
            parent = pd.Series("CZ", index=obce.index)
        else:
            parent = pd.Series(parents[level].to_numpy(), index=obce.index)
        grouped = obce.assign(geo_code=parent, geo_level=level)
        values = grouped.groupby(["geo_code", "geo_level", "period", *dims], dropna=False)["value"]
        # built-in aggregations only: a Python lambda per group cost ~0.2 s per indicator
        result = pd.DataFrame({"value": values.sum(), "n": values.size(), "valid": values.count()}).reset_index()
        result["value"] = result["value"].where(result["valid"] == result["n"])  # a gap → no total
        expected = _obce_count(geography, level, result["geo_code"])
        result = result[result["n"] == expected].drop(columns=["n", "valid"])
        parts.append(result[frame.columns.intersection(result.columns)])
    combined = pd.concat(parts, ignore_index=True)
    return combined.drop_duplicates(["geo_code", "period", *dims], keep="first")


def _obce_count(geography: Geography, level: str, codes: pd.Series) -> pd.Series:
    if level == "stat":
        return pd.Series(geography.obce_counts("stat")["CZ"], index=codes.index)
    return codes.map(geography.obce_counts(level)).fillna(-1).astype(int)


def scale(series: pd.DataFrame, factor: float) -> pd.DataFrame:
    """Unit conversion (m² → ha is ``factor: 0.0001``, thousands of CZK → CZK is 1000)."""
    rows = _values(series).copy()
    rows["value"] = rows["value"] * float(factor)
    return rows.reset_index(drop=True)


#: Names a topic YAML may use in ``derive.function``.
DERIVATIONS: dict[str, Callable[..., pd.DataFrame]] = {
    "ratio": ratio,
    "per_1000": per_1000,
    "per_capita": per_capita,
    "share": share,
    "difference": difference,
    "sum_of": sum_of,
    "yoy_change": yoy_change,
    "index_to_base": index_to_base,
    "scale": scale,
}
