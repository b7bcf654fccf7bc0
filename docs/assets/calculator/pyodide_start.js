// Starts Pyodide for the calculator worker (worker.js). The one module that uses what Pyodide does
// not promise, each behind the pinned version and each with an ordinary start as its fallback:
// - memory snapshots (_makeSnapshot, makeMemorySnapshot, _loadSnapshot): a snapshot of Python with
//   the calculator imported, made here after a first ordinary start and restored on later visits;
//   used only when the loader's version is the one the build pinned (manifest.json's "pyodide"), as
//   a snapshot must be restored by the exact build and standard library that made it;
// - a watch over Pyodide's own downloads and WebAssembly compile (wrappers around this worker's
//   fetch and WebAssembly functions that only observe): a missing or corrupt file makes Pyodide
//   wait forever instead of failing, and Pyodide has no option to report it;
// - an early start of the WebAssembly (prepare(), as soon as the worker runs): it is downloaded and
//   compiled while the worker waits for the manifest, the loader and the snapshot, and Pyodide's
//   own download of it gets a stand-in and its instantiateStreaming the compiled module; if that
//   compile fails, Pyodide's instantiateStreaming downloads and compiles the file itself.
// Everything else is public API: loadPyodide({indexURL, stdLibURL, lockFileContents, packageBaseUrl,
// stdout, stderr}).

export class StageError extends Error {
  constructor(stage, detail) { super(`${stage}: ${detail}`); this.stage = stage; this.detail = detail; }
}

const text = (err) => String(err && err.message ? err.message : err);

// watch(urls)(restoring) gives a promise that rejects when, during this start, one of Pyodide's
// files fails to arrive (StageError "python") or its WebAssembly fails to compile or start (the
// same, or a plain Error while restoring a snapshot, which may be what made it fail).
let reportFailure = () => {};
let watched = null;
function watch(urls) {
  watched = urls;
  return (restoring) => {
    const failure = new Promise((_, reject) => {
      reportFailure = (err, wasm) => reject(wasm && restoring ? new Error(err.detail) : err);
    });
    failure.catch(() => {});
    return failure;
  };
}
let early = null; // {url, module: a promise of the compiled WebAssembly.Module}, until Pyodide takes it
const standIns = new WeakSet();
let wrapped = false;
let unwrapped = null; // {fetch, compileStreaming}: the worker's own, once wrapped
function wrapGlobals() {
  if (wrapped) return;
  wrapped = true;
  const report = (err, wasm) => reportFailure(err, wasm);
  try {
    const realFetch = self.fetch.bind(self);
    const realCompileStreaming = WebAssembly.compileStreaming;
    self.fetch = async (input, init) => {
      const url = String(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
      if (early && url === early.url) {
        const standIn = new Response(null);
        standIns.add(standIn);
        return standIn;
      }
      const ours = (watched || []).some((prefix) => url.startsWith(prefix));
      try {
        const response = await realFetch(input, init);
        if (ours && !response.ok) report(new StageError("python", `${new URL(url).pathname}: HTTP ${response.status}`));
        return response;
      } catch (err) {
        if (ours) report(new StageError("python", `${new URL(url).pathname}: ${text(err)}`));
        throw err;
      }
    };
    for (const name of ["instantiate", "instantiateStreaming", "compile", "compileStreaming"]) {
      const real = WebAssembly[name];
      if (typeof real !== "function") continue;
      WebAssembly[name] = function (...args) {
        const result = name === "instantiateStreaming" && early ? fromEarly(early, real, ...args) : real.apply(this, args);
        if (result && typeof result.then === "function") {
          result.catch((err) => {
            // a wrong MIME type on a streaming compile is retried from a buffer: not a failure yet
            if (name.endsWith("Streaming") && /MIME/i.test(text(err))) return;
            report(new StageError("python", `pyodide.asm.wasm: ${text(err)}`), true);
          });
        }
        return result;
      };
    }
    unwrapped = { fetch: realFetch, compileStreaming: realCompileStreaming };
  } catch {
    // a worker whose globals cannot be wrapped: Pyodide starts all the same, unwatched
  }
}

// Pyodide's instantiateStreaming(fetch(wasm), imports) when prepare() has compiled the file already.
function fromEarly(taken, instantiateStreaming, source, imports) {
  early = null;
  return Promise.resolve(source).then((response) => {
    if (!standIns.has(response)) return instantiateStreaming.call(WebAssembly, response, imports);
    return taken.module.then(
      (module) => WebAssembly.instantiate(module, imports).then((instance) => ({ module, instance })),
      () => instantiateStreaming.call(WebAssembly, self.fetch(taken.url), imports));
  });
}

/** Starts downloading and compiling Pyodide's WebAssembly from indexURL; startPyodide uses it. */
export function prepare(indexURL) {
  wrapGlobals();
  try {
    if (!unwrapped || typeof unwrapped.compileStreaming !== "function") return;
    const url = new URL("pyodide.asm.wasm", indexURL).href;
    // unwatched: a failure here is no failure yet, Pyodide's own download follows
    const module = unwrapped.compileStreaming.call(WebAssembly, unwrapped.fetch(url));
    module.catch(() => {});
    early = { url, module };
  } catch {
    early = null;
  }
}

/**
 * loader: the import() of pyodide.mjs. lock: the lock file's contents (manifest.json has them), or
 * null to fetch pyodide-lock.json. snapshot: a promise of null (none) or {bytes}, bytes a promise
 * of a snapshot's memory, handed to Pyodide unresolved so that its own start overlaps the reading.
 * Returns {pyodide, restored, makeSnapshot}: makeSnapshot() gives the bytes of a snapshot of the
 * interpreter as it is now, or null where snapshots are not available.
 */
export async function startPyodide({ loader, indexURL, stdLibURL, lock, pinnedVersion, snapshot }) {
  let module;
  try {
    module = await loader;
  } catch (err) {
    throw new StageError("python", `pyodide.mjs: ${text(err)}`);
  }
  const { loadPyodide, version } = module;
  wrapGlobals();
  const failure = watch([indexURL, stdLibURL]);
  const options = { indexURL, stdLibURL, stdout: () => {}, stderr: () => {} };
  if (lock) Object.assign(options, { lockFileContents: lock, packageBaseUrl: indexURL });
  const load = (extra) => Promise.race([loadPyodide({ ...options, ...extra }), failure(Boolean(extra._loadSnapshot))]);
  const pinned = Boolean(pinnedVersion) && version === pinnedVersion;
  let unusable = false;

  let found = null;
  if (pinned && snapshot) {
    try { found = await snapshot; } catch { found = null; }
  }
  if (found) {
    try {
      const pyodide = await load({ _loadSnapshot: found.bytes });
      // a snapshot repeats the random state it was made with
      pyodide.runPython("import sys\nif 'random' in sys.modules: sys.modules['random'].seed()");
      return { pyodide, restored: true, unusable, makeSnapshot: () => null };
    } catch (err) {
      if (err instanceof StageError) throw err; // Pyodide's own files failed: no second try helps
      unusable = true; // start the ordinary way below
    }
  }
  if (pinned) {
    try {
      const pyodide = await load({ _makeSnapshot: true });
      const makeSnapshot = () => {
        try { return pyodide.makeMemorySnapshot(); } catch { return null; }
      };
      return { pyodide, restored: false, unusable, makeSnapshot };
    } catch (err) {
      if (err instanceof StageError) throw err;
      // start the ordinary way
    }
  }
  return { pyodide: await load({}), restored: false, unusable, makeSnapshot: () => null };
}
