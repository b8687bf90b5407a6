"""Derived indicators on small frames built here."""

import math

import pandas as pd
import pytest

from datalk.analysis import (
    aggregate_up,
    difference,
    index_to_base,
    latest_period,
    per_1000,
    previous_period,
    rank_within,
    select,
    share,
    sum_of,
    yoy_change,
)
from datalk.geography import Geography


def frame(rows):
    return pd.DataFrame(rows, columns=["geo_code", "geo_level", "period", "value"])


VEHICLES = frame([("CZ051", "kraj", "2023", 300_000.0), ("CZ052", "kraj", "2023", 400_000.0)])
POPULATION = frame([("CZ051", "kraj", "2023", 450_000.0), ("CZ052", "kraj", "2023", 0.0)])


def test_per_1000_divides_and_never_divides_by_zero():
    out = per_1000(VEHICLES, POPULATION).set_index("geo_code")["value"]
    assert out["CZ051"] == pytest.approx(666.667, rel=1e-4)
    assert math.isnan(out["CZ052"])


def test_share_is_percent_of_whole():
    part = frame([("CZ051", "kraj", "2014", 1408.1)])
    whole = frame([("CZ051", "kraj", "2014", 3163.5)])
    assert share(part, whole)["value"].iloc[0] == pytest.approx(44.51, abs=0.01)


def test_yoy_change_per_territory_in_period_order():
    series = frame([("A", "kraj", "2022", 100.0), ("A", "kraj", "2020", 80.0), ("A", "kraj", "2021", 90.0),
                    ("B", "kraj", "2021", 10.0)])
    out = yoy_change(series)
    assert out["period"].tolist() == ["2021", "2022"]
    assert out["value"].round(3).tolist() == [12.5, 11.111]


def test_index_to_base_period():
    series = frame([("A", "kraj", "2015", 50.0), ("A", "kraj", "2020", 60.0), ("B", "kraj", "2020", 1.0)])
    out = index_to_base(series, "2015")
    assert out.set_index("period")["value"].to_dict() == {"2015": 100.0, "2020": 120.0}
    assert "B" not in set(out.geo_code)  # no base value → not indexed


def test_difference_and_sum_only_where_all_inputs_exist():
    a = frame([("A", "kraj", "2020", 5.0), ("B", "kraj", "2020", 1.0)])
    b = frame([("A", "kraj", "2020", 3.0)])
    assert difference(a, b)["value"].tolist() == [2.0]
    assert sum_of(a, b)["value"].tolist() == [8.0]


def test_ambiguous_input_is_refused():
    doubled = pd.concat([VEHICLES, VEHICLES])
    with pytest.raises(ValueError, match="víc hodnot"):
        per_1000(doubled, POPULATION)


def test_select_treats_none_as_total_and_rejects_unknown_columns():
    table = pd.DataFrame({"geo_code": ["A", "A"], "pohlavi": ["", "muž"], "value": [1.0, 2.0]})
    assert select(table, {"pohlavi": None})["value"].tolist() == [1.0]
    assert select(table, {"pohlavi": "muž"})["value"].tolist() == [2.0]
    with pytest.raises(KeyError, match="vek"):
        select(table, {"vek": None})


def test_latest_previous_and_rank():
    series = frame([("A", "kraj", "2019-2021", 1.0), ("A", "kraj", "2020-2022", 3.0), ("B", "kraj", "2020-2022", 5.0),
                    ("C", "kraj", "2020-2022", float("nan"))])
    assert latest_period(series) == "2020-2022"
    assert previous_period(series, "2020-2022", "A") == "2019-2021"
    assert rank_within(series, "A", "2020-2022", ["A", "B", "C"]) == (2, 2)


def _tiny_geography() -> Geography:
    rows = [
        ("CZ", "stat", "Česko", "", "", "", "", "", "", "", None, None),
        ("CZ051", "kraj", "Liberecký kraj", "CZ051", "", "", "3077", "78", "", "", None, None),
        ("CZ0513", "okres", "Liberec", "CZ051", "CZ0513", "", "40541", "", "", "", None, None),
        ("5105", "orp", "Liberec", "CZ051", "CZ0513", "5105", "5105", "", "", "", None, None),
        ("563889", "obec", "Liberec", "CZ051", "CZ0513", "5105", "563889", "563889", "", "", None, None),
        ("564028", "obec", "Stráž nad Nisou", "CZ051", "CZ0513", "5105", "564028", "564028", "", "", None, None),
    ]
    columns = ["code", "level", "name", "kraj", "okres", "orp", "csu_code", "ruian_code", "pou_code", "pou_name", "lon", "lat"]
    return Geography(pd.DataFrame(rows, columns=columns))


def test_aggregate_up_sums_complete_territories_only():
    geography = _tiny_geography()
    obce = frame([("563889", "obec", "2023", 78445.0), ("564028", "obec", "2023", 1500.0),
                  ("563889", "obec", "2022", 77000.0)])
    out = aggregate_up(obce, geography, ["orp", "okres", "kraj", "stat"]).set_index(["geo_code", "period"])["value"]
    assert out[("5105", "2023")] == 79945.0
    assert out[("CZ051", "2023")] == 79945.0
    assert ("5105", "2022") not in out.index  # one obec missing in 2022: no partial total


def test_aggregate_up_gives_no_total_when_an_obec_has_no_value():
    geography = _tiny_geography()
    obce = frame([("563889", "obec", "2023", 78445.0), ("564028", "obec", "2023", float("nan")),
                  ("999999", "obec", "2023", 5.0)])  # a code the register does not know has no parent
    out = aggregate_up(obce, geography, ["orp", "kraj"]).set_index(["geo_code", "period"])["value"]
    assert pd.isna(out[("5105", "2023")])  # a gap is not summed as if it were zero
    assert pd.isna(out[("CZ051", "2023")])
    assert out[("999999", "2023")] == 5.0


def test_ratio_aligns_a_state_at_1_january_with_the_previous_year_end():
    vehicles = frame([("563889", "obec", "2023-01-01", 78445.0)])
    population = frame([("563889", "obec", "2022", 103979.0), ("563889", "obec", "2023", 107699.0)])
    assert per_1000(vehicles, population).empty  # no silent match of different periods
    aligned = per_1000(vehicles, population, align="previous_year")
    assert aligned["period"].tolist() == ["2023-01-01"]
    assert aligned["value"].iloc[0] == pytest.approx(754.4, abs=0.1)
    same_year = per_1000(vehicles, population, align="year")
    assert same_year["value"].iloc[0] == pytest.approx(728.4, abs=0.1)


def test_sum_of_accepts_named_inputs_from_yaml():
    a = frame([("A", "kraj", "2020", 5.0)])
    b = frame([("A", "kraj", "2020", 3.0)])
    assert sum_of(first=a, second=b)["value"].tolist() == [8.0]
