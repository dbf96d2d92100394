// casebook serve: live reload, the error overlay and the list of warnings. Injected into served HTML only; never
// part of `casebook build` output.
(() => {
  "use strict";
  const me = document.currentScript;
  let build = me.dataset.build;
  const file = me.dataset.file;
  let built = true;

  const normalize = (p) => {
    try { p = decodeURI(p); } catch (_) { /* keep it as it is */ }
    return p.replace(/index\.html$/, "");
  };
  const shown = () => [normalize(location.pathname), normalize(file)];

  // The overlay: problems of the last rebuild, over the last good version of the page.
  let host = null;
  const overlay = (errors) => {
    if (host) { host.remove(); host = null; }
    if (!errors || errors.length === 0) return;
    host = document.createElement("div");
    host.id = "casebook-overlay";
    const root = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = `
      :host { all: initial; }
      .box { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; padding: 2rem 1rem;
        background: rgba(20, 20, 24, .92); color: #f4f4f5; font: 15px/1.5 system-ui, sans-serif; }
      .panel { max-width: 60rem; margin: 0 auto; padding: 1.25rem 1.5rem; border-radius: .5rem;
        background: #18181b; box-shadow: 0 .5rem 2rem rgba(0, 0, 0, .5); }
      h2 { margin: 0 0 .25rem; font-size: 1.2rem; color: #fca5a5; }
      p { margin: 0 0 1rem; color: #d4d4d8; }
      pre { white-space: pre-wrap; word-break: break-word; background: #27272a; color: #f4f4f5;
        border-left: 4px solid #f87171; padding: .75rem 1rem; margin: 0 0 1rem;
        font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
      pre.warning { border-left-color: #facc15; }
      button { font: inherit; padding: .3rem .9rem; border-radius: .3rem; border: 1px solid #a1a1aa;
        background: #3f3f46; color: #fff; cursor: pointer; }
      button:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }`;
    const box = document.createElement("div");
    box.className = "box";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "casebook-overlay-title");
    const panel = document.createElement("div");
    panel.className = "panel";
    const h = document.createElement("h2");
    h.id = "casebook-overlay-title";
    const what = built ? "the last change does not build" : "the site does not build";
    h.textContent = errors.length === 1
      ? `casebook: ${what}`
      : `casebook: ${what} (${errors.length} problems)`;
    const p = document.createElement("p");
    p.textContent = built
      ? "You are looking at the last version that built. Fix the file and this page updates by itself."
      : "The site has not built yet: fix the errors below and this page loads the site by itself.";
    panel.append(h, p);
    for (const e of errors) {
      const pre = document.createElement("pre");
      pre.className = e.severity || "error";
      pre.textContent = e.text || `${e.file}:${e.line}:${e.column}: ${e.message}`;
      panel.append(pre);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", () => overlay([]));
    panel.append(close);
    box.append(panel);
    root.append(style, box);
    document.documentElement.append(host);
  };

  // Warnings: what `check` says about the current sources, listed apart from errors in a
  // note in a corner that opens on demand, never over the page.
  let note = null;
  const showWarnings = (warnings) => {
    if (note) { note.remove(); note = null; }
    if (!warnings || warnings.length === 0) return;
    note = document.createElement("div");
    note.id = "casebook-warnings";
    const root = note.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = `
      :host { all: initial; }
      .note { position: fixed; right: .75rem; bottom: .75rem; z-index: 2147483646; max-width: min(40rem, 90vw);
        max-height: 70vh; overflow: auto; border-radius: .5rem; background: #18181b; color: #f4f4f5;
        font: 14px/1.45 system-ui, sans-serif; box-shadow: 0 .25rem 1rem rgba(0, 0, 0, .4); }
      button { font: inherit; width: 100%; text-align: left; padding: .45rem .8rem; border: 0;
        border-left: 4px solid #facc15; border-radius: .5rem; background: #18181b; color: #fef9c3; cursor: pointer; }
      button:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
      pre { white-space: pre-wrap; word-break: break-word; margin: .5rem .8rem .8rem; padding: .5rem .75rem;
        border-left: 4px solid #facc15; background: #27272a; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }`;
    const box = document.createElement("div");
    box.className = "note";
    box.setAttribute("role", "status");
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    toggle.textContent = warnings.length === 1
      ? "casebook: 1 warning (the page built)"
      : `casebook: ${warnings.length} warnings (the page built)`;
    const list = document.createElement("div");
    list.hidden = true;
    for (const w of warnings) {
      const pre = document.createElement("pre");
      pre.textContent = w.text || `${w.file}:${w.line}:${w.column}: ${w.message}`;
      list.append(pre);
    }
    toggle.addEventListener("click", () => {
      list.hidden = !list.hidden;
      toggle.setAttribute("aria-expanded", String(!list.hidden));
    });
    box.append(toggle, list);
    root.append(style, box);
    document.documentElement.append(note);
  };

  // A changed stylesheet is swapped in place: no reload, the scroll position stays.
  const swapStylesheets = (files) => {
    const changed = new Set(files.map(normalize));
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || !changed.has(normalize(url.pathname))) continue;
      url.searchParams.set("casebook-reload", Date.now().toString(36));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      fresh.addEventListener("error", () => link.remove(), { once: true });
      link.after(fresh);
    }
  };

  // One WebSocket per page (browsers do not count WebSockets toward their six connections
  // per host, so any number of tabs stay live). It names the page, which the server renders
  // first when a change touches many, and reconnects when the server restarts.
  const handlers = {
    hello(d) {
      // A new build since this page was served, or a restarted server: show the current one
      // (with the overlay, if the last change broke the build).
      built = d.built !== false;
      if (d.build !== build) { location.reload(); return; }
      overlay(d.errors);
      showWarnings(d.warnings);
    },
    warnings(d) {
      showWarnings(d.warnings);
    },
    css(d) {
      swapStylesheets(d.files);
      build = d.build;
    },
    reload(d) {
      build = d.build;
      built = true;
      const here = shown();
      if (d.all || d.pages.some((p) => here.includes(normalize(p)))) {
        location.reload();
      } else {
        overlay([]);
      }
    },
    errors(d) {
      built = d.built !== false;
      overlay(d.errors);
    },
  };
  const url = new URL(me.dataset.socket, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("page", location.pathname);
  let socket = null;
  const connect = () => {
    socket = new WebSocket(url);
    socket.addEventListener("message", (m) => {
      let e;
      try { e = JSON.parse(m.data); } catch (_) { return; }
      const handle = handlers[e.event];
      if (handle) handle(e.data);
    });
    socket.addEventListener("close", () => setTimeout(connect, 500), { once: true });
  };
  connect();
  window.casebookLive = { get socket() { return socket; }, get build() { return build; } };
})();
