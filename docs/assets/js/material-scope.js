// Material's head script (partials/javascripts/base.html of mkdocs-material 9.8), as a file because
// the site's Content-Security-Policy allows no inline script. Material's bundle stores settings in
// localStorage under the site's root: this file lives at assets/js/, two levels below it.
__md_scope = new URL("../..", /** @type {HTMLScriptElement} */ (document.currentScript).src);
__md_hash = (e) => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0);
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e));
__md_set = (e, _, t = localStorage, a = __md_scope) => {
  try {
    t.setItem(a.pathname + "." + e, JSON.stringify(_));
  } catch (e) {}
};
