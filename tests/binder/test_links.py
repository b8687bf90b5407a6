"""Binder links: the Voilà link carries the current view inside ``urlpath``, encoded once."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from datalk.app import binder
from datalk.app.urlparams import parse_query
from datalk.errors import ParameterError


@pytest.fixture(autouse=True)
def _defaults(monkeypatch):
    for name in ("DATALK_BINDER_REPO", "DATALK_BINDER_REF", "DATALK_BINDER_HOST"):
        monkeypatch.delenv(name, raising=False)


def _inner(url: str) -> tuple[str, dict[str, str]]:
    """What Binder redirects to: the decoded urlpath, split into path and parameters."""
    [urlpath] = parse_qs(urlsplit(url).query)["urlpath"]
    path, _, query = urlpath.partition("?")
    return path, parse_query(query)


def test_voila_link_with_the_current_view():
    url = binder.voila_url("labour_market", territory="CZ0513", period="2023", indicator="unemployment",
                           lang="cs")
    assert url == ("https://mybinder.org/v2/gh/liberecky-kraj/datalk/HEAD?urlpath=voila/render/notebooks/"
                   "labour_market.ipynb%3Fterritory%3DCZ0513%26period%3D2023%26indicator%3Dunemployment%26lang%3Dcs")
    # mybinder.org sees exactly one parameter; Voilà's kernel reads the rest
    assert list(parse_qs(urlsplit(url).query)) == ["urlpath"]
    path, params = _inner(url)
    assert path == "voila/render/notebooks/labour_market.ipynb"
    assert params == {"territory": "CZ0513", "period": "2023", "indicator": "unemployment", "lang": "cs"}


def test_empty_parameters_are_left_out():
    url = binder.voila_url("overview", territory="563889", period=None, indicator="", lang=None)
    assert url.endswith("?urlpath=voila/render/notebooks/overview.ipynb%3Fterritory%3D563889")
    assert binder.voila_url("overview").endswith("?urlpath=voila/render/notebooks/overview.ipynb")


def test_values_with_reserved_characters_survive_the_round_trip():
    odd = "2019-2021 &x=1/ž"
    _, params = _inner(binder.voila_url("housing", period=odd))
    assert params == {"period": odd}


def test_lab_link_opens_the_notebook_for_editing():
    assert binder.lab_url("labour_market") == (
        "https://mybinder.org/v2/gh/liberecky-kraj/datalk/HEAD?labpath=notebooks/labour_market.ipynb")


def test_repository_ref_and_host_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATALK_BINDER_REPO", "datalk-cz/datalk/")
    monkeypatch.setenv("DATALK_BINDER_REF", "release/2025")
    monkeypatch.setenv("DATALK_BINDER_HOST", "https://binder.example.org/")
    links = binder.links("health", territory="CZ051")
    assert links.lab == "https://binder.example.org/v2/gh/datalk-cz/datalk/release%2F2025?labpath=notebooks/health.ipynb"
    assert links.voila.startswith("https://binder.example.org/v2/gh/datalk-cz/datalk/release%2F2025?urlpath=")


def test_links_for_a_page_use_its_state():
    page = SimpleNamespace(topic=SimpleNamespace(id="transport"),
                           state=SimpleNamespace(territory="5105", period="2024", indicator="cars", language="en"))
    links = binder.links_for_page(page)
    assert _inner(links.voila)[1] == {"territory": "5105", "period": "2024", "indicator": "cars", "lang": "en"}
    assert links.lab.endswith("labpath=notebooks/transport.ipynb")


@pytest.mark.parametrize("bad", ["../etc/passwd", "Labour", "a b", ""])
def test_bad_topic_ids_are_refused(bad):
    with pytest.raises(ParameterError):
        binder.voila_url(bad)


def test_bad_repository_setting_is_refused(monkeypatch):
    monkeypatch.setenv("DATALK_BINDER_REPO", "https://github.com/x/y")
    with pytest.raises(ParameterError, match="DATALK_BINDER_REPO"):
        binder.lab_url("overview")
