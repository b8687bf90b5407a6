"""Every topic shows real data: indicators build on the mirror and every chart has a view."""

from __future__ import annotations

from pathlib import Path

import pytest

from datalk.sources import get_source
from datalk.topics import TopicData, Unavailable
from datalk.topics import views as v
from datalk.topics.registry import all_topics

REPO = Path(__file__).resolve().parents[2]
TOPICS = all_topics(REPO / "topics")

pytestmark = pytest.mark.usefixtures("with_warm_cache")


def _offline_only(data: TopicData, indicator_id: str) -> bool:
    return any(get_source(s).mirror is None for s in data.indicator_sources(indicator_id))


@pytest.mark.parametrize("topic", TOPICS, ids=[t.id for t in TOPICS])
def test_topic_has_at_least_three_real_indicators_for_the_region(topic):
    data = TopicData(topic)
    with_data = []
    for indicator in topic.visible_indicators:
        try:
            frame = data.indicator(indicator.id)
        except Unavailable:
            assert _offline_only(data, indicator.id), f"{indicator.id}: a mirrored source failed"
            continue
        assert frame["value"].notna().any(), f"{indicator.id} has no values"
        with_data.append(indicator.id)
    assert len(with_data) >= 3, with_data
    headline = v.kpi(data, topic.headline, "CZ051", None)
    assert headline.value is not None, "the landing tile needs a headline figure for the region"


@pytest.mark.parametrize("topic", TOPICS, ids=[t.id for t in TOPICS])
def test_every_chart_has_a_view_for_region_and_an_obec(topic):
    data = TopicData(topic)
    for territory in ("CZ051", "563889"):
        for chart in topic.charts:
            ids = [chart.indicator] if chart.indicator else (chart.indicators or [i.id for i in topic.visible_indicators])
            for indicator_id in ids:
                try:
                    if chart.kind == "line":
                        assert v.trend(data, indicator_id, territory).describe()
                    elif chart.kind in ("bar", "choropleth", "table"):
                        view = v.compare(data, indicator_id, territory, None, list(chart.level),
                                         need_geometry=chart.kind == "choropleth")
                        assert view.describe()
                    elif chart.kind == "kpi":
                        assert v.kpi(data, indicator_id, territory, None).describe()
                except Unavailable:
                    assert _offline_only(data, indicator_id)
