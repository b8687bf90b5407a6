"""Report tests: a cache with the labour-market topic's sources, geography and boundaries (mirror)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import datalk_env

TOPIC = "labour_market"
GEOGRAPHY = ["cz_uzemi_hierarchie", "cz_orp_ruian"]
BOUNDARIES = [
    "cuzk_hranice_cr_kraje",
    "cuzk_hranice_cr_okresy",
    "cuzk_hranice_cr_orp",
    "cuzk_hranice_lk_obce",
]
PROFILED = ["563889", "5105", "CZ0513"]  # obec Liberec, ORP Liberec, okres Liberec



@pytest.fixture(scope="session")
def report_cache(tmp_path_factory, mirror_dir) -> Path:
    """Only what the labour-market reports need, fetched once from the real-data mirror."""
    cache = tmp_path_factory.mktemp("reports") / "cache"
    with datalk_env(cache, mirror_dir):
        from datalk import sources
        from datalk.topics import get_topic

        ids = GEOGRAPHY + BOUNDARIES + list(get_topic(TOPIC).sources)
        failed = [(r.source_id, r.message) for r in sources.fetch(ids) if not r.ok]
    assert not failed, failed
    return cache


@pytest.fixture
def report_env(report_cache, mirror_dir):
    with datalk_env(report_cache, mirror_dir):
        yield report_cache


# --- a real SMTP server ------------------------------------------------------------------
@pytest.fixture(scope="session")
def smtp_cert(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (the client trusts it via DATALK_SMTP_CAFILE)."""
    import subprocess

    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class RecordingHandler:
    """aiosmtpd handler: keeps parsed messages; can refuse recipients or fail the next DATA commands."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.reject: dict[str, str] = {}  # address → reply, e.g. "550 5.1.1 mailbox unavailable"
        self.fail_data: list[str] = []  # replies for the next DATA commands, e.g. ["451 try later"]
        self.data_attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        self.data_attempts += 1
        if self.fail_data:
            return self.fail_data.pop(0)
        self.envelopes.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "tls": session.ssl is not None,
                "login": session.authenticated,
            }
        )
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, controller, handler, env):
        self.controller, self.handler, self.env = controller, handler, env

    @property
    def messages(self):
        return self.handler.messages


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(smtp_cert):
    """aiosmtpd on 127.0.0.1 with STARTTLS required and LOGIN/PLAIN auth (only after TLS)."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = smtp_cert
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == b"reporty"
            and auth_data.password == b"tajne-heslo"
        )
        return AuthResult(success=ok)

    handler = RecordingHandler()
    port = _free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=authenticator,
    )
    controller.start()
    env = {
        "DATALK_SMTP_HOST": "127.0.0.1",
        "DATALK_SMTP_PORT": str(port),
        "DATALK_SMTP_USER": "reporty",
        "DATALK_SMTP_PASSWORD": "tajne-heslo",
        "DATALK_SMTP_FROM": "Datový portál <reporty@kraj.example.org>",
        "DATALK_SMTP_CAFILE": str(cert),
        "DATALK_SMTP_RETRY_DELAY": "0.05",
        "DATALK_SMTP_RETRIES": "3",
        "DATALK_SMTP_TIMEOUT": "5",
    }
    yield SmtpServer(controller, handler, env)
    controller.stop()
