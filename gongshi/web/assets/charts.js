/* gongshi: draw every chart placeholder on the page with plotly.js (loaded before this file).
   A placeholder is <div class="gs-chart"> holding its figure in <script type="application/json">;
   the table next to it carries the same numbers for readers without JavaScript. No inline script. */
(function () {
  "use strict";

  function draw(holder) {
    if (holder.getAttribute("data-drawn")) return;
    var data = holder.querySelector('script[type="application/json"]');
    if (!data || !window.Plotly) return;
    var figure = JSON.parse(data.textContent);
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
