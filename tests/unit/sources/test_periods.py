import pytest

from datalk.sources.periods import (
    parse_period,
    period_from_dates,
    period_key,
    period_label,
    sort_periods,
)


@pytest.mark.parametrize(("label", "expected"), [
    ("2023", "2023"), ("2023.0", "2023"), ("2019-2021", "2019-2021"), ("2019 – 2021", "2019-2021"),
    ("březen 2019", "2019-03"), ("Říjen 2024", "2024-10"), ("1. čtvrtletí 2001", "2001-Q1"),
    ("2024-08", "2024-08"), ("2019-01-01", "2019-01-01"),
])
def test_publisher_period_labels_are_normalised(label, expected):
    assert parse_period(label) == expected


def test_unknown_period_label_is_named_in_the_error():
    with pytest.raises(ValueError, match="nerozpoznané období 'Q5 2020'"):
        parse_period("Q5 2020")


def test_csu_reference_dates_become_years_or_ranges():
    assert period_from_dates("2013-01-01", "2017-12-31") == "2013-2017"
    assert period_from_dates("2017-01-01", "2017-12-31") == "2017"


def test_periods_sort_in_time_order_across_kinds():
    assert sort_periods(["2020", "2019-03", "2018-2019", "2019-Q4"]) == ["2018-2019", "2019-03", "2019-Q4", "2020"]
    assert period_key("2019-2021") == 2020.5


def test_period_labels_read_naturally_in_czech():
    assert period_label("2019-03") == "březen 2019"
    assert period_label("2001-Q1") == "1. čtvrtletí 2001"
    assert period_label("2019-2021") == "2019–2021"
