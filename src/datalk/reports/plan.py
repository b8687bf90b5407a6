"""Which reports a build makes: topic reports, territory profiles and the yearly report.

A :class:`ReportJob` is everything a worker needs to execute one notebook and write
its files; jobs are plain data (picklable) and come out in a stable order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from datalk.errors import ConfigError
from datalk.geography import Geography
from datalk.reports.colophon import binder_url
from datalk.settings import get_settings
from datalk.text import fold
from datalk.topics import TopicSpec, all_topics

SETS = ("topics", "region", "profiles")
PROFILE_LEVELS = ("okres", "orp", "obec")
LEVEL_DIRS = {"okres": "okresy", "orp": "orp", "obec": "obce"}
PROFILE_TITLES = {
    "obec": "Profil obce",
    "orp": "Profil ORP",
    "okres": "Profil okresu",
    "kraj": "Profil kraje",
}


@dataclass(frozen=True)
class ReportJob:
    """One report: the notebook, its Papermill parameters and where its files go."""

    id: str
    kind: str  # topic | profile | region
    notebook: str  # notebook id under notebooks/
    parameters: dict
    title: str
    territory: str
    territory_name: str
    level: str
    path: str  # output path without extension, relative to the output directory
    period: str | None
    sources: tuple[str, ...] = ()
    binder: str = ""
    group: str = ""  # heading in the index

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Plan:
    jobs: list[ReportJob] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # reports that could not even be planned


def slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split())


def make_plan(
    geography: Geography,
    sets: tuple[str, ...] = SETS,
    topic_ids: list[str] | None = None,
    areas: list[str] | None = None,
    period: str | None = None,
    language: str = "cs",
) -> Plan:
    """Jobs for the chosen sets, in index order.

    Topic reports and the yearly report are for the region; ``areas`` picks the
    profiled territories (codes, or the level names ``obec``, ``orp``, ``okres``).
    """
    region = get_settings().region
    plan = Plan()
    topics = _topics(topic_ids, plan)
    codes = _areas(geography, region, areas)
    if "topics" in sets:
        plan.jobs.extend(topic_job(topic, geography, region, period, language) for topic in topics)
    if "region" in sets:
        plan.jobs.append(region_job(geography, region, topics, topic_ids, period, language))
    if "profiles" in sets:
        for code in codes:
            if geography.level_of(code) in PROFILE_LEVELS:
                plan.jobs.append(profile_job(geography, code, topics, topic_ids, period, language))
            else:
                plan.problems.append(
                    f"--area {code}: profil je pro obec, ORP nebo okres "
                    f"({geography.get(code).label} má roční zprávu, --set region)"
                )
    return plan


def _topics(topic_ids: list[str] | None, plan: Plan) -> list[TopicSpec]:
    topics = all_topics()
    if not topic_ids:
        return topics
    known = {t.id for t in topics}
    for unknown in [t for t in topic_ids if t not in known]:
        plan.problems.append(f"neznámé téma '{unknown}' (známá: {', '.join(sorted(known))})")
    return [t for t in topics if t.id in topic_ids]


def _areas(geography: Geography, region: str, areas: list[str] | None) -> list[str]:
    """Territory codes in index order: okresy, ORP, obce, each by Czech name."""
    if not areas:
        return [code for level in PROFILE_LEVELS for code in geography.codes(level, within=region)]
    codes: list[str] = []
    for area in areas:
        if area in PROFILE_LEVELS:
            codes.extend(geography.codes(area, within=region))
        else:
            try:
                codes.append(geography.get(area).code)
            except Exception as exc:
                raise ConfigError(f"--area {area}: {exc}") from exc
    return list(dict.fromkeys(codes))


def topic_job(
    topic: TopicSpec, geography: Geography, code: str, period: str | None, language: str
) -> ReportJob:
    region = get_settings().region
    name = geography.name(code)
    suffix = "" if code == region else f"-{code}"
    return ReportJob(
        id=f"topic-{topic.id}{suffix}",
        kind="topic",
        notebook=topic.id,
        parameters={"territory": code, "period": period, "language": language, "mode": "report"},
        title=f"{topic.title.get(language)} – {name}",
        territory=code,
        territory_name=name,
        level=geography.level_of(code),
        path=f"temata/{topic.id}{suffix}",
        period=period,
        sources=tuple(topic.sources),
        group="Témata",
        binder=binder_url(
            topic.id, {"territory": code if code != region else None, "period": period}
        ),
    )


def profile_job(
    geography: Geography,
    code: str,
    topics: list[TopicSpec],
    topic_ids: list[str] | None,
    period: str | None,
    language: str,
) -> ReportJob:
    unit = geography.get(code)
    return ReportJob(
        id=f"profile-{unit.level}-{code}",
        kind="profile",
        notebook="profile",
        parameters={
            "territory": code,
            "period": period,
            "language": language,
            "mode": "report",
            "layout": "profile",
            "topics": list(topic_ids) if topic_ids else None,
        },
        title=f"{PROFILE_TITLES[unit.level]} {unit.name}",
        territory=code,
        territory_name=unit.name,
        level=unit.level,
        path=f"profily/{LEVEL_DIRS[unit.level]}/{code}-{slug(unit.name)}",
        period=period,
        sources=_sources(topics),
        group={"obec": "Profily obcí", "orp": "Profily ORP", "okres": "Profily okresů"}[unit.level],
        binder=binder_url("profile", {"territory": code, "period": period}),
    )


def region_job(
    geography: Geography,
    region: str,
    topics: list[TopicSpec],
    topic_ids: list[str] | None,
    period: str | None,
    language: str,
) -> ReportJob:
    name = geography.name(region)
    return ReportJob(
        id="region-yearly",
        kind="region",
        notebook="profile",
        parameters={
            "territory": region,
            "period": period,
            "language": language,
            "mode": "report",
            "layout": "yearly",
            "topics": list(topic_ids) if topic_ids else None,
        },
        title=f"Stav kraje: {name}" + (f" {period}" if period else ""),
        territory=region,
        territory_name=name,
        level="kraj",
        path=f"kraj/stav-kraje{'-' + period if period else ''}",
        period=period,
        sources=_sources(topics),
        group="Roční zpráva",
        binder=binder_url("profile", {"territory": region, "period": period, "view": "yearly"}),
    )


def _sources(topics: list[TopicSpec]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for topic in topics for s in topic.sources))
