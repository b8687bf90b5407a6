"""The pieces of a build without executing notebooks: plan, profile numbers, bars, links, colophon."""

from __future__ import annotations

import pandas as pd
import pytest

from datalk.errors import ConfigError
from datalk.reports import compare as c
from datalk.reports.colophon import binder_url
from datalk.reports.minibars import minibars
from datalk.reports.render import strip_colophon
from datalk.reports.texts import topic_count
from tests.reports.conftest import TOPIC


def test_the_full_plan_covers_topics_region_and_every_territory_in_stable_order(report_env):
    from datalk import sources
    from datalk.reports.plan import make_plan
    from datalk.topics import all_topics

    plan = make_plan(sources.geography())
    kinds = [job.kind for job in plan.jobs]
    topics = len(all_topics())
    assert kinds == ["topic"] * topics + ["region"] + ["profile"] * (4 + 10 + 215)
    assert [j.level for j in plan.jobs if j.kind == "profile"] == ["okres"] * 4 + ["orp"] * 10 + [
        "obec"
    ] * 215
    assert len({j.id for j in plan.jobs}) == len(plan.jobs) and len(
        {j.path for j in plan.jobs}
    ) == len(plan.jobs)
    obce = [j for j in plan.jobs if j.level == "obec"]
    liberec = next(j for j in obce if j.territory == "563889")
    assert liberec.path == "profily/obce/563889-liberec" and liberec.title == "Profil obce Liberec"
    assert liberec.parameters == {
        "territory": "563889",
        "period": None,
        "language": "cs",
        "mode": "report",
        "layout": "profile",
        "topics": None,
    }
    assert make_plan(sources.geography()).jobs == plan.jobs  # deterministic


def test_areas_accept_levels_and_codes_and_name_what_is_wrong(report_env):
    from datalk import sources
    from datalk.reports.plan import make_plan

    geography = sources.geography()
    plan = make_plan(geography, ("profiles",), None, ["orp", "563889"])
    assert [j.territory for j in plan.jobs][-1] == "563889" and len(plan.jobs) == 11
    with_region = make_plan(geography, ("profiles",), None, ["CZ051"])
    assert with_region.jobs == [] and "roční zprávu" in with_region.problems[0]
    with pytest.raises(ConfigError, match="--area 999999"):
        make_plan(geography, ("profiles",), None, ["999999"])
    unknown = make_plan(geography, ("topics",), ["neni_tema"], None)
    assert unknown.jobs == [] and "neznámé téma 'neni_tema'" in unknown.problems[0]


def test_lookup_reads_values_previous_periods_and_ranks():
    frame = pd.DataFrame(
        {
            "geo_code": ["A", "A", "B", "C", "D", "A"],
            "geo_level": ["obec"] * 6,
            "period": ["2022", "2023", "2023", "2023", "2023", "2021"],
            "value": [1.0, 2.0, 5.0, 2.0, None, 0.5],
        }
    )
    lookup = c.Lookup(frame)
    assert lookup.value("A", "2023") == 2.0 and lookup.value("D", "2023") is None
    assert (
        lookup.own_periods("A") == ["2021", "2022", "2023"]
        and lookup.previous("A", "2023") == "2022"
    )
    assert lookup.rank("B", "2023", ("A", "B", "C", "D")) == (1, 3)
    assert lookup.rank("A", "2023", ("A", "B", "C", "D")) == (2, 3)  # tie with C broken by code
    assert lookup.rank("D", "2023", ("A", "B", "C", "D")) is None


@pytest.mark.parametrize("territory", ["CZ051", "CZ0513"])
def test_profile_rows_agree_with_the_topic_pages_kpis(report_env, territory):
    """The profile computes fast lookups; the numbers must equal the topic page's KPI tiles."""
    from datalk import sources
    from datalk.topics import get_topic
    from datalk.topics import views as v

    geography = sources.geography()
    topic = get_topic(TOPIC)
    index = c.TopicIndex(topic, geography)
    comparison = c.Comparison.of(geography, territory)
    checked = 0
    for indicator in topic.visible_indicators:
        row = c.indicator_row(index, indicator, comparison)
        kpi = v.kpi(index.data, indicator.id, territory, None)
        if (
            kpi.shown.code != territory
        ):  # the page falls back to a parent; the profile shows a dash instead
            assert row is None or not row.own
            continue
        checked += 1
        assert (row.period, row.values[territory]) == (kpi.period, kpi.value)
        assert row.previous == kpi.previous_period and row.rank == kpi.rank
        assert (
            row.change == pytest.approx(kpi.change)
            if kpi.change is not None
            else row.change is None
        )
        assert (row.change_unit, row.change_decimals) == (kpi.change_unit, kpi.change_decimals)
        assert row.values["CZ"] == index.lookup(indicator.id).value("CZ", row.period)
    assert checked >= 2


def test_comparison_columns_follow_the_territory_level(report_env):
    from datalk import sources

    geography = sources.geography()
    assert c.Comparison.of(geography, "563889").codes == ["563889", "CZ0513", "CZ051", "CZ"]
    assert c.Comparison.of(geography, "5105").codes == ["5105", "CZ0513", "CZ051", "CZ"]
    assert c.Comparison.of(geography, "CZ0513").codes == ["CZ0513", "CZ051", "CZ"]
    assert len(c.Comparison.of(geography, "563889").peers) == 215
    assert len(c.Comparison.of(geography, "CZ051").peers) == 14


def test_minibars_share_a_scale_from_zero():
    svg = minibars([10.0, 5.0, None, -5.0], ["#1", "#2", "#3", "#4"])
    assert (
        svg.count("<rect") == 3 and "aria-hidden='true'" in svg and "<line" in svg
    )  # zero axis for negatives
    assert "x='33.33' y='0.00' width='66.67'" in svg and "x='0.00' y='19.50' width='33.33'" in svg
    assert minibars([None, None], ["#1", "#2"]) == ""


def test_binder_links_and_czech_plurals(monkeypatch):
    monkeypatch.setenv("DATALK_BINDER_REPO", "kraj/portal")
    assert (
        binder_url("labour_market")
        == "https://mybinder.org/v2/gh/kraj/portal/HEAD?urlpath=voila/render/notebooks/labour_market.ipynb"
    )
    assert binder_url(
        "profile", {"territory": "563889", "period": None, "view": "yearly"}
    ).endswith("notebooks/profile.ipynb%3Fterritory%3D563889%26view%3Dyearly")
    monkeypatch.delenv("DATALK_BINDER_REPO")
    assert "/gh/liberecky-kraj/datalk/HEAD" in binder_url("x")
    assert (topic_count(1), topic_count(20)) == ("1 tématu", "20 témat")


def test_strip_colophon_removes_only_the_colophon():
    page = '<main>a</main>\n<footer class="dl-colophon" id="tiraz">\n<dd>27. 11. 2026</dd></footer>\n</div>'
    assert strip_colophon(page) == "<main>a</main>\n\n</div>"
