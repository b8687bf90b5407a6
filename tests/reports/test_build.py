"""A real build on mirror data: one topic report, the yearly report, three profiles and one broken report.

Notebooks run through Papermill in warm kernels, HTML comes from the datalk template,
PDFs from headless Chromium; the checks read the files as a user would get them
(HTML text, pdfinfo/pdftotext/pdffonts, a browser that records network requests).
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import datalk_env
from tests.reports.conftest import PROFILED, TOPIC

pytestmark = [pytest.mark.slow, pytest.mark.notebooks]


@pytest.fixture(scope="module")
def built(report_cache, mirror_dir, tmp_path_factory):
    """Build once for the module: topics + region + profiles (labour market only) + one failing job."""
    out = tmp_path_factory.mktemp("out")
    with datalk_env(report_cache, mirror_dir, DATALK_BINDER_REPO="kraj-test/datalk-demo"):
        from datalk import sources
        from datalk.reports.build import build
        from datalk.reports.plan import make_plan

        plan = make_plan(sources.geography(), ("topics", "region", "profiles"), [TOPIC], PROFILED)
        healthy = plan.jobs[-1]
        broken = dataclasses.replace(
            healthy,
            id="profile-broken",
            title="Rozbitý profil (test)",
            path="profily/test/rozbity",
            parameters={**healthy.parameters, "topics": 5},
        )  # list(5) fails inside the notebook
        plan.jobs.append(broken)
        result = build(plan, out, ("html", "pdf"), jobs=2, progress=False)
    return result


def _html(built, job_id: str) -> str:
    outcome = next(o for o in built.outcomes if o.job_id == job_id)
    assert outcome.ok, outcome.error
    return (built.out_dir / outcome.html).read_text(encoding="utf-8")


def _pdf(built, job_id: str) -> Path:
    outcome = next(o for o in built.outcomes if o.job_id == job_id)
    return built.out_dir / outcome.pdf


def test_every_healthy_report_is_built_and_the_broken_one_is_reported(built):
    ids = {o.job_id: o for o in built.outcomes}
    assert set(ids) == {
        f"topic-{TOPIC}",
        "region-yearly",
        "profile-obec-563889",
        "profile-orp-5105",
        "profile-okres-CZ0513",
        "profile-broken",
    }
    assert [o.job_id for o in built.failures] == ["profile-broken"]
    failure = ids["profile-broken"]
    assert "TypeError" in failure.error and "profile" in failure.error
    assert "not iterable" in failure.detail
    for outcome in ids.values():
        if outcome.ok:
            assert (built.out_dir / outcome.html).stat().st_size > 5000
            assert (built.out_dir / outcome.pdf).read_bytes()[:5] == b"%PDF-"


def test_index_lists_every_report_and_the_failure_with_its_reason(built):
    index = (built.out_dir / "index.html").read_text(encoding="utf-8")
    assert "<html lang='cs'>" in index
    assert "6 reportů, z toho 1 se nepodařilo sestavit" in index
    failures = index[
        index.index("Nesestavené reporty") : index.index(
            "</section>", index.index("Nesestavené reporty")
        )
    ]
    assert "Rozbitý profil (test)" in failures and "TypeError" in failures
    for outcome in built.outcomes:
        if outcome.ok:
            assert f"href='{outcome.html}'" in index and f"href='{outcome.pdf}'" in index
    manifest = json.loads((built.out_dir / "manifest.json").read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in manifest["reports"]}
    assert by_id["profile-broken"]["ok"] is False and by_id["profile-broken"]["html"] is None
    assert by_id[f"topic-{TOPIC}"]["period"] is None and by_id[f"topic-{TOPIC}"]["built_at"]
    assert [r["group"] for r in manifest["reports"]][:2] == ["Roční zpráva", "Témata"]


def test_topic_report_html_is_a_finished_czech_document(built):
    page = _html(built, f"topic-{TOPIC}")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="cs">' in page
    assert "<title>Zaměstnanost a pracovní trh – Liberecký kraj</title>" in page
    assert "<h1>Zaměstnanost a pracovní trh</h1>" in page and "Liberecký kraj" in page
    figures = re.findall(r"<figure class='dl-figure'>(.*?)</figure>", page, re.S)
    assert len(figures) >= 6
    for (
        figure
    ) in figures:  # every chart: SVG with a text alternative, caption with source and licence
        label = re.search(r"<svg role='img' aria-label='([^']+)'", figure)
        assert label and len(label.group(1)) > 20
        assert "<figcaption>" in figure and "Zdroj:" in figure and "CC BY" in figure
    assert "Zdroje dat" in page and "Metodika" in page


def test_reports_have_no_input_code_no_analyst_notes_and_no_external_resources(built):
    for job_id in (f"topic-{TOPIC}", "region-yearly", "profile-obec-563889"):
        page = _html(built, job_id)
        for code in (
            "open_topic(",
            "page.chart(",
            "open_profile(",
            "import ",
            "jp-InputArea",
            "In&nbsp;[",
        ):
            assert code not in page, (job_id, code)
        assert (
            "Klíčová čísla zvoleného území" not in page
        )  # analyst-note markdown of the topic notebook
        assert "Popis tématu, ukazatelů a grafů" not in page
        assert "Traceback" not in page and "Warning" not in page
        assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=['\"]?https?:", page)
        assert not re.search(r"url\(\s*['\"]?https?:", page) and "@import" not in page


def test_reports_load_nothing_from_the_network(built):
    # a thread of its own: the browser tests keep a session-wide sync Playwright (an event loop)
    # in the main thread, and a second sync Playwright refuses to start inside it
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_open_every_report_offline, built).result()
    assert not any(w.startswith("zablokované") for o in built.outcomes for w in o.warnings)


def _open_every_report_offline(built) -> None:
    from playwright.sync_api import sync_playwright

    from datalk.reports.pdf import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        for outcome in built.outcomes:
            if outcome.ok:
                requests.clear()
                url = (built.out_dir / outcome.html).as_uri()
                page.goto(url, wait_until="networkidle")
                assert requests == [url], (outcome.job_id, requests)
        page.goto((built.out_dir / "index.html").as_uri(), wait_until="networkidle")
        browser.close()


def test_colophon_names_data_vintage_build_date_and_binder_link(built):
    page = _html(built, f"topic-{TOPIC}")
    colophon = re.search(r'<footer class="dl-colophon".*?</footer>', page, re.S).group(0)
    assert "Tiráž" in colophon and "Sestaveno" in colophon and "Stav dat" in colophon
    assert (
        "Podíl nezaměstnaných osob v krajích" in colophon
    )  # a source of the topic, with its periods
    assert re.search(r"období 20\d\d–20\d\d", colophon) and re.search(
        r"staženo \d{1,2}\. \d{1,2}\. 20\d\d", colophon
    )
    assert (
        "https://mybinder.org/v2/gh/kraj-test/datalk-demo/HEAD?urlpath=voila/render/notebooks/"
        f"{TOPIC}.ipynb"
    ) in colophon
    profile = _html(built, "profile-obec-563889")
    assert "urlpath=voila/render/notebooks/profile.ipynb%3Fterritory%3D563889" in profile


def test_profile_compares_the_territory_with_okres_region_and_czechia(built):
    page = _html(built, "profile-obec-563889")
    assert "<h1>Obec Liberec</h1>" in page
    assert "obec · ORP Liberec · okres Liberec · Liberecký kraj · kód 563889" in page
    header = re.search(
        r"<table class='dl-table dl-compare'>.*?<thead>(.*?)</thead>", page, re.S
    ).group(1)
    assert [h for h in re.findall(r"<th scope='col'[^>]*>(.*?)</th>", header)][:5] == [
        "Ukazatel",
        "Liberec",
        "Liberec (okres)",
        "Liberecký kraj",
        "Česko",
    ]
    assert "Podíl nezaměstnaných osob" in page and "Zdroj:" in page
    okres = _html(built, "profile-okres-CZ0513")
    assert "<h1>Okres Liberec</h1>" in okres and "Pořadí v kraji" in okres
    assert re.search(r"\d\. z 4</td>", okres)  # rank among the region's 4 okresy
    yearly = _html(built, "region-yearly")
    assert (
        "Stav kraje: Liberecký kraj" in yearly
        and "Obsah" in yearly
        and "Pořadí mezi kraji" in yearly
    )
    assert "<div class='dl-kpis'>" in yearly and "<svg role='img'" in yearly


def _pdftext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdfs_are_a4_numbered_searchable_czech_with_embedded_fonts(built):
    for job_id in (f"topic-{TOPIC}", "region-yearly", "profile-obec-563889"):
        pdf = _pdf(built, job_id)
        info = subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info), info
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        text = _pdftext(pdf)
        for number in range(1, pages + 1):
            assert f"strana {number} z {pages}" in text, (job_id, number)
        assert "Liberecký kraj" in text and "Tiráž" in text
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # emb column
    text = _pdftext(_pdf(built, f"topic-{TOPIC}"))
    assert "Zaměstnanost a pracovní trh" in text and "Podíl nezaměstnaných osob" in text
    assert "Průměrná hrubá měsíční mzda" in text  # chart text stays text (SVG, not pixels)
    assert "Obec Liberec" in _pdftext(_pdf(built, "profile-obec-563889"), "-l", "1")


def test_same_data_gives_the_same_reports(built, report_cache, mirror_dir, tmp_path):
    """Second build into another directory: identical HTML except the colophon (build date).

    The second build runs everything in one warm kernel (the first used two), so
    kernel reuse and job order must not change a report either.
    """
    from datalk.reports.render import strip_colophon

    with datalk_env(report_cache, mirror_dir, DATALK_BINDER_REPO="kraj-test/datalk-demo"):
        from datalk import sources
        from datalk.reports.build import build
        from datalk.reports.plan import make_plan

        plan = make_plan(sources.geography(), ("topics", "profiles"), [TOPIC], ["563889", "CZ0513"])
        again = build(plan, tmp_path, ("html",), jobs=1, progress=False)
    assert again.ok
    for outcome in again.outcomes:
        first = _html(built, outcome.job_id)
        second = (tmp_path / outcome.html).read_text(encoding="utf-8")
        assert strip_colophon(first) == strip_colophon(second), outcome.job_id
        assert (
            '<footer class="dl-colophon"' in first
            and '<footer class="dl-colophon"' not in strip_colophon(first)
        )


def test_send_after_build_delivers_the_pdfs(built, report_cache, mirror_dir, smtp_server):
    """The built output goes out through a real SMTP server (aiosmtpd on 127.0.0.1)."""
    from datalk.reports.mail import send_reports
    from datalk.reports.schedule import Recipient

    with datalk_env(report_cache, mirror_dir, **smtp_server.env):
        deliveries = send_reports(
            built.out_dir, [Recipient(email="rada@example.org", name="Rada kraje")], "test build"
        )
    assert [d.ok for d in deliveries] == [True], deliveries
    message = smtp_server.messages[0]
    names = {part.get_filename() for part in message.iter_attachments()}
    assert {"labour_market.pdf", "stav-kraje.pdf", "563889-liberec.pdf"} <= names
    assert "rozbity" not in " ".join(names)
