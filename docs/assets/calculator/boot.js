// Starts the calculator's Python worker as early as the page allows. The page loads this module
// `async` from its <head>, so Pyodide downloads and starts while the page is still being parsed
// and styled; app.js (which needs the whole page) then takes the worker over, with the messages
// and errors it sent in the meantime. One module instance per page: both import the same URL.

const early = [];
let worker = null;
let error = null;

if (typeof WebAssembly === "object" && typeof WebAssembly.instantiate === "function" && typeof Worker === "function") {
  try {
    worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    for (const type of ["message", "error", "messageerror"]) worker.addEventListener(type, keep);
  } catch (err) {
    error = err;
  }
}

function keep(event) {
  if (event.type === "error") event.preventDefault();
  early.push(event);
}

// For app.js, once: the worker (or null when the browser cannot run it, or the error that stopped
// it from starting) and the events it sent before app.js listened.
export function takeWorker() {
  if (worker) for (const type of ["message", "error", "messageerror"]) worker.removeEventListener(type, keep);
  return { worker, error, early: early.splice(0) };
}
