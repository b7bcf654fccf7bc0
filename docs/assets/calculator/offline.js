// After a first visit, the calculator page (app.js) and the list page (lists.js) ask the site's
// service worker (scripts/bundle/service_worker.js, message "cache-urls") to keep every file they need,
// so that they work offline: the page itself, its modules (`entry`, the page's entry module, and
// what it imports, as the worker's "ready" message lists them from manifest.json) and the Python
// worker's `files` must all be kept; whatever else the page loaded (styles, icons) when it can be.
// Resolves to true once everything required is kept, false when it is not (or no service worker).
export function keepOffline(entry, { files = [], modules = {} } = {}, extra = []) {
  if (!("serviceWorker" in navigator) || !navigator.serviceWorker) return Promise.resolve(false);
  const clean = (list) => list.map((u) => String(u).split("#")[0]);
  const page = location.origin + location.pathname;
  const used = performance.getEntriesByType("resource").map((e) => e.name)
    .filter((u) => u.startsWith(location.origin + "/"));
  const graph = modules[new URL(entry).pathname.split("/").pop()] || [];
  const required = clean([page, entry, import.meta.url, ...graph, ...files]);
  const optional = clean([...extra, ...used]);
  return navigator.serviceWorker.ready.then((registration) => new Promise((resolve) => {
    const target = registration.active;
    if (!target) return resolve(false);
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(Boolean(event.data && event.data.type === "cached" && !event.data.failed));
    target.postMessage({ type: "cache-urls", urls: required, optional }, [channel.port2]);
  })).catch(() => false);
}
