/* gongshi: draw every chart placeholder on the page with plotly.js (loaded before this file).
   A placeholder is <div class="gs-chart"> holding its figure in <script type="application/json">;
   the table next to it carries the same numbers for readers without JavaScript. No inline script. */
(function () {
  "use strict";

  // On a phone the bar labels (up to 24 Chinese characters) would take half the width and squeeze the bars to a
  // few pixels, so a narrow chart draws each label with its amount above a full-width bar, as the home page does.
  var NARROW = 600; // px: charts narrower than this put their labels above the bars
  var ROW = 46; // px per bar there: a line of label (13 px text) over a bar of half that height
  var GAP = 0.5; // share of a row left free for the label

  function labelsAbove(figure) {
    var layout = figure.layout;
    var order = [];
    var amounts = {};
    figure.data.forEach(function (trace) {
      (trace.y || []).forEach(function (y, i) {
        if (order.indexOf(y) < 0) order.push(y);
        if (trace.text && trace.text[i] != null) amounts[y] = String(trace.text[i]).trim();
      });
      if (trace.type === "bar") trace.textposition = "none";
      else if (trace.mode === "text") trace.visible = false; // the stacked bars' totals: now in the labels
    });
    var above = { xref: "paper", yref: "y", yanchor: "bottom", yshift: (ROW * (1 - GAP)) / 2, showarrow: false };
    layout.annotations = [];
    order.forEach(function (y) {
      layout.annotations.push(Object.assign({ x: 0, xanchor: "left", y: y, text: y }, above));
      if (amounts[y]) layout.annotations.push(Object.assign({ x: 1, xanchor: "right", y: y, text: amounts[y] }, above));
    });
    layout.yaxis = Object.assign({}, layout.yaxis, { showticklabels: false, automargin: false });
    layout.bargap = GAP;
    // The first label stands above the plot area: the legend (if any) moves up to make room for it.
    var room = 22;
    layout.margin = Object.assign({}, layout.margin, { l: 4, r: 12, t: layout.margin.t + room });
    layout.legend = Object.assign({}, layout.legend, { y: 1 + room / (order.length * ROW) });
    layout.height = order.length * ROW + layout.margin.t + layout.margin.b;
    return figure;
  }

  function draw(holder) {
    if (holder.getAttribute("data-drawn")) return;
    var data = holder.querySelector('script[type="application/json"]');
    if (!data || !window.Plotly) return;
    var figure = JSON.parse(data.textContent);
    if (holder.clientWidth < NARROW) figure = labelsAbove(figure);
    var plot = document.createElement("div");
    plot.className = "gs-chart-plot";
    holder.appendChild(plot);
    holder.setAttribute("data-drawn", "1");
    // The config (zh-CN locale, no plot.ly link, trimmed mode bar) comes with the figure: see chart_assets.py.
    window.Plotly.newPlot(plot, figure.data, figure.layout, figure.config).then(function () {
      holder.classList.add("gs-chart--drawn");
    });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".gs-chart"), draw);
  }

  // Material's instant navigation (if turned on) swaps pages without reloading scripts.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(drawAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
