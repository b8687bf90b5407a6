"""Key indicators of every topic for one territory next to its okres, kraj and ČR.

A territory profile is a table per topic; the numbers follow the topic pages' KPI
rules (latest period with the territory's own value, change against its previous
period, rank among the same-level units of the kraj). The lookups are built once
per indicator and kept for the life of the kernel, so one warm kernel renders
hundreds of profiles without reloading or re-filtering any table.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd

from datalk.geography import Geography
from datalk.sources import cache
from datalk.sources.periods import period_key, sort_periods
from datalk.topics import TopicData, TopicSpec, Unavailable
from datalk.topics.data import SourceInfo
from datalk.topics.spec import IndicatorSpec

log = logging.getLogger(__name__)

MAX_ROWS_PER_TOPIC = 8


class Lookup:
    """One indicator's values indexed by territory and period (O(1) reads)."""

    def __init__(self, frame: pd.DataFrame):
        valid = frame.dropna(subset=["value"])
        self.values: dict[tuple[str, str], float] = {}
        for code, period, value in zip(
            valid["geo_code"], valid["period"], valid["value"], strict=True
        ):
            self.values.setdefault((str(code), str(period)), float(value))
        by_code: dict[str, set[str]] = {}
        for code, period in self.values:
            by_code.setdefault(code, set()).add(period)
        self.periods_by_code = {
            code: sorted(periods, key=period_key) for code, periods in by_code.items()
        }
        self.periods = sort_periods(p for _, p in self.values)
        self.levels = set(valid["geo_level"])
        self._ranks: dict[tuple[str, tuple[str, ...]], dict[str, int]] = {}

    def value(self, code: str, period: str | None) -> float | None:
        return self.values.get((code, period)) if period else None

    def own_periods(self, code: str) -> list[str]:
        return self.periods_by_code.get(code, [])

    def previous(self, code: str, period: str) -> str | None:
        earlier = [p for p in self.own_periods(code) if period_key(p) < period_key(period)]
        return earlier[-1] if earlier else None

    def rank(self, code: str, period: str, peers: tuple[str, ...]) -> tuple[int, int] | None:
        """1 = highest value among ``peers`` in ``period`` (ties broken by code, stable)."""
        key = (period, peers)
        if key not in self._ranks:
            present = [(self.values[(p, period)], p) for p in peers if (p, period) in self.values]
            ordered = sorted(present, key=lambda item: (-item[0], item[1]))
            self._ranks[key] = {c: i + 1 for i, (_, c) in enumerate(ordered)}
        ranks = self._ranks[key]
        return (ranks[code], len(ranks)) if code in ranks else None


class TopicIndex:
    """A topic's indicator lookups, loaded on first use; unavailable ones remembered."""

    def __init__(self, topic: TopicSpec, geography: Geography):
        self.topic = topic
        self.data = TopicData(topic, geography)
        self._lookups: dict[str, Lookup | None] = {}
        self.problems: dict[str, str] = {}
        self._infos: dict[str, SourceInfo] = {}

    def lookup(self, indicator_id: str) -> Lookup | None:
        if indicator_id not in self._lookups:
            try:
                self._lookups[indicator_id] = Lookup(self.data.indicator(indicator_id))
            except Unavailable as exc:
                self.problems[indicator_id] = f"{exc.source_id}: {exc}"
                self._lookups[indicator_id] = None
            except (KeyError, ValueError) as exc:  # a topic YAML that does not match its data
                log.warning("téma %s, ukazatel %s: %s", self.topic.id, indicator_id, exc)
                self.problems[indicator_id] = str(exc)
                self._lookups[indicator_id] = None
        return self._lookups[indicator_id]

    def source_info(self, source_id: str) -> SourceInfo:
        if source_id not in self._infos:
            self._infos[source_id] = self.data.source_info(source_id)
        return self._infos[source_id]


_INDEXES: dict[tuple, TopicIndex] = {}


def topic_index(topic: TopicSpec, geography: Geography) -> TopicIndex:
    """The kernel-wide index of a topic; rebuilt when any of its cached tables changed."""
    stamp = []
    for source_id in topic.sources:
        path = cache.tidy_path(source_id)
        stamp.append(path.stat().st_mtime_ns if path.exists() else 0)
    key = (topic.id, str(cache.cache_root()), tuple(stamp))
    if key not in _INDEXES:
        for old in [k for k in _INDEXES if k[0] == topic.id]:
            del _INDEXES[old]
        _INDEXES[key] = TopicIndex(topic, geography)
    return _INDEXES[key]


@dataclass
class Comparison:
    """The territories a profile compares: itself, then its okres, kraj and ČR."""

    territory: str
    level: str
    codes: list[str]  # [territory, okres?, kraj?, CZ]
    peers: tuple[str, ...]  # same-level units in the kraj (ranking)

    @classmethod
    def of(cls, geography: Geography, code: str) -> Comparison:
        unit = geography.get(code)
        codes = [unit.code]
        if unit.level in ("obec", "orp") and unit.okres:
            codes.append(unit.okres)
        if unit.level not in ("kraj", "stat") and unit.kraj:
            codes.append(unit.kraj)
        if unit.code != "CZ":
            codes.append("CZ")
        if unit.level == "kraj":
            peers = tuple(geography.codes("kraj"))
        elif unit.level in ("okres", "orp", "obec") and unit.kraj:
            peers = tuple(geography.codes(unit.level, within=unit.kraj))
        else:
            peers = ()
        return cls(unit.code, unit.level, codes, peers)


@dataclass
class Row:
    """One indicator of a profile table."""

    indicator: IndicatorSpec
    period: str | None
    values: dict[str, float | None]
    own: bool
    previous: str | None = None
    change: float | None = None
    change_unit: str = "%"
    change_decimals: int = 1
    rank: tuple[int, int] | None = None
    sources: list[str] = field(default_factory=list)


def indicator_row(
    index: TopicIndex, indicator: IndicatorSpec, comparison: Comparison, period: str | None = None
) -> Row | None:
    """The row of one indicator, or None when no compared territory has a value."""
    lookup = index.lookup(indicator.id)
    if lookup is None:
        return None
    own_code = comparison.territory
    own_periods = lookup.own_periods(own_code)
    if own_periods:
        chosen = period if period in own_periods else own_periods[-1]
    else:  # no own value: the latest period of the nearest parent that has data
        nearest = next(
            (lookup.own_periods(code) for code in comparison.codes[1:] if lookup.own_periods(code)),
            None,
        )
        if not nearest:
            return None
        chosen = period if period in nearest else nearest[-1]
    values = {code: lookup.value(code, chosen) for code in comparison.codes}
    row = Row(
        indicator,
        chosen,
        values,
        own=values[own_code] is not None,
        sources=index.data.indicator_sources(indicator.id),
    )
    if row.own:
        row.previous = lookup.previous(own_code, chosen)
        before = lookup.value(own_code, row.previous) if row.previous else None
        if before:  # the topic pages' KPI rule (datalk.topics.views.kpi), kept equal by a test
            mode = indicator.change or ("absolute" if indicator.unit == "%" else "percent")
            if mode == "absolute":
                row.change = values[own_code] - before
                row.change_unit = "p. b." if indicator.unit == "%" else indicator.unit
                row.change_decimals = indicator.decimals
            else:
                row.change = (values[own_code] - before) / abs(before) * 100
        if comparison.peers:
            row.rank = lookup.rank(own_code, chosen, comparison.peers)
    return row


def key_indicators(topic: TopicSpec) -> list[str]:
    """The topic's KPI tiles and headline, in that order (what its report leads with)."""
    ids: list[str] = []
    for chart in topic.charts:
        if chart.kind == "kpi":
            ids.extend(chart.indicators)
    ids.append(topic.headline)
    visible = {i.id for i in topic.visible_indicators}
    return [i for i in dict.fromkeys(ids) if i in visible]


def topic_rows(
    index: TopicIndex,
    comparison: Comparison,
    period: str | None = None,
    limit: int = MAX_ROWS_PER_TOPIC,
) -> list[Row]:
    """Key indicators first, then others with the territory's own data, at most ``limit``."""
    topic = index.topic
    keys = key_indicators(topic)
    rows: list[Row] = []
    for indicator_id in keys:
        row = indicator_row(index, topic.indicator(indicator_id), comparison, period)
        if row is not None:
            rows.append(row)
    for indicator in topic.visible_indicators:
        if len(rows) >= limit:
            break
        if indicator.id in keys:
            continue
        lookup = index.lookup(indicator.id)
        if lookup is None or not lookup.own_periods(comparison.territory):
            continue
        row = indicator_row(index, indicator, comparison, period)
        if row is not None:
            rows.append(row)
    return rows[:limit]
