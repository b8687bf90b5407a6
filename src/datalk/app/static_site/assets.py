"""The JavaScript and CSS a static topic page needs, all served by the portal (no CDN).

Live topic pages draw their widgets with the same files (:mod:`datalk.app.live_frontend`).

* ``require.js`` (npm ``requirejs``) – the AMD loader the widget bundles expect;
* ``libembed-amd.js`` (npm ``@jupyter-widgets/html-manager``) – renders widgets from the
  embedded state without a kernel (``@jupyter-widgets/base`` and ``controls`` inside);
* ``widgets.css`` (npm ``@jupyter-widgets/controls``) – ipywidgets' layout classes, present
  before any script runs so the server-written HTML does not move when the islands draw;
* the AMD bundles shipped inside the bqplot, bqscales and ipyleaflet wheels
  (``share/jupyter/nbextensions``) – the same versions as the kernel's Python packages;
* our ``datalk-static.js`` / ``datalk-static.css`` and the live pages' ``datalk-live.js``.

npm packages are fetched once with ``npm pack`` (the tarball only, no dependency tree) into
``.cache/npm/vendor`` of the checkout (``DATALK_NPM_VENDOR`` overrides), never committed.
Every file is published under ``<site>/_static/`` and referenced with ``?v=<content hash>``,
so proxies and browsers may cache it for a year.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from datalk.errors import DatalkError
from datalk.settings import get_settings

log = logging.getLogger(__name__)

OWN = Path(__file__).parent / "assets"
#: npm package → (version, files to publish: source path in the package → published name)
NPM = {
    "requirejs": ("2.3.7", {"require.js": "require.js"}),
    "@jupyter-widgets/html-manager": ("1.0.15", {"dist/libembed-amd.js": "libembed-amd.js"}),
    "@jupyter-widgets/controls": ("5.0.13", {}),
}
#: ipywidgets' CSS, concatenated in this order into widgets.css
WIDGET_CSS = ("css/lumino.css", "css/labvariables.css", "css/widgets-base.css")
#: AMD bundles of the wheels: module name → nbextension folder
WHEEL_MODULES = {"bqplot": "bqplot", "bqscales": "bqscales", "jupyter-leaflet": "jupyter-leaflet"}
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")


class AssetError(DatalkError):
    """A JavaScript package for static pages could not be found or fetched."""


@dataclass
class Assets:
    """Published asset URLs (with ``?v=``) and the require.js configuration of the page."""

    base: str  # URL prefix, e.g. /tema/_static/
    urls: dict[str, str]
    paths: dict[str, str]  # require.js module → URL without ".js"
    versions: dict[str, str]  # require.js module → content hash (urlArgs)

    def url(self, name: str) -> str:
        return self.urls[name]


def vendor_dir() -> Path:
    env = os.environ.get("DATALK_NPM_VENDOR")
    return Path(env) if env else get_settings().root / ".cache" / "npm" / "vendor"


def npm_package(name: str) -> Path:
    """The unpacked npm package (``npm pack`` on first use)."""
    version = NPM[name][0]
    target = vendor_dir() / f"{name.replace('/', '__')}@{version}"
    if (target / "package.json").is_file():
        return target
    npm = shutil.which("npm")
    if not npm:
        raise AssetError(f"npm is needed once to fetch {name}@{version} for static pages (apt-get install npm)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        result = subprocess.run(
            [npm, "pack", f"{name}@{version}", "--pack-destination", tmp, "--silent"],
            capture_output=True, text=True, timeout=300, check=False,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if result.returncode != 0 or not tarballs:
            raise AssetError(f"npm pack {name}@{version} failed: {result.stderr.strip()[-400:]}")
        with tarfile.open(tarballs[0]) as archive:
            archive.extractall(tmp, filter="data")
        staged = Path(tmp) / "package"
        if target.exists() and not (target / "package.json").is_file():
            shutil.rmtree(target, ignore_errors=True)  # a broken earlier unpack
        try:
            staged.rename(target)
        except OSError:  # another process (a second portal, a pre-render) unpacked it meanwhile
            if not (target / "package.json").is_file():
                raise
    log.info("fetched %s@%s into %s", name, version, target)
    return target


def nbextension(folder: str) -> Path:
    """The AMD bundle folder a widget wheel installed under ``share/jupyter/nbextensions``."""
    from jupyter_core.paths import jupyter_path

    for root in jupyter_path("nbextensions"):
        candidate = Path(root) / folder
        if (candidate / "index.js").is_file():
            return candidate
    raise AssetError(f"the AMD bundle of {folder} is missing (is the {folder} wheel installed?)")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _copy(source: Path, target: Path) -> None:
    """Copy unless equal; atomically, because a running portal serves these files.

    The portal publishes the assets when it starts (live pages use them) and a pre-render may
    publish them at the same time: a visitor must never get half a file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and target.read_bytes() == source.read_bytes():
        return
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copyfile(source, staged)
    os.replace(staged, target)


def _write_text(target: Path, text: str) -> None:
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, target)


def publish(static_dir: Path, base: str = "/tema/_static/") -> Assets:
    """Copy every asset into ``static_dir`` and return their versioned URLs."""
    static_dir.mkdir(parents=True, exist_ok=True)
    published: dict[str, Path] = {}
    for name, (_version, files) in NPM.items():
        package = npm_package(name)
        for source, target in files.items():
            _copy(package / source, static_dir / target)
            published[target] = static_dir / target
    manager = npm_package("@jupyter-widgets/html-manager") / "dist"
    for font in manager.iterdir():  # Font Awesome inside libembed (only fetched if an icon is used)
        if font.suffix in FONT_SUFFIXES:
            _copy(font, static_dir / font.name)
    controls = npm_package("@jupyter-widgets/controls")
    css = "\n".join((controls / part).read_text(encoding="utf-8") for part in WIDGET_CSS)
    _write_text(static_dir / "widgets.css", css)
    published["widgets.css"] = static_dir / "widgets.css"
    for own in OWN.iterdir():
        if own.is_file():
            _copy(own, static_dir / own.name)
            published[own.name] = static_dir / own.name
    paths, versions = {}, {}
    # Named modules inside libembed-amd.js: their module.uri (webpack's public path of the Font
    # Awesome files) must point at _static/, not at the page's directory.
    for module in ("@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/base7",
                   "@jupyter-widgets/controls7", "@jupyter-widgets/html-manager"):
        paths[module] = f"{base}libembed-amd"
    for module, folder in WHEEL_MODULES.items():
        source = nbextension(folder)
        for item in source.iterdir():
            if item.is_file() and not item.name.endswith(".map"):
                _copy(item, static_dir / folder / item.name)
        paths[module] = f"{base}{folder}/index"
        versions[module] = _digest(static_dir / folder / "index.js")
    for data in ("territories.json",):  # written by the caller from the data cache
        if (static_dir / data).is_file():
            published[data] = static_dir / data
    urls = {name: f"{base}{name}?v={_digest(path)}" for name, path in published.items()}
    return Assets(base=base, urls=urls, paths=paths, versions=versions)
