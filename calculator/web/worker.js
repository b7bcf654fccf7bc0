// Module worker that owns Pyodide and the calculator package. The page never blocks on Python.
// Messages out: {type: "phase", phase}, {type: "ready", version, files, modules: {entry: [URL, ...]},
//               start: "snapshot" | "ordinary"},
//               {type: "failed", stage, detail}, {type: "result", id, json | error},
//               {type: "results", id, list}, {type: "snapshot", state: "kept" | "none"} (a snapshot
//               kept for the next visit, or none: restored from one, not available, or not kept),
//               {type: "list-progress", id, done, total}, {type: "list-result", id, json | error}.
// Messages in:  {type: "evaluate", id, request} (request: a JSON string, see calculator/README.md),
//               {type: "evaluate-batch", id, requests: [JSON string, ...]} (used by the parity test),
//               {type: "check-list", id, data: ArrayBuffer, request: JSON string} (lists.js).
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

async function start() {
  self.postMessage({ type: "phase", phase: "downloading" });
  for (const name of ["pyodide.mjs", "pyodide.asm.mjs"]) import(new URL(name, HEAD_START).href).catch(() => {});
  const manifest = await fetchOk(MANIFEST, "manifest").then((r) => r.json())
    .catch((err) => { throw err instanceof StageError ? err : new StageError("manifest", message(err)); });
  const named = (name) => new URL(name, MANIFEST);
  const indexURL = named(manifest.pyodide_index).href;
  const loader = import(new URL("pyodide.mjs", indexURL).href);
  loader.catch(() => {});
  const kept = keptSnapshot(manifest.snapshot_cache); // read while the rest loads: there is only one
  const wheelUrl = named(manifest.wheel);
  const rulesUrl = named(manifest.rules);
  const stdlibUrl = named(manifest.stdlib);
  const wheel = fetchOk(wheelUrl, "wheel").then((r) => r.arrayBuffer());
  const rules = fetchOk(rulesUrl, "rules").then((r) => r.text());
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

self.addEventListener("message", async (event) => {
  const data = event.data || {};
  try {
    await ready;
  } catch {
    return; // the page already knows, from the "failed" message
  }
  if (data.type === "evaluate") {
    try {
      self.postMessage({ type: "result", id: data.id, json: evaluate(data.request) });
    } catch (err) {
      self.postMessage({ type: "result", id: data.id, error: message(err).slice(-500) });
    }
  } else if (data.type === "check-list") {
    // a whole list (lists.js): the file's bytes are checked here and never leave this worker
    const progress = (done, total) => self.postMessage({ type: "list-progress", id: data.id, done, total });
    let json = null;
    let error = null;
    try { json = String(calculator.check_list(new Uint8Array(data.data), data.request, progress)); } catch (err) { error = message(err).slice(-500); }
    self.postMessage({ type: "list-result", id: data.id, json, error });
  } else if (data.type === "evaluate-batch" && Array.isArray(data.requests)) {
    const list = data.requests.map((request) => {
      try { return { json: evaluate(String(request)) }; } catch (err) { return { error: String(err).slice(-500) }; }
    });
    self.postMessage({ type: "results", id: data.id, list });
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
