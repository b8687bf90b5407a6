"""`datalk reports send` against a real SMTP server (aiosmtpd on 127.0.0.1: STARTTLS, login, faults)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from datalk.reports.mail import MailError, select_reports, send_reports
from datalk.reports.schedule import Recipient, Schedule
from tests.conftest import REPO

BUILT_AT = "2026-11-27T06:00:00+01:00"


def _entry(
    out: Path,
    report_id: str,
    kind: str,
    title: str,
    territory: str,
    rel: str,
    size: int,
    notebook: str = "profile",
    ok: bool = True,
) -> dict:
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * (size // 256))
    return {
        "id": report_id,
        "kind": kind,
        "title": title,
        "territory": territory,
        "notebook": notebook,
        "pdf": rel if ok else None,
        "html": None,
        "ok": ok,
        "built_at": BUILT_AT,
        "group": kind,
    }


@pytest.fixture
def output(tmp_path) -> Path:
    """An output directory as a build leaves it (manifest + PDFs; the PDFs' content does not matter here)."""
    out = tmp_path / "output"
    reports = [
        _entry(
            out,
            "topic-labour_market",
            "topic",
            "Zaměstnanost a pracovní trh – Liberecký kraj",
            "CZ051",
            "temata/labour_market.pdf",
            40_000,
            "labour_market",
        ),
        _entry(
            out,
            "topic-housing",
            "topic",
            "Bydlení – Liberecký kraj",
            "CZ051",
            "temata/housing.pdf",
            30_000,
            "housing",
        ),
        _entry(
            out,
            "profile-obec-563889",
            "profile",
            "Profil obce Liberec",
            "563889",
            "profily/obce/563889-liberec.pdf",
            20_000,
        ),
        _entry(
            out,
            "profile-obec-564567",
            "profile",
            "Profil obce Česká Lípa",
            "561380",
            "profily/obce/561380-ceska-lipa.pdf",
            20_000,
        ),
        _entry(
            out,
            "topic-broken",
            "topic",
            "Rozbité téma",
            "CZ051",
            "temata/broken.pdf",
            1000,
            "broken",
            ok=False,
        ),
    ]
    (out / "manifest.json").write_text(
        json.dumps({"built_at": BUILT_AT, "reports": reports}, ensure_ascii=False), encoding="utf-8"
    )
    return out


@pytest.fixture
def smtp_env(smtp_server, monkeypatch):
    for key, value in smtp_server.env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DATALK_REPORTS_URL", raising=False)
    return smtp_server


MONTHLY = Schedule(
    id="temata-mesicne", title="Měsíční přehled témat", when="monthly", sets=["topics"]
)


def test_delivers_a_czech_message_with_pdfs_over_starttls_and_login(output, smtp_env):
    deliveries = send_reports(
        output, [Recipient(email="odbor@example.org", name="Odbor rozvoje")], MONTHLY.title, MONTHLY
    )
    assert [(d.ok, d.attempts, d.error) for d in deliveries] == [(True, 1, None)]
    envelope = smtp_env.handler.envelopes[0]
    assert envelope["tls"] and envelope["login"] and envelope["to"] == ["odbor@example.org"]
    message = smtp_env.messages[0]
    assert message["Subject"].startswith("Reporty Libereckého kraje: Měsíční přehled témat (")
    assert message["To"] == "Odbor rozvoje <odbor@example.org>"
    assert message["From"] == "Datový portál <reporty@kraj.example.org>"
    assert message["X-Datalk-Schedule"] == "temata-mesicne"
    assert message.get_body(("plain",))["Content-Language"] == "cs"
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Dobrý den,") and "Zaměstnanost a pracovní trh – Liberecký kraj" in body
    assert "sestaveny 27. 11. 2026 06:00" in body
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {
        "labour_market.pdf",
        "housing.pdf",
    }  # topics only, not the failed one
    assert attachments["labour_market.pdf"].get_content_type() == "application/pdf"
    assert (
        attachments["labour_market.pdf"].get_content()
        == (output / "temata/labour_market.pdf").read_bytes()
    )


def test_reports_over_the_attachment_limit_are_linked(output, smtp_env, monkeypatch):
    monkeypatch.setenv("DATALK_REPORTS_URL", "https://data.example.org/reporty/")
    deliveries = send_reports(
        output, [Recipient(email="odbor@example.org")], "Vše", attach_limit=50_000
    )
    assert deliveries[0].ok and len(deliveries[0].attached) == 1 and len(deliveries[0].linked) == 3
    message = smtp_env.messages[0]
    body = message.get_body(("plain",)).get_content()
    assert "Ke stažení (překročily by velikost přílohy):" in body
    assert "https://data.example.org/reporty/profily/obce/563889-liberec.pdf" in body
    assert "https://data.example.org/reporty/index.html" in body
    assert [p.get_filename() for p in message.iter_attachments()] == ["labour_market.pdf"]


def test_a_temporary_failure_is_retried(output, smtp_env):
    smtp_env.handler.fail_data = ["451 4.3.0 Docasne nelze, zkuste pozdeji"]
    deliveries = send_reports(
        output, [Recipient(email="odbor@example.org")], MONTHLY.title, MONTHLY
    )
    assert deliveries[0].ok and deliveries[0].attempts == 2
    assert smtp_env.handler.data_attempts == 2 and len(smtp_env.messages) == 1


def test_a_permanent_rejection_is_reported_and_not_retried(output, smtp_env):
    smtp_env.handler.reject["neni@example.org"] = "550 5.1.1 Mailbox unavailable"
    deliveries = send_reports(
        output,
        [Recipient(email="neni@example.org"), Recipient(email="odbor@example.org")],
        MONTHLY.title,
        MONTHLY,
    )
    failed, ok = deliveries
    assert (
        not failed.ok
        and failed.attempts == 1
        and "550" in failed.error
        and "odmítnut" in failed.error
    )
    assert ok.ok and [m["To"] for m in smtp_env.messages] == ["odbor@example.org"]
    log = [
        json.loads(line)
        for line in (output / "delivery-log.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [(r["recipient"], r["ok"]) for r in log] == [
        ("neni@example.org", False),
        ("odbor@example.org", True),
    ]


def test_cli_exits_nonzero_and_names_who_did_not_get_the_reports(output, smtp_env):
    smtp_env.handler.reject["neni@example.org"] = "550 5.1.1 Mailbox unavailable"
    env = {**os.environ, **smtp_env.env, "DATALK_ROOT": str(REPO)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "datalk.cli",
            "reports",
            "send",
            "--to",
            "odbor@example.org,neni@example.org",
            "--out",
            str(output),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "Doručeno 1 z 2. Nedoručeno: neni@example.org." in run.stderr
    assert "550" in run.stderr and "Traceback" not in run.stderr
    assert len(smtp_env.messages) == 1


def test_server_down_is_retried_then_reported(output, monkeypatch, smtp_cert):
    from tests.reports.conftest import _free_port

    monkeypatch.setenv("DATALK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DATALK_SMTP_PORT", str(_free_port()))  # nobody listens
    monkeypatch.setenv("DATALK_SMTP_RETRIES", "3")
    monkeypatch.setenv("DATALK_SMTP_RETRY_DELAY", "0.01")
    deliveries = send_reports(output, [Recipient(email="odbor@example.org")], "Vše")
    assert (
        not deliveries[0].ok
        and deliveries[0].attempts == 3
        and "spojení s 127.0.0.1" in deliveries[0].error
    )


def test_required_starttls_missing_means_no_delivery_and_no_password_sent(output, monkeypatch):
    from aiosmtpd.controller import Controller

    from tests.reports.conftest import RecordingHandler, _free_port

    handler, port = RecordingHandler(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)  # plain server, no STARTTLS
    controller.start()
    try:
        for key, value in {
            "DATALK_SMTP_HOST": "127.0.0.1",
            "DATALK_SMTP_PORT": str(port),
            "DATALK_SMTP_TLS": "starttls",
            "DATALK_SMTP_USER": "reporty",
            "DATALK_SMTP_PASSWORD": "tajne-heslo",
        }.items():
            monkeypatch.setenv(key, value)
        deliveries = send_reports(output, [Recipient(email="odbor@example.org")], "Vše")
    finally:
        controller.stop()
    assert (
        not deliveries[0].ok and deliveries[0].attempts == 1 and "STARTTLS" in deliveries[0].error
    )
    assert handler.messages == []


def test_missing_smtp_settings_are_a_clear_error(output, monkeypatch):
    monkeypatch.delenv("DATALK_SMTP_HOST", raising=False)
    with pytest.raises(MailError, match="DATALK_SMTP_HOST"):
        send_reports(output, [Recipient(email="odbor@example.org")], "Vše")
    dry = send_reports(output, [Recipient(email="odbor@example.org")], "Vše", dry_run=True)
    assert dry[0].ok and len(dry[0].attached) == 4


def test_recipients_with_areas_get_only_their_profiles(output, smtp_env, report_env):
    profiles = Schedule(id="profily", title="Profily", when="quarterly", sets=["profiles"])
    assert [
        e["id"]
        for e in select_reports(json.loads((output / "manifest.json").read_text()), profiles)
    ] == ["profile-obec-563889", "profile-obec-564567"]
    deliveries = send_reports(
        output,
        [
            Recipient(email="liberec@example.org", areas=["CZ0513"]),
            Recipient(email="vsichni@example.org"),
        ],
        profiles.title,
        profiles,
    )
    assert [d.attached for d in deliveries] == [
        ["profily/obce/563889-liberec.pdf"],
        ["profily/obce/563889-liberec.pdf", "profily/obce/561380-ceska-lipa.pdf"],
    ]
    nobody = send_reports(
        output, [Recipient(email="jinde@example.org", areas=["CZ0100"])], profiles.title, profiles
    )
    assert not nobody[0].ok and "žádný" in nobody[0].error
