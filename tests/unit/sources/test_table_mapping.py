"""The ``table`` reader's mapping options for real publisher layouts.

Melted columns carrying a dimension value or a period, recoding publisher labels,
dropping spreadsheet headings and footnotes, date periods cut to month/quarter,
single-territory extracts, label → code overrides and (obec, POU) pairs that need
the okres qualifier or a unique name.
"""

from __future__ import annotations

import pandas as pd
import pytest

from datalk.errors import ReadError
from datalk.sources.readers import table
from datalk.sources.readers.base import ReadContext
from datalk.sources.spec import SourceSpec
from tests.unit.sources import minigeo

BASE = dict(id="t", title="t", description="d", publisher="p", landing_page="https://example.org",
            licence={"name": "CC BY 4.0", "attribution": "a"}, origin={"kind": "none"}, format="table")


def ctx(tidy: dict, **read) -> ReadContext:
    spec = SourceSpec.model_validate({**BASE, "tidy": tidy, "read": {"file_type": "csv", **read}})
    return ReadContext(spec=spec, options=spec.read, geography=minigeo.geography)


def read(csv: str, tidy: dict, **options) -> pd.DataFrame:
    return table.read(csv.encode(), ctx(tidy, **options))


def test_melted_columns_carry_dimension_values_and_totals():
    csv = ("POH,ZUJ,Celkem,0-4,5-9\n"
           "celkem,563889,100,60,40\n"
           "muži,563889,48,30,18\n")
    out = read(csv, {
        "geo": {"column": "ZUJ", "code_list": "obec"}, "period": {"value": "2020-12-31"},
        "dimensions": {"pohlavi": "POH"}, "recode": {"pohlavi": {"celkem": ""}},
        "melt": {"Celkem": {"indicator": "Počet obyvatel", "vek": ""},
                 "0-4": {"indicator": "Počet obyvatel", "vek": "0-4"},
                 "5-9": {"indicator": "Počet obyvatel", "vek": "5-9"}},
    })
    assert set(out.indicator) == {"Počet obyvatel"}
    total = out[(out.pohlavi == "") & (out.vek == "")]
    assert total.value.tolist() == [100]
    men = out[out.pohlavi == "muži"].set_index("vek").value
    assert men.to_dict() == {"": 48, "0-4": 30, "5-9": 18}


def test_plain_string_melt_still_means_indicator_only():
    out = read("kod,a,b\n563889,1,2\n", {"geo": {"column": "kod", "code_list": "obec"},
                                         "period": {"value": "2024"}, "melt": {"a": "A", "b": "B"}})
    assert sorted(out.columns) == ["geo_code", "geo_level", "indicator", "period", "value"]
    assert out.set_index("indicator").value.to_dict() == {"A": 1, "B": 2}


def test_drop_empty_removes_headings_and_footnotes():
    csv = ("okres,kod,pocet\n"
           "Okres Liberec,,\n"
           "CZ0513,563889,104445\n"
           "Pozn.: údaje k 1. 1.,,\n")
    tidy = {"geo": {"column": "kod", "code_list": "obec"}, "period": {"value": "2019"},
            "melt": {"pocet": "Počet obyvatel"}}
    with pytest.raises(ReadError, match="neznámé kódy"):
        read(csv, tidy)
    out = read(csv, {**tidy, "drop_empty": ["kod"]})
    assert out.geo_code.tolist() == ["563889"]


def test_one_column_per_year_with_a_constant_territory():
    csv = "Rok,2018,2019\nPočet obyvatel,442356,443690\n"
    out = read(csv, {"geo": {"value": "CZ051"}, "period": {},
                     "melt": {"2018": {"indicator": "Počet obyvatel", "period": "2018"},
                              "2019": {"indicator": "Počet obyvatel", "period": "2019"}}})
    assert out.geo_level.unique().tolist() == ["kraj"]
    assert out.set_index("period").value.to_dict() == {"2018": 442356, "2019": 443690}


def test_missing_period_is_an_error():
    with pytest.raises(ReadError, match="období"):
        read("kod,a\n563889,1\n", {"geo": {"column": "kod", "code_list": "obec"}, "period": {},
                                   "melt": {"a": "A"}})


@pytest.mark.parametrize(("truncate", "expected"), [("month", "2019-05"), ("quarter", "2019-Q2"),
                                                    ("year", "2019")])
def test_dates_are_cut_to_the_period_they_stand_for(truncate, expected):
    out = read("datum,kraj,n\n2019-05-01,CZ051,7\n",
               {"geo": {"column": "kraj", "code_list": "nuts3"},
                "period": {"column": "datum", "truncate": truncate}, "melt": {"n": "N"}})
    assert out.period.tolist() == [expected]


def test_code_map_places_labels_that_names_cannot_match():
    csv = "orp,n\nLiberec (Liberecký kraj),1\nHlavní město Praha (Hlavní město Praha),2\n"
    tidy = {"geo": {"column": "orp", "match": "names", "levels": ["orp"]},
            "period": {"value": "2018"}, "melt": {"n": "N"}}
    with pytest.raises(ReadError, match="Hlavní město Praha"):
        read(csv, tidy)
    tidy["geo"]["code_map"] = {"Hlavní město Praha (Hlavní město Praha)": "1000"}
    out = read(csv, tidy)
    assert out.set_index("geo_code").value.to_dict() == {"5105": 1, "1000": 2}
    assert set(out.geo_level) == {"orp"}


def test_code_map_to_an_unknown_code_is_an_error():
    with pytest.raises(ReadError, match="neznámé kódy"):
        read("orp,n\nX,1\n", {"geo": {"column": "orp", "match": "names", "levels": ["orp"],
                                      "code_map": {"X": "9999"}},
                              "period": {"value": "2018"}, "melt": {"n": "N"}})


def test_obec_pou_pairs_with_okres_qualifier_unique_name_and_exclusions():
    csv = ("obec;pou;Celkem\n"
           "Liberec;Liberec;78445\n"
           "Jesenice;Jesenice (okres Praha-západ);8160\n"
           "Jesenice;Jesenice (okres Rakovník);1472\n"
           "Praha;Hlavní město Praha;1318953\n"
           "Brdy;Vojenský újezd Brdy;21\n")
    tidy = {"geo": {"match": "obec_pou", "columns": ["obec", "pou"]}, "period": {"value": "2023"},
            "melt": {"Celkem": "Vozidla"}}
    with pytest.raises(ReadError, match="Brdy"):
        read(csv, tidy, delimiter=";")
    tidy["geo"]["exclude"] = ["Brdy"]
    out = read(csv, tidy, delimiter=";").set_index("geo_code").value
    assert out.to_dict() == {"563889": 78445, "539325": 8160, "541834": 1472, "554782": 1318953}


def test_ambiguous_name_without_qualifier_is_not_guessed():
    csv = "obec;pou;n\nJesenice;Neexistující POU;1\n"
    with pytest.raises(ReadError, match="Jesenice"):
        read(csv, {"geo": {"match": "obec_pou"}, "period": {"value": "2023"}, "melt": {"n": "N"}},
             delimiter=";")


def test_geo_value_and_column_are_exclusive():
    with pytest.raises(ValueError, match="value"):
        ctx({"geo": {"value": "CZ051", "column": "kod"}, "period": {"value": "2020"}, "melt": {"a": "A"}})


def test_melt_entry_needs_an_indicator():
    with pytest.raises(ValueError, match="indicator"):
        ctx({"geo": {"value": "CZ051"}, "period": {"value": "2020"}, "melt": {"a": {"vek": "0-4"}}})
