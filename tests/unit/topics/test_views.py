"""Chart views on real mirror data (labour market topic): what a reader would check."""

from __future__ import annotations

import pytest

from datalk.topics import TopicData, get_topic, resolve
from datalk.topics import views as v

pytestmark = pytest.mark.usefixtures("with_warm_cache")


@pytest.fixture
def data():
    return TopicData(get_topic("labour_market"))


def test_trend_shows_region_against_czechia_and_other_kraje(data):
    view = v.trend(data, "unemployment_share", "CZ051")
    roles = view.series.drop_duplicates("geo_code").set_index("geo_code")["role"]
    assert roles["CZ051"] == "selected" and roles["CZ"] == "stat"
    assert (roles == "peer").sum() == 13
    assert view.periods[0] == "2005"
    assert "Liberecký kraj" in view.describe() and "Česko" in view.describe()


def test_obec_without_data_falls_back_to_its_parent_with_a_note(data):
    view = v.trend(data, "average_wage", "563889")
    assert view.shown.code == "CZ051"
    assert "Liberec" in view.shown.note and "Liberecký kraj" in view.shown.note


def test_compare_okresy_of_the_region_highlights_the_selected_one(data):
    view = v.compare(data, "job_seekers", "563889", None, ["okres", "kraj"])
    assert view.level == "okres" and view.period == "2023"
    assert set(view.rows.geo_code) == {"CZ0511", "CZ0512", "CZ0513", "CZ0514"}
    assert view.rows.set_index("geo_code")["selected"]["CZ0513"]
    assert view.rows["value"].is_monotonic_decreasing


def test_compare_falls_back_to_all_kraje_when_okresy_lack_the_period(data):
    view = v.compare(data, "unemployment_share", "CZ051", "2010", ["okres", "kraj"])
    assert view.level == "kraj" and len(view.rows) == 14


def test_kpi_value_change_and_rank_among_kraje(data):
    kpi = v.kpi(data, "average_wage", "CZ051", None)
    assert kpi.period == "2024" and 40_000 < kpi.value < 50_000
    assert kpi.previous_period == "2023" and kpi.change > 0
    assert kpi.rank[1] == 14 and 1 <= kpi.rank[0] <= 14
    unemployment = v.kpi(data, "unemployment_share", "CZ051", None)
    assert unemployment.change_unit == "p. b."  # a change of a percentage is in points


def test_wrong_parameters_fall_back_with_friendly_messages(data):
    topic = get_topic("labour_market")
    state = resolve(topic, data.geography, territory="<script>alert(1)</script>", period="1800",
                    language="xx", mode="hack", indicator="__import__('os')")
    assert state.territory == "CZ051" and state.language == "cs" and state.mode == "app"
    assert state.indicator == topic.headline
    assert all("<" not in m for m in state.messages)  # user input is echoed only escaped
    assert len(state.messages) == 4
    period, message = v.resolve_period(data, "average_wage", "1800")
    assert period == "2024" and "1800" in message


def test_a_drawn_page_releases_its_largest_tables_and_still_builds_the_rest():
    data = TopicData(get_topic("subsidies"))
    eu = data.indicator("esif_eu_per_capita").copy()
    assert data.release_large_sources() == ["esif_cerpani_kraje"]  # 190 773 rows, the only large one
    assert "esif_cerpani_kraje" not in data._sources and "csu_datastat_wreg02" in data._sources
    assert data.indicator("esif_eu_per_capita").equals(eu)  # memoised, not rebuilt
    total = data.indicator("esif_total_per_capita")  # not built yet: its table is read again
    assert not total.empty and (total.set_index(["geo_code", "period"])["value"]
                                >= eu.set_index(["geo_code", "period"])["value"].reindex(
                                    total.set_index(["geo_code", "period"]).index)).all()
