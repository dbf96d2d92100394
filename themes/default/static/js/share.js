// Sharing without trackers: copies the permanent link (with feedback) and sends a post to
// the reader's own Mastodon server. Nothing is requested from anyone until the reader
// follows a link or presses Share. Without JavaScript the plain links still work.
(function () {
  "use strict";

  var copy = document.querySelector("[data-copy]");
  if (copy) {
    var item = copy.closest(".share-copy");
    var status = item.querySelector(".share-status");
    item.hidden = false;
    var say = function (text) {
      status.textContent = "";
      // A fresh text node each time, so that screen readers announce a repeated message.
      window.setTimeout(function () { status.textContent = text; }, 50);
    };
    var fallback = function (text) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "absolute";
      area.style.left = "-9999px";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      return ok;
    };
    copy.addEventListener("click", function () {
      var url = copy.getAttribute("data-copy");
      var done = function () { say(status.getAttribute("data-copied")); };
      var failed = function () {
        say(fallback(url) ? status.getAttribute("data-copied") : status.getAttribute("data-failed"));
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, failed);
      } else {
        failed();
      }
    });
  }

  var form = document.querySelector(".share-mastodon");
  if (form) {
    var input = form.querySelector("input");
    var KEY = "casebook.mastodon";
    try { input.value = window.localStorage.getItem(KEY) || ""; } catch (e) { /* storage off */ }
    form.hidden = false;
    // A server is a host name, with an optional port: no scheme, path or credentials.
    var server = function (text) {
      var host = text.trim().replace(/^https?:\/\//i, "").replace(/^@?[^@\/]*@/, "").replace(/\/.*$/, "").toLowerCase();
      return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$/.test(host) ? host : null;
    };
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var host = server(input.value);
      if (!host) {
        input.setCustomValidity(form.getAttribute("data-invalid"));
        input.reportValidity();
        return;
      }
      input.setCustomValidity("");
      try { window.localStorage.setItem(KEY, host); } catch (e) { /* storage off */ }
      var url = "https://" + host + "/share?text=" + encodeURIComponent(form.getAttribute("data-text"));
      window.open(url, "_blank", "noopener");
    });
    input.addEventListener("input", function () { input.setCustomValidity(""); });
  }
})();
