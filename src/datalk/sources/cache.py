"""The local cache: raw bytes as downloaded, a lock record, and the tidy table as Parquet.

Layout under ``DATALK_CACHE``::

    raw/<source_id>/<file>        the publisher's bytes, exactly as fetched
    raw/<source_id>/lock.json     URL, sha256, bytes, rows, fetched-at, periods, ETag…
    tidy/<source_id>.parquet      the tidy table (GeoParquet for features)

Everything is written to a temporary name and moved into place with ``os.replace``
only after the new data parsed and passed its guardrails, so a bad download never
replaces the last good copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from datalk.settings import get_settings


@dataclass
class Lock:
    """What we know about the cached copy of one source."""

    source_id: str
    url: str
    file: str
    sha256: str
    bytes: int
    rows: int
    fetched_at: str
    from_mirror: bool
    etag: str | None = None
    last_modified: str | None = None
    periods: list[str] = field(default_factory=list)
    period_count: int = 0
    levels: list[str] = field(default_factory=list)
    indicators: int = 0
    notes: list[str] = field(default_factory=list)
    spec_hash: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> Lock:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def cache_root() -> Path:
    return get_settings().cache_dir


def raw_dir(source_id: str) -> Path:
    return cache_root() / "raw" / source_id


def tidy_path(source_id: str) -> Path:
    return cache_root() / "tidy" / f"{source_id}.parquet"


def lock_path(source_id: str) -> Path:
    return raw_dir(source_id) / "lock.json"


def read_lock(source_id: str) -> Lock | None:
    path = lock_path(source_id)
    if not path.exists():
        return None
    try:
        return Lock.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, TypeError):
        return None


def raw_path(source_id: str) -> Path | None:
    lock = read_lock(source_id)
    if lock is None:
        return None
    path = raw_dir(source_id) / lock.file
    return path if path.exists() else None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _frame_bytes(frame: pd.DataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "t.parquet"
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_parquet(target, index=False)
        else:
            frame.to_parquet(target, index=False)
        return target.read_bytes()


def commit(source_id: str, raw: bytes, file_name: str, frame: pd.DataFrame, lock: Lock) -> None:
    """Store a validated fetch: raw bytes, then tidy Parquet, then the lock (last).

    The old raw file of another name is removed only after the new one is in place.
    """
    tidy_bytes = _frame_bytes(frame)
    previous = read_lock(source_id)
    _atomic_write(raw_dir(source_id) / file_name, raw)
    _atomic_write(tidy_path(source_id), tidy_bytes)
    _atomic_write(lock_path(source_id), json.dumps(asdict(lock), ensure_ascii=False, indent=2).encode())
    if previous and previous.file != file_name:
        (raw_dir(source_id) / previous.file).unlink(missing_ok=True)


def touch_lock(lock: Lock) -> None:
    """Record a successful revalidation (HTTP 304) without touching the data."""
    _atomic_write(lock_path(lock.source_id), json.dumps(asdict(lock), ensure_ascii=False, indent=2).encode())


def load_tidy(source_id: str) -> pd.DataFrame | None:
    path = tidy_path(source_id)
    if not path.exists():
        return None
    import pyarrow.parquet as pq

    metadata = pq.read_schema(path).metadata or {}
    if b"geo" in metadata:
        return gpd.read_parquet(path)
    return pd.read_parquet(path)
