/* datalk static topic page: draws the chart and map islands without a kernel and hands every
 * interaction that needs Python over to the live Voilà page with the same parameters.
 *
 * - require.js loads the widget bundles from the portal only (no CDN fallback: own loader);
 * - the islands show the pre-render's pictures at once; @jupyter-widgets/html-manager draws the
 *   live widgets from the embedded widget state and each replaces its picture when drawn;
 * - a map click on a territory opens the live page for that territory; hovering shows its value
 *   (the same text the kernel would send);
 * - the controls form: the territory search runs here on a small code list; choosing a territory
 *   with the mouse, Enter, or the "Zobrazit" button opens the live page (keyboard arrows only move).
 * No inline script anywhere (Content-Security-Policy); configuration is #dl-static-config.
 */
(function () {
  "use strict";
  var doc = document.documentElement;
  var config = JSON.parse(document.getElementById("dl-static-config").textContent);
  var form = document.querySelector("form[data-dl-static-form]");
  doc.classList.add("dl-ready");

  /* --- hand-over to the live page ------------------------------------------------------ */
  function params(extra) {
    var query = new URLSearchParams();
    if (form) {
      new FormData(form).forEach(function (value, key) { if (value) query.set(key, value); });
    }
    Object.keys(extra || {}).forEach(function (key) {
      if (extra[key]) query.set(key, extra[key]); else query.delete(key);
    });
    return query;
  }
  function goLive(extra) {
    var query = params(extra).toString();
    doc.classList.add("dl-going-live");
    window.location.assign(config.permalink + (query ? "?" + query : ""));
  }

  /* --- islands ------------------------------------------------------------------------- */
  window.__jupyter_widgets_assets_path__ = config.assets;
  function islandPending(island) {
    var area = island.querySelector(".widget-subarea");
    return !(area && area.firstElementChild);
  }
  function islandBroken(island) {
    /* the widget manager's own placeholders for a view it could not make (its code is missing):
       they fill the island's output area, so it no longer looks pending */
    var area = island.querySelector(".widget-subarea");
    return !!island.querySelector(".jupyter-widgets-error-widget") ||
      !!(area && /^Error (displaying|creating) widget/.test(area.textContent.trim()));
  }
  function showLoadFailure() {
    /* the chart's code did not arrive: say so where the chart would be and offer the live page */
    document.querySelectorAll(".dl-island").forEach(function (island) {
      if (!(islandPending(island) || islandBroken(island)) || island.querySelector(".dl-island-failed")) return;
      var note = document.createElement("p");
      note.className = "dl-island-failed";
      /* with the pre-render's picture the chart is there, only its interactive version is not */
      var pictured = island.querySelector(":scope > .dl-snapshot");
      note.appendChild(document.createTextNode(
        pictured ? "Interaktivní verzi grafu se nepodařilo načíst. " : "Graf se nepodařilo načíst. "));
      var link = document.createElement("a");
      link.href = config.permalink;
      link.textContent = "Otevřít živou stránku";
      note.appendChild(link);
      island.appendChild(note);
    });
  }
  function localLoader(name) {
    return new Promise(function (resolve, reject) {
      window.requirejs([name], resolve, function (error) { showLoadFailure(); reject(error); });
    });
  }
  function showHover(model, properties) {
    /* the map's info box (an HTML widget in a map control) of the island that was hovered */
    var islands = document.querySelectorAll(".dl-island .dl-map-info");
    islands.forEach(function (box) {
      var island = box.closest(".dl-island");
      if (!island || island.getAttribute("data-dl-hovered") !== "1") return;
      box.textContent = "";
      var name = document.createElement("b");
      name.textContent = properties.name || "";
      box.appendChild(name);
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(properties.text || ""));
    });
  }
  document.addEventListener("pointerover", function (event) {
    var island = event.target.closest && event.target.closest(".dl-island");
    document.querySelectorAll(".dl-island[data-dl-hovered]").forEach(function (el) {
      if (el !== island) el.removeAttribute("data-dl-hovered");
    });
    if (island) island.setAttribute("data-dl-hovered", "1");
  });

  /* The pre-render's picture of an island (pictures.py) stays on top of the live widget until
     that has drawn its last frame, then goes: no blank moment, no jump. */
  function retirePicture(island) {
    var picture = island.querySelector(":scope > .dl-snapshot");
    if (!picture || island.classList.contains("dl-live") || islandBroken(island)) return;  /* keep it */
    island.classList.add("dl-live");
    window.setTimeout(function () { picture.remove(); }, 400);
  }
  function islandsDrawn() {
    var islands = document.querySelectorAll(".dl-island");
    islands.forEach(function (island) { if (!islandPending(island)) retirePicture(island); });
    var pending = Array.prototype.filter.call(islands, islandPending);
    if (pending.length) return false;
    doc.classList.add("dl-islands-ready");
    if (window.performance && performance.mark) performance.mark("dl-islands-drawn");
    return true;
  }

  if (window.requirejs && document.querySelector(".dl-island")) {
    window.requirejs.config({
      paths: config.paths,
      /* no load timeout: on a slow phone (or a busy machine) parsing the 6 MB of widget code takes
         longer than require.js's default 7 s, after which it would give up on the map for good */
      waitSeconds: 0,
      urlArgs: function (id, url) {
        var version = config.versions[id];
        return version ? (url.indexOf("?") === -1 ? "?" : "&") + "v=" + version : "";
      }
    });
    /* The widget library (6 MB, 1.6 MB compressed) never delays the text and the pictures.
       When every island has its pre-render picture, the page is complete without it: it is
       fetched at the visitor's first input (pointer, touch, key, wheel) – a reader who
       only looks spends no data or battery on it. Islands without a picture need it at once
       (after the first paint). */
    var pictured = Array.prototype.every.call(document.querySelectorAll(".dl-island"), function (island) {
      return island.querySelector(":scope > .dl-snapshot");
    });
    (pictured ? onFirstInteraction : afterFirstPaint)(loadWidgetLibrary);
  }

  function loadWidgetLibrary() {
    if (window.performance && performance.mark) performance.mark("dl-widgets-requested");
    var script = document.createElement("script");
    script.src = config.embed;
    script.onload = startIslands;
    script.onerror = showLoadFailure;
    document.head.appendChild(script);
  }

  function onFirstInteraction(callback) {
    /* input only: "scroll" also fires when the page scrolls itself (the territory list shows
       its selected entry), and a focus can be set by script */
    var kinds = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel"];
    var options = { capture: true, passive: true };
    var done = false;
    function once() {
      if (done) return;
      done = true;
      kinds.forEach(function (kind) { window.removeEventListener(kind, once, options); });
      callback();
    }
    kinds.forEach(function (kind) { window.addEventListener(kind, once, options); });
  }

  function afterFirstPaint(callback) {
    var done = false;
    function once() { if (!done) { done = true; callback(); } }
    window.requestAnimationFrame(function () { window.setTimeout(once, 0); });
    window.setTimeout(once, 250);  /* no frames in a hidden tab */
  }

  function startIslands() {
    if (window.performance && performance.mark) performance.mark("dl-islands-start");
    /* the widget bundles (bqplot, Leaflet) load while the manager starts */
    window.requirejs(config.modules || [], function () {}, function () {});
    window.requirejs(["@jupyter-widgets/base", "@jupyter-widgets/html-manager/dist/libembed-amd"], function (base, embed) {
      if (window.performance && performance.mark) performance.mark("dl-manager-ready");
      /* Without a kernel every widget message ends here: map clicks hand over, hovers are shown. */
      base.WidgetModel.prototype.send = function (content) {
        if (!content || !content.properties) return;
        if (content.event === "click" && content.properties.geo_code) goLive({ territory: content.properties.geo_code });
        else if (content.event === "mouseover" || content.event === "hover") showHover(this, content.properties);
      };
      embed.renderWidgets(document.documentElement, localLoader);
      var observer = new MutationObserver(function () { if (islandsDrawn()) observer.disconnect(); });
      observer.observe(document.getElementById("rendered_cells"), { childList: true, subtree: true });
    }, showLoadFailure);
  }

  /* --- the controls form --------------------------------------------------------------- */
  if (!form) return;
  var results = form.querySelector("select[data-dl-control='territory']");
  var search = form.querySelector("input[data-dl-control='search']");
  var defaults = results ? results.innerHTML : "";
  var pointer = false;
  var territories = null;

  form.addEventListener("submit", function (event) { event.preventDefault(); goLive(); });
  form.addEventListener("pointerdown", function () { pointer = true; });
  form.addEventListener("keydown", function (event) {
    pointer = false;
    if (event.key === "Enter" && event.target.tagName === "SELECT") { event.preventDefault(); goLive(); }
  });
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.getAttribute("data-dl-control") === "toggle") { goLive(); return; }
    if (target.tagName === "SELECT" && pointer) goLive();  /* mouse choice: as on the live page */
  });

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function loadTerritories() {
    if (territories || !config.territories) return Promise.resolve(territories || []);
    return fetch(config.territories).then(function (r) { return r.json(); }).then(function (rows) {
      territories = rows.map(function (r) { return { code: r[0], level: r[1], name: r[2], label: r[3], key: fold(r[2]) }; });
      return territories;
    });
  }
  var LEVELS = ["stat", "kraj", "okres", "orp", "obec"];
  function showHits(query) {
    if (!results) return;
    if (!query) { results.innerHTML = defaults; return; }
    var needle = fold(query);
    loadTerritories().then(function (rows) {
      if (fold(search.value.trim()) !== needle) return;  /* typed on meanwhile */
      var hits = rows.filter(function (r) { return r.key.indexOf(needle) !== -1; });
      hits.sort(function (a, b) {
        return (a.key.indexOf(needle) !== 0) - (b.key.indexOf(needle) !== 0) ||
          LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || a.name.length - b.name.length ||
          (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
      });
      results.textContent = "";
      hits.slice(0, 40).forEach(function (r) {
        var option = document.createElement("option");
        option.value = r.code;
        option.textContent = r.label;
        results.appendChild(option);
      });
      results.selectedIndex = -1;
    });
  }
  if (search) {
    var timer = null;
    search.addEventListener("focus", function () { loadTerritories(); });
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { showHits(search.value.trim()); }, 120);
    });
  }
})();
