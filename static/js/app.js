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
// <select data-autosubmit> submits its form on change; [data-confirm] on a form or a
// submit button asks first; <input data-select-on-click> selects its text on click.
document.addEventListener("change", function (evt) {
  var el = evt.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
});
document.addEventListener("click", function (evt) {
  var el = evt.target.closest ? evt.target.closest("button[data-confirm], input[data-confirm]") : null;
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { evt.preventDefault(); }
  var sel = evt.target.closest ? evt.target.closest("[data-select-on-click]") : null;
  if (sel && sel.select) { sel.select(); }
});
document.addEventListener("submit", function (evt) {
  var form = evt.target;
  if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
    evt.preventDefault();
  }
});

// Widths from data-width (a percentage) set through the CSSOM, which CSP allows.
function applyDataWidths(root) {
  var nodes = (root && root.querySelectorAll) ? root.querySelectorAll("[data-width]") : [];
  for (var i = 0; i < nodes.length; i++) { nodes[i].style.width = nodes[i].getAttribute("data-width") + "%"; }
  if (root && root.matches && root.matches("[data-width]")) { root.style.width = root.getAttribute("data-width") + "%"; }
}
if (window.htmx) { window.htmx.onLoad(applyDataWidths); } else { document.addEventListener("DOMContentLoaded", function () { applyDataWidths(document); }); }

// Deputies' statistics: reply and satisfaction rates per unit (ECharts loads after this file).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("unit-chart");
  var data = document.getElementById("unit-data");
  if (!el) { return; }
  var rows = data ? JSON.parse(data.textContent || "[]") || [] : [];
  if (!window.echarts || !rows.length) { el.remove(); return; }
  var reply = el.getAttribute("data-label-reply");
  var satisfaction = el.getAttribute("data-label-satisfaction");
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {data: [reply, satisfaction]},
    grid: {left: 40, right: 10, bottom: 80},
    xAxis: {type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: {rotate: 30}},
    yAxis: {type: "value", max: 100},
    series: [
      {name: reply, type: "bar", data: rows.map(function (r) { return r.rates.reply_rate; })},
      {name: satisfaction, type: "bar", data: rows.map(function (r) { return r.rates.satisfaction_rate; })}
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
