"""Run-time settings read from the environment, so nothing hard-codes paths or the region.

Environment variables:
    DATALK_ROOT     project directory holding data_sources/, topics/, notebooks/.
    DATALK_CACHE    where fetched raw files, lock records and Parquet tables live.
    DATALK_MIRROR   a local mirror directory; when set, every fetch reads from it.
    DATALK_REGION   NUTS3 code of the portal's region (default CZ051, Liberecký kraj).
    DATALK_BASE_URL public URL of the portal (used in catalogue IRIs and report links).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import platformdirs

DEFAULT_REGION = "CZ051"

#: Headless Chromium (Debian's package): PDFs of reports, browser tests, benchmarks.
CHROMIUM = os.environ.get("DATALK_CHROMIUM", "/usr/bin/chromium")
#: Flags that work on a closed network: without the background-networking ones Chromium keeps
#: trying to reach Google's hosts and its connections are refused.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _find_root() -> Path:
    """Locate the project directory: env, then the source checkout, then the cwd upwards."""
    if env := os.environ.get("DATALK_ROOT"):
        return Path(env).resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "data_sources").is_dir():
        return checkout
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "data_sources").is_dir():
            return candidate
    return checkout


def _default_cache(root: Path) -> Path:
    """Cache next to the checkout when it is writable (Binder, dev), else the user cache."""
    local = root / ".cache" / "datalk"
    if os.access(root, os.W_OK):
        return local
    return Path(platformdirs.user_cache_dir("datalk"))


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with :func:`get_settings`, never by hand in library code."""

    root: Path
    cache_dir: Path
    mirror_dir: Path | None
    region: str = DEFAULT_REGION
    base_url: str = "http://127.0.0.1:8866"
    http_timeout: float = 30.0
    http_retries: int = 3
    extra: dict = field(default_factory=dict)

    @property
    def data_sources_dir(self) -> Path:
        return self.root / "data_sources"

    @property
    def topics_dir(self) -> Path:
        return self.root / "topics"

    @property
    def notebooks_dir(self) -> Path:
        return self.root / "notebooks"

    @property
    def templates_dir(self) -> Path:
        return self.root / "voila_templates"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def offline(self) -> bool:
        """True when data comes from a mirror directory instead of the network."""
        return self.mirror_dir is not None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings from the environment, cached; call ``get_settings.cache_clear()`` after changes."""
    root = _find_root()
    cache = os.environ.get("DATALK_CACHE")
    mirror = os.environ.get("DATALK_MIRROR")
    return Settings(
        root=root,
        cache_dir=Path(cache).resolve() if cache else _default_cache(root),
        mirror_dir=Path(mirror).resolve() if mirror else None,
        region=os.environ.get("DATALK_REGION", DEFAULT_REGION).strip().upper(),
        base_url=os.environ.get("DATALK_BASE_URL", "http://127.0.0.1:8866").rstrip("/"),
        http_timeout=float(os.environ.get("DATALK_HTTP_TIMEOUT", "30")),
        http_retries=int(os.environ.get("DATALK_HTTP_RETRIES", "3")),
    )
