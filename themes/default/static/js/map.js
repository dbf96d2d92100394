// The catalogue map: dots follow the catalogue's filters and a click shows the practice.
//
// The faceted catalogue announces what it shows with
//   document.dispatchEvent(new CustomEvent("casebook:results", { detail: { slugs: [...] } }))
// where `slugs` are the practices now in the list; the map then shows their dots only.
// Without that event (or without JavaScript) every dot is shown, and each dot is a plain
// link to its practice. The map is hidden from assistive technology: the list carries the
// same information.
(function () {
  "use strict";

  var figure = document.querySelector("[data-map]");
  if (!figure) return;
  var panel = figure.querySelector("[data-map-panel]");
  var dots = Array.prototype.slice.call(figure.querySelectorAll(".map-dot"));

  document.addEventListener("casebook:results", function (event) {
    var slugs = event.detail && event.detail.slugs;
    if (!Array.isArray(slugs)) return;
    var visible = Object.create(null);
    slugs.forEach(function (s) { visible[s] = true; });
    dots.forEach(function (dot) {
      var shown = visible[dot.getAttribute("data-slug")] === true;
      if (shown) dot.removeAttribute("display"); else dot.setAttribute("display", "none");
      dot.classList.toggle("filtered-out", !shown);
    });
    if (panel && !panel.hidden) {
      var current = panel.getAttribute("data-slug");
      if (current && !visible[current]) close();
    }
  });

  function close() {
    panel.hidden = true;
    panel.removeAttribute("data-slug");
    panel.textContent = "";
    dots.forEach(function (d) { d.classList.remove("selected"); });
  }

  function show(dot) {
    panel.textContent = "";
    var title = document.createElement("p");
    title.className = "map-panel-title";
    var link = document.createElement("a");
    link.href = dot.getAttribute("href");
    link.textContent = dot.getAttribute("data-title");
    var lang = dot.getAttribute("data-lang");
    if (lang) { link.lang = lang; link.hreflang = lang; }
    title.appendChild(link);
    var place = document.createElement("p");
    place.className = "map-panel-place";
    place.textContent = dot.getAttribute("data-place");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "map-panel-close";
    button.textContent = panel.getAttribute("data-close");
    button.addEventListener("click", close);
    panel.appendChild(title);
    panel.appendChild(place);
    panel.appendChild(button);
    panel.setAttribute("data-slug", dot.getAttribute("data-slug"));
    panel.hidden = false;
    dots.forEach(function (d) { d.classList.toggle("selected", d === dot); });
  }

  // A tooltip on first hover (kept out of the markup: a catalogue may have thousands of dots).
  figure.addEventListener("mouseover", function (event) {
    var dot = event.target.closest && event.target.closest(".map-dot");
    if (!dot || dot.querySelector("title")) return;
    var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = dot.getAttribute("data-title") + " · " + dot.getAttribute("data-place");
    dot.insertBefore(title, dot.firstChild);
  });

  if (panel) {
    dots.forEach(function (dot) {
      dot.addEventListener("click", function (event) {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        show(dot);
      });
    });
  }
})();
