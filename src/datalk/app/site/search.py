"""Server-side search over topics, indicators and datasets, ignoring case and diacritics.

People type "nezamestnanost" or "Ceska Lipa" on phones without Czech keyboards, so every
text is compared after :func:`datalk.text.fold`. The index is small (hundreds of entries)
and built once per process; a query is a linear scan, well under a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from datalk.text import fold

KIND_WEIGHT = {"topic": 3, "indicator": 2, "dataset": 1}
MAX_QUERY = 100


@dataclass(frozen=True)
class Entry:
    """One searchable thing with its link; texts per language."""

    kind: str  # topic | indicator | dataset
    id: str
    title: dict[str, str]
    text: dict[str, str]
    topic_id: str | None
    topic_title: dict[str, str] | None
    url: str
    external: bool = False
    keywords: str = ""

    def haystack(self, language: str) -> tuple[str, str]:
        return fold(self.title.get(language) or self.title["cs"]), fold(
            " ".join(
                [
                    self.title["cs"],
                    self.title.get("en", ""),
                    self.text.get("cs", ""),
                    self.text.get("en", ""),
                    self.keywords,
                ]
            )
        )


def _text(value, language: str) -> str:
    return value.get(language) if value is not None else ""


def _topic_entries() -> list[Entry]:
    from datalk.topics import all_topics

    entries = []
    for topic in all_topics():
        title = {lang: topic.title.get(lang) for lang in ("cs", "en")}
        summary = {lang: topic.summary.get(lang) for lang in ("cs", "en")}
        entries.append(
            Entry(
                "topic",
                topic.id,
                title,
                summary,
                topic.id,
                title,
                f"/tema/{topic.id}",
                keywords=" ".join(topic.keywords),
            )
        )
        for indicator in topic.visible_indicators:
            query = urlencode({"indicator": indicator.id})
            description = {lang: _text(indicator.description, lang) for lang in ("cs", "en")}
            entries.append(
                Entry(
                    "indicator",
                    indicator.id,
                    {lang: indicator.title.get(lang) for lang in ("cs", "en")},
                    description,
                    topic.id,
                    title,
                    f"/tema/{topic.id}?{query}",
                )
            )
    return entries


def _dataset_entries(topic_by_source: dict[str, tuple[str, dict]]) -> list[Entry]:
    from datalk.sources import all_sources

    entries = []
    for spec in all_sources().values():
        if spec.role != "data":
            continue
        text = spec.description
        topic_id, topic_title = topic_by_source.get(spec.id, (None, None))
        url = f"/tema/{topic_id}" if topic_id else spec.landing_page
        entries.append(
            Entry(
                "dataset",
                spec.id,
                {"cs": spec.title, "en": spec.title},
                {"cs": text, "en": text},
                topic_id,
                topic_title,
                url,
                external=topic_id is None,
                keywords=f"{spec.publisher} {' '.join(spec.keywords)}",
            )
        )
    return entries


@lru_cache(maxsize=1)
def index() -> tuple[Entry, ...]:
    """Every topic, visible indicator and data source (built once per process)."""
    from datalk.topics import all_topics

    topic_by_source = {}
    for topic in all_topics():
        title = {lang: topic.title.get(lang) for lang in ("cs", "en")}
        for source_id in topic.sources:
            topic_by_source.setdefault(source_id, (topic.id, title))
    return tuple(_topic_entries() + _dataset_entries(topic_by_source))


def search(query: str, language: str = "cs", limit: int = 60) -> list[Entry]:
    """Entries containing every word of the query; title hits and topics rank first."""
    words = fold(query[:MAX_QUERY]).split()
    if not words:
        return []
    scored = []
    for position, entry in enumerate(index()):
        title, everything = entry.haystack(language)
        if not all(word in everything for word in words):
            continue
        in_title = sum(word in title for word in words)
        starts = title.startswith(words[0])
        scored.append((-(in_title * 10 + starts * 5 + KIND_WEIGHT[entry.kind]), position, entry))
    scored.sort(key=lambda item: item[:2])
    return [entry for *_, entry in scored[:limit]]
