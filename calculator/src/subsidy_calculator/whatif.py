"""What would change the answer, worked out from the rules themselves (never written by hand).

For a result already evaluated, `annotate` adds to each item a `what_if` with:
- `changes`: for a benefit that is not eligible, the nearest changes of answers the visitor can
  make (questions marked `changeable: true`) that make it eligible or "may be eligible", each as
  {answers, status, closes, text}: the answers to change, the status it would bring, the benefits
  that change would close, and the sentence (with the amount);
- `one_more`: for an amount that grows with a count, what one more adds for each recipient, with
  the arithmetic;
- `ahead`: dated changes of the policy after the chosen day that touch this benefit;
- `remaining`: for "may be eligible", that only the points to check oneself remain.
A change the visitor cannot make (who they are, their enterprise's size) is never offered: the
unmet condition stays the reason. Nothing leaves the process; the same code runs in Pyodide.
"""
from __future__ import annotations

from itertools import product
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from . import periods
from .answers import Question
from .formatting import format_count, format_date, format_money
from .rules import Rule, question_refs
from .texts import fill, with_duration


# What this module reads of the engine, which calls it (engine.py imports whatif.py, never the
# other way round: .importlinter). engine.Rules, _View, _MeasureView, _BenefitView and _Done have
# these; mypy checks it where the engine passes them in.

class _Done(Protocol):
    """A measure's kept assessment (engine._Done)."""
    entry: dict[str, Any]
    ahead: dict[str, list[str]] | None


class _BenefitView(Protocol):
    @property
    def benefit(self) -> Any: ...   # engine.Benefit
    @property
    def conditions(self) -> Sequence[Rule]: ...


class _MeasureView(Protocol):
    @property
    def measure(self) -> Any: ...   # engine.Measure
    @property
    def figure_values(self) -> Mapping[str, Any]: ...
    @property
    def benefits(self) -> Sequence[_BenefitView]: ...


class _View(Protocol):
    """The day and language an evaluation is for, with their texts (engine._View)."""
    @property
    def iso(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def text(self) -> Mapping[str, str]: ...
    @property
    def labels(self) -> Mapping[str, str]: ...
    @property
    def units(self) -> Mapping[str, str]: ...
    @property
    def question_index(self) -> Mapping[str, int]: ...
    @property
    def measures(self) -> Sequence[_MeasureView]: ...


class Rules(Protocol):
    """The compiled rules (engine.Rules)."""
    @property
    def measures(self) -> Sequence[Any]: ...   # engine.Measure
    @property
    def questions(self) -> Sequence[Question]: ...
    @property
    def question_by_id(self) -> Mapping[str, Question]: ...
    @property
    def change_days(self) -> Sequence[str]: ...
    @property
    def measures_using(self) -> Mapping[str, frozenset[str]]: ...
    def evaluate(self, answers: Any, on: Any = None, lang: Any = "zh", what_if: bool = False,
                 only: Any = None, shared: bool = False) -> dict[str, Any]: ...
    def assessments(self, clean: Mapping[str, Any], iso: str, lang: str) -> Sequence[_Done]: ...

MAX_AHEAD = 4            # dated changes shown ahead of the chosen day
_OPENS = ("eligible", "may_be_eligible")
_HOLDS = ("eligible", "may_be_eligible", "needs_answers")


def annotate(rules: "Rules", result: dict[str, Any], clean: Mapping[str, Any], view: "_View",
             done: Sequence["_Done"]) -> None:
    """Add `what_if` to every item of `result` (evaluated from `clean` answers on `view`'s day;
    `done`: the assessment of every measure it was made from), and `what_if` to the result: the
    nearest changes, each once, with the benefits they open."""
    views = {(mv.measure.id, bv.benefit.id): (mv, bv) for mv in view.measures for bv in mv.benefits}
    text = view.text
    ahead = _ahead(rules, clean, view, done)
    one_more = _one_more(rules, result, clean, view, views)
    wanted: dict[tuple, list[dict[str, Any]]] = {}   # a change -> the items it would open
    for measure in result["measures"]:
        for item in measure["items"]:
            key = (item["measure_id"], item["benefit_id"])
            entry: dict[str, Any] = {"changes": [], "one_more": one_more.get(key), "ahead": ahead.get(key, []),
                                     "remaining": None}
            if item["status"] == "not_eligible" and key in views:
                for change in _nearest(rules, clean, view, *views[key]):
                    wanted.setdefault(tuple(sorted(change.items())), []).append(item)
            elif item["status"] == "may_be_eligible" and item["self_check"]:
                entry["remaining"] = fill(text["what_if.remaining"], count=format_count(len(item["self_check"]), view.lang))
            item["what_if"] = entry
    result["what_if"] = [_opened(rules, result, clean, view, dict(change), items) for change, items in wanted.items()]
    result["what_if"] = [c for c in result["what_if"] if c["opens"]]


def measures_using(rules: "Rules") -> dict[str, frozenset[str]]:
    """{question: the measures whose result an answer to it can change}: through a benefit's
    conditions or amount, or through a question it decides is asked (ask_when, max)."""
    direct: dict[str, set[str]] = {}
    for m in rules.measures:
        for name in m.reads:  # its conditions' questions and the counts its amounts multiply by
            direct.setdefault(name, set()).add(m.id)
    depends = {q.id: set(question_refs({k: q.raw.get(k) for k in ("ask_when", "max", "min")})) for q in rules.questions}
    out: dict[str, frozenset[str]] = {}
    for q in rules.questions:
        seen, todo, found = {q.id}, [q.id], set()
        while todo:  # the question, and every question whose asking depends on it
            current = todo.pop()
            found |= direct.get(current, set())
            for other, needs in depends.items():
                if current in needs and other not in seen:
                    seen.add(other)
                    todo.append(other)
        out[q.id] = frozenset(found)
    return out


# ---- the nearest change -----------------------------------------------------------------------

def _numbers(rule: Any, question: str, figures: Mapping[str, Any]) -> set[int]:
    """The thresholds a rule compares `question` with (a figure read on the day)."""
    found: set[int] = set()
    if isinstance(rule, Mapping):
        if rule.get("question") == question:
            for op in ("min", "max", "above", "below", "equals"):
                value = rule.get(op)
                if isinstance(value, Mapping) and "figure" in value:
                    value = figures.get(value["figure"])
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    found.update({int(value) - 1, int(value), int(value) + 1})
        for value in rule.values():
            found |= _numbers(value, question, figures)
    elif isinstance(rule, list):
        for value in rule:
            found |= _numbers(value, question, figures)
    return found


def _candidates(rules: "Rules", qid: str, current: Any, failed: list[Mapping[str, Any]],
                figures: Mapping[str, Any]) -> list[Any]:
    """Values to try for one question, nearest first."""
    q = rules.question_by_id[qid]
    if q.type == "boolean":
        return [v for v in (True, False) if v != current]
    if q.type == "choice":
        return [o["value"] for o in q.raw.get("options") or () if o["value"] != current]
    if q.type in ("integer", "money"):
        values = set()
        for condition in failed:
            values |= _numbers(condition.get("rule"), qid, figures)
        low = q.min if isinstance(q.min, int) else 0
        high = q.max if isinstance(q.max, int) else None
        values = {v for v in values if v >= low and (high is None or v <= high) and v != current}
        base = current if isinstance(current, int) else 0
        return sorted(values, key=lambda v: (abs(v - base), v))
    return []  # a month: when something happened is not advice


def _works(bv: "_BenefitView", answers: Mapping[str, Any], figures: Mapping[str, Any]) -> bool:
    return all(rule.test(answers, figures) is True for rule in bv.conditions)


def _nearest(rules: "Rules", clean: Mapping[str, Any], view: "_View", mv: "_MeasureView",
             bv: "_BenefitView") -> list[dict[str, Any]]:
    """The nearest changes of changeable answers under which all of the benefit's conditions hold
    (its own rules only: cheap). [] when a condition fails that only who the visitor is decides."""
    figures = mv.figure_values
    active = [c for c, period in zip(bv.benefit.conditions, bv.benefit.condition_periods)
              if periods.contains(period, view.iso)]
    failed = [raw for raw, rule in active if rule.test(clean, figures) is False]
    questions: list[str] = []
    for raw in failed:
        mine = [q for q in question_refs(raw.get("rule")) if q in rules.question_by_id
                and rules.question_by_id[q].raw.get("changeable") is True]
        if not mine:
            return []  # only who the visitor is decides it: the unmet condition is the reason
        questions += [q for q in mine if q not in questions]
    options = {q: _candidates(rules, q, clean.get(q), failed, figures) for q in questions}
    for size in (1, 2):
        found = []
        for chosen in _subsets(questions, size):
            for values in product(*(options[q] for q in chosen)):
                if _works(bv, {**clean, **dict(zip(chosen, values))}, figures):
                    found.append(dict(zip(chosen, values)))
                    break  # the nearest value of these questions
        if found:
            return found[:2]
    return []


def _opened(rules: "Rules", result: dict[str, Any], clean: Mapping[str, Any], view: "_View",
            change: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    """Evaluate one change once, over the measures it can touch: the items it opens (each item's
    `what_if.changes` gets it), the benefits it closes, and the sentence."""
    touched = frozenset().union(*(rules.measures_using.get(q, frozenset()) for q in change))
    after = rules.evaluate({**clean, **change}, view.iso, view.lang, only=touched, shared=True)
    opened = []
    now = _index(after)
    for item in items:
        new = now.get((item["measure_id"], item["benefit_id"]))
        if new is None or new["status"] not in _OPENS:
            continue  # an answer that hides another question, or a limit: not a way in
        opened.append((item, new))
    closed = _closed(result, now, [item for item, _ in opened], touched)
    sep, text = view.text["separator"], view.text
    answers = sep.join(fill(text["what_if.answer"], label=view.labels[q], value=_value_text(rules, view, q, v))
                       for q, v in sorted(change.items(), key=lambda kv: view.question_index[kv[0]]))
    names = []
    for item, new in opened:
        line = _sentence(view, item, answers, new, closed)
        item["what_if"]["changes"].append({"answers": change, "status": new["status"], "closes": closed, "text": line})
        names.append(_outcome_name(view, item, new))
    sentence = fill(text["what_if.opens"], answers=answers, names=sep.join(names))
    if closed:
        sentence += fill(text["what_if.closes"], names=sep.join(closed))
    return {"answers": change, "opens": [i["benefit_id"] for i, _ in opened], "closes": closed, "text": sentence}


def _subsets(items: list[str], size: int) -> Iterable[tuple[str, ...]]:
    if size == 1:
        return [(i,) for i in items]
    return [(a, b) for n, a in enumerate(items) for b in items[n + 1:]]


def _index(result: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """{(measure id, benefit id): item} of a result."""
    return {(i["measure_id"], i["benefit_id"]): i for m in result["measures"] for i in m["items"]}


def _closed(before: Mapping[str, Any], after: Mapping[tuple[str, str], Mapping[str, Any]],
            opened: list[Mapping[str, Any]], touched: frozenset[str]) -> list[str]:
    """Names of the benefits that applied before the change and no longer do after it."""
    names = []
    for measure in before["measures"]:
        if measure["id"] not in touched:
            continue
        for item in measure["items"]:
            if any(item is o for o in opened) or item["status"] not in _OPENS:
                continue
            now = after.get((item["measure_id"], item["benefit_id"]))
            if (now is None or now["status"] not in _HOLDS) and item["name"] not in names:
                names.append(item["name"])
    return names


def _value_text(rules: "Rules", view: "_View", qid: str, value: Any) -> str:
    q = rules.question_by_id[qid]
    if q.type == "boolean":
        return view.text["what_if.yes" if value else "what_if.no"]
    if q.type == "choice":
        return next(o["label"][view.lang] for o in q.raw["options"] if o["value"] == value)
    unit = view.units.get(qid, "")
    return fill(view.text["what_if.count"], count=format_count(value, view.lang), unit=unit)


def _outcome(view: "_View", new: Mapping[str, Any]) -> str:
    if new["status"] == "eligible":
        return fill(view.text["what_if.would_be_eligible"],
                    amount=with_duration(view.text, new["amount_text"], new["duration_text"]))
    return fill(view.text["what_if.would_maybe"], count=format_count(len(new["self_check"]), view.lang))


def _outcome_name(view: "_View", item: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """A benefit and what it would bring, for the list of what one change opens."""
    if new["status"] == "eligible" and new["amount_text"]:
        return fill(view.text["what_if.named_amount"], name=item["name"], amount=new["amount_text"])
    return fill(view.text["what_if.named_maybe"], name=item["name"])


def _sentence(view: "_View", item: Mapping[str, Any], answers: str, new: Mapping[str, Any], closed: list[str]) -> str:
    line = fill(view.text["what_if.change"], name=item["name"], answers=answers, outcome=_outcome(view, new))
    if closed:
        line += fill(view.text["what_if.closes"], names=view.text["separator"].join(closed))
    return line


# ---- one more -------------------------------------------------------------------------------------

def _one_more(rules: "Rules", result: Mapping[str, Any], clean: Mapping[str, Any], view: "_View",
              views: Mapping[tuple[str, str], tuple["_MeasureView", "_BenefitView"]]) -> dict[tuple[str, str], str]:
    """For each count question an eligible amount grows with: what one more adds, per recipient."""
    counts: dict[str, list[Mapping[str, Any]]] = {}
    for group in result["groups"]:
        for item in group["items"]:
            found = views.get((item["measure_id"], item["benefit_id"]))
            count = found[1].benefit.amount.count if found else None
            if count and item["status"] == "eligible" and isinstance(clean.get(count), int):
                counts.setdefault(count, []).append(item)
    out: dict[tuple[str, str], str] = {}
    text, sep = view.text, view.text["separator"]
    for qid, items in counts.items():
        q = rules.question_by_id[qid]
        more = clean[qid] + 1
        if more > q.max or (q.max_question and isinstance(clean.get(q.max_question), int)
                            and more > clean[q.max_question]):
            continue  # one more would not be a valid answer (e.g. more than the placements made)
        after = rules.evaluate({**clean, qid: more}, view.iso, view.lang, shared=True,
                               only={item["measure_id"] for item in items})
        gains: dict[str, list[tuple[int, str]]] = {}  # recipient -> (amount, its effect) of each benefit
        now = _index(after)
        for item in items:
            new = now.get((item["measure_id"], item["benefit_id"]))
            if new is None or new["status"] != "eligible":
                continue
            if new["arithmetic"]:  # per: the total grows
                gain = (new["amount"] or 0) - (item["amount"] or 0)
                if gain:
                    gains.setdefault(item["recipient_title"], []).append((gain, fill(
                        text["what_if.adds"], recipient=item["recipient_title"],
                        amount=format_money(gain, view.lang), arithmetic=new["arithmetic"][0])))
            elif item["amount"] is not None:  # each: one more recipient gets the amount
                gains.setdefault(item["recipient_title"], []).append((item["amount"], fill(
                    text["what_if.each_more"], recipient=item["recipient_title"],
                    amount=format_money(item["amount"], view.lang))))
        # one effect per recipient: a benefit's own, or the sum of several (a library may hold many)
        effects = [found[0][1] if len(found) == 1 else
                   fill(text["what_if.adds_many"], recipient=recipient,
                        amount=format_money(sum(g for g, _ in found), view.lang),
                        count=format_count(len(found), view.lang))
                   for recipient, found in gains.items()]
        if effects:
            sentence = fill(text["what_if.one_more"], label=view.labels[qid], unit=view.units.get(qid, ""),
                            effects=sep.join(effects))
            for item in items:
                out[(item["measure_id"], item["benefit_id"])] = sentence
    return out


# ---- dated changes ahead ----------------------------------------------------------------------------

def _ahead(rules: "Rules", clean: Mapping[str, Any], view: "_View",
           done: Sequence["_Done"]) -> dict[tuple[str, str], list[str]]:
    """For each benefit the visitor may get: how it reads from each later day the policy dates.
    Kept with each measure's assessment: the same answers it reads give the same days ahead."""
    days = [d for d in rules.change_days if d > view.iso][:MAX_AHEAD]
    out: dict[tuple[str, str], list[str]] = {}
    if not days:
        return out
    later: list[Sequence["_Done"]] | None = None  # every measure on each later day, when first needed
    for i, d in enumerate(done):
        if d.ahead is None:
            if not any(item["status"] in _HOLDS for item in d.entry["items"]):
                d.ahead = {}
            else:
                if later is None:
                    later = [rules.assessments(clean, day, view.lang) for day in days]
                d.ahead = _ahead_of(d.entry, [on_day[i].entry for on_day in later], days, view)
        for benefit, lines in d.ahead.items():
            out[(d.entry["id"], benefit)] = lines
    return out


def _ahead_of(entry: Mapping[str, Any], later: list[Mapping[str, Any]], days: list[str],
              view: "_View") -> dict[str, list[str]]:
    """{benefit id: lines} of one measure's entry, from its entries on the later `days`."""
    last = {item["benefit_id"]: item for item in entry["items"] if item["status"] in _HOLDS}
    out: dict[str, list[str]] = {}
    text = view.text
    for day, on_day in zip(days, later):
        if not last:
            break
        now = {item["benefit_id"]: item for item in on_day["items"]}
        date = format_date(day, view.lang)
        for key, item in list(last.items()):
            new = now.get(key)
            if new is None:
                continue
            if new["status"] == "not_in_force":
                reason = next((r["text"] for r in new["reasons"] if r["met"] is False), new["status_text"])
                out.setdefault(key, []).append(fill(text["what_if.ahead_ends"], date=date, reason=reason))
                del last[key]
            elif new["amount_text"] != item["amount_text"] and new["amount_text"] and item["amount_text"]:
                out.setdefault(key, []).append(fill(text["what_if.ahead_amount"], date=date, name=item["name"],
                                                    new=new["amount_text"], old=item["amount_text"]))
                last[key] = new
    return out
