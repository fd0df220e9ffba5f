/* gongshi: site search with Pagefind, in the header's search box (templates/overrides/partials/gongshi-search.html).
   Loaded by the head script when the visitor first types, which also starts Pagefind (pagefind.js, with
   every part of the index); Pagefind fetches only the index chunks for the words typed. Each result says
   what it is (项目 / 村 / 乡镇 / 单位 / 计划) and its amount; filters (type, year, programme, township) and the amount sort are the ones the pages
   declare (gongshi/web/search.py, templates/overrides/main.html). No inline script, no other host. */
(function () {
  "use strict";

  var PAGE = 10; // results shown at a time
  var HEAD = 20; // results whose pages are read at once, so that a page named by the query comes first
  var FILTERS = [
    ["type", "类型"],
    ["year", "年度"],
    ["programme", "资金类别"],
    ["township", "乡镇"]
  ];
  var SORTS = [
    ["", "按相关程度"],
    ["desc", "金额从高到低"],
    ["asc", "金额从低到高"]
  ];

  var input = document.getElementById("gs-search-query");
  var form = input && input.form;
  var list = document.getElementById("gs-search-results");
  var status = document.getElementById("gs-search-status");
  var controls = document.getElementById("gs-search-controls");
  if (!input || !list || !status || !controls) return;
  var wanted = (controls.getAttribute("data-filters") || "").split(/\s+/).filter(Boolean);

  var engine = null;
  var built = null; // the filters and sort, once made
  var selects = {};
  var sequence = 0;
  var timer = 0;
  var shown = [];
  var results = []; // one loader per result: () => Promise of the page's data

  // Pagefind with every part of the index, as the head script started loading it with the interface
  // (templates/overrides/assets/javascripts/gongshi-md-base.js, which loads this file).
  function pagefind() {
    if (!engine) engine = window.__gongshiPagefind || Promise.reject(new Error("Pagefind is not loading"));
    return engine;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text) node.textContent = text;
    return node;
  }

  // --- filters and sort, made from what the index holds ------------------------------------------

  // The sort and a button for the filters come with the first results; the filters' values (a few
  // kilobytes per township or year, tens of kilobytes at province scale) load only when asked for.
  function buildControls(pf) {
    var sort = el("select", { id: "gs-search-sort", "data-sort": "amount" });
    SORTS.forEach(function (pair) {
      sort.appendChild(el("option", { value: pair[0] }, pair[1]));
    });
    sort.addEventListener("change", schedule);
    selects.sort = sort;
    var field = el("span", { class: "gs-search-control" });
    field.appendChild(el("label", { for: sort.id }, "排序"));
    field.appendChild(sort);
    // Only the filters this site has more than one value of (gongshi/web/search.py, useful_filters).
    var useful = FILTERS.filter(function (pair) {
      return wanted.indexOf(pair[0]) >= 0;
    });
    if (useful.length) {
      var names = useful.map(function (pair) {
        return pair[1];
      });
      var open = el("button", { type: "button", class: "gs-search-filter-open", "aria-expanded": "false" }, "筛选：" + names.join("、"));
      open.addEventListener("click", function () {
        open.disabled = true;
        buildFilters(pf, field).then(function () {
          open.remove();
          var first = controls.querySelector("select");
          if (first) first.focus();
        });
      });
      controls.appendChild(open);
    }
    controls.appendChild(field);
    controls.hidden = false;
    return Promise.resolve();
  }

  function buildFilters(pf, before) {
    return pf.filters().then(function (available) {
      FILTERS.forEach(function (pair) {
        if (wanted.indexOf(pair[0]) < 0) return;
        var values = Object.keys(available[pair[0]] || {}).sort(function (a, b) {
          return a.localeCompare(b, "zh-CN");
        });
        if (values.length < 2) return; // nothing to choose between
        var select = el("select", { "data-filter": pair[0], id: "gs-search-filter-" + pair[0] });
        select.appendChild(el("option", { value: "" }, "全部"));
        values.forEach(function (value) {
          select.appendChild(el("option", { value: value }, value));
        });
        select.addEventListener("change", schedule);
        selects[pair[0]] = select;
        var label = el("label", { for: select.id }, pair[1]);
        var field = el("span", { class: "gs-search-control" });
        field.appendChild(label);
        field.appendChild(select);
        controls.insertBefore(field, before);
      });
    });
  }

  function chosen() {
    var filters = {};
    FILTERS.forEach(function (pair) {
      var select = selects[pair[0]];
      if (select && select.value) filters[pair[0]] = [select.value];
    });
    return filters;
  }

  // --- one result ----------------------------------------------------------------------------------

  // Pagefind's excerpt is page text with the matched words in <mark>, as the index holds it: Chinese split into
  // words by spaces (县 人 社 局) and the page's blocks joined by ". ". Shown as a reader wrote it: the spaces
  // between Chinese characters go, a ". " after or before Chinese becomes "；" (none after a punctuation mark);
  // a decimal point (962.31) has no space after it and stays.
  var HAN = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  var STOP = /[\u3001-\u3003\uff01\uff0c\uff1a\uff1b\uff1f]/; // 、。，：；！？

  function readable(chars) {
    function near(i, step) {
      for (var j = i + step; j >= 0 && j < chars.length; j += step) {
        if (!/\s/.test(chars[j].c)) return chars[j].c;
      }
      return "";
    }
    var out = [];
    chars.forEach(function (ch, i) {
      var before = near(i, -1);
      var after = near(i, 1);
      if (/\s/.test(ch.c)) {
        var prev = out.length ? out[out.length - 1].c : "";
        if ((HAN.test(before) && HAN.test(after)) || prev === "；" || /\s/.test(prev) || !out.length) return;
      } else if (ch.c === "." && (HAN.test(before) || HAN.test(after)) && (!chars[i + 1] || /\s/.test(chars[i + 1].c))) {
        if (STOP.test(before) || !out.length) return;
        out.push({ c: "；", m: ch.m });
        return;
      }
      out.push(ch);
    });
    return out;
  }

  function excerpt(html) {
    var out = el("p", { class: "gs-result__excerpt" });
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var chars = [];
    doc.body.firstChild.childNodes.forEach(function (node) {
      Array.from(node.textContent).forEach(function (c) {
        chars.push({ c: c, m: node.nodeName === "MARK" });
      });
    });
    var run = null;
    readable(chars).forEach(function (ch) {
      if (!run || run.m !== ch.m) {
        run = { m: ch.m, text: "" };
        run.node = ch.m ? out.appendChild(el("mark", {})) : out.appendChild(document.createTextNode(""));
      }
      run.text += ch.c;
      run.node.textContent = run.text;
    });
    return out;
  }

  function item(data) {
    var meta = data.meta || {};
    var li = el("li", { class: "md-search-result__item gs-result" });
    var link = el("a", { class: "md-search-result__link gs-result__link", href: data.url });
    var article = el("article", { class: "md-search-result__article" });
    var head = el("p", { class: "gs-result__head" });
    head.appendChild(el("span", { class: "gs-result__type" }, meta.type || "页面"));
    if (meta.amount) head.appendChild(el("span", { class: "gs-result__amount" }, meta.amount));
    article.appendChild(head);
    article.appendChild(el("p", { class: "gs-result__title" }, meta.title || data.url));
    article.appendChild(excerpt(data.excerpt || ""));
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  // --- searching -----------------------------------------------------------------------------------

  function say(text) {
    status.textContent = text;
  }

  // An amount the visitor typed ("500万", "500 万元", "5000000元"), in 万元 as a string of digits without
  // trailing zeros, or "" when the query names none.
  function typedAmount(term) {
    var m = /(\d[\d,]*(?:\.\d+)?)\s*(万元|万|元)/.exec(term);
    if (!m) return "";
    var digits = m[1].replace(/,/g, "");
    return wan(m[2] === "元" ? shift(digits, -4) : digits);
  }

  // A decimal string moved `places` digits (negative: to the right of the point), exactly (no float).
  function shift(digits, places) {
    var parts = digits.split(".");
    var whole = parts[0];
    var frac = parts[1] || "";
    while (frac.length < -places) frac += "0";
    var all = whole + frac;
    var point = whole.length + places;
    while (point < 1) {
      all = "0" + all;
      point += 1;
    }
    return all.slice(0, point) + "." + all.slice(point);
  }

  function wan(text) {
    var parts = text.split(".");
    var whole = parts[0].replace(/^0+(?=\d)/, "");
    var frac = (parts[1] || "").replace(/0+$/, "");
    return frac ? whole + "." + frac : whole;
  }

  // The amount a result shows (meta "规划投资 1,150 万元"), as typedAmount writes it.
  function shownAmount(data) {
    var m = /(\d[\d,]*(?:\.\d+)?)\s*万元/.exec((data.meta && data.meta.amount) || "");
    return m ? wan(m[1].replace(/,/g, "")) : "";
  }

  // Pagefind ranks by word statistics; a page whose amount is the amount typed (500万 → 500 万元, not 50 万元)
  // comes first, then a page whose name is what the visitor typed (勒乌乡 for 勒乌乡), or holds it (勒乌乡柑子口村
  // for 柑子口村), before pages that only mention it.
  function named(term, pages) {
    var typed = term.replace(/\s+/g, "");
    var amount = typedAmount(term);
    function level(data) {
      if (amount && shownAmount(data) === amount) return 0;
      var title = ((data.meta && data.meta.title) || "").replace(/\s+/g, "");
      return title === typed ? 1 : typed && title.indexOf(typed) >= 0 ? 2 : 3;
    }
    return pages
      .map(function (data, i) {
        return [level(data), i, data];
      })
      .sort(function (a, b) {
        return a[0] - b[0] || a[1] - b[1];
      })
      .map(function (entry) {
        return entry[2];
      });
  }

  // Sorted by amount, Pagefind scores a result by its rank within its part of the index; the parts are
  // dealt in order of amount (gongshi/web/search.py, `parts`), so the merged results are in the site's
  // order except that each run of equal scores is in part order, smallest amount first: turn those round
  // for 金额从高到低. A site of one part has no equal scores.
  function inOrder(order, found) {
    if (order !== "desc") return found;
    var out = [];
    var start = 0;
    found.forEach(function (r, i) {
      if (i + 1 === found.length || found[i + 1].score !== r.score) {
        for (var j = i; j >= start; j--) out.push(found[j]);
        start = i + 1;
      }
    });
    return out;
  }

  function loaders(term, order, found) {
    var head = typedAmount(term) ? HEAD * 5 : HEAD; // an amount typed: read more pages to find its own
    return Promise.all(
      found.slice(0, head).map(function (r) {
        return r.data();
      })
    ).then(function (read) {
      var first = order ? read : named(term, read);
      return first
        .map(function (data) {
          return function () {
            return Promise.resolve(data);
          };
        })
        .concat(
          found.slice(head).map(function (r) {
            return function () {
              return r.data();
            };
          })
        );
    });
  }

  function more() {
    var start = shown.length;
    var next = results.slice(start, start + PAGE);
    var mine = sequence;
    return Promise.all(
      next.map(function (load) {
        return load();
      })
    ).then(function (pages) {
      if (mine !== sequence) return;
      var old = list.querySelector(".gs-result-more");
      if (old) old.remove();
      pages.forEach(function (data) {
        shown.push(data);
        list.appendChild(item(data));
      });
      if (shown.length < results.length) {
        var li = el("li", { class: "gs-result-more" });
        var button = el("button", { type: "button", class: "md-button" }, "显示更多结果");
        button.addEventListener("click", function () {
          var first = shown.length;
          more().then(function () {
            var link = list.querySelectorAll(".gs-result__link")[first];
            if (link) link.focus();
          });
        });
        li.appendChild(button);
        list.appendChild(li);
      }
    });
  }

  function run() {
    var term = input.value.trim();
    var filters = chosen();
    var order = selects.sort ? selects.sort.value : "";
    var mine = ++sequence;
    var key = term + "\n" + JSON.stringify(filters) + "\n" + order;
    function done() {
      if (mine === sequence) list.setAttribute("data-search", key); // what the list now shows (tests wait for it)
    }
    if (!term && !Object.keys(filters).length) {
      list.textContent = "";
      shown = [];
      results = [];
      say("输入项目名称、村名、单位或关键词");
      done();
      return Promise.resolve();
    }
    say("正在搜索…");
    var options = { filters: filters };
    if (order) options.sort = { amount: order };
    return pagefind()
      .then(function (pf) {
        if (!built) built = buildControls(pf);
        if (!order) return pf.search(term || null, options);
        // Pagefind leaves a page without the sort key out of sorted results: a page whose amount the documents
        // do not state (gongshi/web/search.py gives it none) comes after the sorted ones, found unsorted.
        return Promise.all([pf.search(term || null, options), pf.search(term || null, { filters: filters })]).then(
          function (both) {
            if (!both[0] || !both[1]) return null;
            var sorted = inOrder(order, both[0].results);
            var seen = {};
            sorted.forEach(function (r) {
              seen[r.id] = true;
            });
            var rest = both[1].results.filter(function (r) {
              return !seen[r.id];
            });
            return { results: sorted.concat(rest), sorted: true };
          }
        );
      })
      .then(function (search) {
        if (mine !== sequence || !search) return;
        var found = search.sorted ? search.results : inOrder(order, search.results);
        return loaders(term, order, found).then(function (found) {
          if (mine !== sequence) return;
          results = found;
          shown = [];
          list.textContent = "";
          if (!results.length) {
            say(term ? "没有找到与“" + term + "”相符的结果" : "没有符合所选条件的结果");
            return done();
          }
          var note = order ? "（按金额排序，没有金额的结果排在最后）" : "";
          say("找到 " + results.length + " 个结果" + note);
          return more().then(done);
        });
      })
      .catch(function () {
        if (mine !== sequence) return;
        say("搜索暂时无法使用，请从“全部项目”或“受益村”页面查找。");
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 30);
  }

  // --- keyboard: from the box down into the results and back ----------------------------------------

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".gs-result__link"));
  }

  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && links().length) {
      e.preventDefault();
      links()[0].focus();
    } else if (e.key === "Enter") {
      e.preventDefault();
      window.clearTimeout(timer);
      run();
    }
  });
  list.addEventListener("keydown", function (e) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at < 0 || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
    e.preventDefault();
    if (e.key === "ArrowUp" && at === 0) input.focus();
    else all[Math.max(0, Math.min(all.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)))].focus();
  });

  input.addEventListener("input", function (e) {
    if (!e.isComposing) schedule();
  });
  input.addEventListener("compositionend", schedule);
  if (form) form.addEventListener("reset", function () {
    window.setTimeout(run, 0);
    input.focus();
  });
  window.__gongshiSearch = { run: run }; // for tests: the interface is loaded
  run();
})();
