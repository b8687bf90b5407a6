"""High-level functions the rest of the package (and analysts) call."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from datalk.errors import FetchError, ReadError
from datalk.geography import Geography
from datalk.settings import get_settings
from datalk.sources import cache, territories
from datalk.sources.fetch import FetchResult, fetch_source, read_bytes
from datalk.sources.registry import all_sources, get_source
from datalk.sources.spec import GeoMapping, SourceSpec

log = logging.getLogger(__name__)


def geography() -> Geography:
    """Territories of Czechia with code lists (fetches the code-list sources on first use)."""
    return territories.geography_from_cache(load)


def load(source_id: str) -> pd.DataFrame:
    """The tidy table of one source from the Parquet cache, fetching it if it is missing.

    Raises :class:`~datalk.errors.FetchError` when there is no cached copy and the
    fetch fails: the message says which source and why (e.g. offline without mirror).
    """
    frame = cache.load_tidy(source_id)
    if frame is not None:
        return frame
    spec = get_source(source_id)
    result = fetch_source(spec, geography)
    if not result.ok or result.status == "skipped":
        raise FetchError(source_id, f"data nejsou k dispozici: {result.message}")
    frame = cache.load_tidy(source_id)
    if frame is None:
        raise FetchError(source_id, "data nejsou v mezipaměti ani po stažení")
    return frame


def fetch(source_ids: Iterable[str] | None = None, force: bool = False,
          progress: Callable[[FetchResult], None] | None = None, jobs: int | None = None) -> list[FetchResult]:
    """Fetch the given sources (all when None): code lists first, then the rest in parallel.

    One failing source never stops the others; every result is returned, in the
    order asked. ``jobs`` worker processes (default: one per CPU) read the big
    spreadsheets side by side; each source still commits atomically on its own.
    """
    specs = all_sources()
    ids = list(source_ids) if source_ids else list(specs)
    unknown = [i for i in ids if i not in specs]
    results = {i: FetchResult(i, False, "failed", f"neznámý zdroj '{i}'") for i in unknown}
    wanted = [specs[i] for i in ids if i in specs]
    for spec in [s for s in wanted if s.role == "geography"]:
        results[spec.id] = fetch_source(spec, geography, force=force)
        territories.forget()
        if progress:
            progress(results[spec.id])
    rest = [s for s in wanted if s.role != "geography"]
    workers = min(jobs or os.cpu_count() or 1, len(rest))
    if workers <= 1:
        for spec in rest:
            results[spec.id] = fetch_source(spec, geography, force=force)
            if progress:
                progress(results[spec.id])
    else:
        geography()  # build once; forked workers inherit it
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(_fetch_one, spec.id, force): spec.id for spec in rest}
            for future in as_completed(futures):
                source_id = futures[future]
                try:
                    results[source_id] = future.result()
                except Exception as exc:  # a crashed worker is one failed source, not a failed run
                    results[source_id] = FetchResult(source_id, False, "failed", f"pracovní proces selhal: {exc}")
                if progress:
                    progress(results[source_id])
    return [results[i] for i in ids]


def _fetch_one(source_id: str, force: bool) -> FetchResult:
    return fetch_source(get_source(source_id), geography, force=force)


def status() -> list[dict]:
    """One record per declared source: publisher, licence, periods, rows, fetched-at, staleness."""
    now = datetime.now(UTC)
    records = []
    for spec in all_sources().values():
        lock = cache.read_lock(spec.id)
        record = {
            "id": spec.id, "title": spec.title, "publisher": spec.publisher,
            "licence": spec.licence.name, "frequency": spec.refresh.frequency,
            "max_age_days": spec.refresh.max_age_days, "cached": lock is not None,
            "rows": None, "periods": None, "fetched_at": None, "age_days": None,
            "stale": None, "from_mirror": None, "url": None, "notes": [],
        }
        if lock:
            fetched = datetime.fromisoformat(lock.fetched_at)
            age = (now - fetched).total_seconds() / 86400
            record.update(rows=lock.rows, periods=lock.periods, fetched_at=lock.fetched_at,
                          age_days=round(age, 1), stale=age > spec.refresh.max_age_days,
                          from_mirror=lock.from_mirror, url=lock.url, notes=lock.notes)
        records.append(record)
    return records


def inspect_file(path: Path, fmt: str, territory_column: str | None = None,
                 levels: list[str] | None = None) -> pd.DataFrame:
    """Read any publisher file as ``fmt`` and return the tidy table (for `datalk data inspect`)."""
    if not path.is_file():
        raise ReadError(path.name, f"soubor {path} neexistuje")
    spec = SourceSpec(
        id="inspect", title=path.stem, description="", publisher="", landing_page="",
        licence={"name": "-", "attribution": "-"}, origin={"kind": "none"}, format=fmt,
        output="features" if fmt in ("geojson", "topojson", "shp_zip") else "observations",
        features=None, tidy=None,
        geo=GeoMapping(column=territory_column, match="names", **({"levels": levels} if levels else {}))
        if territory_column or levels else None,
    ) if fmt != "table" else None
    if spec is None:
        raise ReadError(path.name, "formát 'table' potřebuje mapování v YAML zdroje; použijte datalk data fetch")
    frame = read_bytes(spec, path.read_bytes(), "origin", geography)
    if hasattr(frame, "geometry"):
        frame = pd.DataFrame(frame.drop(columns="geometry")).assign(geometry_wkt=frame.geometry.to_wkt())
    return frame


def ensure_sources(source_ids: Iterable[str]) -> list[str]:
    """Make sure the given sources are cached; returns ids that could not be loaded."""
    missing = []
    for source_id in source_ids:
        try:
            load(source_id)
        except (FetchError, ReadError) as exc:
            log.warning("%s", exc)
            missing.append(source_id)
    return missing


def spec_of(source_id: str) -> SourceSpec:
    return get_source(source_id)


def settings_summary() -> dict:
    settings = get_settings()
    return {"cache": str(settings.cache_dir), "mirror": str(settings.mirror_dir or ""),
            "region": settings.region}
