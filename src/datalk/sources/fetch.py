"""Fetch a source: get bytes (mirror or network), read, validate, then commit atomically."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from datalk.errors import DatalkError, FetchError, SourceError
from datalk.settings import get_settings
from datalk.sources import cache, http, resolve
from datalk.sources.readers import READERS, ReadContext
from datalk.sources.spec import SourceSpec
from datalk.sources.tidy import check_guardrails, finalize, summarize

log = logging.getLogger(__name__)


@dataclass
class FetchResult:
    source_id: str
    ok: bool
    status: str  # 'fetched' | 'unchanged' | 'skipped' | 'failed'
    message: str = ""
    rows: int = 0
    seconds: float = 0.0


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def read_bytes(spec: SourceSpec, raw: bytes, place: str, geography_provider) -> pd.DataFrame:
    """Parse bytes with the reader for ``place`` ('origin' or 'mirror') into the output table."""
    fmt = spec.format_for(place)
    ctx = ReadContext(spec=spec, options=spec.read_for(place), geography=geography_provider, place=place,
                      region=get_settings().region)
    frame = READERS[fmt](raw, ctx)
    if spec.output == "observations":
        notes = frame.attrs.get("unmatched_obec_codes")
        frame = finalize(frame, spec.id)
        if notes:
            frame.attrs["unmatched_obec_codes"] = notes
    return frame


def spec_fingerprint(spec: SourceSpec) -> str:
    """Hash of the YAML's meaning: a changed mapping re-reads bytes that did not change."""
    import hashlib

    return hashlib.sha256(spec.model_dump_json().encode()).hexdigest()[:16]


def _get_mirror(spec: SourceSpec) -> tuple[bytes, str, str]:
    mirror_dir = get_settings().mirror_dir
    path = mirror_dir / spec.mirror.path
    if not path.is_file():
        raise FetchError(spec.id, f"soubor zrcadla nenalezen: {path}")
    return path.read_bytes(), path.as_uri(), path.name


def _file_name(url: str, spec: SourceSpec) -> str:
    name = Path(url.split("?")[0]).name
    return name if "." in name else f"{spec.id}.{_extension(spec.format_for('origin'))}"


def _extension(fmt: str) -> str:
    return {"datastat_jsonstat": "json", "geojson": "geojson", "topojson": "json",
            "shp_zip": "zip"}.get(fmt, "csv")


def fetch_source(spec: SourceSpec, geography_provider, force: bool = False) -> FetchResult:
    """Fetch one source; never raises for data problems, returns a failed result instead.

    The last good copy stays in place whenever anything goes wrong.
    """
    started = time.perf_counter()
    settings = get_settings()
    previous = cache.read_lock(spec.id)
    if settings.offline and spec.mirror is None:
        return FetchResult(spec.id, True, "skipped",
                           "není v zrcadle; stáhne se z oficiální adresy, až bude k dispozici síť",
                           previous.rows if previous else 0, 0.0)
    try:
        if settings.offline:
            raw, url, file_name = _get_mirror(spec)
            place, etag, modified = "mirror", None, None
        else:
            url = resolve.download_url(spec)
            conditional = previous if (previous and not previous.from_mirror and not force
                                       and previous.spec_hash == spec_fingerprint(spec)
                                       and cache.raw_path(spec.id)) else None
            reply = http.get(spec.id, url, conditional.etag if conditional else None,
                             conditional.last_modified if conditional else None)
            if reply.not_modified and conditional:
                conditional.fetched_at = _now()
                cache.touch_lock(conditional)
                return FetchResult(spec.id, True, "unchanged", "beze změny (HTTP 304)",
                                   conditional.rows, time.perf_counter() - started)
            raw, place = reply.content, "origin"
            etag, modified, file_name = reply.etag, reply.last_modified, _file_name(url, spec)
        digest = cache.sha256(raw)
        spec_hash = spec_fingerprint(spec)
        if (previous and previous.sha256 == digest and previous.spec_hash == spec_hash
                and cache.tidy_path(spec.id).exists() and not force):
            previous.fetched_at = _now()
            cache.touch_lock(previous)
            return FetchResult(spec.id, True, "unchanged", "beze změny (stejný obsah)",
                               previous.rows, time.perf_counter() - started)
        frame = read_bytes(spec, raw, place, geography_provider)
        check_guardrails(frame, spec, settings.region)
        facts = summarize(frame)
        notes = []
        if unmatched := frame.attrs.get("unmatched_obec_codes"):
            notes.append(f"{len(unmatched)} kódů částí obcí bez přiřazení k obci (započteny v okresech)")
        lock = cache.Lock(
            source_id=spec.id, url=url, file=file_name, sha256=digest, bytes=len(raw),
            fetched_at=_now(), from_mirror=place == "mirror", etag=etag, last_modified=modified,
            periods=facts.get("periods", []), period_count=facts.get("period_count", 0),
            levels=facts.get("levels", []), indicators=facts.get("indicators", 0),
            rows=facts["rows"], notes=notes, spec_hash=spec_hash,
        )
        cache.commit(spec.id, raw, file_name, frame, lock)
        return FetchResult(spec.id, True, "fetched", "", facts["rows"], time.perf_counter() - started)
    except SourceError as exc:
        kept = " Poslední platná data zůstávají." if previous else ""
        log.warning("%s%s", exc, kept)
        return FetchResult(spec.id, False, "failed", f"{exc.problem}.{kept}", 0, time.perf_counter() - started)
    except DatalkError as exc:
        return FetchResult(spec.id, False, "failed", str(exc),
                           0, time.perf_counter() - started)
    except Exception as exc:  # a reader bug must not stop the other sources
        log.exception("unexpected failure in source %s", spec.id)
        return FetchResult(spec.id, False, "failed",
                           f"neočekávaná chyba {type(exc).__name__}: {exc}",
                           0, time.perf_counter() - started)
