// The catalogue map: its dots follow the catalogue's filters, and a click shows the practice.
//
// Without JavaScript the map shows the dots of the practices listed on the page, each a link
// to its practice, so that the page's HTML stays the size of a page however large the
// catalogue. With JavaScript it draws the whole current selection instead, from two sources:
//
// - the faceted catalogue (catalogue.js) announces what it lists with the
//   `casebook:results` event, whose detail has `entries`, the positions of the listed
//   practices in the index, and `casebook.catalogue.entry(i)` describes one of them;
// - the index's map file (`data-places`, docs/catalogue.md), fetched when the map comes
//   near the viewport, says where each entry sits, in the SVG's units.
//
// The selection is painted on a canvas laid over the SVG, in the SVG's units, one dot per
// place (painting thousands of SVG elements on every filter change would cost more than the
// rest of the update), in the frame after the one that shows the new cards, and only while
// the map is in or near the viewport; a click finds the practices under the pointer. Until both sources are
// there, the page's own dots are shown, hidden when filtered out. The map has `data-stale`
// while it does not show the latest results yet. It is hidden from assistive technology:
// the list carries the same information.
(function () {
  "use strict";

  var figure = document.querySelector("[data-map]");
  if (!figure) return;
  var svg = figure.querySelector("svg");
  var panel = figure.querySelector("[data-map-panel]");
  var caption = figure.querySelector("[data-caption-all]");
  var pageCaption = caption ? caption.textContent : "";
  var mapKey = figure.querySelector(".map-key");
  var pageDots = Array.prototype.slice.call(figure.querySelectorAll(".map-dot"));
  var NS = "http://www.w3.org/2000/svg";
  var BASE = parseFloat(figure.getAttribute("data-radius")) || 8;
  var MAX_LISTED = 6;

  var places = null; // {x, y, approximate} of every entry, from the index
  var results = null; // the last casebook:results detail
  var layer = false; // whether the selection is drawn (on a canvas)
  var radius = BASE;
  var inPanel = null; // entry positions shown in the panel, or null

  // ---------------------------------------------------------------------------------------
  // The panel beside the map: the practices under the click.

  function close() {
    panel.hidden = true;
    panel.textContent = "";
    inPanel = null;
    pageDots.forEach(function (d) { d.classList.remove("selected"); });
    if (layer) paint();
  }

  /** Shows `items` ({title, url, place, lang, fallback}) in the panel; `more` are left out. */
  function show(items, more) {
    panel.textContent = "";
    var list = document.createElement("ul");
    list.className = "map-panel-list";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.className = "map-panel-title";
      link.href = item.url;
      link.textContent = item.title;
      if (item.lang && item.fallback !== false) { link.lang = item.lang; link.hreflang = item.lang; }
      var place = document.createElement("span");
      place.className = "map-panel-place";
      place.textContent = item.place;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(place);
      list.appendChild(li);
    });
    panel.appendChild(list);
    if (more > 0) {
      var rest = document.createElement("p");
      rest.className = "map-panel-more";
      rest.textContent = panel.getAttribute("data-more").replace("{n}", more.toLocaleString(document.documentElement.lang));
      panel.appendChild(rest);
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "map-panel-close";
    button.textContent = panel.getAttribute("data-close");
    button.addEventListener("click", close);
    panel.appendChild(button);
    panel.hidden = false;
  }

  if (panel) {
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
  }

  // ---------------------------------------------------------------------------------------
  // Before the selection is drawn: the page's own dots, hidden when filtered out.

  function filterPageDots(slugs) {
    var visible = Object.create(null);
    slugs.forEach(function (s) { visible[s] = true; });
    pageDots.forEach(function (dot) {
      var on = visible[dot.getAttribute("data-slug")] === true;
      if (on) dot.removeAttribute("display"); else dot.setAttribute("display", "none");
      dot.classList.toggle("filtered-out", !on);
      if (!on && dot.classList.contains("selected")) close();
    });
  }

  pageDots.forEach(function (dot) {
    dot.addEventListener("click", function (event) {
      if (!panel || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      show([{
        title: dot.getAttribute("data-title"),
        url: dot.getAttribute("href"),
        place: dot.getAttribute("data-place"),
        lang: dot.getAttribute("data-lang"),
      }], 0);
      pageDots.forEach(function (d) { d.classList.toggle("selected", d === dot); });
    });
  });

  // A tooltip on first hover (kept out of the markup).
  figure.addEventListener("mouseover", function (event) {
    var dot = event.target.closest && event.target.closest(".map-dot");
    if (!dot || dot.querySelector("title")) return;
    var title = document.createElementNS(NS, "title");
    title.textContent = dot.getAttribute("data-title") + " · " + dot.getAttribute("data-place");
    dot.insertBefore(title, dot.firstChild);
  });

  // ---------------------------------------------------------------------------------------
  // The selection, drawn from the index on a canvas over the SVG, in the SVG's units.

  var view = svg.viewBox.baseVal;
  var canvas = null;
  var ctx = null;
  var fit = null; // CSS pixels of the canvas per map unit, and offsets: {w, h, s, ox, oy}
  var drawn = []; // entry positions drawn, one per place
  var colours = null;

  /** Sizes the canvas to the SVG's content box (`preserveAspectRatio` xMidYMid meet). */
  function resize(w, h) {
    var dpr = window.devicePixelRatio || 1;
    var s = Math.min(w / view.width, h / view.height);
    fit = { w: w, h: h, s: s, ox: (w - view.width * s) / 2 - view.x * s, oy: (h - view.height * s) / 2 - view.y * s };
    canvas.style.left = svg.clientLeft + "px";
    canvas.style.top = svg.clientTop + "px";
    canvas.style.width = w + "px";
    canvas.style.height = h + "px";
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paint();
  }

  /** Fills circles of radius `r` (CSS pixels) at `points` ([x, y] in CSS pixels). */
  function fill(points, r, colour) {
    if (!points.length) return;
    var path = new Path2D();
    points.forEach(function (p) {
      path.moveTo(p[0] + r, p[1]);
      path.arc(p[0], p[1], r, 0, 2 * Math.PI);
    });
    ctx.fillStyle = colour;
    ctx.fill(path);
  }

  function pixels(i) {
    return [places.x[i] * fit.s + fit.ox, places.y[i] * fit.s + fit.oy];
  }

  function paint() {
    if (!fit) return;
    ctx.clearRect(0, 0, fit.w, fit.h);
    var r = radius * fit.s;
    var ring = Math.max(r / 3, 0.75);
    // Places closer than the radius would be drawn on top of each other: one dot stands for
    // those in a cell of 0.7 radius (it covers their centres), so that painting costs what
    // the reader can see, not what the selection holds. A click still finds every practice
    // under the pointer.
    var cell = 0.7 * r;
    var taken = new Set();
    var solid = [];
    var hollow = [];
    drawn.forEach(function (i) {
      var p = pixels(i);
      var key = Math.floor(p[0] / cell) * 65536 + Math.floor(p[1] / cell);
      if (taken.has(key)) return;
      taken.add(key);
      (places.approximate.has(i) ? hollow : solid).push(p);
    });
    var all = solid.concat(hollow);
    // A white ring sets a few dots apart; where there are many, it would only double the work.
    if (all.length <= 200) fill(all, r + ring, "#ffffff");
    fill(all, r, colours.accent);
    fill(hollow, r - ring, "#ffffff");
    if (inPanel) fill(inPanel.map(pixels), r, colours.focus);
    figure.setAttribute("data-painted", String(all.length));
  }

  function layerUp() {
    canvas = document.createElement("canvas");
    canvas.className = "map-canvas";
    canvas.setAttribute("aria-hidden", "true");
    ctx = canvas.getContext("2d");
    var style = getComputedStyle(figure);
    colours = {
      accent: style.getPropertyValue("--accent").trim() || "#0b5cad",
      focus: style.getPropertyValue("--focus").trim() || "#c05600",
    };
    var own = figure.querySelector(".map-dots");
    if (own) own.remove();
    pageDots = [];
    svg.parentNode.appendChild(canvas);
    figure.setAttribute("data-layer", "selection");
    if (caption) caption.textContent = caption.getAttribute("data-caption-all");
    if (window.ResizeObserver) {
      new ResizeObserver(function (seen) {
        var box = seen[seen.length - 1].contentRect;
        resize(box.width, box.height);
      }).observe(svg);
    }
    resize(svg.clientWidth, svg.clientHeight);
    canvas.addEventListener("click", function (event) {
      if (!panel || event.button !== 0) return;
      var hits = under(event);
      if (hits.length) open(hits); else close();
    });
    canvas.addEventListener("mousemove", function (event) {
      var hits = under(event);
      canvas.classList.toggle("map-pointer", hits.length > 0);
      var text = "";
      if (hits.length) {
        var first = window.casebook.catalogue.entry(hits[0]);
        text = first.title + " · " + first.place + (hits.length > 1 ? " (+" + (hits.length - 1) + ")" : "");
      }
      if (canvas.title !== text) canvas.title = text;
    });
    layer = true;
  }

  function draw() {
    if (!layer) layerUp();
    // One dot per place: entries at the same spot share it.
    var seen = new Set();
    drawn = [];
    results.entries.forEach(function (i) {
      var x = places.x[i];
      if (x === null || x === undefined) return;
      var key = x * 65536 + places.y[i];
      if (seen.has(key)) return;
      seen.add(key);
      drawn.push(i);
    });
    // Smaller dots when there are many, so that the map stays readable.
    radius = BASE * Math.max(0.4, Math.min(1, Math.sqrt(40 / Math.max(drawn.length, 1))));
    figure.setAttribute("data-dots", String(drawn.length));
    if (mapKey) mapKey.hidden = !drawn.some(function (i) { return places.approximate.has(i); });
    // The panel keeps the practices still listed, or closes.
    if (inPanel) {
      var now = new Set(results.entries);
      var kept = inPanel.filter(function (i) { return now.has(i); });
      if (kept.length) open(kept); else close();
    }
    paint();
  }

  /** Entry positions under the pointer, in the order of the list. */
  function under(event) {
    if (!fit || !results) return [];
    var px = (event.offsetX - fit.ox) / fit.s;
    var py = (event.offsetY - fit.oy) / fit.s;
    var reach = radius + 3 / fit.s;
    var hits = [];
    results.entries.forEach(function (i) {
      var x = places.x[i];
      if (x === null || x === undefined) return;
      var dx = x - px;
      var dy = places.y[i] - py;
      if (dx * dx + dy * dy <= reach * reach) hits.push(i);
    });
    return hits;
  }

  function open(entries) {
    inPanel = entries;
    var entry = window.casebook.catalogue.entry;
    show(entries.slice(0, MAX_LISTED).map(entry), entries.length - MAX_LISTED);
    paint();
  }

  var near = !window.IntersectionObserver; // whether the map is in or near the viewport
  var stale = false; // whether the results changed since the map was last drawn
  var queued = false;

  /** The caption says so when the list is empty (and the map with it). */
  function captionFor(results) {
    if (!caption) return;
    var none = Array.isArray(results.slugs) && results.slugs.length === 0;
    var text = none ? caption.getAttribute("data-caption-none")
      : layer ? caption.getAttribute("data-caption-all") : pageCaption;
    if (text && caption.textContent !== text) caption.textContent = text;
  }

  function update() {
    queued = false;
    if (!results || !stale) return;
    if (places && Array.isArray(results.entries) && window.casebook && window.casebook.catalogue && window.casebook.catalogue.entry) {
      if (!near) {
        captionFor(results);
        return;
      }
      draw();
    } else if (Array.isArray(results.slugs)) {
      filterPageDots(results.slugs);
    }
    captionFor(results);
    stale = false;
    figure.removeAttribute("data-stale");
  }

  // The list comes first: the map follows in the frame after the one that shows the new
  // cards, once for however many updates arrived meanwhile (one per typed character).
  function queue() {
    stale = true;
    figure.setAttribute("data-stale", "");
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { requestAnimationFrame(update); });
  }

  document.addEventListener("casebook:results", function (event) {
    results = event.detail || null;
    queue();
  });
  if (window.casebook && window.casebook.results) {
    results = window.casebook.results;
    queue();
  }

  // The index's map file, fetched when the map first comes near the viewport; the map is
  // drawn only while it is near it.
  var source = figure.getAttribute("data-places");
  if (!source || !window.fetch) return;
  function load() {
    fetch(source)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        places = { x: data.x, y: data.y, approximate: new Set(data.approximate) };
        queue();
      })
      .catch(function () { /* the page's own dots stay */ });
  }
  if (window.IntersectionObserver) {
    new IntersectionObserver(function (seen) {
      near = seen[seen.length - 1].isIntersecting;
      if (!near) return;
      if (!places) load();
      else if (stale) queue();
    }, { rootMargin: "300px" }).observe(figure);
  } else {
    load();
  }
})();
