// The calculator page's side of the Python worker (worker.js, started early by boot.js): its
// phases shown in the status line, a failure to start shown with the stage that failed, and calls
// (a message with an id, answered by the message with the same id).

import { takeWorker } from "./boot.js";
import { $, fmt } from "./dom.js";

const SLOW_MS = 45000;
const PHASES = { downloading: 1, starting: 2, rules: 3, ready: 4 };

/**
 * The worker of the calculator in `root`, with the page's texts `T`. `onReady(message)` runs once
 * Python answers (the worker's "ready" message), `onFailed()` once it cannot. Returns
 * {start(), call(message) -> promise of the answer, ready(), failed(), rulesVersion()}.
 */
export function workerClient(root, T, { onReady, onFailed }) {
  let worker = null;
  let ready = false;
  let failed = false;
  let rulesVersion = null;
  let seq = 0;
  const pending = new Map();

  function setPhase(phase) {
    root.dataset.phase = phase;
    $("calc-progress").value = PHASES[phase] || 0;
    if (phase === "ready") {
      // the rules version is for print and the small line under the results, not the status
      $("calc-phase").textContent = T.status.ready;
      $("calc-phase-note").textContent = "";
      $("calc-phase-note").hidden = true;
      $("calc-progress").hidden = true;
      $("calc-status").classList.add("calc-status-ready");
    } else if (T.status[phase]) {
      $("calc-phase").textContent = T.status[phase];
    }
  }

  function fail(kind, detail) {
    if (failed) return;
    failed = true;
    ready = false;
    root.dataset.phase = "failed";
    $("calc-status").hidden = true;
    const message = kind === "load_failed" ? fmt(T.failure.load_failed, { detail: String(detail || "").slice(0, 160) }) : T.failure[kind] || T.failure.crashed;
    $("calc-failure-message").textContent = message;
    $("calc-failure").hidden = false;
    for (const [, p] of pending) p.reject(new Error(kind));
    pending.clear();
    onFailed();
    if (worker) { try { worker.terminate(); } catch { /* already gone */ } }
  }

  function start() {
    if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") return fail("no_wasm");
    if (typeof Worker !== "function") return fail("no_worker");
    setPhase("downloading");
    const started = takeWorker(); // boot.js started it while the page loaded
    if (!started.worker) return fail("load_failed", started.error && started.error.message);
    worker = started.worker;
    const slow = setTimeout(() => { if (!ready && !failed) $("calc-phase-note").textContent = T.status.slow; }, SLOW_MS);
    const onError = (event) => {
      event.preventDefault();
      clearTimeout(slow);
      fail(ready ? "crashed" : "load_failed", ready ? "" : "worker.js");
    };
    const onMessageError = () => fail("crashed");
    const onMessage = (event) => {
      const m = event.data || {};
      if (m.type === "phase") setPhase(m.phase);
      else if (m.type === "ready") {
        clearTimeout(slow);
        ready = true;
        rulesVersion = m.version;
        root.dataset.rulesVersion = m.version;
        root.dataset.pythonStart = m.start || ""; // "snapshot" or "ordinary", for tests and the bench
        setPhase("ready");
        performance.mark("calculator-ready"); // read by scripts/dev/bench.py: navigation to ready
        onReady(m);
      } else if (m.type === "snapshot") {
        root.dataset.snapshot = m.state; // for tests and the bench: "kept", the next visit can restore it
      } else if (m.type === "failed") {
        clearTimeout(slow);
        fail("load_failed", `${m.stage}: ${m.detail}`);
      } else if (m.type === "result" || m.type === "results") {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.error) p.reject(new Error(m.error));
        else p.resolve(m.type === "result" ? m.json : m.list);
      }
    };
    worker.addEventListener("error", onError);
    worker.addEventListener("messageerror", onMessageError);
    worker.addEventListener("message", onMessage);
    const handlers = { error: onError, messageerror: onMessageError, message: onMessage };
    for (const event of started.early) handlers[event.type](event);
  }

  function call(message) {
    return new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  return { start, call, ready: () => ready, failed: () => failed, rulesVersion: () => rulesVersion };
}
