// Starts the calculator's Python worker as early as the page allows. The page loads this module
// `async` from its <head>, so Pyodide downloads and starts while the page is still being parsed
// and styled; the page's worker client (worker_client.js, for app.js or lists.js, which need the
// whole page) then takes the worker over, with the messages and errors it sent in the meantime.
// One module instance per page: the bundle puts this module's code in a chunk that both import.

/** @type {Event[]} */
const early = [];
/** @type {Worker | null} */
let worker = null;
/** @type {any} */
let error = null;
// bytes of the head start below received so far, by URL, and who wants to know as they come
/** @type {Map<string, number>} */
const received = new Map();
/** @type {((url: string, loaded: number) => void) | null} */
let onBytes = null;

if (typeof WebAssembly === "object" && typeof WebAssembly.instantiate === "function" && typeof Worker === "function") {
  try {
    worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    for (const type of ["message", "error", "messageerror"]) worker.addEventListener(type, keep);
  } catch (err) {
    error = err;
  }
}

// A head start on a first visit (ARCHITECTURE.md, D5): Pyodide's WebAssembly, most of what a first
// visit downloads, is asked for now, while the page and the worker's own files load, not only once
// the worker has read manifest.json, so that the connection is not idle in between. It is read to its
// end and dropped: the browser's HTTP cache (and the site's service worker, where it runs) keeps
// it, so Pyodide's own request does not download it again. Not when the service worker already
// has it (a later visit): reading the largest file twice would slow the start. The folder is the one
// worker.js's head start names (where the build puts Pyodide; this module is in the deployment's
// folder assets/calculator/v-<hash>/).
const WASM = new URL("../../pyodide/pyodide.asm.wasm", import.meta.url).href;
if (worker && typeof WritableStream === "function") {
  Promise.resolve(self.caches ? caches.match(WASM) : null).catch(() => null)
    .then((kept) => (kept ? null : fetch(WASM)))
    .then((response) => response && response.ok && response.body && response.body.pipeTo(counter(WASM)))
    .catch(() => {}); // only a head start: Pyodide's own request reports what went wrong
}

// A stream that drops what it is given and counts it: the page's progress bar moves with the bytes
// received (worker_client.js adds those the worker reads).
/** @param {string} url */
function counter(url) {
  let loaded = 0;
  return new WritableStream({
    write(chunk) {
      loaded += chunk.byteLength;
      received.set(url, loaded);
      if (onBytes) onBytes(url, loaded);
    },
  });
}

/** @param {Event} event */
function keep(event) {
  if (event.type === "error") event.preventDefault();
  early.push(event);
}

// For the page's worker client (worker_client.js), once: the worker (or null when the browser
// cannot run it, or the error that stopped it from starting), the events it sent before the page
// listened, the bytes of the head start received so far and a way to hear of the next ones.
export function takeWorker() {
  if (worker) for (const type of ["message", "error", "messageerror"]) worker.removeEventListener(type, keep);
  return {
    worker, error, early: early.splice(0), bytes: [...received],
    /** @param {(url: string, loaded: number) => void} listener */
    onBytes: (listener) => { onBytes = listener; },
  };
}
