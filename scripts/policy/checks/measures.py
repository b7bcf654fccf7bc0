"""Checks of measures/*.yaml: file names and numbers, parts and audiences, figures quoted from the
notice, benefits (roles, recipients, amounts) and their conditions."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from subsidy_calculator import periods
from subsidy_calculator.amounts import ShapeError, read_amount, read_duration
from subsidy_calculator.amounts import problems as amount_problems

from scripts.policy.checks.context import FIGURE_REF, Context, as_dict, as_list, flat, hashable, items, texts
from scripts.policy.checks.trace import check_trace
from scripts.policy.messages import Joined, did_you_mean, msg
from scripts.policy.problems import PathT
from scripts.policy.reader import MEASURE_FILE, Doc


def collect(ctx: Context) -> None:
    """Index measures first: questions' and texts' [[measure.figure]] refer to them. A measure's id
    is its page's address, so it is unique in the whole library; its number, within its notice."""
    for notice in ctx.docs.notices:
        numbered: list[tuple[Doc, PathT, Any]] = []
        for doc in notice.measures:
            measure = as_dict(doc.data)
            ident = measure.get("id")
            if isinstance(ident, str):
                if ident in ctx.measures:
                    ctx.add(doc, ("id",), "duplicate_measure_id", ident=ident, other=ctx.measures[ident][0].file)
                else:
                    ctx.measures[ident] = (doc, measure)
            numbered.append((doc, ("number",), measure.get("number")))
            match = MEASURE_FILE.match(doc.file.rsplit("/", 1)[-1])
            number = measure.get("number")
            if match is None:
                ctx.add(doc, (), "measure_file_name")
            elif isinstance(number, int) and isinstance(ident, str) and \
                    (int(match.group(1)) != number or match.group(2) != ident):
                ctx.add(doc, ("id",), "measure_file_mismatch", expected=f"{number:02d}-{ident}.yaml")
        if ctx.all_measures:  # else the count is off
            ctx.numbers_1_to_n(numbered, "measure")


def check(ctx: Context) -> None:
    for doc, measure in ctx.measures.values():
        check_measure(ctx, doc, measure)


def check_measure(ctx: Context, doc: Doc, measure: dict[str, Any]) -> None:
    notice = ctx.notice_of(doc)
    parts = ctx.parts.get(notice.id, {}) if notice else {}
    part = measure.get("part")
    if isinstance(part, str) and notice is not None and notice.notice is not None and part not in parts:
        ctx.unknown(doc, ("part",), msg("thing.part"), part, parts,
                    msg("where.notice_parts", file=f"{notice.folder}/notice.yaml"))
    for i, audience in enumerate(as_list(measure.get("audiences"))):
        if isinstance(audience, str) and ctx.have_library and audience not in ctx.audiences:
            ctx.unknown(doc, ("audiences", i), msg("thing.audience"), audience, ctx.audiences,
                        msg("where.library_audiences"))
    figures = as_dict(measure.get("figures"))
    source = as_dict(measure.get("source"))
    # a value from a later notice names it (notice: id); amendments.py checks it against that text
    quotes = [q for q in [source.get("as_published")] if isinstance(q, str)]
    for name, figure in figures.items():
        check_figure(ctx, doc, ("figures", name), as_dict(figure), quotes)
    seen: set[str] = set()
    for i, benefit in items(measure.get("benefits")):
        ident = benefit.get("id")
        if isinstance(ident, str):
            if ident in seen:
                ctx.add(doc, ("benefits", i, "id"), "duplicate_benefit_id", ident=ident)
            seen.add(ident)
        check_benefit(ctx, doc, ("benefits", i), benefit, figures)
    ctx.placeholders(doc, measure, figures)
    check_typed_amounts(ctx, doc, measure, figures)
    check_trace(ctx, doc, measure)
    published = source.get("as_published")
    text = ctx.notice_texts.get(notice.id) if notice else None
    if notice is not None and text is not None and isinstance(published, str) and flat(published) not in text:
        ctx.add(doc, ("source", "as_published"), "not_in_notice", source_file=ctx.text_file(notice.id))


def typed_forms(value: int) -> list[str]:
    """How an amount of yuan could be typed in a text: 1111, 1,111; 100万 for 1000000."""
    forms = [str(value), f"{value:,}"]
    if value % 10000 == 0:
        forms.append(f"{value // 10000}万")
    return forms


def check_typed_amounts(ctx: Context, doc: Doc, measure: dict[str, Any], figures: dict[str, Any]) -> None:
    """An amount of the measure typed as a number in a visible text (outside the change log, which
    records what happened): it would not follow a dated change, so it must be [[figure]]."""
    typed: list[tuple[re.Pattern[str], str, str]] = []
    for name, figure in figures.items():
        if as_dict(figure).get("unit") != "yuan":
            continue
        for _, entry in items(as_dict(figure).get("values")):
            value = entry.get("value")
            if isinstance(value, int) and not isinstance(value, bool) and value >= 100:
                for form in typed_forms(value):
                    typed.append((re.compile(rf"(?<![\d,.]){re.escape(form)}(?![\d,]*\d)"), form, name))
    if not typed:
        return
    for key, value in measure.items():
        if key in ("change_log", "source", "figures"):
            continue
        for path, text in texts(value, (key,)):
            plain = FIGURE_REF.sub("", text)
            for pattern, form, name in typed:
                if pattern.search(plain):
                    ctx.add(doc, path, "amount_typed", shown=form, name=name)
                    break


def check_figure(ctx: Context, doc: Doc, path: PathT, figure: dict[str, Any], quotes: list[str]) -> None:
    values = list(items(figure.get("values")))
    for i, entry in values:
        vpath = path + ("values", i)
        published, value = entry.get("as_published"), entry.get("value")
        if isinstance(published, str) and quotes and "notice" not in entry and not any(published in q for q in quotes):
            ctx.add(doc, vpath + ("as_published",), "not_in_source", published=published)
        if isinstance(published, str) and isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers = published_numbers(published)
            if numbers and value not in numbers:
                ctx.add(doc, vpath + ("value",), "value_mismatch", value=f"{value:g}", published=published,
                        numbers=tuple(f"{n:g}" for n in numbers))
        ctx.date_range(doc, vpath, entry)
    # values whose dates can be compared: text or null, not ending before they start (reported above)
    ranges = [(i, e) for i, e in values
              if all(isinstance(d, str) or d is None for d in (e.get("from"), e.get("until"))) and periods.valid(e)]
    for n, (i, entry) in enumerate(ranges):
        for j, other in ranges[:n]:
            if periods.overlaps(entry, other):
                other_start, other_end = periods.start(other), periods.end(other)
                since = msg("in_force_from", date=other_start) if other_start else msg("in_force_from_start")
                until = msg("in_force_until", date=other_end) if other_end else msg("in_force_no_end")
                ctx.add(doc, path + ("values", i, "from"), "values_overlap", i=i, j=j, since=since, until=until)
            elif periods.begins_before(entry, other):
                ctx.add(doc, path + ("values", i, "from"), "values_order")


def check_benefit(ctx: Context, doc: Doc, path: PathT, benefit: dict[str, Any], figures: dict[str, Any]) -> None:
    roles = as_list(benefit.get("roles"))
    if ctx.roles is not None:
        for i, role in enumerate(roles):
            if hashable(role) and role not in ctx.roles:
                ctx.unknown(doc, path + ("roles", i), msg("thing.role"), role, ctx.roles, msg("where.role_options"))
    recipient = benefit.get("recipient")
    if isinstance(recipient, str) and ctx.have_library and recipient not in ctx.recipients:
        ctx.unknown(doc, path + ("recipient",), msg("thing.recipient"), recipient, ctx.recipients,
                    msg("where.library_recipients"))
    if isinstance(recipient, dict):
        for role, who in recipient.items():
            if ctx.roles is not None and role not in ctx.roles:
                ctx.add(doc, path + ("recipient", role), "not_a_role", key=True, role=role,
                        suggestion=did_you_mean(role, ctx.roles))
            if isinstance(who, str) and ctx.have_library and who not in ctx.recipients:
                ctx.unknown(doc, path + ("recipient", role), msg("thing.recipient"), who, ctx.recipients,
                            msg("where.library_recipients"))
        for role in roles:
            if hashable(role) and role not in recipient:
                ctx.add(doc, path + ("recipient",), "no_recipient_for_role", role=role)
    _amount(ctx, doc, path, benefit, figures)
    check_conditions(ctx, doc, path, benefit.get("conditions"), figures)


def _amount(ctx: Context, doc: Doc, path: PathT, benefit: dict[str, Any], figures: dict[str, Any]) -> None:
    """The figures and questions that `amount:` and `duration:` name (subsidy_calculator.amounts);
    a shape the schema forbids is the schema's to report."""
    try:
        amount, duration = read_amount(benefit.get("amount")), read_duration(benefit.get("duration"))
    except ShapeError:
        return
    questions = ctx.questions if ctx.have_questions else None
    for problem in amount_problems(
            amount, duration, lambda f: str(as_dict(figures[f]).get("unit")) if f in figures else None,
            lambda q: "integer" if questions is None else
            (str(questions[q].get("type")) if q in questions else None)):
        where = path + problem.path
        if problem.code == "unknown_figure":
            ctx.unknown(doc, where, msg("thing.figure"), problem.name, figures, msg("where.measure_figures"))
        elif problem.code == "figure_unit":
            ctx.add(doc, where, "figure_unit", name=problem.name, unit=problem.found, units=Joined(problem.allowed))
        elif problem.code == "unknown_question":
            ctx.unknown(doc, where, msg("thing.question"), problem.name, ctx.questions, msg("where.questions"))
        else:
            ctx.add(doc, where, "not_a_count", question=problem.name)


def check_conditions(ctx: Context, doc: Doc, path: PathT, conditions: Any, figures: dict[str, Any]) -> None:
    by_id: dict[str, int] = {}
    for i, condition in items(conditions):
        ident = condition.get("id")
        if isinstance(ident, str):
            if ident in by_id:
                ctx.add(doc, path + ("conditions", i, "id"), "duplicate_condition_id", ident=ident)
            else:
                by_id[ident] = i
    for i, condition in items(conditions):
        ctx.rule(doc, path + ("conditions", i, "rule"), condition.get("rule"), figures, by_id)
    # {condition: id} references must not go round in a circle
    refs = {ident: list(_condition_refs(as_dict(conditions[i]).get("rule"), ("rule",)))
            for ident, i in by_id.items()}
    reported: set[frozenset[str]] = set()
    for start in by_id:
        for cycle, where in _cycles(start, refs):
            if frozenset(cycle) in reported:
                continue
            reported.add(frozenset(cycle))
            cpath = path + ("conditions", by_id[cycle[0]]) + where + ("condition",)
            if len(cycle) == 1:
                ctx.add(doc, cpath, "condition_self", ident=cycle[0])
            else:
                ctx.add(doc, cpath, "condition_cycle", chain=" -> ".join(cycle + [cycle[0]]))


def _condition_refs(rule: Any, path: PathT) -> Iterator[tuple[str, PathT]]:
    """(condition id, path inside the rule) of every {condition: id} in a rule."""
    if not isinstance(rule, dict):
        return
    if isinstance(rule.get("condition"), str):
        yield rule["condition"], path
    for op in ("all", "any"):
        for i, sub in enumerate(as_list(rule.get(op))):
            yield from _condition_refs(sub, path + (op, i))
    if "not" in rule:
        yield from _condition_refs(rule["not"], path + ("not",))


def _cycles(start: str, refs: dict[str, list[tuple[str, PathT]]]) -> Iterator[tuple[list[str], PathT]]:
    """Cycles through `start`: (the ids in order, where the first id's rule makes the first step)."""
    stack: list[tuple[str, list[str], PathT | None]] = [(start, [start], None)]
    visited: set[str] = set()
    while stack:
        node, trail, first_step = stack.pop()
        for target, where in refs.get(node, []):
            step = first_step if first_step is not None else where
            if target == start:
                yield trail, step
            elif target not in visited and target in refs:
                visited.add(target)
                stack.append((target, trail + [target], step))


# ---- numbers as the notice writes them ---------------------------------------------------------

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "twelve": 12, "half": 0.5}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "ten thousand": 1e4}
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(ten thousand|thousand|million|billion))?",
                     re.IGNORECASE)
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORDS) + r")\b(?!-time)", re.IGNORECASE)


def published_numbers(text: str) -> list[float]:
    """The numbers in a figure as published: '1,111 yuan' -> [1111]; 'RMB 1 million' -> [1000000];
    'more than 1 years' -> [1]; 'up to three years' -> [3]; 'one-time 311 yuan' -> [311]."""
    found = []
    for digits, scale in _NUMBER.findall(text):
        number = float(digits.replace(",", ""))
        found.append(number * _SCALES[scale.lower()] if scale else number)
    if not found:
        found = [float(_WORDS[w.lower()]) for w in _WORD_NUMBER.findall(text)]
    return found
