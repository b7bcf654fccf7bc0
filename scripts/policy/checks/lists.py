"""Checks of questions.yaml `lists:` (the lists checked row by row; their shape is in
questions.schema.json): the role, asked questions, column ids, row conditions over the columns,
counts that name number questions and conditions of the list; and the cases of
scenarios/lists.yaml name real lists."""
from __future__ import annotations

from typing import Any

from scripts.policy.checks.context import Context, as_dict, as_list, hashable, items
from scripts.policy.messages import msg
from scripts.policy.problems import PathT
from scripts.policy.reader import Doc

LIST_SCENARIOS = "scenarios/lists.yaml"   # the list check's cases (schema: list_scenarios)
LIST_SCENARIOS_KIND = "list_scenarios"


def check(ctx: Context) -> None:
    doc = ctx.docs.questions
    if doc is None:
        return
    data = as_dict(doc.data)
    questions = {q.get("id"): q for _, q in items(data.get("questions")) if hashable(q.get("id"))}
    role = as_dict(questions.get("role"))
    roles = [o.get("value") for _, o in items(role.get("options"))]
    ids: set[Any] = set()
    for i, spec in items(data.get("lists")):
        path: PathT = ("lists", i)
        if not hashable(spec.get("id")):
            continue
        if spec.get("id") in ids:
            ctx.add(doc, path + ("id",), "duplicate_list_id", ident=str(spec.get("id")))
        ids.add(spec.get("id"))
        if role and spec.get("role") not in roles:
            ctx.unknown(doc, path + ("role",), msg("thing.role"), spec.get("role"), roles, msg("where.role_options"))
        for j, qid in enumerate(as_list(spec.get("asks"))):
            if not hashable(qid) or qid not in questions:
                ctx.unknown(doc, path + ("asks", j), msg("thing.question"), qid, questions, msg("where.questions"))
        columns: dict[Any, dict[str, Any]] = {}
        for j, column in items(spec.get("columns")):
            if not hashable(column.get("id")):
                continue
            if column.get("id") in columns:
                ctx.add(doc, path + ("columns", j, "id"), "duplicate_column_id", ident=str(column.get("id")))
            columns[column.get("id")] = column
        if not any(c.get("required") for c in columns.values()):
            ctx.add(doc, path + ("columns",), "no_required_column")
        conditions: dict[Any, int] = {}
        for j, condition in items(spec.get("conditions")):
            if not hashable(condition.get("id")):
                continue
            if condition.get("id") in conditions:
                ctx.add(doc, path + ("conditions", j, "id"), "duplicate_list_condition_id",
                        ident=str(condition.get("id")))
            conditions[condition.get("id")] = j
            _rule(ctx, doc, path + ("conditions", j, "rule"), condition.get("rule"), columns)
        _counts(ctx, doc, path, as_dict(spec.get("counts")), questions, conditions)
    for scenarios in ctx.docs.scenarios:
        if scenarios.file != LIST_SCENARIOS:
            continue
        for i, case in items(as_dict(scenarios.data).get("cases")):
            if not hashable(case.get("list")) or case.get("list") not in ids:
                ctx.unknown(scenarios, ("cases", i, "list"), msg("thing.list"), case.get("list"), ids,
                            msg("where.lists"))


def _rule(ctx: Context, doc: Doc, path: PathT, node: Any, columns: dict[Any, dict[str, Any]]) -> None:
    node = as_dict(node)
    if "question" in node:
        cid = node["question"]
        column = columns.get(cid) if hashable(cid) else None
        if column is None:
            ctx.unknown(doc, path + ("question",), msg("thing.column"), cid, columns, msg("where.list_columns"))
            return
        values = [node["equals"]] if "equals" in node else node.get("in") if isinstance(node.get("in"), list) else []
        kind = column.get("type")
        for j, value in enumerate(values):
            where = path + (("equals",) if "equals" in node else ("in", j))
            if kind == "boolean" and not isinstance(value, bool):
                ctx.add(doc, where, "column_yes_no", column=str(cid))
            elif kind == "choice":
                options = [o.get("value") for _, o in items(column.get("options"))]
                if not hashable(value) or value not in options:
                    ctx.unknown(doc, where, msg("thing.option_of_column", column=str(cid)), value, options,
                                msg("where.its_options"))
        if kind in ("text", "date") and any(k in node for k in ("min", "max", "above", "below")):
            ctx.add(doc, path, "column_not_number", column=str(cid))
        return
    for kind in ("all", "any"):
        for j, part in items(node.get(kind)):
            _rule(ctx, doc, path + (kind, j), part, columns)
    if "not" in node:
        _rule(ctx, doc, path + ("not",), node["not"], columns)
    if "condition" in node:
        ctx.add(doc, path + ("condition",), "list_condition_refers")


def _counts(ctx: Context, doc: Doc, path: PathT, counts: dict[str, Any], questions: dict[Any, Any],
            conditions: dict[Any, int]) -> None:
    for qid, names in counts.items():
        question = questions.get(qid) if hashable(qid) else None
        if question is None:
            ctx.unknown(doc, path + ("counts", qid), msg("thing.question"), qid, questions, msg("where.questions"),
                        key=True)
        elif question.get("type") != "integer":
            ctx.add(doc, path + ("counts", qid), "count_not_whole_number", key=True, question=qid)
        for j, name in enumerate(names if isinstance(names, list) else []):
            if not hashable(name) or name not in conditions:
                ctx.unknown(doc, path + ("counts", qid, j), msg("thing.condition"), name, conditions,
                            msg("where.list_conditions"))
        # a count that may not exceed another answer must count only rows the other counts
        limit = as_dict(as_dict(question).get("max")).get("question")
        if hashable(limit) and limit in counts and isinstance(names, list) and isinstance(counts[limit], list) \
                and all(map(hashable, names + counts[limit])) and not set(counts[limit]) <= set(names):
            ctx.add(doc, path + ("counts", qid), "count_within_limit", key=True, question=qid, limit=str(limit),
                    add=tuple(sorted(map(str, set(counts[limit]) - set(names)))))


