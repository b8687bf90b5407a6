"""Links that open a topic on mybinder.org: in Voilà (as in the portal) or in JupyterLab to edit.

mybinder.org builds the repository from ``binder/`` and then redirects to ``urlpath`` (or
opens ``labpath`` in JupyterLab). The Voilà path carries the page's own parameters as a query
string, so it must be percent-encoded *inside* the ``urlpath`` value: ``?`` → ``%3F``,
``=`` → ``%3D``, ``&`` → ``%26``. Binder decodes ``urlpath`` once, Voilà hands the inner
query to the kernel (``QUERY_STRING``) and :func:`datalk.app.urlparams.read_query` reads it.

JupyterLab cannot pass parameters to a notebook through its URL: the ``labpath`` link opens
the notebook with the defaults of its ``parameters`` cell, which the analyst edits there.

Settings (environment):
    DATALK_BINDER_REPO  GitHub ``owner/name`` that Binder builds (default ``liberecky-kraj/datalk``).
    DATALK_BINDER_REF   branch, tag or commit (default ``HEAD``, the default branch).
    DATALK_BINDER_HOST  BinderHub to use (default ``https://mybinder.org``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from importlib import metadata
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, urlencode

from datalk.errors import ParameterError

DEFAULT_REPO = "liberecky-kraj/datalk"
DEFAULT_REF = "HEAD"
DEFAULT_HOST = "https://mybinder.org"
BADGE = "https://mybinder.org/badge_logo.svg"
NOTEBOOKS = "notebooks"
_TOPIC_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class BinderLinks(NamedTuple):
    """Both ways into one topic: ``voila`` (the page with the current view), ``lab`` (the notebook)."""

    voila: str
    lab: str


def binder_repo() -> str:
    repo = os.environ.get("DATALK_BINDER_REPO", "").strip().strip("/") or DEFAULT_REPO
    if not _REPO.match(repo):
        raise ParameterError(f"DATALK_BINDER_REPO musí mít tvar vlastník/repozitář, ne '{repo}'")
    return repo


def binder_ref() -> str:
    return os.environ.get("DATALK_BINDER_REF", "").strip() or DEFAULT_REF


def launch_url() -> str:
    """``https://mybinder.org/v2/gh/<owner>/<repo>/<ref>`` (a ref with ``/`` is encoded as ``%2F``)."""
    host = os.environ.get("DATALK_BINDER_HOST", "").strip().rstrip("/") or DEFAULT_HOST
    return f"{host}/v2/gh/{binder_repo()}/{quote(binder_ref(), safe='')}"


def _notebook(topic_id: str) -> str:
    if not _TOPIC_ID.match(str(topic_id)):
        raise ParameterError(f"neplatné id tématu pro odkaz do Binderu: '{topic_id}'")
    return f"{NOTEBOOKS}/{topic_id}.ipynb"


def voila_url(topic_id: str, territory: str | None = None, period: str | None = None,
              indicator: str | None = None, lang: str | None = None) -> str:
    """Open the topic in Voilà on Binder showing this territory, period, indicator and language."""
    params = {"territory": territory, "period": period, "indicator": indicator, "lang": lang}
    query = urlencode({k: str(v) for k, v in params.items() if v not in (None, "")}, quote_via=quote)
    path = f"voila/render/{_notebook(topic_id)}" + (f"?{query}" if query else "")
    return f"{launch_url()}?urlpath={quote(path, safe='/')}"


def lab_url(topic_id: str) -> str:
    """Open the topic's notebook in JupyterLab on Binder (to read, change and re-run it)."""
    return f"{launch_url()}?labpath={quote(_notebook(topic_id), safe='/')}"


def links(topic_id: str, territory: str | None = None, period: str | None = None,
          indicator: str | None = None, lang: str | None = None) -> BinderLinks:
    return BinderLinks(voila_url(topic_id, territory, period, indicator, lang), lab_url(topic_id))


def links_for_page(page) -> BinderLinks:
    """Links for a topic page's current view (its ``topic.id`` and ``state``)."""
    state = page.state
    return links(page.topic.id, state.territory, state.period, state.indicator, state.language)


# --- Binder post-build set-up (binder/postBuild runs ``python -m datalk.app.binder setup``) -------
TEMPLATE = "datalk"
#: voila.json settings that still apply when Voilà runs as a Jupyter server extension (Binder's
#: ``voila/render/…``); its kernel pools, preheating and tornado_settings do not.
EXTENSION_KEYS = ("template", "theme", "show_tracebacks", "strip_sources", "file_allowlist")
LANGUAGE_PACK = "jupyterlab-language-pack-cs-CZ"
LAB_LOCALE = {"@jupyterlab/translation-extension:plugin": {"locale": "cs_CZ"}}


def server_extension_config(root: Path) -> dict:
    """``jupyter_server_config.json`` content: the portal template with its chrome data.

    The portal's own server puts the menu of topics and the strings into
    ``VoilaConfiguration.resources['datalk']``; the server extension has no such hook, so the
    same data are written into the configuration once, at build time.
    """
    from datalk.app.site.content import chrome_resources

    voila = json.loads((root / "voila.json").read_text(encoding="utf-8")) if (root / "voila.json").is_file() else {}
    conf = {k: v for k, v in voila.get("VoilaConfiguration", {}).items() if k in EXTENSION_KEYS}
    conf["template"] = TEMPLATE
    # ``binder: true`` lets the template tell Binder (a Jupyter server under /user/<name>/, no portal
    # routes such as /tema/<id>) from the portal itself.
    conf["resources"] = {"datalk": {**chrome_resources(), "binder": True}}
    out = {"VoilaConfiguration": conf}
    if executor := voila.get("VoilaExecutor"):
        out["VoilaExecutor"] = executor
    return out


def setup(root: Path, data_dir: Path | None = None, config_dir: Path | None = None,
          lab_settings_dir: Path | None = None) -> list[str]:
    """Install the portal's Voilà template, its server-extension config and Czech JupyterLab.

    Defaults are the user's Jupyter data and config directories and this environment's
    JupyterLab settings directory (``<prefix>/share/jupyter/lab/settings``). Returns what was done.
    """
    from jupyter_core.paths import jupyter_config_dir, jupyter_data_dir

    data_dir = Path(data_dir or jupyter_data_dir())
    config_dir = Path(config_dir or jupyter_config_dir())
    lab_settings_dir = Path(lab_settings_dir or Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings")
    source = root / "voila_templates" / "voila" / "templates" / TEMPLATE
    if not (source / "conf.json").is_file():
        raise FileNotFoundError(f"šablona portálu chybí: {source}")
    target = data_dir / "voila" / "templates" / TEMPLATE
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    target.symlink_to(source.resolve(), target_is_directory=True)
    done = [f"šablona Voilà: {target} → {source}"]
    config = config_dir / "jupyter_server_config.json"
    _merge_json(config, server_extension_config(root))
    done.append(f"konfigurace Voilà (template = {TEMPLATE}): {config}")
    try:
        metadata.distribution(LANGUAGE_PACK)
    except metadata.PackageNotFoundError:
        done.append(f"{LANGUAGE_PACK} není nainstalován: JupyterLab zůstává anglicky")
    else:
        overrides = lab_settings_dir / "overrides.json"
        _merge_json(overrides, LAB_LOCALE)
        done.append(f"JupyterLab česky (cs_CZ): {overrides}")
    return done


def _merge_json(path: Path, update: dict) -> None:
    """Merge ``update`` into a JSON file one level deep (other settings stay)."""
    current = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(current.get(key), dict):
            current[key] = {**current[key], **value}
        else:
            current[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python -m datalk.app.binder setup`` (postBuild) or ``… links TOPIC [territory=…]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["setup"]:
        from datalk.settings import get_settings

        for line in setup(get_settings().root):
            print(line)
        return 0
    if args[:1] == ["links"] and len(args) >= 2:
        params = dict(a.split("=", 1) for a in args[2:] if "=" in a)
        found = links(args[1], **{k: v for k, v in params.items() if k in ("territory", "period", "indicator", "lang")})
        print(f"Voilà:      {found.voila}\nJupyterLab: {found.lab}")
        return 0
    print("použití: python -m datalk.app.binder setup | links TOPIC [territory=…] [period=…] [lang=…]",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
