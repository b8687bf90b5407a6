"""Build the open-data site: distributions, DCAT-AP-CZ records, catalogue and the open-data page.

Which sources become datasets:

* every source whose licence allows republishing (``licence.republish``) and that a topic uses;
* while the topics are still being written, also every other republishable *data* source with
  observations or features (code lists and boundary layers only when a topic names them);
* a source without cached data is reported as unavailable (run ``datalk data fetch`` first);
* sources whose licence forbids republishing are listed on the page with a link to the
  original publisher, never copied.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from datalk.catalog import vocab
from datalk.catalog.coverage import (
    Spatial,
    Temporal,
    czech_date,
    spatial_coverage,
    temporal_coverage,
)
from datalk.catalog.files import DATA_DIR, Written, write_distributions, write_json
from datalk.catalog.records import (
    CATALOG_FILE,
    RECORDS_DIR,
    DatasetRecordInput,
    Site,
    catalog_record,
    dataset_record,
)
from datalk.errors import ConfigError, DatalkError
from datalk.settings import get_settings
from datalk.sources import all_sources, cache, geography
from datalk.sources.spec import SourceSpec
from datalk.topics.spec import TopicSpec, load_topic_file

log = logging.getLogger(__name__)

DEFAULT_OUT = Path("site") / "opendata"


@dataclass
class TopicRef:
    id: str
    title: str
    url: str


@dataclass
class DatasetEntry:
    """One published dataset: what the records and the page show."""

    spec: SourceSpec
    record: dict
    written: Written
    themes: list[str]
    topics: list[TopicRef]
    temporal: Temporal | None
    spatial: Spatial
    terms: vocab.Terms
    fetched_at: str | None

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass
class Skipped:
    spec: SourceSpec
    reason: str


@dataclass
class BuildResult:
    out_dir: Path
    site: Site
    datasets: list[DatasetEntry] = field(default_factory=list)
    not_republished: list[Skipped] = field(default_factory=list)  # licence forbids it
    unavailable: list[Skipped] = field(default_factory=list)  # no cached data
    warnings: list[str] = field(default_factory=list)
    built_at: str = ""


def normalise_base_url(url: str) -> str:
    url = url.strip()
    if not re.match(r"^https?://", url):
        raise DatalkError(f"základní URL katalogu '{url}' musí začínat https://")
    return url if url.endswith("/") else url + "/"


def default_site(base_url: str | None = None, portal_url: str | None = None,
                 contact_email: str | None = None) -> Site:
    """Base URL: explicit, else DATALK_BASE_URL + '/opendata/'; portal URL: explicit, else derived.

    Contact e-mail: explicit, else DATALK_OPENDATA_EMAIL, else the portal's DATALK_CONTACT_EMAIL, else
    the region's filing address.
    """
    settings = get_settings()
    base = normalise_base_url(base_url or f"{settings.base_url}/opendata/")
    if portal_url is None:
        portal_url = base[: -len("opendata/")] if base.endswith("/opendata/") else settings.base_url
    contact = (contact_email or os.environ.get("DATALK_OPENDATA_EMAIL") or os.environ.get("DATALK_CONTACT_EMAIL")
               or vocab.DEFAULT_CONTACT_EMAIL)
    return Site(base, portal_url.rstrip("/"), contact.removeprefix("mailto:"))


def load_topics(directory: Path | None = None) -> tuple[list[TopicSpec], list[str]]:
    """All valid topic YAMLs; an invalid one (being written) is skipped with a warning."""
    directory = directory or get_settings().topics_dir
    topics, warnings = [], []
    for path in sorted(directory.glob("*.yaml")):
        try:
            topics.append(load_topic_file(path))
        except ConfigError as exc:
            warnings.append(f"téma přeskočeno: {exc}")
    return sorted(topics, key=lambda t: (t.order, t.id)), warnings


def _non_commercial(spec: SourceSpec) -> bool:
    text = f"{spec.licence.name} {spec.licence.url or ''}".lower()
    return bool(re.search(r"by-nc|\bnc\b|nekomer", text))


def select_sources(sources: dict[str, SourceSpec], topics: list[TopicSpec]) -> tuple[
        list[SourceSpec], list[Skipped]]:
    """(sources to publish, data sources whose licence forbids republishing), ordered by id."""
    used = {source_id for topic in topics for source_id in topic.sources}
    chosen, refused = [], []
    for spec in sorted(sources.values(), key=lambda s: s.id):
        relevant = spec.id in used or spec.role == "data"
        if relevant and (not spec.licence.republish or _non_commercial(spec)):
            refused.append(Skipped(spec, f"licence „{spec.licence.name}“ nedovoluje další zveřejnění"))
        elif spec.id in used or (spec.role == "data" and spec.output in ("observations", "features")):
            chosen.append(spec)
    return chosen, refused


def _topics_of(spec: SourceSpec, topics: list[TopicSpec], site: Site) -> list[TopicRef]:
    return [TopicRef(t.id, t.title.cs, site.topic_url(t.id)) for t in topics if spec.id in t.sources]


def _themes(spec: SourceSpec, topics: list[TopicSpec]) -> list[str]:
    themes: list[str] = []
    for topic in topics:
        if spec.id in topic.sources:
            themes += [t for t in topic.themes if t not in themes]
    if not themes:
        themes = vocab.themes_from_keywords(spec.title, *spec.keywords)
    return themes or ["REGI"]


def _keywords(spec: SourceSpec, topics: list[TopicSpec]) -> list[str]:
    words: list[str] = []
    for word in spec.keywords or [k for t in topics if spec.id in t.sources for k in t.keywords]:
        if word.strip() and word.strip() not in words:
            words.append(word.strip())
    return words or ["otevřená data"]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _description(spec: SourceSpec, fetched_at: str | None, rows: int) -> str:
    shape = {
        "observations": "Tabulka je převedena do jednotného dlouhého tvaru portálu (kód a název území, úroveň "
                        "území, období, ukazatel, hodnota a další členění).",
        "features": "Každý řádek je jeden objekt se souřadnicemi (WGS 84) a atributy převzatými od poskytovatele.",
        "table": "Číselník převzatý od poskytovatele.",
    }[spec.output]
    taken = f" Data převzata {czech_date(date.fromisoformat(fetched_at[:10]))}." if fetched_at else ""
    licence = spec.licence.name + (f" ({spec.licence.url})" if spec.licence.url else "")
    if spec.publisher_iri == vocab.PUBLISHER_IRI:
        origin = (f"Data Libereckého kraje ({spec.landing_page}); portál datalk je zveřejňuje v jednotném "
                  f"tvaru.")
    else:
        origin = (f"Původní poskytovatel: {spec.publisher} ({spec.landing_page}). Liberecký kraj data přebírá "
                  f"a znovu zveřejňuje na portálu datalk.")
    parts = [
        _sentence(spec.description),
        f"{origin} {shape}{taken} Počet řádků: {rows}.",
        f"Podmínky užití původního poskytovatele: {licence}. {_sentence(spec.licence.attribution)}",
    ]
    if spec.derived:
        parts.append("Jde o odvozený výtah nebo převod, ne o původní soubor poskytovatele.")
    if spec.caveats:
        parts.append(f"Upozornění: {_sentence(spec.caveats)}")
    return "\n\n".join(parts)


def build(out_dir: Path | None = None, base_url: str | None = None, portal_url: str | None = None,
          contact_email: str | None = None, progress=None) -> BuildResult:
    """Write the whole open-data site into ``out_dir`` and return what was published."""
    settings = get_settings()
    out_dir = (out_dir or settings.root / DEFAULT_OUT).resolve()
    site = default_site(base_url, portal_url, contact_email)
    result = BuildResult(out_dir, site, built_at=datetime.now(UTC).replace(microsecond=0).isoformat())
    if not site.base_url.startswith("https://"):
        result.warnings.append(f"základní URL {site.base_url} není https – NKOD a schéma DCAT-AP-CZ vyžadují "
                               "https, katalog nebude platný (nastavte DATALK_BASE_URL nebo --base-url; pro místní "
                               "náhled stránky použijte --no-validate)")
    topics, topic_warnings = load_topics()
    result.warnings += topic_warnings
    chosen, result.not_republished = select_sources(all_sources(), topics)
    geo = geography()
    out_dir.mkdir(parents=True, exist_ok=True)
    written_paths: set[Path] = set()

    for spec in chosen:
        frame = cache.load_tidy(spec.id)
        lock = cache.read_lock(spec.id)
        if frame is None:
            result.unavailable.append(Skipped(spec, "data zatím nejsou stažena (datalk data fetch)"))
            continue
        if progress:
            progress(spec.id)
        entry = _publish(spec, frame, lock, topics, site, out_dir, geo, settings.region)
        result.datasets.append(entry)
        written_paths.update(out_dir / f.path for f in entry.written.files)
        written_paths.add(out_dir / entry.written.schema)
        record_path = out_dir / site.record_path(spec.id)
        write_json(record_path, entry.record)
        written_paths.add(record_path)

    write_json(out_dir / CATALOG_FILE, catalog_record(site, [d.id for d in result.datasets]))
    from datalk.catalog.page import write_pages

    written_paths.update(write_pages(result))
    _remove_stale(out_dir, written_paths)
    return result


def _publish(spec: SourceSpec, frame: pd.DataFrame, lock, topics: list[TopicSpec], site: Site,
             out_dir: Path, geo, region: str) -> DatasetEntry:
    terms = vocab.terms_for(spec.licence, spec.publisher)
    metadata = {
        "title": spec.title, "description": spec.description.strip(), "publisher": spec.publisher,
        "source_url": spec.landing_page, "licence_url": terms.url,
    }
    written = write_distributions(spec.id, frame, spec.output, out_dir, geo, metadata)
    periods = frame["period"].unique() if "period" in frame.columns else []
    temporal = temporal_coverage(periods)
    codes = frame["geo_code"].unique() if "geo_code" in frame.columns else []
    spatial = spatial_coverage(codes, geo, region)
    themes = _themes(spec, topics)
    refs = _topics_of(spec, topics, site)
    fetched_at = lock.fetched_at if lock else None
    record_input = DatasetRecordInput(
        id=spec.id,
        title=spec.title,
        description=_description(spec, fetched_at, written.rows),
        themes=themes,
        frequency=spec.refresh.frequency,
        keywords=_keywords(spec, topics),
        spatial=spatial,
        temporal=temporal,
        documentation=refs[0].url if refs else spec.landing_page,
        terms=terms,
        files=written.files,
        schema=written.schema.as_posix() if written.schema else None,
    )
    return DatasetEntry(spec, dataset_record(site, record_input), written, themes, refs, temporal, spatial,
                        terms, fetched_at)


def _remove_stale(out_dir: Path, keep: set[Path]) -> None:
    """Remove files of datasets no longer published (only files inside the folders this build owns)."""
    kept = {path.resolve() for path in keep}
    for folder in (DATA_DIR, RECORDS_DIR):
        directory = out_dir / folder
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            if path.is_file() and path.resolve() not in kept:
                log.info("removing stale %s", path)
                path.unlink()
