"""reports/schedules.yaml → cron lines and systemd timers (checked by systemd-analyze where available)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from datalk.errors import ConfigError
from datalk.reports import schedule as sch
from tests.conftest import REPO

DATALK = [sys.executable, "-m", "datalk.cli"]


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*DATALK, "reports", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env={**os.environ, "DATALK_ROOT": str(REPO), **env},
    )


def test_the_repository_schedules_are_valid_and_cover_all_cadences():
    plans = sch.load_schedules(REPO / "reports" / "schedules.yaml")
    assert {p.when for p in plans.schedules} == {"monthly", "quarterly", "yearly"}
    assert all(p.recipients for p in plans.schedules)
    assert {s for p in plans.schedules for s in p.sets} == {"topics", "region", "profiles"}


def test_cron_lines_run_each_schedule_at_its_time():
    plans = sch.load_schedules(REPO / "reports" / "schedules.yaml")
    block = sch.cron_block(plans, Path("/srv/datalk"))
    lines = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "CRON_TZ=Europe/Prague"
    by_id = {line.split(" reports run ")[1].split()[0]: line for line in lines[1:]}
    assert by_id["temata-mesicne"].startswith("30 6 5 * * cd /srv/datalk && ")
    assert by_id["profily-ctvrtletne"].startswith("30 4 10 1,4,7,10 * ")
    assert by_id["rocni-zprava"].startswith("0 5 1 3 * ")
    assert all(">> /srv/datalk/reports/output/cron.log 2>&1" in line for line in by_id.values())


def test_installing_into_a_crontab_replaces_only_our_block():
    plans = sch.load_schedules(REPO / "reports" / "schedules.yaml")
    block = sch.cron_block(plans, Path("/srv/datalk"))
    mine = "MAILTO=admin@example.org\n15 2 * * * /usr/local/bin/zaloha\n"
    once = sch.merge_crontab(mine, block)
    twice = sch.merge_crontab(once, block)
    assert once == twice and once.startswith(mine) and once.count(sch.MARK_BEGIN) == 1
    changed = sch.merge_crontab(once, block.replace("30 6 5", "0 7 6"))
    assert "0 7 6 * *" in changed and "30 6 5 * *" not in changed and changed.startswith(mine)


def test_systemd_timers_use_valid_calendar_expressions():
    plans = sch.load_schedules(REPO / "reports" / "schedules.yaml")
    units = sch.systemd_units(plans, Path("/srv/datalk"))
    assert set(units) == {
        f"datalk-report-{p.id}.{kind}" for p in plans.schedules for kind in ("service", "timer")
    }
    timer = units["datalk-report-profily-ctvrtletne.timer"]
    assert (
        "OnCalendar=*-01,04,07,10-10 04:30:00 Europe/Prague" in timer and "Persistent=true" in timer
    )
    service = units["datalk-report-rocni-zprava.service"]
    assert "Type=oneshot" in service and "reports run rocni-zprava" in service
    assert (
        "EnvironmentFile=-/etc/datalk/reports.env" in service
    )  # SMTP credentials live outside the repository
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze not installed")
    for plan in plans.schedules:
        spec = plan.on_calendar(plans.timezone)
        check = subprocess.run(
            ["systemd-analyze", "calendar", spec], capture_output=True, text=True
        )
        assert check.returncode == 0 and "Next elapse" in check.stdout, (spec, check.stderr)


def test_cli_prints_and_installs(tmp_path):
    printed = _cli("schedule")
    assert (
        printed.returncode == 0
        and sch.MARK_BEGIN in printed.stdout
        and "reports run temata-mesicne" in printed.stdout
    )
    units = _cli("schedule", "--format", "systemd")
    assert units.returncode == 0 and "# --- datalk-report-rocni-zprava.timer ---" in units.stdout
    installed = _cli(
        "schedule", "--format", "systemd", "--install", "--dest", str(tmp_path / "units")
    )
    assert installed.returncode == 0, installed.stderr
    assert len(list((tmp_path / "units").glob("datalk-report-*"))) == 6
    assert "systemctl --user enable --now" in installed.stdout
    crontab = tmp_path / "datalk.cron"
    crontab.write_text("# jiná úloha\n0 1 * * * true\n", encoding="utf-8")
    for _ in range(2):
        assert _cli("schedule", "--install", "--dest", str(crontab)).returncode == 0
    text = crontab.read_text(encoding="utf-8")
    assert text.startswith("# jiná úloha\n0 1 * * * true\n") and text.count(sch.MARK_BEGIN) == 1


def test_a_wrong_schedule_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "schedules.yaml"
    bad.write_text(
        "schedules:\n  - id: x\n    title: X\n    when: weekly\n    recipients: [{email: nope}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        sch.load_schedules(bad)
    assert "when" in str(error.value) and "email" in str(error.value)
    run = _cli("schedule", "--file", str(bad))
    assert run.returncode == 1 and "Chyba:" in run.stderr and "Traceback" not in run.stderr
    unknown = _cli("build", "--schedule", "neexistuje")
    assert unknown.returncode == 1 and "plán 'neexistuje'" in unknown.stderr
