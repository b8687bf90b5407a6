"""Derived indicators and selections over tidy tables (no widgets, no plotting).

Every function takes and returns tidy frames (``geo_code, geo_level, period,
indicator, value`` + dimensions), so they compose and are tested with small frames.
"""

from datalk.analysis.derive import (
    DERIVATIONS,
    aggregate_up,
    difference,
    index_to_base,
    per_1000,
    per_capita,
    ratio,
    scale,
    share,
    sum_of,
    yoy_change,
)
from datalk.analysis.opening_hours import (
    czech_holidays,
    hours_on,
    is_holiday,
    open_now,
    parse_hours,
)
from datalk.analysis.select import (
    latest_period,
    previous_period,
    rank_within,
    select,
    value_at,
)

__all__ = [
    "DERIVATIONS", "aggregate_up", "czech_holidays", "difference", "hours_on", "index_to_base",
    "is_holiday", "latest_period", "open_now", "parse_hours", "per_1000", "per_capita",
    "previous_period", "rank_within", "ratio", "scale", "select", "share", "sum_of", "value_at", "yoy_change",
]
