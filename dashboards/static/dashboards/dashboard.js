// Leaders' year dashboard: figures and charts come from the REST API
// (/api/v1/dashboard/...), so the page shows exactly what other systems read.
(function () {
  "use strict";

  var root = document.querySelector("[data-dashboard]");
  if (!root) { return; }
  var apiUrl = root.getAttribute("data-api");
  var refresh = parseInt(root.getAttribute("data-refresh") || "0", 10);
  var present = root.hasAttribute("data-present");
  // On the large screen only the headline figures (and hand-entered ones) are shown.
  var keys = (root.getAttribute("data-keys") || "").split(",").filter(Boolean);
  var charts = {};
  var lastData = {};
  // Presentation mode: text scales with the screen height (19 px at 1080, 38 px at 2160).
  function baseFont() { return present ? Math.max(14, Math.round(window.innerHeight / 64)) : 12; }
  var DARK = "congress-dark";
  if (present && window.echarts) {
    var ink = "#e8ecf3", line = "rgba(255,255,255,0.18)";
    var axis = { axisLine: { lineStyle: { color: line } }, axisTick: { lineStyle: { color: line } },
      axisLabel: { color: ink }, splitLine: { lineStyle: { color: "rgba(255,255,255,0.10)" } }, nameTextStyle: { color: ink } };
    window.echarts.registerTheme(DARK, {
      backgroundColor: "transparent",
      textStyle: { color: ink },
      title: { textStyle: { color: "#fff" } },
      legend: { textStyle: { color: ink }, pageTextStyle: { color: ink }, pageIconColor: ink },
      tooltip: { backgroundColor: "#0e1522", borderColor: "#2a3a57", textStyle: { color: "#fff" } },
      categoryAxis: axis, valueAxis: axis,
      pie: { itemStyle: { borderColor: "#17233a", borderWidth: 2 } }
    });
  }
  var labelsNode = document.getElementById("dashboard-labels");
  var T = labelsNode ? JSON.parse(labelsNode.textContent) : {};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  function changeText(fig) {
    if (fig.change === null || fig.change === undefined) { return ""; }
    var n = Math.round(fig.change * 10) / 10;
    var sign = n > 0 ? "↑" : (n < 0 ? "↓" : "→");
    var unit = fig.is_rate ? T.points : (fig.unit || "");
    return sign + (n === 0 ? T.same : Math.abs(n) + unit);
  }

  function figureCard(fig, previousYear) {
    var col = el("div", present ? "col-6 col-md-3 col-xl-2" : "col-6 col-md-4 col-xl-3");
    var card = el(fig.list_url ? "a" : "div", "card h-100 shadow-sm figure-card text-decoration-none" + (fig.manual ? " manual" : ""));
    if (fig.list_url) { card.href = fig.list_url; }
    card.setAttribute("data-figure", fig.key);
    card.title = fig.definition || "";
    var body = el("div", "card-body p-2 p-md-3");
    var label = el("div", "figure-label small text-muted", fig.label);
    if (fig.manual) {
      var badge = el("span", "badge bg-warning text-dark ms-1", T.manual);
      label.appendChild(badge);
    }
    body.appendChild(label);
    var value = el("div", "figure-value");
    var number = el("span", "figure-number", fig.display);
    number.setAttribute("data-value", fig.display);
    value.appendChild(number);
    if (!fig.is_rate && fig.value !== null) { value.appendChild(el("span", "figure-unit", fig.unit)); }
    body.appendChild(value);
    if (fig.is_rate && fig.denominator !== null) {
      body.appendChild(el("div", "small text-muted", fig.numerator + " / " + fig.denominator));
    }
    var prev = el("div", "figure-previous small");
    prev.textContent = previousYear + T.year_suffix + fig.previous_display + (fig.previous !== null && !fig.is_rate ? fig.unit : "") + " " + changeText(fig);
    body.appendChild(prev);
    if (fig.is_rate && !present && fig.definition) {
      body.appendChild(el("div", "figure-definition small text-muted", fig.definition));
    }
    card.appendChild(body);
    col.appendChild(card);
    return col;
  }

  function renderFigures(data) {
    var box = root.querySelector("[data-figures]");
    box.innerHTML = "";
    data.groups.forEach(function (group) {
      var figures = group.figures.filter(function (fig) { return !keys.length || fig.manual || keys.indexOf(fig.key) >= 0; });
      if (!figures.length) { return; }
      var section = el("section", "mb-3 figure-group");
      section.setAttribute("data-group", group.key);
      section.appendChild(el("h2", "h6 text-muted mb-2", group.label));
      var row = el("div", "row g-2");
      figures.forEach(function (fig) { row.appendChild(figureCard(fig, data.previous_year)); });
      section.appendChild(row);
      box.appendChild(section);
    });
    if (!data.groups.length) { box.appendChild(el("p", "text-muted", T.no_data)); }
    root.setAttribute("data-loaded-figures", "1");
  }

  function chartOption(chart) {
    var fs = baseFont();
    var option = {
      tooltip: { trigger: chart.type === "pie" ? "item" : "axis" },
      legend: { top: 0, type: present ? "plain" : "scroll", textStyle: { fontSize: fs }, itemWidth: fs * 1.4, itemHeight: fs * 0.8 },
      animation: !present,
      textStyle: { fontSize: fs }
    };
    if (chart.type === "pie") {
      option.series = chart.series.map(function (s) {
        return {
          // Two short lines per label and room around the ring, so no label is cut ("满意...").
          name: s.name, type: "pie", radius: ["30%", "52%"], center: ["50%", "58%"], top: fs * 1.5,
          label: { formatter: "{b}\n{c}（{d}%）", fontSize: fs, textBorderWidth: 0, lineHeight: Math.round(fs * 1.25), overflow: "none" },
          labelLine: { length: fs * 0.6, length2: fs * 0.6 },
          data: s.data.map(function (d) { return { name: d.name, value: d.value, itemStyle: d.color ? { color: d.color } : undefined }; })
        };
      });
      return option;
    }
    var secondAxis = chart.series.some(function (s) { return s.yAxisIndex === 1; });
    var category = { type: "category", data: chart.categories, axisLabel: { interval: 0, fontSize: chart.horizontal && chart.categories.length > 6 ? Math.round(fs * 0.75) : fs, rotate: chart.horizontal ? 0 : (chart.categories.length > 6 ? 30 : 0) } };
    var values = [{ type: "value", minInterval: 1, axisLabel: { fontSize: fs } }];
    if (secondAxis) { values.push({ type: "value", max: 100, axisLabel: { formatter: "{value}%", fontSize: fs } }); }
    option.grid = { left: 8, right: 16, bottom: 8, top: fs * 2.6, containLabel: true };
    if (chart.horizontal) {
      category.inverse = true;
      option.yAxis = category;
      option.xAxis = values[0];
    } else {
      option.xAxis = category;
      option.yAxis = values;
    }
    option.series = chart.series.map(function (s) {
      var item = { name: s.name, type: s.type || "bar", data: s.data };
      if (s.stack) { item.stack = s.stack; }
      if (s.color) { item.itemStyle = { color: s.color }; item.lineStyle = { color: s.color }; }
      if (s.yAxisIndex && !chart.horizontal) { item.yAxisIndex = s.yAxisIndex; }
      return item;
    });
    return option;
  }

  function renderChart(name, chart) {
    var holder = root.querySelector('[data-chart="' + name + '"]');
    if (!holder) { return; }
    var card = holder.closest(".card") || holder.parentNode;
    var title = card.querySelector("[data-chart-title]");
    if (title) { title.textContent = chart.title; }
    var note = card.querySelector("[data-chart-note]");
    if (note) { note.textContent = (chart.empty ? T.chart_empty : "") + (chart.note || ""); }
    // On the big screen SVG: sharp on a 4K wall, and its labels are real text in the page.
    if (!charts[name]) { charts[name] = present ? window.echarts.init(holder, DARK, { renderer: "svg" }) : window.echarts.init(holder); }
    lastData[name] = chart;
    charts[name].setOption(chartOption(chart), true);
    holder.setAttribute("data-rendered", "1");
  }

  function loadCharts(urls) {
    return Promise.all(Object.keys(urls).map(function (name) {
      return getJSON(urls[name]).then(function (chart) { renderChart(name, chart); }).catch(function () {
        var holder = root.querySelector('[data-chart="' + name + '"]');
        if (holder) { holder.textContent = T.chart_failed; }
      });
    }));
  }

  function showError() {
    var box = root.querySelector("[data-figures]");
    box.innerHTML = "";
    box.appendChild(el("div", "alert alert-warning", T.load_failed));
  }

  function load() {
    return getJSON(apiUrl).then(function (data) {
      renderFigures(data);
      // The time the numbers were counted (Beijing time, from the server), not the time of the request.
      var stamp = root.querySelector("[data-updated]");
      if (stamp) { stamp.textContent = data.computed_time; }
      var line = root.querySelector("[data-computed]");
      if (line) { line.textContent = T.computed.replace("%(time)s", data.computed_time); }
      return loadCharts(data.charts);
    }).catch(showError);
  }

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) {
      charts[k].resize();
      if (present && lastData[k]) { charts[k].setOption(chartOption(lastData[k]), true); }
    });
  });

  var fullscreen = document.querySelector("[data-fullscreen]");
  if (fullscreen) {
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
    });
  }

  load();
  if (refresh > 0) { window.setInterval(load, refresh * 1000); }
})();
