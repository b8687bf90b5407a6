"""``manifest.json`` and ``index.html`` of an output directory.

The manifest is the machine-readable list of every report in the directory (also
what ``datalk reports send`` delivers); a build merges its results into it, so a
partial build (one topic, a few profiles) keeps the other reports listed with their
own build dates. Failures stay listed, with the reason, until a build succeeds.
"""

from __future__ import annotations

import html
import json
import os
from datetime import datetime
from pathlib import Path

from datalk.reports import texts
from datalk.reports.colophon import czech_datetime
from datalk.reports.render import css

MANIFEST = "manifest.json"
GROUP_ORDER = ["Roční zpráva", "Témata", "Profily okresů", "Profily ORP", "Profily obcí"]


def read_manifest(out_dir: Path) -> dict:
    path = out_dir / MANIFEST
    if not path.exists():
        return {"reports": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {"reports": []}


def merge(out_dir: Path, entries: list[dict], built_at: str) -> dict:
    """This build's entries replace earlier ones of the same id; others stay if their files exist."""
    old = read_manifest(out_dir).get("reports", [])
    fresh = {e["id"] for e in entries}
    kept = [
        e
        for e in old
        if e["id"] not in fresh and (not e.get("html") or (out_dir / e["html"]).exists())
    ]
    reports = sorted(kept + entries, key=_order)
    manifest = {"built_at": built_at, "reports": reports}
    tmp = out_dir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, out_dir / MANIFEST)
    return manifest


def _order(entry: dict) -> tuple:
    group = entry.get("group", "")
    rank = GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)
    return rank, entry.get("order", 0), entry["id"]


def _size(out_dir: Path, rel: str | None) -> str:
    if not rel or not (out_dir / rel).exists():
        return ""
    size = (out_dir / rel).stat().st_size
    return f"{size / 1024:.0f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def write_index(out_dir: Path, manifest: dict) -> Path:
    """A self-contained Czech page listing every report (failures first, with reasons)."""
    reports = manifest.get("reports", [])
    failures = [r for r in reports if not r.get("ok")]
    groups: dict[str, list[dict]] = {}
    for entry in reports:
        groups.setdefault(entry.get("group", "Ostatní"), []).append(entry)
    built = manifest.get("built_at")
    built_text = czech_datetime(datetime.fromisoformat(built)) if built else "–"
    parts = [
        "<header class='dl-report-header'><p class='dl-kicker'>Reporty datového portálu</p>"
        "<h1>Přehled reportů</h1>"
        f"<p class='dl-summary'>{texts.reports(len(reports))}, z toho {len(failures)} se nepodařilo sestavit. "
        f"Poslední sestavení: {html.escape(built_text)}.</p></header>",
    ]
    if failures:
        items = "".join(
            f"<li><strong>{html.escape(r['title'])}</strong> ({html.escape(r['id'])}): "
            f"{html.escape(r.get('error') or 'neznámá chyba')}</li>"
            for r in failures
        )
        parts.append(
            f"<section class='dl-messages dl-failures' role='alert' aria-labelledby='dl-fail-h'>"
            f"<h2 id='dl-fail-h'>Nesestavené reporty ({len(failures)})</h2><ul>{items}</ul></section>"
        )
    nav = "".join(
        f"<li><a href='#{_anchor(g)}'>{html.escape(g)} ({len(rows)})</a></li>"
        for g, rows in groups.items()
    )
    parts.append(
        f"<nav class='dl-toc' aria-labelledby='dl-toc-h'><h2 id='dl-toc-h'>Obsah</h2><ol>{nav}</ol></nav>"
    )
    for group, rows in groups.items():
        parts.append(_group_table(out_dir, group, rows))
    body = "".join(parts)
    page = (
        "<!DOCTYPE html><html lang='cs'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Přehled reportů – Liberecký kraj</title><style>{css()}</style></head><body><div class='dl-page dl-page-wide'>"
        "<header class='dl-brand'><span class='dl-brand-name'>Liberecký kraj</span>"
        "<span class='dl-brand-portal'>Otevřená data</span></header>"
        f"<main id='obsah'>{body}</main></div></body></html>"
    )
    target = out_dir / "index.html"
    tmp = out_dir / ".index.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target


def _anchor(group: str) -> str:
    from datalk.reports.plan import slug

    return "skupina-" + slug(group)


def _group_table(out_dir: Path, group: str, rows: list[dict]) -> str:
    body = []
    for entry in rows:
        links = []
        for fmt in ("html", "pdf"):
            if entry.get(fmt):
                links.append(
                    f"<a href='{html.escape(entry[fmt])}'>{fmt.upper()}</a> "
                    f"<span class='dl-unit'>{_size(out_dir, entry[fmt])}</span>"
                )
        status = "v pořádku" if entry.get("ok") else f"chyba: {entry.get('error') or ''}"
        cls = "" if entry.get("ok") else " class='dl-failed'"
        built = (
            czech_datetime(datetime.fromisoformat(entry["built_at"]))
            if entry.get("built_at")
            else "–"
        )
        body.append(
            f"<tr{cls}><th scope='row'>{html.escape(entry['title'])}</th>"
            f"<td>{html.escape(entry.get('territory_name', ''))}</td>"
            f"<td>{html.escape(entry.get('period') or 'nejnovější')}</td>"
            f"<td>{html.escape(built)}</td><td>{' · '.join(links) or '–'}</td>"
            f"<td>{html.escape(status)}</td></tr>"
        )
    head = "".join(
        f"<th scope='col'>{h}</th>"
        for h in ("Report", "Území", "Období", "Sestaveno", "Soubory", "Stav")
    )
    return (
        f"<section class='dl-section' aria-labelledby='{_anchor(group)}'><h2 id='{_anchor(group)}'>{html.escape(group)}</h2>"
        "<table class='dl-table dl-index'><colgroup><col class='dl-i-title'><col class='dl-i-area'>"
        "<col class='dl-i-period'><col class='dl-i-built'><col class='dl-i-files'><col class='dl-i-status'></colgroup>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></section>"
    )
