// The pages' side of the Python worker (worker.js, started early by boot.js): the one client that
// both the calculator page (app.js) and the list page (lists.js) use. It takes the worker over from
// boot.js with the messages it sent meanwhile, says how the start goes (`on` below), and makes
// calls: a request with an id, answered by the message with the same id.
//
// The protocol (worker.js is the other side):
//   worker -> page, the start:
//     {type: "phase", phase: "downloading" | "starting" | "rules"}
//     {type: "sizes", sizes: {url: bytes}}   what a first start downloads (manifest.json's sizes)
//     {type: "bytes", url, loaded}           bytes of one of those files received so far
//     {type: "ready", version, files, modules, start: "snapshot" | "ordinary"}
//     {type: "failed", stage, detail}
//     {type: "snapshot", state: "kept" | "none"}  Python kept, or not, for the next visit
//   page -> worker, a call: {type: "evaluate" | "evaluate-batch" | "check-list", id, ...fields}
//   worker -> page, its answer: {type: "answer", id, value} or {type: "answer", id, error}, and
//     before it, for a call that reports how far it is: {type: "progress", id, done, total}

import { takeWorker } from "./boot.js";

/**
 * @typedef {"no_wasm" | "no_worker" | "load_failed" | "crashed"} FailureKind
 * @typedef {{version: string, files: string[], modules: Record<string, string[]>, start: string}} ReadyMessage
 * @typedef {object} StartHandlers what the page shows of the start; each is optional
 * @property {(phase: string) => void} [phase] a phase of the start has begun
 * @property {(loaded: number, total: number) => void} [bytes] bytes of what a first start
 *   downloads received so far, of `total` (0 while the total is not known yet)
 * @property {(message: ReadyMessage) => void} [ready] Python answers
 * @property {(kind: FailureKind, detail: string) => void} [failed] the worker cannot start or stopped
 * @property {(state: string) => void} [snapshot] Python was kept for the next visit ("kept") or not
 * @typedef {{onProgress?: (done: number, total: number) => void, transfer?: Transferable[]}} CallOptions
 */

/**
 * The client of the worker boot.js started. `start()` takes the worker over; `call(type, fields)`
 * resolves with the answer's value (rejects with its error, or once the worker fails).
 * @param {StartHandlers} on
 */
export function workerClient(on) {
  /** @type {Worker | null} */
  let worker = null;
  let ready = false;
  let failed = false;
  /** @type {string | null} */
  let rulesVersion = null;
  let seq = 0;
  /** @type {Map<number, {resolve: (value: any) => void, reject: (error: Error) => void, onProgress?: CallOptions["onProgress"]}>} */
  const pending = new Map();
  // download progress: bytes received of each file a first start downloads, by URL; the page's
  // boot.js counts its head start of Pyodide's WebAssembly, the worker the files it reads
  /** @type {Map<string, number>} */
  const sizes = new Map();
  /** @type {Map<string, number>} */
  const received = new Map();

  function reportBytes() {
    if (!on.bytes) return;
    let total = 0;
    let loaded = 0;
    for (const [url, size] of sizes) {
      total += size;
      loaded += Math.min(size, received.get(url) || 0);
    }
    on.bytes(loaded, total);
  }

  /** @param {string} url @param {number} loaded */
  function bytes(url, loaded) {
    if (loaded <= (received.get(url) || 0)) return;
    received.set(url, loaded);
    if (sizes.has(url)) reportBytes();
  }

  /** @param {FailureKind} kind @param {string} [detail] */
  function fail(kind, detail = "") {
    if (failed) return;
    failed = true;
    ready = false;
    for (const [, p] of pending) p.reject(new Error(kind));
    pending.clear();
    if (on.failed) on.failed(kind, detail);
    if (worker) { try { worker.terminate(); } catch { /* already gone */ } }
  }

  /** @param {MessageEvent} event */
  function onMessage(event) {
    const m = event.data || {};
    if (m.type === "answer") {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if ("error" in m) p.reject(new Error(m.error));
      else p.resolve(m.value);
    } else if (m.type === "progress") {
      const p = pending.get(m.id);
      if (p && p.onProgress) p.onProgress(m.done, m.total);
    } else if (m.type === "bytes") bytes(m.url, m.loaded);
    else if (m.type === "sizes") {
      for (const [url, size] of Object.entries(m.sizes || {})) sizes.set(url, Number(size) || 0);
      reportBytes();
    } else if (m.type === "phase") {
      if (on.phase) on.phase(m.phase);
    } else if (m.type === "ready") {
      ready = true;
      rulesVersion = m.version;
      if (on.ready) on.ready(m);
    } else if (m.type === "snapshot") {
      if (on.snapshot) on.snapshot(m.state);
    } else if (m.type === "failed") {
      fail("load_failed", `${m.stage}: ${m.detail}`);
    }
  }

  /** @param {ErrorEvent} event */
  function onError(event) {
    event.preventDefault();
    fail(ready ? "crashed" : "load_failed", ready ? "" : "worker.js");
  }

  function start() {
    if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") return fail("no_wasm");
    if (typeof Worker !== "function") return fail("no_worker");
    const started = takeWorker(); // boot.js started it while the page loaded
    if (!started.worker) return fail("load_failed", started.error ? String(started.error.message || started.error) : "");
    worker = started.worker;
    if (on.phase) on.phase("downloading");
    worker.addEventListener("error", onError);
    worker.addEventListener("messageerror", () => fail("crashed"));
    worker.addEventListener("message", onMessage);
    for (const [url, loaded] of started.bytes) bytes(url, loaded);
    started.onBytes(bytes);
    for (const event of started.early) {
      if (event.type === "message") onMessage(/** @type {MessageEvent} */ (event));
      else if (event.type === "error") onError(/** @type {ErrorEvent} */ (event));
      else fail("crashed");
    }
  }

  /**
   * @param {"evaluate" | "evaluate-batch" | "check-list"} type
   * @param {Record<string, unknown>} fields
   * @param {CallOptions} [options]
   * @returns {Promise<any>}
   */
  function call(type, fields, { onProgress, transfer = [] } = {}) {
    if (!worker || failed) return Promise.reject(new Error("the calculator did not start"));
    const w = worker;
    return new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject, onProgress });
      w.postMessage({ ...fields, type, id }, transfer);
    });
  }

  return { start, call, ready: () => ready, failed: () => failed, rulesVersion: () => rulesVersion };
}
