"""Indicator tables of one topic: source rows → filters → aggregation → derivation.

Loading is lazy and memoised per topic, so a page that shows three charts of
one indicator reads its Parquet table once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from datalk import analysis, sources
from datalk.errors import DatalkError
from datalk.geography import Geography
from datalk.sources import cache
from datalk.sources.periods import sort_periods
from datalk.topics.spec import IndicatorSpec, TopicSpec

log = logging.getLogger(__name__)

#: Boundary sources by territory level (obce polygons exist for the region only).
BOUNDARY_SOURCES = {
    "kraj": "cuzk_hranice_cr_kraje",
    "okres": "cuzk_hranice_cr_okresy",
    "orp": "cuzk_hranice_cr_orp",
    "obec": "cuzk_hranice_lk_obce",
}
INDICATOR_COLUMNS = ["geo_code", "geo_level", "period", "value"]
#: Source tables up to this many rows stay in a live session after its page is drawn. Longer
#: ones (the ESIF table: 190 773 rows, 38 MB in pandas) are released (``release_large_sources``).
KEEP_ROWS = 50_000


@dataclass(frozen=True)
class SourceInfo:
    """What a sources box shows about one source."""

    id: str
    title: str
    publisher: str
    licence: str
    licence_url: str | None
    attribution: str
    landing_page: str
    periods: list[str]
    fetched_at: str | None
    derived: bool
    caveats: str | None
    available: bool
    problem: str | None = None


class Unavailable(DatalkError):
    """The data behind an indicator or chart cannot be loaded (offline, not in mirror…)."""

    def __init__(self, source_id: str, reason: str):
        self.source_id = source_id
        super().__init__(reason)


class TopicData:
    """Lazy access to the tables a topic needs."""

    def __init__(self, topic: TopicSpec, geography: Geography | None = None):
        self.topic = topic
        self._geography = geography
        self._sources: dict[str, pd.DataFrame] = {}
        self._problems: dict[str, str] = {}
        self._indicators: dict[str, pd.DataFrame] = {}

    @cached_property
    def geography(self) -> Geography:
        return self._geography or sources.geography()

    # --- sources -----------------------------------------------------------------
    def source(self, source_id: str) -> pd.DataFrame:
        """The tidy table of a source; raises :class:`Unavailable` with the reason."""
        if source_id in self._problems:
            raise Unavailable(source_id, self._problems[source_id])
        if source_id in self._sources:
            return self._sources[source_id]
        try:
            frame = sources.load(source_id)
        except DatalkError as exc:
            self._problems[source_id] = str(exc)
            log.info("topic %s: %s", self.topic.id, exc)  # shown to users as a notice, not on stderr
            raise Unavailable(source_id, str(exc)) from exc
        self._sources[source_id] = frame
        return frame

    def release_large_sources(self, keep_rows: int = KEEP_ROWS) -> list[str]:
        """Forget raw source tables over ``keep_rows`` rows; their built indicators stay.

        For a live page once it is drawn: redraws use the memoised indicators, and an
        indicator not built yet reads its table again from the Parquet cache.
        """
        large = [source_id for source_id, frame in self._sources.items() if len(frame) > keep_rows]
        for source_id in large:
            del self._sources[source_id]
        return large

    def source_info(self, source_id: str) -> SourceInfo:
        spec = sources.get_source(source_id)
        lock = cache.read_lock(source_id)
        available = cache.tidy_path(source_id).exists()
        return SourceInfo(
            id=spec.id, title=spec.title, publisher=spec.publisher, licence=spec.licence.name,
            licence_url=spec.licence.url, attribution=spec.licence.attribution,
            landing_page=spec.landing_page, periods=lock.periods if lock else [],
            fetched_at=lock.fetched_at if lock else None, derived=spec.derived,
            caveats=spec.caveats, available=available, problem=self._problems.get(source_id),
        )

    # --- indicators --------------------------------------------------------------
    def indicator(self, indicator_id: str) -> pd.DataFrame:
        """``geo_code, geo_level, period, value`` of one indicator (memoised)."""
        if indicator_id not in self._indicators:
            self._indicators[indicator_id] = self._build(self.topic.indicator(indicator_id))
        return self._indicators[indicator_id]

    def _build(self, spec: IndicatorSpec) -> pd.DataFrame:
        if spec.derive:
            function = analysis.DERIVATIONS[spec.derive.function]
            inputs = {name: self.indicator(ref) for name, ref in spec.derive.inputs.items()}
            frame = function(**inputs, **spec.derive.args)
        else:
            frame = self._rows(spec, spec.source, spec.filters)
        for part in spec.combine:
            try:
                extra = (self.indicator(part.indicator)[INDICATOR_COLUMNS] if part.indicator
                         else self._rows(spec, part.source, part.filters))
            except Unavailable:
                continue  # the main series still shows; the sources box names what is missing
            frame = pd.concat([frame, extra], ignore_index=True).drop_duplicates(["geo_code", "period"], keep="first")
        if spec.additive and not spec.derive:
            frame = analysis.aggregate_up(frame, self.geography, ["orp", "okres", "kraj", "stat"])
        if spec.levels:
            frame = frame[frame["geo_level"].isin(spec.levels)]
        if spec.periods:
            frame = _filter_periods(frame, spec.periods)
        return frame[INDICATOR_COLUMNS].reset_index(drop=True)

    def _rows(self, spec: IndicatorSpec, source_id: str, filters: dict) -> pd.DataFrame:
        """One source's rows of an indicator: exactly one value per territory and period."""
        frame = analysis.select(self.source(source_id), filters)
        if spec.sum_over:
            missing = [d for d in spec.sum_over if d not in frame.columns]
            if missing:
                raise ValueError(f"ukazatel '{spec.id}': sum_over na chybějící sloupce {missing}")
            keep = [c for c in frame.columns if c not in (*spec.sum_over, "value")]
            frame = frame.groupby(keep, as_index=False, dropna=False, observed=True)["value"].sum(min_count=1)
        dims = [c for c in frame.columns if c not in (*INDICATOR_COLUMNS, "indicator")]
        if frame.duplicated(["geo_code", "period"]).any():
            varying = [c for c in ["indicator", *dims] if frame[c].nunique() > 1]
            raise ValueError(
                f"ukazatel '{spec.id}' (téma {self.topic.id}, zdroj {source_id}) má víc hodnot pro území "
                f"a období; doplňte filtry pro {varying}"
            )
        return frame[INDICATOR_COLUMNS]

    def indicator_sources(self, indicator_id: str) -> list[str]:
        """Every source an indicator rests on (through its derivation inputs)."""
        spec = self.topic.indicator(indicator_id)
        refs = [p.indicator for p in spec.combine if p.indicator]
        direct = [spec.source] if spec.source else []
        direct += [p.source for p in spec.combine if p.source and p.source not in direct]
        if spec.derive:
            refs = [*spec.derive.inputs.values(), *refs]
        found: list[str] = list(direct)
        for ref in refs:
            for source_id in self.indicator_sources(ref):
                if source_id not in found:
                    found.append(source_id)
        return found

    def periods(self, indicator_id: str) -> list[str]:
        return sort_periods(self.indicator(indicator_id).dropna(subset=["value"])["period"])

    def levels(self, indicator_id: str) -> list[str]:
        present = set(self.indicator(indicator_id).dropna(subset=["value"])["geo_level"].unique())
        return [lv for lv in ("stat", "kraj", "okres", "orp", "obec") if lv in present]

    def try_indicator(self, indicator_id: str) -> pd.DataFrame | None:
        try:
            return self.indicator(indicator_id)
        except Unavailable:
            return None

    # --- geometry ----------------------------------------------------------------
    def boundaries(self, level: str):
        """Polygons of one level (GeoDataFrame) or None when not available offline."""
        source_id = BOUNDARY_SOURCES.get(level)
        if source_id is None:
            return None
        try:
            return self.source(source_id)
        except Unavailable:
            return None

    def points(self, source_id: str):
        return self.source(source_id)


def _filter_periods(frame: pd.DataFrame, rule) -> pd.DataFrame:
    """Keep periods inside [from, to] (by time order) and drop the excluded ones."""
    from datalk.sources.periods import period_key

    keys = frame["period"].map(period_key)
    keep = ~frame["period"].isin(rule.exclude)
    if rule.start:
        keep &= keys >= period_key(rule.start)
    if rule.end:
        keep &= keys <= period_key(rule.end)
    return frame[keep]
