// Idle sign-out warning. The server signs a session out after <meta name="session-idle">
// seconds without a request; a minute before, this offers "继续使用", which pings the
// keep-alive endpoint. Checks made by this script send X-Background so they never count
// as activity themselves.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="session-idle"]');
  if (!meta) { return; }
  var idleMs = parseInt(meta.getAttribute("content"), 10) * 1000;
  if (!idleMs) { return; }
  var url = meta.dataset.url;
  var warnMs = Math.min(60000, idleMs / 2);
  var timer = null;
  var box = null;

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  function hide() {
    if (box) { box.remove(); box = null; }
  }

  function schedule(msLeft) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(msLeft - warnMs, 0));
  }

  function signedOut() {
    window.location.reload();  // the server shows the login page with the reason
  }

  // Ask how long is left (another tab may have been active) before warning.
  function check() {
    fetch(url, { headers: { "X-Background": "1" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        var leftMs = data.remaining * 1000;
        if (leftMs <= 0) { signedOut(); return; }
        if (leftMs > warnMs + 1000) { hide(); schedule(leftMs); return; }
        warn(leftMs);
      })
      .catch(function (status) { if (status === 401) { signedOut(); } });
  }

  function warn(leftMs) {
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-warning idle-warning shadow d-flex align-items-center gap-3";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("data-idle-warning", "");
      var text = document.createElement("span");
      text.textContent = meta.dataset.warning;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-primary";
      button.textContent = meta.dataset.keep;
      button.addEventListener("click", keepAlive);
      box.appendChild(text);
      box.appendChild(button);
      document.body.appendChild(box);
      button.focus();
    }
    clearTimeout(timer);
    timer = setTimeout(check, leftMs + 500);
  }

  function keepAlive() {
    fetch(url, { method: "POST", headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function () { hide(); schedule(idleMs); })
      .catch(function (status) { if (status === 401) { signedOut(); } });
  }

  // Any request the person makes (htmx included) counts as activity on the server.
  document.addEventListener("htmx:afterRequest", function (evt) {
    var headers = (evt.detail.requestConfig && evt.detail.requestConfig.headers) || {};
    if (!headers["X-Background"]) { hide(); schedule(idleMs); }
  });
  schedule(idleMs);
})();
