/* gongshi: the funds page shows every chart at once as static SVG bars, drawn by the build (with a table
   twin beside each). This offers the interactive version (plotly.js: hover details, PNG download) and
   fetches it only when the visitor asks: its button names the scripts to load, in order. No inline script. */
(function () {
  "use strict";
  var ROOT = new URL("../../", document.currentScript.src); // assets/gongshi/chart-loader.js → the site's root
  var button = document.querySelector(".gs-chart-load");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var scripts = (button.getAttribute("data-scripts") || "").split(" ").filter(Boolean);
    var label = button.textContent;
    button.disabled = true;
    button.textContent = "正在载入交互图表…";
    (function next(i) {
      if (i >= scripts.length) {
        button.textContent = "已显示交互图表：把鼠标移到图上或点按图中的条形，可看详细数字";
        return;
      }
      var script = document.createElement("script");
      script.src = new URL(scripts[i], ROOT).href;
      script.onload = function () {
        next(i + 1);
      };
      script.onerror = function () {
        button.disabled = false;
        button.textContent = "载入失败，请重试：" + label;
      };
      document.body.appendChild(script);
    })(0);
  });
})();
