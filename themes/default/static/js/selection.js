// "Download the current selection as CSV": once the faceted catalogue has announced what
// it lists (the `casebook:results` event, see map.js), this offers the rows of the
// language's CSV export for exactly those practices, in the export's own format.
(function () {
  "use strict";

  var button = document.querySelector("[data-selection-csv]");
  if (!button || !window.fetch || !window.Blob) return;
  var slugs = null;

  document.addEventListener("casebook:results", function (event) {
    var list = event.detail && event.detail.slugs;
    if (!Array.isArray(list)) return;
    slugs = list.slice();
    button.hidden = false;
  });

  // Splits RFC 4180 text into records (CRLF outside quotes ends a record).
  function records(text) {
    var out = [], start = 0, quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      if (c === '"') quoted = !quoted;
      else if (!quoted && c === "\r" && text.charAt(i + 1) === "\n") {
        out.push(text.slice(start, i));
        start = i + 2;
        i++;
      }
    }
    if (start < text.length) out.push(text.slice(start));
    return out;
  }

  button.addEventListener("click", function () {
    if (!slugs) return;
    var wanted = Object.create(null);
    slugs.forEach(function (s) { wanted[s] = true; });
    fetch(button.getAttribute("data-selection-csv"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (text) {
        var rows = records(text);
        // The slug is the first column and never needs quotes.
        var kept = [rows[0]].concat(rows.slice(1).filter(function (r) {
          return wanted[r.split(",", 1)[0]] === true;
        }));
        var blob = new Blob([kept.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = button.getAttribute("data-filename");
        document.body.appendChild(link);
        link.click();
        document.body.removeChild(link);
        window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
      })
      .catch(function () { button.disabled = true; });
  });
})();
