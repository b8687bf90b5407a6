"""Opening hours of places (emergency services): parse the publisher's texts, say who is open.

The region's dataset of medical emergency services (source ``lk_pohotovosti``) gives the
hours as one text column per weekday plus one for public holidays, e.g. ``16:00 - 21:00``,
``8:00 - 12:00, 13:00 - 18:00``, ``19:00 - 7:00`` (overnight, ends next morning),
``nepřetržitě`` (24 h), ``zavřeno`` / ``-`` / ``zrušeno`` (closed). A service can be marked
as no longer valid (``platnost`` 0).

Rules used by :func:`open_now`:

* a range whose end is not after its start runs past midnight into the next day
  (``19:00 - 7:00`` on Friday covers Friday 19:00 → Saturday 07:00);
* on a Czech public holiday the holiday column applies when it states something; when it is
  blank the ordinary weekday column applies (the publisher left it unstated, not closed);
* a blank weekday column means closed that day (the publisher lists only days with service);
* a service with validity 0 is never open;
* notes around the time ranges are ignored (``16:00 - 21:00 (jen akutní stavy)``); a text
  with no time range that is not a closed/non-stop word gives ``<NA>`` (unknown), never a guess.

Times without a time zone are Prague local time; aware datetimes are converted to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd

from datalk.text import fold

PRAGUE = ZoneInfo("Europe/Prague")

#: Tidy column names of ``lk_pohotovosti`` (data_sources/lk_pohotovosti.yaml), Monday first.
WEEKDAY_COLUMNS: tuple[str, ...] = (
    "hodiny_pondeli", "hodiny_utery", "hodiny_streda", "hodiny_ctvrtek",
    "hodiny_patek", "hodiny_sobota", "hodiny_nedele",
)
HOLIDAY_COLUMN = "hodiny_svatek"
VALIDITY_COLUMN = "platnost"

Interval = tuple[int, int]  # minutes from the day's midnight; an end above 1440 runs into the next day

_CLOSED = {"-", "–", "—", "x", "0", "ne", "nema", "neni", "zadne"}
_CLOSED_PREFIX = re.compile(r"^(zavren|zrusen|neordinuje|mimo provoz|bez ordinace|bez sluzby|neposkytuje)")
_NONSTOP = re.compile(r"nepretrzit|non\s*-?\s*stop|^24\s*(?:h|hod|hodin)\b|24\s*/\s*7|cely den|celodenn")
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_RANGE = re.compile(rf"(?:od\s*)?{_TIME}\s*(?:h\s*)?(?:-|–|—|do|az)\s*{_TIME}")


def parse_hours(text: object) -> list[Interval] | None:
    """Read one day's opening-hours text.

    Returns a list of ``(start, end)`` minutes (empty = closed), or ``None`` when nothing is
    stated (blank or missing). Raises ``ValueError`` for a text it cannot read.

    >>> parse_hours("16:00 - 21:00")
    [(960, 1260)]
    >>> parse_hours("19:00 - 7:00")  # overnight
    [(1140, 1860)]
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    raw = str(text).strip()
    if not raw:
        return None
    plain = fold(raw).rstrip(".")
    if plain in _CLOSED or _CLOSED_PREFIX.match(plain):
        return []
    if _NONSTOP.search(plain):
        return [(0, 1440)]
    intervals: list[Interval] = []
    for match in _RANGE.finditer(plain):
        start = _minutes(match.group(1), match.group(2), raw)
        end = _minutes(match.group(3), match.group(4), raw)
        if start == end:
            raise ValueError(f"nejednoznačný interval ordinačních hodin '{raw}'")
        if start >= 1440:
            raise ValueError(f"začátek 24:00 v ordinačních hodinách '{raw}'")
        intervals.append((start, end if end > start else end + 1440))
    if not intervals:
        raise ValueError(f"nerozpoznané ordinační hodiny '{raw}'")
    return sorted(intervals)


def _minutes(hours: str, minutes: str | None, raw: str) -> int:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise ValueError(f"neplatný čas v ordinačních hodinách '{raw}'")
    return h * 60 + m


@lru_cache(maxsize=64)
def czech_holidays(year: int) -> frozenset[date]:
    """Public holidays in Czechia (státní svátky and ostatní svátky, zákon č. 245/2000 Sb.)."""
    easter = _easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 5), (7, 6), (9, 28), (10, 28), (11, 17), (12, 24), (12, 25), (12, 26)]
    days = {date(year, month, day) for month, day in fixed}
    days.add(easter + timedelta(days=1))  # Velikonoční pondělí
    if year >= 2016:
        days.add(easter - timedelta(days=2))  # Velký pátek (since 2016)
    return frozenset(days)


def _easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def is_holiday(day: date) -> bool:
    return day in czech_holidays(day.year)


def _local(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(PRAGUE).replace(tzinfo=None)
    if at.tzinfo is not None:
        return at.astimezone(PRAGUE).replace(tzinfo=None)
    return at


def _day_text(row: pd.Series, day: date, columns: Sequence[str], holiday_column: str | None) -> object:
    if holiday_column and is_holiday(day) and holiday_column in row.index:
        stated = row[holiday_column]
        if _stated(stated):
            return stated
    return row[columns[day.weekday()]]


def _stated(value: object) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) and str(value).strip() != ""


def _open_at(row: pd.Series, at: datetime, columns: Sequence[str], holiday_column: str | None) -> bool | None:
    today = at.date()
    minute = at.hour * 60 + at.minute
    checks = ((today, minute), (today - timedelta(days=1), minute + 1440))  # today, and last night's spill-over
    unknown = False
    for day, moment in checks:
        text = _day_text(row, day, columns, holiday_column)
        try:
            intervals = parse_hours(text) or []
        except ValueError:
            unknown = True
            continue
        if any(start <= moment < end for start, end in intervals):
            return True
    return None if unknown else False


def open_now(frame: pd.DataFrame, at: datetime | None = None, *,
             columns: Sequence[str] = WEEKDAY_COLUMNS, holiday_column: str | None = HOLIDAY_COLUMN,
             validity_column: str | None = VALIDITY_COLUMN) -> pd.Series:
    """Which places are open at ``at`` (default: now, Prague time).

    ``frame`` has one row per place with one opening-hours text column per weekday
    (``columns``, Monday first), optionally a holiday column and a validity column (0/1).
    Returns a nullable boolean Series aligned with ``frame`` named ``open_now``:
    ``True`` open, ``False`` closed or no longer valid, ``<NA>`` when the hours cannot be read.
    Filter with ``frame[open_now(frame, at).fillna(False)]``.
    """
    if len(columns) != 7:
        raise ValueError("columns: očekáváno 7 sloupců ordinačních hodin (pondělí až neděle)")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"tabulka nemá sloupce ordinačních hodin {missing}")
    moment = _local(at)
    holiday = holiday_column if holiday_column and holiday_column in frame.columns else None
    values = [_open_at(row, moment, columns, holiday) for _, row in frame.iterrows()]
    result = pd.Series(pd.array(values, dtype="boolean"), index=frame.index, name="open_now")
    if validity_column and validity_column in frame.columns:
        result[~_valid(frame[validity_column])] = False
    return result


def _valid(column: pd.Series) -> pd.Series:
    """Validity flag: 0 / '0' / false / 'ne' means no longer valid; blank means valid."""
    text = column.astype("string").fillna("").str.strip().str.lower()
    return ~text.isin({"0", "0.0", "false", "ne", "neplatné", "neplatny", "zrušeno"})


def hours_on(frame: pd.DataFrame, day: date, *, columns: Sequence[str] = WEEKDAY_COLUMNS,
             holiday_column: str | None = HOLIDAY_COLUMN) -> pd.Series:
    """The opening-hours text that applies on ``day`` (holiday column on public holidays)."""
    holiday = holiday_column if holiday_column and holiday_column in frame.columns else None
    texts = [_day_text(row, day, columns, holiday) for _, row in frame.iterrows()]
    return pd.Series(texts, index=frame.index, name="hodiny", dtype="object")
