"""Periods as stable strings ('2023', '2019-2021', '2019-03', '2001-Q1') and their order."""

from __future__ import annotations

import re

import pandas as pd

MONTHS_CS = {
    "leden": 1, "únor": 2, "březen": 3, "duben": 4, "květen": 5, "červen": 6,
    "červenec": 7, "srpen": 8, "září": 9, "říjen": 10, "listopad": 11, "prosinec": 12,
}
MONTH_NAMES_CS = {number: name for name, number in MONTHS_CS.items()}

_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
_RANGE = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
_MONTH_CS = re.compile(r"^([a-zúéíýáčřšžěů]+)\s+(\d{4})$", re.IGNORECASE)
_QUARTER_CS = re.compile(r"^([1-4])\.\s*čtvrtletí\s+(\d{4})$", re.IGNORECASE)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def parse_period(label: object) -> str:
    """Normalise a publisher's period label; raises ValueError naming the label."""
    text = str(label).strip()
    if m := _YEAR.match(text):
        return m.group(1)
    if m := _RANGE.match(text):
        return f"{m.group(1)}-{m.group(2)}"
    if m := _QUARTER_CS.match(text):
        return f"{m.group(2)}-Q{m.group(1)}"
    if m := _MONTH_CS.match(text):
        month = MONTHS_CS.get(m.group(1).lower())
        if month:
            return f"{m.group(2)}-{month:02d}"
    if _ISO_MONTH.match(text) or _ISO_QUARTER.match(text):
        return text
    if m := _DATE.match(text):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    raise ValueError(f"nerozpoznané období '{text}'")


def period_from_dates(start: object, end: object) -> str:
    """ČSÚ casref_od/casref_do: one calendar year → '2017', several → '2013-2017'."""
    first, last = str(start)[:4], str(end)[:4]
    if str(start)[5:10] == "01-01" and str(end)[5:10] == "12-31":
        return first if first == last else f"{first}-{last}"
    return f"{str(start)[:10]}/{str(end)[:10]}"


def period_key(period: str) -> float:
    """A sortable number: the middle of the period in years (2019-2021 → 2020.5)."""
    text = str(period)
    if m := _RANGE.match(text):
        return (int(m.group(1)) + int(m.group(2)) + 1) / 2
    if m := _ISO_QUARTER.match(text):
        return int(m.group(1)) + (int(m.group(2)) - 0.5) / 4
    if m := _ISO_MONTH.match(text):
        return int(m.group(1)) + (int(m.group(2)) - 0.5) / 12
    if m := _DATE.match(text):
        return int(m.group(1)) + (int(m.group(2)) - 1) / 12 + int(m.group(3)) / 365
    if m := _YEAR.match(text):
        return int(m.group(1)) + 0.5
    return float("nan")


def sort_periods(periods) -> list[str]:
    """Unique periods in time order."""
    # unique() before anything else: iterating an Arrow string column value by value costs
    # ~2 µs per value, and an indicator table has up to 100 000 rows
    series = periods if isinstance(periods, pd.Series) else pd.Series(list(periods), dtype="object")
    return sorted((str(p) for p in series.dropna().unique()), key=period_key)


def period_label(period: str, language: str = "cs") -> str:
    """Human label: '2019-03' → 'březen 2019', '2001-Q1' → '1. čtvrtletí 2001'."""
    text = str(period)
    if m := _ISO_QUARTER.match(text):
        return f"{m.group(2)}. čtvrtletí {m.group(1)}" if language == "cs" else f"Q{m.group(2)} {m.group(1)}"
    if m := _ISO_MONTH.match(text):
        if language == "cs":
            return f"{MONTH_NAMES_CS[int(m.group(2))]} {m.group(1)}"
        return f"{m.group(1)}-{m.group(2)}"
    if m := _RANGE.match(text):
        return f"{m.group(1)}–{m.group(2)}"
    if m := _DATE.match(text):
        day, month, year = int(m.group(3)), int(m.group(2)), m.group(1)
        return f"{day}. {month}. {year}" if language == "cs" else f"{year}-{m.group(2)}-{m.group(3)}"
    return text


def span_label(periods: list[str], language: str = "cs") -> str:
    """'2001–2002 až 2022–2023' for a covered span (one label when there is one period)."""
    if not periods:
        return ""
    first, last = period_label(periods[0], language), period_label(periods[-1], language)
    if first == last:
        return first
    return f"{first} až {last}" if language == "cs" else f"{first} to {last}"


def period_phrase(period: str, language: str = "cs") -> str:
    """The period inside a sentence: 'v roce 2023', 'k 1. 1. 2023', 'v období 2019–2021'."""
    text = str(period)
    if language == "en":
        return f"in {period_label(text, 'en')}"
    if _YEAR.match(text):
        return f"v roce {text[:4]}"
    if _DATE.match(text):
        return f"k {period_label(text)}"
    return f"v období {period_label(text)}"
