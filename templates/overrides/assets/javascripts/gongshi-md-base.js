/* Material for MkDocs' head helpers, moved out of an inline <script> so that the Content-Security-Policy
   can allow scripts from the site itself only. Same code as material/templates/partials/javascripts/base.html
   (mkdocs-material 9.8.1); the scope comes from the script tag's data-scope attribute. */
__md_scope = new URL(document.currentScript.dataset.scope, location);
__md_hash = e => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0);
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e));
__md_set = (e, _, t = localStorage, a = __md_scope) => {
  try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (e) {}
};
