"""User-interface strings in Czech (primary) and English."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "territory": {"cs": "Území", "en": "Territory"},
    "search_territory": {"cs": "Hledat kraj, okres, ORP nebo obec…", "en": "Search region, district, ORP or municipality…"},
    "territory_results": {"cs": "Nalezená území", "en": "Matching territories"},
    "period": {"cs": "Období", "en": "Period"},
    "latest": {"cs": "nejnovější", "en": "latest"},
    "indicator": {"cs": "Ukazatel", "en": "Indicator"},
    "trend": {"cs": "Vývoj v čase", "en": "Trend over time"},
    "compare": {"cs": "Srovnání území", "en": "Comparison of territories"},
    "map": {"cs": "Mapa", "en": "Map"},
    "table": {"cs": "Tabulka", "en": "Table"},
    "sources": {"cs": "Zdroje dat", "en": "Data sources"},
    "download": {"cs": "Stáhnout", "en": "Download"},
    "method": {"cs": "Metodika", "en": "Method"},
    "caveats": {"cs": "Upozornění k datům", "en": "Caveats"},
    "data_table": {"cs": "Data grafu v tabulce", "en": "Chart data as a table"},
    "source": {"cs": "Zdroj", "en": "Source"},
    "licence": {"cs": "Licence", "en": "Licence"},
    "fetched": {"cs": "staženo", "en": "fetched"},
    "periods_covered": {"cs": "období v datech", "en": "periods"},
    "official_page": {"cs": "stránka vydavatele", "en": "publisher's page"},
    "derived_note": {"cs": "odvozená data (převod nebo výtah, ne originální soubor vydavatele)",
                     "en": "derived data (converted or extracted, not the publisher's original file)"},
    "needs_refresh": {"cs": "Tato část vyžaduje obnovu dat", "en": "This part needs a data refresh"},
    "needs_refresh_text": {
        "cs": "Data zdroje „{title}“ nejsou v této instalaci k dispozici (offline nebo nestažená). "
              "Správce je načte příkazem <code>datalk data fetch {id}</code> z oficiální adresy vydavatele.",
        "en": "Data of the source “{title}” are not available in this installation (offline or not fetched). "
              "An administrator loads them with <code>datalk data fetch {id}</code> from the publisher.",
    },
    "change_since": {"cs": "proti", "en": "vs"},
    "rank": {"cs": "Pořadí", "en": "Rank"},
    "no_data": {"cs": "bez údaje", "en": "no data"},
    "summary_table": {"cs": "Přehled ukazatelů", "en": "Indicators at a glance"},
    "value": {"cs": "Hodnota", "en": "Value"},
    "change": {"cs": "Změna", "en": "Change"},
    "loading": {"cs": "Načítám…", "en": "Loading…"},
    "permalink": {"cs": "Odkaz na tento pohled", "en": "Link to this view"},
    "points": {"cs": "Místa na mapě", "en": "Places on the map"},
    "list": {"cs": "Seznam", "en": "List"},
    "binder": {"cs": "Otevřít v Binderu", "en": "Open in Binder"},
    "binder_app": {"cs": "tento pohled jako aplikace", "en": "this view as an app"},
    "binder_lab": {"cs": "notebook v JupyterLab k úpravám", "en": "the notebook in JupyterLab to edit"},
    "open_now": {"cs": "nyní otevřeno", "en": "open now"},
    "closed_now": {"cs": "nyní zavřeno", "en": "closed now"},
    "hours_unknown": {"cs": "hodiny neuvedeny", "en": "hours not given"},
    "only_open_now": {"cs": "Jen nyní otevřené", "en": "Only open now"},
    "compared_within": {"cs": "srovnání v rámci", "en": "compared within"},
}


def t(key: str, language: str = "cs") -> str:
    entry = STRINGS[key]
    return entry.get(language) or entry["cs"]
