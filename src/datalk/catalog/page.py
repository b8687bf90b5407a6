"""The human-readable open-data page (``index.html``) and one page per dataset (Czech, accessible).

Plain HTML that works without JavaScript; a small inline script only adds filtering of the table.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

from datalk.catalog import vocab
from datalk.catalog.coverage import czech_date
from datalk.catalog.files import write_text
from datalk.text import fold

if TYPE_CHECKING:
    from datalk.catalog.build import BuildResult, DatasetEntry

TEMPLATES = Path(__file__).parent / "templates"


def human_size(size: int) -> str:
    """1234567 → '1,2 MB' (Czech decimal comma)."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}".replace(".", ",")
            return f"{text}\u00a0{unit}"
        value /= 1000
    return f"{size}\u00a0B"


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def dataset_view(entry: DatasetEntry, prefix: str, record_href: str) -> dict:
    """Template data of one dataset; ``prefix`` leads from the page to the out dir ('' or '../')."""
    spec = entry.spec
    record = entry.record
    paragraphs = [p for p in record["popis"]["cs"].split("\n\n") if not p.startswith("Upozornění:")]
    files = [{
        "label": f.format.label,
        "href": prefix + f.path.as_posix(),
        "name": f.path.name,
        "size": human_size(f.bytes),
        "media_type": f.format.media_type,
    } for f in entry.written.files]
    themes = [vocab.THEME_LABELS_CS.get(code, code) for code in entry.themes]
    keywords = record["klíčové_slovo"]["cs"]
    return {
        "id": spec.id,
        "title": spec.title,
        "summary": spec.description.strip().split(". ")[0][:300],
        "description": paragraphs,
        "caveats": spec.caveats.strip() if spec.caveats else None,
        "publisher": spec.publisher,
        "landing_page": spec.landing_page,
        "licence": spec.licence.name,
        "licence_url": spec.licence.url,
        "attribution": spec.licence.attribution,
        "citation": spec.citation,
        "terms_label": entry.terms.label,
        "terms_url": entry.terms.url,
        "terms_basis": entry.terms.basis,
        "period": entry.temporal.label if entry.temporal else None,
        "spatial": entry.spatial.label,
        "frequency": vocab.FREQUENCY_LABELS_CS.get(spec.refresh.frequency, spec.refresh.frequency),
        "fetched_at": czech_date(date.fromisoformat(entry.fetched_at[:10])) if entry.fetched_at else None,
        "rows": f"{entry.written.rows:,}".replace(",", "\u00a0"),
        "themes": themes,
        "keywords": keywords,
        "topics": entry.topics,
        "columns": entry.written.columns,
        "files": files,
        "schema": prefix + entry.written.schema.as_posix() if entry.written.schema else None,
        "schema_name": entry.written.schema.name if entry.written.schema else None,
        "record": record_href,
        "page": f"datove-sady/{spec.id}.html",
        "search": fold(" ".join([spec.id, spec.title, spec.publisher, *keywords, *themes,
                                 *(t.title for t in entry.topics)])),
    }


def write_pages(result: BuildResult) -> set[Path]:
    """Write ``index.html`` and ``datove-sady/<id>.html``; return the paths written."""
    env = _environment()
    built = czech_date(date.fromisoformat(result.built_at[:10])) if result.built_at else ""
    common = {"site": result.site, "ico": vocab.PUBLISHER_ICO, "built_at": built}
    written: set[Path] = set()
    datasets = sorted(result.datasets, key=lambda e: fold(e.spec.title))
    index = env.get_template("index.html.j2").render(
        root="",
        datasets=[dataset_view(entry, "", f"datove-sady/{entry.spec.id}.jsonld") for entry in datasets],
        not_republished=[_skipped_view(s) for s in result.not_republished],
        unavailable=[_skipped_view(s) for s in result.unavailable],
        **common,
    )
    path = result.out_dir / "index.html"
    write_text(path, index)
    written.add(path)
    script = result.out_dir / "hledani.js"
    write_text(script, (Path(__file__).parent / "templates" / "hledani.js").read_text(encoding="utf-8"))
    written.add(script)
    template = env.get_template("dataset.html.j2")
    for entry in datasets:
        view = dataset_view(entry, "../", f"{entry.spec.id}.jsonld")
        page = result.out_dir / "datove-sady" / f"{entry.spec.id}.html"
        write_text(page, template.render(root="../", d=view, **common))
        written.add(page)
    return written


def _skipped_view(skipped) -> dict:
    spec = skipped.spec
    return {"id": spec.id, "title": spec.title, "publisher": spec.publisher, "landing_page": spec.landing_page,
            "licence": spec.licence.name, "reason": skipped.reason}
