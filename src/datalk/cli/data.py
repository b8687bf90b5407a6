"""``datalk data fetch|status|inspect``: the data sources from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


# --- data -----------------------------------------------------------------------
@click.group()
def data() -> None:
    """Zdroje dat: stažení, stav, kontrola souborů."""


@data.command("fetch")
@click.argument("source_ids", nargs=-1)
@click.option("--all", "fetch_all", is_flag=True, help="Stáhnout všechny deklarované zdroje.")
@click.option("--force", is_flag=True, help="Znovu načíst i nezměněná data.")
def data_fetch(source_ids: tuple[str, ...], fetch_all: bool, force: bool) -> None:
    """Stáhne zdroje (z oficiálních adres, nebo ze zrcadla DATALK_MIRROR)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from datalk import sources
    from datalk.settings import get_settings

    if not source_ids and not fetch_all:
        raise click.UsageError("zadejte ID zdrojů, nebo --all")
    ids = None if fetch_all else list(source_ids)
    total = len(sources.all_sources()) if fetch_all else len(source_ids)
    console = Console(stderr=True, soft_wrap=True)
    where = f"zrcadlo {get_settings().mirror_dir}" if get_settings().offline else "oficiální zdroje"
    console.print(f"Stahuji {total} zdrojů ({where}) …")
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as bar:
        task = bar.add_task("zdroje", total=total)

        def advance(result):
            bar.update(task, advance=1, description=f"{result.source_id:<34}")

        results = sources.fetch(ids, force=force, progress=advance)
    failed = [r for r in results if not r.ok]
    for result in results:
        mark = "✓" if result.status in ("fetched", "unchanged") else ("–" if result.ok else "✗")
        detail = (f"{result.rows} řádků" if result.status != "skipped" else result.message) if result.ok \
            else f"[red]{result.message}[/red]"
        console.print(f" {mark} {result.source_id:<34} {result.status:<9} {result.seconds:5.2f} s  {detail}")
    skipped = [r for r in results if r.status == "skipped"]
    console.print(f"Hotovo: {len(results) - len(failed) - len(skipped)} v pořádku, {len(skipped)} přeskočeno "
                  f"(nejsou v zrcadle), {len(failed)} selhalo.")
    if failed:
        sys.exit(1)


@data.command("status")
@click.option("--json", "as_json", is_flag=True, help="Výstup jako JSON.")
def data_status(as_json: bool) -> None:
    """Přehled zdrojů: vydavatel, licence, období, řádky, datum stažení, zastarání."""
    from datalk import sources
    from datalk.sources.periods import span_label

    records = sources.status()
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Zdroje dat datalk", show_lines=False)
    for header in ("zdroj", "vydavatel", "licence", "období", "řádků", "staženo", "stav"):
        table.add_column(header)
    for r in records:
        periods = span_label(r["periods"] or [])
        if not r["cached"]:
            state = "[red]nestaženo[/red]"
        elif r["stale"]:
            state = f"[yellow]zastaralé ({r['age_days']:.0f} d)[/yellow]"
        else:
            state = "[green]aktuální[/green]"
        table.add_row(r["id"], r["publisher"], r["licence"], periods,
                      str(r["rows"] or ""), (r["fetched_at"] or "")[:19], state)
    Console(width=max(Console().width, 140)).print(table)


@data.command("inspect")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", required=True,
              type=click.Choice(["csu_csv", "datastat_csv", "datastat_jsonstat", "volby_csv",
                                 "geojson", "topojson", "shp_zip"]),
              help="Formát vydavatele.")
@click.option("--territory-column", default=None, help="Sloupec s názvy území (DataStat).")
def data_inspect(path: Path, fmt: str, territory_column: str | None) -> None:
    """Vypíše soubor vydavatele jako uklizenou tabulku (CSV) s kódy území."""
    from datalk import sources

    frame = sources.inspect_file(path, fmt, territory_column)
    frame.to_csv(sys.stdout, index=False)
