"""Every statement traced to the notice: what a visitor reads rests on the notice's own words.

A benefit (what is given, its amount and how it is paid), each of its conditions and self-checks,
and the measure's `apply` texts carry `notice:`, the words of the notice they rest on, copied
exactly from the measure's `source.as_published` (or from a later notice quoted in its change
log). A self-check or an `apply` text that the notice does not support is allowed only when it is
marked `guidance: true`: the site and the calculator then label it as general guidance, not the
notice's word. `frequency` says only what the notice says: `one_time` needs the benefit's quote
to say "one-time", `recurring` needs a `duration` ("for up to ..."); otherwise `not_stated`.
"""
from __future__ import annotations

from typing import Any

from scripts.policy.checks.context import Context, as_dict, as_list, items, wrapped_in_chinese_quotes
from scripts.policy.messages import Joined, msg
from scripts.policy.problems import PathT
from scripts.policy.reader import Doc


def _quoted(value: Any, quotes: list[str]) -> bool:
    return isinstance(value, str) and value.strip() != "" and any(value in q for q in quotes)


def _check(ctx: Context, doc: Doc, item: Any, path: PathT, what: str, quotes: list[str],
           guidance_allowed: bool, amended: Joined | None = None) -> None:
    if not isinstance(item, dict):
        return
    thing = msg(f"thing.{what}")
    notice, guidance = item.get("rests_on"), item.get("guidance") is True
    if notice is not None and guidance:
        ctx.add(doc, path + ("guidance",), "trace.both", what=thing)
    elif notice is None and not guidance:
        ctx.add(doc, path, "trace.missing_or_guidance" if guidance_allowed else "trace.missing", what=thing)
    elif guidance and not guidance_allowed:
        ctx.add(doc, path + ("guidance",), "trace.no_guidance", what=thing)
    elif notice is not None and not _quoted(notice, quotes):
        if isinstance(notice, str) and wrapped_in_chinese_quotes(notice) and _quoted(notice.strip()[1:-1], quotes):
            ctx.add(doc, path + ("rests_on",), "trace.chinese_quotes", quote=notice.strip()[1:-1])
        elif amended is not None:  # it may rest on a later notice's words, quoted in the change log
            ctx.add(doc, path + ("rests_on",), "trace.not_found_amended", quote=str(notice), quotes=amended)
        else:
            ctx.add(doc, path + ("rests_on",), "trace.not_found", quote=str(notice))


def check_trace(ctx: Context, doc: Doc, measure: dict[str, Any]) -> None:
    """The measure's statements that name no sentence of the notice, or misquote it."""
    source = as_dict(measure.get("source"))
    written = [source.get("as_published")] + [e.get("quote") for _, e in items(measure.get("change_log"))]
    quotes = [q for q in written if isinstance(q, str)]
    logged = tuple(msg("trace.logged_quote", i=i, ident=str(e.get("notice") or "-"))
                   for i, e in items(measure.get("change_log")) if isinstance(e.get("quote"), str))
    amended = Joined(logged, "word.semicolon") if logged else None
    for i, benefit in items(measure.get("benefits")):
        path = ("benefits", i)
        _check(ctx, doc, benefit, path, "this_benefit", quotes, guidance_allowed=False, amended=amended)
        notice = benefit.get("rests_on") if isinstance(benefit.get("rests_on"), str) else ""
        frequency = benefit.get("frequency")
        if frequency == "one_time" and notice and "one-time" not in notice.lower():
            ctx.add(doc, path + ("frequency",), "trace.one_time")
        if frequency == "recurring" and not benefit.get("duration"):
            ctx.add(doc, path + ("frequency",), "trace.recurring")
        for j, condition in items(benefit.get("conditions")):
            _check(ctx, doc, condition, path + ("conditions", j), "this_condition", quotes, guidance_allowed=False,
                   amended=amended)
        for j, entry in enumerate(as_list(benefit.get("self_check"))):
            _check(ctx, doc, entry, path + ("self_check", j), "this_self_check", quotes, guidance_allowed=True, amended=amended)
    apply = as_dict(measure.get("apply"))
    for key in ("how", "where"):
        if key in apply:
            _check(ctx, doc, apply[key], ("apply", key), f"apply_{key}", quotes, guidance_allowed=True, amended=amended)
    if "contacts_note" in measure:
        _check(ctx, doc, measure["contacts_note"], ("contacts_note",), "contacts_note", quotes, guidance_allowed=False,
               amended=amended)
    for j, entry in enumerate(as_list(apply.get("documents"))):
        _check(ctx, doc, entry, ("apply", "documents", j), "this_document", quotes, guidance_allowed=True, amended=amended)
