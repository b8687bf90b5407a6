"""Topic invariants: the region's 20 areas, each with a clean notebook whose parameters match."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from datalk.sources.registry import all_sources
from datalk.topics.registry import all_topics

REPO = Path(__file__).resolve().parents[2]
REGION_AREAS = [
    "Obecná charakteristika", "Kraj jako instituce", "Dotace", "Zaměstnanost a pracovní trh",
    "Podnikání, výzkum, vývoj a inovace", "Cestovní ruch", "Sport", "Kultura a kulturní dědictví", "Doprava",
    "Technická infrastruktura", "Vzdělávání", "Zdravotnictví a zdraví", "Sociální oblast", "Bezpečnost",
    "Správa a rozvoj území", "Bydlení", "Města a venkov", "Životní prostředí", "Příroda a krajina", "Zemědělství",
]
TOPICS = all_topics(REPO / "topics")


def test_the_twenty_areas_of_the_region_in_its_order():
    assert [t.title.cs for t in TOPICS] == REGION_AREAS
    assert [t.order for t in TOPICS] == list(range(1, 21))


def test_every_topic_has_its_notebook_and_vice_versa():
    notebooks = {p.stem for p in (REPO / "notebooks").glob("*.ipynb")} - {"index", "profile"}
    assert notebooks == {t.id for t in TOPICS}


def test_topic_sources_are_declared():
    known = set(all_sources(REPO / "data_sources"))
    for topic in TOPICS:
        assert set(topic.sources) <= known, (topic.id, set(topic.sources) - known)


def _parameters(path: Path) -> dict:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"{path.name}: exactly one cell tagged 'parameters'"
    values = {}
    for node in ast.parse("".join(cells[0]["source"])).body:
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


@pytest.mark.parametrize("topic", TOPICS, ids=[t.id for t in TOPICS])
def test_notebook_parameters_equal_the_topic_yaml(topic):
    params = _parameters(REPO / "notebooks" / f"{topic.id}.ipynb")
    assert params == topic.parameters.model_dump()


@pytest.mark.parametrize("path", sorted((REPO / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_are_committed_clean_and_thin(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        assert not cell.get("outputs"), f"{path.name}: committed outputs"
        assert not cell.get("execution_count"), f"{path.name}: committed execution count"
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            for banned in ("def ", "class ", "requests", "open(", "<style", "http"):
                assert banned not in source, f"{path.name}: '{banned}' belongs in the package"
