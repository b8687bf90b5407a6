"""``datalk catalog build|validate``: the open-data site and its DCAT-AP-CZ catalogue for NKOD."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click


@click.group("catalog")
def command() -> None:
    """Katalog otevřených dat (DCAT-AP-CZ) a soubory ke stažení pro Národní katalog otevřených dat."""


def _report_validation(out: Path, specs: Path | None) -> bool:
    from datalk.catalog import validate_output

    started = time.perf_counter()
    checked, problems = validate_output(out, specs)
    seconds = time.perf_counter() - started
    if problems:
        for problem in problems[:50]:
            click.echo(f"  ✗ {problem}", err=True)
        if len(problems) > 50:
            click.echo(f"  … a dalších {len(problems) - 50} chyb", err=True)
        click.echo(f"Validace: {len(problems)} chyb v {checked} dokumentech (oficiální schémata OFN).", err=True)
        return False
    click.echo(f"Validace: {checked} dokumentů (katalog + záznamy) odpovídá oficiálním schématům OFN "
               f"({seconds:.1f} s).")
    return True


@command.command("build")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False),
              help="Cílová složka (výchozí site/opendata/ v projektu).")
@click.option("--base-url", help="Veřejná adresa složky, např. https://data.example.cz/opendata/ "
                                 "(výchozí DATALK_BASE_URL + /opendata/).")
@click.option("--portal-url", help="Adresa portálu pro odkazy na stránky témat (výchozí odvozená z --base-url).")
@click.option("--contact-email", envvar="DATALK_OPENDATA_EMAIL",
              help="E-mail kontaktního bodu pro otevřená data (nebo DATALK_OPENDATA_EMAIL).")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Ověřit katalog a záznamy proti oficiálním schématům OFN.")
@click.option("--specs", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Místní kopie https://ofn.gov.cz/ se schématy (výchozí ../shared/specs/ofn, DATALK_SPECS_DIR).")
def build_command(out: Path | None, base_url: str | None, portal_url: str | None, contact_email: str | None,
                  validate: bool, specs: Path | None) -> None:
    """Zapíše data všech publikovaných datových sad, záznamy DCAT-AP-CZ, katalog a stránku index.html."""
    from datalk.catalog import build

    started = time.perf_counter()
    result = build(out, base_url=base_url, portal_url=portal_url, contact_email=contact_email)
    for warning in result.warnings:
        click.echo(f"Upozornění: {warning}", err=True)
    for skipped in result.unavailable:
        click.echo(f"  – {skipped.spec.id}: {skipped.reason}", err=True)
    files = sum(len(d.written.files) for d in result.datasets)
    click.echo(f"Katalog: {len(result.datasets)} datových sad, {files} souborů ke stažení, "
               f"{len(result.not_republished)} zdrojů bez práva dalšího zveřejnění (jen odkaz), "
               f"{len(result.unavailable)} bez stažených dat → {result.out_dir} "
               f"({time.perf_counter() - started:.1f} s)")
    click.echo(f"Katalog pro NKOD: {result.site.catalog_iri}")
    if validate and not _report_validation(result.out_dir, specs):
        sys.exit(1)


@command.command("validate")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Složka s katalogem (výchozí site/opendata/ v projektu).")
@click.option("--specs", type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Místní kopie https://ofn.gov.cz/ se schématy.")
def validate_command(out: Path | None, specs: Path | None) -> None:
    """Ověří vytvořený katalog a všechny záznamy proti oficiálním schématům OFN."""
    from datalk.catalog.build import DEFAULT_OUT
    from datalk.settings import get_settings

    if not _report_validation(out or get_settings().root / DEFAULT_OUT, specs):
        sys.exit(1)
