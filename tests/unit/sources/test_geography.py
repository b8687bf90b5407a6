"""The territory hierarchy and code lists, built from the real code-list sources."""

import pandas as pd
import pytest

from datalk import sources
from datalk.errors import TerritoryError


@pytest.fixture
def geo(isolated):
    return sources.geography()


def test_counts_match_the_official_structure(geo):
    assert len(geo.codes("kraj")) == 14
    assert len(geo.codes("okres")) == 77
    assert len(geo.codes("orp")) == 206
    assert len(geo.codes("obec")) == 6258
    assert len(geo.codes("obec", within="CZ051")) == 215
    assert len(geo.codes("orp", within="CZ051")) == 10
    assert geo.codes("okres", within="CZ051") == ["CZ0511", "CZ0512", "CZ0513", "CZ0514"]


def test_hierarchy_from_obec_to_czechia(geo):
    assert geo.lineage("563889") == ["563889", "5105", "CZ0513", "CZ051", "CZ"]
    assert geo.parent("563889", "okres") == "CZ0513"
    assert geo.parent("5105", "kraj") == "CZ051"
    assert geo.name("CZ051") == "Liberecký kraj"


def test_translates_between_csu_ruian_and_nuts_code_lists(geo):
    translated = geo.translate(["3077", 3077.0, "78"], "csu_kraj")
    assert translated.tolist()[:2] == ["CZ051", "CZ051"]
    assert pd.isna(translated.iloc[2])  # a RÚIAN code is not a ČSÚ code
    assert geo.translate(["78"], "ruian_vusc").tolist() == ["CZ051"]
    assert geo.translate(["40541"], "csu_okres").tolist() == ["CZ0513"]
    assert geo.translate(["3505"], "ruian_okres").tolist() == ["CZ0513"]
    assert geo.translate(["817"], "ruian_orp").tolist() == ["5105"]
    assert geo.get("3077").code == "CZ051"  # ČSÚ kraj codes are accepted as aliases


def test_unknown_code_is_a_clear_error(geo):
    with pytest.raises(TerritoryError, match="neznámý kód území 'CZ099'"):
        geo.get("CZ099")


def test_label_matching_respects_levels_and_names_every_miss(geo):
    matched = geo.match_names(["Česko", "Liberecký kraj", "Liberec", "Liberec (Liberecký kraj)"],
                              ["stat", "kraj", "okres", "orp"])
    assert matched.geo_code.tolist() == ["CZ", "CZ051", "CZ0513", "5105"]
    with pytest.raises(TerritoryError, match="'Atlantida'"):
        geo.match_names(["Liberecký kraj", "Atlantida"], ["kraj"])


def test_search_is_diacritics_insensitive_and_prefix_first(geo):
    hits = geo.search("zelezny brod", levels=["orp", "obec"])
    assert [h.code for h in hits[:2]] == ["5110", "563871"]
    assert geo.search("LIB", levels=["obec"], within="CZ051")[0].name == "Liberec"


def test_obec_by_name_and_pou(geo):
    codes = geo.match_obec_by_pou(pd.Series(["Liberec", "Nová Ves"]), pd.Series(["Liberec", "Chrastava"]))
    assert codes.iloc[0] == "563889"
    assert codes.iloc[1] is not None
