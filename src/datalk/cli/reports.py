"""``datalk reports build|schedule|send``: scheduled HTML/PDF reports for the region's staff."""

from __future__ import annotations

import sys
from pathlib import Path

import click

FORMATS = ("html", "pdf")
SETS = ("topics", "region", "profiles")


def _split(values: tuple[str, ...]) -> list[str]:
    """Options may repeat or hold comma-separated lists: --topics a,b --topics c."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _out_dir(out: str | None) -> Path:
    from datalk.settings import get_settings

    return Path(out) if out else get_settings().reports_dir / "output"


@click.group("reports")
def command() -> None:
    """Reporty: sestavení (HTML, PDF), plán spouštění a rozeslání e-mailem."""


@command.command("build")
@click.option(
    "--set", "sets", multiple=True, help=f"Sady reportů: {', '.join(SETS)} (výchozí všechny)."
)
@click.option("--topics", "topics", multiple=True, help="Jen tato témata (id, lze oddělit čárkou).")
@click.option(
    "--area",
    "areas",
    multiple=True,
    help="Profilovaná území: kódy (563889, 5105, CZ0513) nebo úrovně obec/orp/okres (výchozí všechna v kraji).",
)
@click.option(
    "--period", default=None, help="Období, např. 2023 (výchozí nejnovější u každého ukazatele)."
)
@click.option(
    "--format", "formats", default="html,pdf", show_default=True, help="Formáty: html, pdf."
)
@click.option("--out", default=None, help="Výstupní adresář (výchozí reports/output).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Počet paralelních jader (výchozí počet CPU).",
)
@click.option(
    "--schedule",
    "schedule_id",
    default=None,
    help="Sestavit sadu podle plánu z reports/schedules.yaml.",
)
@click.option(
    "--file", "schedules_file", default=None, help="Jiný soubor plánů než reports/schedules.yaml."
)
@click.option("--language", default="cs", type=click.Choice(["cs", "en"]), show_default=True)
@click.option(
    "--keep-notebooks", is_flag=True, help="Uložit i vykonané notebooky (notebooks/ ve výstupu)."
)
@click.option("--no-progress", is_flag=True, help="Bez ukazatele průběhu.")
def build(
    sets,
    topics,
    areas,
    period,
    formats,
    out,
    jobs,
    schedule_id,
    schedules_file,
    language,
    keep_notebooks,
    no_progress,
) -> None:
    """Sestaví reporty: témata za kraj, profily území, roční zprávu a index.html."""
    schedule = _schedule(schedule_id, schedules_file) if schedule_id else None
    chosen_sets = tuple(_split(sets)) or (tuple(schedule.sets) if schedule else SETS)
    fmts = tuple(_split((formats,)))
    if schedule and formats == "html,pdf":
        fmts = tuple(schedule.formats)
    result = _build(
        chosen_sets,
        _split(topics) or (list(schedule.topics) if schedule else []),
        _split(areas) or (list(schedule.areas) if schedule else []),
        period or (schedule.period if schedule else None),
        fmts,
        _out_dir(out),
        jobs,
        language,
        keep_notebooks,
        not no_progress and sys.stderr.isatty(),
    )
    if not result.ok:
        sys.exit(1)


def _schedule(schedule_id: str, schedules_file: str | None):
    from datalk.reports.schedule import load_schedules

    return load_schedules(Path(schedules_file) if schedules_file else None).get(schedule_id)


def _build(
    sets,
    topic_ids,
    area_codes,
    period,
    fmts,
    out_dir: Path,
    jobs,
    language,
    keep_notebooks,
    progress,
):
    from rich.console import Console

    from datalk import sources
    from datalk.reports import build as builder
    from datalk.reports.plan import make_plan
    from datalk.reports.texts import reports

    console = Console(stderr=True, soft_wrap=True)
    wrong = [s for s in sets if s not in SETS] + [f for f in fmts if f not in FORMATS]
    if wrong or not fmts or not sets:
        raise click.UsageError(
            f"neznámé hodnoty {wrong}; sady: {', '.join(SETS)}, formáty: {', '.join(FORMATS)}"
        )
    plan = make_plan(
        sources.geography(), tuple(sets), topic_ids or None, area_codes or None, period, language
    )
    console.print(f"Sestavuji {reports(len(plan.jobs))} ({', '.join(fmts)}) do {out_dir} …")
    result = builder.build(
        plan, out_dir, fmts, jobs, progress=progress, keep_notebooks=keep_notebooks
    )
    done = len(result.outcomes) - len(result.failures)
    console.print(
        f"Hotovo za {result.seconds:.1f} s: {done} v pořádku, {len(result.failures)} selhalo. "
        f"Přehled: {result.index}"
    )
    for problem in result.problems:
        console.print(f" [red]✗[/red] {problem}")
    for failure in result.failures:
        console.print(f" [red]✗[/red] {failure.job_id}: {failure.error}")
    return result


@command.command("schedule")
@click.option(
    "--format", "fmt", type=click.Choice(["cron", "systemd"]), default="cron", show_default=True
)
@click.option(
    "--install",
    is_flag=True,
    help="cron: zapsat blok do crontabu uživatele (nebo do --dest); systemd: zapsat jednotky do --dest.",
)
@click.option(
    "--dest",
    default=None,
    help="cron: soubor (např. /etc/cron.d/datalk); systemd: adresář (výchozí ~/.config/systemd/user).",
)
@click.option(
    "--file", "schedules_file", default=None, help="Soubor plánů (výchozí reports/schedules.yaml)."
)
def schedule(fmt, install, dest, schedules_file) -> None:
    """Vypíše (nebo nainstaluje) plán spouštění reportů pro cron nebo systemd."""
    import shutil
    import subprocess

    from datalk.reports import schedule as sch
    from datalk.settings import get_settings

    path = Path(schedules_file) if schedules_file else None
    plans = sch.load_schedules(path)
    root = get_settings().root
    if fmt == "cron":
        block = sch.cron_block(plans, root, path)
        if not install:
            click.echo(block, nl=False)
            return
        if dest:
            target = Path(dest)
            existing = target.read_text(encoding="utf-8") if target.exists() else ""
            target.write_text(sch.merge_crontab(existing, block), encoding="utf-8")
            click.echo(f"Zapsáno do {target}: {len(plans.schedules)} plánů.")
            return
        if not shutil.which("crontab"):
            raise click.ClickException(
                "příkaz crontab není nainstalován; použijte --dest SOUBOR nebo --format systemd"
            )
        current = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
        existing = current.stdout if current.returncode == 0 else ""
        subprocess.run(
            ["crontab", "-"], input=sch.merge_crontab(existing, block), text=True, check=True
        )
        click.echo(f"Crontab uživatele aktualizován: {len(plans.schedules)} plánů.")
        return
    units = sch.systemd_units(plans, root, path)
    if not install:
        for name, text in units.items():
            click.echo(f"# --- {name} ---\n{text}")
        return
    target = Path(dest).expanduser() if dest else Path("~/.config/systemd/user").expanduser()
    target.mkdir(parents=True, exist_ok=True)
    for name, text in units.items():
        (target / name).write_text(text, encoding="utf-8")
    timers = " ".join(n for n in units if n.endswith(".timer"))
    click.echo(
        f"Zapsáno {len(units)} jednotek do {target}. Zapněte je:\n"
        f"  systemctl --user daemon-reload && systemctl --user enable --now {timers}"
    )


@command.command("send")
@click.option(
    "--schedule", "schedule_id", default=None, help="Příjemci a výběr reportů podle plánu."
)
@click.option(
    "--file", "schedules_file", default=None, help="Soubor plánů (výchozí reports/schedules.yaml)."
)
@click.option(
    "--to", "to", multiple=True, help="Adresát(i) navíc nebo místo plánu (lze oddělit čárkou)."
)
@click.option("--out", default=None, help="Adresář sestavených reportů (výchozí reports/output).")
@click.option(
    "--attach-limit",
    type=float,
    default=10.0,
    show_default=True,
    help="Největší celková velikost příloh v MB; větší PDF se pošlou jako odkaz.",
)
@click.option("--dry-run", is_flag=True, help="Jen vypsat, co by se poslalo.")
def send(schedule_id, schedules_file, to, out, attach_limit, dry_run) -> None:
    """Rozešle sestavené reporty e-mailem (SMTP z proměnných DATALK_SMTP_*)."""
    deliveries = _send(
        schedule_id, schedules_file, _split(to), _out_dir(out), attach_limit, dry_run
    )
    if not all(d.ok for d in deliveries):
        sys.exit(1)


def _send(schedule_id, schedules_file, to, out_dir: Path, attach_limit: float, dry_run: bool):
    from rich.console import Console

    from datalk.reports.mail import send_reports
    from datalk.reports.schedule import Recipient
    from datalk.reports.texts import plural

    console = Console(stderr=True, soft_wrap=True)
    plan = _schedule(schedule_id, schedules_file) if schedule_id else None
    recipients = list(plan.recipients) if plan else []
    recipients += [Recipient(email=address) for address in to]
    if not recipients:
        raise click.UsageError("zadejte --schedule ID nebo --to ADRESA")
    title = plan.title if plan else "reporty datového portálu"
    deliveries = send_reports(
        out_dir, recipients, title, plan, int(attach_limit * 1024 * 1024), dry_run
    )
    failed = [d for d in deliveries if not d.ok]
    for d in deliveries:
        mark = "[green]✓[/green]" if d.ok else "[red]✗[/red]"
        extra = f" – {d.error}" if d.error else ""
        console.print(
            f" {mark} {d.recipient}: {plural(len(d.attached), 'příloha', 'přílohy', 'příloh')}, "
            f"{plural(len(d.linked), 'odkaz', 'odkazy', 'odkazů')}, "
            f"{'nanečisto' if dry_run else 'pokusů: ' + str(d.attempts)}{extra}"
        )
    console.print(
        f"Doručeno {len(deliveries) - len(failed)} z {len(deliveries)}."
        + (f" Nedoručeno: {', '.join(d.recipient for d in failed)}." if failed else "")
    )
    return deliveries


@command.command("run")
@click.argument("schedule_id")
@click.option(
    "--file", "schedules_file", default=None, help="Soubor plánů (výchozí reports/schedules.yaml)."
)
@click.option("--out", default=None, help="Výstupní adresář (výchozí reports/output).")
@click.option("--no-fetch", is_flag=True, help="Nestahovat data před sestavením.")
@click.option("--dry-run", is_flag=True, help="Sestavit, ale e-maily jen vypsat.")
def run(schedule_id, schedules_file, out, no_fetch, dry_run) -> None:
    """Jeden plán celý: stáhne data, sestaví reporty a rozešle je (pro cron a systemd)."""
    from datalk import sources

    plan = _schedule(schedule_id, schedules_file)
    if plan.fetch and not no_fetch:
        failed = [r for r in sources.fetch() if not r.ok]
        for result in failed:  # stale parts say so in the reports; the build goes on
            click.echo(f" ! zdroj {result.source_id}: {result.message}", err=True)
    result = _build(
        tuple(plan.sets),
        list(plan.topics),
        list(plan.areas),
        plan.period,
        tuple(plan.formats),
        _out_dir(out),
        None,
        "cs",
        False,
        sys.stderr.isatty(),
    )
    deliveries = _send(schedule_id, schedules_file, [], _out_dir(out), 10.0, dry_run)
    if not result.ok or not all(d.ok for d in deliveries):
        sys.exit(1)
