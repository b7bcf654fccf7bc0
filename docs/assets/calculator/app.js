// The calculator page's glue: form state, which questions to show, inline validation, the share
// link (answers only in the URL fragment), the Python worker, and rendering results as DOM nodes
// (textContent only, never innerHTML). All the rules live in Python; this file computes nothing
// but which questions are asked and which numbers are accepted (rules.js).

import { takeWorker } from "./boot.js";
import { asked, monthAnswer, numberAnswer } from "./rules.js";
import { count as countIn, fmt, h } from "./dom.js";
import { keepOffline } from "./offline.js";

const FRAGMENT_LIMIT = 2048; // characters of a share link's fragment we are willing to read
const FRAGMENT_MAX_ITEMS = 64;
const DEBOUNCE_MS = 15;
const SLOW_MS = 45000;
const PHASES = { downloading: 1, starting: 2, rules: 3, ready: 4 };

const root = document.getElementById("calc");
if (root && !root.dataset.started) {
  root.dataset.started = "1";
  main();
}

function main() {
  const T = JSON.parse(document.getElementById("calc-texts").textContent);
  const lang = root.dataset.lang === "en" ? "en" : "zh";
  const $ = (id) => document.getElementById(id);
  const form = $("calc-form");
  const resultsBox = $("calc-results");
  const testMode = new URLSearchParams(location.search).get("test") === "1";

  const count = (n) => countIn(n, lang);
  const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  // "2025-07" -> "2025年7月" / "July 2025", as formatting.py writes dates
  const monthText = (v) => {
    const [y, m] = v.split("-").map(Number);
    return lang === "zh" ? `${y}年${m}月` : `${EN_MONTHS[m - 1]} ${y}`;
  };

  // ---- questions, read back from the server-rendered form ---------------------------------
  const questions = [...form.querySelectorAll(".calc-q")].map((el) => {
    const q = {
      el,
      id: el.dataset.question,
      type: el.dataset.type,
      label: el.querySelector(".calc-label").textContent.trim(),
      askWhen: el.dataset.askWhen ? JSON.parse(el.dataset.askWhen) : null,
      min: el.dataset.min !== undefined ? Number(el.dataset.min) : null,
      max: el.dataset.max !== undefined ? Number(el.dataset.max) : null,
      maxQuestion: el.dataset.maxQuestion || null,
      maxLabel: el.dataset.maxLabel || "",
      error: el.querySelector(".calc-error"),
      radios: [...el.querySelectorAll('input[type="radio"]')],
      input: el.querySelector('input[type="number"], input[type="month"]'),
    };
    q.values = q.radios.map((r) => r.value);
    return q;
  });
  const byId = new Map(questions.map((q) => [q.id, q]));

  // The day the result is for: today (the visitor's own calendar) unless another day is chosen.
  const dateInput = $("calc-on");
  const pad = (n) => String(n).padStart(2, "0");
  const now = new Date();
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const isDay = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v + "T00:00:00Z"))
    && new Date(v + "T00:00:00Z").toISOString().slice(0, 10) === v;
  const chosenDay = () => (dateInput && isDay(dateInput.value) ? dateInput.value : null); // null: today
  if (dateInput) dateInput.value = today;

  // Read one question's raw answer from the DOM: {value} | {empty} | {error} (rules.js decides).
  function readAnswer(q, answers) {
    if (q.radios.length) {
      const checked = q.radios.find((r) => r.checked);
      if (!checked) return { empty: true };
      return { value: q.type === "boolean" ? checked.value === "true" : checked.value };
    }
    if (q.type === "month") {
      if (q.input.validity.badInput) return { error: T.validation.month };
      const m = monthAnswer(q.input.value);
      return m.error ? { error: T.validation.month } : m;
    }
    if (q.input.validity.badInput) return { error: T.validation.whole_number };
    const a = numberAnswer(q.input.value, q, answers);
    if (!a.error) return a;
    if (a.error === "above_other") {
      return { error: fmt(T.validation.not_more_than_answer, { label: q.maxLabel, max: count(a.max) }) };
    }
    if (a.error === "out_of_range") {
      if (q.max === null) return { error: fmt(T.validation.at_least, { min: count(q.min ?? 0) }) };
      return { error: fmt(T.validation.range, { min: count(q.min ?? 0), max: count(q.max) }) };
    }
    return { error: T.validation.whole_number };
  }

  // Walk the questions in order: show those whose rule holds, collect valid visible answers.
  function collect() {
    const answers = {};
    const errors = [];
    for (const q of questions) {
      const visible = asked(q.askWhen, answers);
      if (q.el.hidden === visible) q.el.hidden = !visible;
      q.visible = visible;
      if (!visible) { q.currentError = null; continue; }
      const a = readAnswer(q, answers);
      q.currentError = a.error || null;
      if (a.error) errors.push(q);
      else if (!a.empty) answers[q.id] = a.value;
    }
    return { answers, errors };
  }

  function showErrors(all) {
    let shown = 0;
    for (const q of questions) {
      const show = q.visible && q.currentError && (all || q.touched);
      const target = q.input || q.radios[0];
      if (show) {
        q.error.textContent = q.currentError;
        q.error.hidden = false;
        shown += 1;
        if (q.input) q.input.setAttribute("aria-invalid", "true");
      } else {
        q.error.textContent = "";
        q.error.hidden = true;
        if (q.input) q.input.removeAttribute("aria-invalid");
      }
      if (q.input) {
        const ids = (q.input.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== q.error.id);
        if (show) ids.push(q.error.id);
        if (ids.length) q.input.setAttribute("aria-describedby", ids.join(" "));
      }
      void target;
    }
    const summary = $("calc-error-summary");
    summary.hidden = shown === 0;
    summary.textContent = shown ? T.validation.summary : "";
  }

  // ---- share link: the fragment ------------------------------------------------------------
  function fragmentOf(answers) {
    const params = new URLSearchParams();
    for (const q of questions) if (q.id in answers) params.set(q.id, String(answers[q.id]));
    const day = chosenDay();
    if (day && day !== today) params.set("on", day);
    return params.toString();
  }

  // The share link is shown and copied, not written into the address bar: changing the URL on
  // every answer makes browsers fetch the favicon again, and computing must send no request.
  function writeFragment(answers) {
    const frag = fragmentOf(answers);
    $("calc-share-link").value = location.origin + location.pathname + (frag ? "#" + frag : "");
  }

  function clearForm() {
    if (dateInput) dateInput.value = today;
    for (const q of questions) {
      for (const r of q.radios) r.checked = false;
      if (q.input) q.input.value = "";
      q.touched = false;
    }
  }

  function notice(text) {
    const el = $("calc-notice");
    el.textContent = text || "";
    el.hidden = !text;
  }

  // Treat the fragment as hostile: bounded, known keys only, values checked against the form.
  function applyFragment(hash) {
    const raw = (hash || "").replace(/^#/, "");
    // "#main-content" and other in-page anchors (the theme's skip link) are not answers
    if (!raw || !raw.includes("=")) return false;
    if (raw.length > FRAGMENT_LIMIT) { notice(T.share.too_long); return false; }
    let params;
    try { params = new URLSearchParams(raw); } catch { notice(fmt(T.share.ignored, { count: 1 })); return false; }
    clearForm();
    let ignored = 0;
    let applied = 0;
    let seen = 0;
    const done = new Set();
    for (const [key, value] of params) {
      seen += 1;
      if (seen > FRAGMENT_MAX_ITEMS) { ignored += 1; continue; }
      if (key === "on" && dateInput && !done.has(key)) {
        done.add(key);
        if (isDay(value)) { dateInput.value = value; applied += 1; } else ignored += 1;
        continue;
      }
      const q = byId.get(key);
      if (!q || done.has(key)) { ignored += 1; continue; }
      done.add(key);
      if (q.radios.length) {
        const radio = q.radios.find((r) => r.value === value);
        if (radio) { radio.checked = true; applied += 1; } else ignored += 1;
      } else if (q.type === "month" ? monthAnswer(value).value : /^\d{1,15}$/.test(value)) {
        q.input.value = q.type === "month" ? value : String(Number(value));
        q.touched = true;
        applied += 1;
      } else ignored += 1;
    }
    if (ignored) notice(fmt(T.share.ignored, { count: ignored }));
    else if (applied > 1) notice(T.share.restored);
    else notice("");
    return applied > 0;
  }

  // ---- worker ------------------------------------------------------------------------------
  let worker = null;
  let ready = false;
  let failed = false;
  let rulesVersion = null;
  let seq = 0;
  const pending = new Map();
  let latestRequested = 0;
  let lastResult = null;
  let lastAnswers = {};

  function setPhase(phase) {
    root.dataset.phase = phase;
    $("calc-progress").value = PHASES[phase] || 0;
    if (phase === "ready") {
      $("calc-phase").textContent = T.status.ready + " " + fmt(T.status.rules_version, { version: rulesVersion });
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
    renderWaiting();
    if (worker) { try { worker.terminate(); } catch { /* already gone */ } }
  }

  function startWorker() {
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
        performance.mark("calculator-ready"); // read by scripts/bench.py: navigation to ready
        // after a first visit, the service worker keeps everything this page used
        keepOffline(import.meta.url, m, [new URL(root.dataset.siteRoot || "../", location.href).href]).then((kept) => {
          if (!kept) return;
          root.dataset.offline = "ready";
          $("calc-phase-note").hidden = false;
          $("calc-phase-note").textContent = T.status.offline_ready;
        });
        update(true);
      } else if (m.type === "snapshot-kept") {
        root.dataset.snapshot = "kept"; // for tests and the bench: the next visit can restore it
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

  // ---- evaluation --------------------------------------------------------------------------
  let timer = null;
  let changedAt = null; // when the oldest answer not yet shown was given (for data-ms)
  function update(immediate) {
    clearTimeout(timer);
    if (changedAt === null) changedAt = performance.now();
    // Show or hide the follow-up questions at once, so the next Tab reaches them;
    // only the evaluation waits for the typing to pause.
    if (!immediate) collect();
    const run = () => {
      const { answers, errors } = collect();
      showErrors(false);
      void errors;
      writeFragment(answers);
      renderAnswers(answers);
      lastAnswers = answers;
      if (!("role" in answers) || !ready) changedAt = null;
      if (!("role" in answers)) {
        lastResult = null;
        renderPlaceholder(T.results.choose_role);
        return;
      }
      if (!ready) { renderWaiting(); return; }
      const id = ++latestRequested;
      resultsBox.dataset.state = "pending";
      const request = JSON.stringify({ answers, on: chosenDay(), lang });
      call({ type: "evaluate", request }).then((json) => {
        if (id !== latestRequested) return; // a newer answer is on its way
        lastResult = JSON.parse(json);
        renderResult(lastResult);
        // time from the answer to the rendered result, for the speed test
        if (changedAt !== null) resultsBox.dataset.ms = String(Math.round(performance.now() - changedAt));
        changedAt = null;
      }).catch(() => {
        if (id !== latestRequested || failed) return;
        renderPlaceholder(T.failure.evaluate_failed);
        resultsBox.dataset.state = "error";
      });
    };
    if (immediate) run(); else timer = setTimeout(run, DEBOUNCE_MS);
  }

  // ---- rendering ---------------------------------------------------------------------------
  function renderPlaceholder(text) {
    resultsBox.replaceChildren(h("p", { class: "calc-placeholder", text }));
    resultsBox.dataset.state = "empty";
    $("calc-live").textContent = "";
  }

  function renderWaiting() {
    if (!("role" in lastAnswers) && !failed) return renderPlaceholder(T.results.choose_role);
    renderPlaceholder(failed ? T.failure.title : T.results.waiting);
    resultsBox.dataset.state = failed ? "failed" : "waiting";
  }

  function renderAnswers(answers) {
    const list = $("calc-answers-list");
    const rows = [];
    for (const q of questions) {
      if (!q.visible) continue;
      let text = T.page.not_answered;
      if (q.id in answers) {
        const v = answers[q.id];
        if (q.radios.length) {
          const radio = q.radios.find((r) => r.value === String(v));
          text = radio ? radio.parentElement.textContent.trim() : String(v);
        } else if (q.type === "month") {
          text = monthText(v);
        } else {
          const unit = q.el.querySelector(".calc-unit");
          text = count(v) + (unit ? (lang === "zh" ? "" : " ") + unit.textContent : "");
        }
      }
      rows.push(h("dt", { text: q.label }), h("dd", { text }));
    }
    list.replaceChildren(...rows);
  }

  // Within a recipient, what the visitor can get comes first (the engine's order otherwise).
  const STATUS_ORDER = { eligible: 0, may_be_eligible: 1, needs_answers: 2, info_only: 3, not_in_force: 4, not_eligible: 5 };
  const STATUS_CLASS = new Set(["eligible", "may_be_eligible", "needs_answers", "not_eligible", "info_only", "not_in_force"]);

  // A link from the result ("/measures/<id>/" from the site root) made relative to this page.
  function siteLink(url) {
    if (typeof url !== "string" || !url.startsWith("/") || url.startsWith("//")) return null;
    const base = new URL(root.dataset.siteRoot || "../", location.href);
    let path = url.slice(1);
    if (lang === "en" && !path.startsWith("en/")) path = "en/" + path;
    if (lang === "zh" && path.startsWith("en/")) return null;
    const target = new URL(path, lang === "en" ? new URL("../", base) : base);
    return target.origin === location.origin ? target.pathname : null;
  }

  function focusQuestion(qid) {
    const q = byId.get(qid);
    if (!q || !q.visible) return;
    const target = q.input || q.radios.find((r) => r.checked) || q.radios[0];
    q.el.scrollIntoView({ block: "center" });
    target.focus();
  }

  function renderItem(item) {
    const status = STATUS_CLASS.has(item.status) ? item.status : "info_only";
    const parts = [];
    parts.push(h("h4", { class: "calc-item-name" }, item.name || ""));
    parts.push(h("p", { class: "calc-item-status" },
      h("span", { class: `calc-badge calc-badge-${status}`, "data-status": status, text: item.status_text || "" }),
      item.amount_text ? h("span", { class: "calc-amount", text: item.amount_text }) : null));
    const facts = [];
    if (item.frequency_text) facts.push(h("span", { text: item.frequency_text }));
    if (item.duration_text) facts.push(h("span", { text: item.duration_text }));
    if (facts.length) parts.push(h("p", { class: "calc-facts" }, facts));
    if (Array.isArray(item.arithmetic) && item.arithmetic.length) {
      parts.push(h("div", { class: "calc-arithmetic" }, h("p", { class: "calc-sub", text: T.results.arithmetic }),
        h("ul", {}, item.arithmetic.map((line) => h("li", { text: line })))));
    }
    if (Array.isArray(item.left_out) && item.left_out.length) {
      parts.push(h("div", {}, h("p", { class: "calc-sub", text: T.results.left_out }),
        h("ul", {}, item.left_out.map((line) => h("li", { text: line })))));
    }
    if (Array.isArray(item.missing) && item.missing.length) {
      parts.push(h("div", { class: "calc-missing" }, h("p", { class: "calc-sub", text: T.results.missing }),
        h("ul", {}, item.missing.map((m) => {
          const button = h("button", { type: "button", class: "calc-linklike", text: m.label || m.question });
          button.addEventListener("click", () => focusQuestion(m.question));
          return h("li", {}, button);
        }))));
    }
    if (Array.isArray(item.reasons) && item.reasons.length) {
      parts.push(h("div", {}, h("p", { class: "calc-sub", text: T.results.conditions }),
        h("ul", { class: "calc-reasons" }, item.reasons.map((r) => {
          const state = r.met === true ? "met" : r.met === false ? "not_met" : "unknown";
          return h("li", { class: `calc-${state.replace("_", "-")}`, "data-met": state },
            h("span", { class: "calc-mark", "aria-hidden": "true", text: { met: "✓", not_met: "✗", unknown: "?" }[state] }),
            h("span", { class: "calc-visually-hidden", text: T.results[state] + (lang === "zh" ? "：" : ": ") }),
            h("span", { text: r.text }));
        }))));
    }
    if (Array.isArray(item.self_check) && item.self_check.length) {
      parts.push(h("div", { class: "calc-self-check" }, h("p", { class: "calc-sub", text: T.results.self_check }),
        h("ul", {}, item.self_check.map((line) => h("li", { text: line })))));
    }
    if (item.how_to_apply) {
      parts.push(h("div", {}, h("p", { class: "calc-sub", text: T.results.how_to_apply }), h("p", { text: item.how_to_apply })));
    }
    const href = siteLink(item.url);
    if (href) {
      parts.push(h("p", { class: "calc-measure-link" }, h("a", { href },
        fmt(T.results.measure_link, { number: item.measure_number ?? "", title: item.measure_title || "" }))));
    }
    return h("article", { class: `calc-item calc-item-${status}`, "data-benefit": item.benefit_id || "", "data-status": status }, parts);
  }

  function renderResult(result) {
    const nodes = [];
    if (Array.isArray(result.errors) && result.errors.length) {
      nodes.push(h("div", { class: "calc-result-errors" }, h("p", { text: T.results.invalid_answers }),
        h("ul", {}, result.errors.map((e) => h("li", { text: e.message || "" })))));
    }
    const groups = Array.isArray(result.groups) ? result.groups : [];
    for (const group of groups) {
      const items = (Array.isArray(group.items) ? group.items : []).map((item, i) => [item, i])
        .sort((a, b) => (STATUS_ORDER[a[0].status] ?? 9) - (STATUS_ORDER[b[0].status] ?? 9) || a[1] - b[1])
        .map(([item]) => item);
      nodes.push(h("section", { class: "calc-group", "data-recipient": group.recipient || "" },
        h("h3", { class: "calc-group-title", text: group.title || "" }),
        group.total_text ? h("p", { class: "calc-group-total" }, h("span", { class: "calc-total-label", text: T.results.total + (lang === "zh" ? "：" : ": ") }),
          h("strong", { class: "calc-total", text: group.total_text })) : null,
        items.map(renderItem)));
    }
    if (!groups.length) nodes.push(h("p", { class: "calc-placeholder", text: T.results.nothing }));
    const measures = Array.isArray(result.measures) ? result.measures : [];
    if (measures.length) {
      nodes.push(h("details", { class: "calc-measures" }, h("summary", { text: T.results.all_measures }),
        h("ul", {}, measures.map((m) => {
          const href = siteLink(m.url);
          const status = STATUS_CLASS.has(m.status) ? m.status : "info_only";
          const title = `${m.number ?? ""}. ${m.title || ""}`;
          // an ended or not yet started measure says when ("This measure ended on ...")
          const when = status === "not_in_force" && Array.isArray(m.reasons) && m.reasons.length
            ? h("span", { class: "calc-measure-when", text: " " + m.reasons.join(" ") }) : null;
          return h("li", { "data-measure": m.id || "", "data-status": status }, href ? h("a", { href, text: title }) : title, " ",
            h("span", { class: `calc-badge calc-badge-${status}`, text: m.status_text || "" }), when);
        }))));
    }
    if (result.disclaimer) nodes.push(h("p", { class: "calc-disclaimer", text: result.disclaimer }));
    nodes.push(h("p", { class: "calc-applied", text: fmt(T.results.applied, { version: result.rules_version || rulesVersion, date: result.date_text || result.date || "" }) }));
    resultsBox.replaceChildren(...nodes);
    resultsBox.dataset.state = "done";
    resultsBox.dataset.rulesVersion = result.rules_version || "";
    const totals = groups.filter((g) => g.total_text).map((g) => `${g.title} ${g.total_text}`);
    $("calc-live").textContent = T.results.updated + (totals.length ? " " + totals.join("；") : "");
  }

  // ---- actions -----------------------------------------------------------------------------
  $("calc-copy").addEventListener("click", async () => {
    const link = $("calc-share-link").value;
    const status = $("calc-copy-status");
    try {
      await navigator.clipboard.writeText(link);
      status.textContent = T.actions.copied;
    } catch {
      status.textContent = T.actions.copy_failed;
      $("calc-share-link").focus();
      $("calc-share-link").select();
    }
  });
  $("calc-print").addEventListener("click", () => window.print());
  $("calc-download").addEventListener("click", () => {
    const data = {
      page: location.origin + location.pathname,
      share_link: $("calc-share-link").value,
      lang,
      rules_version: rulesVersion,
      on: chosenDay() || today,
      answers: lastAnswers,
      result: lastResult,
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
    clearForm();
    notice("");
    update(true);
    const first = questions[0];
    if (first && first.radios[0]) first.radios[0].focus();
  });
  $("calc-reload").addEventListener("click", () => location.reload());

  form.addEventListener("submit", (event) => { event.preventDefault(); collect(); showErrors(true); });
  form.addEventListener("input", (event) => {
    const q = byId.get(event.target.name);
    if (q && q.input && q.error && !q.error.hidden) q.touched = true; // keep showing until fixed
    update(false);
  });
  form.addEventListener("change", (event) => {
    const q = byId.get(event.target.name);
    if (q) q.touched = true;
    update(false);
  });
  form.addEventListener("focusout", (event) => {
    const q = byId.get(event.target.name);
    if (q && q.input && q.input.value !== "") { q.touched = true; collect(); showErrors(false); }
  });
  window.addEventListener("hashchange", () => {
    applyFragment(location.hash);
    update(true);
  });

  if (testMode) {
    // For the parity test only: evaluate many requests in the page's real Pyodide in one call.
    window.__subsidyCalculatorTest = Object.freeze({
      evaluateMany: (requests) => (ready ? call({ type: "evaluate-batch", requests: requests.map(String) }) : Promise.reject(new Error("not ready"))),
    });
  }

  applyFragment(location.hash);
  update(true);
  performance.mark("calculator-form"); // read by scripts/bench.py: the form answers from here on
  startWorker();
}
