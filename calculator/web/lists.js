// The "check a list" page's glue: choose the list and its whole-list answers, read the visitor's
// file, hand its bytes to the Python worker (the call "check-list", through worker_client.js, the
// client the calculator page uses too), and show what comes back as DOM nodes (textContent only). The file is never sent anywhere or stored: it stays in this tab's
// memory until the page is left or "clear" is pressed; a file is written only by "download".

import { workerClient } from "./worker_client.js";
import { $, all, count as countIn, fmt, h, links, startPage } from "./dom.js";
import { keepOffline } from "./offline.js";

const SHOW_ROWS = 2000; // rows the worker sends for the table; the download holds them all
const PAGE_ROWS = 100; // rows in the table at a time

startPage("lc", main);

/** @param {HTMLElement} root the page's list check element */
function main(root) {
  const T = JSON.parse(document.getElementById("lc-texts").textContent);
  const lang = root.dataset.lang === "en" ? "en" : "zh";
  const maxBytes = Number(root.dataset.maxBytes);
  const status = $("lc-status");
  /** @type {HTMLInputElement} */
  const fileInput = $("lc-file");
  /** @type {HTMLProgressElement} */
  const progress = $("lc-progress");
  const resultsBox = $("lc-results");
  let ready = false;
  let file = null;      // the visitor's File, kept only to check again when an answer changes
  let result = null;
  let seq = 0;

  // ---- which list, and its whole-list answers ----------------------------------------------
  /** @type {HTMLInputElement[]} */
  const choices = all('input[name="lc-list"]');
  const chosen = () => (choices.find((c) => c.checked) || choices[0]).value;
  function showList() {
    for (const section of all(".lc-list")) section.hidden = section.dataset.list !== chosen();
  }
  const wanted = new URLSearchParams(location.hash.slice(1)).get("list");
  for (const c of choices) if (c.value === wanted) c.checked = true;
  showList();
  for (const c of choices) c.addEventListener("change", () => { showList(); recheck(); });

  function answers() {
    const out = {};
    const section = document.querySelector(`.lc-list[data-list="${CSS.escape(chosen())}"]`);
    for (const q of all(".calc-q", section)) {
      /** @type {HTMLInputElement | null} */
      const checked = q.querySelector("input:checked");
      if (!checked) continue;
      out[q.dataset.question] = q.dataset.type === "boolean" ? checked.value === "true" : checked.value;
    }
    return out;
  }
  for (const input of document.querySelectorAll(".lc-list .calc-q input")) input.addEventListener("change", recheck);

  // ---- the worker ----------------------------------------------------------------------------
  function setStatus(text, phase) {
    status.textContent = text;
    if (phase) root.dataset.phase = phase;
  }
  function fail() {
    ready = false;
    fileInput.disabled = true;
    progress.hidden = true;
    setStatus(T.status.failed, "failed");
  }
  const python = workerClient({
    ready(m) {
      ready = true;
      root.dataset.pythonStart = m.start || ""; // "snapshot" or "ordinary", as on the calculator page
      fileInput.disabled = false;
      setStatus(T.status.ready, "ready");
      performance.mark("list-ready"); // read by scripts/dev/audit.py: judged when ready
      if (file) check(file);
      // after a first visit, the service worker keeps everything this page used
      const templates = links("a.lc-template").map((a) => a.href);
      keepOffline("lists.js", m, templates, (kept) => {
        if (kept) root.dataset.offline = "ready";
        else delete root.dataset.offline;
        $("lc-offline-note").hidden = !kept;
      });
    },
    failed: fail,
  });
  python.start();

  // ---- reading and checking the file ----------------------------------------------------------
  const mb = (bytes) => fmt(T.units.mb, { size: (bytes / 1048576).toFixed(1) });
  async function check(chosenFile) {
    file = chosenFile;
    if (!file) return setStatus(T.status.no_file);
    if (file.size > maxBytes) {
      clearResults();
      return setStatus(fmt(T.status.too_large, { size: mb(file.size), limit: mb(maxBytes).replace(/\.0(?!\d)/, "") }), "done");
    }
    if (!ready) return; // checked as soon as the worker is ready
    const id = ++seq;
    performance.mark("list-check-start"); // read by scripts/dev/bench_lists.py
    setStatus(T.status.reading, "checking");
    let data;
    try {
      data = await file.arrayBuffer();
    } catch {
      return setStatus(T.status.unreadable, "done");
    }
    if (id !== seq) return;
    progress.value = 0;
    progress.hidden = false;
    const request = JSON.stringify({ list: chosen(), answers: answers(), on: null, lang, show_rows: SHOW_ROWS });
    /** @param {number} done @param {number} total */
    const onProgress = (done, total) => {
      if (id !== seq) return;
      progress.max = Math.max(1, total);
      progress.value = done;
      setStatus(fmt(T.status.checking, { done: countIn(done, lang), total: countIn(total, lang) }));
    };
    python.call("check-list", { data, request }, { onProgress, transfer: [data] }).then((json) => {
      if (id !== seq) return;
      progress.hidden = true;
      if (!json) return fail();
      show(JSON.parse(json));
    }, () => { if (id === seq) fail(); });
  }
  function recheck() { if (file && ready) check(file); }
  fileInput.addEventListener("change", () => check(fileInput.files[0] || null));
  const drop = $("lc-drop");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("lc-drop-over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("lc-drop-over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("lc-drop-over");
    const dropped = event.dataTransfer && event.dataTransfer.files[0];
    if (dropped) check(dropped);
  });

  // ---- the result ------------------------------------------------------------------------------
  function clearResults() {
    result = null;
    resultsBox.hidden = true;
    for (const id of ["lc-summary", "lc-problems", "lc-totals", "lc-rows"]) $(id).replaceChildren();
    delete $("lc-rows").dataset.drawn;
  }

  function show(r) {
    result = r;
    $("lc-summary").replaceChildren(...(r.summary || []).map((line) => h("p", { text: line })));
    const problems = r.problems || [];
    $("lc-problems").replaceChildren(...(problems.length ? [
      h("h3", { text: T.problems_heading }),
      h("ul", { class: "lc-problem-list" }, problems.map((p) => h("li", { text: p.message }))),
    ] : []));
    $("lc-totals").replaceChildren(...(r.totals ? totals(r) : []));
    delete $("lc-rows").dataset.drawn;
    $("lc-rows").replaceChildren(...(r.rows && r.rows.length ? rowsTable(r) : []));
    $("lc-download").hidden = !r.csv;
    resultsBox.hidden = false;
    const summary = (r.summary && r.summary[0]) || (problems[0] && problems[0].message) || "";
    setStatus(fmt(T.status.done, { summary }), "done");
    requestAnimationFrame(() => setTimeout(() => performance.mark("list-check-done"))); // once drawn
  }

  function totals(r) {
    const out = [h("h3", { text: T.totals_heading }),
      h("ul", { class: "lc-counts" }, r.counts.map((c) => h("li", { text: c.text })))];
    for (const group of r.totals.groups) {
      out.push(h("h4", { text: group.title + (group.total_text ? (lang === "zh" ? "：" : ": ") + fmt(T.total, { amount: group.total_text }) : "") }));
      for (const item of group.items) {
        const lines = [item.amount_text, item.duration_text].filter(Boolean).join(" ");
        out.push(h("div", { class: `calc-item calc-item-${item.status}` },
          h("p", { class: "calc-item-name" }, h("strong", { text: item.name }), lang === "zh" ? "：" : ": ", item.status_text),
          lines ? h("p", { text: lines }) : null,
          item.arithmetic.map((a) => h("p", { class: "calc-arithmetic", text: a })),
          item.left_out.map((a) => h("p", { class: "calc-left-out", text: a })),
          h("ul", { class: "calc-reasons" }, item.reasons.map((x) => h("li", { class: x.met === false ? "calc-unmet" : x.met ? "calc-met" : "calc-unknown", text: x.text }))),
          item.missing.length ? h("p", { text: item.missing.map((m) => m.label).join(" · ") }) : null));
      }
    }
    for (const e of r.errors || []) out.push(h("p", { class: "calc-error", text: e.message }));
    out.push(h("p", { class: "calc-estimate-only", text: r.totals.disclaimer }));
    return out;
  }

  // The table shows one page of rows at a time: laying out a table of thousands of rows takes the
  // page's thread for most of a second (a long task) however it is spread over frames.
  function rowsTable(r) {
    const rows = r.rows;
    const count = r.row_count || rows.length;
    const n = (x) => countIn(x, lang);
    // the result and its reasons first, then the row's own cells (on a phone each row is a card)
    const head = h("tr", {}, h("th", { scope: "col", text: T.row_number }), h("th", { scope: "col", text: T.result }),
      h("th", { scope: "col", text: T.reasons }), r.header.map((c) => h("th", { scope: "col", text: c })));
    const line = (row) => h("tr", { class: `lc-row-${row.status}` },
      h("th", { scope: "row", text: row.row }),
      h("td", { class: "lc-result", "data-label": T.result, text: row.status_text }),
      h("td", { class: "lc-reasons", "data-label": T.reasons }, row.reasons.map((x) => h("div", { text: x }))),
      r.header.map((c, i) => h("td", { "data-label": c, text: row.cells[i] || "" })));
    const body = h("tbody", {});
    const label = h("span", { class: "lc-page-label", "aria-live": "polite" });
    const previous = h("button", { type: "button", class: "md-button", id: "lc-previous", text: T.previous_rows });
    const next = h("button", { type: "button", class: "md-button", id: "lc-next", text: T.next_rows });
    let first = 0;
    const showPage = (start) => {
      first = Math.max(0, Math.min(start, rows.length - 1));
      const last = Math.min(first + PAGE_ROWS, rows.length);
      body.replaceChildren(...rows.slice(first, last).map(line));
      label.textContent = fmt(T.rows_page, { first: n(first + 1), last: n(last), shown: n(rows.length) });
      previous.disabled = first === 0;
      next.disabled = last >= rows.length;
      $("lc-rows").dataset.drawn = String(last - first); // read by the tests and scripts/dev/bench_lists.py
    };
    previous.addEventListener("click", () => showPage(first - PAGE_ROWS));
    next.addEventListener("click", () => showPage(first + PAGE_ROWS));
    showPage(0);
    const out = [h("h3", { text: T.rows_heading })];
    if (count > rows.length) out.push(h("p", { text: fmt(T.shown_rows, { shown: n(rows.length), count: n(count) }) }));
    const pager = rows.length > PAGE_ROWS
      ? h("nav", { class: "lc-pager", "aria-label": T.rows_pages }, previous, " ", label, " ", next) : null;
    if (pager) out.push(pager); // replaceChildren would write a null as the text "null"
    out.push(h("div", { class: "lc-table-wrap" }, h("table", { class: "lc-table" }, h("thead", {}, head), body)));
    return out;
  }

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  $("lc-download").addEventListener("click", () => {
    if (result && result.csv) save(new Blob([result.csv], { type: "text/csv;charset=utf-8" }), `${result.list || "list"}-${result.date}.csv`);
  });
  // A template is fetched by the page (so the service worker's copy serves it offline; the
  // browser's own download of a link would bypass it), then saved; the plain link otherwise.
  for (const link of links("a.lc-template")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      fetch(link.href).then((r) => (r.ok ? r.blob() : Promise.reject(r.status)))
        .then((blob) => save(blob, link.getAttribute("download") || "template.csv"))
        .catch(() => { location.href = link.href; });
    });
  }
  $("lc-print").addEventListener("click", () => window.print());
  $("lc-clear").addEventListener("click", () => {
    file = null;
    seq += 1;
    fileInput.value = "";
    progress.hidden = true;
    clearResults();
    setStatus(ready ? T.status.ready : T.status.loading, ready ? "ready" : "loading");
  });
}
