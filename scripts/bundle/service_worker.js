// The site's service worker, written to site/sw.js by scripts/bundle/calculator_assets.py, which fills
// in the names below (cache names and prefixes, the manifest's and Pyodide's paths). Strategy:
// - pages and manifest.json: network first, the cached copy when the network fails (offline);
// - every other file of the site: from the cache when present, else from the network, then kept;
// - nothing is fetched at install: guide pages never download Pyodide. The calculator page asks
//   (message "cache-urls") to keep what it used, so it works offline after a first visit.
// The cache names change with the content of what they hold, so a new deployment replaces them.
const SITE_CACHE = "__SITE_CACHE__";
const PYODIDE_CACHE = "__PYODIDE_CACHE__";
const OURS = "__CACHE_PREFIXES__".split(" "); // other deployments' caches start so, too
const ROOT = new URL("./", self.location.href).href;
const MANIFEST = ROOT + "__MANIFEST__";
const PYODIDE_PREFIX = ROOT + "__PYODIDE_PATH__";

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (OURS.some((prefix) => name.startsWith(prefix)) && name !== SITE_CACHE && name !== PYODIDE_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function cacheFor(url) {
  return url.startsWith(PYODIDE_PREFIX) ? PYODIDE_CACHE : SITE_CACHE;
}

function keepable(response) {
  return response && response.ok && response.status === 200 && response.type === "basic";
}

// Puts in progress, by URL: a large file (the Pyodide snapshot) takes a moment to store, and the
// calculator page's "cache-urls" must not download it a second time meanwhile.
const storing = new Map();

async function keep(request, response) {
  if (!keepable(response)) return;
  const url = typeof request === "string" ? request : request.url;
  const put = caches.open(cacheFor(url)).then((cache) => cache.put(request, response));
  storing.set(url, put);
  try {
    await put;
  } finally {
    if (storing.get(url) === put) storing.delete(url);
  }
}

async function networkFirst(request, isPage) {
  try {
    const response = await fetch(request);
    if (keepable(response)) keep(request, response.clone()).catch(() => {});
    return response;
  } catch (err) {
    const hit = await caches.match(request, { ignoreSearch: isPage });
    if (hit) return hit;
    if (isPage) {
      return new Response(
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
        "<title>离线 Offline</title><p>此页面尚未保存在本设备上，请连接网络后重试。</p>" +
        "<p>This page has not been saved on this device yet. Please try again when you are online.</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    }
    throw err;
  }
}

async function cacheFirst(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  keep(request, response.clone()).catch(() => {});
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(ROOT) || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (url.href === ROOT + "sw.js") return;
  const isPage = request.mode === "navigate" || url.pathname.endsWith("/") || url.pathname.endsWith(".html");
  if (isPage || url.origin + url.pathname === MANIFEST) {
    event.respondWith(networkFirst(request, isPage));
  } else {
    event.respondWith(cacheFirst(request));
  }
});

// The calculator page lists what it used (page, styles, scripts, Pyodide, wheel, rules); keep the
// missing ones. Answers with {type: "cached", count, failed} on the port it was given.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache-urls" || !Array.isArray(data.urls)) return;
  const port = event.ports && event.ports[0];
  event.waitUntil((async () => {
    let count = 0;
    let failed = 0;
    const clean = (list) => [...new Set((Array.isArray(list) ? list : []).slice(0, 500).map(String))]
      .map((u) => { try { const x = new URL(u, ROOT); x.hash = ""; return x.href; } catch { return null; } })
      .filter((u) => u && u.startsWith(ROOT) && u !== ROOT + "sw.js");
    const required = clean(data.urls);
    const optional = clean(data.optional).filter((u) => !required.includes(u));
    // `urls` must all be kept (the calculator needs them); `optional` is kept when it can be.
    const store = async (u, needed) => {
      try {
        await (storing.get(u) || Promise.resolve()).catch(() => {});
        if (await caches.match(u)) { count += 1; return; }
        const response = await fetch(u);
        if (!keepable(response)) { if (needed) failed += 1; return; }
        await keep(u, response);
        count += 1;
      } catch {
        if (needed) failed += 1;
      }
    };
    await Promise.all([...required.map((u) => store(u, true)), ...optional.map((u) => store(u, false))]);
    if (port) port.postMessage({ type: "cached", count, failed });
  })());
});
