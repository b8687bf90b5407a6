"""Round tick values and their labels: live bar charts and printed figures (both use nice_ticks)."""

from __future__ import annotations

import pytest

from datalk.charts.style import nice_ticks
from datalk.charts.widgets import _step_format


@pytest.mark.parametrize(
    "low, high, expected",
    [
        (0, 78.2, [0, 20, 40, 60]),  # life expectancy: not 0, 26.1, 52.1, 78.2
        (0, 4321, [0, 1000, 2000, 3000, 4000]),
        (0, 0.37, [0, 0.1, 0.2, 0.3]),
        (-12, 30, [-10, 0, 10, 20, 30]),
    ],
)
def test_ticks_are_round_and_cover_the_values(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_a_single_value_or_no_value_gives_no_crowd_of_ticks():
    assert nice_ticks(5, 5) == [5]
    assert nice_ticks(float("nan"), float("nan")) == []


def test_tick_labels_have_the_decimals_of_the_step():
    assert _step_format(nice_ticks(0, 78.2)) == ",.0f"
    assert _step_format(nice_ticks(0, 0.37)) == ",.1f"
    assert _step_format([0, 0.05, 0.1]) == ",.2f"


def test_printed_tick_labels_are_czech_with_the_decimals_of_the_step():
    from datalk.charts.static import tick_labels

    assert tick_labels([0, 4, 8, 12, 16]) == ["0", "4", "8", "12", "16"]  # not 4,0 8,0
    assert tick_labels([0, 0.5, 1.0]) == ["0,0", "0,5", "1,0"]
    assert tick_labels([0, 10000, 20000])[2].replace("\xa0", " ") == "20 000"
