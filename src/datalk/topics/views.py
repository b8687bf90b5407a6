"""What each chart shows, computed from tidy tables (no plotting here).

Both renderers – bqplot/ipyleaflet widgets in the app and the SVG
figures in reports – draw from these view objects, so the app and the printed
report always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from datalk import analysis
from datalk.sources.periods import period_key, period_label, period_phrase, sort_periods
from datalk.text import format_change, format_number
from datalk.topics.data import TopicData
from datalk.topics.spec import IndicatorSpec

LEVEL_ORDER = ("stat", "kraj", "okres", "orp", "obec")
PLURAL_CS = {"kraj": "krajů", "okres": "okresů", "orp": "ORP", "obec": "obcí", "stat": "států"}
PLURAL_EN = {"kraj": "regions", "okres": "districts", "orp": "ORP areas", "obec": "municipalities", "stat": "countries"}
LEVEL_NAMES = {
    "cs": {"stat": "Česko", "kraj": "kraje", "okres": "okresy", "orp": "správní obvody ORP", "obec": "obce"},
    "en": {"stat": "Czechia", "kraj": "regions", "okres": "districts", "orp": "ORP areas", "obec": "municipalities"},
}


def plural(level: str, language: str) -> str:
    return (PLURAL_EN if language == "en" else PLURAL_CS)[level]


@dataclass
class Shown:
    """The territory a view really shows (may be a parent when data is coarser)."""

    requested: str
    code: str
    name: str
    level: str
    note: str | None = None


def shown_territory(data: TopicData, indicator_id: str, territory: str, language: str = "cs") -> Shown:
    """The territory itself, or its nearest parent at a level the indicator has."""
    geography = data.geography
    levels = data.levels(indicator_id)
    target = geography.get(territory)
    for code in geography.lineage(territory):
        candidate = geography.get(code)
        if candidate.level in levels:
            note = None
            if candidate.code != target.code:
                note = (f"Data ukazatele nejsou za {target.label}; zobrazuji {candidate.label}."
                        if language == "cs" else
                        f"No data for {target.label}; showing {candidate.label}.")
            return Shown(territory, candidate.code, candidate.name, candidate.level, note)
    return Shown(territory, "", target.name, target.level,
                 "Pro toto území ukazatel nemá data." if language == "cs" else "No data for this territory.")


def resolve_period(data: TopicData, indicator_id: str, period: str | None, code: str | None = None,
                   language: str = "cs") -> tuple[str | None, str | None]:
    """The period to show and a message when the requested one is not in the data."""
    periods = data.periods(indicator_id)
    if not periods:
        return None, None
    if code:
        own = sort_periods(data.indicator(indicator_id).query("geo_code == @code").dropna(subset=["value"])["period"])
        periods = own or periods
    if period is None:
        return periods[-1], None
    if period in periods:
        return period, None
    latest = periods[-1]
    if language == "en":
        return latest, f"Period '{period}' is not in the data ({periods[0]}–{latest}); showing {period_label(latest, 'en')}."
    return latest, (f"Období '{period}' v datech není (k dispozici {period_label(periods[0])} až "
                    f"{period_label(latest)}); zobrazuji {period_label(latest)}.")


# --- trend -----------------------------------------------------------------------
@dataclass
class TrendView:
    indicator: IndicatorSpec
    shown: Shown
    series: pd.DataFrame  # geo_code, name, role (selected|parent|stat|peer), period, value
    language: str = "cs"

    @property
    def periods(self) -> list[str]:
        return sort_periods(self.series["period"])

    def describe(self) -> str:
        """A sentence for screen readers and under printed figures."""
        own = self.series[self.series.role == "selected"].dropna(subset=["value"])
        if own.empty:
            return "Pro zvolené území nejsou data." if self.language == "cs" else "No data for the selected territory."
        own = own.assign(_k=own.period.map(period_key)).sort_values("_k")
        first, last = own.iloc[0], own.iloc[-1]
        unit, dec = self.indicator.unit, self.indicator.decimals
        title = self.indicator.title.get(self.language)
        if first.period == last.period:  # one period: one statement, not "x in 2023, x in 2023"
            text = (f"{title} – {self.shown.name}: {format_number(last.value, dec, unit)} {period_phrase(last.period, self.language)}."
                    if self.language == "cs" else
                    f"{title} in {self.shown.name}: {format_number(last.value, dec, unit)} {period_phrase(last.period, 'en')}.")
        elif self.language == "en":
            text = (f"{title} in {self.shown.name}: {format_number(first.value, dec, unit)} in "
                    f"{period_label(first.period, 'en')}, {format_number(last.value, dec, unit)} in {period_label(last.period, 'en')}.")
        else:
            text = (f"{title} – {self.shown.name}: {format_number(first.value, dec, unit)} {period_phrase(first.period)}, "
                    f"{format_number(last.value, dec, unit)} {period_phrase(last.period)}.")
        stat = self.series[(self.series.role == "stat") & (self.series.period == last.period)]
        if not stat.empty and pd.notna(stat.value.iloc[0]) and self.shown.code != "CZ":
            text += (f" Česko: {format_number(stat.value.iloc[0], dec, unit)}." if self.language == "cs"
                     else f" Czechia: {format_number(stat.value.iloc[0], dec, unit)}.")
        return text


def trend(data: TopicData, indicator_id: str, territory: str, language: str = "cs") -> TrendView:
    """The territory's time series with ČR, its kraj and (for kraje) the other kraje."""
    frame = data.indicator(indicator_id).dropna(subset=["value"])
    shown = shown_territory(data, indicator_id, territory, language)
    geography = data.geography
    roles: dict[str, str] = {}
    if shown.code:
        roles[shown.code] = "selected"
        if shown.level not in ("kraj", "stat"):
            kraj = geography.parent(shown.code, "kraj")
            roles.setdefault(kraj, "parent")
        if shown.level == "kraj":
            for peer in geography.codes("kraj"):
                roles.setdefault(peer, "peer")
    roles.setdefault("CZ", "stat")
    rows = frame[frame["geo_code"].isin(roles)].copy()
    rows["role"] = rows["geo_code"].map(roles)
    rows["name"] = rows["geo_code"].map(geography.table["name"])
    rows["_k"] = rows["period"].map(period_key)
    rows = rows.sort_values(["role", "geo_code", "_k"]).drop(columns="_k")
    return TrendView(data.topic.indicator(indicator_id), shown,
                     rows[["geo_code", "name", "role", "period", "value"]].reset_index(drop=True), language)


# --- comparison across territories -------------------------------------------------
@dataclass
class CompareView:
    indicator: IndicatorSpec
    level: str
    scope: str  # name of the area compared within ('Liberecký kraj', 'Česko')
    period: str | None
    rows: pd.DataFrame  # geo_code, name, value, selected
    language: str = "cs"
    note: str | None = None

    def describe(self) -> str:
        valid = self.rows.dropna(subset=["value"])
        if valid.empty or self.period is None:
            return "Data pro srovnání nejsou k dispozici." if self.language == "cs" else "No data to compare."
        top, bottom = valid.iloc[0], valid.iloc[-1]
        unit, dec = self.indicator.unit, self.indicator.decimals
        title = self.indicator.title.get(self.language)
        selected = valid[valid.selected]
        if self.language == "en":
            text = (f"{title}, {period_label(self.period, 'en')}, {len(valid)} {plural(self.level, 'en')} of {self.scope}: "
                    f"highest {top['name']} ({format_number(top.value, dec, unit)}), lowest {bottom['name']} "
                    f"({format_number(bottom.value, dec, unit)}).")
        else:
            text = (f"{title}, {period_label(self.period)}, srovnání {len(valid)} {plural(self.level, 'cs')} "
                    f"({self.scope}): nejvíce {top['name']} ({format_number(top.value, dec, unit)}), nejméně "
                    f"{bottom['name']} ({format_number(bottom.value, dec, unit)}).")
        if not selected.empty:
            rank = int(valid.index.get_loc(selected.index[0])) + 1
            row = selected.iloc[0]
            text += (f" {row['name']}: {format_number(row.value, dec, unit)}, {rank}. místo z {len(valid)}."
                     if self.language == "cs" else
                     f" {row['name']}: {format_number(row.value, dec, unit)}, rank {rank} of {len(valid)}.")
        return text


def compare(data: TopicData, indicator_id: str, territory: str, period: str | None,
            levels: list[str], language: str = "cs", need_geometry: bool = False) -> CompareView:
    """Units of the finest preferred level that has data within the territory's kraj.

    Falls back level by level (obce → ORP → okresy → kraje); the kraj level compares
    all 14 kraje. With ``need_geometry`` only levels with boundaries qualify.
    """
    geography = data.geography
    frame = data.indicator(indicator_id)
    available = set(data.levels(indicator_id))
    target = geography.get(territory)
    kraj = geography.parent(territory, "kraj") if target.level != "stat" else None
    period, note = resolve_period(data, indicator_id, period, language=language)
    for level in levels:
        if level not in available:
            continue
        if level == "kraj" or kraj is None:
            codes, scope = geography.codes(level if level == "kraj" else "kraj"), geography.name("CZ")
        else:
            codes, scope = geography.codes(level, within=kraj), geography.name(kraj)
        rows = frame[(frame.period == period) & frame.geo_code.isin(codes)]
        if rows.value.notna().sum() < max(2, len(codes) // 2):
            continue
        if need_geometry:
            shapes = data.boundaries(level)
            if shapes is None or not set(codes) <= set(shapes["geo_code"]):
                continue
        selected_code = target.code if target.level == level else (
            geography.parent(territory, level) if LEVEL_ORDER.index(target.level) > LEVEL_ORDER.index(level) else None)
        table = pd.DataFrame({"geo_code": codes})
        table["name"] = table.geo_code.map(geography.table["name"])
        table = table.merge(rows[["geo_code", "value"]], on="geo_code", how="left")
        table["selected"] = table.geo_code == selected_code
        table = table.sort_values(["value", "name"], ascending=[False, True], na_position="last").reset_index(drop=True)
        return CompareView(data.topic.indicator(indicator_id), level, scope, period, table, language, note)
    empty = pd.DataFrame(columns=["geo_code", "name", "value", "selected"])
    return CompareView(data.topic.indicator(indicator_id), levels[0] if levels else "kraj",
                       geography.name(kraj or "CZ"), period, empty, language, note)


# --- KPI tiles -------------------------------------------------------------------
@dataclass
class Kpi:
    indicator: IndicatorSpec
    shown: Shown
    period: str | None
    value: float | None
    previous_period: str | None = None
    change: float | None = None  # percent change, or points for % indicators
    change_unit: str = "%"
    change_decimals: int = 1
    rank: tuple[int, int] | None = None
    rank_of: str = "krajů"
    language: str = "cs"
    note: str | None = None

    def describe(self) -> str:
        dec, unit = self.indicator.decimals, self.indicator.unit
        title = self.indicator.title.get(self.language)
        if self.value is None:
            return f"{title}: bez údaje." if self.language == "cs" else f"{title}: no data."
        text = f"{title} ({self.shown.name}, {period_label(self.period, self.language)}): {format_number(self.value, dec, unit)}"
        if self.change is not None:
            change = format_change(self.change, self.change_decimals, self.change_unit)
            text += (f", změna proti {period_label(self.previous_period)} {change}" if self.language == "cs"
                     else f", change since {period_label(self.previous_period, 'en')} {change}")
        if self.rank:
            text += (f", {self.rank[0]}. místo z {self.rank[1]} {self.rank_of}" if self.language == "cs"
                     else f", rank {self.rank[0]} of {self.rank[1]} {self.rank_of}")
        return text + "."


def kpi(data: TopicData, indicator_id: str, territory: str, period: str | None, language: str = "cs") -> Kpi:
    """Latest (or chosen) value, change against the previous period, rank among peers."""
    spec = data.topic.indicator(indicator_id)
    frame = data.indicator(indicator_id)
    shown = shown_territory(data, indicator_id, territory, language)
    if not shown.code:
        return Kpi(spec, shown, None, None, language=language, note=shown.note)
    chosen, note = resolve_period(data, indicator_id, period, shown.code, language)
    value = analysis.value_at(frame, shown.code, chosen) if chosen else None
    previous = analysis.previous_period(frame, chosen, shown.code) if chosen else None
    change, change_unit, change_decimals = None, "%", 1
    if previous is not None and value is not None:
        before = analysis.value_at(frame, shown.code, previous)
        if before:
            mode = spec.change or ("absolute" if spec.unit == "%" else "percent")
            if mode == "absolute":
                change = value - before
                change_unit = "p. b." if spec.unit == "%" else spec.unit
                change_decimals = spec.decimals
            else:
                change = (value - before) / abs(before) * 100
    geography = data.geography
    if shown.level == "kraj":
        peers, rank_of = geography.codes("kraj"), plural("kraj", language)
    elif shown.level in ("okres", "orp", "obec"):
        peers = geography.codes(shown.level, within=geography.parent(shown.code, "kraj"))
        rank_of = plural(shown.level, language) + (" v kraji" if language == "cs" else " in the region")
    else:
        peers, rank_of = [], ""
    rank = analysis.rank_within(frame, shown.code, chosen, peers) if (peers and chosen) else None
    return Kpi(spec, shown, chosen, value, previous, change, change_unit, change_decimals, rank, rank_of, language,
               " ".join(filter(None, [shown.note, note])) or None)


# --- tables ----------------------------------------------------------------------
@dataclass
class TableView:
    columns: dict[str, str]  # our column → header
    rows: pd.DataFrame
    title: str
    unit: str
    decimals: int


def table(data: TopicData, indicator_id: str, territory: str, period: str | None,
          levels: list[str], language: str = "cs") -> TableView:
    """The comparison shown in charts plus ČR and the kraj, for reading and download."""
    spec = data.topic.indicator(indicator_id)
    view = compare(data, indicator_id, territory, period, levels, language)
    geography = data.geography
    frame = data.indicator(indicator_id)
    extra_codes = ["CZ"]
    if view.level != "kraj":
        kraj = geography.parent(territory, "kraj") if geography.level_of(territory) != "stat" else None
        if kraj:
            extra_codes.insert(0, kraj)
    extra = frame[(frame.period == view.period) & frame.geo_code.isin(extra_codes)][["geo_code", "value"]]
    extra = extra.assign(name=extra.geo_code.map(geography.table["name"]), selected=False)
    rows = pd.concat([view.rows, extra[view.rows.columns]], ignore_index=True) if not extra.empty else view.rows
    rows = rows.drop_duplicates("geo_code")
    rows = rows.assign(level=rows.geo_code.map(geography.table["level"]), period=view.period,
                       indicator=spec.title.get(language), unit=spec.unit)
    headers = ({"name": "Území", "geo_code": "Kód", "level": "Úroveň", "period": "Období", "value": "Hodnota", "unit": "Jednotka"}
               if language == "cs" else
               {"name": "Territory", "geo_code": "Code", "level": "Level", "period": "Period", "value": "Value", "unit": "Unit"})
    return TableView(headers, rows[["name", "geo_code", "level", "period", "value", "unit", "selected"]].reset_index(drop=True),
                     spec.title.get(language), spec.unit, spec.decimals)


@dataclass
class PointsView:
    title: str
    frame: object  # GeoDataFrame with name + details
    label: str
    details: list[str] = field(default_factory=list)

    @property
    def has_geometry(self) -> bool:
        """Registers published as plain tables (no coordinates) are listed, not mapped."""
        return "geometry" in getattr(self.frame, "columns", []) and len(self.frame) > 0

    def describe(self, language: str = "cs") -> str:
        count = len(self.frame)
        return f"{self.title}: {count} míst." if language == "cs" else f"{self.title}: {count} places."

    def open_now(self, at=None) -> pd.Series:
        """Which places are open at ``at`` (now by default), from their opening hours."""
        from datalk.analysis import open_now

        return open_now(self.frame, at)


@dataclass
class ListView:
    """A publisher's table shown as a list (institutions with visitors, schools…)."""

    title: str
    rows: pd.DataFrame  # the chosen columns, sorted
    headers: dict[str, str]
    numeric: list[str]
    totals: dict[str, float] | None = None

    def describe(self, language: str = "cs") -> str:
        if language == "en":
            return f"{self.title}: {len(self.rows)} rows."
        return f"{self.title}: {len(self.rows)} položek."


def listing(frame: pd.DataFrame, title: str, columns: dict[str, str], sort: str | None = None,
            totals: bool = False) -> ListView:
    """The rows of a table source with readable headers; numeric columns summed when asked."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"seznam '{title}': zdroj nemá sloupce {missing}")
    rows = pd.DataFrame(frame[list(columns)]).copy()
    numeric = []
    for column in columns:
        given = rows[column].where(rows[column].astype("string").str.strip() != "")
        values = pd.to_numeric(given, errors="coerce")
        if values.notna().any() and values.notna().sum() == given.notna().sum():  # every given value a number
            rows[column] = values
            numeric.append(column)
    if sort:
        rows = rows.sort_values(sort, ascending=False, na_position="last", kind="stable")
    sums = {c: float(rows[c].sum()) for c in numeric} if totals else None
    return ListView(title, rows.reset_index(drop=True), dict(columns), numeric, sums)
