"""The data-source YAML model: one upstream table per file, validated with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from datalk.yamlfile import load_model

Format = Literal[
    "csu_csv",  # ČSÚ open-data long CSV (idhod, hodnota, stapro_kod, …)
    "datastat_jsonstat",  # ČSÚ DataStat API response (JSON-stat 2.0)
    "datastat_csv",  # the same selection flattened to a label table (mirror)
    "table",  # any CSV/TSV/XLSX/XLS/Parquet with an explicit tidy mapping
    "volby_csv",  # volby.cz results per polling district
    "geojson",
    "topojson",
    "shp_zip",  # ESRI shapefile in a ZIP (ČÚZK, S-JTSK)
    "cuzk_ku",  # ČÚZK statistics per cadastral area (KÚ), summed to obce via the KÚ list
    "msmt_xml",  # MŠMT school register XML (PravniSubjekt → SkolaZarizeni → místa)
    "rds",  # R data file (data.frame / sf, e.g. RCzechia) read without R; output: table
]
Output = Literal["observations", "features", "table"]

#: EU "frequency" authority codes used by DCAT-AP-CZ (subset we use).
Frequency = Literal[
    "ANNUAL", "ANNUAL_2", "ANNUAL_3", "BIENNIAL", "TRIENNIAL", "QUINQUENNIAL", "DECENNIAL",
    "MONTHLY", "QUARTERLY", "WEEKLY", "DAILY", "IRREG", "NEVER", "UNKNOWN", "OTHER",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReadOptions(_Model):
    """How to parse the bytes: everything a reader needs beyond the format name."""

    encoding: str = "utf-8-sig"
    delimiter: str = ","
    file_type: Literal["csv", "xlsx", "xls", "parquet", "json"] | None = None
    sheet: str | int = 0
    skip_rows: int = 0
    header: bool = True
    column_names: list[str] | None = None
    decimal: str = "."
    na_values: list[str] = Field(default_factory=lambda: ["", "i.d.", "x", "-", "–"])
    member: str | None = None  # file inside a ZIP
    layer: str | None = None  # layer of a shapefile/TopoJSON
    crs: str | None = None  # CRS when the file does not say (S-JTSK = EPSG:5514)
    simplify: float | None = None  # geometry tolerance in the file's units (metres for S-JTSK)

    def merged(self, other: ReadOptions | None) -> ReadOptions:
        if other is None:
            return self
        return self.model_copy(update=other.model_dump(exclude_unset=True))


class Licence(_Model):
    name: str
    url: str | None = None
    attribution: str
    republish: bool = True  # False where a non-commercial or unclear licence forbids re-publishing


class FeatureMapping(_Model):
    """For geometry sources: which property holds the territory code, which the name."""

    code: str
    code_list: str
    name: str | None = None
    keep: dict[str, str] = Field(default_factory=dict)  # our name → property


class Origin(_Model):
    """Where the official data lives online."""

    kind: Literal["url", "csu_lkod", "none"] = "url"
    url: str | None = None  # direct download or API endpoint; LKOD record for csu_lkod
    media_type: str | None = None  # which distribution to take from an LKOD record
    format: Format | None = None
    read: ReadOptions | None = None
    features: FeatureMapping | None = None  # the official file names its properties differently
    note: str | None = None

    @model_validator(mode="after")
    def _url_required(self) -> Origin:
        if self.kind in ("url", "csu_lkod") and not self.url:
            raise ValueError(f"origin kind '{self.kind}' needs 'url'")
        return self


class Mirror(_Model):
    """Where the same data sits in a local mirror (DATALK_MIRROR), maybe in another layout."""

    path: str
    format: Format | None = None
    read: ReadOptions | None = None
    features: FeatureMapping | None = None


class Refresh(_Model):
    frequency: Frequency = "ANNUAL"
    max_age_days: int = 400


class GeoMapping(_Model):
    """How a table names its territories."""

    column: str | None = None
    columns: list[str] | None = None  # (obec, POU) pairs
    code_list: str | None = None  # a key of geography.CODE_LISTS, 'nuts' or 'csu_cis'
    code_list_column: str | None = None  # per-row code list (ČSÚ uzemi_cis)
    match: Literal["codes", "names", "obec_pou"] = "codes"
    levels: list[str] = Field(default_factory=lambda: ["stat", "kraj", "okres", "orp"])
    exclude: list[str] = Field(default_factory=list)  # labels dropped on purpose (e.g. NUTS 2)
    code_map: dict[str, str] = Field(default_factory=dict)  # publisher code → canonical code
    level: str | None = None  # fixed level when a single code list is used
    value: str | None = None  # one canonical code for a single-territory extract (no territory column)

    @model_validator(mode="after")
    def _column_or_value(self) -> GeoMapping:
        if self.value and (self.column or self.columns):
            raise ValueError("geo: either 'value' (one territory) or 'column'/'columns', not both")
        return self


class PeriodMapping(_Model):
    column: str | None = None
    columns: list[str] | None = None  # (from, to) date columns → '2013-2017'
    value: str | None = None  # a constant period for single-vintage tables
    # Date labels ('2019-01-01') stand for a month/quarter/year: monthly counts dated by their first day.
    truncate: Literal["year", "quarter", "month"] | None = None


class TidyMapping(_Model):
    """Mapping of a publisher table to the tidy long shape (format ``table``)."""

    geo: GeoMapping
    period: PeriodMapping
    indicator: str | None = None  # column holding the indicator label
    value: str | None = None  # column holding the value
    # Wide tables: column → indicator label, or → {indicator: …, period: …, <dimension>: …} when the
    # columns also carry a dimension value (age group, sex, land type) or a period (one column per year).
    melt: dict[str, str | dict[str, str]] | None = None
    dimensions: dict[str, str] = Field(default_factory=dict)  # our name → publisher column
    recode: dict[str, dict[str, str]] = Field(default_factory=dict)  # dimension → {publisher value: ours}
    filter: dict[str, Any] = Field(default_factory=dict)  # keep rows where column == value
    drop_empty: list[str] = Field(default_factory=list)  # drop rows where any of these columns is empty
    keep: list[str] = Field(default_factory=list)  # extra columns kept for features/tables

    @model_validator(mode="after")
    def _value_or_melt(self) -> TidyMapping:
        if not self.melt and not (self.indicator and self.value):
            raise ValueError("tidy needs either 'melt' or both 'indicator' and 'value'")
        for column, target in (self.melt or {}).items():
            if isinstance(target, dict) and not target.get("indicator"):
                raise ValueError(f"melt of column '{column}' needs an 'indicator'")
        return self


class Column(_Model):
    name: str
    type: Literal["string", "integer", "number", "date", "any"] = "any"


class Schema(_Model):
    columns: list[Column] = Field(default_factory=list)  # required publisher columns
    renames: dict[str, str] = Field(default_factory=dict)  # publisher → our names (table output)


class Guardrails(_Model):
    min_rows: int = 1
    required_periods: list[str] = Field(default_factory=list)
    required_territories: list[str] = Field(default_factory=list)  # '{region}' = the setting
    levels: list[str] = Field(default_factory=list)  # geo levels that must be present


class SourceSpec(_Model):
    """One upstream table, as declared in ``data_sources/<id>.yaml``."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    description: str
    publisher: str
    publisher_iri: str | None = None
    landing_page: str
    citation: str | None = None
    licence: Licence
    origin: Origin
    format: Format
    read: ReadOptions = Field(default_factory=ReadOptions)
    output: Output = "observations"
    mirror: Mirror | None = None
    refresh: Refresh = Field(default_factory=Refresh)
    schema_: Schema = Field(default_factory=Schema, alias="schema")
    tidy: TidyMapping | None = None
    features: FeatureMapping | None = None
    geo: GeoMapping | None = None  # territory column for label tables (DataStat)
    period_column: str | None = None  # DataStat: the time dimension
    period: str | None = None  # a constant period for files that carry no date (volby.cz: the election year)
    indicator_column: str | None = None  # DataStat: default 'Ukazatel'
    unit: str | None = None
    guardrails: Guardrails = Field(default_factory=Guardrails)
    caveats: str | None = None
    derived: bool = False  # True: not the publisher's own file (converted, extracted, secondary)
    keywords: list[str] = Field(default_factory=list)
    role: Literal["data", "geography"] = "data"

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _shape_is_declared(self) -> SourceSpec:
        if self.format == "table" and self.output == "observations" and self.tidy is None:
            raise ValueError("format 'table' with observations output needs a 'tidy' mapping")
        if self.output == "features" and self.features is None and self.tidy is None:
            raise ValueError("output 'features' needs a 'features' mapping")
        return self

    def format_for(self, place: Literal["origin", "mirror"]) -> Format:
        override = self.mirror.format if place == "mirror" and self.mirror else self.origin.format
        return override or self.format

    def features_for(self, place: Literal["origin", "mirror"]) -> FeatureMapping | None:
        override = self.mirror.features if place == "mirror" and self.mirror else self.origin.features
        return override or self.features

    def read_for(self, place: Literal["origin", "mirror"]) -> ReadOptions:
        override = self.mirror.read if place == "mirror" and self.mirror else self.origin.read
        return self.read.merged(override)


def load_spec(path: Path) -> SourceSpec:
    """Parse and validate one source YAML; errors name the file and the field."""
    return load_model(path, SourceSpec)
