"""Who an edit affects: the same answers evaluated by the engine under the published and the
edited rules, for the scenario cases and for a generated population.

    population(rules, size, seed)          -> answer sets: the same for the same questions and seed,
                                              every role equally, built from questions.yaml (a new
                                              question is answered too) and the figures' values
    compare(before, after, answers, day, lang) -> Difference | None
    summarise(differences, ...)            -> Summary: who gains, loses, changes status; totals per
                                              recipient
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from subsidy_calculator import Rules
from subsidy_calculator.engine import ROLE

POPULATION = 3000
SEED = 20
_SMALL = (0, 1, 2, 3, 4, 5, 8, 10)


def _numbers(rules: Rules) -> list[int]:
    """Whole numbers worth trying for a number question: small counts and every figure's value
    with its neighbours, so a threshold such as 'up to RMB 1 million' is crossed both ways."""
    found = {0, 1, 2, 3, 5, 10, 100}
    for figure in rules.all_figures.values():
        for entry in figure.get("values") or []:
            value = entry.get("value") if isinstance(entry, Mapping) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                whole = int(value)
                found.update((whole - 1, whole, whole + 1))
    return sorted(found)


def population(rules: Rules, size: int = POPULATION, seed: int = SEED) -> list[dict[str, Any]]:
    """`size` answer sets, an equal share for every role; each answers the questions the page
    would ask it (those whose `ask_when` its earlier answers meet)."""
    rng = random.Random(seed)
    numbers = _numbers(rules)
    role = rules.question_by_id[ROLE]
    roles = [o["value"] for o in role.raw.get("options") or []]
    people = []
    for i in range(size):
        answers: dict[str, Any] = {ROLE: roles[i % len(roles)]}
        for q in rules.questions:
            if q.id == ROLE or q.ask_when is not None and q.ask_when.test(answers, {}) is not True:
                continue
            if q.type == "choice":
                answers[q.id] = rng.choice([o["value"] for o in q.raw.get("options") or []])
            elif q.type == "boolean":
                answers[q.id] = rng.random() < 0.5
            else:
                high = q.max
                if q.max_question is not None and isinstance(answers.get(q.max_question), int):
                    high = min(high, answers[q.max_question])
                pool = _SMALL if rng.random() < 0.7 else numbers  # mostly the counts people have
                fits = [n for n in pool if q.min <= n <= high] or [n for n in numbers if q.min <= n <= high]
                answers[q.id] = rng.choice(fits) if fits else q.min
        people.append(answers)
    return people


@dataclass
class Outcome:
    """What one evaluation says, in the parts staff compare."""

    statuses: dict[str, str]                        # measure id -> status
    status_texts: dict[str, str]
    reasons: dict[str, list[str]]                   # measure id -> reasons
    items: dict[tuple[str, str], tuple]             # (measure, benefit) -> (status, amount, amount text, duration)
    totals: dict[str, int]                          # recipient -> total of fixed amounts
    titles: dict[Any, str]                          # measure id, (measure, benefit), recipient id -> its name

    @classmethod
    def of(cls, result: Mapping[str, Any]) -> "Outcome":
        measures = result["measures"]
        items = {(i["measure_id"], i["benefit_id"]): (i["status"], i["amount"], i["amount_text"], i["duration_text"])
                 for m in measures for i in m["items"]}
        titles: dict[Any, str] = {m["id"]: m["title"] for m in measures}
        titles.update({(i["measure_id"], i["benefit_id"]): i["name"] for m in measures for i in m["items"]})
        titles.update({g["recipient"]: g["title"] for g in result["groups"]})
        return cls({m["id"]: m["status"] for m in measures}, {m["id"]: m["status_text"] for m in measures},
                   {m["id"]: list(m["reasons"]) for m in measures}, items,
                   {g["recipient"]: g["total"] or 0 for g in result["groups"]}, titles)


@dataclass
class Difference:
    answers: Mapping[str, Any]
    day: str
    before: Outcome
    after: Outcome

    @property
    def measures(self) -> list[str]:
        """Measures whose status, reasons or benefits read differently."""
        ids = list(self.after.statuses) + [m for m in self.before.statuses if m not in self.after.statuses]
        return [m for m in ids if self.before.statuses.get(m) != self.after.statuses.get(m)
                or self.before.reasons.get(m) != self.after.reasons.get(m)
                or _items_of(self.before, m) != _items_of(self.after, m)]

    @property
    def status_changes(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """(measure, benefit or None for the measure itself, status before, status after)."""
        out: list[tuple[str, str | None, str | None, str | None]] = [
            (m, None, self.before.statuses.get(m), self.after.statuses.get(m)) for m in self.measures
            if self.before.statuses.get(m) != self.after.statuses.get(m)]
        old, new = self.before.items, self.after.items
        for key in list(new) + [k for k in old if k not in new]:
            was, now = (old[key][0] if key in old else None), (new[key][0] if key in new else None)
            if was != now:
                out.append((key[0], key[1], was, now))
        return out

    @property
    def money(self) -> int:
        return sum(self.after.totals.values()) - sum(self.before.totals.values())


def _items_of(outcome: Outcome, measure: str) -> dict:
    return {k: v for k, v in outcome.items.items() if k[0] == measure}


def _same(old: Outcome, new: Outcome) -> bool:
    return (old.statuses, old.reasons, old.items, old.totals) == (new.statuses, new.reasons, new.items, new.totals)


def _outcome(rules: Rules, answers: Mapping[str, Any], day: str, lang: str) -> Outcome:
    # the engine's kept assessments, read without a copy: Outcome.of takes what it keeps
    return Outcome.of(rules.evaluate(answers, day, lang, shared=True))


def compare(before: Rules, after: Rules, answers: Mapping[str, Any], day: str, lang: str) -> Difference | None:
    old = _outcome(before, answers, day, lang)
    new = _outcome(after, answers, day, lang)
    return None if _same(old, new) else Difference(answers, day, old, new)


@dataclass
class Summary:
    day: str
    people: int
    gain: int = 0                 # more money in all (the sum over recipients rises)
    lose: int = 0
    status: int = 0               # at least one measure's status changes
    wording: int = 0              # only the reasons or amount texts read differently
    transitions: Counter = field(default_factory=Counter)   # (measure, before, after) -> people
    totals_before: Counter = field(default_factory=Counter)  # recipient -> yuan over the population
    totals_after: Counter = field(default_factory=Counter)
    recipients_changed: Counter = field(default_factory=Counter)  # recipient -> people whose total moves
    titles: dict[str, str] = field(default_factory=dict)
    examples: dict[tuple, Mapping[str, Any]] = field(default_factory=dict)  # transition -> one answer set
    affected: int = 0             # anything at all reads differently


def summarise(before: Rules, after: Rules, people: Iterable[Mapping[str, Any]], day: str, lang: str) -> Summary:
    """Every answer set under both rules on `day`; counts of who is affected and how."""
    people = list(people)
    summary = Summary(day, len(people))
    alike = Counter(tuple(sorted(answers.items())) for answers in people)  # many people answer alike
    order = after.question_index
    for key, n in alike.items():
        answers = dict(sorted(key, key=lambda pair: order.get(pair[0], len(order))))
        old = _outcome(before, answers, day, lang)
        new = _outcome(after, answers, day, lang)
        for rid, total in old.totals.items():
            summary.totals_before[rid] += total * n
        for rid, total in new.totals.items():
            summary.totals_after[rid] += total * n
        summary.titles.update(old.titles)
        summary.titles.update(new.titles)
        if _same(old, new):
            continue
        d = Difference(answers, day, old, new)
        money, changes = d.money, d.status_changes
        summary.affected += n
        summary.gain += n * (money > 0)
        summary.lose += n * (money < 0)
        summary.status += n * bool(changes)
        summary.wording += n * (money == 0 and not changes)
        for rid in set(old.totals) | set(new.totals):
            if old.totals.get(rid, 0) != new.totals.get(rid, 0):
                summary.recipients_changed[rid] += n
        for change in changes:
            summary.transitions[change] += n
            summary.examples.setdefault(change, answers)
    return summary
