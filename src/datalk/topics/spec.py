"""The topic YAML model: what one of the region's 20 thematic areas shows."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from datalk.yamlfile import load_model

Level = Literal["stat", "kraj", "okres", "orp", "obec"]
EU_THEMES = {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "OP_DATPRO",
             "REGI", "SOCI", "TECH", "TRAN"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A Czech text with an optional English version (falls back to Czech)."""

    cs: str
    en: str | None = None

    def get(self, language: str = "cs") -> str:
        return (self.en if language == "en" and self.en else self.cs).strip()


class Derive(_Model):
    """A derived indicator: a named function of ``datalk.analysis`` over other indicators."""

    function: str
    inputs: dict[str, str]  # parameter name → indicator id
    args: dict[str, str | float | int] = Field(default_factory=dict)


class PeriodFilter(_Model):
    """Which periods an indicator shows: a range and/or known-bad periods left out."""

    start: str | None = Field(default=None, alias="from")
    end: str | None = Field(default=None, alias="to")
    exclude: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Part(_Model):
    """More rows for the same indicator: from another source (e.g. okresy for one year)
    or from another indicator of the topic (a derived kraj series next to obce values)."""

    source: str | None = None
    indicator: str | None = None
    filters: dict[str, str | int | float | list[str] | None] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_origin(self) -> Part:
        if (self.source is None) == (self.indicator is None):
            raise ValueError("část 'combine' potřebuje buď 'source', nebo 'indicator'")
        return self


class IndicatorSpec(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    unit: str = ""
    decimals: int = 1
    source: str | None = None
    filters: dict[str, str | int | float | list[str] | None] = Field(default_factory=dict)
    derive: Derive | None = None
    combine: list[Part] = Field(default_factory=list)  # rows the main source lacks
    sum_over: list[str] = Field(default_factory=list)  # dimensions summed away after filtering
    periods: PeriodFilter | None = None
    additive: bool = False  # obec values may be summed into ORP/okres/kraj/ČR
    higher_is: Literal["better", "worse", "neutral"] = "neutral"
    change: Literal["percent", "absolute"] | None = None  # KPI change; default: points for %, else percent
    levels: list[Level] | None = None  # restrict to these levels
    description: Text | None = None
    hidden: bool = False  # an input of derived indicators only, not offered to users

    @model_validator(mode="after")
    def _source_or_derive(self) -> IndicatorSpec:
        if (self.source is None) == (self.derive is None):
            raise ValueError(f"ukazatel '{self.id}' potřebuje buď 'source', nebo 'derive'")
        return self


class ChartSpec(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["line", "bar", "choropleth", "points", "table", "kpi", "list"]
    title: Text | None = None
    indicator: str | None = None  # None: follows the indicator chosen in the page
    indicators: list[str] = Field(default_factory=list)  # kpi tiles
    level: list[Level] = Field(default_factory=lambda: ["obec", "orp", "okres", "kraj"])
    source: str | None = None  # points layers
    label: str | None = None  # points: property with the name
    details: list[str] = Field(default_factory=list)  # points: properties shown in popups/list
    columns: dict[str, Text] = Field(default_factory=dict)  # list: source column → header
    sort: str | None = None  # list: column to sort by, descending
    rows: dict[str, str] = Field(default_factory=dict)  # list: keep rows where column == value
    totals: bool = False  # list: a row with the sums of numeric columns
    open_now: bool = False  # points: offer an "open now" filter from opening hours (analysis.open_now)
    report: bool = True
    app: bool = True
    note: Text | None = None


class Texts(_Model):
    intro: Text
    method: Text
    caveats: Text


class Parameters(_Model):
    territory: str = "CZ051"
    period: str | None = None
    language: Literal["cs", "en"] = "cs"
    mode: Literal["app", "report"] = "app"


class TopicSpec(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    summary: Text
    order: int
    themes: list[str]
    keywords: list[str] = Field(default_factory=list)
    sources: list[str]
    headline: str
    indicators: list[IndicatorSpec]
    charts: list[ChartSpec]
    texts: Texts
    parameters: Parameters = Field(default_factory=Parameters)

    @model_validator(mode="after")
    def _references_resolve(self) -> TopicSpec:
        ids = {i.id for i in self.indicators}
        if len(ids) != len(self.indicators):
            raise ValueError("ukazatele mají duplicitní id")
        unknown_themes = set(self.themes) - EU_THEMES
        if unknown_themes:
            raise ValueError(f"neznámá témata EU {sorted(unknown_themes)}")
        if self.headline not in ids:
            raise ValueError(f"headline '{self.headline}' není mezi ukazateli")
        for indicator in self.indicators:
            used = ([indicator.source] if indicator.source else []) + [p.source for p in indicator.combine if p.source]
            combined = {p.indicator for p in indicator.combine if p.indicator}
            if combined - ids or indicator.id in combined:
                raise ValueError(f"ukazatel '{indicator.id}' kombinuje neznámé ukazatele {sorted(combined - ids)}")
            for source_id in used:
                if source_id not in self.sources:
                    raise ValueError(f"ukazatel '{indicator.id}' používá zdroj '{source_id}', který není v 'sources'")
            if indicator.derive:
                missing = set(indicator.derive.inputs.values()) - ids
                if missing:
                    raise ValueError(f"ukazatel '{indicator.id}' odvozuje z neznámých ukazatelů {sorted(missing)}")
        for chart in self.charts:
            refs = ([chart.indicator] if chart.indicator else []) + chart.indicators
            if set(refs) - ids:
                raise ValueError(f"graf '{chart.id}' odkazuje na neznámé ukazatele {sorted(set(refs) - ids)}")
            if chart.kind in ("points", "list") and chart.source not in self.sources:
                raise ValueError(f"graf '{chart.id}' ({chart.kind}) potřebuje zdroj uvedený v 'sources'")
            if chart.kind == "list" and not chart.columns:
                raise ValueError(f"graf '{chart.id}' (seznam) potřebuje 'columns'")
        return self

    def indicator(self, indicator_id: str) -> IndicatorSpec:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(f"téma '{self.id}' nemá ukazatel '{indicator_id}'")

    def chart(self, chart_id: str) -> ChartSpec:
        for chart in self.charts:
            if chart.id == chart_id:
                return chart
        raise KeyError(f"téma '{self.id}' nemá graf '{chart_id}'")

    @property
    def visible_indicators(self) -> list[IndicatorSpec]:
        return [i for i in self.indicators if not i.hidden]


def load_topic_file(path: Path) -> TopicSpec:
    """Parse and validate one topic YAML; errors name the file and the field."""
    return load_model(path, TopicSpec)
