"""The one command-line entry point: ``datalk <noun> <verb>``.

Each noun lives in its own module (``data``, ``serve``, ``reports``, ``catalog``, ``site``,
``topics``) and registers a click group or command on :data:`main`.
"""

from __future__ import annotations

import logging
import sys

import click

from datalk.errors import DatalkError


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Podrobný výpis (logování).")
def main(verbose: bool) -> None:
    """datalk – otevřený datový portál Libereckého kraje."""
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR,
                        format="%(levelname)s %(name)s: %(message)s")


def _register() -> None:
    from datalk.cli import data, topics

    main.add_command(data.data)
    main.add_command(topics.topics)
    for optional in ("serve", "reports", "catalog", "site"):
        try:
            module = __import__(f"datalk.cli.{optional}", fromlist=["command"])
        except ModuleNotFoundError:
            continue
        main.add_command(module.command)


_register()


def run() -> None:
    """Entry point that turns expected errors into one clear line and exit code 1."""
    try:
        main(standalone_mode=True)
    except DatalkError as exc:
        click.echo(f"Chyba: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    run()
