/* datalk live topic page: the widgets of a Voilà page, drawn by the static page's own widget
 * library (@jupyter-widgets/html-manager, require.js bundles of bqplot and Leaflet) and
 * connected to the page's kernel over Jupyter's websocket.
 *
 * Why not Voilà's own frontend: it is a JupyterLab application of ~130 scripts (~7 MB) that
 * loads in five dependent waves; on a 2-core machine the browser needed ~2.2 s before the
 * first chart was drawn, most of it evaluating code the page never uses (JupyterLab's shell,
 * its services, the extensions' module federation). The page needs far less: the widget
 * models, their views, and a comm channel to the kernel. Here:
 *
 * - the widget bundles start loading from <head>, while the server still streams the cells;
 * - the kernel connection is Jupyter's websocket protocol v1 (binary frames), as in JupyterLab;
 * - the widget manager is html-manager's HTMLManager with comms that reach the kernel
 *   (ipywidgets' base-manager does the rest: the control comm's request_states, models,
 *   comm_open from the kernel, echo updates, the busy/idle throttle of every model);
 * - every output the lab template wrote as JSON (application/vnd.voila.cell-output+json) is drawn
 *   in place, inside <main>: a widget as its view, anything else by html-manager's renderers;
 * - leaving the page shuts its kernel down at once, as Voilà's page does (sendBeacon with the
 *   _xsrf cookie to /voila/api/shutdown/<id>).
 *
 * No inline script (Content-Security-Policy): the configuration is #dl-live-config, the kernel
 * id is Voilà's #jupyter-config-data.
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("dl-live-config").textContent);
  var VIEW_MIME = "application/vnd.jupyter.widget-view+json";
  var OUTPUT_MIME = "application/vnd.voila.cell-output+json";
  var WIDGET_TARGET = "jupyter.widget";
  var OUTPUT_TYPES = ["stream", "display_data", "execute_result", "error", "update_display_data"];

  window.__jupyter_widgets_assets_path__ = config.assets;
  window.requirejs.config({
    paths: config.paths,
    waitSeconds: 0,  /* a slow phone parses the bundles for longer than require.js's 7 s */
    urlArgs: function (id, url) {
      var version = config.versions[id];
      return version ? (url.indexOf("?") === -1 ? "?" : "&") + "v=" + version : "";
    }
  });
  /* Evaluate the widget library now, while the server may still be streaming the cells: the
     kernel is not needed for that. The <head> preloads libembed-amd.js (named modules: a plain
     script) and the bundles (anonymous modules: through require.js, after libembed, because
     they import @jupyter-widgets/base from it). */
  var embed = new Promise(function (resolve, reject) {
    var script = document.createElement("script");
    script.src = config.embed;
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  });
  var library = embed.then(function () {
    return requireModules(["@jupyter-widgets/html-manager"].concat(config.modules || []));
  });

  function requireModules(names) {
    return new Promise(function (resolve, reject) { window.requirejs(names, function () { resolve(arguments); }, reject); });
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  /* --- Jupyter messages over the websocket ------------------------------------------------ */

  /* Jupyter's websocket protocol "v1.kernel.websocket.jupyter.org" (the one JupyterLab and Voilà
     speak): one binary frame per message, [count][offsets…] as little-endian uint64, then the
     channel name, header, parent header, metadata and content as JSON, then the buffers. */
  var PROTOCOL = "v1.kernel.websocket.jupyter.org";
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  function serialize(msg) {
    var parts = [msg.channel, msg.header, msg.parent_header, msg.metadata, msg.content].map(function (part, i) {
      return encoder.encode(i === 0 ? part : JSON.stringify(part));
    }).concat((msg.buffers || []).map(function (b) {
      return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }));
    var offsets = [8 * (parts.length + 2)];
    parts.forEach(function (part) { offsets.push(offsets[offsets.length - 1] + part.byteLength); });
    var frame = new Uint8Array(offsets[offsets.length - 1]);
    var view = new DataView(frame.buffer);
    view.setUint32(0, offsets.length, true);  // uint64: the high words stay 0
    offsets.forEach(function (offset, i) {
      view.setUint32(8 * (i + 1), offset, true);
      if (i < parts.length) frame.set(parts[i], offset);
    });
    return frame.buffer;
  }

  function deserialize(data) {
    var view = new DataView(data);
    var count = view.getUint32(0, true);
    var offsets = [];
    for (var i = 1; i <= count; i++) offsets.push(view.getUint32(8 * i, true));
    var parts = [];
    for (var j = 0; j + 1 < offsets.length; j++) parts.push(new DataView(data, offsets[j], offsets[j + 1] - offsets[j]));
    function json(k) { return JSON.parse(decoder.decode(parts[k])); }
    /* each buffer is copied into its own ArrayBuffer: typed arrays over it (bqplot's Float64Array)
       need an offset that is a multiple of their element size */
    var buffers = parts.slice(5).map(function (part) {
      return new DataView(data.slice(part.byteOffset, part.byteOffset + part.byteLength));
    });
    return {
      channel: decoder.decode(parts[0]), header: json(1), parent_header: json(2), metadata: json(3),
      content: json(4), buffers: buffers
    };
  }

  /** One kernel: sends shell messages, routes replies and iopub to callbacks and comms. */
  function Kernel(baseUrl, kernelId) {
    var self = this;
    this.id = kernelId;
    this.session = randomId();
    this.callbacks = {};  // msg_id → {shell: {reply}, iopub: {status, output, clear_output}}
    this.comms = {};      // comm_id → Comm
    this.targets = {};    // target name → function (comm, msg) → promise
    this.chain = Promise.resolve();  // messages are handled in order, comm_open fully first
    this.waiting = [];
    var origin = window.location.origin.replace(/^http/, "ws");
    this.socket = new WebSocket(origin + baseUrl + "api/kernels/" + kernelId + "/channels?session_id=" + this.session, [PROTOCOL]);
    this.socket.binaryType = "arraybuffer";
    this.opened = new Promise(function (resolve, reject) {
      self.socket.onopen = function () {
        self.waiting.forEach(function (frame) { self.socket.send(frame); });
        self.waiting = [];
        resolve();
      };
      self.socket.onerror = reject;
    });
    this.socket.onmessage = function (event) {
      var msg = deserialize(event.data);
      self.chain = self.chain.then(function () { return self.handle(msg); }).catch(function (error) {
        console.error("datalk: a kernel message failed", msg.header && msg.header.msg_type, error);
      });
    };
    this.socket.onclose = function () { if (!leaving) showConnectionLost(); };
  }

  Kernel.prototype.send = function (msgType, content, callbacks, metadata, buffers) {
    var msg = {
      header: {
        msg_id: randomId(), username: "", session: this.session, msg_type: msgType,
        version: "5.3", date: new Date().toISOString()
      },
      parent_header: {}, metadata: metadata || {}, content: content, buffers: buffers || [], channel: "shell"
    };
    if (callbacks) this.callbacks[msg.header.msg_id] = callbacks;
    var frame = serialize(msg);
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame); else this.waiting.push(frame);
    return msg.header.msg_id;
  };

  Kernel.prototype.handle = function (msg) {
    var type = msg.header.msg_type;
    var content = msg.content || {};
    var parent = msg.parent_header && msg.parent_header.msg_id;
    var callbacks = parent ? this.callbacks[parent] : null;
    var done = null;
    if (msg.channel === "shell") {
      if (callbacks && callbacks.shell && callbacks.shell.reply) callbacks.shell.reply(msg);
      return done;
    }
    if (msg.channel !== "iopub") return done;
    if (type === "comm_open") done = this.openFromKernel(msg);
    else if (type === "comm_msg" && this.comms[content.comm_id]) done = this.comms[content.comm_id].received(msg);
    else if (type === "comm_close" && this.comms[content.comm_id]) done = this.comms[content.comm_id].closed(msg);
    if (callbacks && callbacks.iopub) {
      var iopub = callbacks.iopub;
      if (type === "status" && iopub.status) iopub.status(msg);
      else if (type === "clear_output" && iopub.clear_output) iopub.clear_output(msg);
      else if (OUTPUT_TYPES.indexOf(type) !== -1 && iopub.output) iopub.output(msg);
    }
    if (type === "status" && content.execution_state === "idle" && parent) delete this.callbacks[parent];
    return done;
  };

  Kernel.prototype.openFromKernel = function (msg) {
    var content = msg.content;
    var handler = this.targets[content.target_name];
    if (!handler) {
      this.send("comm_close", { comm_id: content.comm_id, data: {} });
      return null;
    }
    return handler(new Comm(this, content.target_name, content.comm_id), msg);
  };

  Kernel.prototype.commInfo = function (target) {
    var self = this;
    return new Promise(function (resolve) {
      self.send("comm_info_request", { target_name: target }, { shell: { reply: function (msg) { resolve(msg.content.comms || {}); } } });
    });
  };

  /** A comm as ipywidgets' managers expect it (IClassicComm). */
  function Comm(kernel, target, id) {
    this.kernel = kernel;
    this.target_name = target;
    this.comm_id = id;
    this.onMessage = null;
    this.onClose = null;
    kernel.comms[id] = this;
  }
  Comm.prototype.open = function (data, callbacks, metadata, buffers) {
    return this.kernel.send("comm_open", { comm_id: this.comm_id, target_name: this.target_name, data: data || {} },
      callbacks, metadata, buffers);
  };
  Comm.prototype.send = function (data, callbacks, metadata, buffers) {
    return this.kernel.send("comm_msg", { comm_id: this.comm_id, data: data }, callbacks, metadata, buffers);
  };
  Comm.prototype.close = function (data, callbacks, metadata, buffers) {
    var id = this.kernel.send("comm_close", { comm_id: this.comm_id, data: data || {} }, callbacks, metadata, buffers);
    this.closed({ content: { comm_id: this.comm_id, data: data || {} } });
    return id;
  };
  Comm.prototype.on_msg = function (callback) { this.onMessage = callback; };
  Comm.prototype.on_close = function (callback) { this.onClose = callback; };
  Comm.prototype.received = function (msg) { return this.onMessage ? this.onMessage(msg) : null; };
  Comm.prototype.closed = function (msg) {
    delete this.kernel.comms[this.comm_id];
    var onClose = this.onClose;
    this.onClose = null;
    return onClose ? onClose(msg) : null;
  };

  /* --- the page ------------------------------------------------------------------------- */

  var leaving = false;  // the visitor goes elsewhere: a closing socket is no news then
  window.addEventListener("pagehide", function () { leaving = true; });

  /** The kernel is gone (culled, server restarted): say so instead of ignoring the controls. */
  function showConnectionLost() {
    var doc = document.documentElement;
    if (doc.classList.contains("dl-kernel-lost")) return;
    doc.classList.add("dl-kernel-lost");
    var main = document.getElementById("obsah");
    if (!main) return;
    var notice = document.createElement("p");
    notice.className = "dl-message dl-message-error dl-connection-lost";
    notice.setAttribute("role", "alert");
    notice.textContent = config.lost[doc.lang === "en" ? "en" : "cs"];
    main.insertBefore(notice, main.firstChild);
  }

  function whenParsed() {
    return new Promise(function (resolve) {
      if (document.readyState !== "loading") resolve();
      else document.addEventListener("DOMContentLoaded", function () { resolve(); });
    });
  }

  function loader(name) {
    return requireModules([name]).then(function (modules) { return modules[0]; });
  }

  function liveManager(htmlmanager, kernel) {
    class LiveManager extends htmlmanager.HTMLManager {
      _create_comm(target, modelId, data, metadata, buffers) {
        var comm = new Comm(kernel, target, modelId || randomId());
        if (data || metadata) comm.open(data, {}, metadata, buffers);
        return Promise.resolve(comm);
      }
      _get_comm_info() { return kernel.commInfo(WIDGET_TARGET); }
    }
    var manager = new LiveManager({ loader: loader });
    kernel.targets[WIDGET_TARGET] = function (comm, msg) { return manager.handle_comm_open(comm, msg); };
    return manager;
  }

  /** Voilà's lab template writes each displayed output as a JSON script: draw it in place. */
  function renderOutputs(manager) {
    var tags = document.querySelectorAll("script[type='" + OUTPUT_MIME + "']");
    return Promise.all(Array.prototype.map.call(tags, function (tag) {
      var output = JSON.parse(tag.textContent);
      var area = document.createElement("div");
      area.className = "lm-Widget lm-Panel jp-OutputArea-output";
      tag.parentNode.replaceChild(area, tag);
      return renderOutput(manager, output, area).catch(function (error) {
        console.error("datalk: an output could not be drawn", error);
      });
    }));
  }

  function renderOutput(manager, output, area) {
    var data = output.data || {};
    var widget = data[VIEW_MIME];
    if (widget) {
      if (!manager.has_model(widget.model_id)) return Promise.resolve();
      return manager.get_model(widget.model_id)
        .then(function (model) { return manager.create_view(model); })
        .then(function (view) { return manager.display_view(view, area); });
    }
    var mime = manager.renderMime.preferredMimeType(data, "any");
    if (!mime) return Promise.resolve();
    var renderer = manager.renderMime.createRenderer(mime);
    area.appendChild(renderer.node);  // in the document first: a renderer may attach widgets to it
    return renderer.renderModel({ data: data, metadata: output.metadata || {}, trusted: true, setData: function () {} });
  }

  function shutDownOnLeave(baseUrl, kernelId) {
    window.addEventListener("beforeunload", function () {
      leaving = true;
      var form = new FormData();
      var xsrf = document.cookie.match("\\b_xsrf=([^;]*)\\b");
      form.append("_xsrf", xsrf ? xsrf[1] : "");
      window.navigator.sendBeacon(baseUrl + "voila/api/shutdown/" + kernelId, form);
    });
  }

  /** datalk.js shows the cells when both the last cell (datalk-ready.js) and the widgets are there. */
  function revealCells() {
    window.themeLoaded = true;
    if (window.cellLoaded && window.voila_finish) window.voila_finish();
  }

  function mark(name) { if (window.performance && performance.mark) performance.mark(name); }

  whenParsed().then(function () {
    mark("dl-live-parsed");
    var page = JSON.parse(document.getElementById("jupyter-config-data").textContent);
    var kernel = new Kernel(page.baseUrl, page.kernelId);
    shutDownOnLeave(page.baseUrl, page.kernelId);
    kernel.opened.then(function () { mark("dl-live-socket"); });
    library.then(function () { mark("dl-live-library"); });
    return Promise.all([library, kernel.opened]).then(function (loaded) {
      var manager = liveManager(loaded[0][0], kernel);
      return manager._loadFromKernel().then(function () { mark("dl-live-state"); return renderOutputs(manager); });
    });
  }).then(function () {
    revealCells();
    document.documentElement.classList.add("dl-widgets-ready");
    mark("dl-widgets-drawn");
  }).catch(function (error) {
    console.error("datalk: the live page could not start", error);
    showConnectionLost();
    revealCells();
  });
})();
