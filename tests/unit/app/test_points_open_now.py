"""The emergency-services map of the health page: an 'open now' filter from opening hours."""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml

from tests.catalog.conftest import FIXTURE
from tests.support.project import serve_geography, serve_source

WAGES = "czso-mzdy-kraje-2011-2024/110080_prumerna_hruba_mzda_kraje_2011-2024.csv"
TOPIC = {
    "id": "health_mini", "order": 1, "themes": ["HEAL"], "headline": "wage",
    "title": {"cs": "Zdraví"}, "summary": {"cs": "Pohotovosti."},
    "sources": ["lk_pohotovosti", "csu_mzdy_kraje"],
    "indicators": [{"id": "wage", "title": {"cs": "Mzda"}, "unit": "Kč", "source": "csu_mzdy_kraje",
                    "filters": {"spkvantil": None, "pohlavi": None}}],
    "charts": [
        {"id": "emergency", "kind": "points", "source": "lk_pohotovosti", "label": "name",
         "details": ["cilova_skupina", "obec"], "open_now": True},
    ],
    "texts": {"intro": {"cs": "Úvod."}, "method": {"cs": "Metodika."}, "caveats": {"cs": "Upozornění."}},
}


@pytest.fixture
def page(project, http_server, mirror_dir, monkeypatch):
    from datalk import sources

    serve_geography(project, http_server, mirror_dir)
    serve_source(project, http_server, "lk_pohotovosti", FIXTURE.read_bytes(), "pohotovosti_lk.geojson")
    serve_source(project, http_server, "csu_mzdy_kraje", (mirror_dir / WAGES).read_bytes(), "w.csv")
    assert all(r.ok for r in sources.fetch())
    (project / "topics").mkdir()
    (project / "topics" / "health_mini.yaml").write_text(yaml.safe_dump(TOPIC, allow_unicode=True))
    import datalk.topics.views as views
    from datalk.analysis import opening_hours

    friday_evening = datetime(2025, 3, 7, 20, 0)
    original = opening_hours.open_now
    monkeypatch.setattr(views.PointsView, "open_now", lambda self, at=None: original(self.frame, friday_evening))
    from datalk.app.interactive import AppPage

    return AppPage("health_mini")


def test_open_now_checkbox_filters_map_and_list(page):
    section = page._points(page.topic.chart("emergency"))
    toggle, leaflet_map, listing = section.children[1:4]
    assert "Jen nyní otevřené" in toggle.description
    assert listing.value.count("<li>") == 7 and "nyní otevřeno" in listing.value and "nyní zavřeno" in listing.value
    toggle.value = True
    assert listing.value.count("<li>") == 4  # Friday 20:00: the four adult services
    assert "nyní zavřeno" not in listing.value and "děti" not in listing.value
    markers = [layer for layer in leaflet_map.layers if hasattr(layer, "layers")][-1].layers
    assert len(markers) == 4
    toggle.value = False
    assert listing.value.count("<li>") == 7
