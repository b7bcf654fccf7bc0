// Module worker that owns Pyodide and the calculator package. The page never blocks on Python.
// Messages out: {type: "phase", phase}, {type: "ready", version, files}, {type: "failed", stage, detail},
//               {type: "result", id, json | error}, {type: "results", id, list},
//               {type: "list-progress", id, done, total}, {type: "list-result", id, json | error}.
// Messages in:  {type: "evaluate", id, request} (request: a JSON string, see calculator/README.md),
//               {type: "evaluate-batch", id, requests: [JSON string, ...]} (used by the parity test),
//               {type: "check-list", id, data: ArrayBuffer, request: JSON string} (lists.js).
// Everything is fetched from this site: Pyodide from ../pyodide/, the rest from this folder.

const HERE = new URL("./", import.meta.url);
const PYODIDE = new URL("../pyodide/", import.meta.url);
const PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"];

let calculator = null;
let resolveReady;
let rejectReady;
const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
ready.catch(() => {});

class StageError extends Error {
  constructor(stage, detail) { super(`${stage}: ${detail}`); this.stage = stage; this.detail = detail; }
}

// Pyodide does not always reject when its own files fail (a missing or corrupt .wasm makes
// Emscripten abort and wait forever): watch its fetches and WebAssembly compiles, and fail fast.
let reportLoadFailure = () => {};
const loadFailure = new Promise((resolve, reject) => { reportLoadFailure = reject; });
loadFailure.catch(() => {});
const realFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (url === WASM && compiledWasm) return wasmStandIn(); // Pyodide's own request, see compileWasm
  const ours = String(url).startsWith(PYODIDE.href);
  try {
    const response = await realFetch(input, init);
    if (ours && !response.ok) reportLoadFailure(new StageError("python", `${new URL(url).pathname}: HTTP ${response.status}`));
    return response;
  } catch (err) {
    if (ours) reportLoadFailure(new StageError("python", `${new URL(url).pathname}: ${err && err.message ? err.message : err}`));
    throw err;
  }
};
for (const name of ["instantiate", "instantiateStreaming", "compile", "compileStreaming"]) {
  const real = WebAssembly[name];
  if (typeof real !== "function") continue;
  WebAssembly[name] = function (...args) {
    const result = real.apply(this, args);
    if (result && typeof result.then === "function") {
      result.catch((err) => {
        const text = String(err && err.message ? err.message : err);
        // a wrong MIME type on a streaming compile is retried from a buffer: not a failure yet
        if (name.endsWith("Streaming") && /MIME/i.test(text)) return;
        reportLoadFailure(new StageError("python", `pyodide.asm.wasm: ${text}`));
      });
    }
    return result;
  };
}

// Pyodide compiles its WebAssembly only once the memory snapshot has arrived. Compile it at once
// instead, while the snapshot downloads, and hand Pyodide the compiled module when it asks for it:
// its own request for the file gets a stand-in, which its instantiateStreaming call recognises.
const WASM = new URL("pyodide.asm.wasm", PYODIDE).href;
let compiledWasm = null;
const standIns = new WeakSet();
function wasmStandIn() {
  const response = new Response(null, { headers: { "Content-Type": "application/wasm" } });
  standIns.add(response);
  return response;
}
function compileWasm() {
  const download = self.fetch(WASM); // the real request: compiledWasm is not set yet
  compiledWasm = download.then(async (response) => {
    if (!response.ok) throw new StageError("python", `pyodide.asm.wasm: HTTP ${response.status}`);
    const streaming = typeof WebAssembly.compileStreaming === "function";
    return streaming && /^application\/wasm/i.test(response.headers.get("Content-Type") || "")
      ? WebAssembly.compileStreaming(response)
      : WebAssembly.compile(await response.arrayBuffer());
  });
  compiledWasm.catch(() => {}); // reported by the fetch and compile watchers above
}
const instantiateStreaming = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async function (source, imports) {
  const response = await source;
  if (!standIns.has(response)) return instantiateStreaming.call(this, response, imports);
  const module = await compiledWasm;
  return { module, instance: await WebAssembly.instantiate(module, imports) };
};

async function fetchOk(url, stage, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new StageError(stage, `${url.pathname}: ${err && err.message ? err.message : err}`);
  }
  if (!response.ok) throw new StageError(stage, `${url.pathname}: HTTP ${response.status}`);
  return response;
}

// The manifest (this deployment's files) and the memory snapshot made at build time come from
// snapshot.js, on a thread of its own, while this one prepares Pyodide's WebAssembly. Where that
// thread cannot start, the manifest is fetched here and Python starts without a snapshot.
const SNAPSHOT_CACHE = "calculator-snapshot"; // where snapshot.js keeps the unpacked copy (its CACHE)
const MANIFEST = new URL("manifest.json", HERE);
let snapshotUrl = null; // for the service worker's list of files to keep

function fetchManifest() {
  return fetchOk(MANIFEST, "manifest", { cache: "no-cache" }).then((r) => r.json())
    .catch((err) => { throw err instanceof StageError ? err : new StageError("manifest", String(err)); });
}

function startHelper() {
  let helper;
  try {
    helper = new Worker(new URL("snapshot.js", import.meta.url));
  } catch {
    return { manifest: fetchManifest(), snapshot: null };
  }
  const settle = {};
  const manifest = new Promise((resolve, reject) => { settle.manifest = { resolve, reject }; });
  const snapshot = new Promise((resolve, reject) => { settle.snapshot = { resolve, reject }; });
  manifest.catch(() => {});
  snapshot.catch(() => {});
  helper.onmessage = ({ data }) => {
    if (data.manifest) settle.manifest.resolve(data.manifest);
    else if (data.stage === "manifest") settle.manifest.reject(new StageError("manifest", `${MANIFEST.pathname}: ${data.error}`));
    else if (data.bytes) { snapshotUrl = data.url; settle.snapshot.resolve(new Uint8Array(data.bytes)); }
    else if (data.none) settle.snapshot.resolve(null);
    else settle.snapshot.reject(new StageError("snapshot", data.error));
  };
  helper.onerror = (event) => {
    // the helper could not run: the manifest from here, Python without a snapshot (a promise
    // already settled stays as it is)
    event.preventDefault();
    settle.manifest.resolve(fetchManifest());
    settle.snapshot.resolve(null);
  };
  helper.postMessage({ manifest: MANIFEST.href });
  return { manifest, snapshot };
}

async function startPython(loadPyodide, snapshot) {
  const options = { indexURL: PYODIDE.href, stdout: () => {}, stderr: () => {} };
  if (snapshot) {
    // loadPyodide starts at once and waits for the snapshot only when it needs it
    const bytes = snapshot.then((b) => b || Promise.reject(new StageError("snapshot", "none")));
    bytes.catch(() => {}); // handled below, once loadPyodide gets to it
    try {
      // Restoring the snapshot skips Python's start-up and the calculator's import
      return await Promise.race([loadPyodide({ ...options, _loadSnapshot: bytes }), loadFailure]);
    } catch (err) {
      if (err instanceof StageError && err.stage === "python") throw err; // Pyodide's own files failed
      caches.delete(SNAPSHOT_CACHE).catch(() => {}); // not this unusable snapshot again
      // start Python the ordinary way
    }
  }
  return Promise.race([loadPyodide(options), loadFailure]);
}

async function start() {
  self.postMessage({ type: "phase", phase: "downloading" });
  const helper = startHelper();
  compileWasm();
  // Pyodide's loader is fetched while the manifest is.
  const loader = import(new URL("pyodide.mjs", PYODIDE).href)
    .catch((err) => { throw new StageError("python", `pyodide.mjs: ${err && err.message ? err.message : err}`); });
  loader.catch(() => {});
  const manifest = await helper.manifest;
  const wheelUrl = new URL(manifest.wheel, HERE);
  const rulesUrl = new URL(manifest.rules, HERE);
  const python = loader
    .then(({ loadPyodide }) => {
      self.postMessage({ type: "phase", phase: "starting" });
      return startPython(loadPyodide, helper.snapshot);
    })
    .catch((err) => {
      throw err instanceof StageError ? err : new StageError("python", String(err && err.message ? err.message : err).slice(0, 200));
    });
  python.catch(() => {});
  const wheel = fetchOk(wheelUrl, "wheel").then((r) => r.arrayBuffer());
  const rules = fetchOk(rulesUrl, "rules").then((r) => r.text());
  wheel.catch(() => {});
  rules.catch(() => {});
  const pyodide = await python;
  try {
    // also after a snapshot restore, which holds the calculator's modules but not its files
    pyodide.unpackArchive(await wheel, "wheel");
    calculator = pyodide.pyimport("subsidy_calculator.browser");
  } catch (err) {
    throw err instanceof StageError ? err : new StageError("wheel", String(err && err.message ? err.message : err).slice(-200));
  }
  self.postMessage({ type: "phase", phase: "rules" });
  let version;
  try {
    version = String(calculator.load_rules(await rules));
  } catch (err) {
    throw err instanceof StageError ? err : new StageError("rules", String(err && err.message ? err.message : err).slice(-200));
  }
  const files = [
    new URL("worker.js", HERE).href, new URL("snapshot.js", HERE).href, MANIFEST.href, wheelUrl.href, rulesUrl.href,
    ...(snapshotUrl ? [snapshotUrl] : []),
    ...PYODIDE_FILES.map((name) => new URL(name, PYODIDE).href),
  ];
  resolveReady();
  self.postMessage({ type: "ready", version, files });
  warmUp(Array.from(calculator.warm_up_requests().toJs()));
}

// While the visitor reads the form: evaluate sample requests, one per task so that a real request
// waits for one evaluation at most, until the browser has optimised the code they run.
const WARM_UP = { evaluations: 1000, ms: 1500 };
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

function evaluate(request) {
  return String(calculator.evaluate_json(request));
}

self.addEventListener("message", async (event) => {
  const message = event.data || {};
  try {
    await ready;
  } catch {
    return; // the page already knows, from the "failed" message
  }
  if (message.type === "evaluate") {
    try {
      self.postMessage({ type: "result", id: message.id, json: evaluate(message.request) });
    } catch (err) {
      self.postMessage({ type: "result", id: message.id, error: String(err && err.message ? err.message : err).slice(-500) });
    }
  } else if (message.type === "check-list") {
    // a whole list (lists.js): the file's bytes are checked here and never leave this worker
    const progress = (done, total) => self.postMessage({ type: "list-progress", id: message.id, done, total });
    let json = null;
    let error = null;
    try { json = String(calculator.check_list(new Uint8Array(message.data), message.request, progress)); } catch (err) { error = String(err && err.message ? err.message : err).slice(-500); }
    self.postMessage({ type: "list-result", id: message.id, json, error });
  } else if (message.type === "evaluate-batch" && Array.isArray(message.requests)) {
    const list = message.requests.map((request) => {
      try { return { json: evaluate(String(request)) }; } catch (err) { return { error: String(err).slice(-500) }; }
    });
    self.postMessage({ type: "results", id: message.id, list });
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
