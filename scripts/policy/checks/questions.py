"""Checks of questions.yaml: option values, ask_when rules, min/max limits, the 'role' question, and that
each question is asked only of the visitors whose benefits use it."""
from __future__ import annotations

from typing import Any

from subsidy_calculator.amounts import ShapeError, read_amount
from subsidy_calculator.rules import RulesError, compile_rule, question_refs

from scripts.policy.checks.context import NUMERIC, Context, as_dict, hashable, is_number, items
from scripts.policy.messages import Joined, Shown, msg
from scripts.policy.problems import PathT
from scripts.policy.reader import Doc


def check(ctx: Context) -> None:
    doc = ctx.docs.questions
    if doc is None:
        return
    questions = as_dict(doc.data).get("questions")
    for i, question in items(questions):
        qid = question.get("id")
        path: PathT = ("questions", i)
        seen: set[Any] = set()
        for j, option in items(question.get("options")):
            value = option.get("value")
            if hashable(value) and value in seen:
                ctx.add(doc, path + ("options", j, "value"), "duplicate_option", value=Shown.of(value))
            seen.add(value if hashable(value) else None)
        if "ask_when" in question:
            ctx.rule(doc, path + ("ask_when",), question["ask_when"], None, None,
                     before=qid if isinstance(qid, str) else None)
        for limit in ("min", "max"):
            ref = question.get(limit)
            if isinstance(ref, dict) and isinstance(ref.get("question"), str):
                other = ctx.questions.get(ref["question"])
                if other is None:
                    ctx.unknown(doc, path + (limit, "question"), msg("thing.question"), ref["question"],
                                ctx.questions, msg("where.questions"))
                elif other.get("type") not in NUMERIC:
                    ctx.add(doc, path + (limit, "question"), "not_number_question", question=ref["question"])
                elif ctx.order.get(ref["question"], 0) >= ctx.order.get(qid if isinstance(qid, str) else "", 0):
                    ctx.add(doc, path + (limit, "question"), "limit_asked_later", other=ref["question"],
                            question=qid, limit=limit)
        low, high = question.get("min"), question.get("max")
        if is_number(low) and is_number(high) and low > high:
            ctx.add(doc, path + ("max",), "max_below_min", max=high, min=low)
    if ctx.roles is None and ctx.have_questions and questions:
        ctx.add(doc, ("questions",), "no_role_question")
    ctx.placeholders(doc, doc.data, None)


def check_form_length(ctx: Context) -> None:
    """Run last, on an otherwise clean policy (a broken rule or role would make any count wrong)."""
    doc = ctx.docs.questions
    if doc is not None and ctx.roles and ctx.all_measures:
        asked_only_where_used(ctx, doc, as_dict(doc.data).get("questions"))


def used_by_roles(ctx: Context, questions: Any) -> dict[str, set[str]]:
    """{question: the roles whose benefits (or lists) use it}: in a benefit's conditions or amount,
    in a list's questions, or to decide whether (or up to what) a question so used is asked."""
    roles = set(ctx.roles or ())
    used: dict[str, set[str]] = {}
    for _doc, measure in ctx.measures.values():
        for _, benefit in items(measure.get("benefits")):
            who = set(benefit["roles"]) if isinstance(benefit.get("roles"), list) else roles
            names = {q for _, c in items(benefit.get("conditions")) for q in question_refs(c.get("rule"))}
            try:
                amount = read_amount(benefit.get("amount"))
                names.update(q for q in (amount.count, amount.total) if q)
            except ShapeError:  # the schema reports it
                pass
            for name in names:
                used.setdefault(name, set()).update(r for r in who if isinstance(r, str))
    for _, one_list in items(as_dict(ctx.docs.questions.data if ctx.docs.questions else {}).get("lists")):
        for name in [*(one_list.get("asks") or []), *as_dict(one_list.get("counts"))]:
            if isinstance(name, str) and isinstance(one_list.get("role"), str):
                used.setdefault(name, set()).add(one_list["role"])
    changed = True
    while changed:  # what a used question depends on is used by the same roles
        changed = False
        for _, question in items(questions):
            mine = used.get(question.get("id"))  # type: ignore[arg-type]
            if not mine:
                continue
            for name in question_refs({k: question.get(k) for k in ("ask_when", "min", "max")}):
                before = len(used.setdefault(name, set()))
                used[name] |= mine
                changed = changed or len(used[name]) != before
    return used


def asked_only_where_used(ctx: Context, doc: Doc, questions: Any) -> None:
    """A question no benefit uses, or one asked of visitors whose benefits never use it, makes the
    form longer for nothing: adding a notice must not lengthen the form for those it does not concern."""
    used = used_by_roles(ctx, questions)
    for i, question in items(questions):
        qid = question.get("id")
        if not isinstance(qid, str) or qid == "role":
            continue
        roles = used.get(qid, set())
        if not roles:
            ctx.add(doc, ("questions", i, "id"), "question_unused", question=qid)
            continue
        try:
            rule = compile_rule(question["ask_when"], "ask_when", list(ctx.questions)) if question.get("ask_when") else None
        except RulesError:  # reported by the rule checks
            continue
        extra = [r for r in ctx.roles or () if r not in roles and (rule is None or rule.test({"role": r}, {}) is not False)]
        if extra:
            ctx.add(doc, ("questions", i, "ask_when" if "ask_when" in question else "id"), "question_asked_too_widely",
                    question=qid, roles=Joined(tuple(extra), "word.and"),
                    used=", ".join(r for r in ctx.roles or () if r in roles))
