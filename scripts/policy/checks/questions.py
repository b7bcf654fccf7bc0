"""Checks of questions.yaml: option values, ask_when rules, min/max limits, the 'role' question."""
from __future__ import annotations

from typing import Any

from scripts.policy.checks.context import NUMERIC, Context, as_dict, hashable, items
from scripts.policy.messages import Shown, msg
from scripts.policy.problems import PathT


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
        if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (low, high)) and low > high:
            ctx.add(doc, path + ("max",), "max_below_min", max=high, min=low)
    if ctx.roles is None and ctx.have_questions and questions:
        ctx.add(doc, ("questions",), "no_role_question")
    ctx.placeholders(doc, doc.data, None)
