// Starts Pyodide for the calculator worker (worker.js) with loadPyodide's public options
// ({indexURL, stdLibURL, lockFileContents, packageBaseUrl, stdout, stderr}), and patches nothing.
// It is the one module that uses what Pyodide does not promise: memory snapshots (_makeSnapshot,
// makeMemorySnapshot, _loadSnapshot), a snapshot of Python with the calculator imported, made here
// after a first ordinary start and restored on later visits; used only when the loader's version
// is the one the build pinned (manifest.json's "pyodide"), as a snapshot must be restored by the
// exact build and standard library that made it, and any error in it gives an ordinary start.
//
// Pyodide has no option that reports a file of its own that did not arrive: a missing or
// unreachable WebAssembly makes it wait forever, a missing standard library ends in "Program
// terminated". So this module reads the browser's record of the worker's downloads (Resource
// Timing, which only observes) and fails the start with the file's name and HTTP status. A
// WebAssembly that arrives whole but cannot be compiled is not seen: the page says it is slow.

export class StageError extends Error {
  constructor(stage, detail) { super(`${stage}: ${detail}`); this.stage = stage; this.detail = detail; }
}

const text = (err) => String(err && err.message ? err.message : err);

// The first of Pyodide's files (URLs under `prefixes`) that came back with an HTTP error or no
// response at all, as a StageError; null while there is none. Entries without a status (browsers
// that do not report it) count as arrived.
function failedDownload(entries, prefixes) {
  for (const entry of entries) {
    if (!prefixes.some((prefix) => entry.name.startsWith(prefix))) continue;
    const status = entry.responseStatus;
    if (typeof status !== "number" || (status > 0 && status < 400)) continue;
    const file = new URL(entry.name).pathname.split("/").pop();
    return new StageError("python", `${file}: ${status ? `HTTP ${status}` : "no response"}`);
  }
  return null;
}

// watch(prefixes): {failure: a promise that rejects with the first failed download, check(): that
// failure now or null, stop()}.
function watch(prefixes) {
  let reject;
  const failure = new Promise((_, no) => { reject = no; });
  failure.catch(() => {});
  const check = () => {
    try { return failedDownload(performance.getEntriesByType("resource"), prefixes); } catch { return null; }
  };
  let observer = null;
  try {
    observer = new PerformanceObserver((list) => {
      const failed = failedDownload(list.getEntries(), prefixes);
      if (failed) reject(failed);
    });
    observer.observe({ type: "resource", buffered: true });
  } catch {
    // no Resource Timing in this worker: Pyodide starts all the same, unwatched
  }
  return { failure, check, stop: () => observer && observer.disconnect() };
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
  const watched = watch([indexURL, stdLibURL]);
  const options = { indexURL, stdLibURL, stdout: () => {}, stderr: () => {} };
  if (lock) Object.assign(options, { lockFileContents: lock, packageBaseUrl: indexURL });
  // a failed download of Pyodide's own is the reason, whatever loadPyodide says (or does not say)
  const load = (extra) => Promise.race([loadPyodide({ ...options, ...extra }), watched.failure])
    .catch((err) => { throw watched.check() || err; });
  const pinned = Boolean(pinnedVersion) && version === pinnedVersion;
  try {
    let found = null;
    if (pinned && snapshot) {
      try { found = await snapshot; } catch { found = null; }
    }
    if (found) {
      try {
        const pyodide = await load({ _loadSnapshot: found.bytes });
        // a snapshot repeats the random state it was made with
        pyodide.runPython("import sys\nif 'random' in sys.modules: sys.modules['random'].seed()");
        return { pyodide, restored: true, makeSnapshot: () => null };
      } catch (err) {
        if (err instanceof StageError) throw err; // Pyodide's own files failed: no second try helps
        // an unusable snapshot: start the ordinary way below
      }
    }
    if (pinned) {
      try {
        const pyodide = await load({ _makeSnapshot: true });
        const makeSnapshot = () => {
          try { return pyodide.makeMemorySnapshot(); } catch { return null; }
        };
        return { pyodide, restored: false, makeSnapshot };
      } catch (err) {
        if (err instanceof StageError) throw err;
        // start the ordinary way
      }
    }
    return { pyodide: await load({}), restored: false, makeSnapshot: () => null };
  } finally {
    watched.stop();
  }
}
