// The calculator page's entry module: wires the form (form.js: questions, answers, errors, share
// link), the results (results.js) and the Python worker (worker_client.js, its start shown by
// start_status.js), evaluates the answers as they change, and handles the page's buttons. All the rules live in Python; the browser
// computes nothing but which questions are asked and which numbers are accepted (rules.js).

import { createForm } from "./form.js";
import { MORE_CARDS, createResults, listedMeasures } from "./results.js";
import { workerClient } from "./worker_client.js";
import { startStatus } from "./start_status.js";
import { $, h, links, startPage } from "./dom.js";
import { keepOffline, keepPages } from "./offline.js";

const DEBOUNCE_MS = 15;

startPage("calc", main);

/** @param {HTMLElement} root the page's calculator element */
function main(root) {
  const T = JSON.parse(document.getElementById("calc-texts").textContent);
  const lang = root.dataset.lang === "en" ? "en" : "zh";
  const formElement = $("calc-form");
  const testMode = new URLSearchParams(location.search).get("test") === "1";
  const form = createForm(formElement, T, lang);
  // "show more": how many cards the visitor asked to see of each recipient (else the first few),
  // and the card to take them to once the result is drawn
  /** @type {Record<string, number>} */
  let cards = {};
  /** @type {{recipient: string, index: number} | null} */
  let focusCard = null;
  const results = createResults(root, T, lang, form.focusQuestion, (recipient, shown) => {
    cards = { ...cards, [recipient]: shown + MORE_CARDS };
    focusCard = { recipient, index: shown };
    update(true);
  });
  // the measure table the results list the measures against: given by Python with the first
  // result of a day and language (browser_shape), not with every result
  let measureTable = null;
  let lastResult = null;
  let lastRequest = null; // what lastResult answered
  let lastAnswers = {};
  // Kept with the calculator for offline use: the home page, the other language's calculator, the
  // list pages and the page the visit came from (same site), and the pages each result links to.
  const siteRoot = new URL(root.dataset.siteRoot || "../", location.href);
  const alsoKept = () => {
    const other = languageLinks.map((a) => a.href.split("#")[0]);
    const pages = [siteRoot.href, ...other, ...other.map((u) => new URL("list/", u).href),
      ...links(".calc-list-link a").map((a) => a.href)];
    if (document.referrer.startsWith(location.origin + "/")) pages.push(document.referrer);
    return pages;
  };
  const resultPages = () => links("#calc-results a[href]").map((a) => a.href);
  let scrollToResult = false; // a share link's answers: show the visitor the result they were sent
  // The language switcher's links carry the answers, so switching language keeps them.
  const languageLinks = links("a.md-select__link[hreflang]")
    .filter((a) => a.getAttribute("hreflang") !== document.documentElement.lang);
  /** @type {HTMLInputElement} */
  const shareLink = $("calc-share-link");
  const keepAnswersInLanguageLinks = () => {
    const hash = new URL(shareLink.value || location.href).hash;
    for (const a of languageLinks) a.href = a.href.split("#")[0] + hash;
  };

  const status = startStatus(root, T);
  const python = workerClient({
    phase: status.phase,
    bytes: status.bytes,
    ready(m) {
      root.dataset.rulesVersion = m.version;
      root.dataset.pythonStart = m.start || ""; // "snapshot" or "ordinary", for tests and the bench
      status.ready();
      performance.mark("calculator-ready"); // read by scripts/dev/bench.py: navigation to ready
      // after a first visit, the service worker keeps everything this page used
      keepOffline("app.js", m, alsoKept(), (kept) => {
        if (kept) {
          root.dataset.offline = "ready";
          keepPages(resultPages()); // and the pages the result links to, from now on
        } else delete root.dataset.offline;
        $("calc-phase-note").hidden = !kept;
        $("calc-phase-note").textContent = kept ? T.status.offline_ready : "";
      });
      update(true);
    },
    failed(kind, detail) {
      status.failed(kind, detail);
      results.waiting("role" in lastAnswers, true);
    },
    // for tests and the bench: "kept", the next visit can restore Python
    snapshot(state) { root.dataset.snapshot = state; },
  });

  // ---- evaluation --------------------------------------------------------------------------
  let timer = null;
  let latestRequested = 0;
  let changedAt = null; // when the oldest answer not yet shown was given (for data-ms)
  function update(immediate) {
    clearTimeout(timer);
    if (changedAt === null) changedAt = performance.now();
    // Show or hide the follow-up questions at once, so the next Tab reaches them;
    // only the evaluation waits for the typing to pause.
    if (!immediate) form.collect();
    const run = () => {
      const { answers } = form.collect();
      form.showErrors(false);
      form.writeFragment(answers);
      keepAnswersInLanguageLinks();
      results.answers(form.questions, answers);
      lastAnswers = answers;
      // from now on an answer to an earlier request is stale, whether or not this one is sent
      // (answers cleared while an evaluation was under way must not bring its result back)
      const id = ++latestRequested;
      const ready = python.ready();
      if (!("role" in answers) || !ready) changedAt = null;
      if (!("role" in answers)) {
        lastResult = null;
        results.placeholder(T.results.choose_role);
        return;
      }
      if (!ready) { results.waiting(true, python.failed()); return; }
      results.pending();
      lastRequest = { answers, on: form.chosenDay(), lang, what_if: true, cards,
        skipped: [...form.skipped(answers)], table: measureTable ? measureTable.key : null };
      const request = JSON.stringify(lastRequest);
      python.call("evaluate", { request }).then((json) => {
        if (id !== latestRequested) return; // a newer answer is on its way
        lastResult = JSON.parse(json);
        if (lastResult.measure_table) measureTable = lastResult.measure_table;
        results.result(lastResult, measureTable, python.rulesVersion());
        if (focusCard) {
          const card = /** @type {HTMLElement | undefined} */ ($("calc-results").querySelectorAll(
            `.calc-group[data-recipient="${CSS.escape(focusCard.recipient)}"] .calc-item`)[focusCard.index]);
          focusCard = null;
          if (card) { card.tabIndex = -1; card.focus(); }
        }
        if (root.dataset.offline === "ready") keepPages(resultPages());
        if (scrollToResult) {
          scrollToResult = false;
          $("calc-results").scrollIntoView({ block: "start" });
        }
        if (changedAt !== null) results.took(performance.now() - changedAt);
        changedAt = null;
      }).catch(() => {
        if (id !== latestRequested || python.failed()) return;
        results.error();
      });
    };
    if (immediate) run(); else timer = setTimeout(run, DEBOUNCE_MS);
  }

  // ---- actions -----------------------------------------------------------------------------
  $("calc-copy").addEventListener("click", async () => {
    const link = shareLink.value;
    const status = $("calc-copy-status");
    try {
      await navigator.clipboard.writeText(link);
      status.textContent = T.actions.copied;
    } catch {
      status.textContent = T.actions.copy_failed;
      shareLink.focus();
      shareLink.select();
    }
  });
  $("calc-print").addEventListener("click", () => window.print());
  $("calc-download").addEventListener("click", async () => {
    // every card of the result, where the page shows each recipient's first ones
    let result = lastResult;
    const groups = result && Array.isArray(result.groups) ? result.groups : [];
    if (lastRequest && groups.some((g) => Array.isArray(g.items) && typeof g.count === "number" && g.count > g.items.length)) {
      const all = Object.fromEntries(groups.map((g) => [g.recipient, g.count]));
      try {
        result = JSON.parse(await python.call("evaluate", { request: JSON.stringify({ ...lastRequest, cards: all }) }));
      } catch { /* the result as the page shows it */ }
    }
    const data = {
      page: location.origin + location.pathname,
      share_link: shareLink.value,
      lang,
      rules_version: python.rulesVersion(),
      on: form.chosenDay() || form.today,
      answers: lastAnswers,
      // the measures with their titles and links from the measure table, not its positions
      result: result && { ...result, measure_table: undefined,
        measures: listedMeasures(result, measureTable) },
    };
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: `subsidy-estimate-${new Date().toISOString().slice(0, 10)}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  $("calc-reset").addEventListener("click", () => {
    form.clear();
    form.notice("");
    cards = {};
    update(true);
    form.focusFirst();
  });
  $("calc-reload").addEventListener("click", () => location.reload());

  formElement.addEventListener("submit", (event) => { event.preventDefault(); form.collect(); form.showErrors(true); });
  /** The form field an event is for. @param {Event} event */
  const field = (event) => /** @type {HTMLInputElement} */ (event.target).name;
  formElement.addEventListener("input", (event) => { form.touch(field(event), true); update(false); });
  formElement.addEventListener("change", (event) => { form.touch(field(event), false); update(false); });
  formElement.addEventListener("focusout", (event) => { if (form.left(field(event))) update(true); });
  window.addEventListener("hashchange", () => {
    scrollToResult = form.applyFragment(location.hash);
    update(true);
  });

  if (testMode) {
    // For the parity test only: evaluate many requests in the page's real Pyodide in one call.
    window.__subsidyCalculatorTest = Object.freeze({
      evaluateMany: (requests) => (python.ready() ? python.call("evaluate-batch", { requests: requests.map(String) }) : Promise.reject(new Error("not ready"))),
    });
  }

  scrollToResult = form.applyFragment(location.hash) && location.hash.includes("role=") && location.hash.includes("&");
  update(true);
  performance.mark("calculator-form"); // read by scripts/dev/bench.py: the form answers from here on
  python.start();
}
