// Module worker that owns Pyodide and the calculator package. The page never blocks on Python.
// Its messages are those of worker_client.js (the pages' one client), which lists them. The calls:
//   {type: "evaluate", id, request}: the answer's value is the result as JSON (request: a JSON
//     string, see calculator/README.md);
//   {type: "evaluate-batch", id, requests: [JSON string, ...]}: [{json} | {error}, ...] (the parity test);
//   {type: "check-list", id, data: ArrayBuffer, request: JSON string}: the checked list as JSON
//     (lists.js), with {type: "progress", id, done, total} as the rows are checked.
// Everything is fetched from this site. The worker knows one name, manifest.json (written by
// scripts/bundle/calculator_assets.py beside this file, in the folder named by the content of both:
// a page, its worker and the rules always come from one deployment); every other file it loads or asks to keep
// (Pyodide's, the wheel, rules, standard library, the modules of the worker and the pages) and the
// snapshot's cache are named in it, relative to it.
import { StageError, startPyodide } from "./pyodide_start.js";
import { keepSnapshot, keptSnapshot } from "./snapshot.js";

const MANIFEST = new URL("manifest.json", import.meta.url);
// A head start (ARCHITECTURE.md, D5): Pyodide's loader and the module it imports next, JavaScript
// the browser must also compile, are fetched while the manifest is, from where the build puts Pyodide. The manifest's
// "pyodide_index" decides; when it names this folder, the loader's import below is the one already
// under way (a URL is imported once), else this one was only a wasted request. This module is in the
// deployment's folder, assets/calculator/v-<hash>/, beside its manifest.
const HEAD_START = new URL("../../pyodide/", import.meta.url);

let calculator = null;
let resolveReady;
let rejectReady;
const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
ready.catch(() => {});

const message = (err) => String(err && err.message ? err.message : err);

/** @param {URL} url @param {string} stage @param {RequestInit} [init] */
async function fetchOk(url, stage, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new StageError(stage, `${url.pathname}: ${message(err)}`);
  }
  if (!response.ok) throw new StageError(stage, `${url.pathname}: HTTP ${response.status}`);
  return response;
}

// The page's progress bar moves with the bytes received of what a first start downloads
// (manifest.json's "sizes"): the files read here are counted as they arrive, Pyodide's own as
// each one arrives whole (the browser's Resource Timing, which only observes); the page counts
// its head start of the WebAssembly itself (boot.js).
/** @param {string} url @param {number} loaded */
const reportBytes = (url, loaded) => self.postMessage({ type: "bytes", url, loaded });

/** The body of `response` (from `url`), its bytes counted as they arrive.
 * @param {Response} response @param {URL} url @returns {Promise<Uint8Array>} */
async function readCounted(response, url) {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    reportBytes(url.href, loaded);
  }
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) { out.set(chunk, at); at += chunk.byteLength; }
  return out;
}

/** Each file of `sizes` ({url: bytes}) counted whole once the browser has it (from the network or
 * a cache). @param {Record<string, number>} sizes */
function countArrivals(sizes) {
  const wanted = new Set(Object.keys(sizes));
  /** @param {PerformanceEntryList} entries */
  const seen = (entries) => {
    for (const entry of entries) {
      const status = /** @type {PerformanceResourceTiming} */ (entry).responseStatus;
      if (!wanted.has(entry.name) || (typeof status === "number" && (status < 200 || status >= 400))) continue;
      wanted.delete(entry.name);
      reportBytes(entry.name, sizes[entry.name]);
    }
  };
  try {
    const observer = new PerformanceObserver((list) => {
      seen(list.getEntries());
      if (!wanted.size) observer.disconnect();
    });
    observer.observe({ type: "resource", buffered: true });
  } catch {
    // no Resource Timing here: the bar moves with the phases only
  }
}

async function start() {
  self.postMessage({ type: "phase", phase: "downloading" });
  for (const name of ["pyodide.mjs", "pyodide.asm.mjs"]) import(new URL(name, HEAD_START).href).catch(() => {});
  const manifest = await fetchOk(MANIFEST, "manifest").then((r) => r.json())
    .catch((err) => { throw err instanceof StageError ? err : new StageError("manifest", message(err)); });
  /** @param {string} name */
  const named = (name) => new URL(name, MANIFEST);
  const sizes = Object.fromEntries(Object.entries(manifest.sizes || {}).map(([name, size]) => [named(name).href, size]));
  self.postMessage({ type: "sizes", sizes });
  countArrivals(sizes);
  const indexURL = named(manifest.pyodide_index).href;
  const loader = import(new URL("pyodide.mjs", indexURL).href);
  loader.catch(() => {});
  const kept = keptSnapshot(manifest.snapshot_cache); // read while the rest loads: there is only one
  const wheelUrl = named(manifest.wheel);
  const rulesUrl = named(manifest.rules);
  const stdlibUrl = named(manifest.stdlib);
  const wheel = fetchOk(wheelUrl, "wheel").then((r) => readCounted(r, wheelUrl));
  const rules = fetchOk(rulesUrl, "rules").then((r) => readCounted(r, rulesUrl)).then((b) => new TextDecoder().decode(b));
  wheel.catch(() => {});
  rules.catch(() => {});
  // a snapshot belongs to exactly this Pyodide, standard library, wheel and rules
  const snapshotKey = named(`snapshot?${new URLSearchParams({
    pyodide: manifest.pyodide, stdlib: manifest.stdlib, wheel: manifest.wheel, rules: manifest.rules,
  })}`).href;
  const snapshot = kept.then((found) => (found && found.key === snapshotKey ? found : null));

  loader.then(() => self.postMessage({ type: "phase", phase: "starting" }), () => {});
  const started = await startPyodide({
    loader, indexURL, stdLibURL: stdlibUrl.href, lock: manifest.pyodide_lock, pinnedVersion: manifest.pyodide, snapshot,
  }).catch((err) => {
    throw err instanceof StageError ? err : new StageError("python", message(err).slice(0, 200));
  });
  const pyodide = started.pyodide;
  try {
    // also after a snapshot restore, which holds the calculator's modules but not its files
    pyodide.unpackArchive(await wheel, "wheel");
    calculator = pyodide.pyimport("subsidy_calculator.browser");
  } catch (err) {
    throw err instanceof StageError ? err : new StageError("wheel", message(err).slice(-200));
  }
  let version = started.restored ? String(calculator.rules_version() || "") : "";
  if (!version) { // a restored snapshot holds the rules it was made with
    self.postMessage({ type: "phase", phase: "rules" });
    try {
      version = String(calculator.load_rules(await rules));
    } catch (err) {
      throw err instanceof StageError ? err : new StageError("rules", message(err).slice(-200));
    }
  }
  // what the page asks the service worker to keep: this worker's files, and each page's modules
  const files = [MANIFEST.href, wheelUrl.href, rulesUrl.href, stdlibUrl.href,
    ...manifest.modules["worker.js"].map((name) => named(name).href),
    ...manifest.pyodide_files.map((name) => named(name).href)];
  const modules = Object.fromEntries(Object.entries(manifest.modules)
    .map(([entry, names]) => [entry, names.map((name) => named(name).href)]));
  resolveReady();
  self.postMessage({ type: "ready", version, files, modules, start: started.restored ? "snapshot" : "ordinary" });
  // Python as it is now, calculator imported and rules loaded, for the next visit
  const memory = started.makeSnapshot();
  const keeping = memory ? keepSnapshot(manifest.snapshot_cache, snapshotKey, memory) : Promise.resolve(false);
  keeping.then((done) => self.postMessage({ type: "snapshot", state: done ? "kept" : "none" }));
  warmUp(Array.from(calculator.warm_up_requests().toJs()));
}

// While the visitor reads the form: evaluate sample requests, one per task so that a real request
// waits for one evaluation at most, until the browser has optimised the code they run, so that the
// first answers are as quick as the later ones. The count and the time limit bound the CPU this
// costs after every start (ARCHITECTURE.md, D11).
const WARM_UP = { evaluations: 600, ms: 1500 };
function warmUp(requests) {
  if (!requests.length) return;
  const channel = new MessageChannel();
  const until = performance.now() + WARM_UP.ms;
  let done = 0;
  channel.port1.onmessage = () => {
    try { evaluate(requests[done % requests.length]); } catch { done = WARM_UP.evaluations; }
    done += 1;
    if (done < WARM_UP.evaluations && performance.now() < until) channel.port2.postMessage(0);
    else channel.port1.close();
  };
  channel.port2.postMessage(0);
}

// The result as UTF-8 bytes, decoded here: Pyodide copies bytes into JavaScript at once, while a
// Python str of Chinese text is converted character by character (ARCHITECTURE.md, D9).
const utf8 = new TextDecoder();
function evaluate(request) {
  const bytes = calculator.evaluate_utf8(request);
  try {
    const view = bytes.getBuffer("u8");
    try { return utf8.decode(view.data); } finally { view.release(); }
  } finally {
    bytes.destroy();
  }
}

// The calls (see the top of this file): each is answered by {type: "answer", id, value | error}.
/** @type {Record<string, (data: any) => unknown>} */
const CALLS = {
  evaluate: (data) => evaluate(data.request),
  "evaluate-batch": (data) => (Array.isArray(data.requests) ? data.requests : []).map((/** @type {unknown} */ request) => {
    try { return { json: evaluate(String(request)) }; } catch (err) { return { error: String(err).slice(-500) }; }
  }),
  // a whole list (lists.js): the file's bytes are checked here and never leave this worker
  "check-list": (data) => String(calculator.check_list(new Uint8Array(data.data), data.request,
    (/** @type {number} */ done, /** @type {number} */ total) => self.postMessage({ type: "progress", id: data.id, done, total }))),
};

self.addEventListener("message", async (event) => {
  const data = event.data || {};
  try {
    await ready;
  } catch {
    return; // the page already knows, from the "failed" message
  }
  const call = Object.hasOwn(CALLS, data.type) ? CALLS[data.type] : null;
  try {
    if (!call) throw new Error(`no call ${String(data.type).slice(0, 40)}`);
    self.postMessage({ type: "answer", id: data.id, value: call(data) });
  } catch (err) {
    self.postMessage({ type: "answer", id: data.id, error: message(err).slice(-500) });
  }
});

start().catch((err) => {
  rejectReady(err);
  self.postMessage({
    type: "failed",
    stage: err instanceof StageError ? err.stage : "python",
    detail: String(err instanceof StageError ? err.detail : (err && err.message) || err).slice(0, 300),
  });
});
