"""The `datalk data` commands as a user runs them (real subprocess, real mirror)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATALK = [sys.executable, "-m", "datalk.cli"]


def run(args, env):
    return subprocess.run([*DATALK, *args], capture_output=True, text=True, env={**os.environ, **env},
                          cwd=REPO, timeout=300)


def test_inspect_prints_csu_csv_with_official_codes(isolated, mirror_dir):
    path = mirror_dir / "czso-nadeje-doziti-okresy" / "130140-19data080519.csv"
    out = run(["data", "inspect", str(path), "--format", "csu_csv"], {})
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {"geo_code", "geo_level", "period", "indicator", "value"} <= set(rows[0])
    liberec = [r for r in rows if r["geo_code"] == "CZ0513" and r["period"] == "2014-2018"
               and r["pohlavi"] == "žena" and r["vek"].startswith("0 až 1")]
    assert len(liberec) == 1 and 80 < float(liberec[0]["value"]) < 84
    assert {r["geo_level"] for r in rows} == {"okres", "orp"}
    assert any(r["geo_code"] == "5105" for r in rows)  # ORP Liberec


def test_inspect_missing_file_exits_with_clear_error(isolated):
    out = run(["data", "inspect", "/nonexistent/file.csv", "--format", "csu_csv"], {})
    assert out.returncode == 1
    assert "neexistuje" in out.stderr and "Traceback" not in out.stderr


def test_fetch_status_json_and_failure_exit_code(isolated):
    ok = run(["data", "fetch", "csu_mzdy_kraje"], {})
    assert ok.returncode == 0, ok.stderr
    status = json.loads(run(["data", "status", "--json"], {}).stdout)
    wages = next(r for r in status if r["id"] == "csu_mzdy_kraje")
    assert wages["publisher"] == "Český statistický úřad" and wages["licence"] == "CC BY 4.0"
    assert wages["periods"] == ["2011", "2024"] and wages["rows"] == 1260 and wages["stale"] is False
    bad = run(["data", "fetch", "csu_mzdy_kraje", "no_such_source"], {})
    assert bad.returncode == 1
    assert "neznámý zdroj 'no_such_source'" in bad.stderr


def test_inspect_datastat_label_table_with_named_territory_column(isolated, mirror_dir):
    path = mirror_dir / "czso-datastat-vybery-kraje" / "WREG02.csv"
    out = run(["data", "inspect", str(path), "--format", "datastat_csv", "--territory-column", "Území"], {})
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    liberec = [r for r in rows if r["geo_code"] == "CZ051" and r["period"] == "2024"]
    assert float(liberec[0]["value"]) == 449494
