"""Write a topic's thin notebook (and, for new topics, a starter YAML).

The notebook holds no logic: a tagged ``parameters`` cell, one call that opens
the topic page, then one cell per chart with a line of commentary for analysts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from datalk.errors import ConfigError
from datalk.topics.spec import TopicSpec, load_topic_file

KIND_NOTES = {
    "kpi": "Klíčová čísla zvoleného území: poslední hodnota, změna a pořadí.",
    "line": "Vývoj v čase: zvolené území proti Česku, svému kraji a ostatním krajům.",
    "bar": "Srovnání území: pořadí okresů, ORP nebo obcí kraje (nebo všech krajů).",
    "choropleth": "Mapa: kliknutím na území v aplikaci je vyberete.",
    "table": "Tabulka zobrazených hodnot ke stažení (CSV, XLSX, GeoJSON).",
    "points": "Místa na mapě se seznamem vedle mapy.",
    "list": "Seznam z tabulky vydavatele (např. jednotlivé instituce).",
}


#: Notes for analysts in JupyterLab; the Voilà and report templates leave them out.
#: Commentary meant for readers goes into untagged markdown cells.
NOTE = {"tags": ["analyst-note"]}


def parameters_source(topic: TopicSpec) -> str:
    p = topic.parameters
    period = "None" if p.period is None else repr(p.period)
    return (
        f'territory = "{p.territory}"  # kód území: kraj (CZ051), okres (CZ0513), ORP (5105) nebo obec (563889)\n'
        f"period = {period}  # období, např. \"2023\"; None znamená nejnovější dostupné\n"
        f'language = "{p.language}"  # jazyk stránky: "cs" nebo "en"\n'
        f'mode = "{p.mode}"  # "app" pro interaktivní Voilà, "report" pro statický report (Papermill)'
    )


def notebook_for(topic: TopicSpec) -> nbformat.NotebookNode:
    title = topic.title.cs
    cells = [
        new_markdown_cell(f"# {title}\n\n{topic.summary.cs}\n\n"
                          f"Popis tématu, ukazatelů a grafů je v `topics/{topic.id}.yaml`; výpočty v balíčku `datalk`.",
                          metadata=NOTE),
        new_code_cell(parameters_source(topic), metadata={"tags": ["parameters"]}),
        new_code_cell(
            "from datalk.app import open_topic\n\n"
            f'page = open_topic("{topic.id}", territory=territory, period=period, language=language, mode=mode)\n'
            "page.header()"
        ),
    ]
    for chart in topic.charts:
        cells.append(new_markdown_cell(KIND_NOTES[chart.kind], metadata=NOTE))
        cells.append(new_code_cell(f'page.chart("{chart.id}")'))
    cells.append(new_markdown_cell("Metodika, upozornění a zdroje dat s licencemi.", metadata=NOTE))
    cells.append(new_code_cell("page.sources()"))
    notebook = new_notebook(cells=cells)
    notebook.metadata.update({
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
        "datalk": {"topic": topic.id},
    })
    for index, cell in enumerate(notebook.cells):
        cell.id = f"{topic.id[:20]}-{index:02d}"
    return notebook


def write_notebook(topic: TopicSpec, directory: Path) -> Path:
    path = directory / f"{topic.id}.ipynb"
    nbformat.write(notebook_for(topic), path)
    return path


# --- new topics ---------------------------------------------------------------------------
#: Marks every text of a starter topic that its author must rewrite (searchable, visible on the page).
EDIT_ME = "UPRAVTE:"

STARTER = '''\
# Nové téma vytvořené příkazem `datalk topics new {id}`. Funguje hned, jak je: ukazuje počet
# obyvatel krajů a Česka ze skutečného zdroje ČSÚ (výběr DataStat WREG02). Nahraďte ukazatele,
# grafy a texty svými; každé místo k úpravě je označeno „{edit}“. Návod: docs/topics.md.
id: {id}
title:
  cs: {title}
  en: {title_en}
summary:
  cs: "{edit} jedna věta o tom, co stránka ukazuje (zobrazuje se pod nadpisem a v navigaci)."
  en: "{edit} one sentence on what the page shows."
order: {order}  # pořadí v navigaci (oblasti kraje 1–20)
themes: [REGI]  # témata EU: AGRI ECON EDUC ENER ENVI GOVE HEAL INTR JUST REGI SOCI TECH TRAN
keywords: [{id}]  # {edit} česká klíčová slova pro vyhledávání a katalog
sources:  # id všech použitých zdrojů (data_sources/<id>.yaml)
  - csu_datastat_wreg02
headline: population  # ukazatel na titulní stránce
indicators:
  - id: population
    title: {{cs: Počet obyvatel, en: Population}}
    unit: osob
    decimals: 0
    source: csu_datastat_wreg02
    # Řádky zdroje, kde každý sloupec má danou hodnotu; po filtru jedna hodnota na území a období.
    filters:
      indicator: Počet obyvatel - celkem
    # Rok 1990 má v převzatém výběru chybné hodnoty pro dva kraje (viz caveats zdroje).
    periods: {{exclude: ["1990"]}}
    higher_is: neutral
    description:
      cs: Počet obyvatel k 31. 12. podle ČSÚ (výběr WREG02), Česko a kraje.
      en: Population on 31 December (CZSO, WREG02), Czechia and regions.
  - id: population_index
    title: {{cs: Index počtu obyvatel (2000 = 100), en: Population index (2000 = 100)}}
    unit: ""
    decimals: 1
    derive:  # výpočty jen pojmenovanými funkcemi datalk.analysis, žádná aritmetika v YAML
      function: index_to_base
      inputs: {{series: population}}
      args: {{base_period: "2000"}}
    higher_is: neutral
    description:
      cs: Počet obyvatel jako procento stavu roku 2000; srovná malé a velké kraje (odvozeno).
      en: Population as a percentage of 2000, comparable across regions (derived).
  - id: population_change
    title: {{cs: Meziroční změna počtu obyvatel, en: Year-on-year population change}}
    unit: "%"
    decimals: 2
    derive:
      function: yoy_change
      inputs: {{series: population}}
    higher_is: better
    description:
      cs: Změna počtu obyvatel k 31. 12. proti předchozímu roku v procentech (odvozeno).
      en: Change against the previous year, in per cent (derived).
charts:
  - id: kpis
    kind: kpi
    indicators: [population, population_change]
  - id: trend  # počty krajů a Česka mají jiné řády: v čase ukazujte index, podíl nebo změnu
    kind: line
    indicator: population_index
  - id: compare  # bez 'indicator' sleduje ukazatel zvolený na stránce (v reportu všechny)
    kind: bar
    level: [kraj]
  - id: map
    kind: choropleth
    level: [kraj]
  - id: table
    kind: table
    level: [kraj]
texts:
  intro:
    cs: >-
      {edit} úvod pro občany: jakou otázku stránka zodpovídá a co na ní najdou. Zatím ukazuje vzorová data –
      počet obyvatel Libereckého kraje ve srovnání s Českem a ostatními kraji.
    en: "{edit} introduction for citizens."
  method:
    cs: >-
      {edit} odkud data jsou a jak se počítají. Vzor: počet obyvatel je stav k 31. 12. podle bilance ČSÚ
      (výběr WREG02 z databáze DataStat); meziroční změnu počítá portál.
    en: "{edit} where the data come from and how they are computed."
  caveats:
    cs: >-
      {edit} poctivě, co data jsou a co chybí (odvozené výtahy, stará období, chybějící části). Vzor: údaje
      jsou jen za Česko a kraje; za kraje začíná řada rokem 1989 (dřívější roky ČSÚ za dnešní kraje neuvádí)
      a rok 1990 je vynechán, protože má v převzatém výběru chybné hodnoty pro dva kraje.
    en: "{edit} what the data are and what is missing."
parameters:
  territory: CZ051
  period: null
  language: cs
  mode: app
'''


def starter_yaml(topic_id: str, title: str | None = None, order: int = 21) -> str:
    """A valid topic YAML that runs as it is (real ČSÚ data), every text marked for editing."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", topic_id):
        raise ConfigError(f"id tématu '{topic_id}' musí být anglické podstatné jméno v snake_case (např. sport)")
    heading = " ".join(title.split()) if title else f"{EDIT_ME} Název tématu"
    return STARTER.format(id=topic_id, title=json.dumps(heading, ensure_ascii=False),
                          title_en=json.dumps(f"{EDIT_ME} Topic title"), order=order,
                          edit=EDIT_ME)


def new_topic(topic_id: str, topics_dir: Path, notebooks_dir: Path, title: str | None = None,
              order: int | None = None, force: bool = False) -> tuple[Path, Path]:
    """Write ``topics/<id>.yaml`` (starter) and its thin notebook; refuse to overwrite unless forced."""
    yaml_path = topics_dir / f"{topic_id}.yaml"
    notebook_path = notebooks_dir / f"{topic_id}.ipynb"
    existing = [p for p in (yaml_path, notebook_path) if p.exists()]
    if existing and not force:
        raise ConfigError(f"téma '{topic_id}' už existuje ({', '.join(str(p) for p in existing)}); "
                          "jiné id, nebo --force pro přepsání")
    if order is None:
        orders = [load_topic_file(p).order for p in sorted(topics_dir.glob("*.yaml")) if p != yaml_path]
        order = max(orders, default=0) + 1
    text = starter_yaml(topic_id, title, order)
    topics_dir.mkdir(parents=True, exist_ok=True)
    notebooks_dir.mkdir(parents=True, exist_ok=True)
    yaml_path.write_text(text, encoding="utf-8")
    try:
        topic = load_topic_file(yaml_path)
    except ConfigError:
        yaml_path.unlink()
        raise
    return yaml_path, write_notebook(topic, notebooks_dir)
