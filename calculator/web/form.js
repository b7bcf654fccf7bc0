// The calculator's form: the questions as the server rendered them, which of them are asked,
// the answers read back with their inline errors (rules.js decides what is accepted), the day the
// result is for, and the share link (answers only in the URL fragment, treated as hostile).

import { monthAnswer, numberAnswer, asked } from "./rules.js";
import { $, count as countIn, fmt } from "./dom.js";

const FRAGMENT_LIMIT = 2048; // characters of a share link's fragment we are willing to read
const FRAGMENT_MAX_ITEMS = 64;

const pad = (n) => String(n).padStart(2, "0");
const isDay = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v + "T00:00:00Z"))
  && new Date(v + "T00:00:00Z").toISOString().slice(0, 10) === v;

/** The form inside `formElement`, with the page's texts `T` in `lang`. */
export function createForm(formElement, T, lang) {
  const count = (n) => countIn(n, lang);

  // ---- questions, read back from the server-rendered form ---------------------------------
  const questions = [...formElement.querySelectorAll(".calc-q")].map((el) => {
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
  /** @type {HTMLInputElement} */
  const dateInput = $("calc-on");
  const now = new Date();
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
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

  // The errors of the answers given (`all`: of every visible question, as on submit).
  function showErrors(all) {
    let shown = 0;
    for (const q of questions) {
      const show = q.visible && q.currentError && (all || q.touched);
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
    }
    const summary = $("calc-error-summary");
    summary.hidden = shown === 0;
    summary.textContent = shown ? T.validation.summary : "";
  }

  // An answer the visitor is typing or has chosen: its error shows from now on (`keepShown`: only
  // when it shows already, "keep showing until fixed").
  function touch(name, keepShown) {
    const q = byId.get(name);
    if (!q) return;
    if (!keepShown) q.touched = true;
    else if (q.input && q.error && !q.error.hidden) q.touched = true;
  }

  // Leaving a typed answer shows its error at once.
  // Returns true when a field is left blank for the first time (it then counts as skipped).
  function left(name) {
    const q = byId.get(name);
    if (!q) return false;
    // (a number field holding no number, "3e", has the value "" and says so too)
    if (q.input && (q.input.value !== "" || q.input.validity.badInput)) { q.touched = true; collect(); showErrors(false); }
    const blank = q.input ? q.input.value === "" && !q.input.validity.badInput : !q.radios.some((r) => r.checked);
    const first = blank && !q.visited;
    q.visited = true;
    return first;
  }

  // A missing answer named in a result: bring its question into view, focused.
  function focusQuestion(qid) {
    const q = byId.get(qid);
    if (!q || !q.visible) return;
    const target = q.input || q.radios.find((r) => r.checked) || q.radios[0];
    q.el.scrollIntoView({ block: "center" });
    target.focus();
  }

  function focusFirst() {
    const first = questions[0];
    if (first && first.radios[0]) first.radios[0].focus();
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
    /** @type {HTMLInputElement} */
    const shareLink = $("calc-share-link");
    shareLink.value = location.origin + location.pathname + (frag ? "#" + frag : "");
  }

  // The questions asked, left blank, and gone past: a later question asked has an answer, or the
  // visitor was in the field and left it empty.
  function skipped(answers) {
    const out = new Set();
    let later = false;
    for (const q of [...questions].reverse()) {
      if (q.el.hidden) continue;
      if (q.id in answers) later = true;
      else if (later || q.visited) out.add(q.id);
    }
    return out;
  }

  function clear() {
    if (dateInput) dateInput.value = today;
    for (const q of questions) {
      for (const r of q.radios) r.checked = false;
      if (q.input) q.input.value = "";
      q.touched = false;
      q.visited = false;
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
    clear();
    let ignored = 0;
    let applied = 0;
    let seen = 0;
    let droppedDay = null; // a date the form cannot take (not a day, or one the date field refuses)
    const done = new Set();
    for (const [key, value] of params) {
      seen += 1;
      if (seen > FRAGMENT_MAX_ITEMS) { ignored += 1; continue; }
      if (key === "on" && dateInput && !done.has(key)) {
        done.add(key);
        if (isDay(value)) dateInput.value = value;
        if (isDay(value) && dateInput.value === value) applied += 1;
        else { droppedDay = value.slice(0, 40); dateInput.value = today; }
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
    const said = droppedDay === null ? [] : [fmt(T.share.date_ignored, { date: droppedDay })];
    if (ignored) said.push(fmt(T.share.ignored, { count: ignored }));
    else if (applied > 1) said.push(T.share.restored);
    notice(said.join(" "));
    return applied > 0;
  }

  return {
    questions, today, chosenDay, collect, showErrors, touch, left, focusQuestion, focusFirst,
    writeFragment, applyFragment, clear, notice, skipped,
  };
}
