/* Material for MkDocs' head helpers, moved out of an inline <script> so that the Content-Security-Policy
   can allow scripts from the site itself only. Same code as material/templates/partials/javascripts/base.html
   (mkdocs-material 9.8.1); the scope comes from the script tag's data-scope attribute. */
__md_scope = new URL(document.currentScript.dataset.scope, location);
__md_hash = e => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0);
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e));
__md_set = (e, _, t = localStorage, a = __md_scope) => {
  try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (e) {}
};

/* gongshi: the header's search box (partials/gongshi-search.html). Runs in <head>: the page is marked
   `gs-js` before it is drawn, so the box replaces the no-JavaScript links without a jump. Opening and
   closing the box work from here; the search interface itself (assets/gongshi/search.js, which loads
   Pagefind) is fetched only when the visitor types: a visitor who never searches downloads nothing for it. */
(function () {
  "use strict";
  document.documentElement.classList.add("gs-js");
  var loading = false;
  function toggle() { return document.getElementById("__search"); }
  function query() { return document.getElementById("gs-search-query"); }
  function setOpen(open) {
    var t = toggle(), button = document.querySelector(".gs-search-open");
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
    if (!t || t.checked === open) return;
    t.checked = open;
    t.dispatchEvent(new Event("change"));  /* Material locks the page's scrolling on phones while it is open */
  }
  function load() {
    if (loading) return;
    loading = true;
    /* Pagefind (its module, then its worker and index) and the interface load side by side. A large site's
       index is in parts (gongshi/web/search.py): pagefind/parts.json lists the ones to merge with the first. */
    var index = new URL("pagefind/", __md_scope);
    var options = { baseUrl: __md_scope.pathname, excerptLength: 24 };
    /* Without the list the search would quietly miss parts: it fails and says so (search.js) instead. */
    var parts = fetch(new URL("parts.json", index)).then(function (r) {
      if (!r.ok) throw new Error("pagefind/parts.json: " + r.status);
      return r.json();
    });
    window.__gongshiPagefind = import(new URL("pagefind.js", index).href).then(function (pf) {
      return pf.options(options).then(function () {
        pf.init();
        return parts;
      }).then(function (names) {
        return Promise.all(names.map(function (name) {
          return pf.mergeIndex(new URL(name, index).pathname, options);
        }));
      }).then(function () {
        return pf;
      });
    });
    var script = document.createElement("script");
    script.src = new URL("assets/gongshi/search.js", __md_scope).href;
    document.head.appendChild(script);
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".gs-search-open");
    if (!button) return;
    setOpen(true);
    var q = query();
    if (q) q.focus();
  });
  document.addEventListener("focusin", function (e) {
    if (e.target === query()) setOpen(true);
  });
  document.addEventListener("change", function (e) {
    if (e.target === toggle() && !e.target.checked) setOpen(false);
  });
  document.addEventListener("input", function (e) {
    if (e.target !== query()) return;
    setOpen(true);
    if (!e.isComposing) load();
  });
  document.addEventListener("compositionend", function (e) {
    if (e.target === query()) load();
  });
  document.addEventListener("submit", function (e) {
    if (e.target.classList && e.target.classList.contains("gs-search-form")) {
      e.preventDefault();
      if (query() && query().value) load();
    }
  });
  document.addEventListener("keydown", function (e) {
    var q = query();
    if (!q) return;
    var inside = e.target.closest && e.target.closest(".gs-search");
    if (e.key === "Escape" && inside) {
      e.preventDefault();  /* a search field would also clear itself (an input event that reopens the box) */
      setOpen(false);
      var button = document.querySelector(".gs-search-open");
      if (button && button.offsetParent !== null) button.focus();  /* phones: the box closes, back to its button */
      else q.focus();
    } else if (e.key === "/" && !inside && !/^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) {
      e.preventDefault();  /* the search shortcut Material users know */
      setOpen(true);
      q.focus();
    }
  });
})();

/* gongshi: reading modes (templates/overrides/partials/gongshi-reading.html). Large text and high contrast are
   attributes of <html> (data-gs-text="large", data-gs-contrast="high") styled by stylesheets/reach.css. They are
   set here, in <head>, from what this browser remembers for the site (localStorage, under the site's own
   path, so a portal's other sections keep theirs), before the page is drawn; the buttons switch them. */
(function () {
  "use strict";
  var root = document.documentElement;
  var MODES = ["text", "contrast"];
  function remembered(name) {
    try { return __md_get("gs-reading-" + name); } catch (e) { return null; }
  }
  MODES.forEach(function (name) {
    var value = remembered(name);
    if (typeof value === "string") root.setAttribute("data-gs-" + name, value);
  });
  /* A table wider than its box scrolls sideways (large text makes more of them do so): such a box takes the
     keyboard focus, so that it can be scrolled without a mouse. */
  function scrollable() {
    var boxes = document.querySelectorAll(".gs-scroll, .gs-facts-wrap");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }
  window.addEventListener("resize", scrollable);
  function wire() {
    scrollable();
    var buttons = document.querySelectorAll(".gs-reading-button[data-gs-mode]");
    Array.prototype.forEach.call(buttons, function (button) {
      var name = button.getAttribute("data-gs-mode"), value = button.getAttribute("data-gs-value");
      function show() {
        button.setAttribute("aria-pressed", root.getAttribute("data-gs-" + name) === value ? "true" : "false");
      }
      button.hidden = false;
      show();
      button.addEventListener("click", function () {
        var on = root.getAttribute("data-gs-" + name) !== value;
        if (on) root.setAttribute("data-gs-" + name, value);
        else root.removeAttribute("data-gs-" + name);
        __md_set("gs-reading-" + name, on ? value : null);
        show();
        scrollable();
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
