/* Dataset search on the open-data page: an external file, so the portal's CSP (no inline scripts) allows it. */
(function () {
  var form = document.getElementById("hledani");
  var input = document.getElementById("hledat");
  var status = document.getElementById("hledat-vysledek");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#tabulka tbody tr"));
  if (!form || !input) { return; }
  form.hidden = false;
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }
  function filter() {
    var words = fold(input.value).split(" ").filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-hledat");
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    status.textContent = "Zobrazeno " + shown + " z " + rows.length + " datových sad.";
  }
  input.addEventListener("input", filter);
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; filter(); }
})();
