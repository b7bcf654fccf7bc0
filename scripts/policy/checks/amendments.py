"""Checks of the ways a later notice amends a measure (the staff guide's "Amendments"): values
and change-log entries that name a notice of the library and quote its text, dated values, `in_force` on a measure, a
benefit or a condition, the change log, contacts. One small function per check; shapes (keys,
types) are the JSON Schemas' job."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from subsidy_calculator import periods
from subsidy_calculator.amounts import ShapeError, read_amount, read_duration
from subsidy_calculator.rules import rule_refs

from scripts.policy.checks.context import FIGURE_REF, Context, as_dict, flat, items, window
from scripts.policy.messages import msg
from scripts.policy.problems import PathT
from scripts.policy.reader import Doc

PHONE = re.compile(r"^\+?[0-9][0-9 ()-]*[0-9]$")


def check(ctx: Context) -> None:
    for doc, measure in ctx.measures.values():
        for path, period in in_force_entries(measure):
            ctx.date_range(doc, path, as_dict(period))
        for name, figure in as_dict(measure.get("figures")).items():
            value_gaps(ctx, doc, ("figures", name), as_dict(figure))
        benefit_within_measure(ctx, doc, measure)
        figure_ends_with_benefit(ctx, doc, measure)
        dated_condition_not_reused(ctx, doc, measure)
        values_traced(ctx, doc, measure)
        change_log_traced(ctx, doc, measure)
        in_force_logged(ctx, doc, measure)
        contacts(ctx, doc, measure)


# ---- helpers ---------------------------------------------------------------------------------

def in_force_entries(measure: dict[str, Any]) -> Iterator[tuple[PathT, Any]]:
    """(path, in_force) of the measure and of each benefit and condition that has one."""
    if "in_force" in measure:
        yield ("in_force",), measure["in_force"]
    for i, benefit in items(measure.get("benefits")):
        if "in_force" in benefit:
            yield ("benefits", i, "in_force"), benefit["in_force"]
        for j, condition in items(benefit.get("conditions")):
            if "in_force" in condition:
                yield ("benefits", i, "conditions", j, "in_force"), condition["in_force"]


def _dated(period: Any) -> bool:
    return any(v is not None for v in as_dict(period).values())


# ---- one measure -------------------------------------------------------------------------------

def benefit_within_measure(ctx: Context, doc: Doc, measure: dict[str, Any]) -> None:
    """A benefit dated beyond its measure's in_force (the first end that is)."""
    outer = window(measure.get("in_force"))
    for i, benefit in items(measure.get("benefits")):
        inner = as_dict(benefit.get("in_force"))
        if not inner:
            continue
        beyond = periods.outside(window(inner), outer)
        if beyond:
            side, own = beyond[0], inner.get(beyond[0])
            ctx.add(doc, ("benefits", i, "in_force", side), "benefit_outlasts_measure", side=side,
                    own=own if isinstance(own, str) else msg("open_period"), limit=outer[side])


def value_gaps(ctx: Context, doc: Doc, path: PathT, figure: dict[str, Any]) -> None:
    """Consecutive dated values with days in between that have no value."""
    values = list(items(figure.get("values")))
    for (i, old), (j, new) in zip(values, values[1:]):
        end, start = old.get("until"), new.get("from")
        found = periods.gap(old, new) if periods.is_day(end) and periods.is_day(start) else None
        if found is not None:
            first, last = found
            ctx.add(doc, path + ("values", j, "from"), "values_gap", i=i, j=j, end=end, start=start,
                    first=first, last=last, day_before=last)


def _benefit_figures(benefit: dict[str, Any]) -> list[str]:
    used = []
    for read, key in ((lambda raw: read_amount(raw).figure, "amount"), (read_duration, "duration")):
        try:
            used.append(read(benefit.get(key)))
        except ShapeError:  # the schema reports it
            pass
    for _, condition in items(benefit.get("conditions")):
        if not condition.get("in_force"):  # a dated condition may use a figure only while it applies
            used.extend(rule_refs(condition.get("rule"), "figure"))
    return sorted({f for f in used if isinstance(f, str)})


def figure_ends_with_benefit(ctx: Context, doc: Doc, measure: dict[str, Any]) -> None:
    """A figure whose values stop (or start) while a benefit that uses it goes on: the way to
    end or start a benefit is its in_force, so that the pages say so too."""
    figures = as_dict(measure.get("figures"))
    limit = as_dict(measure.get("in_force"))
    for i, benefit in items(measure.get("benefits")):
        own = as_dict(benefit.get("in_force"))
        period = window({side: own.get(side) or limit.get(side) for side in ("from", "until")})
        for name in _benefit_figures(benefit):
            values = [v for _, v in items(as_dict(figures.get(name)).get("values"))]
            if not values or any(periods.is_day(v.get("from")) and periods.is_day(v.get("until"))
                                 and not periods.valid(v) for v in values):  # reversed dates are reported as such
                continue
            end, start = values[-1].get("until"), values[0].get("from")
            # the days from the figure's first value to its last, where those are real days
            span = {"from": start if periods.is_day(start) else None, "until": end if periods.is_day(end) else None}
            beyond = periods.outside(period, span)
            if "until" in beyond:
                ctx.add(doc, ("figures", name, "values", len(values) - 1, "until"), "figure_ends_benefit_goes_on",
                        figure=name, date=end, benefit=str(benefit.get("id")), index=i, next=periods.next_change(span))
            if "from" in beyond:
                ctx.add(doc, ("figures", name, "values", 0, "from"), "figure_starts_benefit_before",
                        figure=name, date=start, benefit=str(benefit.get("id")), index=i)


def dated_condition_not_reused(ctx: Context, doc: Doc, measure: dict[str, Any]) -> None:
    """A condition dated with in_force that another one refers to ({condition: id}): the
    reference would keep applying it outside its dates."""
    for i, benefit in items(measure.get("benefits")):
        conditions = list(items(benefit.get("conditions")))
        dated = {c["id"] for _, c in conditions if c.get("in_force") and isinstance(c.get("id"), str)}
        for j, condition in conditions:
            for ref in rule_refs(condition.get("rule"), "condition"):
                if ref in dated:
                    ctx.add(doc, ("benefits", i, "conditions", j, "rule"), "dated_condition_referenced", ident=ref)


def _known_notice(ctx: Context, doc: Doc, path: PathT, ident: str) -> bool:
    if ident in ctx.notices:
        return True
    ctx.unknown(doc, path, msg("thing.notice"), ident, ctx.notices, msg("where.notices"))
    return False


def values_traced(ctx: Context, doc: Doc, measure: dict[str, Any]) -> None:
    """A value from a later notice (notice: id): the notice exists, its text holds the value's
    words, and the change log has an entry naming it."""
    logged = {e["notice"] for _, e in items(measure.get("change_log")) if isinstance(e.get("notice"), str)}
    for name, figure in as_dict(measure.get("figures")).items():
        for i, value in items(as_dict(figure).get("values")):
            ident, vpath = value.get("notice"), ("figures", name, "values", i)
            if not isinstance(ident, str) or not _known_notice(ctx, doc, vpath + ("notice",), ident):
                continue
            published = value.get("as_published")
            text = ctx.notice_texts.get(ident)
            if text is not None and isinstance(published, str) and flat(published) not in text:
                ctx.add(doc, vpath + ("as_published",), "not_in_supplement", published=published, ident=ident,
                        source_file=ctx.text_file(ident))
            if ident not in logged:
                ctx.add(doc, vpath + ("notice",), "value_not_logged", i=i, ident=ident)


def change_log_traced(ctx: Context, doc: Doc, measure: dict[str, Any]) -> None:
    """Change log entries: no [[figure]] in their texts; one that names a notice carries its date
    and quotes its words."""
    for i, entry in items(measure.get("change_log")):
        epath = ("change_log", i)
        for lang, text in as_dict(entry.get("text")).items():
            if isinstance(text, str) and FIGURE_REF.search(text):
                ctx.add(doc, epath + ("text", lang), "change_log_placeholder")
        ident = entry.get("notice")
        if not isinstance(ident, str) or not _known_notice(ctx, doc, epath + ("notice",), ident):
            continue
        published_on = ctx.notice_data[ident].get("published")
        if isinstance(published_on, str) and isinstance(entry.get("date"), str) and entry["date"] != published_on:
            ctx.add(doc, epath + ("date",), "change_log_date", date=entry["date"], ident=ident, published_on=published_on)
        text = ctx.notice_texts.get(ident)
        if not isinstance(entry.get("quote"), str):
            ctx.add(doc, epath, "change_log_no_quote", ident=ident)
        elif text is not None and flat(entry["quote"]) not in text:
            ctx.add(doc, epath + ("quote",), "quote_not_in_supplement", ident=ident, source_file=ctx.text_file(ident))


def in_force_logged(ctx: Context, doc: Doc, measure: dict[str, Any]) -> None:
    """A measure, benefit or condition dated with in_force needs a change log entry that names
    the supplementary notice that dates it."""
    if any(isinstance(e.get("notice"), str) for _, e in items(measure.get("change_log"))):
        return
    for path, period in in_force_entries(measure):
        if _dated(period):
            ctx.add(doc, path, "in_force_not_logged")


def contacts(ctx: Context, doc: Doc, measure: dict[str, Any]) -> None:
    """A phone that is not a number, a web address that is not https."""
    for i, contact in items(measure.get("contacts")):
        phone = contact.get("phone")
        if phone is not None and not (isinstance(phone, (str, int)) and not isinstance(phone, bool)
                                      and PHONE.match(str(phone))):
            ctx.add(doc, ("contacts", i, "phone"), "phone_not_number", phone=str(phone))
        url = contact.get("url")
        if isinstance(url, str) and not url.startswith("https://"):
            ctx.add(doc, ("contacts", i, "url"), "url_not_https", url=url)
