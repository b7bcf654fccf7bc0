// Registers the site's service worker (site/sw.js, scope: the whole site) on every page, so the
// pages and, after a first visit of the calculator, the calculator itself work offline.
// Guide pages fetch nothing of Pyodide: the service worker only keeps what a page has used.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  var script = /** @type {HTMLScriptElement} */ (document.currentScript);
  if (!script || !script.src) return;
  // This file is <site>/assets/js/register-sw.js; the worker is <site>/sw.js.
  var url = new URL("../../sw.js", script.src);
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url.href, { scope: new URL("./", url).pathname }).catch(function () {
      /* no service worker (private mode, file://): the site still works online */
    });
  });
})();
