// Runs the cases of form_rules.yaml (given as JSON on standard input) against the page's
// rules.js (and dom.js's count and fmt) and prints, as JSON, what it decided: {asked: [{result, asked}], used: [[id]],
// numbers: [...], months: [...], counts: [...], fills: [...]}.
import { readFileSync } from "node:fs";
import { asked, monthAnswer, numberAnswer, test } from "../../calculator/web/rules.js";
import { count, fmt } from "../../calculator/web/dom.js";

const cases = JSON.parse(readFileSync(0, "utf8"));
const limits = Object.fromEntries(cases.questions.map((q) => [q.id, {
  min: typeof q.min === "number" ? q.min : null,
  max: typeof q.max === "number" ? q.max : null,
  maxQuestion: q.max && typeof q.max === "object" ? q.max.question : null,
}]));
process.stdout.write(JSON.stringify({
  asked: cases.asked.map((c) => ({ result: c.rule === null ? true : test(c.rule, c.answers), asked: asked(c.rule, c.answers) })),
  used: cases.used.map((c) => {
    const used = {}; // as app.js collects the form's answers
    for (const q of cases.questions) if (asked(q.ask_when ?? null, used) && q.id in c.answers) used[q.id] = c.answers[q.id];
    return Object.keys(used);
  }),
  months: cases.months.map((c) => monthAnswer(c.value)),
  counts: cases.counts.map((c) => count(c.n, c.lang)),
  fills: cases.fills.map((c) => fmt(c.template, c.values)),
  numbers: cases.numbers.map((c) => {
    const a = numberAnswer(String(c.value), limits[c.question], c.answers);
    return a.error ? { error: a.error } : { value: a.value };
  }),
}));
