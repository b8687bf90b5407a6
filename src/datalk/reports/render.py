"""Executed notebook → self-contained HTML with the datalk report template.

The template (``templates/datalk_report``) never shows input cells, prompts, streams
or tracebacks, inlines its CSS and loads nothing from the network. Cells tagged
``analyst-note`` (and ``app-only``) are removed before rendering.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

import nbformat

TEMPLATES = Path(str(files("datalk.reports") / "templates"))
TEMPLATE = "datalk_report"
REMOVED_TAGS = {"analyst-note", "app-only", "remove-cell"}
COLOPHON = re.compile(r"<footer class=\"dl-colophon\".*?</footer>", re.S)


@cache
def css() -> str:
    return (TEMPLATES / TEMPLATE / "report.css").read_text(encoding="utf-8")


def _exporter_class():
    from nbconvert import HTMLExporter, TemplateExporter

    class ReportExporter(HTMLExporter):
        """HTMLExporter without its final BeautifulSoup pass.

        That pass only marks JupyterLab input/output areas focusable (our template has
        none), re-serialises the whole page and costs seconds on a large report.
        """

        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportExporter


@cache
def _exporter():
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = set(REMOVED_TAGS)
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.HTMLExporter.embed_images = False  # figures are inline SVG already
    return _exporter_class()(
        config=config, template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)]
    )


def to_html(notebook: nbformat.NotebookNode, meta: dict) -> str:
    """Render an executed notebook; ``meta`` fills the template (title, colophon, language…)."""
    resources = {"datalk": {"css": css(), **meta}, "metadata": {"name": meta.get("title", "")}}
    body, _ = _exporter().from_notebook_node(notebook, resources=resources)
    return body


def strip_colophon(text: str) -> str:
    """The report without its colophon: what must be identical for identical data."""
    return COLOPHON.sub("", text)
