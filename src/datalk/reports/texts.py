"""Czech (and English) strings of the report pages, the index and the e-mails."""

from __future__ import annotations

from datalk.geography import Geography
from datalk.geography.model import Territory

STRINGS: dict[str, dict] = {
    "profile_kicker": {"cs": "Profil území", "en": "Territory profile"},
    "yearly_kicker": {"cs": "Roční zpráva", "en": "Annual report"},
    "yearly_title": {"cs": "Stav kraje: {name}", "en": "State of the region: {name}"},
    "yearly_title_other": {"cs": "Roční přehled: {name}", "en": "Annual overview: {name}"},
    "profile_of": {
        "cs": {
            "obec": "Obec",
            "orp": "Správní obvod ORP",
            "okres": "Okres",
            "kraj": "",
            "stat": "",
        },
        "en": {
            "obec": "Municipality",
            "orp": "ORP area",
            "okres": "District",
            "kraj": "",
            "stat": "",
        },
    },
    "profile_intro": {
        "cs": "Klíčové ukazatele {count} datového portálu za toto území ve srovnání s nadřazenými celky ({compared}).",
        "en": "Key indicators of {count} of the portal for this territory compared with {compared}.",
    },
    "yearly_intro": {
        "cs": "Přehled {count} datového portálu: klíčová čísla, vývoj hlavního ukazatele a srovnání s Českem "
        "a ostatními kraji ({compared}).",
        "en": "{count} of the portal: key figures, headline trend and comparison with Czechia and other regions ({compared}).",
    },
    "dash_note": {
        "cs": "Pomlčka: údaj za dané území v datech není (ukazatel se sleduje jen za jiné celky).",
        "en": "A dash: no value for that territory (the indicator exists for other units only).",
    },
    "contents": {"cs": "Obsah", "en": "Contents"},
    "rank_in_region": {"cs": "Pořadí v kraji", "en": "Rank in region"},
    "rank_kraje": {"cs": "Pořadí mezi kraji", "en": "Rank among regions"},
    "bars": {"cs": "Srovnání v grafu", "en": "Chart"},
    "table_caption": {"cs": "{topic}: {name} a srovnání", "en": "{topic}: {name} compared"},
    "no_rows": {
        "cs": "Téma nemá pro toto území ani jeho nadřazené celky žádné údaje.",
        "en": "The topic has no data for this territory or its parents.",
    },
    "no_rows_missing": {
        "cs": "Data tématu nejsou v této instalaci k dispozici (vyžaduje obnovu dat).",
        "en": "The topic's data are not available in this installation (needs a data refresh).",
    },
    "unknown_topics": {"cs": "Neznámá témata: {ids}.", "en": "Unknown topics: {ids}."},
    "method_profile": {
        "cs": "U každého ukazatele je uvedeno nejnovější období, za které má území vlastní údaj; nadřazené celky "
        "jsou uvedeny za totéž období. Změna se počítá proti předchozímu období s údajem (u podílů "
        "v procentních bodech). Pořadí je mezi územními celky stejné úrovně v kraji (1 = nejvyšší hodnota). "
        "Pruhy v posledním sloupci porovnávají hodnoty v řádku (stejné pořadí jako sloupce).\n\n"
        "Každé číslo pochází z tabulek zdrojů uvedených pod tabulkou; výpočty jsou tytéž jako na stránkách "
        "témat datového portálu.",
        "en": "Each indicator shows the latest period with the territory's own value; parents are shown for the same "
        "period. Change is against the previous period with a value (percentage points for shares). Rank is "
        "among units of the same level in the region (1 = highest). The bars compare the row's values.",
    },
}

LEVEL_CS = {
    "obec": "obec",
    "orp": "správní obvod ORP",
    "okres": "okres",
    "kraj": "kraj",
    "stat": "stát",
}
LEVEL_EN = {
    "obec": "municipality",
    "orp": "ORP area",
    "okres": "district",
    "kraj": "region",
    "stat": "country",
}


def s(key: str, language: str = "cs"):
    entry = STRINGS[key]
    return entry.get(language) or entry["cs"]


def level_phrase(geography: Geography, unit: Territory, language: str = "cs") -> str:
    """'obec · ORP Liberec · okres Liberec · Liberecký kraj · kód 563889'."""
    parts = [(LEVEL_EN if language == "en" else LEVEL_CS)[unit.level]]
    if unit.level == "obec" and unit.orp:
        parts.append(f"ORP {geography.name(unit.orp)}")
    if unit.level in ("obec", "orp") and unit.okres:
        parts.append(f"okres {geography.name(unit.okres)}")
    if unit.level not in ("kraj", "stat") and unit.kraj:
        parts.append(geography.name(unit.kraj))
    parts.append(("kód " if language == "cs" else "code ") + unit.code)
    return " · ".join(parts)


def topic_count(count: int, language: str = "cs") -> str:
    """'1 tématu', '20 témat' (genitive, as in 'ukazatele … témat')."""
    if language == "en":
        return f"{count} topic" + ("" if count == 1 else "s")
    return f"{count} tématu" if count == 1 else f"{count} témat"


def plural(count: int, one: str, few: str, many: str) -> str:
    """Czech plural: 1 report, 2–4 reporty, 5 reportů (also 0)."""
    form = one if count == 1 else few if 2 <= count <= 4 else many
    return f"{count} {form}"


def reports(count: int) -> str:
    return plural(count, "report", "reporty", "reportů")
