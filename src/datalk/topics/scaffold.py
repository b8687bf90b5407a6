"""Write a topic's thin notebook (and, for new topics, a starter YAML).

The notebook holds no logic: a tagged ``parameters`` cell, one call that opens
the topic page, then one cell per chart with a line of commentary for analysts.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from datalk.topics.spec import TopicSpec

KIND_NOTES = {
    "kpi": "Klíčová čísla zvoleného území: poslední hodnota, změna a pořadí.",
    "line": "Vývoj v čase: zvolené území proti Česku, svému kraji a ostatním krajům.",
    "bar": "Srovnání území: pořadí okresů, ORP nebo obcí kraje (nebo všech krajů).",
    "choropleth": "Mapa: kliknutím na území v aplikaci je vyberete.",
    "table": "Tabulka zobrazených hodnot ke stažení (CSV, XLSX, GeoJSON).",
    "points": "Místa na mapě se seznamem vedle mapy.",
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
