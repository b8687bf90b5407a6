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
    for topic in all_topics():
        if topic.id == topic_id:
            return topic
    known = ", ".join(t.id for t in all_topics())
    raise ConfigError(f"neznámé téma '{topic_id}'; známá témata: {known}")


def clear_cache() -> None:
    _load.cache_clear()
