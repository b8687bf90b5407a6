"""Temporal and spatial coverage of a dataset, computed from its tidy table."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from datalk.catalog import vocab
from datalk.geography import Geography
from datalk.sources.periods import MONTH_NAMES_CS

_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4})-(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATES = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")


def czech_date(day: date) -> str:
    """date(2019, 1, 1) → '1. 1. 2019'."""
    return f"{day.day}. {day.month}. {day.year}"


def period_bounds(period: str) -> tuple[date, date] | None:
    """First and last day a period label covers ('2019-2021' → 2019-01-01, 2021-12-31)."""
    text = str(period).strip()
    try:
        if m := _YEAR.match(text):
            year = int(m.group(1))
            return date(year, 1, 1), date(year, 12, 31)
        if m := _RANGE.match(text):
            return date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
        if m := _MONTH.match(text):
            year, month = int(m.group(1)), int(m.group(2))
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if m := _QUARTER.match(text):
            year, quarter = int(m.group(1)), int(m.group(2))
            last = quarter * 3
            return date(year, last - 2, 1), date(year, last, calendar.monthrange(year, last)[1])
        if m := _DATE.match(text):
            day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return day, day
        if m := _DATES.match(text):
            return date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class Temporal:
    start: date
    end: date
    periods: int
    resolution: str | None  # ISO 8601 duration of one period (P1Y, P1M, P3M, P3Y) when uniform

    @property
    def label(self) -> str:
        """Czech label: '2005–2024', '1. 1. 2019', 'leden 2019 – červen 2025'."""
        start, end = self.start, self.end
        if start == end:
            return czech_date(start)
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
        if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
            first = f"{MONTH_NAMES_CS[start.month]} {start.year}"
            last = f"{MONTH_NAMES_CS[end.month]} {end.year}"
            return first if first == last else f"{first} – {last}"
        return f"{czech_date(start)} – {czech_date(end)}"

    def as_record(self) -> dict:
        return {"typ": "Časový interval", "začátek": self.start.isoformat(), "konec": self.end.isoformat()}


def temporal_coverage(periods: Iterable[object]) -> Temporal | None:
    """Coverage of all readable periods; None when the table has no readable period."""
    labels = {str(p).strip() for p in periods if p is not None and not pd.isna(p) and str(p).strip()}
    bounds = [b for b in (period_bounds(p) for p in labels) if b]
    if not bounds:
        return None
    return Temporal(min(b[0] for b in bounds), max(b[1] for b in bounds), len(bounds), _resolution(labels))


def _resolution(labels: set[str]) -> str | None:
    if not labels:
        return None
    if all(_YEAR.match(p) for p in labels):
        return "P1Y"
    if all(_MONTH.match(p) for p in labels):
        return "P1M"
    if all(_QUARTER.match(p) for p in labels):
        return "P3M"
    if all(_RANGE.match(p) for p in labels):
        lengths = {int(_RANGE.match(p).group(2)) - int(_RANGE.match(p).group(1)) + 1 for p in labels}
        if len(lengths) == 1:
            return f"P{lengths.pop()}Y"
    return None


@dataclass(frozen=True)
class Spatial:
    ruian: list[str]  # prvek_rúian
    areas: list[str]  # geografické_území (NUTS / EU country)
    label: str  # Czech label for the page
    regional: bool  # True when all territories lie in the portal's region


def spatial_coverage(codes: Iterable[object], geography: Geography, region: str) -> Spatial:
    """Region only (RÚIAN VÚSC + NUTS 3) when every territory lies in ``region``, else Czechia and the region.

    Territories unknown to the geography table count as outside the region (honest default).
    """
    table = geography.table
    unique = pd.Index(pd.Series(list(codes), dtype="object").dropna().astype(str).unique())
    unique = unique[unique != ""]
    known = table.reindex(unique)
    kraje = set(known["kraj"].where(known["level"] != "stat", "CZ").fillna("?"))
    region_row = table.loc[region] if region in table.index else None
    vusc = (region_row["ruian_code"] if region_row is not None and region_row["ruian_code"]
            else vocab.RUIAN_VUSC_LIBERECKY)
    region_iri = f"{vocab.RUIAN}vusc/{vusc}"
    region_name = region_row["name"] if region_row is not None else region
    if len(unique) and kraje == {region}:
        return Spatial([region_iri], [vocab.NUTS + region], region_name, True)
    return Spatial([vocab.RUIAN_STAT, region_iri], [vocab.COUNTRY_CZE, vocab.NUTS + region],
                   f"Česko a {region_name}", False)
