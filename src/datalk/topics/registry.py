"""All topics from ``topics/*.yaml``, in the region's navigation order."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from datalk.errors import ConfigError
from datalk.settings import get_settings
from datalk.topics.spec import TopicSpec, load_topic_file


@lru_cache(maxsize=4)
def _load(directory: Path) -> tuple[TopicSpec, ...]:
    topics = [load_topic_file(p) for p in sorted(directory.glob("*.yaml"))]
    return tuple(sorted(topics, key=lambda t: (t.order, t.id)))


def all_topics(directory: Path | None = None) -> list[TopicSpec]:
    return list(_load(directory or get_settings().topics_dir))


def get_topic(topic_id: str) -> TopicSpec:
    """One topic, read from its own file: a broken YAML elsewhere does not take this page down."""
    directory = get_settings().topics_dir
    path = directory / f"{topic_id}.yaml"
    if not topic_id.replace("_", "").isalnum() or not path.is_file():
        known = ", ".join(sorted(p.stem for p in directory.glob("*.yaml")))
        raise ConfigError(f"neznámé téma '{topic_id}'; známá témata: {known}")
    return _load_one(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _load_one(path: Path, _mtime: int) -> TopicSpec:
    return load_topic_file(path)


def clear_cache() -> None:
    _load.cache_clear()
    _load_one.cache_clear()
