// The site's service worker, written to site/sw.js by scripts/bundle/calculator_assets.py, which fills
// in the names below (cache names and prefixes, Pyodide's path, and what an offline visit of this
// deployment needs). One deployment at a time:
// - every script, style and calculator file a page loads has a name that changes with its content
//   (a hash in the name or folder), so a page's HTML decides which deployment its code, worker and
//   rules come from; this worker answers only from its own caches;
// - pages: network first, this deployment's cached copy when the network fails (offline);
// - every other file of the site: from the cache when present, else from the network, then kept;
// - nothing is fetched at a first install: guide pages never download Pyodide. The calculator and
//   list pages ask (message "cache-urls") to keep what an offline visit of them needs;
// - a new deployment's worker installs only once it has kept, in caches of its own, everything the
//   pages the previous one kept need (their new HTML, scripts, styles, and the calculator's files
//   when it was kept); until then the previous worker and its caches stay as they were. Only then
//   does it take over and delete the previous caches.
const SITE_CACHE = "__SITE_CACHE__";
const PYODIDE_CACHE = "__PYODIDE_CACHE__";
const OURS = "__CACHE_PREFIXES__".split(" "); // other deployments' caches start so, too
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self)); // for the type check
const ROOT = new URL("./", sw.location.href).href;
const PYODIDE_PREFIX = ROOT + "__PYODIDE_PATH__";
const ASSETS_PREFIX = ROOT + "assets/";
// site paths: the scripts, styles and icon of every page; the files the calculator's worker loads
// (Pyodide's, the wheel, rules, standard library, the modules and their manifest); the pages that
// run the calculator
const SHELL = __SHELL__.map((path) => ROOT + path);
const CALCULATOR = __CALCULATOR__.map((path) => ROOT + path);
const CALCULATOR_PAGES = new Set(__CALCULATOR_PAGES__.map((path) => ROOT + path));

const isOurs = (name) => OURS.some((prefix) => name.startsWith(prefix));
const isPageUrl = (url) => { const path = new URL(url).pathname; return path.endsWith("/") || path.endsWith(".html"); };
const pageKey = (url) => { const u = new URL(url); u.search = ""; u.hash = ""; return u.href.replace(/index\.html$/, ""); };
const cacheFor = (url) => (url.startsWith(PYODIDE_PREFIX) ? PYODIDE_CACHE : SITE_CACHE);

// What an offline visit of `page` needs from this deployment.
function needs(page) {
  const key = pageKey(page);
  return [key, ...SHELL, ...(CALCULATOR_PAGES.has(key) ? CALCULATOR : [])];
}

function keepable(response) {
  return response && response.ok && response.status === 200 && response.type === "basic";
}

// Only this deployment's caches: another deployment's file under the same name is not ours.
async function cached(url, isPage) {
  const cache = await caches.open(cacheFor(url));
  return cache.match(url, { ignoreSearch: Boolean(isPage) });
}

// Puts in progress, by URL: a large file (Pyodide's WebAssembly) takes a moment to store, and the
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

// Keep each URL (in this deployment's caches); resolves to [kept, failed among `required`].
async function keepAll(required, optional = []) {
  const need = [...new Set(required)];
  const extra = [...new Set(optional)].filter((u) => !need.includes(u));
  let count = 0;
  let failed = 0;
  const store = async (url, needed) => {
    try {
      await (storing.get(url) || Promise.resolve()).catch(() => {});
      if (!(await cached(url, isPageUrl(url)))) {
        const response = await fetch(url, { cache: "no-cache" });
        if (!keepable(response)) throw new Error(`${url}: HTTP ${response.status}`);
        await keep(url, response);
      }
      count += 1;
    } catch {
      if (needed) failed += 1;
    }
  };
  await Promise.all([...need.map((u) => store(u, true)), ...extra.map((u) => store(u, false))]);
  return [count, failed];
}

// Before taking over: the pages the previous deployment kept, kept again from this one, whole.
async function carryOver() {
  const previous = (await caches.keys()).filter((name) => isOurs(name) && name !== SITE_CACHE && name !== PYODIDE_CACHE);
  const pages = new Set();
  const others = new Set();
  for (const name of previous) {
    for (const request of await (await caches.open(name)).keys()) {
      if (isPageUrl(request.url)) pages.add(pageKey(request.url));
      else if (!request.url.startsWith(ASSETS_PREFIX)) others.add(request.url); // a list template
    }
  }
  if (!pages.size) return;
  const [, failed] = await keepAll([...pages].flatMap(needs), [...others]);
  if (failed) throw new Error(`${failed} files of this deployment could not be kept`); // the previous one stays
}

sw.addEventListener("install", (event) => {
  event.waitUntil(carryOver().then(() => sw.skipWaiting()));
});

sw.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (isOurs(name) && name !== SITE_CACHE && name !== PYODIDE_CACHE) await caches.delete(name);
    }
    await sw.clients.claim();
  })());
});

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (keepable(response)) keep(request, response.clone()).catch(() => {});
    return response;
  } catch (err) {
    const hit = await cached(request.url, true);
    if (hit) return hit;
    return new Response(await offlinePage(), { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
}

// The page an offline visitor gets for a page not kept: says so, and links to every page that is.
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
async function offlinePage() {
  const links = [];
  try {
    const cache = await caches.open(SITE_CACHE);
    for (const request of (await cache.keys()).filter((r) => isPageUrl(r.url)).slice(0, 200)) {
      const html = await (await cache.match(request)).text();
      const title = (/<title>([^<]*)<\/title>/.exec(html) || [])[1] || escapeHtml(new URL(request.url).pathname);
      links.push(`<li><a href="${escapeHtml(new URL(request.url).pathname)}">${title}</a></li>`);
    }
  } catch { /* no cache: no links */ }
  return "<!doctype html><html lang=zh><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
    "<title>离线 Offline</title><p>此页面尚未保存在本设备上，请连接网络后重试。</p>" +
    "<p lang=en>This page has not been saved on this device yet. Please try again when you are online.</p>" +
    (links.length ? "<p>已保存在本设备上的页面 <span lang=en>Pages kept on this device</span>：</p><ul>" +
      links.join("") + "</ul>" : "") + "</html>";
}

async function cacheFirst(request) {
  const hit = await cached(request.url, false);
  if (hit) return hit;
  const response = await fetch(request);
  keep(request, response.clone()).catch(() => {});
  return response;
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(ROOT) || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (url.href === ROOT + "sw.js") return;
  event.respondWith(request.mode === "navigate" || isPageUrl(url.href) ? networkFirst(request) : cacheFirst(request));
});

// A page asks to be kept for offline use ({page, urls, optional}): what an offline visit of it needs
// from this deployment, and `urls` (the files the page used) must all be kept; `optional` when it
// can be. Answers {type: "cached", count, failed, cache} on the port it was given: failed 0 means
// this deployment's caches hold everything the page needs offline.
sw.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache-urls" || !Array.isArray(data.urls)) return;
  const port = event.ports && event.ports[0];
  event.waitUntil((async () => {
    const clean = (list) => [...new Set((Array.isArray(list) ? list : []).slice(0, 500).map(String))]
      .map((u) => { try { const x = new URL(u, ROOT); x.hash = ""; return x.href; } catch { return null; } })
      .filter((u) => u && u.startsWith(ROOT) && u !== ROOT + "sw.js");
    const page = typeof data.page === "string" ? clean([data.page])[0] : null;
    const required = [...(page ? needs(page) : []), ...clean(data.urls)];
    const [count, failed] = await keepAll(required, clean(data.optional));
    if (port) port.postMessage({ type: "cached", count, failed, cache: SITE_CACHE });
  })());
});
