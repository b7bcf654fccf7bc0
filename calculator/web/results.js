// The calculator's results panel and the "your answers" list, as DOM nodes (textContent only,
// never innerHTML), from what Python returned (calculator/README.md, "Browser"): the first cards
// of each recipient (the visitor asks for more), the measures as positions in the measure table
// and statuses. Nothing is computed here.

import { $, count as countIn, fmt, h } from "./dom.js";

const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
// cards a recipient's "show more" adds (the worker sends the first few: subsidy_calculator.engine.CARDS)
export const MORE_CARDS = 10;
const STATUS_CLASS = new Set(["eligible", "may_be_eligible", "needs_answers", "not_eligible", "info_only", "not_in_force"]);

/**
 * The results of the calculator in `root` (its data-site-root gives the links), with the page's
 * texts `T` in `lang`; `focusQuestion(id)` takes the visitor to a question a result names;
 * `more(recipient, shown)` asks for more of a recipient's cards than the `shown` ones.
 */
export function createResults(root, T, lang, focusQuestion, more) {
  const resultsBox = $("calc-results");
  const count = (n) => countIn(n, lang);
  // "2025-07" -> "2025年7月" / "July 2025", as formatting.py writes dates
  const monthText = (v) => {
    const [y, m] = v.split("-").map(Number);
    return lang === "zh" ? `${y}年${m}月` : `${EN_MONTHS[m - 1]} ${y}`;
  };

  function placeholder(text) {
    resultsBox.replaceChildren(h("p", { class: "calc-placeholder", text }));
    resultsBox.dataset.state = "empty";
    $("calc-live").textContent = "";
  }

  // No result to show yet: `answered` when the role is answered, `failed` when Python cannot start.
  function waiting(answered, failed) {
    if (!answered && !failed) return placeholder(T.results.choose_role);
    placeholder(failed ? T.failure.title : T.results.waiting);
    resultsBox.dataset.state = failed ? "failed" : "waiting";
  }

  function pending() {
    resultsBox.dataset.state = "pending";
  }

  function error() {
    placeholder(T.failure.evaluate_failed);
    resultsBox.dataset.state = "error";
  }

  // time from an answer to its rendered result, for the speed test
  function took(ms) {
    resultsBox.dataset.ms = String(Math.round(ms));
  }

  // The visible questions and their answers, as the visitor gave them.
  function answers(questions, given) {
    const list = $("calc-answers-list");
    const rows = [];
    for (const q of questions) {
      if (!q.visible) continue;
      let text = T.page.not_answered;
      if (q.id in given) {
        const v = given[q.id];
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

  function item(it) {
    const status = STATUS_CLASS.has(it.status) ? it.status : "info_only";
    const parts = [];
    parts.push(h("h4", { class: "calc-item-name" }, it.name || ""));
    parts.push(h("p", { class: "calc-item-status" },
      h("span", { class: `calc-badge calc-badge-${status}`, "data-status": status, text: it.status_text || "" }),
      it.amount_text ? h("span", { class: "calc-amount", text: it.amount_text }) : null));
    const facts = [];
    if (it.frequency_text) facts.push(h("span", { text: it.frequency_text }));
    if (it.duration_text) facts.push(h("span", { text: it.duration_text }));
    if (facts.length) parts.push(h("p", { class: "calc-facts" }, facts));
    if (Array.isArray(it.arithmetic) && it.arithmetic.length) {
      parts.push(h("div", { class: "calc-arithmetic" }, h("p", { class: "calc-sub", text: T.results.arithmetic }),
        h("ul", {}, it.arithmetic.map((line) => h("li", { text: line })))));
    }
    if (Array.isArray(it.left_out) && it.left_out.length) {
      parts.push(h("div", {}, h("p", { class: "calc-sub", text: T.results.left_out }),
        h("ul", {}, it.left_out.map((line) => h("li", { text: line })))));
    }
    if (Array.isArray(it.missing) && it.missing.length) {
      parts.push(h("div", { class: "calc-missing" }, h("p", { class: "calc-sub", text: T.results.missing }),
        h("ul", {}, it.missing.map((m) => {
          const button = h("button", { type: "button", class: "calc-linklike", text: m.label || m.question });
          button.addEventListener("click", () => focusQuestion(m.question));
          return h("li", {}, button);
        }))));
    }
    if (Array.isArray(it.reasons) && it.reasons.length) {
      parts.push(h("div", {}, h("p", { class: "calc-sub", text: T.results.conditions }),
        h("ul", { class: "calc-reasons" }, it.reasons.map((r) => {
          const state = r.met === true ? "met" : r.met === false ? "not_met" : "unknown";
          return h("li", { class: `calc-${state.replace("_", "-")}`, "data-met": state },
            h("span", { class: "calc-mark", "aria-hidden": "true", text: { met: "✓", not_met: "✗", unknown: "?" }[state] }),
            h("span", { class: "calc-visually-hidden", text: T.results[state] + (lang === "zh" ? "：" : ": ") }),
            h("span", { text: r.text }));
        }))));
    }
    if (Array.isArray(it.self_check) && it.self_check.length) {
      parts.push(h("div", { class: "calc-self-check" }, h("p", { class: "calc-sub", text: T.results.self_check }),
        h("ul", {}, it.self_check.map((line) => h("li", { text: line })))));
    }
    // what would change it (whatif.py): only these self-checks remain, one more, dated changes ahead
    const whatIf = it.what_if && typeof it.what_if === "object" ? it.what_if : {};
    const ahead = [whatIf.remaining, whatIf.one_more, ...(Array.isArray(whatIf.ahead) ? whatIf.ahead : [])]
      .filter((line) => typeof line === "string" && line);
    if (ahead.length) {
      parts.push(h("ul", { class: "calc-what-if" }, ahead.map((line) => h("li", { text: line }))));
    }
    if (it.how_to_apply) {
      parts.push(h("div", {}, h("p", { class: "calc-sub", text: T.results.how_to_apply }), h("p", { text: it.how_to_apply })));
    }
    const href = siteLink(it.url);
    if (href) {
      parts.push(h("p", { class: "calc-measure-link" }, h("a", { href },
        fmt(T.results.measure_link, { label: it.measure_label || "", title: it.measure_title || "" }))));
    }
    return h("article", { class: `calc-item calc-item-${status}`, "data-benefit": it.benefit_id || "", "data-status": status }, parts);
  }

  // One evaluation's result, with the measure table it lists the measures against
  // (`table`: browser_shape's measure_table); `rulesVersion` when the result does not name its own.
  function result(r, table, rulesVersion) {
    const nodes = [];
    if (Array.isArray(r.errors) && r.errors.length) {
      nodes.push(h("div", { class: "calc-result-errors" }, h("p", { text: T.results.invalid_answers }),
        h("ul", {}, r.errors.map((e) => h("li", { text: e.message || "" })))));
    }
    const groups = Array.isArray(r.groups) ? r.groups : [];
    for (const group of groups) {
      const items = Array.isArray(group.items) ? group.items : [];
      if (!items.length) continue;
      // the first cards; the rest when the visitor asks (the totals are over all of them)
      const rest = typeof group.count === "number" ? group.count - items.length : 0;
      let moreCards = null;
      if (rest > 0) {
        const button = h("button", { type: "button", class: "md-button calc-more",
          text: fmt(T.results.show_more, { count: count(Math.min(rest, MORE_CARDS)) }) });
        button.addEventListener("click", () => more(group.recipient, items.length));
        moreCards = h("div", { class: "calc-more-box" },
          h("p", { class: "calc-shown", text: fmt(T.results.shown_of, { shown: count(items.length), count: count(group.count) }) }),
          button);
      }
      nodes.push(h("section", { class: "calc-group", "data-recipient": group.recipient || "" },
        h("h3", { class: "calc-group-title", text: group.title || "" }),
        group.total_text ? h("p", { class: "calc-group-total" }, h("span", { class: "calc-total-label", text: T.results.total + (lang === "zh" ? "：" : ": ") }),
          h("strong", { class: "calc-total", text: group.total_text })) : null,
        items.map(item), moreCards));
    }
    if (!nodes.some((n) => n.classList && n.classList.contains("calc-group"))) {
      nodes.push(h("p", { class: "calc-placeholder", text: T.results.nothing }));
    }
    // the questions the visitor went past that some benefits still wait for (not shown as cards)
    const skippedLabels = (Array.isArray(r.skipped) ? r.skipped : []).filter((l) => typeof l === "string");
    if (skippedLabels.length) {
      nodes.push(h("p", { class: "calc-skipped", text: fmt(T.results.skipped, { labels: skippedLabels.map((l) => `“${l}”`).join(lang === "zh" ? "、" : ", ") }) }));
    }
    // the nearest changes of answers that would open a benefit that does not apply now, each once
    const changes = (Array.isArray(r.what_if) ? r.what_if : []).filter((c) => c && typeof c.text === "string");
    if (changes.length) {
      nodes.push(h("section", { class: "calc-changes" }, h("h3", { text: T.results.what_if }),
        h("ul", {}, changes.map((c) => h("li", { "data-opens": Array.isArray(c.opens) ? c.opens.join(" ") : "", text: c.text })))));
    }
    const measures = listedMeasures(r, table);
    if (measures.length) {
      // notice by notice, in the result's order: a heading, then its measures
      const byNotice = [];
      for (const m of measures) {
        if (!byNotice.length || byNotice[byNotice.length - 1].notice !== m.notice) {
          byNotice.push({ notice: m.notice, title: m.notice_title || "", measures: [] });
        }
        byNotice[byNotice.length - 1].measures.push(m);
      }
      nodes.push(h("details", { class: "calc-measures" }, h("summary", { text: T.results.all_measures }),
        byNotice.map((group) => h("section", { class: "calc-notice-group", "data-notice": group.notice || "" },
          h("h4", { class: "calc-notice-title", text: group.title }),
          h("ul", {}, group.measures.map((m) => {
            const href = siteLink(m.url);
            const status = STATUS_CLASS.has(m.status) ? m.status : "info_only";
            const title = `${m.label || ""} ${m.title || ""}`;
            // an ended, repealed or not yet started measure says so ("This measure ended on ...")
            const when = status === "not_in_force" && Array.isArray(m.reasons) && m.reasons.length
              ? h("span", { class: "calc-measure-when", text: " " + m.reasons.join(" ") }) : null;
            return h("li", { "data-measure": m.id || "", "data-status": status }, href ? h("a", { href, text: title }) : title, " ",
              h("span", { class: `calc-badge calc-badge-${status}`, text: m.status_text || "" }), when);
          })))),
        // the measures whose benefits are all for other kinds of visitor: how many, not each
        typeof r.other_measures === "string" ? h("p", { class: "calc-other-measures", text: r.other_measures }) : null));
    }
    if (r.disclaimer) nodes.push(h("p", { class: "calc-disclaimer", text: r.disclaimer }));
    nodes.push(h("p", { class: "calc-applied", text: fmt(T.results.applied, { version: r.rules_version || rulesVersion, date: r.date_text || r.date || "" }) }));
    resultsBox.replaceChildren(...nodes);
    resultsBox.dataset.state = "done";
    resultsBox.dataset.rulesVersion = r.rules_version || "";
    const totals = groups.filter((g) => g.total_text).map((g) => `${g.title} ${g.total_text}`);
    $("calc-live").textContent = T.results.updated + (totals.length ? " " + totals.join("；") : "");
  }

  return { placeholder, waiting, pending, error, took, answers, result };
}

/**
 * The measures a result lists (`measures`: [position in the table, status, reasons when not in
 * force], in no particular order), in the table's order, each with what the measure table says
 * of it: {id, notice, notice_title, label, title, url, status, status_text, reasons}. Also what
 * the "download" button saves.
 */
export function listedMeasures(r, table) {
  const rows = table && Array.isArray(table.measures) ? table.measures : [];
  const statuses = table && table.statuses && typeof table.statuses === "object" ? table.statuses : {};
  const lines = (Array.isArray(r.measures) ? r.measures : [])
    .filter((line) => Array.isArray(line) && Number.isInteger(line[0]) && Array.isArray(rows[line[0]]))
    .sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const line of lines) {
    const [id, notice, noticeTitle, label, title, url] = rows[line[0]];
    const status = String(line[1]);
    out.push({ id, notice, notice_title: noticeTitle, label, title, url, status,
      status_text: Object.hasOwn(statuses, status) ? statuses[status] : "", reasons: Array.isArray(line[2]) ? line[2] : [] });
  }
  return out;
}
