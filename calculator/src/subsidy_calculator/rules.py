"""Three-valued rules: True (met), False (not met), None (unknown: an answer is missing).

A rule (policy/README.md, "Rules") is compiled once, at load time, into a closure, so that
evaluating it is a few dictionary look-ups. Anything the policy format does not allow is a
`RulesError` at load time, never a surprise at evaluation time.
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from .vocabulary import COMPARISONS, DATED, QUESTION_OPS

Answers = Mapping[str, Any]
Figures = Mapping[str, Any]          # figure id -> value in force on the chosen day, or None
# The evaluation day ("YYYY-MM-DD") travels in the figures mapping under this key, which no
# figure id can take (ids are lowercase letters, digits and '_'). Dated rules read it.
ON_DAY = "@on"
Test = Callable[[Answers, Figures], "bool | None"]

_MISSING = object()
_COMPARISONS = dict(zip(COMPARISONS, (operator.ge, operator.le, operator.gt, operator.lt)))
_LEAF_KEYS = frozenset(QUESTION_OPS)


class RulesError(ValueError):
    """The rules bundle cannot be used (names the place of the problem)."""


class Rule:
    """A compiled rule: `test(answers, figures)`; when the result is unknown, `unknowns` adds
    the questions whose answers would settle it; `figures`: the figures it compares with."""

    __slots__ = ("test", "unknowns", "figures")

    def __init__(self, test: Test, unknowns: Callable[[Answers, Figures, set], None], figures: frozenset) -> None:
        self.test = test
        self.unknowns = unknowns
        self.figures = figures


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, bool, int, float))


def _same(answer: Any, value: Any) -> bool:
    """Equality that keeps booleans apart from numbers (True is not 1)."""
    return answer == value and (type(answer) is bool) == (type(value) is bool)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _month_index(value: Any) -> int | None:
    """'2024-07' (a month answer) or '2026-11-26' (a day) -> months since year 0; else None."""
    if not isinstance(value, str) or len(value) not in (7, 10) or value[4:5] != "-":
        return None
    year, month = value[:4], value[5:7]
    if not (year.isdigit() and month.isdigit()) or not 1 <= int(month) <= 12:
        return None
    return int(year) * 12 + int(month) - 1


def _dated(op: str, operand: Any, where: str, figures: Any) -> tuple[Callable[[Any, Figures], bool | None], str | None]:
    """A dated check on a month answer, against the evaluation day (figures[ON_DAY]).
    `within: {figure: F}` (F in years or months): the month is not after the day's month and at
    most F before it ('within 2 years' of leaving, counted in whole months on the day).
    `same_year: true`: the month is in the calendar year of the day ('in the graduation year')."""
    if op == "same_year":
        if operand is not True:
            raise RulesError(f"{where}.same_year: must be true")

        def same_year(v: Any, f: Figures) -> bool | None:
            answer, day = _month_index(v), _month_index(f.get(ON_DAY))
            if day is None:
                return None
            return answer is not None and answer // 12 == day // 12

        return same_year, None
    if not (isinstance(operand, Mapping) and set(operand) == {"figure"}):
        raise RulesError(f"{where}.within: must be {{figure: F}}, a month or year figure")
    fid = operand["figure"]
    unit = (figures.get(fid) or {}).get("unit") if isinstance(figures, Mapping) else None
    if figures is None or fid not in figures or unit not in ("month", "year"):
        raise RulesError(f"{where}.within: no month or year figure {fid!r} here")
    per = 12 if unit == "year" else 1

    def within(v: Any, f: Figures, fid: str = fid, per: int = per) -> bool | None:
        n, day = f.get(fid), _month_index(f.get(ON_DAY))
        if n is None or day is None:
            return None
        answer = _month_index(v)
        return answer is not None and 0 <= day - answer <= n * per

    return within, fid


def rule_refs(rule: Any, key: str) -> Iterator[str]:
    """Every name a rule (or anything holding rules, such as a min/max limit) gives under `key`:
    "question", "figure" or "condition"."""
    if isinstance(rule, Mapping):
        if isinstance(rule.get(key), str):
            yield rule[key]
        for value in rule.values():
            yield from rule_refs(value, key)
    elif isinstance(rule, list):
        for value in rule:
            yield from rule_refs(value, key)


def question_refs(rule: Any) -> Iterator[str]:
    """Every question a rule names."""
    return rule_refs(rule, "question")


def compile_rule(rule: Any, where: str, questions: Collection[str],
                 figures: Collection[str] | None = None,
                 condition: Callable[[str, str], Rule] | None = None) -> Rule:
    """Compile `rule`. `figures`: the figure ids a `{figure: F}` may name (None: none allowed).
    `condition(id, where)`: returns the compiled rule of another condition of the same benefit."""
    if not isinstance(rule, Mapping) or not rule:
        raise RulesError(f"{where}: a rule must be a mapping, got {rule!r}")
    if "question" in rule:
        return _leaf(rule, where, questions, figures)
    if len(rule) != 1:
        raise RulesError(f"{where}: a rule has exactly one of all/any/not/condition/question, got {sorted(rule)}")
    (kind, body), = rule.items()
    if kind in ("all", "any"):
        if not isinstance(body, list) or not body:
            raise RulesError(f"{where}.{kind}: must be a non-empty list of rules")
        parts = [compile_rule(r, f"{where}.{kind}[{i}]", questions, figures, condition)
                 for i, r in enumerate(body)]
        return (_all if kind == "all" else _any)(parts)
    if kind == "not":
        inner = compile_rule(body, f"{where}.not", questions, figures, condition)
        test = inner.test

        def negate(a: Answers, f: Figures) -> bool | None:
            r = test(a, f)
            return None if r is None else not r

        return Rule(negate, inner.unknowns, inner.figures)
    if kind == "condition":
        if condition is None or not isinstance(body, str):
            raise RulesError(f"{where}.condition: only a benefit's conditions can refer to another condition")
        return condition(body, f"{where}.condition")
    raise RulesError(f"{where}: unknown rule form {kind!r}")


def _leaf(rule: Mapping[str, Any], where: str, questions: Collection[str],
          figures: Collection[str] | None) -> Rule:
    q = rule["question"]
    if q not in questions:
        raise RulesError(f"{where}: no question {q!r}")
    ops = [k for k in rule if k != "question"]
    if not ops or any(k not in _LEAF_KEYS for k in ops):
        raise RulesError(f"{where}: a question rule needs equals/in/min/max/above/below/within/same_year, got {ops}")
    checks: list[Callable[[Any, Figures], bool | None]] = []
    used_figures: set[str] = set()
    for op in ops:
        operand = rule[op]
        if op == "equals":
            if not _scalar(operand):
                raise RulesError(f"{where}.equals: must be a text, number or true/false")

            def equals(v: Any, f: Figures, x: Any = operand) -> bool | None:
                return _same(v, x)

            checks.append(equals)
        elif op == "in":
            if not isinstance(operand, list) or not operand or not all(map(_scalar, operand)):
                raise RulesError(f"{where}.in: must be a non-empty list of texts, numbers or true/false")
            if all(type(x) is str for x in operand):
                def in_texts(v: Any, f: Figures, s: frozenset[str] = frozenset(operand)) -> bool | None:
                    return type(v) is str and v in s

                checks.append(in_texts)
            else:
                def in_values(v: Any, f: Figures, xs: tuple[Any, ...] = tuple(operand)) -> bool | None:
                    return any(_same(v, x) for x in xs)

                checks.append(in_values)
        elif op in DATED:
            check, fid = _dated(op, operand, where, figures)
            if fid is not None:
                used_figures.add(fid)
            checks.append(check)
        else:
            compare = _COMPARISONS[op]
            if _number(operand):
                def against_number(v: Any, f: Figures, c: Callable[[Any, Any], bool] = compare,
                                   n: float = operand) -> bool | None:
                    return _number(v) and c(v, n)

                checks.append(against_number)
            elif isinstance(operand, Mapping) and set(operand) == {"figure"}:
                fid = operand["figure"]
                if figures is None or fid not in figures:
                    raise RulesError(f"{where}.{op}: no figure {fid!r} here")
                used_figures.add(fid)

                def against_figure(v: Any, f: Figures, c: Callable[[Any, Any], bool] = compare,
                                   fid: str = fid) -> bool | None:
                    n = f.get(fid)
                    if n is None:
                        return None
                    return _number(v) and c(v, n)

                checks.append(against_figure)
            else:
                raise RulesError(f"{where}.{op}: must be a number or {{figure: F}}")

    if len(checks) == 1:
        check = checks[0]

        def test(a: Answers, f: Figures) -> bool | None:
            v = a.get(q, _MISSING)
            return None if v is _MISSING else check(v, f)
    else:
        def test(a: Answers, f: Figures) -> bool | None:
            v = a.get(q, _MISSING)
            if v is _MISSING:
                return None
            result: bool | None = True
            for c in checks:
                r = c(v, f)
                if r is False:
                    return False
                if r is None:
                    result = None
            return result

    def unknowns(a: Answers, f: Figures, out: set) -> None:
        if q not in a:
            out.add(q)

    return Rule(test, unknowns, frozenset(used_figures))


def _all(parts: list[Rule]) -> Rule:
    tests = [p.test for p in parts]

    def test(a: Answers, f: Figures) -> bool | None:
        result: bool | None = True
        for t in tests:
            r = t(a, f)
            if r is False:
                return False
            if r is None:
                result = None
        return result

    return Rule(test, _unknowns_of(parts), _figures_of(parts))


def _any(parts: list[Rule]) -> Rule:
    tests = [p.test for p in parts]

    def test(a: Answers, f: Figures) -> bool | None:
        result: bool | None = False
        for t in tests:
            r = t(a, f)
            if r is True:
                return True
            if r is None:
                result = None
        return result

    return Rule(test, _unknowns_of(parts), _figures_of(parts))


def _unknowns_of(parts: list[Rule]) -> Callable[[Answers, Figures, set], None]:
    def unknowns(a: Answers, f: Figures, out: set) -> None:
        for p in parts:
            if p.test(a, f) is None:
                p.unknowns(a, f, out)

    return unknowns


def _figures_of(parts: list[Rule]) -> frozenset:
    return frozenset().union(*(p.figures for p in parts))


def compile_conditions(conditions: Any, where: str, questions: Collection[str],
                       figures: Collection[str]) -> list[tuple[Mapping[str, Any], Rule]]:
    """A benefit's conditions, in order, with `{condition: id}` resolved (no cycles)."""
    if conditions is None:
        return []
    if not isinstance(conditions, list):
        raise RulesError(f"{where}: must be a list")
    by_id: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for i, c in enumerate(conditions):
        if not isinstance(c, Mapping) or not isinstance(c.get("id"), str) or "rule" not in c or "text" not in c:
            raise RulesError(f"{where}[{i}]: a condition needs id, rule and text")
        if c["id"] in by_id:
            raise RulesError(f"{where}[{i}]: duplicate condition id {c['id']!r}")
        by_id[c["id"]] = (i, c)
    compiled: dict[str, Rule] = {}
    active: list[str] = []

    def resolve(cid: str, at: str) -> Rule:
        if cid in compiled:
            return compiled[cid]
        if cid not in by_id:
            raise RulesError(f"{at}: no condition {cid!r} in this benefit")
        if cid in active:
            raise RulesError(f"{at}: conditions refer to each other in a circle: {' -> '.join(active + [cid])}")
        active.append(cid)
        i, c = by_id[cid]
        compiled[cid] = compile_rule(c["rule"], f"{where}[{i}].rule", questions, figures, resolve)
        active.pop()
        return compiled[cid]

    return [(c, resolve(c["id"], f"{where}[{i}]")) for i, c in enumerate(conditions)]
