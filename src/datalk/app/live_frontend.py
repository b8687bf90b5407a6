"""What a live topic page loads in the browser: the static pages' widget library, not Voilà's.

Voilà's own frontend is a JupyterLab application: ~130 scripts (~7 MB) in five dependent waves
(its bundle, the extensions' module federation, the widget manager, then the widget bundles
once the kernel has named them). On this 2-core machine the browser spent ~2.2 s on it before
the first chart of a live page was drawn. A topic page needs much less: the widget models and
views and a comm channel to its kernel. ``datalk-live.js`` (in the static pages' assets) gives
it exactly that with the files a static page already uses: require.js, html-manager's
``libembed-amd.js`` and the AMD bundles of bqplot, bqscales and ipyleaflet from the wheels.
They are published into the static pages' ``_static/`` directory when the portal starts and
served with ``?v=<content hash>`` like everything there.

Voilà still runs the server side unchanged: the kernel pool, the notebook run, the streamed
HTML of the lab template. Without the assets (no npm to fetch the two npm files, e.g. a
stripped-down container) :func:`live_frontend` returns None and the template falls back to
Voilà's frontend, so a live page always works.
"""

from __future__ import annotations

import logging
from pathlib import Path

from datalk.app.static_site.assets import AssetError, publish

log = logging.getLogger(__name__)

#: require.js modules a chart kind needs (anything else is loaded when a widget asks for it)
MODULES_BY_KIND = {
    "line": ("bqplot", "bqscales"),
    "bar": ("bqplot", "bqscales"),
    "choropleth": ("jupyter-leaflet",),
    "points": ("jupyter-leaflet",),
}


def topic_modules() -> dict[str, list[str]]:
    """Per topic, the widget bundles its app charts need: loaded from the page's <head>."""
    from datalk.topics import all_topics

    modules = {}
    for topic in all_topics():
        kinds = {chart.kind for chart in topic.charts if chart.app}
        modules[topic.id] = sorted({m for kind in kinds for m in MODULES_BY_KIND.get(kind, ())})
    return modules


def live_frontend(static_dir: Path, prefix: str) -> dict | None:
    """Publish the assets and return what the Voilà template needs (None: use Voilà's frontend)."""
    try:
        assets = publish(static_dir, prefix)
    except (AssetError, OSError) as exc:
        log.warning("live pages use Voilà's own frontend: the widget assets are missing (%s)", exc)
        return None
    modules = topic_modules()

    def module_url(name: str) -> str:
        return f"{assets.paths[name]}.js?v={assets.versions[name]}"  # the URL require.js asks for

    return {
        "require": assets.url("require.js"),
        "embed": assets.url("libembed-amd.js"),
        "script": assets.url("datalk-live.js"),
        "widgets_css": assets.url("widgets.css"),
        "config": {"assets": assets.base, "paths": assets.paths, "versions": assets.versions},
        "modules": modules,
        "preload": {topic: [module_url(m) for m in names] for topic, names in modules.items()},
    }
