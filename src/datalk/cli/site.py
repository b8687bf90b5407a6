"""``datalk site prerender|status``: the static pre-rendered default views of the topics.

``prerender`` runs each topic notebook once (app mode, default parameters) and writes a
static page with embedded widget state into ``<DATALK_CACHE>/site/tema`` (see
:mod:`datalk.app.static_site`). Only stale pages are rendered again: a page is stale when
the lock hashes of its data, the topic, the notebook or the rendering code changed. Run it
after ``datalk data fetch`` (the systemd timer and the Kubernetes CronJob do).
"""

from __future__ import annotations

import os

import click


@click.group("site")
def command() -> None:
    """Statické (předem vykreslené) stránky témat."""


@command.command("prerender")
@click.argument("topics", nargs=-1)
@click.option("--force", is_flag=True, help="Vykreslit i stránky, které jsou aktuální.")
@click.option(
    "--jobs",
    type=int,
    default=max(1, (os.cpu_count() or 2) // 2),
    show_default=True,
    help="Kolik notebooků běží najednou (každý ve vlastním kernelu).",
)
@click.option("--quiet", is_flag=True, help="Vypsat jen chyby a souhrn.")
@click.option(
    "--pictures/--no-pictures",
    default=True,
    show_default=True,
    help="Vyfotit grafy a mapy v Chromiu: stránka je ukáže dřív, než je nakreslí JavaScript.",
)
def prerender(topics: tuple[str, ...], force: bool, jobs: int, quiet: bool, pictures: bool) -> None:
    """Předem vykreslí výchozí pohled témat (všech, nebo jmenovaných)."""
    from datalk.app import static_site

    def show(outcome) -> None:
        if outcome.status == "failed":
            click.echo(f" ✗ {outcome.topic_id:22} selhalo  {outcome.seconds:5.1f} s  {outcome.message}", err=True)
        elif not quiet:
            mark = "✓" if outcome.status == "rendered" else "="
            extra = (f"{outcome.seconds:5.1f} s  {outcome.bytes / 1024:6.0f} KiB  {outcome.islands} grafů/map"
                     if outcome.status == "rendered" else "aktuální")
            click.echo(f" {mark} {outcome.topic_id:22} {extra}")

    outcomes = static_site.prerender(list(topics) or None, force=force, jobs=jobs, progress=show,
                                     pictures=pictures)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "fresh", "failed")}
    taken = sum(o.pictures for o in outcomes)
    click.echo(
        f"Hotovo: {counts['rendered']} vykresleno, {counts['fresh']} aktuálních, {counts['failed']} selhalo, "
        f"{taken} obrázků grafů a map ({static_site.site_dir()})."
    )
    if counts["failed"]:
        raise SystemExit(1)


@command.command("status")
def status() -> None:
    """Které stránky jsou aktuální a které se zobrazí živě (zastaralé nebo chybí)."""
    from datalk.app import static_site
    from datalk.app.site.content import topic_entries

    directory = static_site.site_dir()
    for entry in topic_entries():
        topic_id = entry["id"]
        known = static_site.manifest(topic_id, directory)
        if not known:
            state = "chybí (živá stránka)"
        elif known.get("fingerprint") == static_site.fingerprint(topic_id):
            state = f"aktuální ({known.get('rendered_at', '?')})"
        else:
            state = "zastaralá (živá stránka do dalšího prerender)"
        click.echo(f" {topic_id:22} {state}")
