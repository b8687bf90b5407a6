/* datalk portal chrome: language switch of pre-rendered pages, menu, loading progress.
 *
 * Loaded in <head> of topic pages (synchronously, so the helpers Voilà calls exist before the
 * first cell arrives) and deferred on the server-side pages. No inline scripts anywhere: the
 * Content-Security-Policy forbids them. Topic pages are rendered before the visitor's request
 * is known (preheated kernels), so their chrome is Czech with `data-dl-en*` twins that this
 * script applies when the URL says ?lang=en; elements are handled as the parser adds them,
 * so the English chrome appears without a flash of Czech text.
 */
(function () {
  "use strict";
  var doc = document.documentElement;
  doc.classList.add("js");
  var params = new URLSearchParams(window.location.search);
  var english = params.get("lang") === "en";
  var slow = false;

  function withLang(href) {
    var url = new URL(href, window.location.href);
    if (url.origin !== window.location.origin) return href;
    url.searchParams.set("lang", "en");
    return url.pathname + url.search + url.hash;
  }

  function switchUrl() {
    var url = new URL(window.location.href);
    if (english) url.searchParams.delete("lang"); else url.searchParams.set("lang", "en");
    return url.pathname + url.search + url.hash;
  }

  /* Apply English twins and link fixes to one element subtree (only on switchable pages). */
  function localise(root) {
    if (!root.querySelectorAll) return;
    var nodes = [root].concat(Array.prototype.slice.call(root.querySelectorAll(
      "[data-dl-en],[data-dl-en-aria-label],[data-dl-en-placeholder],[data-dl-internal],[data-dl-lang-switch]")));
    nodes.forEach(function (el) {
      if (!el.getAttribute) return;
      if (el.hasAttribute("data-dl-lang-switch") && el.hasAttribute("data-dl-en-lang")) {
        el.setAttribute("href", switchUrl());
        if (english) { el.setAttribute("lang", "cs"); el.setAttribute("hreflang", "cs"); }
      }
      if (!english) return;
      if (el.hasAttribute("data-dl-en")) el.textContent = el.getAttribute("data-dl-en");
      if (el.hasAttribute("data-dl-en-aria-label")) el.setAttribute("aria-label", el.getAttribute("data-dl-en-aria-label"));
      if (el.hasAttribute("data-dl-en-placeholder")) el.setAttribute("placeholder", el.getAttribute("data-dl-en-placeholder"));
      if (el.hasAttribute("data-dl-internal") && el.closest(".dl-topic-page")) el.setAttribute("href", withLang(el.getAttribute("href")));
    });
  }

  function loadingText(key) {
    var el = document.getElementById("loading_text");
    if (!el) return "";
    return el.getAttribute((english ? "data-dl-en-" : "data-dl-") + key) || el.getAttribute("data-dl-" + key) || "";
  }

  /* "Načítám… (3 z 8)" and the progress bar, as the cells stream in. */
  function progress(step, steps) {
    var bar = document.getElementById("dl-progress");
    var text = document.getElementById("loading_text");
    if (bar) { bar.max = steps; bar.value = step; }
    if (text) text.textContent = loadingText("loading") + " (" + step + " " + loadingText("of") + " " + steps + ")";
  }

  /* Voilà's frontend (only used when datalk-live.js's assets are missing, see
   * datalk.app.live_frontend) attaches a JupyterLab shell (div#main) to <body> and moves the cells into it,
   * i.e. after our footer and outside <main>. Put the shell back into <main id="obsah"> so the page
   * keeps one document flow and its landmarks; datalk.css undoes the shell's full-screen layout. */
  function adoptShell(node) {
    var main = document.getElementById("obsah");
    if (main && node.parentNode !== main) main.appendChild(node);
  }

  /* Leaflet's zoom buttons are labelled in English ("Zoom in"): say it in the page's language. */
  var ZOOM = english ? { in: "Zoom in", out: "Zoom out" } : { in: "Přiblížit", out: "Oddálit" };
  function labelZoom(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll(".leaflet-control-zoom-in, .leaflet-control-zoom-out").forEach(function (button) {
      var label = button.classList.contains("leaflet-control-zoom-in") ? ZOOM.in : ZOOM.out;
      button.setAttribute("aria-label", label);
      button.setAttribute("title", label);
    });
  }

  function onAdded(node) {
    if (node.nodeType !== 1) return;
    if (node.querySelector && node.querySelector(".leaflet-control-zoom-in")) labelZoom(node);
    if (node.id === "main" && node.classList.contains("jp-LabShell")) { adoptShell(node); return; }
    if (node.hasAttribute("data-dl-step")) {
      progress(+node.getAttribute("data-dl-step"), +node.getAttribute("data-dl-steps"));
    }
    if (doc.classList.contains("dl-ready")) return;  // widgets carry no chrome to translate
    if (node.classList.contains("dl-topic-page")) {
      if (english) doc.setAttribute("lang", "en");
    }
    localise(node);
  }

  if (english) {
    doc.setAttribute("lang", "en");
    var meta = document.querySelector("meta[name='dl-title-en']");
    if (meta) document.title = meta.getAttribute("content");
  }

  /* Czech numbers in the bqplot charts. bqplot formats axis ticks and tooltips with its own
   * bundled d3-format and offers no way to set d3's locale, so a Czech reader would get
   * "12,345.6" (twelve and a bit?). Text that is nothing but such a number is rewritten to
   * "12 345,6" as bqplot draws it; bqplot redraws ticks on every update, so the observer
   * stays. Years and period labels have no separator and are left as they are. */
  var D3_NUMBER = /^([\u2212-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;
  var CHART_TEXT = ".bqplot text, .bqplot_tooltip_div td";

  function czechNumber(text) {
    var m = D3_NUMBER.exec(text);
    if (!m || (m[2].indexOf(",") < 0 && m[3] === undefined)) return null;
    return m[1] + m[2].replace(/,/g, "\u00a0") + (m[3] === undefined ? "" : "," + m[3]);
  }

  function czechNumbers(root) {
    var el = root.nodeType === 3 ? root.parentElement : root;
    if (!el || !el.closest || !el.closest(".bqplot, .bqplot_tooltip_div")) return;
    var nodes = el.matches(CHART_TEXT) ? [el] : el.querySelectorAll(CHART_TEXT);
    for (var i = 0; i < nodes.length; i++) {
      var czech = nodes[i].childElementCount ? null : czechNumber(nodes[i].textContent.trim());
      if (czech !== null) nodes[i].textContent = czech;
    }
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(onAdded);
      if (!english) czechNumbers(record.target);
    });
  }).observe(doc, { childList: true, subtree: true });

  /* Voilà's hooks (normally inline scripts in the lab template). The cells are shown when the
   * last one has arrived (datalk-ready.js) and the widget frontend is up (it sets themeLoaded). */
  window.voila_process = function (index, count) { progress(index, count); };
  window.update_loading_text = function (index, count) { progress(index, count); };
  window.voila_heartbeat = function () {
    var text = document.getElementById("loading_text");
    if (text && !slow) { slow = true; text.textContent = loadingText("slow"); }
  };
  window.display_cells = function () {
    if (!window.themeLoaded) { window.cellLoaded = true; return; }
    var loading = document.getElementById("loading");
    if (loading) loading.parentNode.removeChild(loading);
    var cells = document.getElementById("rendered_cells");
    if (cells) { cells.hidden = false; cells.removeAttribute("style"); }
    doc.classList.add("dl-ready");
  };
  window.voila_finish = window.display_cells;

  /* Menu button (phones) and the topics drop-down: click outside or Escape closes. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".dl-menu-button");
    if (button) {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      var nav = document.getElementById(button.getAttribute("aria-controls"));
      if (nav) nav.classList.toggle("dl-nav-open", open);
      return;
    }
    document.querySelectorAll("details.dl-topics-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.dl-topics-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  /* The header search of an English topic page searches in English. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!english || !form.classList || !form.classList.contains("dl-search-inline")) return;
    if (!form.querySelector("input[name='lang']")) {
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "lang"; hidden.value = "en";
      form.appendChild(hidden);
    }
  });

  if (document.readyState !== "loading") localise(document.body || doc);
})();
