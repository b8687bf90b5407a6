"""Headline figures for the landing-page tiles, computed in the server without a kernel.

The landing page must be instant, so each topic's headline indicator is read from the
Parquet cache once (in a worker thread) and kept until the cache changes; a topic whose
data are missing gets a tile without a figure instead of breaking the page.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from datalk.settings import get_settings
from datalk.sources.periods import period_label
from datalk.text import format_number

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Headline:
    """One tile's figure: already formatted value, what it is, where and when."""

    topic_id: str
    value: float | None
    decimals: int
    unit: str
    period: str | None
    indicator: dict[str, str]
    territory: str

    def text(self) -> str:
        return format_number(self.value, self.decimals, self.unit) if self.value is not None else ""

    def caption(self, language: str) -> str:
        when = period_label(self.period, language) if self.period else ""
        return ", ".join(
            p
            for p in (self.indicator.get(language) or self.indicator["cs"], self.territory, when)
            if p
        )


def compute_headline(topic) -> Headline | None:
    """The topic's headline indicator for the portal's region (latest period)."""
    from datalk.topics import TopicData, Unavailable
    from datalk.topics import views as v

    region = get_settings().region
    try:
        data = TopicData(topic)
        kpi = v.kpi(data, topic.headline, region, None, "cs")
    except Unavailable as exc:
        log.info("tile %s: data unavailable (%s)", topic.id, exc)
        return None
    except Exception:  # a broken topic must not break the landing page
        log.exception("tile %s: headline failed", topic.id)
        return None
    spec = topic.indicator(topic.headline)
    return Headline(
        topic.id,
        kpi.value,
        spec.decimals,
        spec.unit,
        kpi.period,
        {"cs": spec.title.get("cs"), "en": spec.title.get("en")},
        kpi.shown.name,
    )


def _cache_stamp() -> float:
    """Newest modification time in the cache's lock records: changes after every fetch."""
    cache = get_settings().cache_dir
    try:
        return max((p.stat().st_mtime for p in (cache / "raw").glob("*/lock.json")), default=0.0)
    except OSError:
        return 0.0


class Headlines:
    """Thread-safe memo of all tiles, refreshed when the data cache changes."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stamp: float | None = None
        self._values: dict[str, Headline | None] = {}

    def get(self) -> dict[str, Headline | None]:
        """All headlines (blocking: call from a worker thread, not the event loop)."""
        with self._lock:
            stamp = _cache_stamp()
            if stamp != self._stamp:
                from datalk.topics import all_topics

                self._values = {t.id: compute_headline(t) for t in all_topics()}
                self._stamp = stamp
            return dict(self._values)

    def peek(self) -> dict[str, Headline | None] | None:
        """What is already computed, without waiting (None while the first run is busy)."""
        if self._lock.locked():
            return self._values or None
        return self._values if self._stamp is not None else None
