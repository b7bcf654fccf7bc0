// The form's share of the rule language (policy/README.md, "Rules"): which questions are asked
// (ask_when) and which typed numbers and months a question accepts (min, max, max of another answer).
// Python decides everything else. The same table of cases runs against this file and against
// subsidy_calculator (tests/conformance/form_rules.yaml), so the two cannot drift.

// Three-valued, as rules.py: true (met), false (not met), null (unknown: an answer is missing).
export function test(rule, answers) {
  if (!rule || typeof rule !== "object") return null;
  if (Array.isArray(rule.all)) return combine(rule.all.map((r) => test(r, answers)), false);
  if (Array.isArray(rule.any)) return combine(rule.any.map((r) => test(r, answers)), true);
  if ("not" in rule) {
    const inner = test(rule.not, answers);
    return inner === null ? null : !inner;
  }
  if (typeof rule.question !== "string" || !(rule.question in answers)) return null;
  const answer = answers[rule.question];
  let result = true;
  for (const [op, operand] of Object.entries(rule)) {
    if (op === "question") continue;
    const met = leaf(op, operand, answer);
    if (met === false) return false;
    if (met === null) result = null;
  }
  return result;
}

// all: the first false decides, else unknown if any is; any: the first true decides.
function combine(results, decisive) {
  if (results.includes(decisive)) return decisive;
  return results.includes(null) ? null : !decisive;
}

const COMPARE = {
  min: (a, n) => a >= n,
  max: (a, n) => a <= n,
  above: (a, n) => a > n,
  below: (a, n) => a < n,
};

function leaf(op, operand, answer) {
  if (op === "equals") return answer === operand;
  if (op === "in") return Array.isArray(operand) && operand.includes(answer);
  if (op in COMPARE) {
    if (typeof operand !== "number") return null; // {figure: F}: never in ask_when
    return typeof answer === "number" && COMPARE[op](answer, operand);
  }
  return null;
}

// A question is asked only when its ask_when holds: unknown counts as not asked, and the answer
// of a question not asked is not used (in Python too).
export function asked(askWhen, answers) {
  return askWhen === null || askWhen === undefined || test(askWhen, answers) === true;
}

// A typed answer to a number question: {empty} | {value} | {error: code, min, max}.
// limits: {min, max, maxQuestion} (null where the question sets none); answers: the usable
// answers to earlier questions. Codes as Python's: wrong_type, out_of_range, above_other.
export function numberAnswer(raw, limits, answers) {
  const text = String(raw).trim();
  if (text === "") return { empty: true };
  if (!/^-?\d+$/.test(text)) return { error: "wrong_type" };
  const n = Number(text);
  // beyond what JSON carries exactly between JavaScript and Python: out of range, as in Python
  const min = limits.min ?? -Number.MAX_SAFE_INTEGER;
  const max = limits.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(n) || n < min || n > max) return { error: "out_of_range", min, max };
  const other = limits.maxQuestion ? answers[limits.maxQuestion] : undefined;
  if (typeof other === "number" && n > other) return { error: "above_other", min, max: other };
  return { value: n };
}

// A typed answer to a month question ("2025-07", as <input type="month"> gives it, or typed where
// a browser shows a text box): {empty} | {value} | {error: "wrong_type"}, as answers.py decides.
export function monthAnswer(raw) {
  const text = String(raw).trim();
  if (text === "") return { empty: true };
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text) ? { value: text } : { error: "wrong_type" };
}
