"""Pre-render the default view of a topic: run its notebook once, write a static page.

The notebook runs exactly as Voilà runs it (app mode, cells tagged ``analyst-note`` and
``report-only`` removed, no URL parameters, ``SCRIPT_NAME`` of the live page so the
permalink reads ``/tema/<id>``) in a fresh kernel through nbclient with
``store_widget_state``; one extra cell appended at the end reports the real values of the
controls (ipywidgets keeps only the labels in the widget state). nbconvert's
``HTMLExporter`` with the ``datalk_static`` template writes the page: the portal chrome,
the text as HTML and the charts and maps as widget islands (:mod:`.widgets`).
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from datalk.app.static_site.assets import Assets
from datalk.app.static_site.widgets import Control, WidgetPage
from datalk.settings import get_settings

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
CONTROLS_MIME = "application/vnd.datalk.controls+json"
#: Appended to the notebook: which widget is which control, with the values behind the labels.
CONTROLS_CELL = f"""
from IPython.display import display as _dl_display
def _dl_controls(page):
    found = {{}}
    def add(widget, name, values):
        if widget is not None:
            found[widget.model_id] = {{"name": name, "values": values}}
    def values(widget):
        return [None if v in (None, "latest") else str(v) for _, v in widget.options]
    if hasattr(page, "indicator"):
        add(page.indicator, "indicator", values(page.indicator))
        add(page.period, "period", values(page.period))
        add(page.results, "territory", values(page.results))
        add(page.search, "search", [])
    return found
_dl_display({{"{CONTROLS_MIME}": _dl_controls(page)}}, raw=True)
"""
DROPPED_TAGS = {"analyst-note", "report-only"}


@dataclass
class Rendered:
    topic_id: str
    html: str
    seconds: float
    islands: int
    bytes: int


def notebook_path(topic_id: str) -> Path:
    return get_settings().notebooks_dir / f"{topic_id}.ipynb"


def execute(topic_id: str, timeout: int = 300) -> tuple[nbformat.NotebookNode, dict[str, Control]]:
    """Run the topic notebook like Voilà does; return it with widget state and the controls."""
    from nbclient import NotebookClient

    path = notebook_path(topic_id)
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if not DROPPED_TAGS & set(c.metadata.get("tags", []))]
    nb.cells.append(nbformat.v4.new_code_cell(CONTROLS_CELL, metadata={"tags": ["dl-static-controls"]}))
    env = {
        **os.environ,
        "SCRIPT_NAME": f"/voila/render/{topic_id}.ipynb",
        "QUERY_STRING": "",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("VOILA_PREHEAT", None)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=True,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=env, cwd=str(path.parent))
    controls_cell = nb.cells.pop()
    controls: dict[str, Control] = {}
    for output in controls_cell.get("outputs", []):
        for model_id, info in output.get("data", {}).get(CONTROLS_MIME, {}).items():
            controls[model_id] = Control(info["name"], list(info.get("values", [])))
    return nb, controls


def render(topic_id: str, nb: nbformat.NotebookNode, controls: dict[str, Control], assets: Assets,
           fingerprint: str) -> tuple[str, WidgetPage]:
    """The static page as HTML (nbconvert + the ``datalk_static`` template)."""
    from nbconvert import HTMLExporter

    from datalk.app.site.content import chrome_resources

    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    widgets = WidgetPage(state, controls, action=f"/tema/{topic_id}")
    exporter = HTMLExporter(
        template_name="datalk_static",
        extra_template_basedirs=[str(TEMPLATES)],
        extra_template_paths=[str(get_settings().templates_dir / "voila" / "templates" / "datalk")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {
        "metadata": {"name": topic_id},
        "datalk": chrome_resources(),
        "dl_widgets": widgets,
        "dl_assets": assets,
        "dl_chrome": _chrome_urls(),
        "dl_config": json.dumps(_page_config(topic_id, assets, _modules(state)), ensure_ascii=False).replace("</", "<\\/"),
        "dl_fingerprint": fingerprint,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body, widgets


def _modules(state: dict) -> list[str]:
    """The widget bundles (require.js modules) the page's state needs, e.g. bqplot, jupyter-leaflet."""
    from datalk.app.static_site.assets import WHEEL_MODULES

    used = {m.get("model_module") for m in state.values()} | {m.get("view_module") for m in state.values()}
    return [m for m in WHEEL_MODULES if m in used]


def _chrome_urls() -> dict[str, str]:
    """The live pages' CSS and scripts, with the same ``?v=`` (one cache for both kinds of page)."""
    from voila.utils import make_url

    names = ("index.css", "theme-light.css", "datalk.css", "datalk.js", "favicon.svg")
    return {name: make_url("datalk", "/", f"static/{name}") for name in names}


def _page_config(topic_id: str, assets: Assets, modules: list[str]) -> dict:
    return {
        "topic": topic_id,
        "live": f"/voila/render/{topic_id}.ipynb",
        "permalink": f"/tema/{topic_id}",
        "assets": assets.base,
        "embed": assets.url("libembed-amd.js"),  # loaded by datalk-static.js after the first paint
        "paths": assets.paths,
        "versions": assets.versions,
        "modules": modules,
        "territories": assets.urls.get("territories.json"),
    }


def prerender_topic(topic_id: str, out_dir: Path, assets: Assets, fingerprint: str) -> Rendered:
    """Execute and render one topic; write ``<id>.html`` and its manifest atomically."""
    started = time.perf_counter()
    nb, controls = execute(topic_id)
    page, widgets = render(topic_id, nb, controls, assets, fingerprint)
    seconds = time.perf_counter() - started
    manifest = {
        "topic": topic_id,
        "fingerprint": fingerprint,
        "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(seconds, 2),
        "islands": page.count('class="dl-island"'),
        "bytes": len(page.encode("utf-8")),
    }
    write_atomic(out_dir / f"{topic_id}.html", page)
    write_atomic(out_dir / f"{topic_id}.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return Rendered(topic_id, page, seconds, manifest["islands"], manifest["bytes"])


def write_atomic(path: Path, text: str) -> None:
    """Readers (the server) see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
