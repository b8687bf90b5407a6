"""What the portal chrome says: names, menu, contact, signpost links, cs/en strings.

One place for texts the region may want to edit, shared by the Voilà template
(through ``VoilaConfiguration.resources``) and the server-side pages. The data are
plain dicts and lists so they pass through traitlets config untouched.
"""

from __future__ import annotations

import os
from functools import lru_cache

from datalk.topics import all_topics

LANGUAGES = ("cs", "en")

#: Contact of the portal operator; override with env in deployment.
CONTACT = {
    "organisation": {
        "cs": "Krajský úřad Libereckého kraje",
        "en": "Regional Authority of the Liberec Region",
    },
    "address": "U Jezu 642/2a, 461 80 Liberec 2",
    "email": os.environ.get("DATALK_CONTACT_EMAIL", "podatelna@kraj-lbc.cz"),
    "web": "https://www.kraj-lbc.cz",
}

#: The signpost (rozcestník): the region's other portals and the national sources we rely on.
PORTALS = [
    {
        "url": "https://www.kraj-lbc.cz",
        "name": {"cs": "Liberecký kraj", "en": "Liberec Region"},
        "text": {
            "cs": "Oficiální web kraje: úřad, zastupitelstvo, dotace, zprávy.",
            "en": "The region's official website: authority, council, grants, news.",
        },
    },
    {
        "url": "https://www.datalk.cz",
        "name": {
            "cs": "Otevřená data Libereckého kraje (ArcGIS Hub)",
            "en": "Liberec Region open data (ArcGIS Hub)",
        },
        "text": {
            "cs": "Krajský katalog otevřených a prostorových dat ke stažení a přes API.",
            "en": "The region's catalogue of open and spatial data, downloads and APIs.",
        },
    },
    {
        "url": "https://geoportal.kraj-lbc.cz",
        "name": {"cs": "Geoportál Libereckého kraje", "en": "Liberec Region geoportal"},
        "text": {
            "cs": "Mapové aplikace kraje: územní plánování, doprava, životní prostředí.",
            "en": "The region's map applications: planning, transport, environment.",
        },
    },
    {
        "url": "https://data.gov.cz",
        "name": {"cs": "Národní katalog otevřených dat", "en": "National Open Data Catalogue"},
        "text": {
            "cs": "Všechna otevřená data veřejné správy ČR, včetně dat kraje.",
            "en": "All open data of Czech public administration, including the region's.",
        },
    },
    {
        "url": "https://csu.gov.cz/liberec",
        "name": {
            "cs": "ČSÚ – Krajská správa v Liberci",
            "en": "Czech Statistical Office – Liberec",
        },
        "text": {
            "cs": "Statistické ročenky a analýzy za Liberecký kraj.",
            "en": "Statistical yearbooks and analyses of the Liberec Region.",
        },
    },
    {
        "url": "https://data.csu.gov.cz",
        "name": {"cs": "Veřejná databáze ČSÚ (DataStat)", "en": "CZSO public database (DataStat)"},
        "text": {
            "cs": "Zdroj většiny ukazatelů tohoto portálu.",
            "en": "The source of most indicators on this portal.",
        },
    },
]

#: The chrome's texts; ``tr`` in chrome.html.j2 picks the language.
STRINGS: dict[str, dict[str, str]] = {
    "portal": {"cs": "Data Libereckého kraje", "en": "Liberec Region Data"},
    "tagline": {"cs": "Otevřený datový portál", "en": "Open data portal"},
    "skip": {"cs": "Přeskočit na obsah", "en": "Skip to content"},
    "menu": {"cs": "Menu", "en": "Menu"},
    "main_nav": {"cs": "Hlavní navigace", "en": "Main navigation"},
    "topics": {"cs": "Témata", "en": "Topics"},
    "all_topics": {"cs": "Všechna témata", "en": "All topics"},
    "search": {"cs": "Hledat", "en": "Search"},
    "search_label": {
        "cs": "Hledat v tématech, ukazatelích a datech",
        "en": "Search topics, indicators and datasets",
    },
    "search_placeholder": {
        "cs": "např. nezaměstnanost, mzdy, Semily",
        "en": "e.g. unemployment, wages",
    },
    "opendata": {"cs": "Otevřená data", "en": "Open data"},
    "about": {"cs": "O datech", "en": "About the data"},
    "portals": {"cs": "Rozcestník", "en": "Other portals"},
    "feedback": {"cs": "Zpětná vazba", "en": "Feedback"},
    "accessibility": {"cs": "Prohlášení o přístupnosti", "en": "Accessibility statement"},
    "home": {"cs": "Úvod", "en": "Home"},
    "breadcrumbs": {"cs": "Drobečková navigace", "en": "Breadcrumbs"},
    "language": {"cs": "Jazyk", "en": "Language"},
    "switch_to": {"cs": "English", "en": "Česky"},
    "footer_sources": {"cs": "Zdroje dat", "en": "Data sources"},
    "footer_sources_text": {
        "cs": "Data pocházejí od vydavatelů uvedených u každého grafu (ČSÚ, MPSV, ČÚZK a další); "
        "u každé stránky najdete zdroj, licenci a datum stažení.",
        "en": "Data come from the publishers named under every chart (CZSO, Ministry of Labour, ČÚZK and others), "
        "with source, licence and download date on every page.",
    },
    "footer_licence": {"cs": "Licence", "en": "Licence"},
    "footer_licence_text": {
        "cs": "Obsah portálu je otevřený: texty a grafy pod licencí CC BY 4.0, data pod licencemi vydavatelů.",
        "en": "The portal is open: texts and charts under CC BY 4.0, data under their publishers' licences.",
    },
    "footer_contact": {"cs": "Kontakt", "en": "Contact"},
    "loading": {"cs": "Načítám…", "en": "Loading…"},
    "loading_topic": {"cs": "Načítám téma", "en": "Loading topic"},
    "loading_step": {"cs": "krok", "en": "step"},
    "loading_of": {"cs": "z", "en": "of"},
    "loading_slow": {
        "cs": "Příprava stránky trvá déle než obvykle, vydržte prosím.",
        "en": "Preparing the page takes longer than usual, please wait.",
    },
    "noscript": {
        "cs": "Interaktivní grafy a mapy potřebují JavaScript. Data ke stažení najdete na stránce Otevřená data.",
        "en": "Interactive charts and maps need JavaScript. Downloads are on the Open data page.",
    },
    "topic": {"cs": "Téma", "en": "Topic"},
    "connection_lost": {
        "cs": "Spojení se serverem se přerušilo, změny se už nepromítnou. Načtěte prosím stránku znovu.",
        "en": "The connection to the server was lost; changes no longer take effect. Please reload the page.",
    },
}


def topic_entries() -> list[dict]:
    """The 20 topics for menus and tiles: id, order, title/summary in both languages."""
    return [_entry(t) for t in all_topics()]


def _entry(topic) -> dict:
    return {
        "id": topic.id,
        "order": topic.order,
        "title": {lang: topic.title.get(lang) for lang in LANGUAGES},
        "summary": {lang: topic.summary.get(lang) for lang in LANGUAGES},
        "headline": topic.headline,
    }


@lru_cache(maxsize=1)
def chrome_resources() -> dict:
    """Everything the shared header/footer need, as plain data (for ``resources.datalk``)."""
    return {"strings": STRINGS, "topics": topic_entries(), "contact": CONTACT, "portals": PORTALS}


def pick_language(value: str | None) -> str:
    """``?lang=`` from a URL, restricted to the two languages (default Czech)."""
    value = (value or "").strip().lower()
    return value if value in LANGUAGES else "cs"
