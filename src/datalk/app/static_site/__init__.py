"""Static pre-rendered default views of the topics (``datalk site prerender``).

A visitor who opens ``/tema/<id>`` without parameters – most visitors – gets the topic's
default view as a static page written ahead of time: text as HTML, charts and maps drawn by
the browser from embedded widget state, no kernel. Anything that needs Python (another
territory, indicator or period, a map click) opens the live Voilà page with the same
parameters (:mod:`.build`, :mod:`.widgets`, ``assets/datalk-static.js``).

Pages live next to the data they were computed from, in ``<DATALK_CACHE>/site/tema``
(``DATALK_SITE_DIR`` overrides), each with a manifest holding its *fingerprint*: the lock
hashes of the topic's sources and of the geography, the topic YAML, the notebook and the
rendering code. The server serves a page only while its fingerprint equals the current one,
so fetching new data turns the topic live until ``datalk site prerender`` has run again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from datalk.settings import get_settings

log = logging.getLogger(__name__)

STATIC_PREFIX = "/tema/_static/"
#: Code whose change changes the page (the package parts a topic page runs, the templates).
CODE_PARTS = ("app", "charts", "topics", "analysis", "text.py")


@dataclass
class Outcome:
    topic_id: str
    status: str  # rendered | fresh | failed
    seconds: float = 0.0
    message: str = ""
    bytes: int = 0
    islands: int = 0
    pictures: int = 0


def site_dir() -> Path:
    env = os.environ.get("DATALK_SITE_DIR")
    return Path(env) if env else get_settings().cache_dir / "site" / "tema"


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the rendering code and templates (fixed while a process runs)."""
    package = Path(__file__).resolve().parents[2]
    files: list[Path] = []
    for part in CODE_PARTS:
        path = package / part
        files += sorted(path.rglob("*")) if path.is_dir() else [path]
    files += sorted((get_settings().templates_dir / "voila" / "templates" / "datalk").rglob("*"))
    digest = hashlib.sha256()
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def data_hash(topic_id: str) -> str:
    """Lock hashes (sha256, spec, fetch day) of the topic's sources and every geography source."""
    from datalk.sources import all_sources
    from datalk.sources.cache import read_lock
    from datalk.topics import get_topic

    topic = get_topic(topic_id)
    specs = all_sources()
    wanted = list(dict.fromkeys([*topic.sources, *(s for s, spec in specs.items() if spec.role == "geography")]))
    digest = hashlib.sha256()
    settings = get_settings()
    for name in ("topics_dir", "notebooks_dir"):
        suffix = ".yaml" if name == "topics_dir" else ".ipynb"
        path = getattr(settings, name) / f"{topic_id}{suffix}"
        digest.update(path.read_bytes() if path.is_file() else b"-")
    for source_id in wanted:
        lock = read_lock(source_id)
        marker = f"{source_id}:{lock.sha256}:{lock.spec_hash}:{lock.fetched_at[:10]}" if lock else f"{source_id}:-"
        digest.update(marker.encode())
    return digest.hexdigest()[:16]


def fingerprint(topic_id: str) -> str:
    return f"{data_hash(topic_id)}-{code_hash()}"


def manifest(topic_id: str, directory: Path | None = None) -> dict | None:
    path = (directory or site_dir()) / f"{topic_id}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def territories_json(static_dir: Path) -> None:
    """Code list for the static pages' territory search: [code, level, name, label]."""
    from datalk.sources import geography

    geo = geography()
    rows = []
    for row in geo.table.itertuples(index=False):
        territory = geo.get(row.code)
        label = territory.name if territory.level in ("kraj", "stat") else f"{territory.name} ({territory.level_label})"
        rows.append([territory.code, territory.level, territory.name, label])
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    target = static_dir / "territories.json"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def prerender(topic_ids: list[str] | None = None, force: bool = False, jobs: int = 1,
              progress=None, pictures: bool = True) -> list[Outcome]:
    """Render every stale topic page (or the given ones); return what happened to each.

    ``pictures``: then photograph the new pages' charts and maps in Chromium, so they show
    before the widget library has drawn them (:mod:`.pictures`).
    """
    from datalk.app.site.content import topic_entries
    from datalk.app.static_site import build
    from datalk.app.static_site.assets import publish

    _jupyter_path()
    out = site_dir()
    static_dir = out / "_static"
    static_dir.mkdir(parents=True, exist_ok=True)
    territories_json(static_dir)
    assets = publish(static_dir, STATIC_PREFIX)
    ids = topic_ids or [t["id"] for t in topic_entries()]

    def one(topic_id: str) -> Outcome:
        current = fingerprint(topic_id)
        known = manifest(topic_id, out)
        if not force and known and known.get("fingerprint") == current and (out / f"{topic_id}.html").is_file():
            return Outcome(topic_id, "fresh")
        started = time.perf_counter()
        try:
            result = build.prerender_topic(topic_id, out, assets, current)
        except Exception as exc:  # one broken topic must not stop the others; it stays live
            log.exception("prerender of %s failed", topic_id)
            return Outcome(topic_id, "failed", time.perf_counter() - started, f"{type(exc).__name__}: {exc}"[:500])
        return Outcome(topic_id, "rendered", result.seconds, bytes=len(result.html.encode()), islands=result.islands)

    outcomes = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for outcome in pool.map(one, ids):
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    if pictures:
        from datalk.app.static_site.pictures import add_pictures

        taken = add_pictures(out, [o.topic_id for o in outcomes if o.status == "rendered"], STATIC_PREFIX)
        for outcome in outcomes:
            outcome.pictures = taken.get(outcome.topic_id, 0)
    return outcomes


def _jupyter_path() -> None:
    """The portal template (chrome macros, CSS URLs) on JUPYTER_PATH, as ``datalk serve`` does."""
    templates = str(get_settings().templates_dir)
    current = os.environ.get("JUPYTER_PATH", "")
    if templates not in current.split(os.pathsep):
        os.environ["JUPYTER_PATH"] = templates + (os.pathsep + current if current else "")


class StaticPages:
    """What the server asks: is there a fresh static page for this topic? (cached briefly)"""

    def __init__(self, directory: Path | None = None, ttl: float = 30.0):
        self.directory = directory or site_dir()
        self.ttl = ttl
        self._known: dict[str, tuple[float, Path | None]] = {}

    def page(self, topic_id: str) -> Path | None:
        now = time.monotonic()
        cached = self._known.get(topic_id)
        if cached and now - cached[0] < self.ttl:
            return cached[1]
        path = self._check(topic_id)
        self._known[topic_id] = (now, path)
        return path

    def _check(self, topic_id: str) -> Path | None:
        path = self.directory / f"{topic_id}.html"
        known = manifest(topic_id, self.directory)
        if not known or not path.is_file():
            return None
        try:
            current = fingerprint(topic_id)
        except Exception:  # a broken topic or lock: the live page says what is wrong
            log.exception("fingerprint of %s failed", topic_id)
            return None
        if known.get("fingerprint") != current:
            log.info("static page of %s is stale (data or code changed): serving the live page", topic_id)
            return None
        return path

    @property
    def static_dir(self) -> Path:
        return self.directory / "_static"
