"""Notebook and URL parameters: validated, with a friendly message and a fallback."""

from __future__ import annotations

from dataclasses import dataclass, field

from datalk.errors import TerritoryError
from datalk.geography import Geography
from datalk.settings import get_settings
from datalk.topics.spec import TopicSpec

LANGUAGES = ("cs", "en")
MODES = ("app", "report")


@dataclass
class PageState:
    """What a topic page shows right now."""

    topic: TopicSpec
    territory: str
    period: str | None
    language: str
    mode: str
    indicator: str
    messages: list[str] = field(default_factory=list)


def resolve(topic: TopicSpec, geography: Geography, territory: object = None, period: object = None,
            language: object = "cs", mode: object = "app", indicator: object = None) -> PageState:
    """Validate raw parameters (from a notebook, Papermill or a URL); never raises.

    Wrong values become messages for the user and fall back to defaults, so a
    mistyped permalink still opens a working page.
    """
    messages: list[str] = []
    lang = str(language or "cs").strip().lower()
    if lang not in LANGUAGES:
        messages.append(f"Neznámý jazyk '{_short(language)}', používám češtinu.")
        lang = "cs"
    page_mode = str(mode or "app").strip().lower()
    if page_mode not in MODES:
        messages.append(f"Neznámý režim '{_short(mode)}', používám 'app'.")
        page_mode = "app"
    code = _territory(geography, territory, messages)
    ind_ids = [i.id for i in topic.visible_indicators]
    chosen = str(indicator) if indicator else topic.headline
    if chosen not in ind_ids:
        messages.append(f"Ukazatel '{_short(indicator)}' téma nemá, zobrazuji '{topic.indicator(topic.headline).title.get(lang)}'.")
        chosen = topic.headline
    raw_period = None if period in (None, "", "None", "null", "latest") else str(period).strip()
    return PageState(topic, code, raw_period, lang, page_mode, chosen, messages)


def _territory(geography: Geography, territory: object, messages: list[str]) -> str:
    region = get_settings().region
    if territory in (None, ""):
        return region
    try:
        return geography.get(str(territory).strip()).code
    except TerritoryError:
        messages.append(
            f"Území s kódem '{_short(territory)}' neznáme, zobrazuji {geography.name(region)}."
        )
        return region


def _short(value: object, limit: int = 40) -> str:
    """Echo user input safely: shortened, no markup (it ends up in HTML)."""
    text = str(value)
    text = "".join(ch for ch in text if ch.isprintable())
    text = text.replace("<", "‹").replace(">", "›").replace("&", "+").replace('"', "'")
    return text if len(text) <= limit else text[:limit] + "…"
