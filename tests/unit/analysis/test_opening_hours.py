"""Opening hours and "open now" on small frames built here (times are Prague local time)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from datalk.analysis import czech_holidays, hours_on, is_holiday, open_now, parse_hours
from datalk.analysis.opening_hours import WEEKDAY_COLUMNS

DAYS = ("po", "ut", "st", "ct", "pa", "so", "ne")


def place(name: str, weekdays: str | None = None, weekend: str | None = None, holiday: str | None = None,
          validity: int = 1, **days: str | None) -> dict:
    """One place: ``weekdays`` for Mon–Fri, ``weekend`` for Sat–Sun, single days by Czech abbreviation."""
    row = {"name": name, "hodiny_svatek": holiday, "platnost": validity}
    for short, column in zip(DAYS, WEEKDAY_COLUMNS, strict=True):
        row[column] = days.get(short, weekdays if short not in ("so", "ne") else weekend)
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows)).set_index("name")


# 2025-03-07 is a Friday; 2025-03-08 Saturday; 2025-04-18 Good Friday; 2025-04-21 Easter Monday.
FRI_20 = datetime(2025, 3, 7, 20, 0)


@pytest.mark.parametrize(("text", "expected"), [
    ("16:00 - 21:00", [(960, 1260)]),
    ("16:00–21:00", [(960, 1260)]),
    ("16.00 - 21.00 hod.", [(960, 1260)]),
    ("od 7:30 do 15:00", [(450, 900)]),
    ("8 - 12", [(480, 720)]),
    ("8:00 - 12:00, 13:00 - 18:00", [(480, 720), (780, 1080)]),
    ("19:00 - 7:00", [(1140, 1860)]),
    ("20:00 - 24:00", [(1200, 1440)]),
    ("00:00 - 24:00", [(0, 1440)]),
    ("nepřetržitě", [(0, 1440)]),
    ("NON-STOP", [(0, 1440)]),
    ("24 hodin denně", [(0, 1440)]),
    ("20 - 24 h", [(1200, 1440)]),
    ("16:00 - 21:00 (jen akutní stavy)", [(960, 1260)]),
    ("zavřeno", []),
    ("zrušeno", []),
    ("Zrušeno od 1. 1. 2025", []),
    ("-", []),
    ("", None),
    ("   ", None),
    (None, None),
    (float("nan"), None),
])
def test_parse_hours(text, expected):
    assert parse_hours(text) == expected


@pytest.mark.parametrize("text", ["po domluvě", "25:00 - 26:00", "16:00 - 16:00", "8:61 - 9:00"])
def test_parse_hours_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_hours(text)


def test_czech_holidays_include_moving_easter_days():
    days = czech_holidays(2025)
    assert date(2025, 4, 18) in days  # Velký pátek
    assert date(2025, 4, 21) in days  # Velikonoční pondělí
    assert date(2025, 4, 20) not in days  # Easter Sunday is a Sunday, not a holiday
    assert {date(2025, 1, 1), date(2025, 5, 8), date(2025, 7, 5), date(2025, 9, 28),
            date(2025, 10, 28), date(2025, 11, 17), date(2025, 12, 24)} <= days
    assert len(days) == 13
    assert date(2024, 3, 29) in czech_holidays(2024) and date(2024, 4, 1) in czech_holidays(2024)
    assert is_holiday(date(2026, 4, 6)) and not is_holiday(date(2026, 4, 7))


def test_open_during_weekday_hours_and_closed_outside():
    places = frame(place("dospělí", weekdays="16:00 - 21:00", weekend="9:00 - 18:00"))
    assert open_now(places, FRI_20).tolist() == [True]
    assert open_now(places, datetime(2025, 3, 7, 21, 0)).tolist() == [False]  # end is exclusive
    assert open_now(places, datetime(2025, 3, 7, 15, 59)).tolist() == [False]
    assert open_now(places, datetime(2025, 3, 8, 10, 0)).tolist() == [True]  # Saturday


def test_overnight_hours_carry_into_the_next_morning():
    places = frame(place("noc", weekdays="19:00 - 7:00", weekend="zavřeno"))
    assert open_now(places, datetime(2025, 3, 6, 23, 30)).tolist() == [True]  # Thursday night
    assert open_now(places, datetime(2025, 3, 7, 6, 59)).tolist() == [True]  # Friday early morning
    assert open_now(places, datetime(2025, 3, 7, 7, 0)).tolist() == [False]
    # Friday night's service runs into Saturday morning although Saturday itself is closed
    assert open_now(places, datetime(2025, 3, 8, 3, 0)).tolist() == [True]
    # Sunday is closed and Saturday had no overnight hours: Sunday 3 am is closed
    assert open_now(places, datetime(2025, 3, 9, 3, 0)).tolist() == [False]
    # Monday early morning: Sunday was closed, so nothing carries over
    assert open_now(places, datetime(2025, 3, 10, 3, 0)).tolist() == [False]


def test_weekend_only_dental_service():
    places = frame(place("zubní", weekdays=None, weekend="8:00 - 12:00"))
    assert open_now(places, datetime(2025, 3, 7, 9, 0)).tolist() == [False]
    assert open_now(places, datetime(2025, 3, 9, 9, 0)).tolist() == [True]


def test_holiday_column_applies_on_public_holidays():
    places = frame(place("svátky", weekdays="16:00 - 20:00", weekend="9:00 - 18:00", holiday="9:00 - 18:00"))
    good_friday_10 = datetime(2025, 4, 18, 10, 0)
    assert open_now(places, good_friday_10).tolist() == [True]
    assert open_now(places, datetime(2025, 4, 18, 19, 0)).tolist() == [False]  # holiday hours end at 18
    assert open_now(places, datetime(2025, 4, 17, 10, 0)).tolist() == [False]  # ordinary Thursday


def test_blank_holiday_column_falls_back_to_the_weekday():
    places = frame(place("bez svátku", weekdays="16:00 - 20:00", weekend="zavřeno", holiday=None))
    assert open_now(places, datetime(2025, 4, 21, 17, 0)).tolist() == [True]  # Easter Monday


def test_holiday_stated_closed_closes_a_weekday():
    places = frame(place("zavřeno o svátcích", weekdays="16:00 - 20:00", weekend="-", holiday="zavřeno"))
    assert open_now(places, datetime(2025, 5, 8, 17, 0)).tolist() == [False]  # 8 May, Thursday


def test_invalid_service_is_never_open():
    places = frame(place("platná", weekdays="nepřetržitě", weekend="nepřetržitě"),
                   place("zrušená", weekdays="nepřetržitě", weekend="nepřetržitě", validity=0))
    assert open_now(places, FRI_20).tolist() == [True, False]


def test_unreadable_hours_are_unknown_not_closed():
    places = frame(place("nejasné", weekdays="po telefonické domluvě", weekend="zavřeno"),
                   place("jasné", weekdays="16:00 - 21:00", weekend="zavřeno"))
    result = open_now(places, FRI_20)
    assert result.dtype == "boolean"
    assert pd.isna(result["nejasné"]) and bool(result["jasné"])
    assert places[result.fillna(False)].index.tolist() == ["jasné"]


def test_aware_datetimes_are_converted_to_prague_time():
    places = frame(place("dospělí", weekdays="16:00 - 21:00", weekend="zavřeno"))
    # 19:30 UTC on 7 March 2025 is 20:30 in Prague (CET, UTC+1)
    assert open_now(places, datetime(2025, 3, 7, 19, 30, tzinfo=UTC)).tolist() == [True]
    # 19:30 UTC on 4 July 2025 is 21:30 in Prague (CEST, UTC+2): closed
    assert open_now(places, datetime(2025, 7, 4, 19, 30, tzinfo=UTC)).tolist() == [False]


def test_result_is_aligned_with_the_frame_and_named():
    places = frame(place("a", weekdays="16:00 - 21:00", weekend="zavřeno"),
                   place("b", weekdays="zavřeno", weekend="zavřeno"))
    result = open_now(places, FRI_20)
    assert result.name == "open_now" and result.index.equals(places.index)


def test_missing_hours_columns_are_a_clear_error():
    with pytest.raises(KeyError, match="hodiny_pondeli"):
        open_now(pd.DataFrame({"name": ["x"]}), FRI_20)


def test_hours_on_picks_the_applicable_text():
    places = frame(place("a", weekdays="16:00 - 20:00", weekend="9:00 - 18:00", holiday="10:00 - 12:00"))
    assert hours_on(places, date(2025, 3, 7)).tolist() == ["16:00 - 20:00"]
    assert hours_on(places, date(2025, 3, 8)).tolist() == ["9:00 - 18:00"]
    assert hours_on(places, date(2025, 12, 25)).tolist() == ["10:00 - 12:00"]
