// After a first visit, the calculator page (app.js) and the list page (lists.js) ask the site's
// service worker (calculator/web/service_worker.js, message "cache-urls") to keep what an offline
// visit of the page needs: the worker knows its deployment's list (the page, its scripts and styles,
// the calculator's files), and the page adds its modules (those of `entry`, the page's entry module,
// as the worker's "ready" message lists them from manifest.json) and the Python worker's `files`;
// whatever else the page loaded (styles, icons) is kept when it can be.
// `onKept(kept)` is called with true once the service worker in charge holds everything, false when
// it does not (or there is no service worker), and again whenever another deployment's service
// worker takes charge: the page says "works without a connection" only while it is true.
/**
 * @param {string} entry the page's entry module: "app.js" or "lists.js"
 * @param {{files?: string[], modules?: Record<string, string[]>}} ready the worker's "ready" message
 * @param {string[]} extra
 * @param {(kept: boolean) => void} onKept
 */
export function keepOffline(entry, { files = [], modules = {} } = {}, extra = [], onKept = () => {}) {
  const sw = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  if (!sw) { onKept(false); return; }
  const clean = (list) => list.map((u) => String(u).split("#")[0]);
  const page = location.origin + location.pathname;
  const used = performance.getEntriesByType("resource").map((e) => e.name)
    .filter((u) => u.startsWith(location.origin + "/"));
  const graph = modules[entry] || [];
  const message = { type: "cache-urls", page, urls: clean([page, ...graph, ...files]),
    optional: clean([...extra, ...used]) };
  let asked = 0;
  const check = () => {
    const round = ++asked;
    ask(sw, message).then((kept) => { if (round === asked) onKept(kept); });
  };
  sw.addEventListener("controllerchange", check); // a new deployment's worker took over
  check();
}

// Keep some more pages for offline use, when they can be (the pages a result links to, the page
// the visit started from): the service worker in charge stores them in this deployment's cache.
// At most MAX_PAGES a page asks for, so that what the device keeps stays small beside Pyodide's files.
export const MAX_PAGES = 40;
export function keepPages(urls) {
  const controller = "serviceWorker" in navigator ? navigator.serviceWorker.controller : null;
  const pages = [...new Set(urls.map((u) => String(u).split("#")[0]))]
    .filter((u) => u.startsWith(location.origin + "/")).slice(0, MAX_PAGES);
  if (!controller || !pages.length) return;
  controller.postMessage({ type: "cache-urls", page: null, urls: [], optional: pages });
}

// Ask the worker that will answer the next offline visit: when a new one is installing, it keeps
// what the previous one kept before it takes over, so wait until it is in charge.
async function ask(sw, message) {
  try {
    const registration = await sw.ready;
    for (let tries = 0; tries < 5; tries += 1) {
      const pending = registration.installing || registration.waiting;
      if (pending) await settled(pending);
      const target = registration.active;
      if (!target) return false;
      const kept = await new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(Boolean(event.data && event.data.type === "cached" && !event.data.failed));
        target.postMessage(message, [channel.port2]);
      });
      if (!registration.installing && !registration.waiting && registration.active === target) return kept;
    }
  } catch { /* no service worker: not kept */ }
  return false;
}

function settled(worker) {
  return new Promise((resolve) => {
    const done = () => { if (worker.state === "activated" || worker.state === "redundant") resolve(); };
    worker.addEventListener("statechange", done);
    done();
  });
}
