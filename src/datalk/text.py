"""Czech text helpers: number formatting (1 234,5) and diacritics-insensitive matching."""

from __future__ import annotations

import math
import re
import unicodedata

NBSP = "\u00a0"


def fold(text: str) -> str:
    """Lower-case, strip diacritics and squeeze spaces: 'Česká  Lípa' -> 'ceska lipa'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain).strip().lower()


def format_number(value: float | int | None, decimals: int = 0, unit: str = "") -> str:
    """Format a number the Czech way: thin groups of thousands, decimal comma.

    A missing value prints as an en dash, as in ČSÚ tables.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    if text.startswith("-"):
        text = "−" + text[1:]
    return f"{text}{NBSP}{unit}" if unit else text


def format_change(value: float | None, decimals: int = 1, unit: str = "") -> str:
    """A signed change, '+1,2 %' or '−0,4 %', for KPI tiles."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "+" if value > 0 else ""
    return sign + format_number(value, decimals, unit)
