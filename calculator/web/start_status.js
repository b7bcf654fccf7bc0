// The calculator page's status line while Python starts (app.js gives it what the worker client,
// worker_client.js, reports): the phase in words, the progress bar, which moves with the bytes
// received on a first visit, the note when the start stops moving, and why it failed.

import { $, fmt } from "./dom.js";

// No byte received and no step made for this long: the note says so and suggests checking the
// connection. A slow line whose bytes keep coming moves the bar and gets no such note.
const STALLED_MS = 12000;
// The bar, in percent of the start: the download fills it to DOWNLOADED; each later phase begins at
// least at its mark (on a later visit nothing is downloaded and the phases move it alone).
const DOWNLOADED = 90;
/** @type {Record<string, number>} */
const PHASE_MARK = { downloading: 0, starting: 5, rules: 95 };

/**
 * @param {HTMLElement} root the calculator (#calc), whose data-phase tests and styles read
 * @param {any} T the page's texts (policy/texts/calculator_page.yaml)
 */
export function startStatus(root, T) {
  const bar = /** @type {HTMLProgressElement} */ ($("calc-progress"));
  const note = $("calc-phase-note");
  let percent = 0;
  let done = false;
  const stalled = () => { if (!done) note.textContent = T.status.slow; };
  let slow = setTimeout(stalled, STALLED_MS);
  /** The start moved on: the note, if it said the start had stalled, goes back to its first words. */
  function moved() {
    if (done) return;
    clearTimeout(slow);
    slow = setTimeout(stalled, STALLED_MS);
    if (note.textContent === T.status.slow) note.textContent = T.status.answer_now;
  }

  /** The bar at `value` percent, never back (its accessible value, aria-valuenow of a <progress>,
   * follows). @param {number} value */
  function show(value) {
    value = Math.min(100, Math.floor(value));
    if (value <= percent || done) return;
    percent = value;
    bar.value = percent;
  }

  return {
    /** @param {string} phase */
    phase(phase) {
      moved();
      root.dataset.phase = phase;
      if (phase in PHASE_MARK) show(PHASE_MARK[phase]);
      if (T.status[phase]) $("calc-phase").textContent = T.status[phase];
    },
    /** @param {number} loaded @param {number} total */
    bytes(loaded, total) {
      if (!(total > 0) || done) return;
      moved();
      show(DOWNLOADED * loaded / total);
      // in words too, beside the bar and as its accessible text
      const text = fmt(T.status.downloaded, { percent: Math.floor(100 * Math.min(loaded, total) / total) });
      if (text === $("calc-progress-text").textContent) return;
      bar.setAttribute("aria-valuetext", text);
      $("calc-progress-text").textContent = text;
    },
    ready() {
      done = true;
      clearTimeout(slow);
      root.dataset.phase = "ready";
      // the rules version is for print and the small line under the results, not the status
      $("calc-phase").textContent = T.status.ready;
      note.textContent = "";
      note.hidden = true;
      bar.hidden = true;
      $("calc-progress-text").hidden = true;
      $("calc-status").classList.add("calc-status-ready");
    },
    /** @param {string} kind @param {string} detail */
    failed(kind, detail) {
      done = true;
      clearTimeout(slow);
      root.dataset.phase = "failed";
      $("calc-status").hidden = true;
      $("calc-failure-message").textContent = kind === "load_failed"
        ? fmt(T.failure.load_failed, { detail: String(detail || "").slice(0, 160) })
        : T.failure[kind] || T.failure.crashed;
      $("calc-failure").hidden = false;
    },
  };
}
