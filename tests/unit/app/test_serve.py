"""``datalk serve`` options and the server's identity, without starting a server (fast).

The Kubernetes Deployment runs ``datalk serve --ip 0.0.0.0``: a pod must listen on its
own address, while a laptop or the systemd unit behind nginx stays on 127.0.0.1. Several
processes behind one address must not fight over Jupyter's per-process login cookie.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from datalk.app.server import AnonymousVisitors, PortalApp
from datalk.cli import serve

REPO = Path(__file__).resolve().parents[3]


class FakeApp:
    """Stands in for PortalApp: records what the command sets, starts nothing."""

    def __init__(self):
        self.ip, self.port, self.started = "127.0.0.1", 8866, False
        self.voila_configuration = SimpleNamespace(preheat_kernel=True, default_pool_size=1)
        self.preheat_topics = None
        self.static_pages = True

    def initialize(self, argv):
        self.argv = argv

    def start(self):
        self.started = True


@pytest.fixture
def fake_app(monkeypatch):
    # The command prepends the templates to JUPYTER_PATH: give it back after the test.
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    monkeypatch.setenv("DATALK_ROOT", os.environ.get("DATALK_ROOT", str(REPO)))
    app = FakeApp()
    monkeypatch.setattr(PortalApp, "instance", classmethod(lambda cls, *a, **k: app))
    return app


def test_serve_binds_the_address_given_with_ip(fake_app):
    result = CliRunner().invoke(
        serve.command, ["--ip", "0.0.0.0", "--port", "8866", "--no-preheat"]
    )
    assert result.exit_code == 0, result.output
    assert fake_app.started and fake_app.ip == "0.0.0.0" and fake_app.port == 8866
    assert fake_app.voila_configuration.preheat_kernel is False
    assert "http://0.0.0.0:8866/" in result.output


def test_serve_keeps_the_configured_loopback_address_by_default(fake_app):
    result = CliRunner().invoke(serve.command, ["--port", "9000"])
    assert result.exit_code == 0, result.output
    assert fake_app.ip == "127.0.0.1" and fake_app.port == 9000
    voila = json.loads((REPO / "voila.json").read_text())["Voila"]
    assert voila["ip"] == "127.0.0.1", (
        "the public portal must not listen on every address by default"
    )


class FakeHandler:
    """The little of a tornado handler the identity provider touches."""

    def __init__(self, cookies: dict[str, str] | None = None):
        self.cookies, self.set_cookies, self.cleared = cookies or {}, [], []
        self.log = SimpleNamespace(debug=lambda *a: None, warning=lambda *a: None)
        self.request = SimpleNamespace(protocol="http", host="127.0.0.1:80")
        self.base_url = "/"

    def get_cookie(self, name, default=None):
        return self.cookies.get(name, default)

    def get_secure_cookie(self, *args, **kwargs):
        return None  # another process signed it: its secret is not ours

    def set_secure_cookie(self, name, value, **kwargs):
        self.set_cookies.append(name)

    def clear_cookie(self, name, **kwargs):
        self.cleared.append(name)


def test_visitors_are_anonymous_and_get_no_login_cookie():
    """Even with another process's cookie the request is served without Set-Cookie or warning."""
    provider = AnonymousVisitors(token="")
    assert PortalApp.identity_provider_class.default_value is AnonymousVisitors
    for handler in (FakeHandler(), FakeHandler({"username-127-0-0-1-80": "signed-elsewhere"})):
        user = provider.get_user(handler)
        assert user is not None and user.name.startswith("Anonymous")
        assert handler.set_cookies == [] and handler.cleared == []
