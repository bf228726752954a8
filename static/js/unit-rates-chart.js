// Reply and satisfaction rates by handling unit (deputies' statistics page).
(function () {
  "use strict";
  var el = document.getElementById("unit-chart");
  var data = document.getElementById("unit-data");
  var rows = data ? JSON.parse(data.textContent || "[]") : [];
  if (!el || !window.echarts || !rows.length) { if (el) { el.remove(); } return; }
  var reply = el.getAttribute("data-label-reply");
  var satisfaction = el.getAttribute("data-label-satisfaction");
  var chart = window.echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" }, legend: { data: [reply, satisfaction] },
    grid: { left: 40, right: 10, bottom: 80 },
    xAxis: { type: "category", data: rows.map(function (r) { return r.label; }), axisLabel: { rotate: 30 } },
    yAxis: { type: "value", max: 100 },
    series: [
      { name: reply, type: "bar", data: rows.map(function (r) { return r.rates.reply_rate; }) },
      { name: satisfaction, type: "bar", data: rows.map(function (r) { return r.rates.satisfaction_rate; }) }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
