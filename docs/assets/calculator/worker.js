// Module worker that owns Pyodide and the calculator package. The page never blocks on Python.
// Messages out: {type: "phase", phase}, {type: "ready", version, files}, {type: "failed", stage, detail},
//               {type: "result", id, json | error}, {type: "results", id, list}.
// Messages in:  {type: "evaluate", id, request} (request: a JSON string, see calculator/README.md),
//               {type: "evaluate-batch", id, requests: [JSON string, ...]} (used by the parity test).
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

async function start() {
  self.postMessage({ type: "phase", phase: "downloading" });
  // Python starts at once; the manifest (this deployment's wheel and rules) is fetched meanwhile.
  const python = import(new URL("pyodide.mjs", PYODIDE).href)
    .catch((err) => { throw new StageError("python", `pyodide.mjs: ${err && err.message ? err.message : err}`); })
    .then(({ loadPyodide }) => {
      self.postMessage({ type: "phase", phase: "starting" });
      return Promise.race([loadPyodide({ indexURL: PYODIDE.href, stdout: () => {}, stderr: () => {} }), loadFailure]);
    })
    .catch((err) => {
      throw err instanceof StageError ? err : new StageError("python", String(err && err.message ? err.message : err).slice(0, 200));
    });
  python.catch(() => {});
  // Always ask the server for the manifest first (the service worker answers when offline).
  const manifestUrl = new URL("manifest.json", HERE);
  const manifest = await (await fetchOk(manifestUrl, "manifest", { cache: "no-cache" })).json()
    .catch((err) => { throw err instanceof StageError ? err : new StageError("manifest", String(err)); });
  const wheelUrl = new URL(manifest.wheel, HERE);
  const rulesUrl = new URL(manifest.rules, HERE);
  const wheel = fetchOk(wheelUrl, "wheel").then((r) => r.arrayBuffer());
  const rules = fetchOk(rulesUrl, "rules").then((r) => r.text());
  wheel.catch(() => {});
  rules.catch(() => {});
  const pyodide = await python;
  try {
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
    new URL("worker.js", HERE).href, manifestUrl.href, wheelUrl.href, rulesUrl.href,
    ...PYODIDE_FILES.map((name) => new URL(name, PYODIDE).href),
  ];
  resolveReady();
  self.postMessage({ type: "ready", version, files });
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
