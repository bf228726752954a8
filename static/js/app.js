// Shared page behaviour. htmx sends the CSRF token from the body's hx-headers; the
// messages below come from base.html in the user's language.
document.addEventListener("htmx:responseError", function (evt) {
  var status = evt.detail.xhr.status;
  var data = document.body.dataset;
  var msg = status === 409 ? data.msgConflict : status === 403 ? data.msgForbidden : data.msgFailed;
  var box = document.createElement("div");
  box.className = "alert alert-danger alert-dismissible fade show";
  box.setAttribute("role", "alert");
  box.textContent = msg || "Error " + status;
  var close = document.createElement("button");
  close.type = "button";
  close.className = "btn-close";
  close.setAttribute("data-bs-dismiss", "alert");
  close.setAttribute("aria-label", "×");
  box.appendChild(close);
  var main = document.querySelector("main");
  if (main) { main.prepend(box); }
});

// --- Content-Security-Policy: behaviour that used to live in inline handlers ---
// <select data-autosubmit> submits its form on change ([data-confirm] is handled by dialogs.js).
document.addEventListener("change", function (evt) {
  var el = evt.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
});

// A read-only address field selects itself when tapped, ready to copy (calendar feed).
document.addEventListener("click", function (evt) {
  var field = evt.target.closest ? evt.target.closest("[data-select-on-click]") : null;
  if (field) { field.select(); }
});

// Multi-selects: a click toggles one option, no Ctrl key needed (phones show their own picker).
document.addEventListener("mousedown", function (evt) {
  var option = evt.target;
  if (option.tagName !== "OPTION" || !option.parentElement) { return; }
  var select = option.closest("select[multiple]");
  if (!select || select.disabled || option.disabled) { return; }
  evt.preventDefault();
  var top = select.scrollTop;
  option.selected = !option.selected;
  select.focus();
  select.scrollTop = top;
  select.dispatchEvent(new Event("change", { bubbles: true }));
});
