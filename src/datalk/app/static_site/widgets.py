"""Stored widget state → HTML of a static topic page.

Why not let ``@jupyter-widgets/html-manager`` draw every widget: most of a topic page is
text (``HTML`` widgets: headings, KPI tiles, tables, sources) and layout boxes. Written as
HTML on the server, the text is there with the first byte (no JavaScript, no layout shift,
no 3 MB of widget library before anything shows); only the figures that need a browser
library – bqplot charts and ipyleaflet maps – are left as *islands* that the html-manager
renders from the embedded widget state, in a box that already has their height.

Controls (territory search and list, indicator, period) cannot work without the kernel.
They become a plain HTML form whose fields carry the real values (from the notebook run,
see :mod:`datalk.app.static_site.build`); submitting it opens the live Voilà page with the
same parameters. The DOM keeps ipywidgets' classes, so the portal's CSS applies unchanged.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

PREFIX = "IPY_MODEL_"
#: Widgets written as HTML; every other widget (bqplot, ipyleaflet, unknown) is an island.
BOXES = {"VBoxModel": "widget-vbox", "HBoxModel": "widget-hbox", "BoxModel": ""}
#: Layout traits that are not CSS or are ipywidgets internals.
NOT_CSS = {"_model_module", "_model_module_version", "_model_name", "_view_count",
           "_view_module", "_view_module_version", "_view_name"}


def _ref(value: object) -> str | None:
    return value[len(PREFIX):] if isinstance(value, str) and value.startswith(PREFIX) else None


def _refs(value: object):
    """Every model id referenced anywhere inside a state value (lists, dicts, strings)."""
    if isinstance(value, str):
        if ref := _ref(value):
            yield ref
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _refs(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _refs(item)


@dataclass
class Control:
    """What the notebook run told us about one control widget (see ``build.CONTROLS_CELL``)."""

    name: str  # form field: territory | indicator | period | search | toggle
    values: list[str | None] = field(default_factory=list)


class WidgetPage:
    """Renders widget views of one executed notebook; collects the islands it leaves."""

    def __init__(self, state: dict, controls: dict[str, Control], action: str):
        self.state = state
        self.controls = controls
        self.action = action
        self.islands: list[str] = []
        self._ids = 0

    # --- public -----------------------------------------------------------------------
    def render(self, view: dict) -> str:
        """HTML for one ``application/vnd.jupyter.widget-view+json`` output."""
        model_id = view.get("model_id", "")
        if model_id not in self.state:
            return ""
        return self._widget(model_id)

    def island_state(self) -> dict:
        """The widget-state document of the islands and every model they reference."""
        seen: set[str] = set()
        todo = list(self.islands)
        while todo:
            model_id = todo.pop()
            if model_id in seen or model_id not in self.state:
                continue
            seen.add(model_id)
            todo.extend(_refs(self.state[model_id]["state"]))
        return {
            "version_major": 2,
            "version_minor": 0,
            "state": {k: v for k, v in self.state.items() if k in seen},
        }

    def island_state_json(self) -> str:
        """For a ``<script type="application/vnd.jupyter.widget-state+json">`` data block."""
        text = json.dumps(self.island_state(), ensure_ascii=False, separators=(",", ":"))
        return text.replace("</", "<\\/")

    # --- widgets ------------------------------------------------------------------------
    def _model(self, model_id: str) -> tuple[str, dict]:
        model = self.state[model_id]
        return model["model_name"], model["state"]

    def _widget(self, model_id: str) -> str:
        name, state = self._model(model_id)
        if name in BOXES:
            return self._box(model_id, name, state)
        if name == "HTMLModel":
            return self._html(state)
        if name in ("DropdownModel", "SelectModel"):
            return self._select(model_id, name, state)
        if name == "TextModel":
            return self._text(model_id, state)
        if name == "CheckboxModel":
            return self._checkbox(model_id, state)
        return self._island(model_id, state)

    def _classes(self, state: dict, *base: str) -> str:
        return " ".join([*base, *state.get("_dom_classes", [])]).strip()

    def _style(self, state: dict) -> str:
        """The widget's Layout model as inline CSS (what ipywidgets' LayoutView sets)."""
        layout = _ref(state.get("layout"))
        if not layout or layout not in self.state:
            return ""
        rules = []
        for key, value in self.state[layout]["state"].items():
            if key in NOT_CSS or value in (None, ""):
                continue
            rules.append(f"{key.replace('_', '-')}: {value}")
        return f' style="{html.escape("; ".join(rules))}"' if rules else ""

    def _label_style(self, state: dict) -> str:
        style = _ref(state.get("style"))
        width = self.state.get(style, {}).get("state", {}).get("description_width") if style else None
        return f' style="width: {html.escape(width)}"' if width else ""

    def _new_id(self) -> str:
        self._ids += 1
        return f"dl-w{self._ids}"

    def _box(self, model_id: str, name: str, state: dict) -> str:
        children = "".join(self._widget(ref) for ref in map(_ref, state.get("children", [])) if ref in self.state)
        classes = self._classes(state, "lm-Widget lm-Panel jupyter-widgets widget-container widget-box", BOXES[name])
        if "dl-controls" in state.get("_dom_classes", []):
            return self._form(classes, state, children)
        return f'<div class="{classes}"{self._style(state)}>{children}</div>'

    def _form(self, classes: str, state: dict, children: str) -> str:
        """The controls box: a GET form to the live page, with a button and what it does."""
        return (
            f'<form class="{classes} dl-static-controls" action="{html.escape(self.action)}" method="get"'
            f'{self._style(state)} data-dl-static-form>{children}'
            '<div class="dl-static-actions"><button type="submit" class="dl-button dl-static-submit">Zobrazit</button>'
            '<p class="dl-static-note" id="dl-static-note">Změna území, ukazatele nebo období otevře '
            "interaktivní verzi stránky.</p></div></form>"
        )

    def _html(self, state: dict) -> str:
        classes = self._classes(state, "lm-Widget jupyter-widgets widget-inline-hbox widget-html")
        return (f'<div class="{classes}"{self._style(state)}>'
                f'<div class="widget-html-content">{state.get("value", "")}</div></div>')

    def _select(self, model_id: str, name: str, state: dict) -> str:
        control = self.controls.get(model_id)
        labels = state.get("_options_labels", [])
        values = control.values if control and len(control.values) == len(labels) else [None] * len(labels)
        index = state.get("index")
        options = []
        for i, (label, value) in enumerate(zip(labels, values, strict=True)):
            chosen = " selected" if i == index else ""
            options.append(f'<option value="{html.escape(value or "")}"{chosen}>{html.escape(label)}</option>')
        element_id = self._new_id()
        size = f' size="{int(state["rows"])}"' if name == "SelectModel" and state.get("rows") else ""
        field_name = f' name="{control.name}"' if control and control.name in ("territory", "indicator", "period") else ""
        kind = "widget-dropdown" if name == "DropdownModel" else "widget-select"
        classes = self._classes(state, "lm-Widget jupyter-widgets widget-inline-hbox", kind)
        return (f'<div class="{classes}"{self._style(state)}>{self._label(state, element_id)}'
                f'<select id="{element_id}"{field_name}{size} aria-describedby="dl-static-note" '
                f'data-dl-control="{control.name if control else ""}">{"".join(options)}</select></div>')

    def _label(self, state: dict, element_id: str) -> str:
        text = state.get("description") or ""
        if not text:
            return ""
        return f'<label class="widget-label" for="{element_id}"{self._label_style(state)}>{html.escape(text)}</label>'

    def _text(self, model_id: str, state: dict) -> str:
        control = self.controls.get(model_id)
        element_id = self._new_id()
        classes = self._classes(state, "lm-Widget jupyter-widgets widget-inline-hbox widget-text")
        placeholder = html.escape(state.get("placeholder") or "")
        return (f'<div class="{classes}"{self._style(state)}>{self._label(state, element_id)}'
                f'<input type="text" id="{element_id}" class="widget-input" placeholder="{placeholder}" '
                f'value="{html.escape(state.get("value") or "")}" autocomplete="off" '
                f'data-dl-control="{control.name if control else "search"}"></div>')

    def _checkbox(self, model_id: str, state: dict) -> str:
        """A toggle computed in Python (e.g. "open now"): ticking it opens the live page."""
        element_id = self._new_id()
        checked = " checked" if state.get("value") else ""
        classes = self._classes(state, "lm-Widget jupyter-widgets widget-inline-hbox widget-checkbox")
        text = html.escape(state.get("description") or "")
        return (f'<div class="{classes}"{self._style(state)}><label class="widget-label-basic" for="{element_id}">'
                f'<input type="checkbox" id="{element_id}"{checked} data-dl-control="toggle"> <span>{text}</span>'
                "</label></div>")

    def _island(self, model_id: str, state: dict) -> str:
        """A figure or map: its view script, in a box that reserves the figure's height."""
        self.islands.append(model_id)
        layout = self.state.get(_ref(state.get("layout")) or "", {}).get("state", {})
        height = layout.get("height") or ""
        hidden = layout.get("display") == "none" or layout.get("visibility") == "hidden"
        reserve = f' style="min-height: {html.escape(height)}"' if height.endswith("px") and not hidden else ""
        view = json.dumps({"version_major": 2, "version_minor": 0, "model_id": model_id})
        return (f'<div class="dl-island"{reserve} data-dl-model="{model_id}">'
                f'<script type="application/vnd.jupyter.widget-view+json">{view}</script></div>')
