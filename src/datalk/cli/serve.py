"""``datalk serve``: the public portal (Voilà standalone with the datalk template).

Settings live in ``voila.json`` at the project root (pool size, culling, headers…);
the options here only override what differs between a laptop, the tests and production.
"""

from __future__ import annotations

import os

import click


@click.command("serve")
@click.option("--port", type=int, default=None, help="Port (výchozí 8866 z voila.json).")
@click.option("--ip", default=None, help="Adresa, na které server naslouchá (výchozí 127.0.0.1).")
@click.option(
    "--pool-size",
    type=int,
    default=None,
    help="Počet předehřátých kernelů na téma (přepíše default_pool_size z voila.json).",
)
@click.option(
    "--preheat",
    "preheat",
    multiple=True,
    metavar="TÉMA",
    help="Předehřát jen tato témata (lze opakovat); ostatní startují kernel na požádání.",
)
@click.option(
    "--no-preheat",
    is_flag=True,
    help="Bez předehřátých kernelů (rychlý start, pomalejší první stránka).",
)
@click.option(
    "--static/--no-static",
    "static",
    default=None,
    help="Výchozí pohled témat jako předem vykreslené statické stránky (datalk site prerender); "
    "výchozí z voila.json (PortalApp.static_pages, zapnuto).",
)
@click.option(
    "--max-runs",
    type=click.IntRange(min=1),
    default=None,
    help="Kolik notebooků témat smí běžet najednou; další návštěvníci čekají ve frontě "
    "(výchozí dva na procesor).",
)
@click.option(
    "--prerender",
    is_flag=True,
    help="Při startu na pozadí překreslit zastaralé statické stránky (datalk site prerender).",
)
def command(
    port: int | None,
    ip: str | None,
    pool_size: int | None,
    preheat: tuple[str, ...],
    no_preheat: bool,
    static: bool | None,
    max_runs: int | None,
    prerender: bool,
) -> None:
    """Spustí veřejný portál (Voilà) nad notebooks/ na http://127.0.0.1:8866/."""
    from datalk.settings import get_settings

    settings = get_settings()
    templates = str(settings.templates_dir)
    current = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = templates + (os.pathsep + current if current else "")
    os.environ.setdefault("DATALK_ROOT", str(settings.root))

    from jupyter_core.paths import jupyter_config_path

    from datalk.app.server import PortalApp

    app = PortalApp.instance()
    app.config_file_paths = [str(settings.root), *jupyter_config_path()]
    app.initialize([str(settings.notebooks_dir), "--no-browser"])
    if port is not None:
        app.port = port
    if ip is not None:
        app.ip = ip
    configure_pool(app, pool_size, preheat, no_preheat)
    if static is not None:
        app.static_pages = static
    if max_runs is not None:
        app.max_notebook_runs = max_runs
    if prerender:
        start_prerender()
    click.echo(
        f"datalk: portál na http://{app.ip}:{app.port}/ (notebooky {settings.notebooks_dir})",
        err=True,
    )
    app.start()


def configure_pool(app, pool_size: int | None, preheat: tuple[str, ...], no_preheat: bool) -> None:
    """Preheating per topic: every pooled kernel costs ~130 MB and a notebook run at start."""
    conf = app.voila_configuration
    if no_preheat:
        conf.preheat_kernel = False
        return
    if pool_size is not None:
        conf.default_pool_size = max(pool_size, 0)
    if preheat:
        conf.default_pool_size = max(conf.default_pool_size, 1)
        app.preheat_topics = list(preheat)


def start_prerender():
    """``datalk site prerender`` as a low-priority child: the portal answers meanwhile (live pages)."""
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "datalk.cli", "site", "prerender", "--quiet"],
        preexec_fn=lambda: os.nice(10),
    )
