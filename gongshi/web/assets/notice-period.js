/* gongshi: how a notice period stands today, by the visitor's own clock (the site is built without one).
   Each <span data-gs-start="YYYY-MM-DD" data-gs-end="YYYY-MM-DD"> already says the period in words; this adds
   whether it is running, over or still to come. No inline script, nothing sent anywhere. */
(function () {
  "use strict";

  var DAY = 86400000;

  function date(text) {
    var parts = text.split("-");
    return Date.UTC(+parts[0], +parts[1] - 1, +parts[2]);
  }

  var now = new Date();
  var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());

  Array.prototype.forEach.call(document.querySelectorAll("[data-gs-start][data-gs-end]"), function (el) {
    var start = date(el.getAttribute("data-gs-start"));
    var end = date(el.getAttribute("data-gs-end"));
    var text;
    if (today < start) {
      text = "尚未开始，" + Math.round((start - today) / DAY) + " 天后开始";
    } else if (today > end) {
      text = "公示期已结束";
    } else {
      text = "公示中，还剩 " + (Math.round((end - today) / DAY) + 1) + " 天（含今天）";
    }
    var status = document.createElement("strong");
    status.className = "gs-period-today";
    status.textContent = "今天（按您设备的日期）：" + text;
    el.appendChild(document.createTextNode(" "));
    el.appendChild(status);
  });
})();
